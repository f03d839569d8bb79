package conformance

import (
	"fmt"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/review"
)

func checkTeamReview(c *checker) outcome {
	var ev []assessment.Evidence
	var last *model.Review
	for i := range c.m.Reviews {
		r := &c.m.Reviews[i]
		if r.Kind != "development-team" {
			continue
		}
		ev = append(ev, c.at("review", string(r.Date), r.Pos(), fmt.Sprintf("%s, %s", r.Outcome, diag.Count(len(r.Reviewers), "reviewer", "reviewers"))))
		if len(r.Reviewers) > 0 && (last == nil || r.Date > last.Date) {
			last = r
		}
	}
	if last == nil {
		return fail("no review by the development team with named reviewers is recorded",
			"run ward review record --kind development-team --reviewer \"Name:Role\" after the team has reviewed the model", ev)
	}
	return pass(fmt.Sprintf("last development-team review on %s by %s (%s)", last.Date, diag.Count(len(last.Reviewers), "reviewer", "reviewers"), last.Outcome), ev)
}

func checkYearlyReview(c *checker) outcome {
	r := c.a.Review
	if !c.released() {
		s := &c.m.System
		return notApplicable(fmt.Sprintf("system.lifecycle is %q and the yearly review applies to released products only, so no review date was examined", s.Lifecycle),
			[]assessment.Evidence{c.at("system", "lifecycle", s.FieldPos("lifecycle"), s.Lifecycle)})
	}
	last := r.LastPeriodic
	if r.LastTeam != nil && (last == nil || r.LastTeam.Date > last.Date) {
		last = r.LastTeam
	}
	if last == nil {
		return fail("the product is released and the threat model has never had a team or periodic review",
			fmt.Sprintf("review the model and run ward review record --kind periodic; reviews are due every %d days", r.Interval), nil)
	}
	ev := []assessment.Evidence{c.at("review", string(last.Date), last.Review.Pos(), last.Kind)}
	if c.today.IsZero() {
		o := notChecked(fmt.Sprintf("last %s review on %s, but no assessment date given, so whether the next review (due %s) is overdue was not checked", last.Kind, last.Date, r.NextDue),
			"give the assessment date with --date YYYY-MM-DD")
		o.evidence = ev
		return o
	}
	if r.Overdue {
		when, _ := last.Date.Time()
		return fail(fmt.Sprintf("the last development-team or periodic review was on %s, %d days before %s%s; reviews of a released product are due every %d days",
			last.Date, daysBetween(when, c.today), r.Today, c.laterChangeReview(last), r.Interval),
			"review the model with the team and run ward review record --kind periodic", ev)
	}
	return pass(fmt.Sprintf("last %s review on %s%s; next due by %s", last.Kind, last.Date, c.laterChangeReview(last), r.NextDue), ev)
}

// laterChangeReview returns, for appending to a message, a note naming the
// newest change review after last, or "" when there is none. A change
// review covers one change, not the whole model, so the yearly check does
// not count it even though the reviews section lists it as the latest.
func (c *checker) laterChangeReview(last *review.Entry) string {
	newest := ""
	for i := range c.m.Reviews {
		rv := &c.m.Reviews[i]
		if rv.Kind == "change" && rv.Date > last.Date && string(rv.Date) > newest {
			newest = string(rv.Date)
		}
	}
	if newest == "" {
		return ""
	}
	return " (the yearly check counts development-team and periodic reviews, not the change review on " + newest + ")"
}

func checkReviewCurrent(c *checker) outcome {
	r := c.a.Review
	if r.Last == nil {
		return fail("the model has never been reviewed", "review it and run ward review record", nil)
	}
	ev := []assessment.Evidence{c.at("review", string(r.Last.Date), r.Last.Review.Pos(), r.Last.Kind)}
	if r.Changed {
		return fail("the model changed since its last review on "+string(r.Last.Date)+" (digest "+shortDigest(r.Last.Digest)+", now "+shortDigest(r.Digest)+")",
			"review the changes and run ward review record --kind change; ward review status shows the details", ev)
	}
	return pass("the model is unchanged since its last review on "+string(r.Last.Date), ev)
}

func shortDigest(d string) string {
	if d == "" {
		return "none recorded"
	}
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

// resolvedIssue reports whether an issue has left problem resolution.
func resolvedIssue(is *model.Issue) bool {
	return is.Status == "resolved" || is.Status == "closed"
}

func checkIssueHandling(c *checker) outcome {
	if len(c.m.Issues) == 0 {
		return notChecked("no security-related issues are recorded, so no problem-resolution fields were examined",
			"record the security-related issues under issues with cvss, affected_versions, safety_impact and, once resolved, root_cause and disclosure.decision; "+
				"if the product has none, record why under system.not_applicable with key issues.handling")
	}
	var ev []assessment.Evidence
	var incomplete []string
	for i := range c.m.Issues {
		is := &c.m.Issues[i]
		var missing []string
		if is.CVSS == "" {
			missing = append(missing, "cvss")
		}
		if len(is.AffectedVersions) == 0 {
			missing = append(missing, "affected_versions")
		}
		if is.RootCause == "" && resolvedIssue(is) {
			missing = append(missing, "root_cause")
		}
		if is.SafetyImpact == "" {
			missing = append(missing, "safety_impact")
		}
		if resolvedIssue(is) && is.Disclosure.Decision == "" {
			missing = append(missing, "disclosure.decision")
		}
		if len(missing) > 0 {
			incomplete = append(incomplete, is.ID)
			ev = append(ev, c.at("issue", is.ID, is.Pos(), "missing "+listIDs(missing)))
		}
	}
	if len(incomplete) > 0 {
		return fail(fmt.Sprintf("%s %s fields that problem resolution (clauses 9.4 and 9.5) needs: %s",
			diag.Count(len(incomplete), "issue", "issues"), diag.Agree(len(incomplete), "lacks", "lack"), listIDs(incomplete)),
			"give each issue a CVSS vector, affected versions, safety impact, and once resolved a root cause and a disclosure decision", ev)
	}
	for i := range c.m.Issues {
		is := &c.m.Issues[i]
		ev = append(ev, c.at("issue", is.ID, is.Pos(), is.Status))
	}
	return pass(fmt.Sprintf("%s %s the clause 9.4 assessment and 9.5 disclosure fields", diag.Count(len(c.m.Issues), "issue", "issues"), diag.Agree(len(c.m.Issues), "carries", "carry")), ev)
}

// daysBetween counts whole days from a to b.
func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
