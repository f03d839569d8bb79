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
// Candidates with the same ID are always against the same target, so merging
// works target by target. The result is sorted by ID. Merging depends only
// on IDs, categories and targets, never on the order of the model's items.
func merge(ix *index, knownVulnerabilityRules map[string]bool) []*candidate {
	var out []*candidate
	for _, t := range ix.targets {
		cands := slices.DeleteFunc(t.candidates, func(c *candidate) bool { return c.absorbed })
		if len(cands) == 0 {
			continue
		}
		slices.SortStableFunc(cands, func(a, b *candidate) int { return strings.Compare(a.ID, b.ID) })

		// Same ID: keep the first, add the others' findings.
		kept := cands[:1]
		for _, c := range cands[1:] {
			last := kept[len(kept)-1]
			if c.ID == last.ID {
				last.Findings = append(last.Findings, c.Findings...)
				c.absorbed = true
				continue
			}
			kept = append(kept, c)
		}

		for _, c := range kept {
			switch {
			case strings.HasPrefix(c.Rule, strideRulePrefix):
				absorbInto(c, kept, func(r *candidate) bool {
					return r.STRIDE == c.STRIDE || slices.Contains(r.Also, c.STRIDE)
				})
			case c.Rule == knownVulnerabilityRule && isOnlyMethod(&c.Threat, MethodVulnerability):
				absorbInto(c, kept, func(r *candidate) bool { return knownVulnerabilityRules[r.Rule] })
			}
		}

		for _, c := range kept {
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
			out = append(out, c)
		}
	}

	// Sort on a copy of the keys next to the pointers, which keeps the
	// comparisons in cache.
	type keyed struct {
		id string
		c  *candidate
	}
	keys := make([]keyed, len(out))
	for i, c := range out {
		keys[i] = keyed{c.ID, c}
	}
	slices.SortFunc(keys, func(a, b keyed) int { return strings.Compare(a.id, b.id) })
	for i, k := range keys {
		out[i] = k.c
	}
	return out
}

// absorbInto folds src into every rule-library candidate of the same target
// that accepts it, and marks src absorbed when at least one did.
func absorbInto(src *candidate, cands []*candidate, accepts func(*candidate) bool) {
	for _, dst := range cands {
		if dst == src || dst.absorbed || !isRuleLibrary(&dst.Threat) || !accepts(dst) {
			continue
		}
		dst.Findings = append(dst.Findings, src.Findings...)
		dst.Aliases = append(dst.Aliases, src.ID)
		if src.Rule == knownVulnerabilityRule {
			// References may be shared with the rule: copy before growing.
			dst.References = append(slices.Clip(dst.References), src.References...)
		}
		src.absorbed = true
	}
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
