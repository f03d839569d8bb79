package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// oneThreatModel has a single hand-written threat, so the threats summary
// counts one of everything.
const oneThreatModel = `ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-1, version: "1"}
  lifecycle: development
elements:
  - id: app
    kind: process
    name: App
threats:
  - id: T-1
    title: Replay of commands
    element: app
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: network
    status: open
`

func TestThreatsSummarySingular(t *testing.T) {
	path := writeModel(t, oneThreatModel)
	code, out, errOut := run(t, "threats", path, "--methods", "hand-written", "--date", "2026-01-15")
	if code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	want := "1 threat shown of 1 (1 open), found by 1 method; 0 suppressed, 0 STRIDE findings ruled out by the model\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("summary does not end with %q:\n%s", want, out)
	}
}

func TestRulesListSingular(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "acme.yaml"), `rules:
  - id: acme.pump-check
    title: pump check
    description: "{name} is checked"
    applies_to: [process]
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
`)
	code, out, errOut := run(t, "rules", "list", "--rules", dir, "--family", "acme")
	if code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	if !strings.HasSuffix(out, "\n1 rule\n") {
		t.Errorf("rules list does not end with \"1 rule\":\n%s", out)
	}
}

func TestValidateSummarySingular(t *testing.T) {
	path := writeModel(t, editModel)
	code, out, errOut := run(t, "validate", path)
	if code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "(1 disposition, 0 hand-written)") {
		t.Errorf("validate summary lacks the threat entry counts:\n%s", out)
	}
}
