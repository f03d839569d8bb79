package threat

import (
	"slices"
	"testing"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

func ptr[T any](v T) *T { return &v }

// pumpModel is a small insulin pump system built in code: a pump with
// firmware, a log and a configuration file, a phone app, a cloud service and
// a patient, with debug ports in several production states.
func pumpModel() *model.Model {
	return &model.Model{
		Ward:   1,
		System: model.System{ID: "dosa", Name: "DOSA pump system", Lifecycle: "released"},
		Data: []model.Data{
			{ID: "therapy-cmd", Name: "Bolus commands", Category: "therapy", Confidentiality: "medium", Integrity: "high", Availability: "high"},
			{ID: "glucose", Name: "Glucose readings", Category: "phi", Confidentiality: "high", Integrity: "medium", Availability: "medium"},
			{ID: "fw-image", Name: "Firmware image", Category: "firmware", Confidentiality: "low", Integrity: "high", Availability: "medium"},
			{ID: "settings", Name: "Pump settings", Category: "configuration", Confidentiality: "low", Integrity: "high", Availability: "medium"},
		},
		Boundaries: []model.Boundary{
			{ID: "home", Name: "Patient home", Kind: "physical"},
			{ID: "pump-enclosure", Name: "Pump enclosure", Kind: "physical", Parent: "home"},
			{ID: "phone", Name: "Patient phone", Kind: "physical", Parent: "home"},
			{ID: "cloud", Name: "Manufacturer cloud", Kind: "cloud"},
		},
		Elements: []model.Element{
			{ID: "pump-fw", Kind: "process", Name: "Pump firmware", Boundary: "pump-enclosure",
				Technology: model.Technology{Language: "C", OS: "FreeRTOS"}, Dependencies: []string{"freertos"}, Patients: "one"},
			{ID: "pump-log", Kind: "store", Name: "Therapy log", Boundary: "pump-enclosure", Stores: []string{"glucose"}, Encrypted: ptr(false)},
			{ID: "settings-file", Kind: "store", Name: "Settings file", Boundary: "pump-enclosure", Stores: []string{"settings"}},
			{ID: "phone-app", Kind: "process", Name: "Phone app", Boundary: "phone", Technology: model.Technology{Language: "kotlin"}},
			{ID: "cloud-api", Kind: "process", Name: "Cloud API", Boundary: "cloud", Technology: model.Technology{Language: "go"}, Patients: "many"},
			{ID: "patient", Kind: "entity", Name: "Patient", Role: "patient", Boundary: "home"},
		},
		Flows: []model.Flow{
			{ID: "app-to-pump", From: "phone-app", To: "pump-fw", Protocol: model.Protocol{Name: "ble", Version: "5.0"},
				Data: []string{"therapy-cmd"}, Authentication: "mutual", Encryption: ptr(true), ReplayProtection: ptr(true)},
			{ID: "pump-to-app", From: "pump-fw", To: "phone-app", Protocol: model.Protocol{Name: "ble"},
				Data: []string{"glucose"}, Authentication: "none", Encryption: ptr(false)},
			{ID: "app-to-cloud", From: "phone-app", To: "cloud-api", Protocol: model.Protocol{Name: "https"},
				Data: []string{"glucose"}, Authentication: "mutual", Encryption: ptr(true)},
			{ID: "cloud-to-app", From: "cloud-api", To: "phone-app", Protocol: model.Protocol{Name: "https"},
				Data: []string{"fw-image"}, Authentication: "one-way", Encryption: ptr(true)},
			{ID: "fw-to-log", From: "pump-fw", To: "pump-log", Protocol: model.Protocol{Name: "in-process"}, Data: []string{"glucose"}},
			{ID: "settings-to-fw", From: "settings-file", To: "pump-fw", Protocol: model.Protocol{Name: "file"}, Data: []string{"settings"}},
			{ID: "patient-to-app", From: "patient", To: "phone-app", Protocol: model.Protocol{Name: "manual"}, Data: []string{"therapy-cmd"}},
		},
		Interfaces: []model.Interface{
			{ID: "pump-swd", Of: "pump-fw", Kind: "swd", Exposure: "board", Debug: true, Production: "locked"},
			{ID: "pump-jtag", Of: "pump-fw", Kind: "jtag", Exposure: "board", Debug: true, Production: "removed"},
			{ID: "pump-uart", Of: "pump-fw", Kind: "uart", Exposure: "enclosure", Debug: true, Production: "enabled"},
			{ID: "pump-usb", Of: "pump-fw", Kind: "usb", Exposure: "external", Production: "enabled"},
		},
		Dependencies: []model.Dependency{
			{ID: "freertos", Name: "FreeRTOS Kernel", Version: "10.5.1", Purl: "pkg:github/freertos/freertos-kernel@10.5.1",
				Kind: "os", Supplier: "Amazon Web Services", Support: model.Support{Level: "active", Ends: "2024-01-01"}},
		},
	}
}

// Condition builders for rules written in tests.
func is(fact string, values ...any) *catalog.Condition {
	op := catalog.OpEq
	if len(values) > 1 {
		op = catalog.OpIn
	}
	return &catalog.Condition{Fact: fact, Op: op, Values: values}
}

func op(fact, operator string, values ...any) *catalog.Condition {
	return &catalog.Condition{Fact: fact, Op: operator, Values: values}
}

func all(cs ...*catalog.Condition) *catalog.Condition { return &catalog.Condition{All: cs} }
func anyOf(cs ...*catalog.Condition) *catalog.Condition {
	return &catalog.Condition{Any: cs}
}
func not(c *catalog.Condition) *catalog.Condition { return &catalog.Condition{Not: c} }

// testRules is a small rule library in the shape of the built-in one.
func testRules() []*catalog.Rule {
	high := catalog.Impact{Confidentiality: "high", Integrity: "high", Availability: "medium"}
	return []*catalog.Rule{
		{ID: "hw.debug-port-open", Title: "debug port usable on shipped units",
			Description: "{name} on {of.name} gives a debug probe full control ({production}).",
			AppliesTo:   []string{"interface"},
			When:        all(is("debug", true), is("production", "enabled", "disabled")),
			STRIDE:      ElevationOfPrivilege, Also: []string{Tampering}, Impact: high, Vector: VectorPhysical,
			Controls:   []string{"code-data-execution-integrity"},
			References: catalog.References{CWE: []string{"CWE-1191"}, EMB3D: []string{"TID-101"}},
			Residual: &catalog.Residual{When: is("production", "locked"), Title: "locked debug port bypassed",
				Impact: catalog.Impact{Confidentiality: "medium", Integrity: "medium", Availability: "low"}}},
		{ID: "flow.plaintext", Title: "data sent in plaintext",
			Description: "{name} carries {data_categories} without encryption over {protocol}.",
			AppliesTo:   []string{"flow"},
			When:        all(not(is("encryption", true)), is("transport", "network", "adjacent")),
			STRIDE:      InformationDisclosure, Impact: catalog.Impact{Confidentiality: "high", Integrity: "none", Availability: "none"}},
		{ID: "flow.no-integrity", Title: "messages can be altered in transit",
			Description: "{name} has no integrity protection.",
			AppliesTo:   []string{"flow"},
			When:        all(not(is("integrity_protected", true)), is("crosses_boundary", true)),
			STRIDE:      Tampering, Impact: catalog.Impact{Confidentiality: "none", Integrity: "high", Availability: "none"}},
		{ID: "flow.weak-authentication", Title: "peer not authenticated",
			Description: "{name} accepts data from an unauthenticated peer.",
			AppliesTo:   []string{"flow"},
			When:        all(is("crosses_boundary", true), not(is("authentication", "mutual"))),
			STRIDE:      Spoofing, Impact: catalog.Impact{Integrity: "high"}},
		{ID: "store.unencrypted", Title: "stored data not encrypted",
			Description: "{name} keeps {data_categories} unencrypted.",
			AppliesTo:   []string{"store"},
			When:        all(not(is("encrypted", true)), op("data_categories", catalog.OpIn, "phi", "pii", "credential", "key")),
			STRIDE:      InformationDisclosure, Impact: catalog.Impact{Confidentiality: "high"}, Vector: VectorPhysical},
		{ID: "proc.memory-unsafe-parser", Title: "memory-unsafe code parses outside input",
			Description: "{name} is written in {language} and parses input from outside its boundary.",
			AppliesTo:   []string{"process"},
			When:        all(is("memory_safe", false), is("parses_external_input", true)),
			STRIDE:      ElevationOfPrivilege, Also: []string{Tampering, DenialOfService}, Impact: high},
		{ID: "proc.internet-authentication", Title: "internet-facing process authentication",
			Description: "{name} is reachable from the network.",
			AppliesTo:   []string{"process", "store"},
			When:        is("internet_facing", true),
			STRIDE:      Spoofing, Impact: catalog.Impact{Confidentiality: "medium", Integrity: "medium"}},
		{ID: "supply.unsupported", Title: "dependency no longer supported",
			Description: "{name} support ended.",
			AppliesTo:   []string{"dependency"},
			When:        is("support_ended", true),
			STRIDE:      Tampering, Impact: catalog.Impact{Confidentiality: "medium", Integrity: "medium", Availability: "medium"}},
		{ID: "supply.known-vulnerable", Title: "dependency has known vulnerabilities",
			Description: "{name} has {known_vulnerabilities} unresolved vulnerabilities.",
			AppliesTo:   []string{"dependency"},
			When:        op("known_vulnerabilities", catalog.OpNotIn, "0"),
			STRIDE:      ElevationOfPrivilege, Impact: high},
		{ID: "update.unsigned", Title: "firmware updates not verified",
			Description: "{name} may accept unsigned firmware.",
			AppliesTo:   []string{"system"},
			When:        is("has_update_path", true),
			STRIDE:      Tampering, Impact: high},
	}
}

// testLibrary builds a catalog.Library from rules written in code.
func testLibrary(t testing.TB, rules ...*catalog.Rule) *catalog.Library {
	t.Helper()
	lib := &catalog.Library{}
	other := &catalog.Library{Rules: rules}
	if diags := lib.Merge(other); len(diags) > 0 {
		t.Fatalf("building the test library: %v", diags)
	}
	return lib
}

// identify runs Identify and fails the test on error diagnostics.
func identify(t *testing.T, m *model.Model, lib *catalog.Library, opts Options) *Register {
	t.Helper()
	reg, diags := Identify(m, lib, opts)
	if diags.HasErrors() {
		t.Fatalf("Identify returned errors:\n%v", diags)
	}
	return reg
}

func threatIDs(reg *Register) []string {
	ids := make([]string, len(reg.Threats))
	for i, th := range reg.Threats {
		ids[i] = th.ID
	}
	return ids
}

func findThreat(reg *Register, id string) (Threat, bool) {
	for _, th := range reg.Threats {
		if th.ID == id || slices.Contains(th.Aliases, id) {
			return th, true
		}
	}
	return Threat{}, false
}

func at(line int) diag.Pos { return diag.Pos{File: "ward.yaml", Line: line, Col: 5} }
