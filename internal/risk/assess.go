package risk

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// Rating is a threat's exploitability and severity and the risk level the
// matrix gives for them.
type Rating struct {
	Exploitability Level `json:"exploitability"`
	Severity       Level `json:"severity"`
	Level          Level `json:"level"`
}

// Result is the risk assessment of one threat.
type Result struct {
	ThreatID string `json:"threat"`
	Before   Rating `json:"before"`
	After    Rating `json:"after"`
	// Acceptable is true when the residual level is within the policy's
	// acceptance criterion, or when the threat is accepted or transferred
	// with a justification, or avoided or not applicable. A mitigated
	// threat is acceptable only within the criterion.
	Acceptable bool `json:"acceptable"`
	// Reason explains how each level was reached, in one paragraph.
	Reason string `json:"reason"`
	// Controls lists the dispositioned controls that lowered the risk:
	// those with status implemented and a verification reference.
	Controls []string `json:"controls,omitempty"`
	// CVSS is the score of the threat's CVSS vector, if it has a valid one.
	CVSS *Score `json:"cvss,omitempty"`
	// SafetyData lists the data IDs that make the threat safety-relevant
	// (see SafetyCategories); empty when it is not. Such a threat gets a
	// higher severity here and needs a hazard link in `ward check`.
	SafetyData []string `json:"safety_data,omitempty"`
}

// Options configures Assess. The zero value uses the model's policy.
type Options struct {
	// Policy replaces the policy of the model's risk section when set.
	Policy *Policy
}

// MaxControlSteps is how many levels implemented and verified controls
// can lower a threat's exploitability in total.
const MaxControlSteps = 2

// secretData are data categories whose disclosure is serious on its own.
var secretData = map[string]bool{"phi": true, "credential": true, "key": true}

// Assess rates every threat before and after its controls and decides
// whether the residual risk is acceptable. Results are in the order of
// threats.
//
// Before controls, exploitability is the threat entry's override, else it
// comes from the CVSS vector's exploitability metrics. Without a vector it
// comes from the attack vector (network high, adjacent and local medium,
// physical low), one level up when the target flow or interface requires
// no authentication and one level down when it requires some.
//
// Severity is the entry's override, else the highest CIA impact (none and
// low rate low). It rises one level when the threat is safety-relevant: a
// high integrity or availability impact on therapy, alarm, configuration or
// diagnostic data that its target carries, keeps or exchanges. It is at
// least high when the threat discloses health data, credentials or keys,
// and it rises one level, to at least high, when the threat is linked to a
// hazard.
//
// After controls, each dispositioned control that is implemented and has a
// verification reference lowers exploitability by one level, two at most.
// A resiliency-and-recovery control also lowers severity by one level,
// because it limits the consequence rather than the attack. Avoided and
// not-applicable threats have low residual risk. Residual overrides in the
// threat entry win over all of this.
func Assess(m *model.Model, threats []threat.Threat, opts Options) []Result {
	policy := PolicyOf(m)
	if opts.Policy != nil {
		policy = *opts.Policy
	}
	ix := newIndex(m)

	results := make([]Result, 0, len(threats))
	for _, t := range threats {
		results = append(results, assessOne(ix, policy, t))
	}
	return results
}

type index struct {
	flows      map[string]*model.Flow
	interfaces map[string]*model.Interface
	elements   map[string]*model.Element
	data       map[string]*model.Data
	controls   map[string]*model.Control
	// flowsAt lists the flows that start or end at each element.
	flowsAt map[string][]*model.Flow
}

func newIndex(m *model.Model) *index {
	ix := &index{
		flows: map[string]*model.Flow{}, interfaces: map[string]*model.Interface{},
		elements: map[string]*model.Element{}, data: map[string]*model.Data{}, controls: map[string]*model.Control{},
		flowsAt: map[string][]*model.Flow{},
	}
	for i := range m.Flows {
		f := &m.Flows[i]
		ix.flows[f.ID] = f
		ix.flowsAt[f.From] = append(ix.flowsAt[f.From], f)
		if f.To != f.From {
			ix.flowsAt[f.To] = append(ix.flowsAt[f.To], f)
		}
	}
	for i := range m.Interfaces {
		ix.interfaces[m.Interfaces[i].ID] = &m.Interfaces[i]
	}
	for i := range m.Elements {
		ix.elements[m.Elements[i].ID] = &m.Elements[i]
	}
	for i := range m.Data {
		ix.data[m.Data[i].ID] = &m.Data[i]
	}
	for i := range m.Controls {
		ix.controls[m.Controls[i].ID] = &m.Controls[i]
	}
	return ix
}

