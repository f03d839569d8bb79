package tracker

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
)

func fixture() *assessment.Assessment {
	open := threat.Threat{
		ID:          "flow.replay@app-to-pump",
		Pattern:     &threat.Pattern{Rule: "flow.replay", Title: "=HYPERLINK(\"x\") replayed bolus", STRIDE: "tampering"},
		Vector:      "adjacent",
		Target:      &threat.Target{ID: "app-to-pump", Kind: "flow", Name: "App to pump"},
		Impact:      threat.CIA{Integrity: "high"},
		Findings:    []threat.Finding{{Method: threat.MethodRules, Rule: "flow.replay"}},
		Disposition: &threat.Disposition{Status: threat.StatusOpen},
	}
	// Dispositions are shared between threats, so each variant gets its
	// own.
	tracked := open
	tracked.ID = "flow.replay@cloud"
	tracked.Disposition = &threat.Disposition{Status: threat.StatusOpen, Tracker: "https://tracker.example/1"}
	mitigated := open
	mitigated.ID = "flow.replay@other"
	mitigated.Disposition = &threat.Disposition{Status: "mitigated"}

	return &assessment.Assessment{
		Model: &model.Model{Issues: []model.Issue{
			{ID: "SEC-1", Title: "PIN brute force", Status: "open", CVSS: "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:N"},
			{ID: "SEC-2", Title: "Fixed already", Status: "resolved"},
		}},
		Register: &threat.Register{Threats: []threat.Threat{open, tracked, mitigated}},
	}
}

func TestItemsSelection(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"untracked only", Options{}, []string{"flow.replay@app-to-pump", "SEC-1"}},
		{"all", Options{All: true}, []string{"flow.replay@app-to-pump", "flow.replay@cloud", "SEC-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Items(fixture(), tt.opts)
			var keys []string
			for _, it := range items {
				keys = append(keys, it.Key)
			}
			if strings.Join(keys, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Items keys = %v, want %v", keys, tt.want)
			}
		})
	}
}

func TestIssuePriorityFromCVSS(t *testing.T) {
	items := Items(fixture(), Options{})
	if got := items[1].Priority; got != "high" {
		t.Errorf("SEC-1 priority = %s, want high (CVSS 7.1)", got)
	}
	if got := items[0].Priority; got != "highest" {
		t.Errorf("threat with high integrity impact priority = %s, want highest", got)
	}
}

func TestWriteFormats(t *testing.T) {
	items := Items(fixture(), Options{})
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, items); err != nil {
				t.Fatalf("Write(%s): %v", format, err)
			}
			out := buf.String()
			switch format {
			case "csv", "jira":
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatalf("output is not CSV: %v", err)
				}
				if len(rows) != len(items)+1 {
					t.Errorf("%d rows, want header + %d", len(rows), len(items))
				}
				for _, row := range rows[1:] {
					for _, cell := range row {
						if strings.HasPrefix(cell, "=") {
							t.Errorf("cell %q starts with = and would run as a formula", cell)
						}
					}
				}
			case "json":
				var got []Item
				if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != len(items) {
					t.Errorf("json: %v, %d items", err, len(got))
				}
			case "github":
				lines := strings.Split(strings.TrimSpace(out), "\n")
				if len(lines) != len(items) {
					t.Fatalf("%d lines, want %d", len(lines), len(items))
				}
				var body githubIssue
				if err := json.Unmarshal([]byte(lines[0]), &body); err != nil || body.Title == "" || !strings.Contains(body.Body, "<!-- ward:") {
					t.Errorf("github line 1 = %q (%v)", lines[0], err)
				}
			}
		})
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", nil); err == nil || !strings.Contains(err.Error(), "csv, json, github, jira") {
		t.Errorf("Write(xml) error = %v, want the list of formats", err)
	}
}

func TestThreatPriorityFromRisk(t *testing.T) {
	a := fixture()
	a.Risks = []risk.Result{{ThreatID: "flow.replay@app-to-pump", Before: risk.Rating{Level: risk.Medium}}}
	items := Items(a, Options{})
	if got := items[0].Priority; got != "medium" {
		t.Errorf("priority = %s, want medium from the risk before controls", got)
	}
}
