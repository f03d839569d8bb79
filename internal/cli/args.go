package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// explainArgs wraps the positional-argument check of cmd and its
// subcommands, so that a wrong number of arguments is reported by name:
// which argument is extra or missing, and what the command takes. Cobra's
// own message ("accepts at most 1 arg(s), received 2") names neither.
func explainArgs(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		explainArgs(sub)
	}
	check := cmd.Args
	if check == nil {
		return
	}
	cmd.Args = func(c *cobra.Command, args []string) error {
		err := check(c, args)
		if err == nil {
			return nil
		}
		return argsError(c, args, err)
	}
}

// argsError words a failed argument check from the arguments named in
// the command's Use line, falling back to cobra's message with the usage
// when the names do not explain the failure.
func argsError(c *cobra.Command, args []string, err error) error {
	names := argNames(c.Use)
	required := 0
	for _, n := range names {
		if !strings.HasPrefix(n, "[") {
			required++
		}
	}
	takes := "no arguments"
	if len(names) > 0 {
		takes = strings.Join(names, " ")
	}

	switch {
	case len(args) > len(names):
		return fmt.Errorf("extra argument %q: %s takes %s; if it is part of a flag's value, put the value in quotes",
			args[len(names)], c.CommandPath(), takes)
	case len(args) < required:
		return fmt.Errorf("missing argument %s: %s takes %s", names[len(args)], c.CommandPath(), takes)
	}
	return fmt.Errorf("%w; usage: %s", err, c.UseLine())
}

// argNames returns the positional arguments of a Use line such as
// "import [--from FORMAT] FILE [model]": FILE and [model]. The command
// name, flags and flag values are left out.
func argNames(use string) []string {
	fields := strings.Fields(use)
	var names []string
	inFlag := false // inside a bracketed flag such as [--from FORMAT]
	for i := 1; i < len(fields); i++ {
		f := fields[i]
		switch {
		case inFlag:
			inFlag = !strings.HasSuffix(f, "]")
		case strings.HasPrefix(f, "[-"):
			inFlag = !strings.HasSuffix(f, "]")
		case strings.HasPrefix(f, "-"):
			// A required flag such as --to otm: skip its value too.
			if i+1 < len(fields) && !strings.HasPrefix(fields[i+1], "[") && !strings.HasPrefix(fields[i+1], "-") && !strings.Contains(f, "=") {
				i++
			}
		default:
			names = append(names, f)
		}
	}
	return names
}
