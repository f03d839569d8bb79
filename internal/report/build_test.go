package report

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/risk"
)

// buildExample builds the document of the insulin pump example.
func buildExample(t *testing.T) (*assessment.Assessment, *Document) {
	t.Helper()
	a := assessExample(t)
	doc, err := Build(context.Background(), a, renderer(t), "2026-11-19")
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return a, doc
}

// tableOf returns the table of section key with the given caption.
func tableOf(t *testing.T, doc *Document, key, caption string) *Table {
	t.Helper()
	s := doc.Find(key)
	if s == nil {
		t.Fatalf("document has no section %q", key)
	}
	for _, b := range s.Blocks {
		if tb, ok := b.(*Table); ok && tb.Caption == caption {
			return tb
		}
	}
	t.Fatalf("section %q has no table %q", key, caption)
	return nil
}

// sectionText joins the paragraphs of section key.
func sectionText(t *testing.T, doc *Document, key string) string {
	t.Helper()
	s := doc.Find(key)
	if s == nil {
		t.Fatalf("document has no section %q", key)
	}
	var b strings.Builder
	for _, bl := range s.Blocks {
		if p, ok := bl.(*Paragraph); ok {
			b.WriteString(p.Text + "\n")
		}
	}
	return b.String()
}

func TestDecisionsTableCountsThreats(t *testing.T) {
	a, doc := buildExample(t)
	tb := tableOf(t, doc, assessment.SectionRisk.ID, "Decisions recorded in the model")
	if len(tb.Rows) != len(a.Model.Threats) {
		t.Fatalf("decisions table has %d rows, want one per threats entry (%d)", len(tb.Rows), len(a.Model.Threats))
	}

	decided := 0
	for _, th := range a.Register.Threats {
		if th.Disposition.Status != "open" {
			decided++
		}
	}
	counted := 0
	for _, row := range tb.Rows {
		n, err := strconv.Atoi(row[2])
		if err != nil {
			t.Fatalf("row %v: threats cell %q is not a number", row, row[2])
		}
		counted += n
		if row[0] == "*@pump-test-points" {
			if n == 0 || row[5] == "" {
				t.Errorf("row for *@pump-test-points = %v, want a count above 0 and a justification", row)
			}
		}
	}
	// Overlapping globs with equal decisions may count a threat twice, so
	// the sum can exceed the decided threats but never fall short.
	if counted < decided {
		t.Errorf("decisions table counts %d threats, want at least the %d decided ones", counted, decided)
	}
}

func TestRiskTextStatesAcceptanceRule(t *testing.T) {
	a, doc := buildExample(t)
	text := sectionText(t, doc, assessment.SectionRisk.ID)
	if strings.Contains(text, "must be accepted or transferred") {
		t.Errorf("risk section still says a higher risk must be accepted or transferred:\n%s", text)
	}
	if !strings.Contains(text, "accepted, transferred or mitigated and the model gives a justification") {
		t.Errorf("risk section does not state that a justified mitigated threat is acceptable:\n%s", text)
	}

	// The example must have a case the sentence covers, and internal/risk
	// must agree with it.
	policy := risk.PolicyOf(a.Model)
	risks := indexRisks(a)
	found := false
	for _, th := range a.Register.Threats {
		r := risks[th.ID]
		if th.Disposition.Status == "mitigated" && th.Disposition.Justification != "" && !policy.Acceptable(r.After.Level) {
			found = true
			if !r.Acceptable {
				t.Errorf("%s: mitigated with a justification at %s but not acceptable, so the risk section misstates the rule", th.ID, r.After.Level)
			}
		}
	}
	if !found {
		t.Skip("the example has no justified mitigated threat above the accepted level")
	}
}
