package cli

import (
	"strings"
	"testing"
)

func TestUnknownSubcommand(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"review", "stat"}, `ward: unknown command "stat" for "ward review"; did you mean status?`},
		{[]string{"threat", "sett"}, `ward: unknown command "sett" for "ward threat"; did you mean set?`},
		{[]string{"issues", "exprt"}, `ward: unknown command "exprt" for "ward issues"; did you mean export?`},
		{[]string{"catalog", "shwo", "CAPEC-1"}, `ward: unknown command "shwo" for "ward catalog"; did you mean show?`},
		{[]string{"rules", "chek"}, `ward: unknown command "chek" for "ward rules"; did you mean check?`},
		{[]string{"vulns", "--db", "sea", "sett"}, `ward: unknown command "sett" for "ward vulns", and no model file sett exists; did you mean set?`},
		{[]string{"sbom", "zzz"}, `ward: unknown command "zzz" for "ward sbom"; the commands are check, import`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("stderr = %q, want it to start with %q", errOut, tt.want)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestParentCommandAloneShowsHelp(t *testing.T) {
	code, out, errOut := run(t, "review")
	if code != ExitOK {
		t.Errorf("exit %d, want 0\nstderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "Available Commands:") {
		t.Errorf("stdout lacks the command list:\n%s", out)
	}
}
