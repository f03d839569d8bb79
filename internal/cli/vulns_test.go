package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// osvCorpus is the shared folder of real OSV records.
const osvCorpus = corpus + "/osv"

var imported struct {
	once  sync.Once
	model string
	err   string
}

// importedExample returns a copy of the insulin pump example with the CERN
// SBOM imported and linked to cloud-api, and a path for the OSV index. The
// import runs once per test binary, because it takes seconds.
func importedExample(t *testing.T) (path, index string) {
	t.Helper()
	needCorpus(t)
	imported.once.Do(func() {
		dir := copyExample(t, cernSBOM)
		path := filepath.Join(dir, "ward.yaml")
		code, out, errOut := run(t, "sbom", "import", filepath.Join(dir, "sbom", "app.bom.json"), path, "--element", "cloud-api")
		if code != ExitOK {
			imported.err = fmt.Sprintf("sbom import exit = %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			return
		}
		imported.model = readFile(t, path)
	})
	if imported.err != "" {
		t.Fatal(imported.err)
	}
	dir := copyExample(t, cernSBOM)
	path = filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(path, []byte(imported.model), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, filepath.Join(t.TempDir(), "osv.idx")
}

// spaces collapses runs of spaces so that table rows compare without
// depending on column widths.
var spaces = regexp.MustCompile(` {2,}`)

func tableRows(out string) []string {
	var rows []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		rows = append(rows, spaces.ReplaceAllString(line, " | "))
	}
	return rows
}

func TestVulnsTable(t *testing.T) {
	path, index := importedExample(t)

	code, out, errOut := run(t, "vulns", path, "--db", osvCorpus, "--index", index)
	if code != ExitOK {
		t.Fatalf("vulns exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	rows := tableRows(out)
	head := regexp.MustCompile(`^OSV database as of \d{4}-\d{2}-\d{2} \(` + regexp.QuoteMeta(osvCorpus) + `, 35 records\); 49 dependencies checked, 3 without a purl of an OSV ecosystem not checked$`)
	if !head.MatchString(rows[0]) {
		t.Errorf("first line = %q, want %s", rows[0], head)
	}
	want := []string{
		"DEPENDENCY | VERSION | VULNERABILITY | SEVERITY | KEV | FIXED IN | STATUS | SUMMARY",
		"npm-minimist | 0.0.8 | CVE-2021-44906 | critical 9.8 | - | 0.2.4 | unassessed | Prototype Pollution in minimist",
		"npm-ws | 6.2.1 | CVE-2024-37890 | high 7.5 | - | 6.2.3 | unassessed | ws affected by a DoS when handling a request with many HTTP…",
	}
	if len(rows) != 1+len(want) {
		t.Fatalf("vulns printed %d rows, want %d:\n%s", len(rows)-1, len(want), out)
	}
	for i, w := range want {
		if rows[i+1] != w {
			t.Errorf("row %d = %q, want %q", i+1, rows[i+1], w)
		}
	}
	if errOut != "" {
		t.Errorf("vulns wrote to stderr, which is not a terminal:\n%s", errOut)
	}
}

func TestVulnsJSONAndKEV(t *testing.T) {
	path, index := importedExample(t)

	// A KEV catalog that lists the minimist CVE.
	kev := filepath.Join(t.TempDir(), "kev.json")
	catalog := `{"catalogVersion": "2025.01.01", "vulnerabilities": [{"cveID": "CVE-2021-44906",
		"vulnerabilityName": "minimist prototype pollution", "dateAdded": "2025-01-01", "dueDate": "2025-01-22",
		"knownRansomwareCampaignUse": "Unknown"}]}`
	if err := os.WriteFile(kev, []byte(catalog), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := run(t, "vulns", path, "--db", osvCorpus, "--index", index, "--kev", kev, "--format", "json", "--db-date", "2025-08-01")
	if code != ExitOK {
		t.Fatalf("vulns --format json exit = %d\nstderr:\n%s", code, errOut)
	}
	var report struct {
		Source  string `json:"source"`
		Records int    `json:"records"`
		Results []struct {
			Dependency string   `json:"dependency"`
			ID         string   `json:"id"`
			IDs        []string `json:"ids"`
			Fixed      []string `json:"fixed"`
			Evaluable  bool     `json:"evaluable"`
			KEV        *struct {
				CVE string `json:"cveID"`
			} `json:"kev"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("vulns --format json output is not JSON: %v\n%s", err, out)
	}
	if report.Source != "OSV database as of 2025-08-01" || report.Records != 35 {
		t.Errorf("source %q, records %d; want the --db-date and 35", report.Source, report.Records)
	}
	if len(report.Results) != 2 {
		t.Fatalf("%d results, want 2:\n%s", len(report.Results), out)
	}
	minimist, ws := report.Results[0], report.Results[1]
	if minimist.Dependency != "npm-minimist" || minimist.ID != "CVE-2021-44906" || minimist.KEV == nil || minimist.KEV.CVE != "CVE-2021-44906" {
		t.Errorf("minimist result = %+v, want CVE-2021-44906 listed in KEV", minimist)
	}
	if ws.Dependency != "npm-ws" || ws.KEV != nil || !ws.Evaluable || len(ws.Fixed) != 1 || ws.Fixed[0] != "6.2.3" {
		t.Errorf("ws result = %+v, want evaluable, not in KEV, fixed in 6.2.3", ws)
	}

	// --fail-on kev fails until the KEV-listed vulnerability is resolved.
	if code, _, _ := run(t, "vulns", path, "--db", osvCorpus, "--index", index, "--kev", kev, "--fail-on", "kev"); code != ExitFindings {
		t.Errorf("vulns --fail-on kev exit = %d, want 1", code)
	}
	code, out, errOut = run(t, "vulns", "set", "CVE-2021-44906", path, "--dependency", "npm-minimist",
		"--status", "fixed", "--fixed-in", "7.1.0")
	if code != ExitOK {
		t.Fatalf("vulns set exit = %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if code, _, _ := run(t, "vulns", path, "--db", osvCorpus, "--index", index, "--kev", kev, "--fail-on", "kev"); code != ExitOK {
		t.Errorf("vulns --fail-on kev after the fix exit = %d, want 0", code)
	}
}

func TestVulnsSet(t *testing.T) {
	path, index := importedExample(t)
	before := readFile(t, path)
	vulns := func() (int, []string) {
		t.Helper()
		code, out, errOut := run(t, "vulns", path, "--db", osvCorpus, "--index", index, "--fail-on", "any")
		if code == ExitInvalid {
			t.Fatalf("vulns exit = 2\nstderr:\n%s", errOut)
		}
		return code, tableRows(out)
	}

	if code, _ := vulns(); code != ExitFindings {
		t.Fatalf("vulns --fail-on any before any decision exit = %d, want 1", code)
	}

	code, out, errOut := run(t, "vulns", "set", "CVE-2024-37890", path, "--dependency", "npm-ws",
		"--status", "not-affected", "--justification", "vulnerable_code_not_in_execute_path",
		"--notes", "The renderer never accepts connections.", "--date", "2025-02-03")
	if code != ExitOK || out != "recorded CVE-2024-37890 not-affected for npm-ws in "+path+"\n" {
		t.Fatalf("vulns set exit = %d, stdout %q\nstderr:\n%s", code, out, errOut)
	}
	// GHSA-xvch-5gv4-984h is an alias of the minimist CVE; a decision
	// without --dependency covers every dependency.
	code, out, errOut = run(t, "vulns", "set", "GHSA-xvch-5gv4-984h", path, "--status", "accepted", "--notes", "Build tool only.")
	if code != ExitOK || out != "recorded GHSA-xvch-5gv4-984h accepted for every dependency in "+path+"\n" {
		t.Fatalf("vulns set without --dependency exit = %d, stdout %q\nstderr:\n%s", code, out, errOut)
	}

	code, rows := vulns()
	if code != ExitFindings {
		t.Errorf("vulns --fail-on any with an accepted vulnerability exit = %d, want 1", code)
	}
	for _, want := range []string{
		"npm-minimist | 0.0.8 | CVE-2021-44906 | critical 9.8 | - | 0.2.4 | accepted | Prototype Pollution in minimist",
		"npm-ws | 6.2.1 | CVE-2024-37890 | high 7.5 | - | 6.2.3 | not-affected | ws affected by a DoS when handling a request with many HTTP…",
	} {
		if !strings.Contains(strings.Join(rows, "\n"), want) {
			t.Errorf("vulns table lacks row %q:\n%s", want, strings.Join(rows, "\n"))
		}
	}

	// Updating the same entry edits it in place.
	code, out, _ = run(t, "vulns", "set", "GHSA-xvch-5gv4-984h", path, "--status", "fixed", "--fixed-in", "7.1.0")
	if code != ExitOK || out != "updated GHSA-xvch-5gv4-984h fixed for every dependency in "+path+"\n" {
		t.Errorf("vulns set on an existing entry exit = %d, stdout %q", code, out)
	}
	if code, _ := vulns(); code != ExitOK {
		t.Errorf("vulns --fail-on any with every vulnerability resolved exit = %d, want 0", code)
	}

	after := readFile(t, path)
	if line := missingLine(before, after); line != "" {
		t.Errorf("vulns set lost or changed the line %q", line)
	}
	if n := strings.Count(after, "- id: GHSA-xvch-5gv4-984h"); n != 1 {
		t.Errorf("the model has %d entries for GHSA-xvch-5gv4-984h, want 1", n)
	}
	for _, want := range []string{"justification: vulnerable_code_not_in_execute_path", "fixed_in: 7.1.0", "date: 2025-02-03"} {
		if !strings.Contains(after, want) {
			t.Errorf("the model lacks %q after vulns set", want)
		}
	}
}

func TestVulnsStaleDecision(t *testing.T) {
	path, index := importedExample(t)
	if code, _, errOut := run(t, "vulns", "set", "CVE-1999-0001", path, "--dependency", "npm-ws", "--status", "accepted"); code != ExitOK {
		t.Fatalf("vulns set exit = %d\n%s", code, errOut)
	}
	code, _, errOut := run(t, "vulns", path, "--db", osvCorpus, "--index", index)
	if code != ExitOK {
		t.Fatalf("vulns exit = %d\n%s", code, errOut)
	}
	want := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(path) + `:\d+:\d+: warning: vulnerabilities: the database does not report CVE-1999-0001 for dependency npm-ws; check the ID and the dependency`)
	if !want.MatchString(errOut) {
		t.Errorf("stderr lacks a positioned warning for the stale decision:\n%s", errOut)
	}
}

func TestVulnsSkippedRecords(t *testing.T) {
	path, index := importedExample(t)
	db := t.TempDir()
	copyFile(t, osvCorpus+"/npm/GHSA-xvch-5gv4-984h.json", filepath.Join(db, "npm", "GHSA-xvch-5gv4-984h.json"))
	broken := filepath.Join(db, "npm", "GHSA-broken.json")
	if err := os.WriteFile(broken, []byte(`{"id": "GHSA-broken", "affected": [{"package": {"ecosystem": "npm"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := run(t, "vulns", path, "--db", db, "--index", index)
	if code != ExitOK {
		t.Fatalf("vulns exit = %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "CVE-2021-44906") {
		t.Errorf("the valid record was not matched:\n%s", out)
	}
	want := "ward: 1 OSV records skipped as malformed:\n  " + broken + ": affected[0].package.name: missing\n"
	if errOut != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
}

func TestVulnsErrors(t *testing.T) {
	path, index := importedExample(t)
	noDB := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no database", []string{"vulns", path}, "--db is required"},
		{"missing database", []string{"vulns", path, "--db", noDB}, "ward: invalid --db \"" + noDB + "\": no file or folder there; give a folder of OSV records or an osv.dev zip archive"},
		{"bad format", []string{"vulns", path, "--db", osvCorpus, "--format", "xml"}, `--format "xml" is not one of table, json`},
		{"bad fail-on", []string{"vulns", path, "--db", osvCorpus, "--fail-on", "high"}, `--fail-on "high" is not one of kev, any, unassessed`},
		{"bad date", []string{"vulns", path, "--db", osvCorpus, "--db-date", "01/02/2025"}, `--db-date "01/02/2025"`},
		{"missing KEV", []string{"vulns", path, "--db", osvCorpus, "--index", index, "--kev", filepath.Join(t.TempDir(), "kev.json")}, "kev.json"},
		{"set bad status", []string{"vulns", "set", "CVE-1", path, "--status", "ignored"}, `--status "ignored"`},
		{"set no justification", []string{"vulns", "set", "CVE-1", path, "--status", "not-affected"}, "not-affected needs one of"},
		{"set fixed without version", []string{"vulns", "set", "CVE-1", path, "--status", "fixed"}, "missing --fixed-in"},
		{"set unknown dependency", []string{"vulns", "set", "CVE-1", path, "--status", "accepted", "--dependency", "npm-nope"}, `--dependency "npm-nope": no entry under dependencies: has that ID`},
		{"set misspelled dependency", []string{"vulns", "set", "CVE-1", path, "--status", "accepted", "--dependency", "npm-w"}, `--dependency "npm-w": no entry under dependencies: has that ID; did you mean npm-ws?`},
		{"set misspelled status", []string{"vulns", "set", "CVE-1", path, "--status", "afected"}, `--status "afected" is not one of not-affected, affected, fixed, accepted, under-investigation; did you mean affected?`},
		{"set every bad flag", []string{"vulns", "set", "CVE-1", path, "--status", "not-afected", "--justification", "unused", "--date", "2025-04-31"},
			"3 problems in the command line:\n" +
				`  --status "not-afected" is not one of not-affected, affected, fixed, accepted, under-investigation; did you mean not-affected?` + "\n" +
				`  --justification "unused" is not one of component_not_present,`},
		{"set justification and date", []string{"vulns", "set", "CVE-1", path, "--status", "not-affected", "--justification", "vulnerable_code_not_presnt", "--date", "2025-04-31"},
			"2 problems in the command line:\n" +
				`  --justification "vulnerable_code_not_presnt" is not one of component_not_present, vulnerable_code_not_present, vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist; did you mean vulnerable_code_not_present?` + "\n" +
				`  invalid --date "2025-04-31"`},
		{"set impossible date", []string{"vulns", "set", "CVE-1", path, "--status", "accepted", "--date", "2025-04-31"}, `invalid --date "2025-04-31": the date does not exist, because April 2025 has 30 days`},
	}
	original := readFile(t, path)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != ExitInvalid {
				t.Fatalf("exit = %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
		})
	}
	if readFile(t, path) != original {
		t.Errorf("a rejected command changed the model")
	}
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	if progressTo(&bytes.Buffer{}) != nil {
		t.Errorf("progressTo(buffer) returned a callback, want nil")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progressTo(f) != nil {
		t.Errorf("progressTo(regular file) returned a callback, want nil")
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	progress := progressBar(&buf)
	progress(0, 2500)
	progress(1000, 2500)
	if out := buf.String(); !strings.Contains(out, "indexing OSV records") || !strings.Contains(out, "1000/2500") {
		t.Errorf("bar at 1000 of 2500 = %q, want the description and 1000/2500", out)
	}
	buf.Reset()
	progress(2500, 2500)
	if out := buf.String(); strings.TrimSpace(strings.Trim(out, "\r")) != "" {
		t.Errorf("finished bar left %q, want the line cleared", out)
	}
}
