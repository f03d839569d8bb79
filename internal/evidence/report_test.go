package evidence

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/pipeline"
	"github.com/wardtm/ward/internal/report"
)

// failingModel is a valid model whose check fails tm.cia (dose-log has no
// CIA rating) and tm.security-issues (no issues), and passes
// issues.handling only because there is no issue to examine. It declares
// tm.board-connections not applicable with a reason.
const failingModel = `ward: 1
system:
  id: infusion-hub
  name: Infusion hub
  document: {id: TM-IH-1, version: "2"}
  lifecycle: development
  not_applicable:
    tm.board-connections: the hub is a cloud service with no hardware of its own
data:
  - id: dose-log
    name: Dose log
    category: therapy
elements:
  - id: hub
    name: Hub service
    kind: process
  - id: nurse
    name: Nurse
    kind: entity
  - id: db
    name: Dose database
    kind: store
flows:
  - id: f1
    from: nurse
    to: hub
    data: [dose-log]
  - id: f2
    from: hub
    to: db
    data: [dose-log]
`

// renderReport writes model into a temporary folder, runs the pipeline and
// renders the report in the given formats into dir.
func renderReport(t *testing.T, model, dir string, formats ...string) *assessment.Assessment {
	t.Helper()
	src := filepath.Join(t.TempDir(), "ward.yaml")
	if err := os.WriteFile(src, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	a, diags, err := pipeline.Run(src, pipeline.Options{Date: assessmentDate, Tool: "test"})
	if err != nil || diags.HasErrors() {
		t.Fatalf("pipeline.Run(%s): %v %v", src, err, diags)
	}
	if _, err := report.Render(context.Background(), a, dir, report.Options{Formats: formats}); err != nil {
		t.Fatalf("report.Render: %v", err)
	}
	return a
}

// wantStatus maps a conformance result to the status the scan must give
// it when it reads a Ward report.
func wantStatus(r assessment.Result) string {
	switch {
	case r.Status == assessment.Pass && vacuousPass(r.Message, len(r.Evidence)):
		return Missing
	case r.Status == assessment.Pass, r.Status == assessment.NotApplicable:
		return Covered
	case r.Status == assessment.Warning:
		return Weak
	}
	return Missing
}

func conformanceOf(t *testing.T, a *assessment.Assessment, id string) assessment.Result {
	t.Helper()
	for _, r := range a.Conformance {
		if r.Requirement.ID == id {
			return r
		}
	}
	t.Fatalf("no conformance result for %s", id)
	return assessment.Result{}
}

// TestScanFailingReport checks that a report is scored by its own
// conformance matrix, not by its headings. The model behind it fails
// tm.cia and tm.security-issues and passes issues.handling vacuously. So
// none of the three may be covered, although the report has a section on
// each.
func TestScanFailingReport(t *testing.T) {
	dir := t.TempDir()
	a := renderReport(t, failingModel, dir, "html", "md", "pdf")
	res := scanDir(t, dir, Options{})
	sections := itemSections()
	if len(res.Documents) != 3 {
		t.Fatalf("found %d documents, want the HTML, Markdown and PDF reports", len(res.Documents))
	}

	for _, d := range res.Documents {
		t.Run(d.Path, func(t *testing.T) {
			if d.Kind != KindWardReport || d.State != Assessed {
				t.Fatalf("kind %s, state %s (%s); want an assessed Ward report", d.Kind, d.State, d.Problem)
			}
			for _, it := range d.Items {
				r := conformanceOf(t, a, it.ID)
				if want := wantStatus(r); it.Status != want {
					t.Errorf("item %s = %s (%s), want %s: the report's matrix says %s: %s", it.ID, it.Status, it.Reason, want, r.Status, r.Message)
				}
				if it.Check == nil {
					t.Errorf("item %s has no check result", it.ID)
					continue
				}
				if it.Check.Status != r.Status || it.Check.Source != SourceMatrix {
					t.Errorf("item %s check = %s from %s, want %s from the %s", it.ID, it.Check.Status, it.Check.Source, r.Status, SourceMatrix)
				}
				// A PDF wraps long cells, and its reader can split a
				// word where a line ends, so only the letters must match.
				same := func(a, b string) bool { return a == b }
				if strings.HasSuffix(d.Path, ".pdf") {
					same = func(a, b string) bool { return strings.ReplaceAll(a, " ", "") == strings.ReplaceAll(b, " ", "") }
				}
				if !same(it.Check.Message, r.Message) || !same(it.Check.Fix, r.Fix) {
					t.Errorf("item %s check message %q, fix %q; want %q, %q", it.ID, it.Check.Message, it.Check.Fix, r.Message, r.Fix)
				}
				// The quotes point at the section that documents the
				// item, never at the conformance matrix, which only gives
				// the verdict.
				title := sections[it.ID].Title
				if len(it.Evidence) == 0 || sectionNumber.ReplaceAllString(it.Evidence[0].Text, "") != title {
					t.Errorf("item %s quotes %v, want the heading of section %q first", it.ID, it.Evidence, title)
				}
				for _, q := range it.Evidence {
					if strings.Contains(strings.ReplaceAll(q.Text, " ", ""), it.ID+"|") {
						t.Errorf("item %s quotes its matrix row %q at %s", it.ID, q.Text, q.Location())
					}
				}
			}
			for _, id := range []string{"tm.cia", "tm.security-issues", "issues.handling"} {
				if got := itemOf(t, d.Items, id); got.Status != Missing {
					t.Errorf("item %s = %s (%s), want missing", id, got.Status, got.Reason)
				}
			}
			if got := itemOf(t, d.Items, "tm.board-connections"); got.Status != Covered || !strings.Contains(got.Reason, "no hardware of its own") {
				t.Errorf("tm.board-connections = %s (%s), want covered by the reason it does not apply", got.Status, got.Reason)
			}
			cia := itemOf(t, d.Items, "tm.cia")
			if want := conformanceOf(t, a, "tm.cia").Fix; !strings.Contains(cia.Add, want[:30]) {
				t.Errorf("tm.cia add = %q, want the check's fix %q", cia.Add, want)
			}
			if h := itemOf(t, d.Items, "issues.handling"); !strings.Contains(h.Reason, "not-checked, nothing was examined") {
				t.Errorf("issues.handling reason = %q, want it to say that no issue was examined", h.Reason)
			}
			checkQuotes(t, d)
		})
	}

	for _, id := range []string{"tm.cia", "tm.security-issues", "issues.handling"} {
		if got := itemOf(t, res.Items, id); got.Status != Missing {
			t.Errorf("set item %s = %s (%s), want missing", id, got.Status, got.Reason)
		}
	}
}

// TestScanReportAssessmentJSON checks that assessment.json next to a
// report of the same system gives the conformance results, and that one of
// another system is ignored.
func TestScanReportAssessmentJSON(t *testing.T) {
	same := t.TempDir()
	a := renderReport(t, failingModel, same, "html", "md", "json")
	res := scanDir(t, same, Options{})
	if len(res.Documents) != 3 {
		t.Fatalf("found %d documents, want the HTML and Markdown reports and assessment.json", len(res.Documents))
	}
	input := documentAt(t, res, "assessment.json")
	if input.Kind != KindAssessment || input.State != Input {
		t.Errorf("assessment.json kind %s state %s, want %s %s", input.Kind, input.State, KindAssessment, Input)
	}
	for _, report := range []string{"Threat-Model-infusion-hub.html", "Threat-Model-infusion-hub.md"} {
		if !strings.Contains(input.Problem, report) {
			t.Errorf("assessment.json problem = %q, want it to name %s", input.Problem, report)
		}
	}
	for _, d := range res.Documents {
		for _, it := range d.Items {
			r := conformanceOf(t, a, it.ID)
			if it.Check == nil || it.Check.Source != SourceAssessment || it.Check.Message != r.Message || it.Check.Fix != r.Fix {
				t.Errorf("%s item %s check = %+v, want %s with message %q and fix %q", d.Path, it.ID, it.Check, SourceAssessment, r.Message, r.Fix)
			}
			if want := wantStatus(r); it.Status != want {
				t.Errorf("%s item %s = %s (%s), want %s", d.Path, it.ID, it.Status, it.Reason, want)
			}
		}
	}

	// The report of the failing model next to the assessment.json of
	// another system.
	other := t.TempDir()
	renderReport(t, failingModel, other, "md")
	renderReport(t, strings.Replace(failingModel, "name: Infusion hub", "name: Infusion hub 2", 1), other, "json")
	res = scanDir(t, other, Options{})
	d := documentAt(t, res, "Threat-Model-infusion-hub.md")
	cia := itemOf(t, d.Items, "tm.cia")
	if cia.Check == nil || cia.Check.Source != SourceMatrix || cia.Status != Missing {
		t.Errorf("tm.cia = %s with check %+v, want missing from the %s", cia.Status, cia.Check, SourceMatrix)
	}
	if !strings.Contains(d.Reason, "assessment.json is not used") || !strings.Contains(d.Reason, "Infusion hub 2") {
		t.Errorf("reason = %q, want it to say why assessment.json is not used", d.Reason)
	}
	unused := documentAt(t, res, "assessment.json")
	if unused.State != Unused || !strings.Contains(unused.Problem, "Infusion hub 2") {
		t.Errorf("assessment.json state %s (%s), want %s naming the other system", unused.State, unused.Problem, Unused)
	}
}

// TestScanReportWithoutMatrix checks that a document that carries the
// report marker but no conformance matrix covers nothing.
func TestScanReportWithoutMatrix(t *testing.T) {
	dir := t.TempDir()
	doc := "# Threat model\n\n## Data flows\n\nThe pump sends PHI to the app.\n\n## Audit statement\n\nIt was " + reportMarker + " kept under version control.\n"
	writeFiles(t, dir, map[string][]byte{"Threat-Model.md": []byte(doc)})
	d := documentAt(t, scanDir(t, dir, Options{}), "Threat-Model.md")
	if d.Kind != KindWardReport {
		t.Fatalf("kind = %s, want %s", d.Kind, KindWardReport)
	}
	for _, it := range d.Items {
		if it.Status != Missing || !strings.Contains(it.Reason, "conformance matrix") {
			t.Errorf("item %s = %s (%s), want missing because the matrix is absent", it.ID, it.Status, it.Reason)
		}
	}
}

// TestScanWardModelVacuousPass checks that a check which examined nothing
// is not evidence when a Ward model is scanned.
func TestScanWardModelVacuousPass(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"ward.yaml": []byte(failingModel)})
	res := scanDir(t, dir, Options{Date: assessmentDate})
	d := documentAt(t, res, "ward.yaml")
	if d.State != Assessed {
		t.Fatalf("state = %s (%s), want assessed", d.State, d.Problem)
	}

	h := itemOf(t, d.Items, "issues.handling")
	if h.Status != Missing || !strings.Contains(h.Reason, "nothing was examined") || h.Check == nil || h.Check.Status != assessment.NotChecked || h.Add == "" {
		t.Errorf("issues.handling = %s (%s) with add %q; want missing, naming the empty check, with a fix", h.Status, h.Reason, h.Add)
	}
	cia := itemOf(t, d.Items, "tm.cia")
	if cia.Status != Weak || cia.Check == nil || cia.Check.Status != assessment.Fail || cia.Check.Fix == "" || cia.Add != cia.Check.Fix {
		t.Errorf("tm.cia = %s with check %+v and add %q; want weak with the failing check's message and fix", cia.Status, cia.Check, cia.Add)
	}
	if got := itemOf(t, res.Items, "tm.cia"); !strings.Contains(got.Reason, "dose-log") || got.Add == "" {
		t.Errorf("set tm.cia reason %q, add %q; want the check's message naming dose-log and its fix", got.Reason, got.Add)
	}
	if got := itemOf(t, d.Items, "tm.exists"); got.Status != Covered {
		t.Errorf("tm.exists = %s (%s), want covered", got.Status, got.Reason)
	}
}

