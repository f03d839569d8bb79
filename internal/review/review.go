// Package review works out whether a threat model's reviews are up to date:
// the last development-team and periodic reviews, when the next review is
// due, and whether the model's meaning changed since the last review. It
// also builds the entry that `ward review record` appends.
//
// IEC 81001-5-1 clause 7.2 requires that the threat model is reviewed by
// the development team and, once the product is released, at least once a year.
//
// The package never reads or writes files; the command line does.
package review

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wardtm/ward/internal/model"
)

// DefaultInterval is the number of days between reviews of a released
// product when the model sets no system.review_interval.
const DefaultInterval = 365

// Entry is one review from the model, with its position in the reviews list.
type Entry struct {
	Index  int          `json:"index"`
	Date   model.Date   `json:"date"`
	Kind   string       `json:"kind"`
	Digest string       `json:"digest,omitempty"`
	Review model.Review `json:"-"`
}

// Report is the review state of a model on a given day.
type Report struct {
	Today     model.Date `json:"today"`
	Lifecycle string     `json:"lifecycle"`
	// Interval is the maximum number of days between reviews that applies.
	Interval     int    `json:"interval_days"`
	LastTeam     *Entry `json:"last_development_team,omitempty"`
	LastPeriodic *Entry `json:"last_periodic,omitempty"`
	// Last is the most recent review of any kind; its digest is the one
	// compared with the model's current digest.
	Last *Entry `json:"last,omitempty"`
	// NextDue is the day by which the next development-team or periodic
	// review is due; empty when the lifecycle requires none.
	NextDue model.Date `json:"next_due,omitempty"`
	Overdue bool       `json:"overdue"`
	// Changed is true when the model's meaning differs from the digest of
	// the last review, or when that cannot be shown (no review, or a review
	// without a digest).
	Changed bool `json:"changed"`
	// Future lists the dates of reviews dated after Today, which are not
	// counted.
	Future []model.Date `json:"future,omitempty"`
	Digest string       `json:"digest"`
	// Reasons explains, one sentence each, why the model is overdue or
	// changed, with what to do about it.
	Reasons []string `json:"reasons,omitempty"`
}

// NeedsReview reports whether CI should fail: the review is overdue or the
// model changed since it was last reviewed.
func (r Report) NeedsReview() bool { return r.Overdue || r.Changed }

