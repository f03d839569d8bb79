package interop

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/modelgen"
	"github.com/wardtm/ward/internal/threat"
)

// registerLines identifies the threats of m with every method and returns
// one JSON line per threat of the register and one per diagnostic, with
// source positions cleared because the model read back from OTM is a
// different file. Identification diagnostics (such as a disposition that
// matches nothing) are compared too, since the round trip must keep them.
func registerLines(t *testing.T, m *model.Model) []string {
	t.Helper()
	lib, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	reg, diags := threat.Identify(m, lib, threat.Options{Date: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)})
	lines := make([]string, 0, len(reg.Threats)+len(diags))
	for _, th := range reg.Threats {
		th.Target.Pos = diag.Pos{}
		th.Disposition.Pos = diag.Pos{}
		b, err := json.Marshal(th)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	for _, d := range diags {
		lines = append(lines, "diagnostic "+d.Code+": "+d.Summary)
	}
	slices.Sort(lines)
	return lines
}

// otmRoundTrip exports m to OTM and imports the result again.
func otmRoundTrip(t *testing.T, m *model.Model) (*model.Model, []string) {
	t.Helper()
	data, notExported, err := ExportOTM(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import("export.otm.json", data, OTM, Options{})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := writeAndParse(t, res)
	return back, notExported
}

// TestOTMRoundTripKeepsRegister checks that a Ward → OTM → Ward round trip
// gives the same threat register: same IDs, targets, dispositions and
// risk inputs.
func TestOTMRoundTripKeepsRegister(t *testing.T) {
	models := map[string]*model.Model{}
	const example = "../../examples/insulin-pump/ward.yaml"
	if _, err := os.Stat(example); err == nil {
		m, diags, err := model.Load(example, model.LoadOptions{})
		if err != nil || diags.HasErrors() {
			t.Fatalf("loading the example: %v %v", err, diags)
		}
		models["insulin-pump"] = m
	}
	gen, diags := model.Parse("generated.yaml", modelgen.Generate(modelgen.Params{Elements: 60, Flows: 120, Interfaces: 40, Seed: 7}), model.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("generated model: %v", diags)
	}
	models["generated"] = gen

	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			before := registerLines(t, m)
			back, notExported := otmRoundTrip(t, m)
			after := registerLines(t, back)

			if len(after) != len(before) {
				t.Errorf("register has %d threats and diagnostics after the round trip, want %d", len(after), len(before))
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("register differs after the round trip (-before +after):\n%s", diff)
			}
			if len(notExported) > 0 {
				t.Errorf("not exported = %q, want nothing for a model without SBOM files or rule files", notExported)
			}
		})
	}
}

// TestOTMRoundTripKeepsModel checks field by field that what OTM has no
// place for comes back from the ward_ attributes.
func TestOTMRoundTripKeepsModel(t *testing.T) {
	const example = "../../examples/insulin-pump/ward.yaml"
	if _, err := os.Stat(example); err != nil {
		t.Skip("example model not present")
	}
	m, diags, err := model.Load(example, model.LoadOptions{})
	if err != nil || diags.HasErrors() {
		t.Fatalf("loading the example: %v %v", err, diags)
	}
	back, _ := otmRoundTrip(t, m)

	// Compare as JSON, which leaves out source positions.
	for _, section := range []string{"system", "assumptions", "data", "boundaries", "elements", "flows", "interfaces", "dependencies",
		"controls", "hazards", "threats", "issues", "reviews", "vulnerabilities", "protocols", "roles", "risk", "views"} {
		want, got := sectionJSON(t, m, section), sectionJSON(t, back, section)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s differs after the round trip (-before +after):\n%s", section, diff)
		}
	}
}

// sectionJSON returns one top-level section of m as indented JSON lines.
func sectionJSON(t *testing.T, m *model.Model, section string) []string {
	t.Helper()
	all, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var sections map[string]json.RawMessage
	if err := json.Unmarshal(all, &sections); err != nil {
		t.Fatal(err)
	}
	var v any
	if raw, ok := sections[section]; ok {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "\n")
}

