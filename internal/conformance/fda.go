package conformance

import (
	"fmt"
	"slices"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// Method diversity and the expectations of the FDA premarket cybersecurity
// guidance that go beyond clause 7.2.

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
	if len(methods) < 2 {
		return fail(fmt.Sprintf("threats come from %d identification method(s); auditors expect STRIDE to be combined with attack libraries and device-specific catalogs", len(methods)),
			"run the default methods (do not restrict --methods) and keep elements, flows and interfaces in scope", nil)
	}
	return pass("threats found per method: "+countKinds(methods), nil)
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
	return pass(plural(len(c.m.Assumptions), "assumption")+" stated", ev)
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

// safetyData are the data categories whose integrity or availability loss
// can harm a patient, so threats against them need a hazard link.
var safetyData = []string{"therapy", "alarm", "configuration"}

// safetyRelevant reports whether a threat has high integrity or
// availability impact on a target that involves therapy, alarm or
// configuration data.
func (c *checker) safetyRelevant(t *threat.Threat) bool {
	if t.Impact.Integrity != "high" && t.Impact.Availability != "high" {
		return false
	}
	for _, cat := range c.targetCategories(t.Target) {
		if slices.Contains(safetyData, cat) {
			return true
		}
	}
	return false
}

func checkHazardLinks(c *checker) outcome {
	unlinked := c.threatsWhere(func(t *threat.Threat) bool {
		return c.safetyRelevant(t) && len(t.Disposition.Hazards) == 0 && t.Disposition.HazardRationale == "" &&
			t.Disposition.Status != "not-applicable" && t.Disposition.Status != "avoided"
	})
	if len(unlinked) > 0 {
		return fail(fmt.Sprintf("%s with high integrity or availability impact on therapy, alarm or configuration data %s no hazard link",
			plural(len(unlinked), "threat"), verb(len(unlinked), "has", "have")),
			"add hazards (IDs from the ISO 14971 file) to their threats entries, or a hazard_rationale saying why there is no safety impact",
			threatEvidence(unlinked, nil))
	}
	relevant := c.threatsWhere(c.safetyRelevant)
	return pass(fmt.Sprintf("%s with safety-relevant impact, each linked to a hazard or with a rationale", plural(len(relevant), "threat")), nil)
}

func checkResidualRisk(c *checker) outcome {
	var bad []*threat.Threat
	for i := range c.threats {
		t := &c.threats[i]
		if r, ok := c.a.Risk(t.ID); ok && !r.Acceptable {
			bad = append(bad, t)
		}
	}
	if len(bad) > 0 {
		return fail(fmt.Sprintf("%s %s an unacceptable residual risk", plural(len(bad), "threat"), verb(len(bad), "has", "have")),
			"add verified controls to their dispositions, or accept the risk with a justification (status: accepted); docs/risk.md explains the matrix",
			threatEvidence(bad, func(t *threat.Threat) string {
				r, _ := c.a.Risk(t.ID)
				return fmt.Sprintf("residual %s (exploitability %s, severity %s)", r.After.Level, r.After.Exploitability, r.After.Severity)
			}))
	}
	return pass(fmt.Sprintf("all %s are within the acceptance criterion or justified", plural(len(c.a.Risks), "risk assessment")), nil)
}
