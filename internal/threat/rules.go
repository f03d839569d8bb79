package threat

import (
	"slices"

	"github.com/wardtm/ward/internal/catalog"
)

// ruleLibrary evaluates the rules of a catalog.Library against every target
// of the kinds each rule applies to.
type ruleLibrary struct {
	lib *catalog.Library
}

func (ruleLibrary) Name() string { return MethodRules }

func (m ruleLibrary) find(ix *index, r *results) {
	if m.lib == nil {
		return
	}
	byKind := make(map[string][]*catalog.Rule)
	for _, rule := range m.lib.Rules {
		for _, kind := range rule.AppliesTo {
			byKind[kind] = append(byKind[kind], rule)
		}
		if mentionsFact(rule.When, "known_vulnerabilities") {
			if r.knownVulnerabilityRules == nil {
				r.knownVulnerabilityRules = make(map[string]bool)
			}
			r.knownVulnerabilityRules[rule.ID] = true
		}
	}

	for _, t := range ix.targets {
		for _, rule := range byKind[t.Kind] {
			if th, ok := ix.applyRule(rule, t); ok {
				r.threats = append(r.threats, th)
			}
		}
	}
}

// applyRule evaluates one rule on one target.
//
// A rule with a residual variant yields the weaker threat when the residual
// condition holds and the main condition holds once the facts that the
// residual condition tests are set aside. So a rule for open debug ports
// (debug: true, production: [enabled, disabled]) with the residual
// production: locked still finds a locked debug port, as a weaker threat,
// but never a locked port that is not a debug port.
func (ix *index) applyRule(rule *catalog.Rule, t *target) (Threat, bool) {
	residual := false
	if rule.Residual != nil && rule.Residual.When != nil && Match(rule.Residual.When, t.facts) {
		residual = matchExcept(rule.When, t.facts, factsOf(rule.Residual.When), true)
	}
	if !residual && !Match(rule.When, t.facts) {
		return Threat{}, false
	}

	th := Threat{
		ID:          rule.ID + "@" + t.ID,
		Rule:        rule.ID,
		Title:       rule.Title,
		Description: Fill(rule.Description, t.facts, ix.relatedFacts(t)),
		Target:      t.Target,
		STRIDE:      rule.STRIDE,
		Also:        slices.Clone(rule.Also),
		Impact:      cia(rule.Impact),
		Vector:      rule.Vector,
		Phase:       rule.Phase,
		Controls:    slices.Clone(rule.Controls),
		References:  references(rule.References),
		Findings:    []Finding{{Method: MethodRules, Rule: rule.ID}},
	}
	if th.Vector == "" {
		th.Vector = ix.vectorOf(t)
	}
	if residual {
		th.Residual = true
		th.Impact = cia(rule.Residual.Impact)
		if rule.Residual.Title != "" {
			th.Title = rule.Residual.Title
		}
	}
	return th, true
}

func cia(i catalog.Impact) CIA {
	return CIA{
		Confidentiality: orNone(i.Confidentiality),
		Integrity:       orNone(i.Integrity),
		Availability:    orNone(i.Availability),
	}
}

func orNone(level string) string {
	if level == "" {
		return "none"
	}
	return level
}

// references lists a rule's references in a fixed catalog order.
func references(r catalog.References) []Reference {
	var out []Reference
	add := func(cat string, ids []string) {
		for _, id := range ids {
			out = append(out, Reference{Catalog: cat, ID: id})
		}
	}
	add("capec", r.CAPEC)
	add("cwe", r.CWE)
	add("attack", r.ATTACK)
	add("emb3d", r.EMB3D)
	return out
}
