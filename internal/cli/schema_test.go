package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

func TestSchemaCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantSchema bool
		wantStderr string
	}{
		{"prints schema", []string{"schema"}, ExitOK, true, ""},
		{"rejects argument", []string{"schema", "ward.yaml"}, ExitInvalid, false, `extra argument "ward.yaml": ward schema takes no arguments`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("Run(%q) = %d, want %d; stderr: %s", tt.args, code, tt.wantCode, stderr.String())
			}
			if tt.wantSchema && !bytes.Equal(stdout.Bytes(), model.Schema()) {
				t.Errorf("Run(%q) stdout is not the embedded schema (got %d bytes)", tt.args, stdout.Len())
			}
			if !tt.wantSchema && stdout.Len() != 0 {
				t.Errorf("Run(%q) stdout = %q, want empty", tt.args, stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("Run(%q) stderr = %q, want it to contain %q", tt.args, stderr.String(), tt.wantStderr)
			}
		})
	}
}
