package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/model"
)

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Ward's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(e.stdout, "ward %s (%s, model format %d)\n", Version, runtime.Version(), model.FormatVersion)
			return nil
		},
	}
}
