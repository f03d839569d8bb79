package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/model"
)

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Ward's version, and the commit it was built from when known",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			info, _ := debug.ReadBuildInfo()
			v := versionOf(Version, info)
			fmt.Fprintf(e.stdout, "ward %s (%s, model format %d)\n", v.tool, runtime.Version(), model.FormatVersion)
			if v.details != "" {
				fmt.Fprintln(e.stdout, v.details)
			}
			return nil
		},
	}
}

// buildVersion is the description of Ward's own build.
type buildVersion struct {
	// tool names the build in reports, assessment.json and SARIF.
	tool string
	// details names the commit, its time and whether the checkout had
	// uncommitted changes, or is empty when the build recorded no commit.
	details string
}

// toolVersion returns the version that outputs name as the tool's.
func toolVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(Version, info).tool
}

// versionOf chooses the version from the value set with -ldflags
// (linked, "dev" when not set) and the build information. A linked value
// wins, then a module version such as v1.2.0 from go install
// module@version, then the commit of a build in a checkout. The go command
// records the commit only when VCS stamping is on (-buildvcs, the default
// in a git checkout with git installed).
func versionOf(linked string, info *debug.BuildInfo) buildVersion {
	var v buildVersion
	var revision, when string
	var modified bool
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if revision != "" {
		parts := []string{"commit " + revision}
		if when != "" {
			parts = append(parts, when)
		}
		if modified {
			parts = append(parts, "with uncommitted changes")
		}
		v.details = strings.Join(parts, ", ")
	}

	switch {
	case linked != "dev" && linked != "":
		v.tool = linked
	case info != nil && info.Main.Version != "" && info.Main.Version != "(devel)":
		v.tool = info.Main.Version
	case revision != "":
		v.tool = "dev-" + revision[:min(len(revision), 12)]
		if modified {
			v.tool += "+dirty"
		}
	default:
		v.tool = "dev"
	}
	return v
}
