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
