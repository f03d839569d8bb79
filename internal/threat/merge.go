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
// works target by target. The result lists the merged threats target by
// target in model order; registerOrder sorts them by ID. Merging depends
// only on IDs, categories and targets, never on the order of the model's
// items.
func merge(ix *index, r *results) []*candidate {
	knownVulnerabilityRules := r.knownVulnerabilityRules
	out := make([]*candidate, 0, r.count)
	var sl mergeSlab
	var cands []*candidate
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
				sl.absorbInto(c, unique, func(r *candidate) bool {
					return r.stride() == category || slices.Contains(r.also(), category)
				})
			case rule == knownVulnerabilityRule && isOnlyMethod(c.Findings, MethodVulnerability):
				sl.absorbInto(c, unique, func(r *candidate) bool { return knownVulnerabilityRules[r.rule()] })
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
			out = append(out, c)
		}
	}
	return out
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

// registerOrder returns, for each threat of list, its position in the
// register, where threats are sorted by ID.
//
// Identified threats have IDs "<rule>@<target>". Two with different rules
// compare like their prefixes "<rule>@", because "@" never occurs in a rule
// ID; two with the same rule compare like their target IDs. So they are
// sorted by the rank of their rule's prefix and then by the rank of their
// target (see rankTargets), as two integers, which avoids comparing
// hundreds of thousands of long strings. Hand-written threats are then
// merged in by ID.
func registerOrder(list []*candidate) []int {
	groupOf := make(map[string]int32)
	var rules []string
	var manual []int
	identified := make([]int, 0, len(list))
	groups := make([]int32, 0, len(list))
	ranks := make([]int32, 0, len(list))
	maxRank := int32(0)
	for i, c := range list {
		rule := c.rule()
		if rule == "" {
			manual = append(manual, i)
			continue
		}
		g, ok := groupOf[rule]
		if !ok {
			g = int32(len(rules))
			groupOf[rule] = g
			rules = append(rules, rule)
		}
		identified = append(identified, i)
		groups = append(groups, g)
		ranks = append(ranks, int32(c.t.rank))
		maxRank = max(maxRank, int32(c.t.rank))
	}

	groupRank := prefixRanks(rules)
	for k, g := range groups {
		groups[k] = groupRank[g]
	}
	order := countingOrder(groups, ranks, len(rules), int(maxRank)+1)

	pos := make([]int, len(list))
	if len(manual) == 0 {
		for k, e := range order {
			pos[identified[e]] = k
		}
		return pos
	}
	slices.SortFunc(manual, func(a, b int) int { return strings.Compare(list[a].ID, list[b].ID) })
	i, j := 0, 0
	for k := range pos {
		if j == len(manual) || (i < len(order) && list[identified[order[i]]].ID < list[manual[j]].ID) {
			pos[identified[order[i]]] = k
			i++
		} else {
			pos[manual[j]] = k
			j++
		}
	}
	return pos
}

// prefixRanks returns, for each rule, its rank among the rules' prefixes
// "<rule>@" sorted as strings.
func prefixRanks(rules []string) []int32 {
	byPrefix := make([]int, len(rules))
	for i := range byPrefix {
		byPrefix[i] = i
	}
	slices.SortFunc(byPrefix, func(a, b int) int { return strings.Compare(rules[a]+"@", rules[b]+"@") })
	ranks := make([]int32, len(rules))
	for rank, i := range byPrefix {
		ranks[i] = int32(rank)
	}
	return ranks
}

// countingOrder returns the indices of the keys sorted by major key and
// then minor key, keeping the input order of equal keys. Keys must lie in
// [0, numMajor) and [0, numMinor). It sorts in linear time with two
// counting sorts, the minor key first.
func countingOrder(major, minor []int32, numMajor, numMinor int) []int32 {
	n := len(major)
	count := make([]int32, max(numMajor, numMinor)+1)
	countingPass := func(in []int32, keys []int32, numKeys int) []int32 {
		clear(count)
		for _, k := range keys {
			count[k+1]++
		}
		for k := 1; k <= numKeys; k++ {
			count[k] += count[k-1]
		}
		out := make([]int32, n)
		for _, i := range in {
			k := keys[i]
			out[count[k]] = i
			count[k]++
		}
		return out
	}

	identity := make([]int32, n)
	for i := range identity {
		identity[i] = int32(i)
	}
	return countingPass(countingPass(identity, minor, numMinor), major, numMajor)
}

// absorbInto folds src into every rule-library candidate of the same target
// that accepts it, and marks src absorbed when at least one did.
func (sl *mergeSlab) absorbInto(src *candidate, cands []*candidate, accepts func(*candidate) bool) {
	for _, dst := range cands {
		if dst == src || dst.absorbed || !isRuleLibrary(dst.Findings) || !accepts(dst) {
			continue
		}
		dst.Findings = sl.appendFindings(dst.Findings, src.Findings)
		dst.Aliases = sl.appendAlias(dst.Aliases, src.ID)
		if src.rule() == knownVulnerabilityRule {
			// References may be shared with the rule: copy before growing.
			known := &knownMerge{references: append(slices.Clip(dst.references()), src.references()...)}
			if src.full != nil {
				impact := src.full.Impact
				known.impact = &impact
			}
			dst.known = known
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

// mergeSlab carves the findings and aliases lists that merging grows from
// large shared buffers, instead of one allocation each time a list grows:
// on large models most rule threats absorb a STRIDE finding.
type mergeSlab struct {
	findings []Finding
	aliases  []string
}

// mergeSlabSize is the number of entries per buffer of a mergeSlab.
const mergeSlabSize = 4096

// mergeRoom is the spare room a carved list gets, so that the next few
// appends to it stay in place.
const mergeRoom = 1

// appendFindings returns list with add appended. When list has no room
// left, the result is carved from the slab with spare room. The room past
// a carved list's length belongs to that list alone.
func (sl *mergeSlab) appendFindings(list, add []Finding) []Finding {
	n := len(list) + len(add)
	if n <= cap(list) {
		return append(list, add...)
	}
	size := n + mergeRoom
	if cap(sl.findings)-len(sl.findings) < size {
		sl.findings = make([]Finding, 0, max(mergeSlabSize, size))
	}
	start := len(sl.findings)
	sl.findings = append(sl.findings, list...)
	sl.findings = append(sl.findings, add...)
	sl.findings = sl.findings[:start+size]
	return sl.findings[start : start+n : start+size]
}

// appendAlias returns list with id appended, carving as appendFindings
// does.
func (sl *mergeSlab) appendAlias(list []string, id string) []string {
	n := len(list) + 1
	if n <= cap(list) {
		return append(list, id)
	}
	size := n + mergeRoom
	if cap(sl.aliases)-len(sl.aliases) < size {
		sl.aliases = make([]string, 0, max(mergeSlabSize, size))
	}
	start := len(sl.aliases)
	sl.aliases = append(sl.aliases, list...)
	sl.aliases = append(sl.aliases, id)
	sl.aliases = sl.aliases[:start+size]
	return sl.aliases[start : start+n : start+size]
}
