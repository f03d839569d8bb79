package sbom

import "testing"

func TestIsOlderVersion(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"v0.3.5-0.20201125200606-abc", "v0.21.0", true},
		{"1.2.3", "1.10.0", true},
		{"1.10.0", "1.2.3", false},
		{"2.0", "2.0.0", false},
		{"1.2.3", "1.2.3", false},
		{"1.2", "1.2.1", true},
		{"abc", "1.0", false},
		{"", "1.0", false},
	}
	for _, tt := range tests {
		if got := IsOlderVersion(tt.a, tt.b); got != tt.want {
			t.Errorf("IsOlderVersion(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
