package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evidenceDoc is a small threat model document in Markdown; boards adds a
// section on board connections.
func evidenceDoc(boards string) string {
	return `# Threat model of the Acme pump

## Document control

| Field | Value |
| --- | --- |
| Document ID | TM-1 |
| Version | 1.0 |

## Data flows

- Pump to app: therapy data (PHI)
- App to cloud: therapy data (PHI)

## Trust boundaries

The pump, the phone and the cloud are separate trust zones.

## Processes

Pump firmware, mobile app and upload service.

## Data stores

The pump flash and the cloud database.

## External entities

The patient and the clinician.

## Protocols

BLE between pump and app, HTTPS with TLS 1.3 to the cloud.

## Physical ports

A USB-C port for charging only.
` + boards + `
## Attack vectors

Remote, adjacent and physical attackers.

## Impact on confidentiality, integrity and availability

| Data | Confidentiality | Integrity | Availability |
| --- | --- | --- | --- |
| Therapy data | high | high | medium |

## Threats

Spoofing of the app, tampering with dose commands.

## Security-related issues

CVE-2024-12345 in the BLE stack, fixed.

## Vulnerability handling

Each issue gets a CVSS score, a root cause and a disclosure decision.

## External dependencies

FreeRTOS 10.5 and mbedTLS 3.5.

## Review records

Reviewed by the development team on 2026-03-02.

## Periodic review

The team reviews this model at least once a year.
`
}

// jtagInPassing names JTAG once, in a section about something else.
const jtagInPassing = "\n## Engineering samples\n\nThe samples expose JTAG.\n"

func runEvidence(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), append([]string{"evidence"}, args...), nil, &out, &errOut)
	return code, out.String(), errOut.String()
}

func evidenceDir(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Threat-Model.md"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEvidenceCommand(t *testing.T) {
	complete := evidenceDir(t, evidenceDoc("\n## Board connections\n\nThe JTAG header is fused off.\n"))
	noBoard := evidenceDir(t, evidenceDoc(""))
	passing := evidenceDir(t, evidenceDoc(jtagInPassing))

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"complete", []string{complete}, ExitOK, "17 covered, 0 weak, 0 missing", ""},
		{"missing item fails", []string{noBoard}, ExitFindings, "MISSING  tm.board-connections", ""},
		{"missing item with fail-on none", []string{noBoard, "--fail-on", "none"}, ExitOK, "16 covered, 0 weak, 1 missing", ""},
		{"weak item passes fail-on missing", []string{passing}, ExitOK, "WEAK     tm.board-connections", ""},
		{"weak item fails fail-on weak", []string{passing, "--fail-on", "weak"}, ExitFindings, "Threat-Model.md:", ""},
		{"worksheet", []string{noBoard, "--format", "md", "--fail-on", "none"}, ExitOK, "| `tm.board-connections` |", ""},
		{"invalid fail-on", []string{complete, "--fail-on", "error"}, ExitInvalid, "", `--fail-on "error" is not one of missing, weak, none`},
		{"invalid format", []string{complete, "--format", "sarif"}, ExitInvalid, "", `--format "sarif" is not one of text, json, md`},
		{"invalid pattern", []string{complete, "--pattern", "("}, ExitInvalid, "", "invalid pattern"},
		{"missing folder", []string{filepath.Join(complete, "nope")}, ExitInvalid, "", "not found; pass the folder"},
		{"no candidates", []string{complete, "--pattern", "nothing-matches"}, ExitFindings, "none found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runEvidence(t, tt.args...)
			if code != tt.code {
				t.Errorf("ward evidence %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.args, code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("ward evidence %v: stdout lacks %q:\n%s", tt.args, tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("ward evidence %v: stderr lacks %q:\n%s", tt.args, tt.stderr, stderr)
			}
		})
	}
}

