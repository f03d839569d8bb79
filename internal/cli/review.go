package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/review"
)

func newReviewCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Show whether the model's reviews are up to date, or record a review",
	}
	cmd.AddCommand(newReviewStatusCmd(e), newReviewRecordCmd(e))
	return cmd
}

func newReviewStatusCmd(e *env) *cobra.Command {
	var (
		lf       loadFlags
		date     string
		format   string
		interval int
	)
	cmd := &cobra.Command{
		Use:   "status [model]",
		Short: "Show the last reviews, the next due date and whether the model changed",
		Long: `Status shows the last development-team review, the last periodic review,
when the next review is due and whether the model's meaning changed since
the last review, by comparing digests. A released product must be
reviewed at least every 365 days unless system.review_interval says
otherwise; development-team and periodic reviews restart that clock.

The exit code is 1 when a review is overdue or the model changed since
its last review, so CI can require a review; 0 otherwise; 2 when the model
is invalid.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkChoice("--format", format, "text", "json"); err != nil {
				return withCode(ExitInvalid, err)
			}
			today, err := dateFlagOrToday("--date", date)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			m, err := loadModel(e, modelPath(args), lf.options())
			if err != nil {
				return err
			}

			r := review.Status(m, today, interval)
			if format == "json" {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(r); err != nil {
					return err
				}
			} else {
				writeReviewStatus(e.stdout, r)
			}
			if r.NeedsReview() {
				return errFindings
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&date, "date", "", "today's date as YYYY-MM-DD, for reproducible runs (default: today)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&interval, "interval", 0, "days allowed between reviews, overriding system.review_interval (default 365)")
	return cmd
}

func writeReviewStatus(w io.Writer, r review.Report) {
	entry := func(en *review.Entry) string {
		if en == nil {
			return "none"
		}
		return string(en.Date)
	}
	line := func(label, value string) { fmt.Fprintf(w, "%-30s %s\n", label+":", value) }
	line("lifecycle", r.Lifecycle)
	line("last development-team review", entry(r.LastTeam))
	line("last periodic review", entry(r.LastPeriodic))
	if r.NextDue != "" {
		line("next review due", fmt.Sprintf("%s (every %d days)", r.NextDue, r.Interval))
	} else {
		line("next review due", "not required while "+r.Lifecycle)
	}
	line("digest", r.Digest)
	switch {
	case r.NeedsReview():
		fmt.Fprintln(w, "review needed:")
		for _, reason := range r.Reasons {
			fmt.Fprintf(w, "  - %s\n", reason)
		}
	default:
		fmt.Fprintf(w, "up to date: reviewed on %s and unchanged since\n", r.Last.Date)
		// Status explains a review dated after today among the reasons,
		// which are printed above only when a review is needed.
		for _, reason := range r.Reasons {
			fmt.Fprintf(w, "note: %s\n", reason)
		}
	}
}

func newReviewRecordCmd(e *env) *cobra.Command {
	var (
		lf        loadFlags
		rec       review.Record
		date      string
		reviewers []string
	)
	cmd := &cobra.Command{
		Use:   "record [model]",
		Short: "Append a review to the model, with the digest of its current meaning",
		Long: `Record appends an entry to the reviews list of the main model file: the
date (today unless --date is given), kind, reviewers with their roles,
outcome, notes, and the digest of the model's current meaning, which
ward review status compares later. The edit keeps comments and formatting
and is written atomically; it is refused when the file changed on disk
meanwhile or when the reviews list lives in an included file.`,
		Example: `  ward review record --kind periodic --reviewer "A. Lee:firmware lead" \
      --reviewer "B. Chen:product security" --outcome approved --notes "Yearly review."`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := reviewFromFlags(&rec, date, reviewers); err != nil {
				return withCode(ExitInvalid, err)
			}

			m, err := loadModel(e, modelPath(args), lf.options())
			if err != nil {
				return err
			}
			main := m.Files[0]
			if m.HasField("reviews") && m.FieldPos("reviews").File != main {
				at := m.FieldPos("reviews").File
				return withCode(ExitInvalid, fmt.Errorf("the reviews list is written in %s, not in the main model file %s; move it to %s or edit %s by hand", at, main, main, at))
			}
			if err := rec.CheckVersion(m.System.Document.Version); err != nil {
				// The entry stores the digest of the model as it is now, so
				// its version must be the one that content carries.
				return withCode(ExitInvalid, fmt.Errorf("--version %q differs from system.document.version %q in %s: the review entry stores the digest of the model as it is now, which is version %s, and an auditor would read it as a review of version %s; set system.document.version to %s first when the review approves a new version, or leave --version out",
					rec.Version, m.System.Document.Version, main, m.System.Document.Version, rec.Version, rec.Version))
			}
			if rec.Version == "" {
				rec.Version = m.System.Document.Version
			}

			entry := rec.Mapping(m)
			fe, err := model.OpenEdit(main)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := fe.Append(model.Path{"reviews"}, entry); err != nil {
				return withCode(ExitInvalid, err)
			}
			flags := editFlags{
				"date": "--date", "kind": "--kind", "reviewers": "--reviewer", "name": "--reviewer", "role": "--reviewer",
				"outcome": "--outcome", "notes": "--notes", "version": "--version", "findings": "--finding",
			}
			if err := saveChecked(fe, main, lf.options(), flags); err != nil {
				if errors.Is(err, model.ErrChanged) {
					return withCode(ExitInvalid, err)
				}
				return err
			}
			fmt.Fprintf(e.stdout, "recorded %s review of %s in %s (digest %s)\n", rec.Kind, rec.Date, main, model.Digest(m))
			return nil
		},
	}
	lf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&rec.Kind, "kind", "", "kind of review: development-team, periodic or change")
	fl.StringArrayVar(&reviewers, "reviewer", nil, `reviewer as "Name:Role" (repeatable)`)
	fl.StringVar(&rec.Outcome, "outcome", "", "approved, approved-with-changes or rejected")
	fl.StringVar(&rec.Notes, "notes", "", "what was reviewed and decided")
	fl.StringVar(&rec.Version, "version", "", "version of the threat model document reviewed (default: system.document.version)")
	fl.StringArrayVar(&rec.Findings, "finding", nil, "a finding of the review (repeatable)")
	fl.StringVar(&date, "date", "", "date of the review as YYYY-MM-DD (default: today)")
	return cmd
}

// reviewFromFlags fills in the record's date and reviewers and checks
// every flag value, reporting all bad values at once, one per line.
func reviewFromFlags(rec *review.Record, date string, reviewers []string) error {
	var problems []string
	today := latestToday()
	when, err := dateFlagOrToday("--date", date)
	switch {
	case err != nil:
		problems = append(problems, err.Error())
	case date != "" && when.After(today):
		problems = append(problems, fmt.Sprintf("invalid --date %q: the date is after today (%s). A review is recorded once it has taken place, and ward review status does not count one dated later; give the day the review was held, or leave --date out for today",
			date, today.Format(model.DateLayout)))
	}
	if date == "" {
		when = today
	}
	rec.Date = model.Date(when.Format(model.DateLayout))

	switch {
	case rec.Kind == "":
		problems = append(problems, "missing --kind: give one of "+strings.Join(model.ReviewKinds.IDs(), ", "))
	case !model.ReviewKinds.Has(rec.Kind):
		problems = append(problems, notOneOf("--kind", rec.Kind, model.ReviewKinds.IDs()))
	}
	if rec.Outcome != "" && !model.ReviewOutcomes.Has(rec.Outcome) {
		problems = append(problems, notOneOf("--outcome", rec.Outcome, model.ReviewOutcomes.IDs()))
	}
	if len(reviewers) == 0 {
		problems = append(problems, `missing --reviewer: name each reviewer with --reviewer "Name:Role"`)
	}
	for _, s := range reviewers {
		r, err := review.ParseReviewer(s)
		if err != nil {
			problems = append(problems, "--reviewer: "+err.Error())
			continue
		}
		rec.Reviewers = append(rec.Reviewers, r)
	}
	if err := joinProblems(problems); err != nil {
		return err
	}
	// The review package checks the record too, in case its rules grow.
	return rec.Validate(today)
}

// latestToday returns today's date at midnight UTC, taking the later of
// the local and the UTC calendar date, so that a review recorded on the
// local day is not rejected as dated after today while UTC is a day behind.
func latestToday() time.Time {
	y, m, d := time.Now().Date()
	local := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if utc := todayUTC(); utc.After(local) {
		return utc
	}
	return local
}
