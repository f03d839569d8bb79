package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

const corpus = "../../../shared/corpus"

func requireCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus folder %s not found", corpus)
	}
}

// TestRunWithSBOMAndOSV lists a corpus SBOM under sboms: and matches the
// merged dependencies against the corpus OSV records.
func TestRunWithSBOMAndOSV(t *testing.T) {
	requireCorpus(t)
	dir := t.TempDir()
	sbom, err := os.ReadFile(filepath.Join(corpus, "sbom", "cyclonedx", "cern-lhc-vdm-editor-npm.bom.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.bom.json"), sbom, 0o644); err != nil {
		t.Fatal(err)
	}
	model := `ward: 1
system:
  id: web
  name: Web tool
  document: {id: TM-W, version: "1"}
  lifecycle: development
elements:
  - id: app
    kind: process
    name: App
sboms: [app.bom.json]
`
	path := filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(path, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}

	a, diags, err := Run(path, Options{
		Date:      time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC),
		VulnDB:    filepath.Join(corpus, "osv"),
		VulnIndex: filepath.Join(dir, "osv.idx"),
	})
	if err != nil || a == nil {
		t.Fatalf("Run: %v %v", err, diags)
	}
	if n := len(a.Model.Dependencies); n < 40 {
		t.Errorf("%d dependencies after merging the SBOM, want the SBOM's components (40 or more)", n)
	}
	if a.Vulnerabilities == nil || len(a.Vulnerabilities.Results) == 0 {
		t.Fatalf("no known vulnerabilities matched; want the minimist and ws advisories")
	}
	if !strings.HasPrefix(a.Vulnerabilities.Source, "OSV database as of ") {
		t.Errorf("source = %q", a.Vulnerabilities.Source)
	}

	vulnThreats := 0
	for _, th := range a.Register.Threats {
		for _, f := range th.Findings {
			if f.Method == "known-vulnerability" {
				vulnThreats++
			}
		}
	}
	if vulnThreats == 0 {
		t.Error("no threat from the known-vulnerability method")
	}
	for _, r := range a.Conformance {
		if r.Requirement.ID == "fda.vulns-assessed" && r.Status != "fail" {
			t.Errorf("fda.vulns-assessed = %s with unassessed matches, want fail", r.Status)
		}
	}
}

func TestRunNamesReferences(t *testing.T) {
	requireCorpus(t)
	f, err := os.Open(filepath.Join(corpus, "catalogs", "stix-capec-3.6.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	capec, err := catalog.ImportSTIX(f, "stix-capec-3.6.json")
	if err != nil {
		t.Fatal(err)
	}
	names := &catalog.Names{}
	names.Add(capec)

	a, diags, err := Run("../../examples/insulin-pump/ward.yaml", Options{Names: names})
	if err != nil || a == nil {
		t.Fatalf("Run: %v %v", err, diags)
	}
	named, capecRefs := 0, 0
	for _, th := range a.Register.Threats {
		for _, r := range th.References {
			if strings.HasPrefix(r.ID, "CAPEC-") {
				capecRefs++
				if r.Name != "" {
					named++
				}
			}
		}
	}
	if capecRefs == 0 || named != capecRefs {
		t.Errorf("%d of %d CAPEC references named, want all", named, capecRefs)
	}
}

func TestAssessMethodsNotRun(t *testing.T) {
	requireCorpus(t)
	const base = `ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-D, version: "1"}
  lifecycle: development
elements:
  - {id: fw, kind: process, name: Firmware}
`
	const rtos = "dependencies:\n  - {id: rtos, name: Some RTOS, version: \"10.5\", kind: os}\n"
	const npm = "  - {id: minimist, name: minimist, version: 1.2.5, purl: pkg:npm/minimist@1.2.5, kind: library}\n"
	db := filepath.Join(corpus, "osv")

	tests := []struct {
		name    string
		src     string
		db      string
		methods []string
		// reason is part of the known-vulnerability reason; empty means
		// the method ran.
		reason string
	}{
		{"no database", base + rtos + npm, "", nil, "no vulnerability database was given"},
		{"no dependencies", base, db, nil, "the model lists no dependencies"},
		{"no purl", base + rtos, db, nil, "no dependency has a purl"},
		{"one dependency looked up", base + rtos + npm, db, nil, ""},
		{"method not selected", base + rtos, "", []string{"stride-per-element"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags := model.Parse("ward.yaml", []byte(tt.src), model.LoadOptions{})
			if diags.HasErrors() {
				t.Fatalf("Parse: %v", diags)
			}
			a, diags, err := Assess(m, Options{Methods: tt.methods, VulnDB: tt.db, VulnIndex: filepath.Join(t.TempDir(), "osv.idx")})
			if err != nil || a == nil {
				t.Fatalf("Assess: %v %v", err, diags)
			}
			if tt.reason == "" {
				if len(a.MethodsNotRun) != 0 {
					t.Errorf("MethodsNotRun = %+v, want none", a.MethodsNotRun)
				}
				return
			}
			if len(a.MethodsNotRun) != 1 || a.MethodsNotRun[0].Method != threat.MethodVulnerability {
				t.Fatalf("MethodsNotRun = %+v, want known-vulnerability only", a.MethodsNotRun)
			}
			if got := a.MethodsNotRun[0].Reason; !strings.Contains(got, tt.reason) {
				t.Errorf("reason %q lacks %q", got, tt.reason)
			}
			if !slices.Contains(a.Methods, threat.MethodVulnerability) {
				t.Errorf("Methods = %v, want known-vulnerability still listed as selected", a.Methods)
			}
		})
	}
}

func TestScanSourceDate(t *testing.T) {
	dir := t.TempDir()
	record := `{"id":"GHSA-x","affected":[{"package":{"ecosystem":"npm","name":"minimist"},` +
		`"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"9.0.0"}]}]}]}`
	if err := os.WriteFile(filepath.Join(dir, "GHSA-x.json"), []byte(record), 0o644); err != nil {
		t.Fatal(err)
	}
	m, diags := model.Parse("ward.yaml", []byte(`ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-D, version: "1"}
  lifecycle: development
dependencies:
  - {id: minimist, name: minimist, version: 1.2.5, purl: pkg:npm/minimist@1.2.5}
`), model.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}

	tests := []struct {
		name, dbDate, want string
	}{
		{"records without modified", "", "OSV database of unknown date (no record has a modified time; give --db-date)"},
		{"date given", "2025-08-01", "OSV database as of 2025-08-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Scan(m, Options{VulnDB: dir, VulnIndex: filepath.Join(t.TempDir(), "osv.idx"), DBDate: tt.dbDate})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Source != tt.want {
				t.Errorf("Source = %q, want %q", rep.Source, tt.want)
			}
		})
	}
}
