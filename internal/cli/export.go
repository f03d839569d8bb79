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
controls mitigations and hand-written threats threats. Ward fields OTM has
no place for travel in attributes named ward_*, so ward import reads the
file back without loss. What OTM cannot hold at all (dispositions of
identified threats, interfaces, dependencies, hazards, issues, reviews) is
listed on standard error.`,
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
