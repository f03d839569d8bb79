package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/model"
)

func newSchemaCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the model format",
		Long: `Print the JSON Schema (draft 2020-12) of the model format to stdout.

Editors use it for completion and inline checks while you write ward.yaml:

    ward schema > ward.schema.json

and point the editor's YAML support at that file (see docs/editors.md).
The schema checks structure, types and allowed values; ward validate also
checks IDs, references and the rest of the model's consistency.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := e.stdout.Write(model.Schema()); err != nil {
				return fmt.Errorf("write schema: %w", err)
			}
			return nil
		},
	}
}
