package conformance_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/conformance"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
)

var checkDate = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

func run(t *testing.T, path string) *assessment.Assessment {
	t.Helper()
	a, diags, err := pipeline.Run(path, pipeline.Options{Date: checkDate})
	if err != nil {
		t.Fatalf("pipeline.Run(%s): %v", path, err)
	}
	if diags.HasErrors() || a == nil {
		t.Fatalf("pipeline.Run(%s) diagnostics:\n%v", path, diags)
	}
	return a
}

func resultOf(t *testing.T, a *assessment.Assessment, id string) assessment.Result {
	t.Helper()
	for _, r := range a.Conformance {
		if r.Requirement.ID == id {
			return r
		}
	}
	t.Fatalf("no result for requirement %s", id)
	return assessment.Result{}
}

var wantComment = regexp.MustCompile(`#\s*want:\s*([a-z0-9.-]+)`)

// wants returns, per requirement ID, the lines of path marked with a
// "# want: ID" comment.
func wants(t *testing.T, path string) map[string][]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if m := wantComment.FindStringSubmatch(sc.Text()); m != nil {
			out[m[1]] = append(out[m[1]], line)
		}
	}
	return out
}

func TestCheckSeededDefects(t *testing.T) {
	path := filepath.Join("testdata", "defects", "ward.yaml")
	a := run(t, path)

	for id, lines := range wants(t, path) {
		r := resultOf(t, a, id)
		if r.Status != assessment.Fail && r.Status != assessment.Warning {
			t.Errorf("%s: status %s, want fail or warning (message %q)", id, r.Status, r.Message)
			continue
		}
		if r.Fix == "" {
			t.Errorf("%s: failed without a fix", id)
		}
		for _, line := range lines {
			found := slices.ContainsFunc(r.Evidence, func(ev assessment.Evidence) bool {
				return ev.Line == line && strings.HasSuffix(ev.File, "ward.yaml")
			})
			if !found {
				t.Errorf("%s: no evidence at %s:%d; evidence: %+v", id, path, line, r.Evidence)
			}
		}
	}

	// Defects without a line of their own: missing sections.
	for _, id := range []string{"method.rationale", "fda.assumptions", "tm.board-connections", "review.team", "quality.dispositions"} {
		if r := resultOf(t, a, id); r.Status != assessment.Fail {
			t.Errorf("%s: status %s, want fail (message %q)", id, r.Status, r.Message)
		}
	}
}

func TestCheckExamplePasses(t *testing.T) {
	a := run(t, filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml"))
	for _, r := range a.Conformance {
		if r.Status == assessment.Fail {
			t.Errorf("%s failed on the example: %s", r.Requirement.ID, r.Message)
		}
	}
}

// TestCheckRemovedItemFails removes one clause 7.2 item at a time from the
// example and expects the matching requirement to fail with a fix.
func TestCheckRemovedItemFails(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml")
	tests := []struct {
		name   string
		remove func(m *model.Model)
		want   string
	}{
		{"interfaces", func(m *model.Model) { m.Interfaces = nil; dropThreatEntries(m) }, "tm.physical-ports"},
		{"board connections", func(m *model.Model) {
			m.Interfaces = slices.DeleteFunc(m.Interfaces, func(f model.Interface) bool { return f.Exposure != "external" })
			dropThreatEntries(m)
		}, "tm.board-connections"},
		{"reviews", func(m *model.Model) { m.Reviews = nil }, "review.team"},
		{"periodic review", func(m *model.Model) { m.Reviews = nil }, "review.yearly"},
		{"dependencies", func(m *model.Model) {
			m.Dependencies = nil
			for i := range m.Elements {
				m.Elements[i].Dependencies = nil
			}
			dropThreatEntries(m)
		}, "tm.dependencies"},
		{"issues", func(m *model.Model) { m.Issues = nil; dropThreatEntries(m) }, "tm.security-issues"},
		{"assumptions", func(m *model.Model) { m.Assumptions = nil }, "fda.assumptions"},
		{"methodology", func(m *model.Model) { m.System.Methodology = "" }, "method.rationale"},
		{"boundaries", func(m *model.Model) {
			m.Boundaries = nil
			for i := range m.Elements {
				m.Elements[i].Boundary = ""
			}
			dropThreatEntries(m)
		}, "tm.trust-boundaries"},
		{"stores", func(m *model.Model) {
			stores := map[string]bool{}
			for _, e := range m.Elements {
				if e.Kind == "store" {
					stores[e.ID] = true
				}
			}
			m.Elements = slices.DeleteFunc(m.Elements, func(e model.Element) bool { return stores[e.ID] })
			m.Flows = slices.DeleteFunc(m.Flows, func(f model.Flow) bool { return stores[f.From] || stores[f.To] })
			dropThreatEntries(m)
		}, "tm.data-stores"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags, err := model.Load(path, model.LoadOptions{})
			if err != nil || diags.HasErrors() {
				t.Fatalf("Load(%s): %v %v", path, err, diags)
			}
			tt.remove(m)
			a, diags, err := pipeline.Assess(m, pipeline.Options{Date: checkDate})
			if err != nil || a == nil {
				t.Fatalf("Assess: %v %v", err, diags)
			}
			r := resultOf(t, a, tt.want)
			if r.Status != assessment.Fail {
				t.Fatalf("%s: status %s after removing %s, want fail", tt.want, r.Status, tt.name)
			}
			if r.Fix == "" {
				t.Errorf("%s: no fix saying what to add", tt.want)
			}
		})
	}
}

// dropThreatEntries removes the dispositions and issue links, which would
// otherwise dangle once the items they name are gone.
func dropThreatEntries(m *model.Model) {
	m.Threats = slices.DeleteFunc(m.Threats, func(e model.ThreatEntry) bool { return e.Match != "" })
	for i := range m.Issues {
		m.Issues[i].Threats = nil
	}
	m.Views.UseCases = nil
	m.Views.Omit = map[string]string{"use-case": "test"}
}

func TestCatalogIDsUniqueAndTitled(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range conformance.Catalog() {
		if seen[r.ID] {
			t.Errorf("duplicate requirement ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Clause == "" || r.Section == "" {
			t.Errorf("%s: title, clause and section must all be set", r.ID)
		}
		if r.Title != strings.ToLower(r.Title[:1])+r.Title[1:] || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q should start lower case and end without a period", r.ID, r.Title)
		}
	}
}

func TestNotApplicableRecorded(t *testing.T) {
	m, diags := model.Parse("na.yaml", []byte(`ward: 1
system:
  id: app
  name: Health app
  document: {id: TM-1, version: "1"}
  lifecycle: development
  not_applicable:
    tm.board-connections: Software-only product with no circuit board of its own.
`), model.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}
	a, _, err := pipeline.Assess(m, pipeline.Options{Date: checkDate})
	if err != nil {
		t.Fatal(err)
	}
	r := resultOf(t, a, "tm.board-connections")
	if r.Status != assessment.NotApplicable || !strings.Contains(r.Message, "Software-only") {
		t.Errorf("tm.board-connections = %s %q, want not-applicable with the reason", r.Status, r.Message)
	}
}
