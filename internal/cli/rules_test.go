package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/catalog"
)

// runWard runs the command line in-process and returns the exit code,
// stdout and stderr.
func runWard(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// catalogCorpus returns the folder of real catalog files, or skips.
func catalogCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "catalogs")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("test corpus not found at %s", dir)
	}
	return dir
}

func TestRulesList(t *testing.T) {
	t.Setenv(cacheDirEnv, t.TempDir())
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
		excludes []string
	}{
		{"all", []string{"rules", "list"}, ExitOK,
			[]string{"ID  ", "proc.memory-corruption", "hw.debug-port-open", "safety.command-replay", " rules\n"}, nil},
		{"one family", []string{"rules", "list", "--family", "hw"}, ExitOK,
			[]string{"hw.uart-root-shell", fmt.Sprintf("%d rules", hwRules(t))}, []string{"proc."}},
		{"unknown family", []string{"rules", "list", "--family", "nope"}, ExitInvalid, nil, nil},
		{"unknown format", []string{"rules", "list", "--format", "xml"}, ExitInvalid, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runWard(t, tt.args...)
			if code != tt.code {
				t.Fatalf("ward %v exit code = %d, want %d; stderr:\n%s", tt.args, code, tt.code, errOut)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("ward %v output lacks %q", tt.args, s)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(out, s) {
					t.Errorf("ward %v output contains %q", tt.args, s)
				}
			}
		})
	}
}

func TestRulesListJSON(t *testing.T) {
	code, out, errOut := runWard(t, "rules", "list", "--family", "update", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit code %d: %s", code, errOut)
	}
	var rules []struct {
		ID         string   `json:"id"`
		AppliesTo  []string `json:"applies_to"`
		References struct {
			CWE []string `json:"cwe"`
		} `json:"references"`
	}
	if err := json.Unmarshal([]byte(out), &rules); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(rules) < 10 || !strings.HasPrefix(rules[0].ID, "update.") || len(rules[0].AppliesTo) == 0 {
		t.Errorf("rules = %+v", rules)
	}
}

func TestRulesWithUserFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	bad := filepath.Join(dir, "bad")
	for _, d := range []string{good, bad} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(good, "acme.yaml"), `rules:
  - id: acme.pump-check
    title: pump check
    description: "{name} is checked"
    applies_to: [process]
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
`)
	writeFile(t, filepath.Join(bad, "acme.yaml"), `rules:
  - id: acme.pump-check
    title: pump check
    description: "{name} is checked"
    applies_to: [process]
    when: {encrpyted: true}
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
`)

	code, out, errOut := runWard(t, "rules", "list", "--rules", good, "--family", "acme")
	if code != ExitOK || !strings.Contains(out, "acme.pump-check") || !strings.Contains(out, "\n1 rule\n") {
		t.Errorf("list with good rules: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	code, _, errOut = runWard(t, "rules", "list", "--rules", bad)
	if code != ExitInvalid {
		t.Errorf("list with a bad rule file: exit %d, want %d", code, ExitInvalid)
	}
	want := filepath.Join(bad, "acme.yaml") + ":6:12: rules[0].when.encrpyted: unknown fact"
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}

	code, _, errOut = runWard(t, "rules", "show", "proc.memory-corruption", "--rules", good)
	if code != ExitOK {
		t.Errorf("show with user rules: exit %d: %s", code, errOut)
	}
}

func writeFile(t *testing.T, path, src string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRulesShow(t *testing.T) {
	t.Setenv(cacheDirEnv, t.TempDir())
	code, out, errOut := runWard(t, "rules", "show", "hw.debug-port-open")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, s := range []string{
		"hw.debug-port-open: debug port gives control of the processor",
		"defined at       builtin:debug.yaml:",
		"when             kind in [jtag, swd, debug-header] and not (production = removed)",
		"residual when    production in [locked, fused, authenticated]",
		"residual impact  confidentiality medium, integrity medium, availability low",
		"  CAPEC-121\n",
		"  TID-119\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("rules show output lacks %q:\n%s", s, out)
		}
	}

	code, _, errOut = runWard(t, "rules", "show", "hw.debug-port-opn")
	if code != ExitInvalid || !strings.Contains(errOut, "did you mean hw.debug-port-open?") {
		t.Errorf("show unknown rule: exit %d, stderr %q", code, errOut)
	}
}

