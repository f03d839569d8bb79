package threat

import (
	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// method is one way of identifying threats. Each method adds candidate
// threats, each with exactly one finding, to the results; Identify merges
// them afterwards, so methods never look at each other's output.
type method interface {
	// Name is the method's name in Options.Methods and in findings.
	Name() string
	find(ix *index, r *results)
}

// results collects what the methods found.
type results struct {
	// slab and findings hold the candidates' storage; candidates point
	// into them, so that hundreds of thousands of threats are not copied
	// while the lists grow.
	slab     []candidate
	findings []Finding
	// count is the number of candidates in all slabs.
	count int
	// ruledOut holds the ruled-out findings in chunks of ruledOutChunk,
	// filled in order: one growing slice would copy and discard its
	// storage again and again on large models.
	ruledOut [][]ruledOutFinding
	diags    diag.List
	// strings holds the candidates' IDs.
	strings arena
	// knownVulnerabilityRules lists the rules whose condition tests the
	// known_vulnerabilities fact; the known-vulnerability finding on a
	// dependency merges into their threats.
	knownVulnerabilityRules map[string]bool
}

// allMethods returns every method in the order findings are listed.
func allMethods(lib *catalog.Library) []method {
	return []method{
		strideElement{},
		strideInteraction{},
		ruleLibrary{lib: lib},
		privacy{},
		knownVulnerabilities{},
		handWritten{},
	}
}

// MethodNames returns the names of every identification method, in the
// order Identify runs them.
func MethodNames() []string {
	return []string{MethodSTRIDE, MethodInteraction, MethodRules, MethodPrivacy, MethodVulnerability, MethodManual}
}

// methodOrder ranks method names so merged findings list in a fixed order.
var methodOrder = func() map[string]int {
	order := make(map[string]int)
	for i, name := range MethodNames() {
		order[name] = i
	}
	return order
}()

// slabSize is the number of threats allocated at once.
const slabSize = 4096

// candidate is a threat while identification runs, against one target.
// It keeps what merging, scope, suppression and dispositions need; the
// rest of the Threat comes from its source (or full) when the register is
// built.
type candidate struct {
	// ID, Findings and Aliases are those of the Threat.
	ID       string
	Findings []Finding
	Aliases  []string
	// known is set when the known-vulnerability finding merged into the
	// candidate, which happens to few of them.
	known *knownMerge

	t   *target
	src *source
	// full is the whole threat of a method that writes each threat
	// itself (hand-written, known-vulnerability, boundary crossing); src
	// is nil then.
	full *Threat
	// next links the candidates of the same target in the order found.
	next *candidate
	// entry is the threats entry of the model that sets the disposition;
	// nil leaves the threat open.
	entry *model.ThreatEntry
	// suppressedBy is the suppress entry that removed the threat.
	suppressedBy *model.Suppression
	// residual marks the weaker variant of a rule (see applyRule).
	residual bool
	// absorbed is set when merge folds the candidate into another.
	absorbed bool
}

// add records a candidate threat from a source, found by one method on
// one target.
func (r *results) add(t *target, src *source, method string, residual bool) *candidate {
	c := r.newCandidate(t, r.strings.join(src.rule(), "@", t.ID), method, src.rule())
	c.src, c.residual = src, residual
	return c
}

// addFull records a threat that its method wrote in full.
func (r *results) addFull(t *target, th Threat, method, rule string) {
	c := r.newCandidate(t, th.ID, method, rule)
	c.full = &th
}

func (r *results) newCandidate(t *target, id, method, rule string) *candidate {
	if len(r.slab) == cap(r.slab) {
		r.slab = make([]candidate, 0, slabSize)
		r.findings = make([]Finding, 0, slabSize)
	}
	// Findings has room for exactly one, so merging more reallocates
	// instead of overwriting the next candidate's finding.
	r.findings = append(r.findings, Finding{Method: method, Rule: rule})
	n := len(r.findings)

	// The slab's spare room is zero, so the candidate is set field by
	// field: copying a whole candidate in would pass every pointer slot
	// through the write barrier while the garbage collector runs.
	r.slab = r.slab[:len(r.slab)+1]
	c := &r.slab[len(r.slab)-1]
	c.ID, c.Findings, c.t = id, r.findings[n-1:n:n], t
	r.count++
	if t.last == nil {
		t.first = c
	} else {
		t.last.next = c
	}
	t.last = c
	return c
}

// knownMerge holds the data a rule-library candidate takes from the
// known-vulnerability finding merged into it.
type knownMerge struct {
	// references replace the source's: the rule's own plus the
	// vulnerabilities'.
	references []Reference
	// impact, when not nil, replaces the source's impact with the one
	// the vulnerabilities' CVSS vectors state.
	impact *CIA
}

// ruledOutChunk is the number of ruled-out findings per chunk of
// results.ruledOut.
const ruledOutChunk = 4096

// addRuledOut records a ruled-out finding.
func (r *results) addRuledOut(ro ruledOutFinding) {
	if n := len(r.ruledOut); n == 0 || len(r.ruledOut[n-1]) == ruledOutChunk {
		r.ruledOut = append(r.ruledOut, make([]ruledOutFinding, 0, ruledOutChunk))
	}
	last := &r.ruledOut[len(r.ruledOut)-1]
	*last = append(*last, ro)
}

// ruledOutFinding is a RuledOut before its ID and target are written out:
// tens of thousands of them are collected on large models.
type ruledOutFinding struct {
	t      *target
	rule   string
	method string
	reason string
}
