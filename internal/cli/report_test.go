package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	if _, err := os.Stat(exampleModel); err != nil {
		t.Skipf("example model not available: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runWard(t, "report", exampleModel, "-o", dir, "--format", "md,json", "--date", "2026-11-19")
	if code != ExitOK {
		t.Fatalf("ward report exit %d, stderr:\n%s", code, stderr)
	}
	for _, name := range []string{"Threat-Model-tidewater.md", "assessment.json"} {
		if !strings.Contains(stdout, filepath.Join(dir, name)) {
			t.Errorf("stdout does not list %s:\n%s", name, stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}

	again := filepath.Join(t.TempDir(), "again")
	if code, _, stderr := runWard(t, "report", "--from", filepath.Join(dir, "assessment.json"), "-o", again, "--format", "md"); code != ExitOK {
		t.Fatalf("ward report --from exit %d, stderr:\n%s", code, stderr)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "Threat-Model-tidewater.md"))
	second, _ := os.ReadFile(filepath.Join(again, "Threat-Model-tidewater.md"))
	if !bytes.Equal(first, second) {
		t.Error("Markdown rendered --from assessment.json differs from the original")
	}
}

func TestReportCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no output folder", []string{"report", exampleModel}, "missing -o"},
		{"unknown format", []string{"report", exampleModel, "-o", "x", "--format", "docx"}, `unknown report format "docx"`},
		{"bad date", []string{"report", exampleModel, "-o", "x", "--date", "19.11.2026"}, "invalid --date"},
		{"from and model", []string{"report", exampleModel, "--from", "a.json", "-o", "x"}, "--from replaces the model argument"},
		{"missing from file", []string{"report", "--from", "no-such.json", "-o", "x"}, "no-such.json"},
		{"model given to --from", []string{"report", "--from", exampleModel, "-o", "x"},
			"ward: " + exampleModel + " is a model, not an assessment.json: --from takes the assessment.json that ward report writes into its -o folder; render the model with ward report " + exampleModel + " -o DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runWard(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("exit %d, want %d", code, ExitInvalid)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.want)
			}
		})
	}
}

func TestDiagramCommand(t *testing.T) {
	if _, err := os.Stat(exampleModel); err != nil {
		t.Skipf("example model not available: %v", err)
	}
	code, stdout, stderr := runWard(t, "diagram", exampleModel, "--view", "update", "--format", "mermaid")
	if code != ExitOK || !strings.HasPrefix(stdout, "flowchart LR\n") {
		t.Errorf("diagram --format mermaid: exit %d, stdout starts %q, stderr %q", code, stdout[:min(len(stdout), 30)], stderr)
	}

	svg := filepath.Join(t.TempDir(), "global.svg")
	if code, _, stderr := runWard(t, "diagram", exampleModel, "-o", svg); code != ExitOK {
		t.Fatalf("diagram -o: exit %d, stderr %q", code, stderr)
	}
	data, err := os.ReadFile(svg)
	if err != nil || !bytes.Contains(data, []byte("<svg ")) {
		t.Errorf("diagram -o wrote %d bytes without an svg element (%v)", len(data), err)
	}

	code, _, stderr = runWard(t, "diagram", exampleModel, "--view", "use-case:nope")
	if code != ExitInvalid || !strings.Contains(stderr, "UC-REMOTE-BOLUS") {
		t.Errorf("unknown use case: exit %d, stderr %q; want exit 2 listing the known use cases", code, stderr)
	}
	code, _, stderr = runWard(t, "diagram", exampleModel, "--format", "png")
	if code != ExitInvalid || !strings.Contains(stderr, "svg, dot, mermaid") {
		t.Errorf("--format png: exit %d, stderr %q", code, stderr)
	}
}