func TestEvidenceJSON(t *testing.T) {
	content := evidenceDoc(jtagInPassing)
	dir := evidenceDir(t, content)
	line := strings.Count(content[:strings.Index(content, "The samples")], "\n") + 1
	code, stdout, stderr := runEvidence(t, dir, "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var got struct {
		Schema    string `json:"schema"`
		Documents []struct {
			Path  string `json:"path"`
			Items []struct {
				ID       string `json:"id"`
				Status   string `json:"status"`
				Evidence []struct {
					File string `json:"file"`
					Line int    `json:"line"`
					Text string `json:"text"`
				} `json:"evidence"`
			} `json:"items"`
		} `json:"documents"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if got.Schema != "ward.evidence/v1" || len(got.Documents) != 1 {
		t.Fatalf("schema %q with %d documents, want ward.evidence/v1 with one", got.Schema, len(got.Documents))
	}
	for _, it := range got.Documents[0].Items {
		if it.ID != "tm.board-connections" {
			continue
		}
		if it.Status != "weak" || len(it.Evidence) != 1 || it.Evidence[0].Line != line || it.Evidence[0].Text != "The samples expose JTAG." {
			t.Errorf("tm.board-connections = %+v, want weak with the JTAG line %d quoted", it, line)
		}
		return
	}
	t.Error("no tm.board-connections item in the JSON output")
}

// failingModel is a valid model whose check fails tm.cia, because dose-log
// has no CIA rating, and tm.security-issues, because it lists no issues.
const failingModel = `ward: 1
system:
  id: infusion-hub
  name: Infusion hub
  document: {id: TM-IH-1, version: "2"}
  lifecycle: development
data:
  - id: dose-log
    name: Dose log
    category: therapy
elements:
  - id: hub
    name: Hub service
    kind: process
  - id: nurse
    name: Nurse
    kind: entity
flows:
  - id: f1
    from: nurse
    to: hub
    data: [dose-log]
`

// TestEvidenceWardReport runs ward report and then ward evidence on the
// output, as a user gating a documentation folder would: the report of a
// failing model must not pass, and the example's report must.
func TestEvidenceWardReport(t *testing.T) {
	model := filepath.Join(t.TempDir(), "ward.yaml")
	if err := os.WriteFile(model, []byte(failingModel), 0o644); err != nil {
		t.Fatal(err)
	}
	failing := t.TempDir()
	example := t.TempDir()
	for _, args := range [][]string{
		{"report", model, "--date", "2026-12-01", "--format", "html,md,pdf", "-o", failing},
		{"report", "../../examples/insulin-pump/ward.yaml", "--date", "2026-12-01", "--format", "html,md,json", "-o", example},
	} {
		var out, errOut bytes.Buffer
		if code := Run(context.Background(), args, nil, &out, &errOut); code != ExitOK {
			t.Fatalf("ward %v: exit %d\n%s", args, code, errOut.String())
		}
	}

	code, stdout, stderr := runEvidence(t, failing)
	if code != ExitFindings {
		t.Errorf("ward evidence on the failing report: exit %d, want %d\n%s%s", code, ExitFindings, stdout, stderr)
	}
	for _, want := range []string{
		"MISSING  tm.cia",
		"conformance matrix: fail: 1 data item without a complete CIA rating: dose-log",
		"fix: set confidentiality, integrity and availability",
		"MISSING  tm.security-issues",
		"MISSING  issues.handling",
		"conformance matrix: not-checked, nothing was examined: no security-related issues are recorded",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("ward evidence on the failing report: stdout lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, stderr = runEvidence(t, example, "--format", "json")
	if code != ExitOK {
		t.Fatalf("ward evidence on the example's report: exit %d\n%s%s", code, stdout, stderr)
	}
	var got struct {
		Items []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Check  struct {
				Source string `json:"source"`
			} `json:"check"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	for _, it := range got.Items {
		if it.Status != "covered" || it.Check.Source != "assessment.json" {
			t.Errorf("item %s = %s from %q, want covered from assessment.json", it.ID, it.Status, it.Check.Source)
		}
	}
}
