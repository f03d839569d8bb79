package interop

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wardtm/ward/internal/model"
)

// readFileIfPresent reads a seed file; the corpus may be absent.
func readFileIfPresent(path string) ([]byte, error) { return os.ReadFile(path) }

// TestThreatclHCLMatchesJSON imports tm1.hcl and its JSON twin tm1.json.
// The two files differ only in the control of "Crown theft": the JSON has
// an expanded_control "Guard", the HCL a control "Lots of Guards" with
// implemented = true, notes and a risk reduction. Everything else must map
// to the same model.
func TestThreatclHCLMatchesJSON(t *testing.T) {
	fromJSON := importFile(t, corpusFile(t, "threatcl/tm1.json"))
	fromHCL := importFile(t, corpusFile(t, "threatcl/tm1.hcl"))
	writeAndParse(t, fromHCL)

	opts := []cmp.Option{
		cmpopts.IgnoreTypes(model.Source{}),
		cmpopts.IgnoreFields(model.Model{}, "Controls"),
		cmpopts.IgnoreFields(model.ThreatEntry{}, "Controls"),
	}
	if diff := cmp.Diff(fromJSON.Model, fromHCL.Model, opts...); diff != "" {
		t.Errorf("Import(tm1.json) and Import(tm1.hcl) differ (-json +hcl):\n%s", diff)
	}
	if diff := cmp.Diff(fromJSON.Report.Counts, fromHCL.Report.Counts); diff != "" {
		t.Errorf("report counts differ (-json +hcl):\n%s", diff)
	}
	if diff := cmp.Diff(fromJSON.Report.Dropped, fromHCL.Report.Dropped); diff != "" {
		t.Errorf("dropped lists differ (-json +hcl):\n%s", diff)
	}

	if c := fromJSON.Model.Controls; len(c) != 1 || c[0].ID != "guard" || c[0].Status != "" {
		t.Errorf("JSON controls = %+v, want guard without status", c)
	}
	c := fromHCL.Model.Controls
	if len(c) != 1 || c[0].ID != "lots-of-guards" || c[0].Status != "implemented" || c[0].Description != "Lots of guards patrol the area" {
		t.Fatalf("HCL controls = %+v, want lots-of-guards, implemented", c)
	}
	if got := fromHCL.Notes.ItemNotes("controls", "lots-of-guards"); !slices.Contains(got, "threatcl risk reduction: 80") ||
		!slices.Contains(got, "threatcl implementation notes: They are trained to be guards as well") {
		t.Errorf("control notes = %q", got)
	}
	if th := fromHCL.Model.Threats[0]; !slices.Equal(th.Controls, []string{"lots-of-guards"}) {
		t.Errorf("HCL threat controls = %v", th.Controls)
	}
	if got := fromHCL.Notes.ItemNotes("system", ""); !slices.Contains(got, "threatcl attribute network_segment: dmz") {
		t.Errorf("system notes = %q, want the additional attribute", got)
	}
}

func TestThreatclHCLSelect(t *testing.T) {
	path := corpusFile(t, "threatcl/tm1.hcl")
	res, err := Import(path, readFile(t, path), "", Options{Select: "Fort Knox"})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := writeAndParse(t, res)
	if m.System.Name != "Fort Knox" || len(m.Data) != 1 || m.Data[0].ID != "gold" {
		t.Errorf("selected model = %q with data %+v", m.System.Name, m.Data)
	}
	if c := m.Controls; len(c) != 1 || c[0].ID != "big-wall" || c[0].Status != "implemented" {
		t.Errorf("controls = %+v", c)
	}
}