func TestVacuousPass(t *testing.T) {
	tests := []struct {
		message  string
		evidence int
		want     bool
	}{
		{"0 issues carry the clause 9.4 assessment and 9.5 disclosure fields", 0, true},
		{"all 0 flows crossing trust boundaries state authentication and encryption", 0, true},
		{"every one of 0 threats has a disposition", 0, true},
		{"0 issues carry the fields", 2, false},
		{"3 external ports, 0 of them debug ports", 0, false},
		{"0 of 4 threats are open", 0, false},
		{"5 security-related issues documented", 0, false},
		{"threat model TM-1 version 2 for Pump", 0, false},
		{`lifecycle is "development": the yearly review applies once the product is released`, 0, false},
		{"10 flows, each carrying categorized data from 0 data items", 0, false},
	}
	for _, tt := range tests {
		if got := vacuousPass(tt.message, tt.evidence); got != tt.want {
			t.Errorf("vacuousPass(%q, %d) = %v, want %v", tt.message, tt.evidence, got, tt.want)
		}
	}
}

func TestReadMatrix(t *testing.T) {
	txt := readMarkdown([]byte(matrixSeed), Limits{})
	rows, found := readMatrix("r.md", "line", txt.Blocks)
	if !found {
		t.Fatal("readMatrix found no matrix")
	}
	tests := []struct {
		id, status, message, fix string
		line                     int
	}{
		{"tm.cia", "fail", "1 data item without a complete CIA rating: d", "rate it", 7},
		{"tm.security-issues", "fail", "no issues", "or record under key tm.security-issues", 8},
		{"issues.handling", "pass", "0 issues carry the fields", "", 9},
	}
	for _, tt := range tests {
		r, ok := rows[tt.id]
		if !ok {
			t.Errorf("no row for %s", tt.id)
			continue
		}
		if r.status != tt.status || r.message != tt.message || r.fix != tt.fix {
			t.Errorf("row %s = %s, %q, fix %q; want %s, %q, fix %q", tt.id, r.status, r.message, r.fix, tt.status, tt.message, tt.fix)
		}
		if len(r.quotes) != 1 || r.quotes[0].Line != tt.line || !strings.HasPrefix(r.quotes[0].Text, tt.id+" | ") {
			t.Errorf("row %s quotes %+v, want the row at line %d", tt.id, r.quotes, tt.line)
		}
	}
	if len(rows) != len(tests) {
		t.Errorf("read %d rows, want %d", len(rows), len(tests))
	}
}