func assessOne(ix *index, policy Policy, t threat.Threat) Result {
	r := Result{ThreatID: t.ID, SafetyData: ix.safetyData(&t)}
	var explanation []string
	entry := t.Disposition.Entry
	override := func(get func(*model.ThreatEntry) string) Level {
		if entry == nil {
			return ""
		}
		if l := Level(get(entry)); l.Valid() {
			return l
		}
		return ""
	}

	if t.Disposition.CVSS != "" {
		s, err := ScoreVector(t.Disposition.CVSS)
		if err != nil {
			explanation = append(explanation, "CVSS vector ignored: "+err.Error())
		} else {
			r.CVSS = &s
		}
	}

	// Before controls.
	if l := override(func(e *model.ThreatEntry) string { return e.Exploitability }); l != "" {
		r.Before.Exploitability = l
		explanation = append(explanation, fmt.Sprintf("exploitability %s as set in the threat entry", l))
	} else {
		l, reason := ix.exploitability(t, r.CVSS)
		r.Before.Exploitability = l
		explanation = append(explanation, fmt.Sprintf("exploitability %s (%s)", l, reason))
	}
	if l := override(func(e *model.ThreatEntry) string { return e.Severity }); l != "" {
		r.Before.Severity = l
		explanation = append(explanation, fmt.Sprintf("severity %s as set in the threat entry", l))
	} else {
		l, reason := ix.severity(t, r.SafetyData)
		r.Before.Severity = l
		explanation = append(explanation, fmt.Sprintf("severity %s (%s)", l, reason))
	}
	r.Before.Level = policy.Matrix.Level(r.Before.Exploitability, r.Before.Severity)

	// After controls.
	r.After = r.Before
	switch t.Disposition.Status {
	case "avoided", "not-applicable":
		r.After.Exploitability, r.After.Severity = Low, Low
		explanation = append(explanation, "residual low because the threat is "+t.Disposition.Status)
	default:
		lowerE, lowerS := 0, 0
		for _, id := range t.Disposition.Controls {
			c := ix.controls[id]
			if c == nil || c.Status != "implemented" || c.Verification == "" {
				continue
			}
			r.Controls = append(r.Controls, id)
			lowerE++
			if c.Category == "resiliency-recovery" {
				lowerS = 1
			}
		}
		lowerE = min(lowerE, MaxControlSteps)
		r.After.Exploitability = r.Before.Exploitability.shift(-lowerE)
		r.After.Severity = r.Before.Severity.shift(-lowerS)
		if len(r.Controls) > 0 {
			explanation = append(explanation, fmt.Sprintf("implemented and verified controls %s lower exploitability by %d and severity by %d",
				strings.Join(r.Controls, ", "), lowerE, lowerS))
		} else if len(t.Disposition.Controls) > 0 {
			explanation = append(explanation, "no dispositioned control is both implemented and verified, so controls lower nothing")
		}
	}
	if l := override(func(e *model.ThreatEntry) string { return e.ResidualExploitability }); l != "" {
		r.After.Exploitability = l
		explanation = append(explanation, fmt.Sprintf("residual exploitability %s as set in the threat entry", l))
	}
	if l := override(func(e *model.ThreatEntry) string { return e.ResidualSeverity }); l != "" {
		r.After.Severity = l
		explanation = append(explanation, fmt.Sprintf("residual severity %s as set in the threat entry", l))
	}
	r.After.Level = policy.Matrix.Level(r.After.Exploitability, r.After.Severity)

	// Acceptance.
	status, justified := t.Disposition.Status, strings.TrimSpace(t.Disposition.Justification) != ""
	accept := string(policy.Accept)
	if accept == "" {
		accept = "none"
	}
	acceptsAbove, needsJustification := AcceptanceAboveCriterion(status)
	switch {
	case policy.Acceptable(r.After.Level):
		r.Acceptable = true
		explanation = append(explanation, fmt.Sprintf("residual risk %s is within the accepted level %s", r.After.Level, policy.Accept))
	case acceptsAbove && needsJustification && justified:
		r.Acceptable = true
		explanation = append(explanation, fmt.Sprintf("residual risk %s is above the accepted level %s but %s with a justification", r.After.Level, accept, status))
	case acceptsAbove && !needsJustification:
		r.Acceptable = true
	case status == "mitigated":
		// ISO 14971 requires an explicit acceptance decision for each
		// residual risk above the criterion. Mitigated states only that
		// controls are in place, so it does not record that decision,
		// whatever its justification contains.
		explanation = append(explanation, fmt.Sprintf("residual risk %s is above the accepted level %s and status mitigated does not accept it: "+
			"add implemented and verified controls, or set status accepted with a justification that cites the risk-management decision", r.After.Level, accept))
	default:
		explanation = append(explanation, fmt.Sprintf("residual risk %s is above the accepted level %s: add implemented and verified controls, or accept or transfer the threat with a justification", r.After.Level, accept))
	}
	r.Reason = strings.Join(explanation, "; ")
	return r
}

