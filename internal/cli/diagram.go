package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/atomicfile"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/diagram"
	"github.com/wardtm/ward/internal/model"
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
			if err := checkChoice("--format", format, "svg", "dot", "mermaid"); err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := checkView(view); err != nil {
				return withCode(ExitInvalid, err)
			}
			m, err := loadModel(e, modelPath(args), lf.options())
			if err != nil {
				return err
			}
			v, err := diagram.Build(m, view)
			if err != nil {
				return withCode(ExitInvalid, fmt.Errorf("--view: %w%s", err, useCaseHint(m, view)))
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

// fixedViews are the views --view names without a use case ID.
var fixedViews = []string{diagram.ViewGlobal, diagram.ViewMultiPatient, diagram.ViewUpdate}

// checkView rejects a --view value that is neither a fixed view nor a
// use-case:<id> view, before the model is read.
func checkView(view string) error {
	if slices.Contains(fixedViews, view) || strings.HasPrefix(view, diagram.ViewUseCase+":") {
		return nil
	}
	allowed := append(slices.Clone(fixedViews), diagram.ViewUseCase+":<id>")
	return fmt.Errorf("--view %q is not one of %s%s", view, strings.Join(allowed, ", "),
		didYouMean(view, append(slices.Clone(fixedViews), diagram.ViewUseCase+":")))
}

// useCaseHint returns a did-you-mean for a use-case:<id> view whose ID
// is close to one of the model's use cases, or "".
func useCaseHint(m *model.Model, view string) string {
	id, ok := strings.CutPrefix(view, diagram.ViewUseCase+":")
	if !ok {
		return ""
	}
	var ids []string
	for _, uc := range m.Views.UseCases {
		ids = append(ids, uc.ID)
	}
	if c := diag.Closest(id, ids); c != "" {
		return "; did you mean " + diagram.ViewUseCase + ":" + c + "?"
	}
	return ""
}
