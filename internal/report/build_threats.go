package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
)

func controls(m *model.Model) *Section {
	s := sec(assessment.SectionControls)
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Security controls of the product, grouped by the eight control categories of the FDA premarket cybersecurity guidance."})
	t := &Table{
		Header: []string{"ID", "Name", "Category", "Status", "Verification", "Elements"},
		Widths: []float64{1.5, 3, 1.8, 1, 1.2, 1.6},
		Empty:  "The model lists no security controls.",
	}
	// Rows are grouped by category in the guidance's order, and keep the
	// model's order within a category; unknown categories come last.
	rank := func(category string) int {
		if i := slices.Index(model.ControlCategories.IDs(), category); i >= 0 {
			return i
		}
		return len(model.ControlCategories)
	}
	ordered := slices.Clone(m.Controls)
	slices.SortStableFunc(ordered, func(a, b model.Control) int { return rank(a.Category) - rank(b.Category) })
	for _, c := range ordered {
		t.Rows = append(t.Rows, []string{c.ID, c.Name, controlCategory(c.Category), c.Status, c.Verification, strings.Join(c.Elements, ", ")})
	}
	s.Blocks = append(s.Blocks, t)

	var missing []string
	for _, cat := range model.ControlCategories {
		if !slices.ContainsFunc(m.Controls, func(c model.Control) bool { return c.Category == cat.ID }) {
			missing = append(missing, cat.Doc)
		}
	}
	if len(missing) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: "Control categories with no control in the model: " + strings.Join(missing, ", ") + "."})
	}
	return s
}

func controlCategory(id string) string {
	for _, c := range model.ControlCategories {
		if c.ID == id {
			return c.Doc
		}
	}
	return id
}

// registerHeader is the threat register's columns, shared by the document
// and the XLSX workbook.
var registerHeader = []string{"ID", "Title", "Element", "STRIDE", "CIA impact", "Vector", "Methods and references", "Risk before", "Risk after", "Status", "Controls", "Hazards", "Issue or tracker"}

func registerRow(t threat.Threat, risks map[string]risk.Result) []string {
	before, after := riskOf(t, risks)
	return []string{
		t.ID, t.Title, t.Target.ID, strideText(t), ciaText(t.Impact), t.Vector, methodsText(t),
		before, after, t.Disposition.Status, strings.Join(t.Disposition.Controls, ", "),
		strings.Join(t.Disposition.Hazards, ", "), issueText(t.Disposition),
	}
}

// issueText names the issue and the tracker item a disposition links, so
// a reader can follow a threat kept open to where it is worked on.
func issueText(d *threat.Disposition) string {
	var parts []string
	for _, p := range []string{d.Issue, d.Tracker} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

func register(m *model.Model, reg *threat.Register, risks map[string]risk.Result) *Section {
	s := sec(assessment.SectionThreatRegister)
	open := 0
	for _, t := range reg.Threats {
		if t.Disposition.Status == "" || t.Disposition.Status == "open" {
			open++
		}
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf("%s identified, %d of them still open. Threat IDs have the form <rule>@<target>. The justification of each decision is in the table of decisions recorded in the model, at the end of the risk assessment section.", diag.Count(len(reg.Threats), "threat was", "threats were"), open)})
	s.Blocks = append(s.Blocks, &Paragraph{Text: "How to read the columns: CIA impact gives the impact on confidentiality (C), integrity (I) and availability (A) as n none, l low, m medium or h high. Risk before and after give the risk level, then the exploitability (E) and severity (S) it comes from. Methods and references name the identification methods that found the threat (section 4) and the catalog entries it cites: CAPEC attack patterns, CWE weaknesses, MITRE ATT&CK techniques (T…) and MITRE EMB3D threats (TID-…)."})
	t := &Table{
		Header: registerHeader,
		Widths: []float64{2.2, 2.1, 1.3, 1.1, 0.9, 0.9, 2, 1, 1, 0.9, 1.6, 0.8, 0.6},
		Empty:  "No threats were identified.",
	}
	for _, th := range reg.Threats {
		t.Rows = append(t.Rows, registerRow(th, risks))
	}
	s.Blocks = append(s.Blocks, t)

	if len(reg.Suppressed) > 0 {
		sup := &Table{
			Caption: "Suppressed threats",
			Header:  []string{"ID", "Title", "Suppress rule", "Justification"},
			Widths:  []float64{2.2, 2.4, 1.4, 3.5},
		}
		for _, st := range reg.Suppressed {
			sup.Rows = append(sup.Rows, []string{st.Threat.ID, st.Threat.Title, st.Rule, st.Justification})
		}
		s.Blocks = append(s.Blocks, sup)
	}
	if len(reg.RuledOut) > 0 {
		ro := &Table{
			Caption: "Findings ruled out by the model",
			Header:  []string{"ID", "Method", "Reason"},
			Widths:  []float64{2.5, 1.5, 4},
		}
		for _, r := range reg.RuledOut {
			ro.Rows = append(ro.Rows, []string{r.ID, r.Method, r.Reason})
		}
		s.Blocks = append(s.Blocks, ro)
	}

	var hazards []string
	for _, h := range m.Hazards {
		hazards = append(hazards, h.ID+": "+h.Name)
	}
	if len(hazards) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Hazards of the risk management file that threats link to:"}, &List{Items: hazards})
	}
	return s
}

