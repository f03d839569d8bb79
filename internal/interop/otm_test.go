package interop

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wardtm/ward/internal/model"
)

// otmSchema compiles the OTM 0.2.0 JSON Schema of the corpus.
func otmSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path := corpusFile(t, "otm/otm_schema.json")
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("otm_schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("otm_schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// roundTripModels are the models the export tests run on: the example
// model of the repository and every corpus import.
func roundTripModels(t *testing.T) map[string]*model.Model {
	t.Helper()
	out := map[string]*model.Model{}
	if _, err := os.Stat("../../examples/insulin-pump/ward.yaml"); err == nil {
		m, diags, err := model.Load("../../examples/insulin-pump/ward.yaml", model.LoadOptions{})
		if err != nil || diags.HasErrors() {
			t.Fatalf("loading the example: %v %v", err, diags)
		}
		out["insulin-pump"] = m
	}
	for _, f := range []string{"threagile/example-threagile.yaml", "threat-dragon/v2-threat-model.json", "otm/EXAMPLE.json", "pytm/input.json"} {
		res := importFile(t, corpusFile(t, f))
		m, _ := writeAndParse(t, res)
		out[f] = m
	}
	out["tm7"], _ = writeAndParse(t, importFile(t, "testdata/pump.tm7"))
	return out
}

func TestExportOTMMatchesSchema(t *testing.T) {
	schema := otmSchema(t)
	for name, m := range roundTripModels(t) {
		t.Run(name, func(t *testing.T) {
			data, _, err := ExportOTM(m)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("exported OTM does not match the schema: %v", err)
			}
		})
	}
}

// TestOTMRoundTrip exports each model to OTM, imports it again and checks
// that every element, flow, boundary, data item, control and hand-written
// threat survives with the fields OTM can carry.
func TestOTMRoundTrip(t *testing.T) {
	for name, m := range roundTripModels(t) {
		t.Run(name, func(t *testing.T) {
			data, _, err := ExportOTM(m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import("export.otm.json", data, "", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Format != OTM {
				t.Fatalf("detected %s, want otm", res.Report.Format)
			}
			back, _ := writeAndParse(t, res)

			if back.System.ID != m.System.ID || back.System.Name != m.System.Name || back.System.Document.ID != m.System.Document.ID ||
				back.System.Document.Version != m.System.Document.Version || back.System.Lifecycle != m.System.Lifecycle {
				t.Errorf("system = %+v, want %+v", back.System, m.System)
			}
			if len(back.Elements) != len(m.Elements) {
				t.Errorf("elements = %d, want %d", len(back.Elements), len(m.Elements))
			}
			for _, e := range m.Elements {
				got := elementByID(back, e.ID)
				if got == nil {
					t.Errorf("element %s lost", e.ID)
					continue
				}
				if got.Kind != e.Kind || got.Name != e.Name || got.Boundary != e.Boundary || got.Role != e.Role || !slices.Equal(got.Stores, e.Stores) {
					t.Errorf("element %s = %+v, want %+v", e.ID, got, e)
				}
				if !equalJSON(got.Attributes, e.Attributes) {
					t.Errorf("element %s attributes = %v, want %v", e.ID, got.Attributes, e.Attributes)
				}
			}
			if len(back.Boundaries) != len(m.Boundaries) {
				t.Errorf("boundaries = %d, want %d", len(back.Boundaries), len(m.Boundaries))
			}
			for _, b := range m.Boundaries {
				got := boundaryByID(back, b.ID)
				if got == nil || got.Kind != b.Kind || got.Parent != b.Parent || got.Name != b.Name {
					t.Errorf("boundary %s = %+v, want %+v", b.ID, got, b)
				}
			}
			if len(back.Flows) != len(m.Flows) {
				t.Errorf("flows = %d, want %d", len(back.Flows), len(m.Flows))
			}
			for _, f := range m.Flows {
				got := flowByID(back, f.ID)
				if got == nil {
					t.Errorf("flow %s lost", f.ID)
					continue
				}
				if got.From != f.From || got.To != f.To || got.Protocol.Name != f.Protocol.Name || got.Protocol.Port != f.Protocol.Port || got.Authentication != f.Authentication ||
					got.Bidirectional != f.Bidirectional || !slices.Equal(got.Data, f.Data) || !equalBoolPtr(got.Encryption, f.Encryption) {
					t.Errorf("flow %s = %+v, want %+v", f.ID, got, f)
				}
			}
			for _, d := range m.Data {
				got := dataByID(back, d.ID)
				if got == nil || got.Category != d.Category || got.Confidentiality != d.Confidentiality || got.Integrity != d.Integrity || got.Availability != d.Availability {
					t.Errorf("data %s = %+v, want %+v", d.ID, got, d)
				}
			}
			if len(back.Controls) != len(m.Controls) {
				t.Errorf("controls = %d, want %d", len(back.Controls), len(m.Controls))
			}
			for _, th := range m.Threats {
				if th.ID == "" {
					continue
				}
				got := threatByID(back, th.ID)
				if got == nil {
					t.Errorf("threat %s lost", th.ID)
					continue
				}
				if got.Title != th.Title || got.Element != th.Element || got.Status != th.Status || got.STRIDE != th.STRIDE ||
					got.Justification != th.Justification || !slices.Equal(got.Controls, th.Controls) {
					t.Errorf("threat %s = %+v, want %+v", th.ID, got, th)
				}
			}
			if len(back.Threats) != len(m.Threats) {
				t.Errorf("threats = %d, want %d hand-written threats and dispositions", len(back.Threats), len(m.Threats))
			}
		})
	}
}

func equalBoolPtr(a, b *bool) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// equalJSON compares attribute maps as JSON, because numbers come back as
// float64 whatever their Go type was.
func equalJSON(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestExportOTMListsWhatIsLeftOut(t *testing.T) {
	m := &model.Model{Ward: 1, System: model.System{ID: "s", Name: "S", Lifecycle: "development", Document: model.Document{ID: "D", Version: "1"}},
		Include:    []string{"ports.yaml", "threats.yaml"},
		Elements:   []model.Element{{ID: "fw", Kind: "process", Name: "Firmware"}},
		Interfaces: []model.Interface{{ID: "swd", Of: "fw", Kind: "swd", Exposure: "board"}},
		Threats:    []model.ThreatEntry{{Match: "hw.*@swd", Status: "mitigated", Justification: "fused at end of line"}},
	}
	data, notExported, err := ExportOTM(m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"include: the content of the 2 included files is exported merged into the model, so the imported model is one file"}
	if !slices.Equal(notExported, want) {
		t.Errorf("not exported = %q, want %q", notExported, want)
	}

	res, err := Import("export.otm.json", data, OTM, Options{})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := writeAndParse(t, res)
	if len(back.Interfaces) != 1 || back.Interfaces[0].ID != "swd" || back.Interfaces[0].Of != "fw" {
		t.Errorf("interfaces = %+v, want swd of fw", back.Interfaces)
	}
	if len(back.Threats) != 1 || back.Threats[0].Match != "hw.*@swd" || back.Threats[0].Justification != "fused at end of line" {
		t.Errorf("threats = %+v, want the hw.*@swd disposition", back.Threats)
	}
	if len(back.Include) != 0 {
		t.Errorf("include = %q, want none", back.Include)
	}
}
