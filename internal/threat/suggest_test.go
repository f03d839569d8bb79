package threat

import (
	"slices"
	"testing"
)

func TestSuggestMatch(t *testing.T) {
	ids := []string{
		"stride.tampering@hub-to-ehr", "stride.tampering@hub-to-fhir",
		"stride.spoofing@meter-flash", "flow.no-integrity@hub-to-ehr",
	}
	tests := []struct {
		pattern string
		want    []string
	}{
		{"stride.tampering@hub-to-ehrr", []string{"stride.tampering@hub-to-ehr"}},
		// A tie names every candidate instead of guessing one.
		{"stride.*@hub-to-fhr", []string{"stride.*@hub-to-ehr", "stride.*@hub-to-fhir"}},
		{"stride.*@meter-flsh", []string{"stride.*@meter-flash"}},
		{"flow.no-integrty@*", []string{"flow.no-integrity@*"}},
		{"nothing.like.this@anywhere-at-all", nil},
	}
	for _, tt := range tests {
		if got := suggestMatch(tt.pattern, ids); !slices.Equal(got, tt.want) {
			t.Errorf("suggestMatch(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	tests := []struct {
		suggestions []string
		want        string
	}{
		{nil, ""},
		{[]string{"a"}, "did you mean a? "},
		{[]string{"a", "b"}, "did you mean a or b? "},
		{[]string{"a", "b", "c", "d"}, "did you mean a, b or c? "},
	}
	for _, tt := range tests {
		if got := didYouMean(tt.suggestions); got != tt.want {
			t.Errorf("didYouMean(%q) = %q, want %q", tt.suggestions, got, tt.want)
		}
	}
}
