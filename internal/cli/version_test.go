package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	vcs := func(revision, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: revision},
			{Key: "vcs.time", Value: "2026-12-04T22:56:57Z"},
			{Key: "vcs.modified", Value: modified},
		}
	}
	const rev = "6991524ca9f1f21e902b4302eba62e289dbe0077"
	tests := []struct {
		name    string
		linked  string
		info    *debug.BuildInfo
		want    string
		details string
	}{
		{"linked", "1.4.0", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "1.4.0", "commit 6991524ca9f1f21e902b4302eba62e289dbe0077, 2026-12-04T22:56:57Z"},
		{"module version", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0", ""},
		{"pseudo-version", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261204225657-6991524ca9f1+dirty"}, Settings: vcs(rev, "true")},
			"v0.0.0-20261204225657-6991524ca9f1+dirty", "commit 6991524ca9f1f21e902b4302eba62e289dbe0077, 2026-12-04T22:56:57Z, with uncommitted changes"},
		{"checkout clean", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "dev-6991524ca9f1", "commit 6991524ca9f1f21e902b4302eba62e289dbe0077, 2026-12-04T22:56:57Z"},
		{"checkout dirty", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "dev-6991524ca9f1+dirty", "commit 6991524ca9f1f21e902b4302eba62e289dbe0077, 2026-12-04T22:56:57Z, with uncommitted changes"},
		{"no information", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev", ""},
		{"no build info", "dev", nil, "dev", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := versionOf(tt.linked, tt.info)
			if got.tool != tt.want {
				t.Errorf("tool version = %q, want %q", got.tool, tt.want)
			}
			if got.details != tt.details {
				t.Errorf("details = %q, want %q", got.details, tt.details)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, _ := run(t, "version")
	if code != ExitOK {
		t.Fatalf("exit %d, want 0", code)
	}
	if want := "ward " + toolVersion() + " ("; !strings.HasPrefix(out, want) {
		t.Errorf("output = %q, want it to start with %q", out, want)
	}
}
