package conformance

import (
	"fmt"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
)

// defaultReviewInterval is the longest gap between reviews of a released
// product: clause 7.2 asks for a review at least once a year.
const defaultReviewInterval = 365

func checkTeamReview(c *checker) outcome {
	var ev []assessment.Evidence
	var last *model.Review
	for i := range c.m.Reviews {
		r := &c.m.Reviews[i]
		if r.Kind != "development-team" {
			continue
		}
		ev = append(ev, c.at("review", string(r.Date), r.Pos(), fmt.Sprintf("%s, %d reviewers", r.Outcome, len(r.Reviewers))))
		if len(r.Reviewers) > 0 && (last == nil || r.Date > last.Date) {
			last = r
		}
	}
	if last == nil {
		return fail("no review by the development team with named reviewers is recorded",
			"run ward review record --kind development-team --reviewer \"Name:Role\" after the team has reviewed the model", ev)
	}
	return pass(fmt.Sprintf("last development-team review on %s by %d reviewers (%s)", last.Date, len(last.Reviewers), last.Outcome), ev)
}

// reviewInterval returns the configured maximum gap between reviews in days.
func (c *checker) reviewInterval() int {
	if n := c.m.System.ReviewInterval; n > 0 {
		return n
	}
	return defaultReviewInterval
}

// lastReview returns the most recent review of any kind, or nil.
func (c *checker) lastReview() *model.Review {
	var last *model.Review
	for i := range c.m.Reviews {
		r := &c.m.Reviews[i]
		if _, ok := r.Date.Time(); !ok {
			continue
		}
		if last == nil || r.Date > last.Date {
			last = r
		}
	}
	return last
}

func checkYearlyReview(c *checker) outcome {
	if !c.released() {
		return pass(fmt.Sprintf("lifecycle is %q: the yearly review applies once the product is released", c.m.System.Lifecycle), nil)
	}
	interval := c.reviewInterval()
	last := c.lastReview()
	if last == nil {
		return fail("the product is released and the threat model has never been reviewed",
			fmt.Sprintf("review the model and run ward review record --kind periodic; reviews are due every %d days", interval), nil)
	}
	when, _ := last.Date.Time()
	due := when.AddDate(0, 0, interval)
	ev := []assessment.Evidence{c.at("review", string(last.Date), last.Pos(), last.Kind)}
	if c.today.IsZero() {
		return pass(fmt.Sprintf("last review on %s; next due %s (no assessment date given to compare)", last.Date, due.Format(model.DateLayout)), ev)
	}
	if c.today.After(due) {
		days := daysBetween(when, c.today)
		return fail(fmt.Sprintf("the last review was on %s, %d days before %s; reviews of a released product are due every %d days",
			last.Date, days, c.today.Format(model.DateLayout), interval),
			"review the model with the team and run ward review record --kind periodic", ev)
	}
	return pass(fmt.Sprintf("last review on %s; next due by %s", last.Date, due.Format(model.DateLayout)), ev)
}

// resolvedIssue reports whether an issue has left problem resolution.
func resolvedIssue(is *model.Issue) bool {
	return is.Status == "resolved" || is.Status == "closed"
}

func checkIssueHandling(c *checker) outcome {
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
		return fail(fmt.Sprintf("%s lack fields that problem resolution (clauses 9.4 and 9.5) needs: %s",
			plural(len(incomplete), "issue"), listIDs(incomplete)),
			"give each issue a CVSS vector, affected versions, safety impact, and once resolved a root cause and a disclosure decision", ev)
	}
	return pass(fmt.Sprintf("%s carry the clause 9.4 assessment and 9.5 disclosure fields", plural(len(c.m.Issues), "issue")), nil)
}

// daysBetween counts whole days from a to b.
func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
