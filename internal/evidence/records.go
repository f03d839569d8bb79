package evidence

import (
	"fmt"
	"regexp"
)

// Record kinds of an item: the evidence that only a record, not a plan or a
// promise, provides.
const (
	// recordApproval marks an item that a document's approval record
	// covers: a sentence that names an approval together with a version or
	// a date, such as "Document TM-1, version 1.2, approved by J. Smith".
	recordApproval = "approval"
	// recordReview marks an item that only a dated review or approval
	// covers. A schedule such as "it is reviewed annually" states an intent
	// and rates weak.
	recordReview = "review"
)

var (
	// recordDate matches a calendar date: 2026-03-01, 2026/03/01,
	// 01.03.2026, 1 March 2026 or March 1, 2026.
	recordDate = regexp.MustCompile(`(?i)\b(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{1,2}\s+` + monthNames + `\s+\d{4}|` + monthNames + `\s+\d{1,2},?\s+\d{4})\b`)
	// recordVerb matches the past-tense words of a review or approval.
	recordVerb = regexp.MustCompile(`(?i)\b(approved|reviewed|signed[- ]off|sign-off|review (held|completed|meeting))\b`)
	// recordVersion matches a version number.
	recordVersion = regexp.MustCompile(`(?i)\b(version|rev\.?)\s*:?\s*v?\d+(\.\d+)*\b`)
)

const monthNames = `(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)`

// findRecord returns the first block that records an approval or review of
// the given kind, or nil.
func findRecord(blocks []Block, kind string) *Block {
	for i := range blocks {
		b := &blocks[i]
		if b.Kind == Heading || !recordVerb.MatchString(b.Text) {
			continue
		}
		switch kind {
		case recordApproval:
			if recordDate.MatchString(b.Text) || recordVersion.MatchString(b.Text) {
				return b
			}
		case recordReview:
			if recordDate.MatchString(b.Text) {
				return b
			}
		}
	}
	return nil
}

// applyRecord adjusts the result of an item that needs a record. An
// approval or review record covers the item whatever the vocabulary rules
// found. For a review item without a dated record, a covered result
// becomes weak, because a schedule is a promise of future reviews and not
// a record of one.
func applyRecord(file, unit string, blocks []Block, it Item, res *ItemResult) {
	if it.Record == "" {
		return
	}
	if rec := findRecord(blocks, it.Record); rec != nil {
		at := 0
		if m := recordVerb.FindStringIndex(rec.Text); m != nil {
			at = m[0]
		}
		res.Status = Covered
		res.Add = ""
		res.Reason = fmt.Sprintf("the %s record %q", it.Record, trimQuote(rec.Text, 80))
		res.Evidence = []Quote{quoteOf(file, unit, rec, at)}
		return
	}
	if it.Record == recordReview && res.Status == Covered {
		res.Status = Weak
		res.Reason = res.Reason + ", but no dated review is recorded: a statement that reviews will take place is not a record of one"
		res.Add = it.Add
	}
}
