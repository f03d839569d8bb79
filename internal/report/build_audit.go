package report

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
)

func issues(m *model.Model) *Section {
	s := sec(assessment.SectionIssues)
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Security-related issues with the fields that problem resolution and disclosure need (IEC 81001-5-1 clauses 9.4 and 9.5)."})
	t := &Table{
		Header: []string{"ID", "Title", "Source", "Found", "CWE / CVE", "CVSS", "Affected", "Fixed in", "Status", "Disclosure", "Threats", "Tracker"},
		Widths: []float64{0.8, 2, 1.1, 0.9, 1, 1.4, 0.9, 0.8, 0.9, 1.1, 1.4, 1.2},
		Empty:  "The model records no security-related issues.",
	}
	for _, i := range m.Issues {
		ids := strings.Join(append(append([]string{}, i.CWE...), i.CVE...), ", ")
		disclosure := i.Disclosure.Decision
		if i.Disclosure.Date != "" {
			disclosure = strings.TrimSpace(disclosure + " " + string(i.Disclosure.Date))
		}
		t.Rows = append(t.Rows, []string{i.ID, i.Title, i.Origin, string(i.Found), ids, cvssText(i.CVSS),
			strings.Join(i.AffectedVersions, ", "), i.FixedIn, i.Status, disclosure, strings.Join(i.Threats, ", "), i.Tracker})
	}
	s.Blocks = append(s.Blocks, t)

	for _, i := range m.Issues {
		var details []string
		for _, d := range []struct{ label, text string }{
			{"Root cause", i.RootCause},
			{"Safety impact", i.SafetyImpact},
			{"Disclosure rationale", i.Disclosure.Rationale},
		} {
			if text := strings.TrimSpace(d.text); text != "" {
				details = append(details, d.label+": "+sentence(text))
			}
		}
		if len(details) > 0 {
			s.Blocks = append(s.Blocks, &Paragraph{Text: i.ID + ". " + strings.Join(details, " ")})
		}
	}
	return s
}

// cvssText gives a CVSS vector with its score and severity, such as
// "7.5 high (CVSS:3.1/AV:N/...)", or the vector alone when it does not
// score.
func cvssText(vector string) string {
	if vector == "" {
		return ""
	}
	score, err := risk.ScoreVector(vector)
	if err != nil {
		return vector
	}
	return fmt.Sprintf("%.1f %s (%s)", score.Overall, score.Severity, vector)
}

// sentence ends text with a full stop unless it already ends a sentence.
func sentence(text string) string {
	if strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") {
		return text
	}
	return text + "."
}

