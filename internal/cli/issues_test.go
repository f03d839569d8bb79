package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/tracker"
)

func TestIssuesExportDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| `ward issues export", "(docs/issues.md)"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks %q", want)
		}
	}

	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "issues.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range tracker.Formats {
		if !strings.Contains(string(doc), "ward issues export --format "+format) {
			t.Errorf("docs/issues.md has no example of --format %s", format)
		}
	}

	// The documented CSV header is the one the command writes.
	path := writeModel(t, editModel)
	code, out, errOut := wardCLI(t, "issues", "export", path, "--date", "2026-01-15")
	if code != ExitOK {
		t.Fatalf("issues export: exit %d\n%s", code, errOut)
	}
	header, _, _ := strings.Cut(out, "\n")
	if !strings.Contains(string(doc), "\n"+header+"\n") {
		t.Errorf("docs/issues.md does not show the CSV header %q", header)
	}
}

func TestIssuesExportCountsItems(t *testing.T) {
	// With only the hand-written method, the one item is the issue SEC-1.
	path := writeModel(t, editModel)
	code, _, errOut := wardCLI(t, "issues", "export", path, "--date", "2026-01-15", "--methods", "hand-written", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.HasSuffix(errOut, "\nexported 1 item\n") {
		t.Errorf("stderr = %q, want it to end with %q", errOut, "exported 1 item")
	}

	code, _, errOut = wardCLI(t, "issues", "export", filepath.Join(t.TempDir(), "absent.yaml"), "--format", "jra")
	if code != ExitInvalid || !strings.HasPrefix(errOut, `ward: --format "jra" is not one of csv, json, github, jira; did you mean jira?`) {
		t.Errorf("bad --format: exit %d, stderr %q", code, errOut)
	}
}
