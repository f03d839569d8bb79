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
	threats  []Threat
	ruledOut []RuledOut
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
