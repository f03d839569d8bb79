package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGoldenExample(t *testing.T) {
	out := renderAll(t, assessExample(t))
	golden(t, "insulin-pump.md", out["md"])
	golden(t, "insulin-pump.json", out["json"])
}

func TestRenderDeterministic(t *testing.T) {
	a := assessExample(t)
	first := renderAll(t, a)
	second := renderAll(t, a)
	for _, f := range Formats {
		if !bytes.Equal(first[f], second[f]) {
			t.Errorf("%s output differs between two runs on the same assessment", f)
		}
	}
}

func TestFileNames(t *testing.T) {
	dir := t.TempDir()
	paths, err := Render(context.Background(), assessExample(t), dir, Options{Formats: []string{"md", "json"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "Threat-Model-tidewater.md"), filepath.Join(dir, "assessment.json")}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("Render paths = %v, want %v", paths, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("output folder has %d entries, want only the 2 files (no temporary files left)", len(entries))
	}
}

func TestDocumentSections(t *testing.T) {
	a := assessExample(t)
	doc, err := Build(context.Background(), a, renderer(t), "2026-11-19")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range doc.Sections {
		got = append(got, s.Key)
	}
	want := []string{"document-control", "scope", "assumptions", "methodology", "architecture-views", "inventory", "controls",
		"threat-register", "risk", "coverage", "vulnerabilities", "security-issues", "reviews", "conformance", "audit-statement"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("section order\n got %v\nwant %v", got, want)
	}

	for _, r := range a.Conformance {
		if r.Requirement.Section != "" && doc.Find(r.Requirement.Section) == nil {
			t.Errorf("requirement %s names section %q, which the document lacks", r.Requirement.ID, r.Requirement.Section)
		}
	}

	views := doc.Find("architecture-views")
	figures := 0
	for _, sub := range views.Subs {
		for _, b := range sub.Blocks {
			if f, ok := b.(*Figure); ok && f.SVG != nil && f.Drawing != nil && f.Mermaid != "" {
				figures++
			}
		}
	}
	if figures < 4 {
		t.Errorf("architecture views have %d complete figures, want at least 4 (global, multi-patient, update, a use case)", figures)
	}
}

func TestHostileNames(t *testing.T) {
	a := assessModel(t, hostileModel())
	out := renderAll(t, a)

	html := string(out["html"])
	for _, bad := range []string{"<script", "<img", "onerror=alert(1)>"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML contains %q unescaped", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;") {
		t.Error("HTML does not show the hostile text escaped")
	}

	md := string(out["md"])
	for _, bad := range []string{"<script", "<img", "**bold**", "[link](", "| cell |", "`code`"} {
		if containsUnescaped(md, bad) {
			t.Errorf("Markdown contains %q unescaped", bad)
		}
	}
	if !strings.Contains(md, `\<script\>alert("pwned")\</script\>`) {
		t.Error("Markdown does not show the hostile text escaped")
	}

	f, err := excelize.OpenReader(bytes.NewReader(out["xlsx"]))
	if err != nil {
		t.Fatalf("opening XLSX: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Issues")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[1][1] != hostileText {
		t.Errorf("XLSX issue title = %q, want the hostile text literally", rows[1])
	}
	cellType, err := f.GetCellType("Issues", "B2")
	if err != nil {
		t.Fatal(err)
	}
	if cellType == excelize.CellTypeFormula {
		t.Error("XLSX stored hostile text as a formula")
	}
	formula, err := f.GetCellFormula("Issues", "B2")
	if err != nil || formula != "" {
		t.Errorf("XLSX cell B2 formula = %q, %v; want none", formula, err)
	}

	if !bytes.HasPrefix(out["pdf"], []byte("%PDF-")) {
		t.Error("PDF output does not start with %PDF-")
	}
}

func TestFromAssessmentJSON(t *testing.T) {
	a := assessExample(t)
	out := renderAll(t, a)

	back, err := ReadAssessment(bytes.NewReader(out["json"]))
	if err != nil {
		t.Fatalf("ReadAssessment: %v", err)
	}
	again := renderAll(t, back)
	for _, f := range Formats {
		if !bytes.Equal(out[f], again[f]) {
			t.Errorf("%s rendered from assessment.json differs from the original", f)
		}
	}
}

func TestReadAssessmentRejects(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"not json", "hello", "reading assessment"},
		{"other schema", `{"schema":"ward.assessment/v0","model":{}}`, "schema"},
		{"no model", `{"schema":"ward.assessment/v1"}`, "no model"},
		{"bad date", `{"schema":"ward.assessment/v1","model":{},"date":"19.11.2026"}`, "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadAssessment(strings.NewReader(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadAssessment error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestParseFormats(t *testing.T) {
	got, err := ParseFormats("md, JSON,md")
	if err != nil || strings.Join(got, ",") != "md,json" {
		t.Errorf("ParseFormats = %v, %v; want [md json]", got, err)
	}
	if _, err := ParseFormats("docx"); err == nil || !strings.Contains(err.Error(), "html, pdf, md, xlsx, json") {
		t.Errorf("ParseFormats(docx) error = %v, want it to list the formats", err)
	}
	all, _ := ParseFormats("")
	if len(all) != len(Formats) {
		t.Errorf("ParseFormats(\"\") = %v, want every format", all)
	}
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{"tidewater": "tidewater", "../../etc/passwd": "_.._etc_passwd", "": "system", "a b/c": "a_b_c"} {
		if got := safeFileName(in); got != want {
			t.Errorf("safeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// containsUnescaped reports whether s contains sub without a backslash
// before it.
func containsUnescaped(s, sub string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return false
		}
		if i+j == 0 || s[i+j-1] != '\\' {
			return true
		}
		i += j + 1
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff", path)
	}
}