// TestOTMRoundTripCorners round-trips otmCornersModel.
func TestOTMRoundTripCorners(t *testing.T) {
	m := otmCornersModel()
	back, notExported := otmRoundTrip(t, m)
	if len(notExported) != 0 {
		t.Errorf("not exported = %q, want nothing", notExported)
	}
	if back.System.ID != "Pump-System" {
		t.Errorf("system id = %q, want Pump-System with its case", back.System.ID)
	}
	if f := flowByID(back, "app-to-fw"); f == nil || f.Name != "" || !equalBoolPtr(f.Integrity, boolPtr(true)) || !equalBoolPtr(f.ReplayProtection, boolPtr(false)) {
		t.Errorf("flow app-to-fw = %+v, want no name, integrity true, replay_protection false", f)
	}
	if e := elementByID(back, "fw"); e == nil || e.Technology.OS != "zephyr" || e.Patients != "one" || !e.Scope.Out {
		t.Errorf("element fw = %+v, want technology, patients and scope kept", e)
	}
	var order []string
	for _, th := range back.Threats {
		order = append(order, th.Match+th.ID+"|"+th.Element+"|"+th.Status)
	}
	want := []string{"hw.*@swd||mitigated", "T-SWD|swd|open", "*@app||accepted", "T-RTOS|swd|"}
	if !slices.Equal(order, want) {
		t.Errorf("threats = %q, want %q", order, want)
	}
	if th := threatByID(back, "T-SWD"); th == nil || th.Vector != "physical" {
		t.Errorf("threat T-SWD = %+v, want vector physical", th)
	}
}

// TestOTMImportReportsBadCarriedValue checks that a ward_ attribute edited
// into something Ward cannot read is dropped with its position, and the
// rest of the file still imports.
func TestOTMImportReportsBadCarriedValue(t *testing.T) {
	const doc = `{
  "otmVersion": "0.2.0",
  "project": {"name": "P", "id": "p", "attributes": {"ward_document_id": "TM-1", "ward_interfaces": "none"}},
  "trustZones": [{"id": "z", "name": "Z", "type": "network", "risk": {"trustRating": 50}}],
  "components": [{"id": "fw", "name": "FW", "type": "process", "parent": {"trustZone": "z"},
    "attributes": {"ward_kind": "process", "ward_technology": {"language": "c", "colour": "blue"}}}],
  "dataflows": []
}`
	res, err := importBytes(t, "edited.otm.json", OTM, doc)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := writeAndParse(t, res)
	if len(back.Elements) != 1 || back.Elements[0].Technology.Language != "" {
		t.Errorf("elements = %+v, want fw without the invalid technology", back.Elements)
	}
	wantDropped := []string{
		`edited.otm.json:3:101: ward_interfaces of the project is not valid Ward content`,
		`edited.otm.json:6:63: ward_technology of component fw is not valid Ward content`,
	}
	for _, want := range wantDropped {
		found := false
		for _, d := range res.Report.Dropped {
			found = found || strings.HasPrefix(d, want)
		}
		if !found {
			t.Errorf("dropped = %q, want a line starting %q", res.Report.Dropped, want)
		}
	}
}

// TestOTMImportAfterComponentDeleted imports an export of the example from
// which another tool deleted a component, so the ward_ attributes still
// name it. The import must leave those references out and validate.
func TestOTMImportAfterComponentDeleted(t *testing.T) {
	const example = "../../examples/insulin-pump/ward.yaml"
	if _, err := os.Stat(example); err != nil {
		t.Skip("example model not present")
	}
	m, diags, err := model.Load(example, model.LoadOptions{})
	if err != nil || diags.HasErrors() {
		t.Fatalf("loading the example: %v %v", err, diags)
	}
	data, _, err := ExportOTM(m)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	const deleted = "pump-fw"
	var kept []any
	for _, c := range doc["components"].([]any) {
		if c.(map[string]any)["id"] != deleted {
			kept = append(kept, c)
		}
	}
	doc["components"] = kept
	edited, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}

	res, err := Import("edited.otm.json", edited, OTM, Options{})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := writeAndParse(t, res)
	if elementByID(back, deleted) != nil {
		t.Errorf("element %s still present", deleted)
	}
	for _, i := range back.Interfaces {
		if i.Of == deleted {
			t.Errorf("interface %s of the deleted element kept", i.ID)
		}
	}
	dropped := strings.Join(res.Report.Dropped, "\n")
	if !strings.Contains(dropped, `interface "pump-swd" of "pump-fw"`) {
		t.Errorf("dropped does not name the interface pump-swd:\n%s", dropped)
	}

	// Dispositions of threats on the deleted component, its interfaces and
	// its flows would match nothing, so they must be gone too. Others may
	// match nothing because the architecture changed, which is for the
	// user to review.
	gone := map[string]bool{deleted: true}
	for _, f := range m.Flows {
		gone[f.ID] = flowByID(back, f.ID) == nil
	}
	for _, i := range m.Interfaces {
		gone[i.ID] = i.Of == deleted
	}
	for _, th := range back.Threats {
		at := strings.LastIndexByte(th.Match, '@')
		if th.Match != "" && gone[th.Match[at+1:]] {
			t.Errorf("disposition %q of a deleted item kept", th.Match)
		}
	}
}

