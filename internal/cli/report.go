package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/report"
)

func newReportCmd(e *env) *cobra.Command {
	var (
		af      assessFlags
		outDir  string
		formats string
		from    string
	)
	cmd := &cobra.Command{
		Use:   "report [model]",
		Short: "Write the threat model document as HTML, PDF, Markdown, XLSX and JSON",
		Long: `Report runs the whole pipeline on the model and writes the threat model
document into the output folder:

  Threat-Model-<system-id>.html    one self-contained, printable file
  Threat-Model-<system-id>.pdf     the same content as a PDF
  Threat-Model-<system-id>.md      GitHub Markdown with Mermaid diagrams
  Threat-Register-<system-id>.xlsx threats, issues, dependencies as sheets
  assessment.json                  everything Ward computed (docs/report.md)

The same inputs give byte-identical files. The document's date is --date,
or else the date of the model's latest review, or else its release date.
With --from, the files are rendered from a saved assessment.json instead of
a model.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			selected, err := report.ParseFormats(formats)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			if outDir == "" {
				return withCode(ExitInvalid, errors.New("missing -o: name the folder to write the report into"))
			}
			if from != "" && len(args) > 0 {
				return withCode(ExitInvalid, errors.New("--from replaces the model argument; give one or the other"))
			}

			var a *assessment.Assessment
			if from != "" {
				a, err = readAssessment(from)
			} else {
				a, err = assessDated(e, modelPath(args), &af, reportDate(&af))
			}
			if err != nil {
				return err
			}
			date := ""
			if af.date != "" {
				if _, err := af.assessmentDate(); err != nil {
					return withCode(ExitInvalid, err)
				}
				date = af.date
			}

			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return fmt.Errorf("creating the output folder: %w", err)
			}
			paths, err := report.Render(cmd.Context(), a, outDir, report.Options{Formats: selected, Date: date})
			for _, p := range paths {
				fmt.Fprintln(e.stdout, p)
			}
			return err
		},
	}
	af.register(cmd)
	cmd.Flags().StringVarP(&outDir, "output", "o", "", "folder to write the report files into (created if missing)")
	cmd.Flags().StringVar(&formats, "format", "", "formats to write, comma-separated: html, pdf, md, xlsx, json (default: all)")
	cmd.Flags().StringVar(&from, "from", "", "render from this assessment.json instead of a model")
	return cmd
}

// readAssessment reads a saved assessment.json.
func readAssessment(path string) (*assessment.Assessment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("reading assessment: %w", err))
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if !startsJSONObject(br) {
		what := "not JSON"
		if looksLikeModel(br) {
			what = "a model"
		}
		return nil, withCode(ExitInvalid, fmt.Errorf("%s is %s, not an assessment.json: --from takes the assessment.json that ward report writes into its -o folder; render the model with ward report %s -o DIR",
			path, what, path))
	}
	a, err := report.ReadAssessment(br)
	if err != nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: %w", path, err))
	}
	return a, nil
}

// startsJSONObject reports whether the next non-space byte of r, after
// a UTF-8 byte order mark, is the { that starts a JSON object. It does not
// consume what it reads.
func startsJSONObject(r *bufio.Reader) bool {
	head, _ := r.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '{'
}

// looksLikeModel reports whether the start of r has a top-level ward: key,
// which every Ward model file begins with. It does not consume what it
// reads.
func looksLikeModel(r *bufio.Reader) bool {
	head, _ := r.Peek(64 << 10)
	for line := range bytes.Lines(head) {
		if bytes.HasPrefix(line, []byte("ward:")) {
			return true
		}
	}
	return false
}

// reportDate dates the document from --date, else the model's latest
// review, else its release date, and never from the clock, so the
// document can be reproduced.
func reportDate(af *assessFlags) func(*model.Model) (time.Time, error) {
	return func(m *model.Model) (time.Time, error) {
		if af.date != "" {
			return af.assessmentDate()
		}
		return modelDate(m)
	}
}

// modelDate returns the latest review date of m, or its release date.
func modelDate(m *model.Model) (time.Time, error) {
	var dates []time.Time
	for _, r := range m.Reviews {
		if t, ok := r.Date.Time(); ok {
			dates = append(dates, t)
		}
	}
	if len(dates) > 0 {
		return slices.MaxFunc(dates, func(a, b time.Time) int { return a.Compare(b) }), nil
	}
	if t, ok := m.System.Released.Time(); ok {
		return t, nil
	}
	return time.Time{}, errors.New("the model has no review or release date to date the report; pass --date YYYY-MM-DD")
}
