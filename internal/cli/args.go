package cli

import (
	"fmt"
	"os"
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

// unknownSubcommand returns an error when args name a command that only
// groups subcommands, such as "ward review", followed by a word that names
// none of them. Cobra checks unknown commands only at the top level. Below
// it, "ward review stat" would print the help and exit 0, so a mistyped CI
// step would pass. A request for help is left to cobra.
func unknownSubcommand(root *cobra.Command, args []string) error {
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root || !cmd.HasSubCommands() {
		return nil
	}
	word, help := firstArgument(cmd, rest)
	if word == "" || help {
		return nil
	}

	var names []string
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
			names = append(names, sub.Aliases...)
		}
	}
	hint := didYouMean(word, names)
	if cmd.Runnable() {
		// A command such as "ward vulns [model]" takes a model path in the
		// place of a subcommand name, so the word is an error only when it
		// is close to a subcommand name and no file of that name exists.
		if _, err := os.Stat(word); err == nil || hint == "" {
			return nil
		}
		return withCode(ExitInvalid, fmt.Errorf("unknown command %q for %q, and no model file %s exists%s",
			word, cmd.CommandPath(), word, hint))
	}
	if hint == "" {
		hint = "; the commands are " + strings.Join(names, ", ")
	}
	return withCode(ExitInvalid, fmt.Errorf("unknown command %q for %q%s", word, cmd.CommandPath(), hint))
}

// firstArgument returns the first positional argument in args, skipping
// flags and their values, and whether args ask for help.
func firstArgument(cmd *cobra.Command, args []string) (word string, help bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-h" || a == "--help":
			return word, true
		case a == "--":
			if word == "" && i+1 < len(args) {
				word = args[i+1]
			}
			return word, false
		case strings.HasPrefix(a, "-") && len(a) > 1:
			if !strings.Contains(a, "=") && takesValue(cmd, strings.TrimLeft(a, "-")) {
				i++ // the flag's value
			}
		case word == "":
			word = a
		}
	}
	return word, false
}

// takesValue reports whether the flag with this long or one-letter name
// reads the next argument as its value.
func takesValue(cmd *cobra.Command, name string) bool {
	f := cmd.Flags().Lookup(name)
	if f == nil && len(name) == 1 {
		f = cmd.Flags().ShorthandLookup(name)
	}
	return f != nil && f.NoOptDefVal == ""
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
