package risk

import (
	"fmt"
	"math"

	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
)

// Severity is the qualitative severity rating of a CVSS score, the same
// scale in CVSS v3.x and v4.0: none 0.0, low 0.1-3.9, medium 4.0-6.9,
// high 7.0-8.9, critical 9.0-10.0.
type Severity string

// Severity ratings.
const (
	SeverityNone     Severity = "none"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Rate returns the severity rating of a score between 0 and 10.
func Rate(score float64) Severity {
	switch {
	case score <= 0:
		return SeverityNone
	case score < 4:
		return SeverityLow
	case score < 7:
		return SeverityMedium
	case score < 9:
		return SeverityHigh
	default:
		return SeverityCritical
	}
}

// Score is a scored CVSS vector. Scores are on the 0-10 scale with one
// decimal, exactly as the FIRST reference calculators print them.
type Score struct {
	Vector  string  `json:"vector"`
	Version string  `json:"version"` // "3.0", "3.1" or "4.0"
	Base    float64 `json:"base"`
	// Temporal is the CVSS v3 temporal score or the CVSS v4.0 threat score
	// (base and threat metrics); nil when the vector sets no metric of that
	// group to a value other than X.
	Temporal *float64 `json:"temporal,omitempty"`
	// Environmental is the score with the environmental metrics (and the
	// temporal or threat metrics, if any); nil when the vector sets none.
	Environmental *float64 `json:"environmental,omitempty"`
	// Overall is the most specific score: environmental, else temporal,
	// else base.
	Overall  float64  `json:"overall"`
	Severity Severity `json:"severity"`
	// Exploitability is the CVSS v3 exploitability sub-score of the base
	// metrics (0.1-3.9), rounded to one decimal; nil for CVSS v4.0, which
	// has no sub-scores.
	Exploitability *float64 `json:"exploitability,omitempty"`
	// Metrics holds the metrics as written, keyed by abbreviation.
	Metrics map[string]string `json:"metrics"`
}

// Effective returns the value of a base metric that scoring uses: its
// modified (environmental) value when the vector sets one, else the base
// value. It returns "" for a metric the vector does not have.
func (s Score) Effective(metric string) string {
	if m, ok := s.Metrics["M"+metric]; ok && m != "X" {
		return m
	}
	return s.Metrics[metric]
}

// ScoreVector parses and scores a CVSS v3.0, v3.1 or v4.0 vector. An invalid
// vector returns a *VectorError naming the offending metric.
func ScoreVector(vector string) (Score, error) {
	v, err := parseVector(vector)
	if err != nil {
		return Score{}, err
	}
	s := Score{Vector: vector, Version: v.version, Metrics: v.values}

	switch v.version {
	case "3.0":
		c, err := gocvss30.ParseVector(vector)
		if err != nil {
			return Score{}, &VectorError{Vector: vector, Msg: err.Error()}
		}
		s.Base = c.BaseScore()
		s.Exploitability = ptr(math.Round(c.Exploitability()*10) / 10)
		if v.has(groupTemporal) {
			s.Temporal = ptr(c.TemporalScore())
		}
		if v.has(groupEnvironmental) {
			s.Environmental = ptr(c.EnvironmentalScore())
		}
	case "3.1":
		c, err := gocvss31.ParseVector(vector)
		if err != nil {
			return Score{}, &VectorError{Vector: vector, Msg: err.Error()}
		}
		s.Base = c.BaseScore()
		s.Exploitability = ptr(math.Round(c.Exploitability()*10) / 10)
		if v.has(groupTemporal) {
			s.Temporal = ptr(c.TemporalScore())
		}
		if v.has(groupEnvironmental) {
			s.Environmental = ptr(c.EnvironmentalScore())
		}
	case "4.0":
		if err := scoreVersion4(v, &s); err != nil {
			return Score{}, err
		}
	}

	s.Overall = s.Base
	if s.Temporal != nil {
		s.Overall = *s.Temporal
	}
	if s.Environmental != nil {
		s.Overall = *s.Environmental
	}
	s.Severity = Rate(s.Overall)
	return s, nil
}

// scoreVersion4 fills the base, threat and environmental scores of a CVSS
// v4.0 vector, each from the vector restricted to the groups it covers.
func scoreVersion4(v *vector, s *Score) error {
	score := func(groups ...string) (float64, error) {
		restricted, err := parseVector(v.only(groups...))
		if err != nil {
			return 0, fmt.Errorf("restricting %s to %v: %w", v.raw, groups, err)
		}
		tenths, err := score40(restricted)
		return float64(tenths) / 10, err
	}

	base, err := score(groupBase)
	if err != nil {
		return err
	}
	s.Base = base
	if v.has(groupTemporal) {
		t, err := score(groupBase, groupTemporal)
		if err != nil {
			return err
		}
		s.Temporal = &t
	}
	if v.has(groupEnvironmental) {
		tenths, err := score40(v)
		if err != nil {
			return err
		}
		s.Environmental = ptr(float64(tenths) / 10)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
