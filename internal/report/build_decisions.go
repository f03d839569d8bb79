package report

import (
	"fmt"
	"path"
	"strings"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// decisionsTable lists the model's threats entries: what each decided,
// for how many threats, and why. The register repeats a decision on every
// threat it covers, so this table is where a reader finds each
// justification once.
func decisionsTable(m *model.Model, reg *threat.Register) *Table {
	t := &Table{
		Caption: "Decisions recorded in the model",
		Header:  []string{"Entry", "Status", "Threats", "Controls", "Hazards", "Justification"},
		Widths:  []float64{2, 1, 0.7, 1.6, 1.8, 4},
		Empty:   "The model records no decisions about threats, so every threat is open.",
	}
	decided := decidedThreats(reg)
	for i := range m.Threats {
		e := &m.Threats[i]
		entry := e.Match
		if e.ID != "" {
			entry = e.ID + " (written by hand)"
		}
		t.Rows = append(t.Rows, []string{entry, cmpOr(e.Status, threat.StatusOpen), fmt.Sprint(countDecided(e, decided)),
			strings.Join(e.Controls, ", "), hazardsText(e.Hazards, e.HazardRationale), e.Justification})
	}
	return t
}

// decidedThreats groups the register's threats by the content of their
// disposition (see decisionKey), each threat with its ID and aliases.
func decidedThreats(reg *threat.Register) map[string][][]string {
	out := map[string][][]string{}
	for _, th := range reg.Threats {
		d := th.Disposition
		if d == nil {
			continue
		}
		key := decisionKey(d.Status, d.Controls, d.Justification, d.CVSS, d.Hazards, d.HazardRationale, d.Issue, d.Tracker)
		out[key] = append(out[key], append([]string{th.ID}, th.Aliases...))
	}
	return out
}

// countDecided counts the threats whose disposition came from entry e: those
// that e's match or ID names and that carry e's decision.
//
// NOTE: assessment.json keeps no link from a threat to the entry that
// decided it, so the count is derived from the match and the decision's
// content, which works the same on a model and on assessment.json. Two
// entries with the same decision whose matches overlap both count a threat
// that both name.
func countDecided(e *model.ThreatEntry, decided map[string][][]string) int {
	key := decisionKey(cmpOr(e.Status, threat.StatusOpen), e.Controls, e.Justification, e.CVSS, e.Hazards, e.HazardRationale, e.Issue, e.Tracker)
	n := 0
	for _, ids := range decided[key] {
		if e.ID != "" {
			if ids[0] == e.ID {
				n++
			}
			continue
		}
		for _, id := range ids {
			if ok, err := path.Match(e.Match, id); id == e.Match || (err == nil && ok) {
				n++
				break
			}
		}
	}
	return n
}

// decisionKey joins the fields that a threats entry copies into a
// disposition, so that equal decisions get equal keys.
func decisionKey(status string, controls []string, justification, cvss string, hazards []string, rationale, issue, tracker string) string {
	return strings.Join([]string{status, strings.Join(controls, "\x01"), justification, cvss, strings.Join(hazards, "\x01"), rationale, issue, tracker}, "\x00")
}

// hazardsText returns the hazard links of a decision, or the rationale for
// having none.
func hazardsText(hazards []string, rationale string) string {
	switch {
	case len(hazards) > 0 && rationale != "":
		return strings.Join(hazards, ", ") + "; " + rationale
	case len(hazards) > 0:
		return strings.Join(hazards, ", ")
	case rationale != "":
		return "none: " + rationale
	}
	return ""
}
