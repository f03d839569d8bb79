package report

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
	"github.com/wardtm/ward/internal/vuln"
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
	if !strings.Contains(text, "accepted or transferred and the model gives a justification") &&
		!strings.Contains(text, "accepted, transferred or mitigated and the model gives a justification") {
		t.Errorf("risk section does not say that a justified accepted or transferred threat is acceptable:\n%s", text)
	}

	// Every justified mitigated threat above the accepted level must get
	// the result the risk section states for it.
	statesAcceptable := strings.Contains(text, "mitigated and the model gives a justification")
	policy := risk.PolicyOf(a.Model)
	risks := indexRisks(a)
	for _, th := range a.Register.Threats {
		r := risks[th.ID]
		if th.Disposition.Status != "mitigated" || th.Disposition.Justification == "" || policy.Acceptable(r.After.Level) {
			continue
		}
		if r.Acceptable != statesAcceptable {
			t.Errorf("%s: mitigated with a justification at %s has acceptable = %v, but the risk section says %v:\n%s", th.ID, r.After.Level, r.Acceptable, statesAcceptable, text)
		}
	}
}

func TestAcceptanceTextNoCriterion(t *testing.T) {
	text := acceptanceText("")
	if strings.Contains(text, "or lower") {
		t.Errorf("acceptanceText(none) names a level:\n%s", text)
	}
	if !strings.Contains(text, "avoided or not-applicable") {
		t.Errorf("acceptanceText(none) lacks the statuses that are always acceptable:\n%s", text)
	}
}

func TestUncheckedDependencyReasons(t *testing.T) {
	m := &model.Model{Dependencies: []model.Dependency{
		{ID: "rtos"},
		{ID: "softdevice", Purl: "pkg:generic/nordicsemi/s132-softdevice@7.2.0"},
	}}
	got := vulnerabilities(&assessment.Assessment{Model: m, Vulnerabilities: &vuln.Report{Checked: 3, Unchecked: []string{"rtos", "softdevice"}}}, &threat.Register{})
	var text string
	for _, b := range got.Blocks {
		if p, ok := b.(*Paragraph); ok {
			text += p.Text
		}
	}
	for _, want := range []string{"no package URL (purl): rtos.", "purl names no OSV ecosystem or distribution: softdevice."} {
		if !strings.Contains(text, want) {
			t.Errorf("vulnerabilities text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "or version") {
		t.Errorf("vulnerabilities text blames a missing version:\n%s", text)
	}
}

func TestSectionTextClaims(t *testing.T) {
	_, doc := buildExample(t)
	tests := []struct {
		name, key, want, notWant string
	}{
		{"findings not threats", assessment.SectionMethodology.ID, "counts findings, not threats", ""},
		{"coverage further categories", assessment.SectionCoverage.ID, "further STRIDE categories counts in each", "was analysed and nothing applied"},
		{"coverage dispositioned", assessment.SectionCoverage.ID, "status other than open", ""},
		{"vector bounded by rule", assessment.SectionAttackVectors.ID, "upper bound", "attack vector of its target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := sectionText(t, doc, tt.key)
			if !strings.Contains(text, tt.want) {
				t.Errorf("section %s lacks %q:\n%s", tt.key, tt.want, text)
			}
			if tt.notWant != "" && strings.Contains(text, tt.notWant) {
				t.Errorf("section %s still says %q:\n%s", tt.key, tt.notWant, text)
			}
		})
	}
}

func TestDependencyUsersBothDirections(t *testing.T) {
	m := &model.Model{
		Elements: []model.Element{
			{ID: "pump-fw", Dependencies: []string{"rtos", "tls"}},
			{ID: "pump-bootloader"},
		},
		Dependencies: []model.Dependency{
			{ID: "rtos"},
			{ID: "tls", Elements: []string{"pump-bootloader", "pump-fw"}},
		},
	}
	got := dependencyUsers(m)
	if strings.Join(got["rtos"], ",") != "pump-fw" {
		t.Errorf("dependencyUsers[rtos] = %v, want [pump-fw]", got["rtos"])
	}
	if strings.Join(got["tls"], ",") != "pump-fw,pump-bootloader" {
		t.Errorf("dependencyUsers[tls] = %v, want [pump-fw pump-bootloader]", got["tls"])
	}
}
