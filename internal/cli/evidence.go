package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/evidence"
)

func newEvidenceCmd(e *env) *cobra.Command {
	var (
		format   string
		failOn   string
		patterns []string
		skip     []string
		config   string
		maxSize  int64
		date     string
	)
	cmd := &cobra.Command{
		Use:   "evidence [dir]",
		Short: "Check a documentation folder for a threat model that covers IEC 81001-5-1 clause 7.2",
		Long: `Evidence walks the folder (default: the current one) and finds the documents
whose file name or title names a threat model, data flow diagram, attack
surface analysis or security architecture, plus Ward models, reports written
by ward report, and models of other tools that ward import reads.

It reads Markdown, plain text, HTML, DOCX and the text layer of PDF files,
and scores each clause 7.2 item per document and for the whole set:
covered (a heading names the item, a table or list names several of its
terms, or a section about it mentions it), weak (mentioned in passing) or
missing. Every covered or weak item quotes its evidence as file, line,
paragraph or page. Ward models are assessed by ward check and mapped to the
same items; a pass that examined nothing ("0 issues carry ...") is not
evidence. Reports written by ward report are scored by their own
conformance results, from assessment.json in the same folder or else from
the report's conformance matrix: a failed requirement is missing there.
docs/evidence.md lists the vocabulary of each item and the mapping.

Symbolic links to files outside the folder are not followed; .git,
node_modules, vendor and similar folders are skipped, and so are files over
--max-size. A scanned PDF without text, an encrypted PDF and a malformed
file are listed with the reason and the scan goes on.

The default patterns are Threat.*Model, STRIDE, Data.*Flow.*Diagram, DFD,
Attack.*Surface and Security.*Architecture. --pattern replaces them. A
--config file (YAML or JSON) may set patterns, skip and max_file_size.

Exit codes: 0 when no item reaches --fail-on, 1 when one does, 2 for usage
errors or an unreadable folder.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkChoice("--fail-on", failOn, "missing", "weak", "none"); err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := checkChoice("--format", format, "text", "json", "md"); err != nil {
				return withCode(ExitInvalid, err)
			}
			if maxSize < 0 {
				return withCode(ExitInvalid, fmt.Errorf("invalid --max-size %d; give a size in bytes above zero", maxSize))
			}
			dir := "."
			if len(args) > 0 {
				dir = args[0]
			}

			opts := evidence.Options{Patterns: patterns, Skip: skip, Tool: toolVersion()}
			opts.Limits.MaxFileSize = maxSize
			if config != "" {
				if err := evidence.LoadConfig(config, &opts); err != nil {
					return withCode(ExitInvalid, err)
				}
			}
			t, err := dateFlagOrToday("--date", date)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			opts.Date = t

			res, err := evidence.Scan(cmd.Context(), dir, opts)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			switch format {
			case "json":
				err = evidence.WriteJSON(e.stdout, res)
			case "md":
				err = evidence.WriteMarkdown(e.stdout, res)
			default:
				err = evidence.WriteText(e.stdout, res)
			}
			if err != nil {
				return err
			}

			_, weak, missing := res.Counts()
			if failOn == "missing" && missing > 0 || failOn == "weak" && missing+weak > 0 {
				return errFindings
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text, json or md (an audit-preparation worksheet)")
	f.StringVar(&failOn, "fail-on", "missing", "exit 1 when an item of the set is missing, missing or weak (weak), or never (none)")
	f.StringArrayVar(&patterns, "pattern", nil, "regular expression matched case-insensitively against file names and titles; repeat for several (replaces the defaults)")
	f.StringArrayVar(&skip, "skip", nil, "folder name to skip, in addition to .git, node_modules, vendor and the like; repeatable")
	f.StringVar(&config, "config", "", "YAML or JSON file with patterns, skip and max_file_size")
	f.Int64Var(&maxSize, "max-size", 0, "largest file read, in bytes (default 33554432, 32 MiB)")
	f.StringVar(&date, "date", "", "assessment date as YYYY-MM-DD for Ward models, deciding whether the yearly review is due (default: today)")
	return cmd
}
