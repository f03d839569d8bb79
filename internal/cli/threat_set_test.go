package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
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

func TestThreatSetNamesArgumentNotUnwrittenLine(t *testing.T) {
	path := writeModel(t, editModel)
	code, _, errOut := run(t, "threat", "set", "hw.debug-port-opn@pump-swd", path, "--status", "mitigated", "--control", "C-1")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	want := `the ID argument: threats[1].match: match "hw.debug-port-opn@pump-swd" matches no identified threat; did you mean hw.debug-port-open@pump-swd?`
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
	// The appended entry was never written, so no line of the file can
	// show the problem.
	if strings.Contains(errOut, path+":") {
		t.Errorf("stderr points into text that is not in the file:\n%s", errOut)
	}
}

func TestEditSpanDescribe(t *testing.T) {
	original := []byte("a: 1\nlist:\n  - x\nb: 2\n")
	edited := []byte("a: 1\nlist:\n  - x\n  - y\nb: 2\n")
	span := newEditSpan("m.yaml", original, edited)
	flags := editFlags{"list": "--item"}

	tests := []struct {
		name string
		d    diag.Diagnostic
		want string
	}{
		{"before the edit", diag.Diagnostic{Pos: diag.Pos{File: "m.yaml", Line: 1, Col: 4}, Path: "a", Summary: "bad a"},
			"m.yaml:1:4: a: bad a"},
		{"inside the edit", diag.Diagnostic{Pos: diag.Pos{File: "m.yaml", Line: 4, Col: 5}, Path: "list[1]", Summary: `unknown "y"`, Fix: "use x"},
			`--item: list[1]: unknown "y"; use x`},
		{"after the edit", diag.Diagnostic{Pos: diag.Pos{File: "m.yaml", Line: 5, Col: 4}, Path: "b", Summary: "bad b"},
			"m.yaml:4:4: b: bad b"},
		{"unnamed key", diag.Diagnostic{Pos: diag.Pos{File: "m.yaml", Line: 4, Col: 5}, Path: "other", Summary: "bad"},
			"the values given on the command line (other): other: bad"},
		{"other file", diag.Diagnostic{Pos: diag.Pos{File: "inc.yaml", Line: 5, Col: 1}, Path: "c", Summary: "bad c"},
			"inc.yaml:5:1: c: bad c"},
	}
	for _, tt := range tests {
		if got := span.describe(tt.d, flags); got != tt.want {
			t.Errorf("%s: describe = %q, want %q", tt.name, got, tt.want)
		}
	}

	related := diag.Diagnostic{Pos: diag.Pos{File: "m.yaml", Line: 5, Col: 1}, Summary: "dup",
		Related: []diag.Pos{{File: "m.yaml", Line: 1, Col: 1}, {File: "m.yaml", Line: 4, Col: 3}}}
	span.describe(related, flags)
	if got := related.Related; len(got) != 2 || got[1].Line != 4 {
		t.Errorf("describe changed the caller's Related slice: %v", got)
	}
}

func TestTextPosCountsCharacters(t *testing.T) {
	src := []byte("name: Über\nnext: 1\n")
	if got := textPos("f", src, textOffset(src, 1, 10)); got.Line != 1 || got.Col != 10 {
		t.Errorf("textPos(textOffset(1, 10)) = %d:%d, want 1:10", got.Line, got.Col)
	}
	if got := textPos("f", src, textOffset(src, 2, 7)); got.Line != 2 || got.Col != 7 {
		t.Errorf("textPos(textOffset(2, 7)) = %d:%d, want 2:7", got.Line, got.Col)
	}
}

func TestThreatSetGlobCountsMatches(t *testing.T) {
	path := writeModel(t, editModel)
	code, out, errOut := run(t, "threat", "set", "hw.*@pump-swd", path, "--status", "open", "--issue", "SEC-1")
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// Only the new entry sets the issue, so the threats with it are the
	// ones the entry decides.
	n := 0
	for _, th := range threatsJSONOf(t, path).Threats {
		if th.Disposition != nil && th.Disposition.Issue == "SEC-1" {
			n++
		}
	}
	want := "added threats entry hw.*@pump-swd in " + path + "; it decides " + diag.Count(n, "threat", "threats") + "\n"
	if n < 1 || out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
}

func TestThreatSetGlobSaysWhyItDecidesNone(t *testing.T) {
	path := writeModel(t, editModel)
	code, out, errOut := run(t, "threat", "set", "vuln.known@*", path, "--status", "accepted", "--justification", "Decided per release.")
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "it decides 0 threats\n") || !strings.Contains(out, "no vulnerability database was read") {
		t.Errorf("stdout = %q, want the count and the reason it decides none", out)
	}
}
