package threat

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
)

func factsOfTarget(t *testing.T, ix *index, kind, id string) *Facts {
	t.Helper()
	tg := ix.lookup(kind, id)
	if tg == nil {
		t.Fatalf("no target %s %s", kind, id)
	}
	return tg.facts
}

func TestFactsValues(t *testing.T) {
	ix := newIndex(pumpModel(), Options{Date: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})

	tests := []struct {
		kind, id, fact string
		want           Value
	}{
		{"process", "pump-fw", "language", Value{Set: true, Type: catalog.String, Str: "c"}},
		{"process", "pump-fw", "memory_safe", Value{Set: true, Type: catalog.Bool, Bool: false}},
		{"process", "phone-app", "memory_safe", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"process", "pump-fw", "parses_external_input", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"process", "pump-fw", "boundary_kind", Value{Set: true, Type: catalog.String, Str: "physical"}},
		{"process", "pump-fw", "has_debug_interface", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"process", "pump-fw", "interface_kinds", Value{Set: true, Type: catalog.List, List: []string{"jtag", "swd", "uart", "usb"}}},
		{"process", "pump-fw", "inbound_protocols", Value{Set: true, Type: catalog.List, List: []string{"ble", "file"}}},
		{"process", "pump-fw", "data_categories", Value{Set: true, Type: catalog.List, List: []string{"configuration", "phi", "therapy"}}},
		{"process", "pump-fw", "integrity", Value{Set: true, Type: catalog.Level, Str: "high"}},
		{"process", "pump-fw", "dependency_count", Value{Set: true, Type: catalog.String, Str: "1"}},
		{"process", "pump-fw", "internet_facing", Value{Set: true, Type: catalog.Bool, Bool: false}},
		{"process", "cloud-api", "internet_facing", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"process", "phone-app", "receives_firmware", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"process", "cloud-api", "sends_firmware", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"store", "pump-log", "encrypted", Value{Set: true, Type: catalog.Bool, Bool: false}},
		{"store", "pump-log", "confidentiality", Value{Set: true, Type: catalog.Level, Str: "high"}},
		{"entity", "patient", "role", Value{Set: true, Type: catalog.String, Str: "patient"}},
		{"entity", "patient", "outbound_protocols", Value{Set: true, Type: catalog.List, List: []string{"manual"}}},
		{"flow", "app-to-pump", "transport", Value{Set: true, Type: catalog.String, Str: "adjacent"}},
		{"flow", "app-to-pump", "integrity_protected", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"flow", "app-to-pump", "crosses_boundary", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"flow", "app-to-pump", "carries_commands", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"flow", "app-to-pump", "from_kind", Value{Set: true, Type: catalog.String, Str: "process"}},
		{"flow", "app-to-pump", "to_patients", Value{Set: true, Type: catalog.String, Str: "one"}},
		{"flow", "pump-to-app", "integrity_protected", Value{Set: true, Type: catalog.Bool, Bool: false}},
		{"flow", "fw-to-log", "crosses_boundary", Value{Set: true, Type: catalog.Bool, Bool: false}},
		{"flow", "fw-to-log", "transport", Value{Set: true, Type: catalog.String, Str: "local"}},
		{"flow", "patient-to-app", "from_role", Value{Set: true, Type: catalog.String, Str: "patient"}},
		{"interface", "pump-swd", "production", Value{Set: true, Type: catalog.String, Str: "locked"}},
		{"interface", "pump-swd", "of_kind", Value{Set: true, Type: catalog.String, Str: "process"}},
		{"interface", "pump-swd", "data_categories", Value{Set: true, Type: catalog.List, List: []string{"configuration", "phi", "therapy"}}},
		{"dependency", "freertos", "support_ended", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"dependency", "freertos", "purl_type", Value{Set: true, Type: catalog.String, Str: "github"}},
		{"dependency", "freertos", "known_vulnerabilities", Value{Set: true, Type: catalog.String, Str: "0"}},
		{"dependency", "freertos", "used_by", Value{Set: true, Type: catalog.List, List: []string{"pump-fw"}}},
		{"process", "phone-app", "inbound_roles", Value{Set: true, Type: catalog.List, List: []string{"patient"}}},
		{"process", "pump-fw", "inbound_roles", Value{Set: true, Type: catalog.List}},
		{"boundary", "cloud", "kind", Value{Set: true, Type: catalog.String, Str: "cloud"}},
		{"system", "dosa", "has_update_path", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"system", "dosa", "has_phi", Value{Set: true, Type: catalog.Bool, Bool: true}},
		{"system", "dosa", "has_service_role", Value{Set: true, Type: catalog.Bool, Bool: false}},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.fact, func(t *testing.T) {
			got, _ := factsOfTarget(t, ix, tt.kind, tt.id).Lookup(tt.fact)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lookup(%q) diff (-want +got):\n%s", tt.fact, diff)
			}
		})
	}
}

