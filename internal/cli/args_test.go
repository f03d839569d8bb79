package cli

import (
	"slices"
	"strings"
	"testing"
)

func TestArgNames(t *testing.T) {
	tests := []struct {
		use  string
		want []string
	}{
		{"validate [model]", []string{"[model]"}},
		{"set ID [model]", []string{"ID", "[model]"}},
		{"import [--from FORMAT] FILE", []string{"FILE"}},
		{"export --to otm [model]", []string{"[model]"}},
		{"schema", nil},
	}
	for _, tt := range tests {
		if got := argNames(tt.use); !slices.Equal(got, tt.want) {
			t.Errorf("argNames(%q) = %q, want %q", tt.use, got, tt.want)
		}
	}
}

func TestArgumentCountMessages(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"extra model", []string{"validate", "a.yaml", "b.yaml"},
			`ward: extra argument "b.yaml": ward validate takes [model]; if it is part of a flag's value, put the value in quotes`},
		{"unquoted flag value", []string{"threat", "set", "x@y", "ward.yaml", "protection", "--status", "open"},
			`ward: extra argument "protection": ward threat set takes ID [model]`},
		{"missing ID", []string{"threat", "set"}, "ward: missing argument ID: ward threat set takes ID [model]"},
		{"missing file", []string{"sbom", "import"}, "ward: missing argument FILE: ward sbom import takes FILE [model]"},
		{"no arguments allowed", []string{"schema", "x"}, `ward: extra argument "x": ward schema takes no arguments`},
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
			if strings.Contains(errOut, "arg(s)") {
				t.Errorf("stderr keeps cobra's message: %q", errOut)
			}
		})
	}
}
