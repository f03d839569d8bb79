package threat

import (
	"cmp"
	"slices"
	"strings"
)

// merge joins what several methods found about the same threat:
//
//  1. Candidates with the same ID become one threat listing every finding.
//     STRIDE per element and STRIDE per interaction share IDs
//     (stride.<category>@<flow-id>), so a flow's tampering finding from both
//     is one threat.
//  2. A STRIDE finding merges into every rule-library threat on the same
//     target whose STRIDE category, or one of whose Also categories, is the
//     finding's category. The rule's threat keeps its ID and lists the
//     STRIDE ID under Aliases.
//  3. The known-vulnerability finding on a dependency merges the same way
//     into rule-library threats on that dependency whose rule tests the
//     known_vulnerabilities fact, adding the vulnerabilities' references.
//
// The result is sorted by ID. Merging depends only on IDs, categories and
// targets, never on the order of the model's items.
func merge(candidates []Threat, knownVulnerabilityRules map[string]bool) []Threat {
	byID := make(map[string]int, len(candidates))
	var threats []Threat
	for _, c := range candidates {
		if i, ok := byID[c.ID]; ok {
			threats[i].Findings = append(threats[i].Findings, c.Findings...)
			continue
		}
		byID[c.ID] = len(threats)
		threats = append(threats, c)
	}

	// Rule-library threats per target and category.
	type slot struct{ kind, id, category string }
	ruleThreats := make(map[slot][]int)
	vulnRuleThreats := make(map[slot][]int)
	for i := range threats {
		th := &threats[i]
		if !isRuleLibrary(th) {
			continue
		}
		for _, cat := range append([]string{th.STRIDE}, th.Also...) {
			k := slot{th.Target.Kind, th.Target.ID, cat}
			ruleThreats[k] = append(ruleThreats[k], i)
		}
		if knownVulnerabilityRules[th.Rule] {
			k := slot{th.Target.Kind, th.Target.ID, ""}
			vulnRuleThreats[k] = append(vulnRuleThreats[k], i)
		}
	}

	absorbed := make([]bool, len(threats))
	absorb := func(from int, into []int) {
		src := &threats[from]
		for _, j := range slices.Compact(into) {
			dst := &threats[j]
			dst.Findings = append(dst.Findings, src.Findings...)
			dst.Aliases = append(dst.Aliases, src.ID)
			if src.Rule == knownVulnerabilityRule {
				dst.References = append(dst.References, src.References...)
			}
		}
		absorbed[from] = true
	}
	for i := range threats {
		th := &threats[i]
		switch {
		case strings.HasPrefix(th.Rule, strideRulePrefix):
			if into := ruleThreats[slot{th.Target.Kind, th.Target.ID, th.STRIDE}]; len(into) > 0 {
				absorb(i, into)
			}
		case th.Rule == knownVulnerabilityRule && isOnlyMethod(th, MethodVulnerability):
			if into := vulnRuleThreats[slot{th.Target.Kind, th.Target.ID, ""}]; len(into) > 0 {
				absorb(i, into)
			}
		}
	}

	out := threats[:0:0]
	for i := range threats {
		if absorbed[i] {
			continue
		}
		th := threats[i]
		th.Findings = normalizeFindings(th.Findings)
		slices.Sort(th.Aliases)
		th.Aliases = slices.Compact(th.Aliases)
		out = append(out, th)
	}
	slices.SortFunc(out, func(a, b Threat) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func isRuleLibrary(th *Threat) bool {
	return len(th.Findings) > 0 && th.Findings[0].Method == MethodRules
}

func isOnlyMethod(th *Threat, method string) bool {
	for _, f := range th.Findings {
		if f.Method != method {
			return false
		}
	}
	return true
}

// normalizeFindings sorts findings by method order, then rule, and drops
// duplicates.
func normalizeFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(methodOrder[a.Method], methodOrder[b.Method]), strings.Compare(a.Rule, b.Rule))
	})
	return slices.Compact(fs)
}
