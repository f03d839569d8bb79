package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateReportsIdentificationMistakes checks that mistakes only
// threat identification or the risk policy can see make validate fail,
// so a model validate accepts never fails a later command.
func TestValidateReportsIdentificationMistakes(t *testing.T) {
	base := `ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-1, version: "1"}
  lifecycle: development
elements:
  - id: fw
    kind: process
    name: Firmware
`
	tests := []struct {
		name  string
		extra string
		want  string
	}{
		{"dangling disposition", "threats:\n  - match: stride.tampering@fww\n    status: mitigated\n", "did you mean stride.tampering@fw"},
		{"bad risk level", "risk:\n  accept: extreme\n", "risk.accept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ward.yaml")
			if err := os.WriteFile(path, []byte(base+tt.extra), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runValidate(t, "validate", path)
			if code != ExitInvalid {
				t.Fatalf("validate exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitInvalid, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("output lacks %q:\n%s%s", tt.want, stdout, stderr)
			}
		})
	}
}

func TestValidateUnknownKeyHidesNoMatch(t *testing.T) {
	src := `ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-1, version: "1"}
  lifecycle: development
  colour: blue
elements:
  - id: fw
    kind: process
    name: Firmware
threats:
  - match: "stride.*@fww"
    status: mitigated
`
	path := filepath.Join(t.TempDir(), "ward.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runValidate(t, "validate", path)
	if code != ExitInvalid {
		t.Fatalf("validate exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, ExitInvalid, stdout, stderr)
	}
	for _, want := range []string{
		path + `:7:3: system.colour: unknown key "colour"`,
		path + `:13:12: threats[0].match: match "stride.*@fww" matches no identified threat`,
		"checked with the unknown keys ignored",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "2 errors") {
		t.Errorf("stderr = %q, want the count of both errors", stderr)
	}
}