func TestThreatclDiagram(t *testing.T) {
	res := importFile(t, corpusFile(t, "threatcl/tm2.hcl"))
	m, _ := writeAndParse(t, res)

	if m.System.Name != "Modelly model" || m.System.Document.Owner != "@xntrik" {
		t.Errorf("system = %q owned by %q", m.System.Name, m.System.Document.Owner)
	}
	if b := boundaryByID(m, "aws"); b == nil || b.Kind != "cloud" || b.Name != "AWS" {
		t.Errorf("boundary aws = %+v", b)
	}
	if b := boundaryByID(m, "browser"); b == nil || b.Kind != "network" {
		t.Errorf("boundary browser = %+v", b)
	}
	placements := []struct{ id, kind, boundary string }{
		{"client", "process", "browser"},
		{"web-server", "process", "aws"},
		{"logs", "store", "aws"},
		{"sqlite", "store", "aws"},
		{"google-analytics", "entity", ""},
		{"modelly-model", "process", ""},
	}
	for _, p := range placements {
		e := elementByID(m, p.id)
		if e == nil || e.Kind != p.kind || e.Boundary != p.boundary {
			t.Errorf("element %s = %+v, want kind %s in %q", p.id, e, p.kind, p.boundary)
		}
	}
	flows := []struct{ id, from, to, protocol string }{
		{"client-to-google-analytics", "client", "google-analytics", "https"},
		{"client-to-web-server", "client", "web-server", "https"},
		{"web-server-to-sqlite", "web-server", "sqlite", "https"},
		{"sqlite-to-web-server", "sqlite", "web-server", "https"},
		{"web-server-to-logs", "web-server", "logs", "tcp"},
	}
	for _, f := range flows {
		got := flowByID(m, f.id)
		if got == nil || got.From != f.from || got.To != f.to || got.Protocol.Name != f.protocol {
			t.Errorf("flow %s = %+v, want %s -> %s over %s", f.id, got, f.from, f.to, f.protocol)
		}
	}
	th := threatByID(m, "threaty-threat")
	if th == nil || th.STRIDE != "spoofing" || th.Element != "modelly-model" || len(th.Controls) != 1 {
		t.Fatalf("threat = %+v", th)
	}
	// The description comes from an imported control library Ward does
	// not read, so it stays empty and the report says why.
	if c := m.Controls[0]; c.ID != "important-control" || c.Description != "" || c.Status != "planned" {
		t.Errorf("control = %+v", c)
	}
	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{"tm2.hcl:12:22: import.control.control_name.description was not evaluated", "imports control-library/othercontrols.hcl"} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
	if !slices.Contains(res.Notes.ItemNotes("threats", "threaty-threat"), "further threatcl STRIDE categories: Elevation of privilege") {
		t.Errorf("threat notes = %q", res.Notes.ItemNotes("threats", "threaty-threat"))
	}
}