func TestCatalogImportShowList(t *testing.T) {
	corpus := catalogCorpus(t)
	cache := filepath.Join(t.TempDir(), "cache")
	t.Setenv(cacheDirEnv, cache)

	code, out, _ := runWard(t, "catalog", "list")
	if code != ExitOK || !strings.Contains(out, "no catalogs imported in "+cache) {
		t.Errorf("list on an empty cache: exit %d, %q", code, out)
	}
	code, _, errOut := runWard(t, "catalog", "show", "CAPEC-94")
	if code != ExitInvalid || !strings.Contains(errOut, "ward catalog import FILE") {
		t.Errorf("show on an empty cache: exit %d, stderr %q", code, errOut)
	}

	code, out, errOut = runWard(t, "catalog", "import",
		filepath.Join(corpus, "stix-capec-3.6.json"), filepath.Join(corpus, "ics-attack-18.1.json"))
	if code != ExitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	for _, s := range []string{"imported CAPEC 3.6", "546 entries (skipped 55 deprecated, 0 revoked)",
		"imported MITRE ATT&CK for ICS 18.1", "83 entries (skipped 12 deprecated, 0 revoked)"} {
		if !strings.Contains(out, s) {
			t.Errorf("import output lacks %q:\n%s", s, out)
		}
	}

	code, out, _ = runWard(t, "catalog", "list")
	if code != ExitOK || !strings.Contains(out, "CAPEC                 3.6      546") ||
		!strings.Contains(out, "MITRE ATT&CK for ICS  18.1     83") {
		t.Errorf("list: exit %d:\n%s", code, out)
	}

	code, out, errOut = runWard(t, "catalog", "show", "t0830")
	if code != ExitOK {
		t.Fatalf("show T0830: exit %d: %s", code, errOut)
	}
	for _, s := range []string{"T0830: Adversary-in-the-Middle", "catalog: MITRE ATT&CK for ICS 18.1",
		"url: https://attack.mitre.org/techniques/T0830", "cited by built-in rules:", "flow.man-in-the-middle"} {
		if !strings.Contains(out, s) {
			t.Errorf("show T0830 output lacks %q:\n%s", s, out)
		}
	}

	code, _, errOut = runWard(t, "catalog", "show", "CWE-79")
	if code != ExitInvalid || !strings.Contains(errOut, "https://cwe.mitre.org/data/xml/cwec_latest.xml.zip") {
		t.Errorf("show CWE-79 without CWE imported: exit %d, stderr %q", code, errOut)
	}
	if want := "ward: CWE-79 is a CWE ID, and no CWE catalog is imported in " + cache + " (imported: CAPEC 3.6, MITRE ATT&CK for ICS 18.1)"; !strings.HasPrefix(errOut, want) {
		t.Errorf("show CWE-79 without CWE imported: stderr %q, want it to start with %q", errOut, want)
	}

	missing := []struct{ id, want string }{
		{"CAPEC-99999", "ward: CAPEC-99999 is not listed in CAPEC 3.6 (imported from stix-capec-3.6.json), neither as a current entry nor as a deprecated or revoked one; check the ID"},
		{"CAPEC-106", "ward: CAPEC-106 is deprecated in CAPEC 3.6 (imported from stix-capec-3.6.json), so it was not imported; look it up on capec.mitre.org"},
		{"T1078", "ward: T1078 is a MITRE ATT&CK Enterprise or MITRE ATT&CK Mobile ID, and neither catalog is imported in " + cache},
		{"XYZ-1", `ward: XYZ-1 is not an ID of a catalog Ward imports; IDs look like CAPEC-94, CWE-1191, T0830, T1078.001 or TID-119`},
	}
	for _, tt := range missing {
		code, _, errOut = runWard(t, "catalog", "show", tt.id)
		if code != ExitInvalid {
			t.Errorf("show %s: exit %d, want 2", tt.id, code)
		}
		if !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("show %s: stderr %q, want it to start with %q", tt.id, errOut, tt.want)
		}
	}

	code, out, _ = runWard(t, "rules", "show", "flow.man-in-the-middle")
	if code != ExitOK || !strings.Contains(out, "CAPEC-94  Adversary in the Middle (AiTM)  https://capec.mitre.org/data/definitions/94.html") {
		t.Errorf("rules show with a cache lacks the CAPEC name:\n%s", out)
	}
}