// TestOTMImportDropsInvalidCarried edits carried values into ones the model
// rejects and checks that the import leaves exactly those out, so that it
// still writes a valid model.
func TestOTMImportDropsInvalidCarried(t *testing.T) {
	const doc = `{
  "otmVersion": "0.2.0",
  "project": {"name": "P", "id": "p", "attributes": {"ward_document_id": "TM-1", "ward_released": "last spring",
    "ward_interfaces": [{"id": "swd", "of": "fw", "kind": "swd", "exposure": "board"},
                        {"id": "usb", "of": "fw", "kind": "usb", "exposure": "everywhere"}],
    "ward_threats": [{"match": "*@swd", "status": "mitigated", "justification": "fused"}, {"match": "*@fw", "status": "sideways"}]}},
  "trustZones": [{"id": "z", "name": "Z", "type": "network", "risk": {"trustRating": 50}}],
  "components": [{"id": "fw", "name": "FW", "type": "process", "parent": {"trustZone": "z"},
    "attributes": {"ward_kind": "process", "ward_patients": "three", "ward_technology": {"language": "c"}}}],
  "dataflows": []
}`
	res, err := importBytes(t, "edited.otm.json", OTM, doc)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := writeAndParse(t, res)

	if len(back.Interfaces) != 1 || back.Interfaces[0].ID != "swd" {
		t.Errorf("interfaces = %+v, want swd alone", back.Interfaces)
	}
	if len(back.Threats) != 1 || back.Threats[0].Match != "*@swd" {
		t.Errorf("threats = %+v, want the *@swd disposition alone", back.Threats)
	}
	if e := elementByID(back, "fw"); e == nil || e.Patients != "" || e.Technology.Language != "c" {
		t.Errorf("element fw = %+v, want patients left out and technology kept", e)
	}
	if back.System.Released != "" {
		t.Errorf("released = %q, want it left out", back.System.Released)
	}
	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{"interfaces 1 from the ward_interfaces attribute", "threat disposition 1 from ward_threats", "ward_patients of elements 0", "ward_released is not valid"} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
}

// otmCornersModel returns a small model with what the example model lacks:
// threats on interfaces, a dependency, a flow without a name, and
// dispositions between hand-written threats.
func otmCornersModel() *model.Model {
	return &model.Model{Ward: 1,
		System: model.System{ID: "Pump-System", Name: "Pump", Lifecycle: "development", Document: model.Document{ID: "TM-1", Version: "1"}},
		Elements: []model.Element{
			{ID: "fw", Kind: "process", Name: "Firmware", Technology: model.Technology{Language: "c", OS: "zephyr"}, Patients: "one",
				Scope: model.Scope{Out: true, Reason: "covered by the firmware model"}},
			{ID: "app", Kind: "process", Name: "App"},
		},
		Flows:        []model.Flow{{ID: "app-to-fw", From: "app", To: "fw", Integrity: boolPtr(true), ReplayProtection: boolPtr(false)}},
		Interfaces:   []model.Interface{{ID: "swd", Of: "fw", Kind: "swd", Exposure: "board", Debug: true}},
		Dependencies: []model.Dependency{{ID: "zephyr", Name: "Zephyr RTOS", Version: "3.7.0"}},
		Threats: []model.ThreatEntry{
			{Match: "hw.*@swd", Status: "mitigated", Justification: "fused"},
			{ID: "T-SWD", Title: "SWD left open", Element: "swd", Status: "open", Vector: "physical"},
			{Match: "*@app", Status: "accepted", Justification: "low value"},
			{ID: "T-RTOS", Title: "RTOS flaw reached over SWD", Element: "swd"},
		},
	}
}
