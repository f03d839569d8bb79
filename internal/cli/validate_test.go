package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// runValidate runs ward with args in-process and returns the exit code and
// both streams.
func runValidate(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

const (
	validModel = "../model/testdata/valid.yaml"
	tenModel   = "../model/testdata/ten-mistakes.yaml"
)

var diagLine = regexp.MustCompile(`^\.\./model/testdata/ten-mistakes\.yaml:\d+:\d+: \S+: `)

func TestValidateCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings
		stderr     []string
		diagnostic int // number of file:line:col lines expected on stdout
	}{
		{
			name:   "valid model",
			args:   []string{"validate", validModel},
			code:   ExitOK,
			stdout: []string{validModel + ": valid (1 file)", "processes            2", "interfaces           1  (external 0, enclosure 0, board 1)", "threat entries       2  (1 disposition, 1 hand-written)"},
		},
		{
			name:       "ten mistakes",
			args:       []string{"validate", tenModel},
			code:       ExitInvalid,
			stdout:     []string{`flows[0].form: unknown key "form"; did you mean "from"?`, "    form: app", "    ^"},
			stderr:     []string{tenModel + ": 10 errors"},
			diagnostic: 10,
		},
		{
			name:       "capped output",
			args:       []string{"validate", "--max-errors", "3", tenModel},
			code:       ExitInvalid,
			stdout:     []string{"and 7 more"},
			diagnostic: 3,
		},
		{
			name:   "missing file",
			args:   []string{"validate", "no-such-model.yaml"},
			code:   ExitInvalid,
			stderr: []string{"no-such-model.yaml"},
		},
		{
			name:   "unknown format",
			args:   []string{"validate", "--format", "xml", validModel},
			code:   ExitInvalid,
			stderr: []string{`--format "xml" is not one of text, json`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runValidate(t, tt.args...)
			if code != tt.code {
				t.Errorf("ward %s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			n := 0
			for _, line := range strings.Split(stdout, "\n") {
				if diagLine.MatchString(line) {
					n++
				}
			}
			if n != tt.diagnostic {
				t.Errorf("stdout has %d diagnostic lines, want %d:\n%s", n, tt.diagnostic, stdout)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	code, stdout, _ := runValidate(t, "validate", "--format", "json", tenModel)
	if code != ExitInvalid {
		t.Errorf("exit code %d, want %d", code, ExitInvalid)
	}
	var got struct {
		Valid       bool
		Errors      int
		Diagnostics []struct {
			Severity, Code, Path, Summary, Fix string
			Pos                                struct {
				File      string
				Line, Col int
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if got.Valid || got.Errors != 10 || len(got.Diagnostics) != 10 {
		t.Fatalf("valid=%v errors=%d diagnostics=%d, want false, 10, 10", got.Valid, got.Errors, len(got.Diagnostics))
	}
	first := got.Diagnostics[0]
	if first.Severity != "error" || first.Code != "invalid-value" || first.Pos.Line != 6 || first.Pos.Col != 14 || first.Path != "system.lifecycle" {
		t.Errorf("first diagnostic = %+v, want the invalid lifecycle at 6:14", first)
	}

	code, stdout, _ = runValidate(t, "validate", "--format", "json", validModel)
	if code != ExitOK || !strings.Contains(stdout, `"valid": true`) || !strings.Contains(stdout, `"processes": 2`) {
		t.Errorf("valid model: exit %d, output:\n%s", code, stdout)
	}
}

func TestValidateExample(t *testing.T) {
	code, stdout, stderr := runValidate(t, "validate", "../../examples/insulin-pump/ward.yaml")
	if code != ExitOK {
		t.Errorf("the example model does not validate: exit %d\n%s%s", code, stdout, stderr)
	}
}