// TestThreatclLegacyHCL covers the older threatcl layout and the value
// forms of the HCL subset, in a file of our own.
func TestThreatclLegacyHCL(t *testing.T) {
	res := importFile(t, "testdata/legacy.threatcl.hcl")
	m, _ := writeAndParse(t, res)

	if m.System.Name != "Pumpe für Kinder" || m.System.ID != "pumpe-fur-kinder" {
		t.Errorf("system = %q (%s)", m.System.Name, m.System.ID)
	}
	if want := "Insulin pump with a phone app.\n  Indented line stays indented."; m.System.Description != want {
		t.Errorf("heredoc description = %q, want %q", m.System.Description, want)
	}
	if m.System.IntendedUse != "A parent doses a child\nA clinician reviews history" {
		t.Errorf("intended use = %q", m.System.IntendedUse)
	}
	if len(m.Assumptions) != 1 || m.Assumptions[0].Text != "Out of scope: Hospital networks" {
		t.Errorf("assumptions = %+v", m.Assumptions)
	}
	if d := dataByID(m, "dosis"); d == nil || d.Description != "Bolus and basal \"rates\"\tper patient" || d.Confidentiality != "high" {
		t.Errorf("data dosis = %+v", d)
	}

	// The legacy diagram places elements with trust_zone attributes; the
	// v2 diagram names Phone app and Parent again, which stay one element.
	if e := elementByID(m, "pump-firmware"); e == nil || e.Boundary != "pump-enclosure" {
		t.Errorf("pump-firmware = %+v", e)
	}
	if e := elementByID(m, "dose-log"); e == nil || e.Kind != "store" || !slices.Equal(e.Stores, []string{"dosis"}) {
		t.Errorf("dose-log = %+v", e)
	}
	if k := kindCounts(m); k["process"] != 3 || k["store"] != 1 || k["entity"] != 1 {
		t.Errorf("kinds = %v, want 3 processes (2 + system), 1 store, 1 entity", k)
	}
	if f := flowByID(m, "phone-app-to-pump-firmware"); f == nil || f.Protocol.Name != "ble" {
		t.Errorf("BLE flow = %+v", f)
	}
	if f := flowByID(m, "parent-to-phone-app"); f == nil || f.Protocol.Name != "manual" {
		t.Errorf("manual flow = %+v", f)
	}
	if len(m.Flows) != 3 {
		t.Errorf("flows = %v, want 3", listFlowIDs(m))
	}

	// Unlabelled threats take their title from the description.
	th := threatByID(m, "someone-replays-a-bolus-command-over-ble")
	if th == nil {
		t.Fatalf("threat missing; threats: %+v", m.Threats)
	}
	if th.Title != "Someone replays a bolus command over BLE" || th.STRIDE != "tampering" || th.Impact.Integrity != "high" || th.Impact.Availability != "high" {
		t.Errorf("threat = %+v", th)
	}
	if !slices.Equal(th.Controls, []string{"use-le-secure-connections", "sign-every-command"}) {
		t.Errorf("threat controls = %v", th.Controls)
	}
	if c := m.Controls[1]; c.Status != "planned" {
		t.Errorf("proposed control = %+v, want planned", c)
	}
	if threatByID(m, "firmware-is-read-out-over-swd") == nil {
		t.Errorf("second unlabelled threat missing")
	}
	if !strings.Contains(strings.Join(res.Report.Dropped, "\n"), `legacy.threatcl.hcl:68:5: flow "nowhere" from "Phone app" to "Cloud"`) {
		t.Errorf("dropped = %q", res.Report.Dropped)
	}
	if got := res.Notes.ItemNotes("system", ""); !slices.Contains(got, "threatcl created_at: 2023-11-14") {
		t.Errorf("system notes = %q", got)
	}
}

func TestThreatclUnresolvedReferences(t *testing.T) {
	res := importFile(t, "testdata/unresolved.threatcl.hcl")
	m, _ := writeAndParse(t, res)
	if m.System.Document.Owner != "" {
		t.Errorf("owner = %q, want empty: var.owner is not evaluated", m.System.Document.Owner)
	}
	if m.System.Description != "Uses ${var.owner} in text" {
		t.Errorf("description = %q, want the template text kept", m.System.Description)
	}
	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{
		"unresolved.threatcl.hcl:8:12: var.owner was not evaluated",
		`unresolved.threatcl.hcl:9:17: "Uses ${var.owner} in text" was not evaluated`,
		`unresolved.threatcl.hcl:14:19: lookup(var.map, "key") was not evaluated`,
		"variable blocks",
		`including "base.hcl"`,
	} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
	notes := res.Notes.ItemNotes("system", "")
	if !slices.Contains(notes, "threatcl attribute size: Small") || !slices.Contains(notes, "threatcl attribute internet_facing: true") {
		t.Errorf("system notes = %q", notes)
	}
}

func TestThreatclHCLErrorsNameTheFile(t *testing.T) {
	tests := []struct {
		name, data, code string
		line             int
	}{
		{"broken", "spec_version = \"0.7.0\"\nthreatmodel \"x\" {\n  author = \"a\"\n", "invalid-hcl", 4},
		{"no models", "spec_version = \"0.7.0\"\n", "invalid-threatcl", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []Format{"", Threatcl} {
				_, err := importBytes(t, tt.name+".hcl", format, tt.data)
				d := firstDiag(t, err)
				if d.Code != tt.code || d.Pos.File != tt.name+".hcl" || d.Pos.Line != tt.line {
					t.Errorf("format %q: diagnostic = %v, want %s at line %d", format, d, tt.code, tt.line)
				}
			}
		})
	}
}
