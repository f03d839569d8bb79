package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/atomicfile"
	"github.com/wardtm/ward/internal/interop"
)

func newExportCmd(e *env) *cobra.Command {
	var (
		lf     loadFlags
		to     string
		output string
		force  bool
	)
	cmd := &cobra.Command{
		Use:   "export --to otm [model]",
		Short: "Write the model in another tool's format (Open Threat Model)",
		Long: `Export writes the model as Open Threat Model (OTM) 0.2.0 JSON, which
IriusRisk, Threat Dragon and other OTM readers accept. Trust boundaries
become trust zones, elements components, flows dataflows, data assets,
controls mitigations and hand-written threats threats attached to their
component or dataflow.

Everything else travels in the attributes objects of the OTM items, under
keys that start with ward_: element technology, patients, scope and
suppressions, flow integrity and replay protection, threat impact, vector
and risk overrides, and in the project's attributes the sections OTM has
no place for (interfaces, dependencies, threat dispositions, hazards,
issues, reviews, vulnerabilities, assumptions, views, risk policy, sboms
and rules). ward import reads these back, so a Ward -> OTM -> Ward round
trip gives the same model and the same threat register.

What does not round-trip: YAML comments and layout, the split into
include: files (their content is exported merged, and listed on standard
error as not exported), and white space around names and descriptions.
The sboms and rules paths stay relative to the model's folder, so write
the imported model into that folder. Names, descriptions, parents, flow
ends, assets, threat states and mitigations are read from the OTM fields,
so edits made there in another tool are kept.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to != "otm" {
				return withCode(ExitInvalid, fmt.Errorf("unknown --to %q; the only export format is otm", to))
			}
			if output != "-" && !force {
				if _, err := os.Stat(output); err == nil {
					return withCode(ExitInvalid, fmt.Errorf("%s already exists; pass --force to overwrite it", output))
				}
			}
			path := modelPath(args)
			m, err := loadModel(e, path, lf.options())
			if err != nil {
				return err
			}
			data, dropped, err := interop.ExportOTM(m)
			if err != nil {
				return err
			}
			if output == "-" {
				if _, err := e.stdout.Write(data); err != nil {
					return err
				}
			} else if err := atomicfile.Write(output, data, 0o644); err != nil {
				return withCode(ExitInvalid, err)
			}
			for _, d := range dropped {
				fmt.Fprintf(e.stderr, "not exported: %s\n", d)
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&to, "to", "otm", "output format; otm is the only one")
	cmd.Flags().StringVarP(&output, "output", "o", "-", `file to write; "-" writes to standard output`)
	cmd.Flags().BoolVar(&force, "force", false, "overwrite the output file if it exists")
	return cmd
}