// Status returns the review state of m on the day today. A positive
// interval overrides the model's system.review_interval, which in turn
// overrides DefaultInterval.
//
// Only development-team and periodic reviews restart the yearly clock,
// because a change review may cover one change only. Reviews with a
// malformed date are skipped; model validation reports them.
func Status(m *model.Model, today time.Time, interval int) Report {
	if interval <= 0 {
		interval = m.System.ReviewInterval
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	day := truncate(today)
	r := Report{
		Today:     model.Date(day.Format(model.DateLayout)),
		Lifecycle: m.System.Lifecycle,
		Interval:  interval,
		Digest:    model.Digest(m),
	}

	var clock *Entry // latest review that restarts the yearly clock
	for i, rv := range m.Reviews {
		when, ok := rv.Date.Time()
		if !ok {
			continue
		}
		if !today.IsZero() && when.After(day) {
			// A review cannot have happened after the day of the
			// assessment; counting it would hide an overdue review behind
			// a mistyped year.
			r.Reasons = append(r.Reasons, fmt.Sprintf("the %s review dated %s is after %s and was not counted; correct its date", rv.Kind, rv.Date, r.Today))
			r.Future = append(r.Future, rv.Date)
			continue
		}
		e := &Entry{Index: i, Date: rv.Date, Kind: rv.Kind, Digest: rv.Digest, Review: rv}
		r.Last = later(r.Last, e)
		switch rv.Kind {
		case "development-team":
			r.LastTeam = later(r.LastTeam, e)
			clock = later(clock, e)
		case "periodic":
			r.LastPeriodic = later(r.LastPeriodic, e)
			clock = later(clock, e)
		}
	}

	r.checkDue(m, clock, day)
	r.checkChanged()
	return r
}

// later returns whichever of a and b has the later date; on the same day
// the one written later in the list wins.
func later(a, b *Entry) *Entry {
	if a == nil || b.Date > a.Date || (b.Date == a.Date && b.Index > a.Index) {
		return b
	}
	return a
}

func (r *Report) checkDue(m *model.Model, clock *Entry, today time.Time) {
	if m.System.Lifecycle != "released" {
		return
	}
	if clock == nil {
		r.Overdue = true
		r.NextDue = r.Today
		if released, ok := m.System.Released.Time(); ok && released.After(today) {
			r.Overdue = false
			r.NextDue = m.System.Released
		}
		if r.Overdue {
			r.Reasons = append(r.Reasons, "the product is released but no development-team or periodic review is recorded; review the model and run ward review record --kind development-team")
		}
		return
	}

	last, _ := clock.Date.Time()
	due := last.AddDate(0, 0, r.Interval)
	r.NextDue = model.Date(due.Format(model.DateLayout))
	if today.After(due) {
		r.Overdue = true
		days := int(today.Sub(last).Hours() / 24)
		r.Reasons = append(r.Reasons, fmt.Sprintf("the last %s review was on %s, %d days ago, and reviews of a released product are due every %d days; review the model and run ward review record --kind periodic",
			clock.Kind, clock.Date, days, r.Interval))
	}
}

func (r *Report) checkChanged() {
	switch {
	case r.Last == nil:
		r.Changed = true
		r.Reasons = append(r.Reasons, "no review is recorded, so the model has never been reviewed; review it and run ward review record")
	case r.Last.Digest == "":
		r.Changed = true
		r.Reasons = append(r.Reasons, fmt.Sprintf("the last review (%s, %s) has no digest, so changes since then cannot be ruled out; record the next review with ward review record, which stores the digest", r.Last.Date, r.Last.Kind))
	case r.Last.Digest != r.Digest:
		r.Changed = true
		r.Reasons = append(r.Reasons, fmt.Sprintf("the model changed since the last review on %s (digest %s, now %s); review the changes and run ward review record --kind change",
			r.Last.Date, shortDigest(r.Last.Digest), shortDigest(r.Digest)))
	}
}

func shortDigest(d string) string {
	hex := strings.TrimPrefix(d, model.DigestPrefix)
	if len(hex) > 12 {
		hex = hex[:12]
	}
	return hex
}

func truncate(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// Record describes a review to append to the model.
type Record struct {
	Date      model.Date
	Kind      string
	Reviewers []model.Reviewer
	Outcome   string
	Notes     string
	Version   string
	Findings  []string
}

// ParseReviewer reads a reviewer written as "Name:Role" or "Name".
func ParseReviewer(s string) (model.Reviewer, error) {
	name, role, _ := strings.Cut(s, ":")
	name, role = strings.TrimSpace(name), strings.TrimSpace(role)
	if name == "" {
		return model.Reviewer{}, fmt.Errorf("invalid reviewer %q: write it as \"Name:Role\", for example \"A. Lee:firmware lead\"", s)
	}
	return model.Reviewer{Name: name, Role: role}, nil
}

// Validate checks the record's values against the model's vocabularies,
// and that its date is not after today: a review is recorded once it has
// taken place, and Status would not count a review dated later.
func (rec Record) Validate(today time.Time) error {
	var problems []string
	when, ok := rec.Date.Time()
	switch {
	case !ok:
		problems = append(problems, fmt.Sprintf("date %q is not a date of the form YYYY-MM-DD", rec.Date))
	case when.After(truncate(today)):
		problems = append(problems, fmt.Sprintf("date %s is after today, %s", rec.Date, today.Format(model.DateLayout)))
	}
	if !model.ReviewKinds.Has(rec.Kind) {
		problems = append(problems, fmt.Sprintf("kind %q is not one of %s", rec.Kind, strings.Join(model.ReviewKinds.IDs(), ", ")))
	}
	if rec.Outcome != "" && !model.ReviewOutcomes.Has(rec.Outcome) {
		problems = append(problems, fmt.Sprintf("outcome %q is not one of %s", rec.Outcome, strings.Join(model.ReviewOutcomes.IDs(), ", ")))
	}
	if len(rec.Reviewers) == 0 {
		problems = append(problems, "no reviewer given; name each reviewer with --reviewer \"Name:Role\"")
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid review: %s", strings.Join(problems, "; "))
	}
	return nil
}

// CheckVersion returns an error when the record names a document version
// other than document, the model's system.document.version. The entry
// stores the digest of the model as it is now, which is the content of
// that document version, so a different version would label one content
// with another version's number. An empty document accepts any version.
func (rec Record) CheckVersion(document string) error {
	if rec.Version == "" || document == "" || rec.Version == document {
		return nil
	}
	return fmt.Errorf("version %q differs from system.document.version %q, and the review stores the digest of the model as it is now, which is version %s", rec.Version, document, document)
}

// Mapping returns the review as the entry to append under reviews:, with
// the digest of m, in the key order of the model format.
func (rec Record) Mapping(m *model.Model) model.Mapping {
	reviewers := make([]model.Mapping, len(rec.Reviewers))
	for i, rv := range rec.Reviewers {
		reviewers[i] = model.Mapping{{Key: "name", Value: rv.Name}, {Key: "role", Value: rv.Role}}
	}
	return model.Mapping{
		{Key: "date", Value: rec.Date},
		{Key: "kind", Value: rec.Kind},
		{Key: "version", Value: rec.Version},
		{Key: "reviewers", Value: reviewers},
		{Key: "digest", Value: model.Digest(m)},
		{Key: "outcome", Value: rec.Outcome},
		{Key: "notes", Value: rec.Notes},
		{Key: "findings", Value: slices.Clone(rec.Findings)},
	}
}