// indexRisks returns the assessment's risk results by threat ID.
func indexRisks(a *assessment.Assessment) map[string]risk.Result {
	out := make(map[string]risk.Result, len(a.Risks))
	for _, r := range a.Risks {
		out[r.ThreatID] = r
	}
	return out
}

// riskOf returns the risk before and after controls as register cells:
// the level with the exploitability and severity it came from, and after
// controls whether the residual risk is acceptable.
func riskOf(t threat.Threat, risks map[string]risk.Result) (before, after string) {
	r, ok := risks[t.ID]
	if !ok {
		return "not assessed", "not assessed"
	}
	before = fmt.Sprintf("%s (E %s, S %s)", r.Before.Level, r.Before.Exploitability, r.Before.Severity)
	after = fmt.Sprintf("%s (E %s, S %s)", r.After.Level, r.After.Exploitability, r.After.Severity)
	if r.Acceptable {
		after += ", acceptable"
	} else {
		after += ", not acceptable"
	}
	return before, after
}

func riskSection(m *model.Model, reg *threat.Register, risks map[string]risk.Result) *Section {
	s := sec(assessment.SectionRisk)
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Each threat is rated for exploitability and severity before and after its controls, and the risk matrix combines the two into a risk level. Only implemented controls with a verification reference lower the residual risk. The reasoning behind each rating is in the Risk reason column of the threat register workbook."},
		&Paragraph{Text: acceptanceText(risk.PolicyOf(m).Accept)})

	levels := []string{"low", "medium", "high", "critical"}
	before, after := map[string]int{}, map[string]int{}
	for _, r := range risks {
		before[string(r.Before.Level)]++
		after[string(r.After.Level)]++
	}
	counts := &Table{
		Caption: "Threats by risk level",
		Header:  []string{"Risk level", "Before controls", "After controls"},
		Widths:  []float64{1.5, 1, 1},
	}
	for _, l := range levels {
		counts.Rows = append(counts.Rows, []string{l, fmt.Sprint(before[l]), fmt.Sprint(after[l])})
	}
	s.Blocks = append(s.Blocks, counts)

	// The reasoning behind each rating is in the register workbook's Risk
	// reason column and in assessment.json. Repeating it here would double
	// the length of the document for a large register.
	open := &Table{
		Caption: "Threats whose residual risk is not acceptable",
		Header:  []string{"ID", "Title", "Element", "Status", "Risk before", "Risk after"},
		Widths:  []float64{2.4, 3, 1.4, 0.9, 1.5, 2},
		Empty:   "Every threat's residual risk is acceptable.",
	}
	for _, t := range reg.Threats {
		r, ok := risks[t.ID]
		if !ok || r.Acceptable {
			continue
		}
		before, after := riskOf(t, risks)
		open.Rows = append(open.Rows, []string{t.ID, t.Title, t.Target.ID, t.Disposition.Status, before, after})
	}
	s.Blocks = append(s.Blocks, open)

	byStatus := map[string]int{}
	for _, t := range reg.Threats {
		byStatus[cmpOr(t.Disposition.Status, "open")]++
	}
	statuses := &Table{
		Caption: "Threats by status",
		Header:  []string{"Status", "Meaning", "Threats"},
		Widths:  []float64{1.2, 4, 1},
	}
	for _, st := range model.ThreatStatuses {
		statuses.Rows = append(statuses.Rows, []string{st.ID, st.Doc, fmt.Sprint(byStatus[st.ID])})
	}
	s.Blocks = append(s.Blocks, statuses)

	s.Blocks = append(s.Blocks, &Paragraph{Text: "Each entry of the model's threats section decides the status of the threats its match names, or of the threat it writes by hand, with the controls, hazard links and justification below. The register shows the status on every threat, and this table gives each justification once, with the number of threats it covers."},
		decisionsTable(m, reg))
	return s
}