func TestFactsUnsetDiffersFromFalse(t *testing.T) {
	ix := newIndex(pumpModel(), Options{})

	settings := factsOfTarget(t, ix, "store", "settings-file")
	if _, ok := settings.Bool("encrypted"); ok {
		t.Error("encrypted of a store without the key is set, want unset")
	}
	log := factsOfTarget(t, ix, "store", "pump-log")
	if v, ok := log.Bool("encrypted"); !ok || v {
		t.Errorf("encrypted of pump-log = %v, %v, want false, true", v, ok)
	}
	// Without an assessment date nobody can say whether support ended.
	if _, ok := factsOfTarget(t, ix, "dependency", "freertos").Bool("support_ended"); ok {
		t.Error("support_ended without an assessment date is set, want unset")
	}
	// A dependency that no element contains, such as an SBOM component
	// nobody mapped to an element, has no used_by fact.
	m0 := pumpModel()
	m0.Dependencies = append(m0.Dependencies, model.Dependency{ID: "zlib", Name: "zlib", Purl: "pkg:generic/zlib@1.3"})
	m0.Dependencies[0].Elements = []string{"cloud-api"}
	ix0 := newIndex(m0, Options{})
	if v, ok := factsOfTarget(t, ix0, "dependency", "zlib").List("used_by"); ok {
		t.Errorf("used_by of an unused dependency = %v, want unset", v)
	}
	// Both ways of naming a user count, each once.
	if v, _ := factsOfTarget(t, ix0, "dependency", "freertos").List("used_by"); !slices.Equal(v, []string{"cloud-api", "pump-fw"}) {
		t.Errorf("used_by of freertos = %v, want [cloud-api pump-fw]", v)
	}

	// A process without a language has no memory_safe fact.
	m := pumpModel()
	m.Elements[3].Technology.Language = ""
	ix = newIndex(m, Options{})
	if _, ok := factsOfTarget(t, ix, "process", "phone-app").Bool("memory_safe"); ok {
		t.Error("memory_safe of a process without a language is set, want unset")
	}
}

func TestFactsAttributesOverride(t *testing.T) {
	m := pumpModel()
	m.Elements[0].Attributes = map[string]any{"memory_safe": true, "parses_external_input": false, "heap_kb": uint64(64), "buses": []any{"spi", "i2c"}}
	ix := newIndex(m, Options{})
	f := factsOfTarget(t, ix, "process", "pump-fw")

	if v, ok := f.Bool("memory_safe"); !ok || !v {
		t.Errorf("memory_safe = %v, %v, want the attribute's true", v, ok)
	}
	if v, ok := f.Bool("parses_external_input"); !ok || v {
		t.Errorf("parses_external_input = %v, %v, want the attribute's false", v, ok)
	}
	if v, ok := f.String("attributes.heap_kb"); !ok || v != "64" {
		t.Errorf("attributes.heap_kb = %q, %v, want \"64\"", v, ok)
	}
	if v, ok := f.List("attributes.buses"); !ok || !slices.Equal(v, []string{"i2c", "spi"}) {
		t.Errorf("attributes.buses = %v, %v, want [i2c spi]", v, ok)
	}
}

func TestFactsModelProtocolTransport(t *testing.T) {
	m := pumpModel()
	m.Protocols = []model.ProtocolDef{{ID: "acme-rf", Transport: "adjacent"}, {ID: "https", Transport: "local"}}
	m.Flows[0].Protocol.Name = "acme-rf"
	ix := newIndex(m, Options{})

	if v, _ := factsOfTarget(t, ix, "flow", "app-to-pump").String("transport"); v != "adjacent" {
		t.Errorf("transport of a model-defined protocol = %q, want adjacent", v)
	}
	if v, _ := factsOfTarget(t, ix, "flow", "app-to-cloud").String("transport"); v != "local" {
		t.Errorf("transport of https overridden by the model = %q, want local", v)
	}
}

// TestFactsAllComputed checks that every documented fact is computed for
// at least one target of the fixture, so no fact of catalog.Facts is
// silently never set.
func TestFactsAllComputed(t *testing.T) {
	m := pumpModel()
	m.Elements[5].Tags = []string{"manufacturing"}
	m.Elements[1].Technology = model.Technology{Language: "sql", OS: "linux", Runtime: "sqlite"}
	m.Flows[0].Protocol.Version = "5.0"
	m.Interfaces[3].Authentication = "none"
	m.Interfaces[3].Protocols = []string{"usb"}
	m.Dependencies[0].Classification = "supported"
	m.Flows = append(m.Flows, model.Flow{ID: "app-to-patient", From: "phone-app", To: "patient", Protocol: model.Protocol{Name: "manual"}})
	ix := newIndex(m, Options{Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})

	for _, fact := range catalog.Facts {
		found := false
		for _, tg := range ix.targets {
			if _, ok := tg.facts.Lookup(fact.Name); ok {
				found = true
				if !slices.Contains(fact.Targets, tg.Kind) {
					t.Errorf("fact %s is set on a %s target, but catalog.Facts defines it only for %v", fact.Name, tg.Kind, fact.Targets)
				}
			}
		}
		if !found {
			t.Errorf("fact %s is set on no target of the fixture", fact.Name)
		}
	}
}

func TestPurlType(t *testing.T) {
	tests := map[string]string{
		"pkg:npm/left-pad@1.3.0":        "npm",
		"pkg:PyPI/requests@2.0":         "pypi",
		"pkg://maven/org.a/b@1":         "maven",
		"pkg:generic":                   "",
		"https://example.com/pkg/x@1.0": "",
		"":                              "",
	}
	for in, want := range tests {
		if got := purlType(in); got != want {
			t.Errorf("purlType(%q) = %q, want %q", in, got, want)
		}
	}
}
