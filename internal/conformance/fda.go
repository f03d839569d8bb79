package conformance

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
)

// Method diversity and the expectations of the FDA premarket cybersecurity
// guidance that go beyond clause 7.2.

// checkMethodDiversity counts threats, not findings: a threat that several
// methods found counts once under each, and one method finding the same
// threat twice counts once. The report's methodology table counts
// findings, so its numbers can be higher.
func checkMethodDiversity(c *checker) outcome {
	methods := map[string]int{}
	for _, t := range c.threats {
		seen := map[string]bool{}
		for _, f := range t.Findings {
			if !seen[f.Method] {
				methods[f.Method]++
				seen[f.Method] = true
			}
		}
	}
	notRun := ""
	if len(c.a.MethodsNotRun) > 0 {
		parts := make([]string, len(c.a.MethodsNotRun))
		for i, m := range c.a.MethodsNotRun {
			parts[i] = m.Method + ", because " + m.Reason
		}
		notRun = "; not run for lack of input: " + strings.Join(parts, "; ")
	}
	if len(methods) < 2 {
		return fail(fmt.Sprintf("threats come from %d identification method(s); auditors expect STRIDE to be combined with attack libraries and device-specific catalogs%s", len(methods), notRun),
			"run the default methods (do not restrict --methods) and keep elements, flows and interfaces in scope", nil)
	}
	return pass("threats per identification method, a threat found by several methods counted under each: "+countKinds(methods)+notRun, nil)
}

func checkMethodRationale(c *checker) outcome {
	s := &c.m.System
	if s.Methodology == "" {
		return fail("the model does not say why its identification methods were chosen",
			"write the rationale for the methods under system.methodology", []assessment.Evidence{c.at("system", s.ID, s.Pos(), "")})
	}
	return pass("methodology rationale stated", []assessment.Evidence{c.at("system", "methodology", s.FieldPos("methodology"), "")})
}

func checkAssumptions(c *checker) outcome {
	if len(c.m.Assumptions) == 0 {
		return fail("no assumptions are stated", "list the assumptions about attackers, users and the environment under assumptions", nil)
	}
	ev := make([]assessment.Evidence, 0, len(c.m.Assumptions))
	for i := range c.m.Assumptions {
		a := &c.m.Assumptions[i]
		ev = append(ev, c.at("assumption", a.ID, a.Pos(), ""))
	}
	return pass(diag.Count(len(c.m.Assumptions), "assumption", "assumptions")+" stated", ev)
}

// lifecyclePhases are the phases FDA expects threats to cover, beyond
// normal operation.
var lifecyclePhases = []string{"supply-chain", "manufacturing", "deployment", "maintenance", "decommissioning"}

