package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDateFlag(t *testing.T) {
	tests := []struct {
		value string
		want  string // "" for a valid date
	}{
		{"2026-03-01", ""},
		{"2024-02-29", ""},
		{"2026-02-30", `invalid --date "2026-02-30": the date does not exist, because February 2026 has 28 days`},
		{"2025-02-29", `invalid --date "2025-02-29": the date does not exist, because February 2025 has 28 days`},
		{"2026-04-31", `invalid --date "2026-04-31": the date does not exist, because April 2026 has 30 days`},
		{"2026-01-00", `invalid --date "2026-01-00": the date does not exist, because January 2026 has 31 days`},
		{"2026-13-01", `invalid --date "2026-13-01": the date does not exist, because there is no month 13; the month is the middle part, 01 to 12`},
		{"2026-3-1", `invalid --date "2026-3-1": write the date as YYYY-MM-DD, for example 2026-03-01`},
		{"01/03/2026", `invalid --date "01/03/2026": write the date as YYYY-MM-DD, for example 2026-03-01`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			_, err := parseDateFlag("--date", tt.value)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("parseDateFlag(%q) = %v, want no error", tt.value, err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("parseDateFlag(%q) = %v, want %q", tt.value, err, tt.want)
			}
		})
	}
}

func TestCheckDateNamesFlagNotModel(t *testing.T) {
	path := writeModel(t, editModel)
	code, _, errOut := run(t, "check", path, "--date", "2026-13-01")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	want := `ward: invalid --date "2026-13-01": the date does not exist, because there is no month 13`
	if !strings.HasPrefix(errOut, want) {
		t.Errorf("stderr = %q, want it to start with %q", errOut, want)
	}
	if strings.Contains(errOut, path) {
		t.Errorf("stderr names the model for a flag error: %q", errOut)
	}
}

func TestChoiceFlagsSuggest(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"check fail-on", []string{"check", missing, "--fail-on", "warnings"}, `ward: --fail-on "warnings" is not one of error, warning, none; did you mean warning?`},
		{"check format", []string{"check", missing, "--format", "sarfi"}, `ward: --format "sarfi" is not one of text, json, sarif; did you mean sarif?`},
		{"evidence fail-on", []string{"evidence", t.TempDir(), "--fail-on", "weka"}, `ward: --fail-on "weka" is not one of missing, weak, none; did you mean weak?`},
		{"vulns fail-on", []string{"vulns", missing, "--db", t.TempDir(), "--fail-on", "kve"}, `ward: --fail-on "kve" is not one of kev, any, unassessed; did you mean kev?`},
		{"diagram view", []string{"diagram", missing, "--view", "globl"}, `ward: --view "globl" is not one of global, multi-patient, update, use-case:<id>; did you mean global?`},
		{"threats format", []string{"threats", missing, "--format", "jsn"}, `ward: --format "jsn" is not one of table, json, csv; did you mean json?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("stderr = %q, want it to start with %q", errOut, tt.want)
			}
		})
	}
}

func TestDiagramUseCaseSuggests(t *testing.T) {
	if _, err := os.Stat(examplePump); err != nil {
		t.Skip("the insulin pump example is not in this tree")
	}
	code, _, errOut := run(t, "diagram", examplePump, "--view", "use-case:UC-REMOTE-BOLSU")
	if code != ExitInvalid {
		t.Errorf("exit %d, want 2", code)
	}
	if want := "did you mean use-case:UC-REMOTE-BOLUS?"; !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
}

func TestMissingInputPathsNamed(t *testing.T) {
	path := writeModel(t, editModel)
	dir := t.TempDir()
	noDB := filepath.Join(dir, "osv")
	noKEV := filepath.Join(dir, "kev.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"check --db", []string{"check", path, "--db", noDB}, `ward: invalid --db "` + noDB + `": no file or folder there; give a folder of OSV records or an osv.dev zip archive`},
		{"threats --kev", []string{"threats", path, "--kev", noKEV}, `ward: invalid --kev "` + noKEV + `": no file or folder there; give CISA's Known Exploited Vulnerabilities catalog`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("stderr = %q, want it to start with %q", errOut, tt.want)
			}
		})
	}
}
