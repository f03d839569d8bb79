package conformance

import (
	"testing"
	"time"

	"github.com/wardtm/ward/internal/vuln"
)

func TestStaleKEVCatalog(t *testing.T) {
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		version string
		stale   bool
	}{
		{"2026.11.20", false},
		{"2026.11.04", false},
		{"2026.11.03", true},
		{"2025.08.25", true},
		{"not-a-date", false},
	}
	for _, tt := range tests {
		c := &checker{today: today}
		got := c.staleKEV(&vuln.KEVCatalog{Version: tt.version})
		if (got != "") != tt.stale {
			t.Errorf("staleKEV(%s) = %q, want stale %v", tt.version, got, tt.stale)
		}
	}
}
