package threat

import (
	"slices"
	"strconv"
	"strings"

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
	byKind := make(map[string]*ruleIndex)
	for _, rule := range m.lib.Rules {
		cr := &compiledRule{
			rule: rule,
			when: compileCondition(rule.When),
			src:  ruleSource(rule),
		}
		if rule.Residual != nil && rule.Residual.When != nil {
			cr.residual = compileCondition(rule.Residual.When)
			cr.residualFacts = factsOf(rule.Residual.When)
		}
		for _, kind := range rule.AppliesTo {
			if byKind[kind] == nil {
				byKind[kind] = &ruleIndex{keyed: make(map[int]map[string][]*compiledRule)}
			}
			byKind[kind].add(cr)
		}
		if mentionsFact(rule.When, "known_vulnerabilities") {
			if r.knownVulnerabilityRules == nil {
				r.knownVulnerabilityRules = make(map[string]bool)
			}
			r.knownVulnerabilityRules[rule.ID] = true
		}
	}

	for _, t := range ix.targets {
		idx := byKind[t.Kind]
		if idx == nil {
			continue
		}
		idx.candidates(t.facts, func(cr *compiledRule) {
			if residual, ok := applyRule(cr, t); ok {
				r.add(t, &cr.src, MethodRules, residual)
			}
		})
	}
}

// ruleIndex sorts the rules of one target kind by a fact that their
// condition requires to have one of some values, such as protocol: ble or
// debug: true, so a target is only tested against the rules that can
// match it. Rules without such a test are tried on every target. A rule
// with a residual variant is never keyed, because its residual may match
// where its main condition cannot.
type ruleIndex struct {
	unkeyed []*compiledRule
	// keyed maps a fact slot to lower-case values to rules; a bool fact's
	// values are "true" and "false".
	keyed map[int]map[string][]*compiledRule
	slots []int
}

func (x *ruleIndex) add(cr *compiledRule) {
	slot, values, ok := requiredValues(cr.when)
	if !ok || cr.residual != nil {
		x.unkeyed = append(x.unkeyed, cr)
		return
	}
	if x.keyed[slot] == nil {
		x.keyed[slot] = make(map[string][]*compiledRule)
		x.slots = append(x.slots, slot)
		slices.Sort(x.slots)
	}
	for _, v := range values {
		x.keyed[slot][v] = append(x.keyed[slot][v], cr)
	}
}

// candidates calls fn with every rule that can match facts.
func (x *ruleIndex) candidates(f *Facts, fn func(*compiledRule)) {
	for _, cr := range x.unkeyed {
		fn(cr)
	}
	for _, slot := range x.slots {
		v := f.value(slot)
		if !v.Set {
			continue
		}
		for _, cr := range x.keyed[slot][indexKey(&v)] {
			fn(cr)
		}
	}
}

// indexKey returns the key a fact value is filed under in a ruleIndex.
func indexKey(v *Value) string {
	if v.Type == catalog.Bool {
		return strconv.FormatBool(v.Bool)
	}
	return strings.ToLower(v.Str)
}

// requiredValues finds a test that a condition requires to hold: the
// condition itself or one entry of its top-level all, testing a string or
// bool fact for equality with one of some values. A string test is
// preferred, because it separates more targets. It returns the fact's
// slot and the values as indexKey writes them.
func requiredValues(c *compiledCondition) (int, []string, bool) {
	try := func(c *compiledCondition, typ catalog.FactType) (int, []string, bool) {
		if c == nil || !c.test || c.fact < 0 || (c.op != opEq && c.op != opIn && c.op != "") {
			return 0, nil, false
		}
		if catalog.Facts[c.fact].Type != typ {
			return 0, nil, false
		}
		values := make([]string, 0, len(c.values))
		for _, v := range c.values {
			switch typ {
			case catalog.String:
				s, ok := v.(string)
				if !ok {
					return 0, nil, false
				}
				values = append(values, strings.ToLower(s))
			case catalog.Bool:
				// A value that is no boolean never matches a bool
				// fact, so it files the rule nowhere.
				if b, ok := asBool(v); ok {
					values = append(values, strconv.FormatBool(b))
				}
			}
		}
		return c.fact, sortedUnique(values), len(values) > 0
	}
	for _, typ := range []catalog.FactType{catalog.String, catalog.Bool} {
		if slot, values, ok := try(c, typ); ok {
			return slot, values, true
		}
		if c != nil {
			for _, sub := range c.all {
				if slot, values, ok := try(sub, typ); ok {
					return slot, values, true
				}
			}
		}
	}
	return 0, nil, false
}

// compiledRule is a rule prepared for evaluation on many targets. Its
// source, references included, is shared by all the rule's threats, like
// the rule's Also and Controls slices; the register is read-only.
type compiledRule struct {
	rule     *catalog.Rule
	when     *compiledCondition
	residual *compiledCondition
	// residualFacts are the facts the residual condition tests.
	residualFacts map[string]bool
	src           source
}

// ruleSource returns the parts of a rule's threats that do not depend on
// the target.
func ruleSource(rule *catalog.Rule) source {
	residualTitle := ""
	if rule.Residual != nil {
		residualTitle = rule.Residual.Title
	}
	s := newSource(Pattern{
		Rule:       rule.ID,
		Title:      rule.Title,
		STRIDE:     rule.STRIDE,
		Also:       rule.Also,
		Phase:      rule.Phase,
		Controls:   rule.Controls,
		References: references(rule.References),
	}, residualTitle)
	s.parts = compileTemplate(rule.Description)
	s.impact = levels(rule.Impact)
	s.vector = rule.Vector
	if rule.Residual != nil {
		s.residualImpact = levels(rule.Residual.Impact)
	}
	return s
}

// applyRule evaluates one rule on one target and reports whether it
// raises a threat there, and whether that threat is the rule's residual
// variant.
//
// A rule with a residual variant yields the weaker threat when the residual
// condition holds and the main condition holds once the facts that the
// residual condition tests are set aside. So a rule for open debug ports
// (debug: true, production: [enabled, disabled]) with the residual
// production: locked still finds a locked debug port, as a weaker threat,
// but never a locked port that is not a debug port.
func applyRule(cr *compiledRule, t *target) (residual, ok bool) {
	if cr.residual != nil && cr.residual.match(t.facts) {
		residual = matchExcept(cr.rule.When, t.facts, cr.residualFacts, true)
	}
	if !residual && !cr.when.match(t.facts) {
		return false, false
	}
	return residual, true
}

// levels returns an impact as fixed levels, "none" where unset.
func levels(i catalog.Impact) [3]string {
	c := cia(i)
	return [3]string{c.Confidentiality, c.Integrity, c.Availability}
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
