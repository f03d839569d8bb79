package risk

import (
	"errors"
	"strings"
	"testing"
)

func TestScoreVectorErrors(t *testing.T) {
	tests := []struct {
		name, vector, metric, msg string
	}{
		{"empty", "", "", "must start with"},
		{"version 2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", "", "must start with"},
		{"no metrics", "CVSS:3.1/", "", "no metrics"},
		{"not key value", "CVSS:3.1/AV", "", "KEY:VALUE"},
		{"unknown metric", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", "XX", "unknown in CVSS 3.1"},
		{"bad value", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV", `value "Q" is not one of N, A, L, P`},
		{"duplicate", "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV", "more than once"},
		{"missing base", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "A", "base metric missing"},
		{"v4 metric in v3", "CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H", "AT", "unknown"},
		{"v4 order", "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "AV", "out of order"},
		{"v4 S only modified", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", "SI", `value "S"`},
		{"v4 missing", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "SA", "base metric missing"},
		{"too long", "CVSS:3.1/" + strings.Repeat("AV:N/", 200), "", "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ScoreVector(tt.vector)
			var ve *VectorError
			if !errors.As(err, &ve) {
				t.Fatalf("ScoreVector(%q) error = %v, want *VectorError", tt.vector, err)
			}
			if ve.Metric != tt.metric {
				t.Errorf("ScoreVector(%q) metric = %q, want %q", tt.vector, ve.Metric, tt.metric)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("ScoreVector(%q) error = %q, want it to contain %q", tt.vector, err, tt.msg)
			}
		})
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		score float64
		want  Severity
	}{
		{0, SeverityNone}, {0.1, SeverityLow}, {3.9, SeverityLow}, {4.0, SeverityMedium},
		{6.9, SeverityMedium}, {7.0, SeverityHigh}, {8.9, SeverityHigh}, {9.0, SeverityCritical}, {10, SeverityCritical},
	}
	for _, tt := range tests {
		if got := Rate(tt.score); got != tt.want {
			t.Errorf("Rate(%v) = %s, want %s", tt.score, got, tt.want)
		}
	}
}

func TestScoreEffective(t *testing.T) {
	s, err := ScoreVector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:P/MPR:X")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Effective("AV"); got != "P" {
		t.Errorf("Effective(AV) = %q, want P", got)
	}
	if got := s.Effective("PR"); got != "N" {
		t.Errorf("Effective(PR) = %q, want N", got)
	}
	if s.Exploitability == nil || *s.Exploitability != 3.9 {
		t.Errorf("Exploitability = %v, want 3.9", s.Exploitability)
	}
}

// FuzzScoreVector checks that any input either scores within 0-10 with a
// rating, or fails with a *VectorError, and never panics.
func FuzzScoreVector(f *testing.F) {
	for _, seed := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:L/E:U/RL:O/RC:U/CR:L/MS:U",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MSI:S",
		"CVSS:4.0/AV:L/AC:H/AT:N/PR:H/UI:N/VC:L/VI:H/VA:N/SC:L/SI:L/SA:L",
		"CVSS:4.0/AV:N",
		"CVSS:3.1/AV:N/AV:N",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := ScoreVector(v)
		if err != nil {
			var ve *VectorError
			if !errors.As(err, &ve) {
				t.Fatalf("ScoreVector(%q) error %v is not a *VectorError", v, err)
			}
			return
		}
		for _, x := range []float64{s.Base, s.Overall} {
			if x < 0 || x > 10 {
				t.Fatalf("ScoreVector(%q) score %v out of range", v, x)
			}
		}
		if s.Severity != Rate(s.Overall) {
			t.Fatalf("ScoreVector(%q) severity %s does not match %v", v, s.Severity, s.Overall)
		}
	})
}

func BenchmarkScoreVector40(b *testing.B) {
	for b.Loop() {
		if _, err := ScoreVector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/CR:H/MAV:A"); err != nil {
			b.Fatal(err)
		}
	}
}
