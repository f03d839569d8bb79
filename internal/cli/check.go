package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/conformance"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/sarif"
)

func newCheckCmd(e *env) *cobra.Command {
	var (
		af      assessFlags
		format  string
		failOn  string
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "check [model]",
		Short: "Check the model against IEC 81001-5-1 clause 7.2 and FDA expectations",
		Long: `Check runs every requirement of Ward's conformance catalog: each item of
IEC 81001-5-1 clause 7.2, the review and problem-resolution obligations,
method diversity, FDA premarket expectations and model-quality rules. Each
result is pass, fail, warning, not-applicable or not-checked, with the model
items it looked at as file:line. Not-checked means that an input the check
needs was not given (--db, --kev, --date) or the model records nothing for it
to examine; its fix names what to supply. It never changes the exit code.

Exit codes: 0 when nothing reaches --fail-on, 1 when something does, 2 when
the model is invalid. Use --format sarif for code scanning annotations.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkChoice("--fail-on", failOn, "error", "warning", "none"); err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := checkChoice("--format", format, "text", "json", "sarif"); err != nil {
				return withCode(ExitInvalid, err)
			}
			a, err := assess(e, modelPath(args), &af)
			if err != nil {
				return err
			}

			switch format {
			case "text":
				printCheck(e.stdout, a, verbose)
			case "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(newCheckRecord(a, modelPath(args))); err != nil {
					return err
				}
			case "sarif":
				root, _ := os.Getwd()
				if err := sarif.Write(e.stdout, sarif.FromAssessment(a, toolVersion(), root)); err != nil {
					return err
				}
			default:
				return withCode(ExitInvalid, checkChoice("--format", format, "text", "json", "sarif"))
			}

			failures, warnings := conformance.Failures(a.Conformance)
			if failures > 0 && failOn != "none" || warnings > 0 && failOn == "warning" {
				return errFindings
			}
			return nil
		},
	}
	af.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or sarif")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "exit 1 when a requirement fails (error), fails or warns (warning), or never (none)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list the evidence of passing requirements too")
	return cmd
}

// evidenceShown is how many evidence lines text output prints per
// requirement before summarising the rest, so one large model keeps the
// report readable; --verbose prints them all.
const evidenceShown = 25

// printCheck writes failures first, then warnings and requirements that
// were not checked, with their fixes, then one line per not-applicable and
// passing requirement, so a good model fits on one screen.
func printCheck(w io.Writer, a *assessment.Assessment, verbose bool) {
	order := []string{assessment.Fail, assessment.Warning, assessment.NotChecked, assessment.NotApplicable, assessment.Pass}
	counts := map[string]int{}
	for _, status := range order {
		for _, r := range a.Conformance {
			if r.Status != status {
				continue
			}
			counts[status]++
			fmt.Fprintf(w, "%-11s %-26s %s\n", strings.ToUpper(statusWord(r.Status)), r.Requirement.ID, r.Message)
			detailed := r.Status == assessment.Fail || r.Status == assessment.Warning || r.Status == assessment.NotChecked || verbose
			if !detailed {
				continue
			}
			fmt.Fprintf(w, "%s%s (%s)\n", detailIndent, r.Requirement.Title, r.Requirement.Clause)
			if r.Fix != "" {
				fmt.Fprintf(w, "%sfix: %s\n", detailIndent, r.Fix)
			}
			for i, ev := range r.Evidence {
				if i == evidenceShown && !verbose {
					fmt.Fprintf(w, "%sand %d more (ward check -v lists all)\n", detailIndent, len(r.Evidence)-i)
					break
				}
				fmt.Fprintf(w, "%s%s\n", detailIndent, evidenceLine(ev))
			}
		}
	}

	fmt.Fprintf(w, "\n%s: %d passed, %d failed, %d with a warning, %d not applicable, %d not checked (%s, %s)\n",
		diag.Count(len(a.Conformance), "requirement", "requirements"), counts[assessment.Pass], counts[assessment.Fail], counts[assessment.Warning],
		counts[assessment.NotApplicable], counts[assessment.NotChecked],
		a.Model.System.Document.ID, a.Date.Format("2006-01-02"))
}

// checkRecord is the output of ward check --format json: the results,
// and the model, document, digest, assessment date and tool that a reader
// needs to file them as a record on their own.
type checkRecord struct {
	Tool     string              `json:"tool"`
	Model    string              `json:"model"`
	Document checkDocument       `json:"document"`
	Digest   string              `json:"digest"`
	Date     string              `json:"date"`
	Summary  map[string]int      `json:"summary"`
	Results  []assessment.Result `json:"results"`
}

type checkDocument struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

func newCheckRecord(a *assessment.Assessment, path string) checkRecord {
	summary := map[string]int{}
	for _, status := range []string{assessment.Pass, assessment.Fail, assessment.Warning, assessment.NotApplicable, assessment.NotChecked} {
		summary[status] = 0
	}
	for _, r := range a.Conformance {
		summary[r.Status]++
	}
	doc := a.Model.System.Document
	return checkRecord{
		Tool:     a.Tool,
		Model:    path,
		Document: checkDocument{ID: doc.ID, Version: doc.Version},
		Digest:   a.Review.Digest,
		Date:     a.Date.Format("2006-01-02"),
		Summary:  summary,
		Results:  a.Conformance,
	}
}

// detailIndent lines up a requirement's details with its ID column.
const detailIndent = "            "

func statusWord(s string) string {
	if s == assessment.NotApplicable {
		return "n/a"
	}
	return s
}

// evidenceLine formats evidence as "file:line:col: kind id: note".
func evidenceLine(ev assessment.Evidence) string {
	var b strings.Builder
	if ev.File != "" {
		b.WriteString(ev.File)
		if ev.Line > 0 {
			fmt.Fprintf(&b, ":%d", ev.Line)
			if ev.Col > 0 {
				fmt.Fprintf(&b, ":%d", ev.Col)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(ev.Kind)
	if ev.ID != "" {
		b.WriteString(" " + ev.ID)
	}
	if ev.Note != "" {
		b.WriteString(": " + ev.Note)
	}
	return b.String()
}
