package threat

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// Identify runs the selected methods on a validated model, merges their
// findings, removes out-of-scope and suppressed threats, applies the
// model's dispositions and counts the coverage.
//
// lib is the rule library (built-in plus user rules); nil runs no rules.
// The diagnostics report problems in the model that only identification
// can see, such as dispositions that match nothing; a list with errors
// still comes with the register. When opts.Methods leaves some method out,
// dispositions that match nothing are one warning instead of errors,
// because they may name threats that only the left-out methods find.
func Identify(m *model.Model, lib *catalog.Library, opts Options) (*Register, diag.List) {
	var diags diag.List
	methods, restricted := selectMethods(lib, opts.Methods)

	ix := newIndex(m, opts)
	r := &results{}
	for _, meth := range methods {
		meth.find(ix, r)
	}
	diags = append(diags, r.diags...)

	dropClashingHandWritten(m, ix, &diags)
	threats := merge(ix, r)
	threats, outIDs := applyScope(threats, &diags)
	threats, suppressed := applySuppressions(ix, threats, &diags)
	vulnerable := vulnerabilityEntries{only: onlyVulnerabilityRules(lib, r), looked: opts.VulnerabilitiesLooked}
	applyDispositions(m, threats, suppressed, outIDs, restricted, vulnerable, &diags)

	reg := &Register{
		Threats:  make([]Threat, len(threats)),
		RuledOut: ruledOut(r.ruledOut, len(ix.targets)),
		Coverage: coverage(ix, threats),
	}
	// Threats are written in the order merge listed them, target by
	// target, because that reads candidates and facts in the order they
	// sit in memory. Each goes to its place in the sorted register.
	pos := registerOrder(threats)
	dispositions := newDispositionCache()
	for i, c := range threats {
		th := &reg.Threats[pos[i]]
		ix.writeThreat(th, c)
		th.Disposition = dispositions.of(c)
	}
	if len(suppressed) > 0 {
		reg.Suppressed = make([]SuppressedThreat, len(suppressed))
	}
	pos = registerOrder(suppressed)
	for i, c := range suppressed {
		s := c.suppressedBy
		st := &reg.Suppressed[pos[i]]
		// Suppressed threats get no disposition.
		ix.writeThreat(&st.Threat, c)
		st.Rule = s.Rule
		st.Justification = s.Justification
		st.Pos = s.Pos()
	}
	diags.Sort()
	return reg, diags
}

// ValidateMethods returns an error naming the first entry of names that is
// not an identification method, nil when every entry is one. Identify
// ignores unknown names, so callers that take names from users check them
// here first and report a usage error.
func ValidateMethods(names []string) error {
	for _, n := range names {
		if !slices.Contains(MethodNames(), n) {
			return fmt.Errorf("unknown identification method %q; use one of %s", n, strings.Join(MethodNames(), ", "))
		}
	}
	return nil
}

// selectMethods returns the methods named in names, or all of them when
// names is empty, in their fixed order. It also reports whether some
// method does not run.
func selectMethods(lib *catalog.Library, names []string) (selected []method, restricted bool) {
	all := allMethods(lib)
	if len(names) == 0 {
		return all, false
	}
	for _, meth := range all {
		if slices.Contains(names, meth.Name()) {
			selected = append(selected, meth)
		}
	}
	return selected, len(selected) < len(all)
}

// dropClashingHandWritten reports hand-written threats whose ID is also the
// ID of an identified threat, and drops them: the entry was meant as a
// disposition.
func dropClashingHandWritten(m *model.Model, ix *index, diags *diag.List) {
	generated := make(map[string]bool)
	var manual []*candidate
	for _, t := range ix.targets {
		for c := t.first; c != nil; c = c.next {
			if c.Findings[0].Method == MethodManual {
				manual = append(manual, c)
			}
		}
	}
	if len(manual) == 0 {
		return
	}
	for _, t := range ix.targets {
		for c := t.first; c != nil; c = c.next {
			if c.Findings[0].Method != MethodManual {
				generated[c.ID] = true
			}
		}
	}
	for _, c := range manual {
		if generated[c.ID] {
			c.absorbed = true
		}
	}
	for i := range m.Threats {
		e := &m.Threats[i]
		if e.ID == "" || e.Match != "" || !generated[e.ID] {
			continue
		}
		diags.Add(e.FieldPos("id"), "duplicate-id", "threats["+strconv.Itoa(i)+"].id",
			fmt.Sprintf("hand-written threat ID %s is the ID of an identified threat", e.ID),
			"write match: "+e.ID+" to set its disposition, or choose another ID for a new threat")
	}
}

// ruledOut keeps the ruled-out findings of in-scope targets, sorted by ID
// and then method. IDs are "<rule>@<target>", so, as in registerOrder,
// they sort by the rule prefix and then by the rank of the target.
// The findings come in chunks of ruledOutChunk, as results holds them.
func ruledOut(chunks [][]ruledOutFinding, numTargets int) []RuledOut {
	n := 0
	for _, chunk := range chunks {
		n += len(chunk)
	}
	groupOf := make(map[string]int32)
	var rules []string
	// kept holds positions in the chunks: chunk*ruledOutChunk + index.
	kept := make([]int32, 0, n)
	groups := make([]int32, 0, n)
	minor := make([]int32, 0, n)
	numMethods := int32(len(MethodNames()))
	for ci, chunk := range chunks {
		for i := range chunk {
			ro := &chunk[i]
			if ro.t.out {
				continue
			}
			g, ok := groupOf[ro.rule]
			if !ok {
				g = int32(len(rules))
				groupOf[ro.rule] = g
				rules = append(rules, ro.rule)
			}
			kept = append(kept, int32(ci*ruledOutChunk+i))
			groups = append(groups, g)
			minor = append(minor, int32(ro.t.rank)*numMethods+int32(methodOrder[ro.method]))
		}
	}
	groupRank := prefixRanks(rules)
	for k, g := range groups {
		groups[k] = groupRank[g]
	}
	order := countingOrder(groups, minor, len(rules), numTargets*int(numMethods))

	var ids arena
	out := make([]RuledOut, len(order))
	for i, k := range order {
		at := kept[k]
		ro := &chunks[at/ruledOutChunk][at%ruledOutChunk]
		out[i] = RuledOut{ID: ids.join(ro.rule, "@", ro.t.ID), Method: ro.method, Target: ro.t.Target, Reason: ro.reason}
	}
	return out
}
