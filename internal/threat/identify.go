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
// still comes with the register.
func Identify(m *model.Model, lib *catalog.Library, opts Options) (*Register, diag.List) {
	var diags diag.List
	methods := selectMethods(lib, opts.Methods, &diags)

	ix := newIndex(m, opts)
	r := &results{}
	for _, meth := range methods {
		meth.find(ix, r)
	}
	diags = append(diags, r.diags...)

	dropClashingHandWritten(m, ix, &diags)
	threats := merge(ix, r.knownVulnerabilityRules)
	threats, outIDs := applyScope(threats, &diags)
	threats, suppressed := applySuppressions(ix, threats, &diags)
	applyDispositions(m, threats, suppressed, outIDs, &diags)

	reg := &Register{
		Threats:  make([]Threat, len(threats)),
		RuledOut: ruledOut(r.ruledOut),
		Coverage: coverage(ix, threats),
	}
	for i, c := range threats {
		reg.Threats[i] = ix.threat(c, c.disposition())
	}
	for _, c := range suppressed {
		s := c.suppressedBy
		reg.Suppressed = append(reg.Suppressed, SuppressedThreat{
			// Suppressed threats get no disposition.
			Threat:        ix.threat(c, Disposition{}),
			Rule:          s.Rule,
			Justification: s.Justification,
			Pos:           s.Pos(),
		})
	}
	diags.Sort()
	return reg, diags
}

// selectMethods returns the methods named in names, or all of them when
// names is empty, in their fixed order.
func selectMethods(lib *catalog.Library, names []string, diags *diag.List) []method {
	all := allMethods(lib)
	if len(names) == 0 {
		return all
	}
	var out []method
	for _, meth := range all {
		if slices.Contains(names, meth.Name()) {
			out = append(out, meth)
		}
	}
	for _, n := range names {
		if !slices.Contains(MethodNames(), n) {
			diags.Add(diag.Pos{}, "unknown-method", "",
				fmt.Sprintf("unknown identification method %q", n),
				"use one of "+strings.Join(MethodNames(), ", "))
		}
	}
	return out
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
// and then method.
func ruledOut(list []ruledOutFinding) []RuledOut {
	kept := make([]ruledOutFinding, 0, len(list))
	for _, ro := range list {
		if !ro.t.out {
			kept = append(kept, ro)
		}
	}
	slices.SortFunc(kept, func(a, b ruledOutFinding) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return methodOrder[a.Method] - methodOrder[b.Method]
	})
	out := make([]RuledOut, len(kept))
	for i, ro := range kept {
		out[i] = ro.RuledOut
	}
	return out
}