func coverage(reg *threat.Register) *Section {
	s := sec(assessment.SectionCoverage)
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Threats of the register per in-scope target and STRIDE category, as found/dispositioned. A threat with further STRIDE categories counts in each of them, and a threat without a STRIDE category, such as a LINDDUN privacy threat, counts under other. Dispositioned means that an entry of the model gives the threat a status other than open. Suppressed threats and findings that the model rules out are not counted. A dash means that the register has no threat of that category against the target: no method raised one, or the model ruled it out or suppressed it (see the threat register section). A dash alone does not show that the category was analysed for the target."})
	header := append([]string{"Target", "Kind"}, reg.Coverage.Categories...)
	t := &Table{Header: header, Empty: "The coverage matrix is empty because the model has no in-scope targets."}
	t.Widths = append([]float64{2.2, 1}, repeat(0.9, len(reg.Coverage.Categories))...)
	for _, row := range reg.Coverage.Rows {
		cells := []string{row.Target.ID, row.Target.Kind}
		for _, c := range reg.Coverage.Categories {
			cell := row.Cells.Of(c)
			if cell.Found == 0 {
				cells = append(cells, "-")
			} else {
				cells = append(cells, fmt.Sprintf("%d/%d", cell.Found, cell.Dispositioned))
			}
		}
		t.Rows = append(t.Rows, cells)
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func vulnerabilities(a *assessment.Assessment, reg *threat.Register) *Section {
	s := sec(assessment.SectionVulnerabilities)
	m := a.Model
	if v := a.Vulnerabilities; v != nil {
		text := fmt.Sprintf("Dependencies were matched against %s: %d records, %d dependencies checked.", cmpOr(v.Source, "a vulnerability database"), v.Records, v.Checked)
		text += uncheckedText(m, v.Unchecked)
		s.Blocks = append(s.Blocks, &Paragraph{Text: text})
		t := &Table{
			Caption: "Known vulnerabilities per dependency",
			Header:  []string{"Vulnerability", "Dependency", "Version", "Severity", "KEV", "Status", "Fixed in", "Summary"},
			Widths:  []float64{1.6, 1.3, 0.8, 1, 0.5, 1.2, 1, 3},
			Empty:   "No known vulnerability matched the dependencies.",
		}
		for _, r := range v.Results {
			severity := r.Severity
			if r.Score != nil {
				severity = fmt.Sprintf("%.1f %s", *r.Score, r.Severity)
			}
			kev := "no"
			if r.KEV != nil {
				kev = "yes"
			}
			t.Rows = append(t.Rows, []string{r.ID, r.Dependency, r.Version, severity, kev, r.Status(), strings.Join(r.Fixed, ", "), r.Summary})
		}
		s.Blocks = append(s.Blocks, t)
	} else {
		s.Blocks = append(s.Blocks, &Paragraph{Note: true, Text: "No vulnerability database was given for this assessment, so the dependencies were not matched against known vulnerabilities. Run ward report with an OSV database to include them."})
	}

	threats := &Table{
		Caption: "Known vulnerability threats in the register",
		Header:  []string{"Threat", "Dependency", "Status", "Description"},
		Widths:  []float64{2, 1.4, 1, 4.5},
		Empty:   "The register has no known vulnerability threats.",
	}
	for _, th := range reg.Threats {
		if slices.ContainsFunc(th.Findings, func(f threat.Finding) bool { return f.Method == threat.MethodVulnerability }) {
			threats.Rows = append(threats.Rows, []string{th.ID, th.Target.ID, th.Disposition.Status, th.Description})
		}
	}
	s.Blocks = append(s.Blocks, threats)

	d := &Table{
		Caption: "Vulnerability decisions recorded in the model",
		Header:  []string{"Vulnerability", "Dependency", "Status", "Justification", "Fixed in", "Issue", "Notes"},
		Widths:  []float64{1.6, 1.3, 1.2, 1.8, 0.9, 0.9, 2},
		Empty:   "The model records no vulnerability decisions.",
	}
	for _, v := range m.Vulnerabilities {
		d.Rows = append(d.Rows, []string{v.ID, cmpOr(v.Dependency, "all"), v.Status, v.Justification, v.FixedIn, v.Issue, v.Notes})
	}
	s.Blocks = append(s.Blocks, d)
	return s
}

// uncheckedText returns, for appending to a sentence, the dependencies the
// scan did not look up and why, or "" when it looked up every one. The
// scan skips a dependency without a purl and one whose purl names no OSV
// ecosystem, such as pkg:generic; `ward check` gives the same reasons.
func uncheckedText(m *model.Model, unchecked []string) string {
	var noPurl, noEcosystem []string
	for _, id := range unchecked {
		i := slices.IndexFunc(m.Dependencies, func(d model.Dependency) bool { return d.ID == id })
		if i < 0 || m.Dependencies[i].Purl == "" {
			noPurl = append(noPurl, id)
		} else {
			noEcosystem = append(noEcosystem, id)
		}
	}
	text := ""
	if len(noPurl) > 0 {
		text += " Not looked up because they have no package URL (purl): " + strings.Join(noPurl, ", ") + "."
	}
	if len(noEcosystem) > 0 {
		text += " Not looked up because their purl names no OSV ecosystem or distribution: " + strings.Join(noEcosystem, ", ") + "."
	}
	return text
}

func strideText(t threat.Threat) string {
	return strings.Join(append([]string{cmpOr(t.STRIDE, "-")}, t.Also...), ", ")
}

func ciaText(c threat.CIA) string {
	short := func(level string) string {
		if level == "" {
			return "-"
		}
		return string(level[0])
	}
	return fmt.Sprintf("C:%s I:%s A:%s", short(c.Confidentiality), short(c.Integrity), short(c.Availability))
}

func methodsText(t threat.Threat) string {
	var parts []string
	for _, f := range t.Findings {
		p := f.Method
		if f.Rule != "" && f.Rule != t.Rule {
			p += " (" + f.Rule + ")"
		}
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	var refs []string
	for _, r := range t.References {
		refs = append(refs, r.ID)
	}
	if len(refs) > 0 {
		parts = append(parts, strings.Join(refs, ", "))
	}
	return strings.Join(parts, "; ")
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
