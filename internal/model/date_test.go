package model

import (
	"strings"
	"testing"
)

func TestDateProblem(t *testing.T) {
	tests := []struct {
		value, want string
	}{
		{"2026-03-01", ""},
		{"2024-02-29", ""},
		{"2026-02-30", "does not exist, because February 2026 has 28 days"},
		{"2026-13-01", "there is no month 13"},
		{"1/3/2026", "write the date as YYYY-MM-DD"},
		{"2026-3-1", "write the date as YYYY-MM-DD"},
	}
	for _, tt := range tests {
		got := DateProblem(tt.value)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("DateProblem(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}
