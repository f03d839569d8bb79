package threat

import (
	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
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
	threats []*candidate
	// slab and findings hold the candidates' storage; candidates point
	// into them, so that hundreds of thousands of threats are not copied
	// while the list grows.
	slab     []candidate
	findings []Finding
	ruledOut []ruledOutFinding
	diags    diag.List
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

// candidate is a threat while identification runs, with the target it is
// against.
type candidate struct {
	Threat
	t *target
	// absorbed is set when merge folds the candidate into another.
	absorbed bool
}

// add records a candidate threat found by one method through one rule.
func (r *results) add(t *target, th Threat, method, rule string) {
	if len(r.slab) == cap(r.slab) {
		r.slab = make([]candidate, 0, slabSize)
		r.findings = make([]Finding, 0, slabSize)
	}
	// Findings has room for exactly one, so merging more reallocates
	// instead of overwriting the next candidate's finding.
	r.findings = append(r.findings, Finding{Method: method, Rule: rule})
	n := len(r.findings)
	th.Findings = r.findings[n-1 : n : n]

	r.slab = append(r.slab, candidate{Threat: th, t: t})
	c := &r.slab[len(r.slab)-1]
	r.threats = append(r.threats, c)
	t.candidates = append(t.candidates, c)
}

// ruledOutFinding is a RuledOut with its target.
type ruledOutFinding struct {
	RuledOut
	t *target
}