func checkLifecycle(c *checker) outcome {
	covered := map[string]int{}
	for _, t := range c.threats {
		covered[t.Phase]++
	}
	var missing []string
	for _, p := range lifecyclePhases {
		if covered[p] == 0 {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fail("no threats cover these lifecycle phases: "+listIDs(missing),
			"model the elements and flows of those phases (for example the end-of-line programming station, the update server, "+
				"the service tool, returned devices) or add hand-written threats with phase set", nil)
	}
	counts := map[string]int{}
	for _, p := range lifecyclePhases {
		counts[p] = covered[p]
	}
	return pass("lifecycle phases covered: "+countKinds(counts), nil)
}

func checkViews(c *checker) outcome {
	var missing []string
	var ev []assessment.Evidence
	omitted := func(view string) bool {
		if reason := c.m.Views.Omit[view]; reason != "" {
			ev = append(ev, c.at("view", view, c.m.Views.FieldPos("omit"), "omitted: "+reason))
			return true
		}
		return false
	}

	if len(c.m.Elements) == 0 && !omitted("global") {
		missing = append(missing, "global (no elements)")
	}
	many := slices.ContainsFunc(c.m.Elements, func(e model.Element) bool { return e.Patients == "many" })
	if !many && !omitted("multi-patient") {
		missing = append(missing, "multi-patient (no element has patients: many)")
	}
	if !c.hasFirmwareFlow() && !omitted("update") {
		missing = append(missing, "update (no flow carries firmware data)")
	}
	if len(c.m.Views.UseCases) == 0 && !omitted("use-case") {
		missing = append(missing, "use-case (no views.use_cases)")
	}
	if len(missing) > 0 {
		return fail("these architecture views cannot be produced: "+listIDs(missing),
			"give the model what the view needs, or state why it is omitted under views.omit", ev)
	}
	return pass("global, multi-patient, update and use-case views can be produced or their omission is justified", ev)
}

func (c *checker) hasFirmwareFlow() bool {
	for i := range c.m.Flows {
		for _, id := range c.m.Flows[i].Data {
			if d, ok := c.data[id]; ok && d.Category == "firmware" {
				return true
			}
		}
	}
	return false
}

// safetyData returns the data that make t safety-relevant, as the risk
// assessment decided (see risk.SafetyCategories), so that fda.hazards and
// the severity in the risk table agree.
func (c *checker) safetyData(t *threat.Threat) []string {
	if r := c.risks[t.ID]; r != nil {
		return r.SafetyData
	}
	return nil
}

func checkHazardLinks(c *checker) outcome {
	if len(c.m.Data) == 0 {
		return notChecked("the model lists no data, so no threat was examined for safety-relevant impact",
			"add data entries with their category (therapy, alarm, configuration, diagnostic, ...) and list them on the flows that carry them and the stores that keep them")
	}
	var safety []string
	categories := map[string]int{}
	for i := range c.m.Data {
		d := &c.m.Data[i]
		categories[d.Category]++
		if slices.Contains(risk.SafetyCategories, d.Category) {
			safety = append(safety, d.ID)
		}
	}
	if len(safety) == 0 {
		return notApplicable(fmt.Sprintf("no data item is of category therapy, alarm, configuration or diagnostic (the model's data: %s), "+
			"so no threat can have a safety-relevant impact and none needs a hazard link", countKinds(categories)), nil)
	}

	relevant := c.threatsWhere(func(t *threat.Threat) bool { return len(c.safetyData(t)) > 0 })
	var unlinked, linked []*threat.Threat
	for _, t := range relevant {
		d := t.Disposition
		if len(d.Hazards) > 0 || d.HazardRationale != "" || d.Status == "not-applicable" || d.Status == "avoided" {
			linked = append(linked, t)
			continue
		}
		unlinked = append(unlinked, t)
	}
	dataNote := func(t *threat.Threat) string { return "safety-relevant data: " + strings.Join(c.safetyData(t), ", ") }
	if len(unlinked) > 0 {
		return fail(fmt.Sprintf("%s with high integrity or availability impact on therapy, alarm, configuration or diagnostic data %s no hazard link",
			diag.Count(len(unlinked), "threat", "threats"), diag.Agree(len(unlinked), "has", "have")),
			"add hazards (IDs from the ISO 14971 file) to their threats entries, or a hazard_rationale saying why there is no safety impact",
			threatEvidence(unlinked, dataNote))
	}
	if len(relevant) == 0 {
		return pass(fmt.Sprintf("no threat has a high integrity or availability impact on the %s of category therapy, alarm, configuration or diagnostic (%s), so none needs a hazard link",
			diag.Count(len(safety), "data item", "data items"), listIDs(safety)), nil)
	}
	return pass(fmt.Sprintf("%s with safety-relevant impact, each linked to a hazard or with a rationale", diag.Count(len(relevant), "threat", "threats")),
		threatEvidence(linked, func(t *threat.Threat) string {
			d := t.Disposition
			switch {
			case len(d.Hazards) > 0:
				return "hazards " + strings.Join(d.Hazards, ", ")
			case d.HazardRationale != "":
				return "hazard rationale given"
			}
			return d.Status
		}))
}

func checkResidualRisk(c *checker) outcome {
	if len(c.threats) == 0 {
		return notChecked("no threats are identified, so no residual risk was examined", noThreatsFix)
	}
	var bad []*threat.Threat
	steps := map[string][]string{}
	for i := range c.threats {
		t := &c.threats[i]
		if r := c.risks[t.ID]; r != nil && !r.Acceptable {
			bad = append(bad, t)
			step := c.residualStep(t, r)
			steps[step] = append(steps[step], t.ID)
		}
	}
	if len(bad) > 0 {
		return fail(fmt.Sprintf("%s %s an unacceptable residual risk", diag.Count(len(bad), "threat", "threats"), diag.Agree(len(bad), "has", "have")),
			residualFix(steps)+"; docs/risk.md explains the matrix and acceptance",
			threatEvidence(bad, func(t *threat.Threat) string {
				r := c.risks[t.ID]
				return fmt.Sprintf("residual %s (exploitability %s, severity %s): %s",
					r.After.Level, r.After.Exploitability, r.After.Severity, c.residualStep(t, r))
			}))
	}
	return pass(fmt.Sprintf("all %s are within the acceptance criterion or justified", diag.Count(len(c.a.Risks), "risk assessment", "risk assessments")), nil)
}

// residualStep names the next step that changes t's unacceptable residual
// risk r. Verified controls lower exploitability one level each, two at
// most, and never below low. Once that floor is reached, more controls
// change nothing: only a verified resiliency-recovery control (which lowers
// severity) or an explicit, justified acceptance (status accepted) does.
func (c *checker) residualStep(t *threat.Threat, r *risk.Result) string {
	// Above the accepted level only an explicit acceptance counts: status
	// mitigated records that controls are in place, not that the residual
	// risk was accepted.
	accept := "accept it (status: accepted) with a justification that cites the risk-management decision"
	if t.Disposition.Status == "mitigated" {
		accept = "record the acceptance of the residual risk: set status accepted, keep the controls, and cite the risk-management decision in the justification"
	}

	entry := t.Disposition.Entry
	exploitFixed := entry != nil && entry.ResidualExploitability != ""
	if !exploitFixed && r.After.Exploitability != risk.Low && len(r.Controls) < risk.MaxControlSteps {
		return "add implemented, verified controls to its threats entry (each lowers exploitability one level), or " + accept
	}

	why := "its residual exploitability is already low"
	switch {
	case exploitFixed:
		why = "its residual exploitability is set in its threats entry"
	case r.After.Exploitability != risk.Low:
		why = "verified controls already lowered its exploitability by the maximum of two levels"
	}
	severityFixed := entry != nil && entry.ResidualSeverity != ""
	if !severityFixed && r.After.Severity != risk.Low && !c.hasResiliencyControl(r.Controls) {
		return why + ", so only a verified resiliency-recovery control, which lowers severity one level, changes the rating; otherwise " + accept
	}
	return why + ", so more controls change nothing: " + accept
}

// hasResiliencyControl reports whether one of the controls is in the
// resiliency-recovery category, the only one that lowers severity.
func (c *checker) hasResiliencyControl(ids []string) bool {
	for i := range c.m.Controls {
		ctl := &c.m.Controls[i]
		if ctl.Category == "resiliency-recovery" && slices.Contains(ids, ctl.ID) {
			return true
		}
	}
	return false
}

// residualFix joins the distinct next steps, each with the threats it
// applies to, into one fix.
func residualFix(steps map[string][]string) string {
	keys := make([]string, 0, len(steps))
	for k := range steps {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = "for " + listIDs(steps[k]) + ": " + k
	}
	return strings.Join(parts, "; ")
}