func TestCatalogImportErrors(t *testing.T) {
	cache := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.json")
	writeFile(t, bad, "{\"type\": \"bundle\", \"objects\": [\n  {\"name\": 5}]}")
	code, _, errOut := runWard(t, "catalog", "import", "--cache-dir", cache, bad, filepath.Join(cache, "missing.json"))
	if code != ExitInvalid {
		t.Errorf("exit %d, want %d", code, ExitInvalid)
	}
	for _, s := range []string{"bad.json:2:12: invalid STIX bundle: objects[0].name must be a string, found number",
		"2 of 2 files could not be imported"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
}

// hwRules counts the built-in rules of the hw family, so the test follows
// the library as rules are added.
func hwRules(t *testing.T) int {
	t.Helper()
	lib, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range lib.Rules {
		if r.Family() == "hw" {
			n++
		}
	}
	return n
}

// cweList is a small CWE list in MITRE's XML layout, with made-up names.
const cweList = `<?xml version="1.0" encoding="UTF-8"?>
<Weakness_Catalog xmlns="http://cwe.mitre.org/cwe-7" xmlns:xhtml="http://www.w3.org/1999/xhtml" Name="CWE" Version="4.99" Date="2030-01-01">
   <Weaknesses>
      <Weakness ID="1191" Name="Test debug port without an access check" Abstraction="Base" Structure="Simple" Status="Stable">
         <Description>A test weakness: the debug port answers anyone.</Description>
      </Weakness>
      <Weakness ID="1244" Name="Test debug state exposed" Abstraction="Base" Structure="Simple" Status="Draft">
         <Description>Another test weakness.</Description>
      </Weakness>
      <Weakness ID="71" Name="DEPRECATED: Test retired entry" Abstraction="Base" Structure="Simple" Status="Deprecated">
         <Description>Retired.</Description>
      </Weakness>
   </Weaknesses>
</Weakness_Catalog>
`

func TestCatalogImportCWE(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	t.Setenv(cacheDirEnv, cache)
	xmlPath := filepath.Join(dir, "cwec_v4.99.xml")
	writeFile(t, xmlPath, cweList)
	zipPath := filepath.Join(dir, "cwec_latest.xml.zip")
	writeZip(t, zipPath, "cwec_v4.99.xml", cweList)

	for _, path := range []string{xmlPath, zipPath} {
		code, out, errOut := runWard(t, "catalog", "import", path)
		if code != ExitOK {
			t.Fatalf("import %s: exit %d: %s", path, code, errOut)
		}
		want := "imported CWE 4.99 from " + path + ": 2 entries (skipped 1 deprecated, 0 revoked) into " + filepath.Join(cache, "cwe.json")
		if !strings.Contains(out, want) {
			t.Errorf("import %s output lacks %q:\n%s", path, want, out)
		}
	}

	code, out, errOut := runWard(t, "catalog", "show", "cwe-1191")
	if code != ExitOK {
		t.Fatalf("show CWE-1191: exit %d: %s", code, errOut)
	}
	for _, s := range []string{"CWE-1191: Test debug port without an access check\n",
		"catalog: CWE 4.99 (imported from cwec_latest.xml.zip/cwec_v4.99.xml)",
		"url: https://cwe.mitre.org/data/definitions/1191.html",
		"A test weakness: the debug port answers anyone.", "hw.debug-port-open"} {
		if !strings.Contains(out, s) {
			t.Errorf("show CWE-1191 output lacks %q:\n%s", s, out)
		}
	}

	code, _, errOut = runWard(t, "catalog", "show", "CWE-71")
	if code != ExitInvalid || !strings.Contains(errOut, "CWE-71 is deprecated in CWE 4.99 (imported from cwec_latest.xml.zip/cwec_v4.99.xml), so it was not imported") {
		t.Errorf("show deprecated CWE-71: exit %d, stderr %q", code, errOut)
	}

	code, out, _ = runWard(t, "rules", "show", "hw.debug-port-open")
	if code != ExitOK || !strings.Contains(out, "CWE-1191  Test debug port without an access check  https://cwe.mitre.org/data/definitions/1191.html") {
		t.Errorf("rules show with CWE imported lacks the CWE name:\n%s", out)
	}

	// Threats name their CWE references through the same cache.
	code, out, errOut = runWard(t, "threats", filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml"), "--format", "json")
	if code != ExitOK {
		t.Fatalf("threats: exit %d: %s", code, errOut)
	}
	if !regexp.MustCompile(`"id": "CWE-1191",\s*"name": "Test debug port without an access check"`).MatchString(out) {
		t.Errorf("threats --format json does not name CWE-1191")
	}

	code, out, _ = runWard(t, "catalog", "list")
	if code != ExitOK || !strings.Contains(out, "CWE      4.99     2        1           0        cwec_latest.xml.zip/cwec_v4.99.xml") {
		t.Errorf("catalog list lacks the CWE row:\n%s", out)
	}
}

func TestCatalogImportCWEErrors(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	tests := []struct {
		name string
		file string
		src  string
		want string
	}{
		{"entity", "entity.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<Weakness_Catalog/>\n",
			"entity.xml:2:1: invalid CWE XML: a DOCTYPE declaration is not allowed"},
		{"mismatched tag", "broken.xml", "<Weakness_Catalog>\n  <Weaknesses>\n</Weakness_Catalog>\n",
			"broken.xml:3:20: invalid CWE XML: element <Weaknesses> closed by </Weakness_Catalog>"},
		{"not a catalog", "notes.txt", "hello\n",
			"notes.txt is neither a STIX 2.1 bundle (JSON), a CWE list (XML) nor a zip of one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			writeFile(t, path, tt.src)
			code, _, errOut := runWard(t, "catalog", "import", "--cache-dir", cache, path)
			if code != ExitInvalid {
				t.Errorf("import %s: exit %d, want %d", tt.file, code, ExitInvalid)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("import %s stderr lacks %q:\n%s", tt.file, tt.want, errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(cache, "cwe.json")); err == nil {
		t.Error("a failed import wrote cwe.json")
	}
}

func writeZip(t *testing.T, path, name, src string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(src)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, buf.String())
}

// acmeRules cites one current and one missing ID of CAPEC, ATT&CK for ICS
// and CWE, and one Enterprise ID that only the not-imported catalog could
// list.
const acmeRules = `rules:
  - id: acme.pump-check
    title: pump check
    description: "{name} is checked"
    applies_to: [process]
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
    references:
      capec: [CAPEC-94, CAPEC-999]
      cwe: [CWE-1191, CWE-71]
      attack: [T0830, T0999, T1040]
`

func TestRulesCheck(t *testing.T) {
	corpus := catalogCorpus(t)
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	t.Setenv(cacheDirEnv, cache)
	rulesPath := filepath.Join(dir, "acme.yaml")
	writeFile(t, rulesPath, acmeRules)

	// Nothing imported: nothing checked, nothing missing.
	code, out, errOut := runWard(t, "rules", "check")
	if code != ExitOK {
		t.Fatalf("check on an empty cache: exit %d: %s", code, errOut)
	}
	for _, s := range []string{"no reference was checked: no catalog the rules cite is imported in " + cache,
		"not checked, because the catalog is not imported: CAPEC (", "CWE (", "MITRE ATT&CK for ICS (", "ward catalog import FILE"} {
		if !strings.Contains(out, s) {
			t.Errorf("check on an empty cache lacks %q:\n%s", s, out)
		}
	}

	code, _, errOut = runWard(t, "catalog", "import",
		filepath.Join(corpus, "stix-capec-3.6.json"), filepath.Join(corpus, "ics-attack-18.1.json"))
	if code != ExitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}

	// The built-in library against CAPEC 3.6 and ATT&CK for ICS 18.1.
	code, out, errOut = runWard(t, "rules", "check")
	if code != ExitOK {
		t.Errorf("check of the built-in rules: exit %d, want 0; a built-in rule cites an ID the corpus catalogs lack:\n%s%s", code, out, errOut)
	}
	if !regexp.MustCompile(`checked (\d+) references against CAPEC 3\.6 and MITRE ATT&CK for ICS 18\.1: (\d+) found, 0 missing`).MatchString(out) {
		t.Errorf("check of the built-in rules lacks the summary line:\n%s", out)
	}
	if strings.Contains(out, "not checked, because the catalog is not imported: CAPEC") || strings.Contains(out, "MITRE ATT&CK for ICS (") {
		t.Errorf("check counts an imported catalog as not checked:\n%s", out)
	}

	// A user rule file with missing IDs.
	code, out, errOut = runWard(t, "rules", "check", "--rules", rulesPath)
	if code != ExitFindings {
		t.Errorf("check with missing IDs: exit %d, want %d; stderr:\n%s", code, ExitFindings, errOut)
	}
	for _, s := range []string{
		rulesPath + ":2:5: acme.pump-check cites CAPEC-999, which CAPEC 3.6 does not list (it is deprecated, revoked or was never assigned); fix: look the ID up on capec.mitre.org",
		rulesPath + ":2:5: acme.pump-check cites T0999, which MITRE ATT&CK for ICS 18.1 does not list",
		", 2 missing\n",
		"CWE (", "MITRE ATT&CK Enterprise (",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("check with missing IDs lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "cites CAPEC-94,") || strings.Contains(out, "cites T0830,") || strings.Contains(out, "cites T1040,") {
		t.Errorf("check reports a listed or unchecked ID as missing:\n%s", out)
	}

	code, out, _ = runWard(t, "rules", "check", "--rules", rulesPath, "--format", "json")
	if code != ExitFindings {
		t.Errorf("check --format json: exit %d, want %d", code, ExitFindings)
	}
	var result struct {
		Catalogs []struct{ Name, Version string }
		Checked  int
		Found    int
		Missing  []struct {
			Rule, Position, Reference, Fix string
			Catalogs                       []string
		}
		NotChecked []struct {
			Catalog    string
			References int
		} `json:"not_checked"`
	}
	if err := json.Unmarshal([]byte(out), &result); err != nil {
		t.Fatalf("check --format json output is not JSON: %v\n%s", err, out)
	}
	if len(result.Missing) != 2 {
		t.Fatalf("check --format json missing = %+v, want CAPEC-999 and T0999", result.Missing)
	}
	m := result.Missing[0]
	if m.Reference != "CAPEC-999" || m.Position != rulesPath+":2:5" || m.Rule != "acme.pump-check" ||
		len(m.Catalogs) != 1 || m.Catalogs[0] != "capec" || !strings.Contains(m.Fix, "capec.mitre.org") {
		t.Errorf("check --format json missing[0] = %+v", m)
	}
	if len(result.Catalogs) != 2 || result.Checked != result.Found+2 {
		t.Errorf("check --format json catalogs = %+v, checked %d, found %d", result.Catalogs, result.Checked, result.Found)
	}
	var notChecked []string
	for _, n := range result.NotChecked {
		notChecked = append(notChecked, n.Catalog)
	}
	if strings.Join(notChecked, " ") != "cwe emb3d enterprise-attack" {
		t.Errorf("check --format json not_checked = %v, want cwe emb3d enterprise-attack", notChecked)
	}

	// With a CWE list that lacks most IDs, the built-in rules' CWE
	// references are reported too, and CWE-71, deprecated there, is missing.
	cwePath := filepath.Join(dir, "cwec_v4.99.xml")
	writeFile(t, cwePath, cweList)
	if code, _, errOut := runWard(t, "catalog", "import", cwePath); code != ExitOK {
		t.Fatalf("import CWE: exit %d: %s", code, errOut)
	}
	code, out, _ = runWard(t, "rules", "check", "--rules", rulesPath)
	if code != ExitFindings {
		t.Errorf("check with a small CWE list: exit %d, want %d", code, ExitFindings)
	}
	for _, s := range []string{
		rulesPath + ":2:5: acme.pump-check cites CWE-71, which CWE 4.99 does not list",
		"builtin:stores.yaml:5:5: store.unencrypted-at-rest cites CWE-311, which CWE 4.99 does not list",
		"the built-in rule is out of date, so report it to the Ward project",
		"against CAPEC 3.6 and CWE 4.99 and MITRE ATT&CK for ICS 18.1",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("check with a small CWE list lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "cites CWE-1191,") {
		t.Errorf("check reports CWE-1191, which the list has:\n%s", out)
	}
}

func TestRulesCheckUsage(t *testing.T) {
	t.Setenv(cacheDirEnv, t.TempDir())
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"extra argument", []string{"rules", "check", "ward.yaml"}, `"ward.yaml"`},
		{"unknown format", []string{"rules", "check", "--format", "xml"}, `--format "xml" is not one of text, json`},
		{"missing rule file", []string{"rules", "check", "--rules", "no-such-rules.yaml"}, "no-such-rules.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runWard(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("ward %v: exit %d, want %d", tt.args, code, ExitInvalid)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("ward %v stderr lacks %q:\n%s", tt.args, tt.want, errOut)
			}
		})
	}
}

func TestCatalogImportOneBadFileErrsOnce(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(bad, []byte("# not a catalog\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runWard(t, "catalog", "import", "--cache-dir", t.TempDir(), bad)
	if code != ExitInvalid {
		t.Errorf("exit %d, want %d", code, ExitInvalid)
	}
	if n := strings.Count(errOut, "ward:"); n != 1 {
		t.Errorf("stderr has %d error lines, want 1:\n%s", n, errOut)
	}
}
