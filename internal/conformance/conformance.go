// Package conformance checks an assessment against the requirements a
// threat model must meet. They cover every item of IEC 81001-5-1 clause 7.2
// (taken from IEC 62443-4-1 SR-2), the review and problem-resolution
// obligations, the expectations of the FDA premarket cybersecurity guidance,
// method diversity and the quality rules that auditors apply.
//
// Requirement titles paraphrase the standards in Ward's own words. The
// package renders nothing; `ward check` and the report print its results.
package conformance

import (
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
)

// Requirement groups.
const (
	GroupIEC     = "iec-81001-5-1"
	GroupFDA     = "fda-premarket"
	GroupMethod  = "method"
	GroupQuality = "quality"
)

// Requirement is one entry of the catalog: what must hold and how to check it.
type Requirement struct {
	assessment.Requirement
	// Severity is the status a failed check gets: fail or warning.
	Severity string
	check    func(c *checker) outcome
}

// outcome is the finding of a check function, before the catalog fills in
// the requirement's identity.
type outcome struct {
	failed bool
	// warn makes a failed outcome a warning, whatever the requirement's
	// severity.
	warn bool
	// unchecked marks an outcome for which nothing was examined. Its fix
	// then names the input that would let the check run.
	unchecked bool
	// inapplicable marks an outcome for which the model shows that the
	// requirement does not apply. Its message gives the reason.
	inapplicable bool
	message      string
	fix          string
	evidence     []assessment.Evidence
}

// Catalog returns the requirements in the order `ward check` reports them.
func Catalog() []Requirement {
	out := make([]Requirement, len(requirements))
	copy(out, requirements)
	return out
}

// Check runs every requirement against a. A requirement that the model
// declares not applicable (system.not_applicable) gets that status with the
// stated reason instead of being checked.
func Check(a *assessment.Assessment) []assessment.Result {
	c := newChecker(a)
	results := make([]assessment.Result, 0, len(requirements))
	for _, r := range requirements {
		results = append(results, c.run(r))
	}
	return results
}

func (c *checker) run(r Requirement) assessment.Result {
	res := assessment.Result{Requirement: r.Requirement}

	if reason := c.m.System.NotApplicable[r.ID]; strings.TrimSpace(reason) != "" {
		res.Status = assessment.NotApplicable
		res.Message = "declared not applicable: " + reason
		res.Evidence = []assessment.Evidence{c.at("system", "not_applicable", c.m.System.KeyPos("not_applicable", r.ID), r.ID)}
		return res
	}

	o := r.check(c)
	res.Message = o.message
	res.Evidence = o.evidence
	switch {
	case o.unchecked:
		res.Status = assessment.NotChecked
		res.Fix = o.fix
	case o.inapplicable:
		res.Status = assessment.NotApplicable
	case o.failed && o.warn:
		res.Status = assessment.Warning
		res.Fix = o.fix
	case o.failed:
		res.Status = r.Severity
		res.Fix = o.fix
	default:
		res.Status = assessment.Pass
	}
	return res
}

// Failures counts results with status fail, and Warnings those with
// warning. Not-checked results count as neither.
func Failures(results []assessment.Result) (failures, warnings int) {
	for _, r := range results {
		switch r.Status {
		case assessment.Fail:
			failures++
		case assessment.Warning:
			warnings++
		}
	}
	return failures, warnings
}

// evidence builds an Evidence value from a position.
func evidence(kind, id string, pos diag.Pos, note string) assessment.Evidence {
	return assessment.Evidence{Kind: kind, ID: id, Note: note, File: pos.File, Line: pos.Line, Col: pos.Col}
}
