package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	if code != ExitOK || !strings.Contains(out, "acme.pump-check") || !strings.Contains(out, "1 rules") {
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
	if code != ExitInvalid || !strings.Contains(errOut, "CWE is not distributed as STIX") {
		t.Errorf("show CWE-79: exit %d, stderr %q", code, errOut)
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
