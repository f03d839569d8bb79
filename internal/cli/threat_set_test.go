package cli

import (
	"os"
	"strings"
	"testing"
)

func TestThreatSetUpdatesEntry(t *testing.T) {
	path := writeModel(t, editModel)
	code, out, errOut := run(t, "threat", "set", "hw.debug-port-open@pump-swd", path,
		"--status", "mitigated", "--control", "C-1", "--hazard", "HAZ-1",
		"--justification", "Readout protection is verified on every unit.",
		"--cvss", "CVSS:3.1/AV:P/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", "--tracker", "https://tracker.example/T-1")
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(editModel, "    status: open   # to decide\n",
		"    status: mitigated   # to decide\n"+
			"    controls: [C-1]\n"+
			"    justification: Readout protection is verified on every unit.\n"+
			"    cvss: CVSS:3.1/AV:P/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H\n"+
			"    hazards: [HAZ-1]\n"+
			"    tracker: https://tracker.example/T-1\n", 1)
	if string(got) != want {
		t.Errorf("file after threat set:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(out, "updated threats entry") {
		t.Errorf("stdout = %q", out)
	}
}

func TestThreatSetAppendsEntry(t *testing.T) {
	path := writeModel(t, editModel)
	code, out, errOut := run(t, "threat", "set", "stride.tampering@app-to-pump", path, "--status", "open", "--issue", "SEC-1")
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(editModel, "    status: open   # to decide\n",
		"    status: open   # to decide\n  - match: stride.tampering@app-to-pump\n    status: open\n    issue: SEC-1\n", 1)
	if string(got) != want {
		t.Errorf("file after threat set:\n%s\nwant:\n%s", got, want)
	}
}

func TestThreatSetRejectsBadValues(t *testing.T) {
	path := writeModel(t, editModel)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"status", []string{"--status", "done"}, `--status "done" is not one of`},
		{"control", []string{"--control", "C-9"}, `--control "C-9": no entry under controls: has that ID; did you mean C-1?`},
		{"control far off", []string{"--control", "LOCK"}, `--control "LOCK": no entry under controls: has that ID; check the spelling, or add the entry under controls: first`},
		{"status typo", []string{"--status", "acepted"}, `--status "acepted" is not one of open, mitigated, accepted, transferred, avoided, not-applicable; did you mean accepted?`},
		{"hazard typo", []string{"--hazard", "HAZ1"}, `--hazard "HAZ1": no entry under hazards: has that ID; did you mean HAZ-1?`},
		{"hazard", []string{"--hazard", "HAZ-9"}, `--hazard "HAZ-9"`},
		{"issue", []string{"--issue", "SEC-9"}, `--issue "SEC-9"`},
		{"cvss", []string{"--cvss", "CVSS:3.1/AV:Q"}, "metric AV"},
		{"tracker", []string{"--tracker", "T-1"}, "not an http or https URL"},
		{"nothing", nil, "nothing to set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, append([]string{"threat", "set", "x@y", path}, tt.args...)...)
			if code != ExitInvalid || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != editModel {
				t.Error("rejected threat set changed the file")
			}
		})
	}
}

func TestThreatSetRejectsIncompleteDecisions(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"dangling match", []string{"hw.debug-port-open@pump-swdd", "--status", "open"}, "matches no identified threat"},
		{"accepted without reason", []string{"hw.debug-port-open@pump-swd", "--status", "accepted"}, "needs a reason"},
		{"new entry without status", []string{"stride.tampering@app-to-pump", "--issue", "SEC-1"}, "needs --status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeModel(t, editModel)
			code, _, errOut := run(t, append([]string{"threat", "set", tt.args[0], path}, tt.args[1:]...)...)
			if code != ExitInvalid || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != editModel {
				t.Error("rejected threat set changed the file")
			}
		})
	}
}
