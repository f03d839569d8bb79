package evidence

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/pipeline"
	"github.com/wardtm/ward/internal/report"
)

const exampleModel = "../../examples/insulin-pump/ward.yaml"

// assessmentDate is a date within a year of the example's last review, so
// the yearly review counts as done.
var assessmentDate = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// TestScanWardReport renders the example's report with the report package
// and checks that every item is covered in each format.
func TestScanWardReport(t *testing.T) {
	a, diags, err := pipeline.Run(exampleModel, pipeline.Options{Date: assessmentDate, Tool: "test"})
	if err != nil || diags.HasErrors() {
		t.Fatalf("pipeline.Run(%s): %v %v", exampleModel, err, diags)
	}
	dir := t.TempDir()
	if _, err := report.Render(context.Background(), a, dir, report.Options{Formats: []string{"html", "md", "pdf"}}); err != nil {
		t.Fatalf("report.Render: %v", err)
	}

	res := scanDir(t, dir, Options{})
	if len(res.Documents) != 3 {
		t.Fatalf("found %d documents, want the HTML, Markdown and PDF reports", len(res.Documents))
	}
	for _, d := range res.Documents {
		t.Run(d.Path, func(t *testing.T) {
			if d.Kind != KindWardReport {
				t.Errorf("kind = %s (%s), want %s", d.Kind, d.Reason, KindWardReport)
			}
			if d.State != Assessed {
				t.Fatalf("state = %s (%s), want assessed", d.State, d.Problem)
			}
			for _, it := range d.Items {
				if it.Status != Covered {
					t.Errorf("item %s = %s (%s), want covered", it.ID, it.Status, it.Reason)
				}
			}
			checkQuotes(t, d)
		})
	}
	if c, w, m := res.Counts(); w+m > 0 {
		t.Errorf("set counts = %d covered, %d weak, %d missing; want all covered", c, w, m)
	}
}

// TestScanWardModel checks that a Ward model runs through the pipeline and
// its conformance results become item results that quote model lines.
func TestScanWardModel(t *testing.T) {
	src, err := os.ReadFile(exampleModel)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"model/ward.yaml":  src,
		"broken/ward.yaml": []byte("ward: 1\nsystem:\n  id: x\nelements:\n  - id: a\n    kind: nonsense\n"),
	})
	res := scanDir(t, dir, Options{Date: assessmentDate})

	d := documentAt(t, res, "model/ward.yaml")
	if d.Kind != KindWardModel || d.State != Assessed {
		t.Fatalf("model/ward.yaml: kind %s, state %s (%s); want an assessed Ward model", d.Kind, d.State, d.Problem)
	}
	for _, it := range d.Items {
		if it.Status != Covered {
			t.Errorf("item %s = %s (%s), want covered", it.ID, it.Status, it.Reason)
		}
		for _, q := range it.Evidence {
			if q.File != "model/ward.yaml" || q.Line == 0 {
				t.Errorf("item %s quote %+v, want a line of model/ward.yaml", it.ID, q)
			}
		}
	}

	bad := documentAt(t, res, "broken/ward.yaml")
	if bad.State != Invalid || bad.Problem == "" {
		t.Errorf("broken/ward.yaml: state %s (%s), want invalid with the first error", bad.State, bad.Problem)
	}
}

// TestScanWardModelMapping checks the mapping of failed checks: a model
// without board connections gets that item missing, and the model still
// counts for the set.
func TestScanWardModelMapping(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"ward.yaml": []byte(`ward: 1
system:
  id: tiny
  name: Tiny
  document: {id: TM-1, version: "1"}
  lifecycle: development
elements:
  - id: app
    name: App
    kind: process
  - id: user
    name: User
    kind: entity
flows:
  - id: f1
    from: user
    to: app
`)})
	res := scanDir(t, dir, Options{Date: assessmentDate})
	d := documentAt(t, res, "ward.yaml")
	if d.State != Assessed {
		t.Fatalf("state = %s (%s), want assessed", d.State, d.Problem)
	}
	if got := itemOf(t, d.Items, "tm.exists"); got.Status != Covered {
		t.Errorf("tm.exists = %s (%s), want covered", got.Status, got.Reason)
	}
	if got := itemOf(t, d.Items, "tm.board-connections"); got.Status != Missing || got.Add == "" {
		t.Errorf("tm.board-connections = %s with add %q, want missing with a fix", got.Status, got.Add)
	}
}

func TestScanWarnsOfMixedSystems(t *testing.T) {
	model := func(id, name string) []byte {
		return []byte("ward: 1\nsystem:\n  id: " + id + "\n  name: " + name + "\n  document: {id: TM-1, version: \"1\"}\n  lifecycle: development\n" +
			"elements:\n  - id: app\n    name: App\n    kind: process\n")
	}
	tests := []struct {
		name  string
		files map[string][]byte
		warn  bool
	}{
		{"one system", map[string][]byte{"a/ward.yaml": model("pump", "Pump"), "b/ward.yaml": model("pump", "Pump")}, false},
		{"two systems", map[string][]byte{"a/ward.yaml": model("pump", "Pump"), "b/ward.yaml": model("hub", "Hub")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			res := scanDir(t, dir, Options{Date: assessmentDate})
			if got := len(res.Notes) > 0; got != tt.warn {
				t.Fatalf("notes = %q, want a mixed-systems warning: %v", res.Notes, tt.warn)
			}
			if tt.warn && (!strings.Contains(res.Notes[0], "Pump (a/ward.yaml)") || !strings.Contains(res.Notes[0], "Hub (b/ward.yaml)")) {
				t.Errorf("note %q does not name both systems with their documents", res.Notes[0])
			}
			var text bytes.Buffer
			if err := WriteText(&text, res); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(text.String(), "warning: the folder holds threat models of 2 systems"); got != tt.warn {
				t.Errorf("text output shows the warning: %v, want %v\n%s", got, tt.warn, text.String())
			}
		})
	}
}
