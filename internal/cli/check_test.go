package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckExampleNotChecked runs ward check on the example without --db:
// the vulnerability requirements are reported as not checked with the
// flags to supply, and they change neither the counts of failures and
// warnings nor the exit code.
func TestCheckExampleNotChecked(t *testing.T) {
	example := filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml")
	for _, failOn := range []string{"error", "warning"} {
		code, out, errOut := run(t, "check", example, "--date", "2026-12-04", "--fail-on", failOn)
		if code != ExitOK {
			t.Fatalf("check --fail-on %s exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", failOn, code, out, errOut)
		}
		if !strings.Contains(out, "\n36 requirements: 34 passed, 0 failed, 0 with a warning, 0 not applicable, 2 not checked (TM-TDW-001, 2026-12-04)\n") {
			t.Errorf("check --fail-on %s summary missing or wrong:\n%s", failOn, out)
		}
	}

	_, out, _ := run(t, "check", example, "--date", "2026-12-04")
	for _, want := range []string{
		"NOT-CHECKED fda.kev                    no vulnerability database given",
		"NOT-CHECKED fda.vulns-assessed         no vulnerability database given",
		"            fix: run with --db (an offline OSV database) and --kev",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PASS        fda.kev") {
		t.Errorf("fda.kev passes without a vulnerability database:\n%s", out)
	}
	if i, j := strings.Index(out, "NOT-CHECKED"), strings.Index(out, "PASS"); i < 0 || j < i {
		t.Errorf("not-checked requirements should come before passing ones:\n%s", out)
	}
}

// badRuleFile is a rule file with an unknown fact in its condition.
const badRuleFile = `rules:
  - id: acme.pump-check
    title: pump check
    description: "{name} is checked"
    applies_to: [process]
    when: {encrpyted: true}
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
`

func TestCheckRulesFlagErrorNamesRulesCommand(t *testing.T) {
	path := writeModel(t, editModel)
	rules := filepath.Join(t.TempDir(), "acme.yaml")
	writeFile(t, rules, badRuleFile)

	code, _, errOut := run(t, "check", path, "--rules", rules, "--date", "2026-01-01")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, rules+":6:12: rules[0].when.encrpyted: unknown fact") {
		t.Errorf("stderr lacks the rule file's problem:\n%s", errOut)
	}
	want := "ward: 1 error in the --rules files, shown above; to check them alone, run ward rules check --rules " + rules
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
	if strings.Contains(errOut, "ward validate") {
		t.Errorf("stderr points at validate, which does not read --rules:\n%s", errOut)
	}
}

func TestRulesFlagMissingPath(t *testing.T) {
	path := writeModel(t, editModel)
	missing := filepath.Join(t.TempDir(), "nosuch")
	for _, args := range [][]string{
		{"check", path, "--rules", missing},
		{"rules", "list", "--rules", missing},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, errOut := run(t, args...)
			if code != ExitInvalid {
				t.Errorf("exit %d, want 2", code)
			}
			want := `ward: invalid --rules "` + missing + `": no file or folder ` + missing + "; check the path"
			if !strings.HasPrefix(errOut, want) {
				t.Errorf("stderr = %q, want it to start with %q", errOut, want)
			}
		})
	}
}

func TestCheckJSONIsARecord(t *testing.T) {
	example := filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml")
	code, out, errOut := run(t, "check", example, "--date", "2026-12-04", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit = %d, want 0\nstderr:\n%s", code, errOut)
	}
	var rec struct {
		Tool     string `json:"tool"`
		Model    string `json:"model"`
		Document struct {
			ID      string `json:"id"`
			Version string `json:"version"`
		} `json:"document"`
		Digest  string            `json:"digest"`
		Date    string            `json:"date"`
		Summary map[string]int    `json:"summary"`
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("output is not a JSON record: %v\n%.300s", err, out)
	}
	if rec.Tool == "" || rec.Model != example || rec.Date != "2026-12-04" {
		t.Errorf("tool %q, model %q, date %q; want all set, model %q and date 2026-12-04", rec.Tool, rec.Model, rec.Date, example)
	}
	if rec.Document.ID != "TM-TDW-001" || rec.Document.Version == "" {
		t.Errorf("document = %+v, want TM-TDW-001 with a version", rec.Document)
	}
	if !strings.HasPrefix(rec.Digest, "sha256:") {
		t.Errorf("digest = %q, want the model's sha256 digest", rec.Digest)
	}
	total := 0
	for _, n := range rec.Summary {
		total += n
	}
	if total != len(rec.Results) || rec.Summary["not-checked"] != 2 {
		t.Errorf("summary %v does not count the %d results (with 2 not checked)", rec.Summary, len(rec.Results))
	}
}
