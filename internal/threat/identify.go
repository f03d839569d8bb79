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

	candidates := dropClashingHandWritten(m, r.threats, &diags)
	threats := merge(candidates, r.knownVulnerabilityRules)
	threats, outIDs := applyScope(ix, threats, &diags)
	threats, suppressed := applySuppressions(ix, threats, &diags)
	applyDispositions(m, threats, suppressed, outIDs, &diags)

	reg := &Register{
		Threats:    threats,
		Suppressed: suppressed,
		RuledOut:   ruledOut(ix, r.ruledOut),
		Coverage:   coverage(ix, threats),
	}
	if reg.Threats == nil {
		reg.Threats = []Threat{}
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
func dropClashingHandWritten(m *model.Model, candidates []Threat, diags *diag.List) []Threat {
	generated := make(map[string]bool, len(candidates))
	for _, th := range candidates {
		if th.Findings[0].Method != MethodManual {
			generated[th.ID] = true
		}
	}
	clash := make(map[string]bool)
	for i := range m.Threats {
		e := &m.Threats[i]
		if e.ID == "" || e.Match != "" || !generated[e.ID] {
			continue
		}
		clash[e.ID] = true
		diags.Add(e.FieldPos("id"), "duplicate-id", "threats["+strconv.Itoa(i)+"].id",
			fmt.Sprintf("hand-written threat ID %s is the ID of an identified threat", e.ID),
			"write match: "+e.ID+" to set its disposition, or choose another ID for a new threat")
	}
	if len(clash) == 0 {
		return candidates
	}
	out := candidates[:0:0]
	for _, th := range candidates {
		if th.Findings[0].Method == MethodManual && clash[th.ID] {
			continue
		}
		out = append(out, th)
	}
	return out
}

// ruledOut keeps the ruled-out findings of in-scope targets, one per ID and
// method, sorted by ID.
func ruledOut(ix *index, list []RuledOut) []RuledOut {
	var out []RuledOut
	for _, ro := range list {
		if t := ix.lookup(ro.Target.Kind, ro.Target.ID); t != nil && t.out {
			continue
		}
		out = append(out, ro)
	}
	slices.SortFunc(out, func(a, b RuledOut) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return methodOrder[a.Method] - methodOrder[b.Method]
	})
	return out
}
