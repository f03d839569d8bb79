package diag

import "testing"

func TestClosest(t *testing.T) {
	statuses := []string{"open", "mitigated", "accepted", "transferred", "avoided", "not-applicable"}
	tests := []struct {
		value string
		known []string
		want  string
	}{
		{"acepted", statuses, "accepted"},
		{"Mitigated", statuses, "mitigated"},
		{"not_applicable", statuses, "not-applicable"},
		{"accept", statuses, "accepted"},
		{"done", statuses, ""},
		{"C-SWD-LOK", []string{"C-SWD-LOCK", "C-BLE-PAIRING"}, "C-SWD-LOCK"},
		{"golang-golang.org-x-tex", []string{"golang-golang.org-x-text", "golang-golang.org-x-net"}, "golang-golang.org-x-text"},
		{"meter", []string{"meter-flash", "meter-swd"}, ""}, // a prefix of several
		{"HAZ 3", []string{"HAZ 3"}, ""},                    // the value itself is no suggestion
		{"HAZ 3", []string{"HAZ 3", "HAZ 30"}, "HAZ 30"},
	}
	for _, tt := range tests {
		if got := Closest(tt.value, tt.known); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0 items"},
		{1, "1 item"},
		{2, "2 items"},
	}
	for _, tt := range tests {
		if got := Count(tt.n, "item", "items"); got != tt.want {
			t.Errorf("Count(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestAgree(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "lack"},
		{1, "lacks"},
		{2, "lack"},
	}
	for _, tt := range tests {
		if got := Agree(tt.n, "lacks", "lack"); got != tt.want {
			t.Errorf("Agree(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
