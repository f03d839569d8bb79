package cli

import (
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
		if !strings.Contains(out, "\n35 requirements: 0 failed, 0 with a warning, 2 not checked (TM-TDW-001, 2026-12-04)\n") {
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
