package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/tracker"
)

func newIssuesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "issues",
		Short: "Move open threats and security-related issues into a tracker",
	}
	cmd.AddCommand(newIssuesExportCmd(e))
	return cmd
}

func newIssuesExportCmd(e *env) *cobra.Command {
	var (
		af     assessFlags
		format string
		all    bool
	)
	cmd := &cobra.Command{
		Use:   "export [model]",
		Short: "Write open threats and unresolved issues in a tracker's import format",
		Long: `Export writes the open threats and the unresolved security-related issues
of the model, so they can enter problem resolution (IEC 81001-5-1 clause
9.4) in the team's tracker:

  csv     one row per item, for any tracker or spreadsheet
  json    an array of items with key, title, priority, labels and body
  github  one create-issue request body per line, for example:
          ward issues export --format github | while read -r body; do
            echo "$body" | gh api repos/OWNER/REPO/issues --input -; done
  jira    a CSV with Summary, Issue Type, Priority, Description, External ID
          and Labels columns for Jira's CSV importer

Items that already have a tracker link in the model are left out unless
--all is given. Record the link with ward threat set ID --tracker URL, or
the tracker field of the issue.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkChoice("--format", format, tracker.Formats...); err != nil {
				return withCode(ExitInvalid, err)
			}
			a, err := assess(e, modelPath(args), &af)
			if err != nil {
				return err
			}
			items := tracker.Items(a, tracker.Options{All: all})
			if err := tracker.Write(e.stdout, format, items); err != nil {
				return withCode(ExitInvalid, err)
			}
			fmt.Fprintf(e.stderr, "exported %s\n", diag.Count(len(items), "item", "items"))
			return nil
		},
	}
	af.register(cmd)
	cmd.Flags().StringVar(&format, "format", "csv", "export format: "+strings.Join(tracker.Formats, ", "))
	cmd.Flags().BoolVar(&all, "all", false, "include items that already have a tracker link")
	return cmd
}