// exploitability rates how easily t can be exploited before controls.
func (ix *index) exploitability(t threat.Threat, cvss *Score) (Level, string) {
	if cvss != nil {
		return cvssExploitability(*cvss)
	}

	var l Level
	switch t.Vector {
	case "network":
		l = High
	case "adjacent", "local":
		l = Medium
	case "physical":
		l = Low
	default:
		l = High
		return l, fmt.Sprintf("attack vector %q unknown, rated as network", t.Vector)
	}
	reason := t.Vector + " attack vector"

	auth := ""
	switch t.Target.Kind {
	case threat.TargetFlow:
		if f := ix.flows[t.Target.ID]; f != nil {
			auth = f.Authentication
		}
	case threat.TargetInterface:
		if i := ix.interfaces[t.Target.ID]; i != nil {
			auth = i.Authentication
			if i.Production == "authenticated" {
				auth = "one-way"
			}
		}
	}
	switch auth {
	case "none":
		l = l.shift(1)
		reason += ", no authentication required"
	case "one-way", "mutual":
		l = l.shift(-1)
		reason += ", " + auth + " authentication required"
	}
	return l, reason
}

// cvssExploitability maps the exploitability metrics of a CVSS vector to a
// level. CVSS v3 has an exploitability sub-score of at most 3.9. CVSS v4.0
// has none, so its first two equivalence classes are used: EQ1 (attack
// vector, privileges, user interaction) and EQ2 (attack complexity and
// attack requirements).
func cvssExploitability(s Score) (Level, string) {
	if s.Exploitability != nil {
		e := *s.Exploitability
		var l Level
		switch {
		case e < 1.5:
			l = Low
		case e < 2.5:
			l = Medium
		case e < 3.5:
			l = High
		default:
			l = Critical
		}
		return l, fmt.Sprintf("CVSS %s exploitability sub-score %.1f", s.Version, e)
	}

	v, err := parseVector(s.Vector)
	if err != nil {
		return High, "CVSS vector unreadable, rated high"
	}
	mv := v.macroVector()
	points := (2-mv[0])*2 + (1 - mv[1]) // 0 (hardest) to 5 (easiest)
	l := []Level{Low, Low, Medium, High, High, Critical}[points]
	return l, fmt.Sprintf("CVSS 4.0 exploitability classes EQ1=%d EQ2=%d", mv[0], mv[1])
}

// severity rates the consequence of t before controls; safety lists the
// data that make t safety-relevant.
func (ix *index) severity(t threat.Threat, safety []string) (Level, string) {
	rank := map[string]int{"none": 0, "low": 1, "medium": 2, "high": 3}
	worst := 0
	for _, v := range []string{t.Impact.Confidentiality, t.Impact.Integrity, t.Impact.Availability} {
		worst = max(worst, rank[v])
	}
	l := []Level{Low, Low, Medium, High}[worst]
	reasons := []string{"highest CIA impact " + []string{"none", "low", "medium", "high"}[worst]}

	secret := false
	for _, id := range ix.dataOf(t.Target) {
		if d := ix.data[id]; d != nil && secretData[d.Category] && rank[t.Impact.Confidentiality] >= 2 {
			secret = true
		}
	}
	if len(safety) > 0 {
		l = l.shift(1)
		reasons = append(reasons, "safety-relevant data at stake ("+strings.Join(safety, ", ")+")")
	}
	if secret {
		l = maxLevel(l, High)
		reasons = append(reasons, "health data, credentials or keys disclosed")
	}
	if len(t.Disposition.Hazards) > 0 {
		l = maxLevel(l.shift(1), High)
		reasons = append(reasons, "linked to hazard "+strings.Join(t.Disposition.Hazards, ", "))
	}
	return l, strings.Join(reasons, ", ")
}

// dataOf returns the IDs of the data a target carries or keeps.
func (ix *index) dataOf(target *threat.Target) []string {
	switch target.Kind {
	case threat.TargetFlow:
		if f := ix.flows[target.ID]; f != nil {
			return f.Data
		}
	case threat.TargetInterface:
		if i := ix.interfaces[target.ID]; i != nil {
			if e := ix.elements[i.Of]; e != nil {
				return e.Stores
			}
		}
	default:
		if e := ix.elements[target.ID]; e != nil {
			return e.Stores
		}
	}
	return nil
}

// AcceptanceAboveCriterion reports whether a threat with the given status
// may have a residual risk above the model's accepted level, and whether
// only with a justification. Accepted and transferred threats need one;
// avoided and not-applicable threats need none. Mitigated and open
// threats never may: mitigated states that controls are in place, not
// that the risk remaining after them was accepted.
func AcceptanceAboveCriterion(status string) (acceptable, needsJustification bool) {
	switch status {
	case "accepted", "transferred":
		return true, true
	case "avoided", "not-applicable":
		return true, false
	}
	return false, false
}