func reviews(a *assessment.Assessment) *Section {
	s := sec(assessment.SectionReviews)
	m := a.Model
	st := a.Review
	interval := st.Interval
	if interval == 0 {
		interval = cmpInt(m.System.ReviewInterval, 365)
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf("The development team reviews the threat model, and reviews it again at least every %d days while the product is released. Each record names the model digest it reviewed.", interval)})

	status := [][]string{{"Current model digest", st.Digest}}
	if st.Last != nil {
		status = append(status, []string{"Last review", fmt.Sprintf("%s (%s)", st.Last.Date, st.Last.Kind)})
	}
	status = append(status, []string{"Next review due", string(st.NextDue)})
	changed := "no"
	if st.Changed {
		changed = "yes"
	}
	overdue := "no"
	if st.Overdue {
		overdue = "yes"
	}
	status = append(status, []string{"Changed since the last review", changed}, []string{"Review overdue", overdue})
	s.Blocks = append(s.Blocks, &Table{Caption: "Review status on " + cmpOr(string(st.Today), "the assessment date"), Header: []string{"Field", "Value"}, Widths: []float64{1, 3}, Rows: nonEmptyRows(status)})
	if len(st.Reasons) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: strings.Join(st.Reasons, " ")})
	}

	t := &Table{
		Caption: "Review records",
		Header:  []string{"Date", "Kind", "Version", "Outcome", "Reviewers", "Digest", "Findings", "Notes"},
		Widths:  []float64{0.9, 1.1, 0.7, 1.1, 1.8, 1.6, 1, 2},
		Empty:   "The model records no reviews.",
	}
	for _, r := range sortedReviews(m) {
		t.Rows = append(t.Rows, []string{string(r.Date), r.Kind, r.Version, r.Outcome, reviewers(r), r.Digest, strings.Join(r.Findings, ", "), r.Notes})
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func cmpInt(values ...int) int {
	for _, v := range values {
		if v != 0 {
			return v
		}
	}
	return 0
}

func conformanceSection(doc *Document, a *assessment.Assessment) *Section {
	s := sec(assessment.SectionConformance)
	counts := map[string]int{}
	for _, r := range a.Conformance {
		counts[r.Status]++
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf("Results of ward check: %d passed, %d failed, %d with a warning, %d not applicable, %d not checked. Each requirement names the section of this document that evidences it. A requirement that was not checked had nothing to examine, because an input it needs was not given or the model records none of the items it covers; it is neither met nor failed.",
		counts[assessment.Pass], counts[assessment.Fail], counts[assessment.Warning], counts[assessment.NotApplicable], counts[assessment.NotChecked])})
	t := &Table{
		Header: []string{"Requirement", "Title", "Clause", "Result", "Evidence", "Finding"},
		Widths: []float64{1.2, 2.6, 1.6, 0.8, 1.8, 3},
		Empty:  "No conformance results are recorded in this assessment.",
	}
	for _, r := range a.Conformance {
		finding := r.Message
		if r.Fix != "" {
			finding = sentence(finding) + " Fix: " + sentence(r.Fix)
		}
		t.Rows = append(t.Rows, []string{r.Requirement.ID, r.Requirement.Title, r.Requirement.Clause, r.Status, sectionRef(doc, r.Requirement.Section), finding})
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

// clause72Items are the items that IEC 81001-5-1 clause 7.2 requires a
// threat model to cover, paraphrased, then its impact and review demands
// and the problem-resolution fields of clauses 9.4 and 9.5, with the
// sections of this document that cover them.
var clause72Items = []struct {
	item, text string
	sections   []string
}{
	{"a)", "flow of categorized information", []string{assessment.SectionDataFlows.ID, "view-global"}},
	{"b)", "trust boundaries", []string{assessment.SectionBoundaries.ID, "view-global"}},
	{"c)", "processes", []string{assessment.SectionProcesses.ID}},
	{"d)", "data stores", []string{assessment.SectionStores.ID}},
	{"e)", "interacting external entities", []string{assessment.SectionEntities.ID}},
	{"f)", "internal and external communication protocols", []string{assessment.SectionProtocols.ID}},
	{"g)", "externally accessible physical ports, debug ports included", []string{assessment.SectionPhysicalPorts.ID}},
	{"h)", "circuit board connections such as JTAG and debug headers", []string{assessment.SectionBoardConnections.ID}},
	{"i)", "attack vectors, hardware included", []string{assessment.SectionAttackVectors.ID}},
	{"j)", "potential threats and their severity", []string{assessment.SectionThreatRegister.ID, assessment.SectionRisk.ID, assessment.SectionCoverage.ID}},
	{"k)", "security-related issues", []string{assessment.SectionIssues.ID}},
	{"l)", "external dependencies such as drivers and third-party applications", []string{assessment.SectionDependencies.ID, assessment.SectionVulnerabilities.ID}},
	{"CIA", "vulnerabilities and threats identified with their impact on confidentiality, integrity and availability", []string{assessment.SectionDataFlows.ID, assessment.SectionThreatRegister.ID, assessment.SectionVulnerabilities.ID}},
	{"review", "review of the threat model by the development team, and at least yearly after release", []string{assessment.SectionReviews.ID}},
	{"9.4, 9.5", "security-related issues handled through problem resolution: impact, score, affected versions, root cause, safety impact and disclosure", []string{assessment.SectionIssues.ID}},
}

func auditStatement(doc *Document, a *assessment.Assessment) *Section {
	s := sec(assessment.SectionAuditStatement)
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf("This document, %s version %s, is the threat model of %s as assessed on %s. It was generated by Ward from the model file kept under version control with the product, so every table and diagram above is derived from that file and can be reproduced from it. The table below names the sections that answer each item of IEC 81001-5-1 clause 7.2, its demands on impact and review, and the problem-resolution fields of clauses 9.4 and 9.5.",
		cmpOr(doc.ID, "(no document ID)"), cmpOr(doc.Version, "(no version)"), doc.SystemName, cmpOr(doc.Date, "(no date)"))})
	t := &Table{
		Header: []string{"Clause item", "Subject", "Answered in"},
		Widths: []float64{1, 3, 4},
	}
	for _, it := range clause72Items {
		var refs []string
		for _, key := range it.sections {
			if sec := doc.Find(key); sec != nil {
				refs = append(refs, sec.Heading())
			}
		}
		t.Rows = append(t.Rows, []string{it.item, it.text, strings.Join(refs, "; ")})
	}
	s.Blocks = append(s.Blocks, t)

	var failed, unchecked []string
	for _, r := range a.Conformance {
		switch r.Status {
		case assessment.Fail:
			failed = append(failed, r.Requirement.ID)
		case assessment.NotChecked:
			unchecked = append(unchecked, r.Requirement.ID)
		}
	}
	if len(failed) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: "Open conformance failures at the time of assessment: " + strings.Join(failed, ", ") + ". See " + doc.Ref(assessment.SectionConformance.ID) + "."})
	}
	if len(unchecked) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: "Requirements not checked at the time of assessment, so neither met nor failed: " + strings.Join(unchecked, ", ") + ". See " + doc.Ref(assessment.SectionConformance.ID) + " for the input each one needs."})
	}
	return s
}

func sectionRef(doc *Document, key string) string {
	if key == "" {
		return "-"
	}
	return doc.Ref(key)
}
