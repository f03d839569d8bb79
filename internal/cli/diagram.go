package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/atomicfile"

	"github.com/wardtm/ward/internal/diagram"
)

func newDiagramCmd(e *env) *cobra.Command {
	var (
		lf     loadFlags
		view   string
		format string
		output string
	)
	cmd := &cobra.Command{
		Use:   "diagram [model]",
		Short: "Draw an architecture view as SVG, Graphviz DOT or Mermaid",
		Long: `Diagram draws one architecture view of the model:

  global            every element, flow, trust boundary and interface
  multi-patient     elements with patients: many and the flow paths to them
  update            the update path: flows carrying firmware data
  use-case:<id>     one security use case from views.use_cases

SVG is laid out by an embedded Graphviz; no system Graphviz is needed. A view
the model does not say enough for is not drawn: the command prints the
stated or derived reason and exits with status 2.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "svg" && format != "dot" && format != "mermaid" {
				return withCode(ExitInvalid, fmt.Errorf("invalid --format %q; use svg, dot or mermaid", format))
			}
			m, err := loadModel(e, modelPath(args), lf.options())
			if err != nil {
				return err
			}
			v, err := diagram.Build(m, view)
			if err != nil {
				return withCode(ExitInvalid, fmt.Errorf("--view: %w", err))
			}
			if v.Graph == nil {
				return withCode(ExitInvalid, fmt.Errorf("view %s is not drawn: %s", v.Name, v.Omitted))
			}

			var out []byte
			switch format {
			case "dot":
				out = []byte(diagram.DOT(v.Graph))
			case "mermaid":
				out = []byte(diagram.Mermaid(v.Graph))
			case "svg":
				r, err := diagram.NewRenderer(cmd.Context())
				if err != nil {
					return err
				}
				defer r.Close()
				svg, err := r.SVG(cmd.Context(), v.Graph, v.Title, v.Slug())
				if err != nil {
					return err
				}
				out = append([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>`+"\n"), svg...)
			}

			if output == "" || output == "-" {
				_, err = e.stdout.Write(out)
				return err
			}
			return atomicfile.Write(output, out, 0o644)
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&view, "view", diagram.ViewGlobal, "view to draw: global, multi-patient, update or use-case:<id>")
	cmd.Flags().StringVar(&format, "format", "svg", "output format: svg, dot or mermaid")
	cmd.Flags().StringVarP(&output, "output", "o", "", "file to write (default: standard output)")
	return cmd
}
