package evidence

import (
	"regexp"

	"github.com/wardtm/ward/internal/assessment"
)

// zeroCount matches a message that starts by counting zero items, "0
// issues carry ..." or "every one of 0 threats ...". "0 of 4 threats" is a
// share, not an empty count, so it does not match.
var zeroCount = regexp.MustCompile(`^(?:all |every one of |each of )?0 (\pL+)`)

// vacuousPass reports whether a passing check examined nothing: it names no
// model item as evidence and its message starts by counting zero items.
// Such a pass shows only that nothing was there to fail, so it documents
// nothing.
func vacuousPass(message string, evidence int) bool {
	if evidence > 0 {
		return false
	}
	m := zeroCount.FindStringSubmatch(message)
	return m != nil && m[1] != "of"
}

// scoreCheck turns a conformance result into the item's status, reason and
// advice. A pass or a not-applicable with a reason covers the item, unless
// the pass examined nothing. A not-checked result examined nothing, so the
// item is missing. A warning is weak. A failure is weak when
// pointsAtModel is set (the check names model items, so the model
// documents part of the item) and missing otherwise. evidence is the
// number of model items the check named.
func scoreCheck(it Item, c *Check, evidence int, pointsAtModel bool) ItemResult {
	res := ItemResult{ID: it.ID, Title: it.Title, Clause: it.Clause, Check: c}
	prefix := c.Source + ": " + c.Status

	switch {
	case c.Status == assessment.Pass && vacuousPass(c.Message, evidence):
		res.Status = Missing
		res.Reason = c.Source + ": pass, but nothing was examined: " + c.Message
		res.Add = it.Add + "; if the item does not apply, record why under system.not_applicable with key " + it.ID
		return res
	case c.Status == assessment.Pass:
		res.Status = Covered
		res.Reason = prefix + ": " + c.Message
		return res
	case c.Status == assessment.NotApplicable && c.Message != "":
		res.Status = Covered
		res.Reason = prefix + ": " + c.Message
		return res
	case c.Status == assessment.NotApplicable:
		res.Status = Weak
		res.Reason = prefix + " without a reason"
	case c.Status == assessment.NotChecked:
		res.Status = Missing
		res.Reason = prefix + ", nothing was examined: " + c.Message
	case c.Status == assessment.Warning:
		res.Status = Weak
		res.Reason = prefix + ": " + c.Message
	case c.Status == assessment.Fail && pointsAtModel:
		res.Status = Weak
		res.Reason = prefix + ": " + c.Message
	default:
		res.Status = Missing
		res.Reason = prefix + ": " + c.Message
	}
	res.Add = c.Fix
	if res.Add == "" {
		res.Add = it.Add
	}
	return res
}
