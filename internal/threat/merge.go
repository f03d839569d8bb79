package threat

import (
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
// Candidates with the same ID are always against the same target, so merging
// works target by target. The result is sorted by ID. Merging depends only
// on IDs, categories and targets, never on the order of the model's items.
func merge(ix *index, knownVulnerabilityRules map[string]bool) []*candidate {
	var out, manual, cands []*candidate
	for _, t := range ix.targets {
		cands = cands[:0]
		for c := t.first; c != nil; c = c.next {
			if !c.absorbed {
				cands = append(cands, c)
			}
		}
		if len(cands) == 0 {
			continue
		}
		// Same ID: keep the first, add the others' findings. Methods add
		// at most one candidate per rule and target (STRIDE per
		// interaction joins the per-element candidate when it is added),
		// so only hand-written entries can repeat an ID here.
		unique := cands[:0]
		for _, c := range cands {
			if c.rule() != "" {
				unique = append(unique, c)
				continue
			}
			if first := sameID(unique, c); first != nil {
				first.Findings = append(first.Findings, c.Findings...)
				c.absorbed = true
				continue
			}
			unique = append(unique, c)
		}

		for _, c := range unique {
			switch rule := c.rule(); {
			case strings.HasPrefix(rule, strideRulePrefix):
				category := c.stride()
				absorbInto(c, unique, func(r *candidate) bool {
					return r.stride() == category || slices.Contains(r.also(), category)
				})
			case rule == knownVulnerabilityRule && isOnlyMethod(c.Findings, MethodVulnerability):
				absorbInto(c, unique, func(r *candidate) bool { return knownVulnerabilityRules[r.rule()] })
			}
		}

		for _, c := range unique {
			if c.absorbed {
				continue
			}
			if len(c.Findings) > 1 {
				c.Findings = normalizeFindings(c.Findings)
			}
			if len(c.Aliases) > 1 {
				slices.Sort(c.Aliases)
				c.Aliases = slices.Compact(c.Aliases)
			}
			if c.rule() == "" {
				manual = append(manual, c)
			} else {
				out = append(out, c)
			}
		}
	}
	return sortByID(ix, out, manual)
}

// sameID returns the candidate of list with c's ID, if any.
func sameID(list []*candidate, c *candidate) *candidate {
	for _, k := range list {
		if k.ID == c.ID {
			return k
		}
	}
	return nil
}

// sortByID orders identified threats, whose IDs are "<rule>@<target>", and
// hand-written ones by ID. Two identified IDs with different rules compare
// like their prefixes "<rule>@", because "@" never occurs in a rule ID; two
// with the same rule compare like their target IDs. So the identified
// threats are grouped by rule, the groups sorted once, and each group
// sorted by the rank of its targets' IDs (see rankTargets), which avoids
// comparing hundreds of thousands of long strings.
func sortByID(ix *index, identified, manual []*candidate) []*candidate {
	groups := make(map[string][]*candidate)
	for _, c := range identified {
		rule := c.rule()
		groups[rule] = append(groups[rule], c)
	}
	prefixes := make([]string, 0, len(groups))
	for rule := range groups {
		prefixes = append(prefixes, rule+"@")
	}
	slices.Sort(prefixes)

	sorted := make([]*candidate, 0, len(identified))
	for _, p := range prefixes {
		g := groups[strings.TrimSuffix(p, "@")]
		slices.SortFunc(g, func(a, b *candidate) int { return a.t.rank - b.t.rank })
		sorted = append(sorted, g...)
	}

	if len(manual) == 0 {
		return sorted
	}
	slices.SortFunc(manual, func(a, b *candidate) int { return strings.Compare(a.ID, b.ID) })
	out := make([]*candidate, 0, len(sorted)+len(manual))
	i, j := 0, 0
	for i < len(sorted) || j < len(manual) {
		if j == len(manual) || (i < len(sorted) && sorted[i].ID < manual[j].ID) {
			out = append(out, sorted[i])
			i++
		} else {
			out = append(out, manual[j])
			j++
		}
	}
	return out
}

// absorbInto folds src into every rule-library candidate of the same target
// that accepts it, and marks src absorbed when at least one did.
func absorbInto(src *candidate, cands []*candidate, accepts func(*candidate) bool) {
	for _, dst := range cands {
		if dst == src || dst.absorbed || !isRuleLibrary(dst.Findings) || !accepts(dst) {
			continue
		}
		dst.Findings = append(dst.Findings, src.Findings...)
		dst.Aliases = append(dst.Aliases, src.ID)
		if src.rule() == knownVulnerabilityRule {
			// References may be shared with the rule: copy before growing.
			dst.References = append(slices.Clip(dst.references()), src.references()...)
		}
		src.absorbed = true
	}
}

func isRuleLibrary(findings []Finding) bool {
	return len(findings) > 0 && findings[0].Method == MethodRules
}

func isOnlyMethod(findings []Finding, method string) bool {
	for _, f := range findings {
		if f.Method != method {
			return false
		}
	}
	return true
}

// normalizeFindings sorts findings by method order, then rule, and drops
// duplicates. Lists are short, so an insertion sort does.
func normalizeFindings(fs []Finding) []Finding {
	less := func(a, b Finding) bool {
		ra, rb := methodRank(a.Method), methodRank(b.Method)
		return ra < rb || (ra == rb && a.Rule < b.Rule)
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && less(fs[j], fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
	return slices.Compact(fs)
}

// methodRank returns a method's position in MethodNames.
func methodRank(name string) int {
	switch name {
	case MethodSTRIDE:
		return 0
	case MethodInteraction:
		return 1
	case MethodRules:
		return 2
	case MethodPrivacy:
		return 3
	case MethodVulnerability:
		return 4
	case MethodManual:
		return 5
	}
	return 6
}
