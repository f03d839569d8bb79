// Package cli is Ward's command line: one file per command, each a thin layer
// that loads the model, runs the pipeline as far as it needs and prints.
// Exit codes are decided here and nowhere else.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // the check found what --fail-on names
	ExitInvalid  = 2 // invalid input or usage
)

// DefaultModel is the model file read when a command gets no path.
const DefaultModel = "ward.yaml"

// Version is the release, set at link time with -ldflags "-X ...cli.Version=".
// Left at "dev", the version is taken from the build information instead:
// the module version, or the commit of a build in a checkout (see
// versionOf).
var Version = "dev"

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// withCode returns err tagged with an exit code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// findings is returned when a command ran fine but found what --fail-on
// names; the command has already printed what it found.
var errFindings = withCode(ExitFindings, errors.New("findings reported"))

// env is what every command gets: the streams and the context.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// commands lists the constructors of every top-level command.
var commands = []func(*env) *cobra.Command{
	newVersionCmd,
	newCheckCmd,
	newIssuesCmd,
	newSchemaCmd,
	newValidateCmd,
	newImportCmd,
	newExportCmd,
	newReportCmd,
	newDiagramCmd,
	newThreatsCmd,
	newSBOMCmd,
	newEvidenceCmd,
	newVulnsCmd,
	newReviewCmd,
	newThreatCmd,
	newRulesCmd, newCatalogCmd,
}

// Run executes the command line args and returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}

	root := &cobra.Command{
		Use:   "ward",
		Short: "Threat modeling as code for medical-device and health software",
		Long: `Ward reads a threat model written in YAML, identifies threats with several
methods, checks the model against IEC 81001-5-1 clause 7.2 and FDA premarket
expectations, and renders the threat model document.

Every command takes the model path as its argument; without one it reads
ward.yaml in the current folder.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	for _, newCmd := range commands {
		root.AddCommand(newCmd(e))
	}
	explainArgs(root)

	err := unknownSubcommand(root, args)
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if err == nil {
		return ExitOK
	}

	var ee *exitError
	if errors.As(err, &ee) {
		if ee.code != ExitFindings {
			fmt.Fprintln(stderr, "ward:", ee.err)
		}
		return ee.code
	}
	// Anything else is a usage error from cobra or an invalid input.
	fmt.Fprintln(stderr, "ward:", err)
	return ExitInvalid
}

// modelPath returns the model argument or the default. A folder that
// contains a ward.yaml means that file, so "ward validate device/"
// reads device/ward.yaml.
func modelPath(args []string) string {
	if len(args) == 0 {
		return DefaultModel
	}
	path := args[0]
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		inside := filepath.Join(path, DefaultModel)
		if info, err := os.Stat(inside); err == nil && info.Mode().IsRegular() {
			return inside
		}
	}
	return path
}
