package evidence

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// ciaDoc is a document that covers tm.cia and nothing about protocols.
const ciaDoc = `# Threat model

## Impact on confidentiality, integrity and availability

| Data | Confidentiality | Integrity | Availability |
| --- | --- | --- | --- |
| Dose log | high | high | medium |
`

// TestOutputsExplainFailedCheck checks that every output format gives the
// failing check's message and fix for an item that a scanned model does not
// cover. The set's items show them when no other document covers the item.
// Otherwise the model's document lists them.
func TestOutputsExplainFailedCheck(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"ward.yaml": []byte(failingModel), "Threat-Model.md": []byte(ciaDoc)})
	res := scanDir(t, dir, Options{Date: assessmentDate})
	model := documentAt(t, res, "ward.yaml")
	cia := itemOf(t, model.Items, "tm.cia")
	protocols := itemOf(t, model.Items, "tm.protocols")
	if cia.Check == nil || protocols.Check == nil {
		t.Fatalf("tm.cia or tm.protocols has no check: %+v, %+v", cia, protocols)
	}
	if got := itemOf(t, res.Items, "tm.cia"); got.Status != Covered {
		t.Fatalf("set tm.cia = %s (%s), want covered by Threat-Model.md", got.Status, got.Reason)
	}
	message, fix := protocols.Check.Message, protocols.Check.Fix

	var text, md, js bytes.Buffer
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, res); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, out string
		want      []string
	}{
		{"text", text.String(), []string{
			"only weak evidence, in ward.yaml (ward check: fail: " + message + ")",
			"         fix: " + fix,
			"    tm.cia weak: ward check: fail: " + cia.Check.Message + "\n      fix: " + cia.Check.Fix + "\n",
			"no assessed document covers it (ward.yaml: ward check: not-checked, nothing was examined: no security-related issues are recorded",
		}},
		{"markdown", md.String(), []string{
			"| **weak** | only weak evidence, in ward.yaml (ward check: fail: " + mdCell(message) + ") |",
			"Fix: " + mdCell(fix) + " |",
			"### `ward.yaml`",
			"| `tm.cia` | **weak** | ward check: fail: " + mdCell(cia.Check.Message) + " |",
			"Fix: " + mdCell(cia.Check.Fix) + " |",
		}},
	}
	for _, tt := range tests {
		for _, want := range tt.want {
			if !strings.Contains(tt.out, want) {
				t.Errorf("%s output lacks %q:\n%s", tt.name, want, tt.out)
			}
		}
	}

	var got struct {
		Items []ItemResult `json:"items"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("WriteJSON output is not JSON: %v", err)
	}
	set := itemOf(t, got.Items, "tm.protocols")
	if set.Check == nil || set.Check.Status != "fail" || set.Check.Message != message || set.Check.Fix != fix || set.Check.File != "ward.yaml" {
		t.Errorf("JSON set item tm.protocols check = %+v, want the failing check of ward.yaml with message and fix", set.Check)
	}
}

// countPhrase matches a number followed by a noun, for the grammar check.
var countPhrase = regexp.MustCompile(`\b1 ([a-z]*[^s]s)\b`)

// TestOutputsSingularCounts checks that no output counts one of something
// with a plural noun.
func TestOutputsSingularCounts(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"ward.yaml":       []byte(failingModel),
		"Threat-Model.md": []byte("# Threat model\n\n## Engineering samples\n\nThe samples expose JTAG.\n"),
		"big/Threat.md":   bytes.Repeat([]byte("x"), 10),
	})
	res := scanDir(t, dir, Options{Date: assessmentDate, Limits: Limits{MaxFileSize: 1}})
	// A size limit of one byte skips every file, so scan again with the
	// default to get assessed documents, and keep the skipped list.
	skipped := res.Skipped
	res = scanDir(t, dir, Options{Date: assessmentDate})
	res.Skipped = append(res.Skipped, skipped...)
	res.Items = []ItemResult{res.Items[0]}
	res.Items[0].Status = Covered

	var text, md bytes.Buffer
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, res); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		for _, m := range countPhrase.FindAllStringSubmatch(out, -1) {
			switch m[1] {
			case "is", "was", "has", "does":
				continue
			}
			t.Errorf("%s output counts %q", name, m[0])
		}
	}
	if !strings.Contains(md.String(), "1 item covered") {
		t.Errorf("markdown output lacks %q:\n%s", "1 item covered", md.String())
	}
	if !strings.Contains(text.String(), "size limit of 1 byte (--max-size)") {
		t.Errorf("text output lacks the one-byte limit:\n%s", text.String())
	}
}
