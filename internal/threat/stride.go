package threat

import (
	"fmt"
	"slices"
	"strings"
)

// STRIDE categories, as model.STRIDECategories names them.
const (
	Spoofing              = "spoofing"
	Tampering             = "tampering"
	Repudiation           = "repudiation"
	InformationDisclosure = "information-disclosure"
	DenialOfService       = "denial-of-service"
	ElevationOfPrivilege  = "elevation-of-privilege"
)

// strideRulePrefix starts the rule IDs of STRIDE findings, which are
// "stride." followed by the category.
const strideRulePrefix = "stride."

// strideEntry is the wording and impact of one STRIDE category on one kind
// of target. The impact fields name the need (confidentiality, integrity,
// availability) whose level the impact takes, "low" for a fixed low impact,
// or "" for none.
type strideEntry struct {
	category    string
	title       string
	description string
	impact      [3]string
	controls    []string
	// ruledOut returns why the model rules the finding out on a target, or
	// "" when it does not.
	ruledOut func(f *Facts) string
	// src is the entry as a threat source, filled in by init.
	src *source
}

func init() {
	for _, entries := range strideTable {
		for i := range entries {
			entries[i].src = entries[i].source()
		}
	}
	for i := range interactionTable {
		interactionTable[i].src = interactionTable[i].source()
	}
	for i := range privacyCategories {
		privacyCategories[i].parts = compileTemplate(privacyCategories[i].description)
	}
}

func (e *strideEntry) source() *source {
	s := newSource(Pattern{
		Rule:     strideRulePrefix + e.category,
		Title:    e.title,
		STRIDE:   e.category,
		Phase:    "operation",
		Controls: e.controls,
	}, "")
	s.parts = compileTemplate(e.description)
	s.needImpact = true
	s.impact = e.impact
	return &s
}

const (
	needC = "confidentiality"
	needI = "integrity"
	needA = "availability"
)

// strideTable is the classic STRIDE-per-element table: processes get all six
// categories, data stores T R I D, data flows T I D, external entities S R.
var strideTable = map[string][]strideEntry{
	"process": {
		{Spoofing, "process impersonated",
			"A program or user could pretend to be {name}, or {name} could act on requests from a party that only claims to be a legitimate peer.",
			[3]string{needC, needI, ""}, []string{"authentication"}, nil, nil},
		{Tampering, "process code or memory altered",
			"An attacker who can write to the code, configuration or memory of {name} makes it behave differently, for example by loading modified code or corrupting its input buffers.",
			[3]string{"", needI, "low"}, []string{"code-data-execution-integrity"}, nil, nil},
		{Repudiation, "actions through a process not attributable",
			"{name} does not record enough to show later who asked it to do what, so a user or peer can deny an action.",
			[3]string{"", "low", ""}, []string{"event-detection-logging"}, nil, nil},
		{InformationDisclosure, "process leaks data it handles",
			"{name} exposes data it processes through its outputs, error messages, logs or memory to someone not allowed to see it.",
			[3]string{needC, "", ""}, []string{"confidentiality"}, nil, nil},
		{DenialOfService, "process stopped or slowed down",
			"An attacker exhausts the CPU, memory or connections of {name}, or crashes it, so it stops serving its peers.",
			[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil, nil},
		{ElevationOfPrivilege, "process privileges gained by an attacker",
			"An attacker who reaches {name} runs code or commands with its privileges, or makes it act beyond what the caller is allowed to do.",
			[3]string{needC, needI, needA}, []string{"authorization"}, nil, nil},
	},
	"store": {
		{Tampering, "stored data altered",
			"Someone changes or replaces data in {name} without authorization, and the processes that read it trust the altered data.",
			[3]string{"", needI, ""}, []string{"code-data-execution-integrity"}, nil, nil},
		{Repudiation, "changes to stored data not traceable",
			"{name} does not keep enough evidence to show who changed or deleted what, or its records can be edited to hide an action.",
			[3]string{"", "low", ""}, []string{"event-detection-logging"}, nil, nil},
		{InformationDisclosure, "stored data read without authorization",
			"Someone reads data in {name} without authorization, through the process that owns it, a copy, a backup or the storage medium.",
			[3]string{needC, "", ""}, []string{"confidentiality", "cryptography"}, nil, nil},
		{DenialOfService, "store filled, corrupted or unavailable",
			"{name} is filled, locked, corrupted or deleted, so the processes that depend on it fail.",
			[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil, nil},
	},
	TargetFlow: {
		{Tampering, "data altered in transit",
			"An attacker on the path of {name} changes, inserts or drops messages between {from.name} and {to.name}.",
			[3]string{"", needI, ""}, []string{"cryptography", "code-data-execution-integrity"}, integrityRulesOut, nil},
		{InformationDisclosure, "data read in transit",
			"An attacker on the path of {name} reads the data it carries between {from.name} and {to.name}.",
			[3]string{needC, "", ""}, []string{"cryptography", "confidentiality"}, encryptionRulesOut, nil},
		{DenialOfService, "flow interrupted or flooded",
			"An attacker blocks, jams or floods {name}, so {to.name} does not get the data in time.",
			[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil, nil},
	},
	"entity": {
		{Spoofing, "external entity impersonated",
			"Someone pretends to be {name} when talking to the system, or the system accepts a forged identity for {name}.",
			[3]string{needC, needI, ""}, []string{"authentication"}, nil, nil},
		{Repudiation, "external entity denies an action",
			"{name} denies having sent a command or data, and the system cannot show otherwise.",
			[3]string{"", "low", ""}, []string{"event-detection-logging"}, nil, nil},
	},
}

// interactionTable is STRIDE per interaction: the threats to a flow that
// crosses a trust boundary.
var interactionTable = []strideEntry{
	{Spoofing, "sender of a boundary-crossing flow spoofed",
		"Across the trust boundary between {from.name} and {to.name}, a party other than {from.name} sends data on {name} and {to.name} accepts it as genuine.",
		[3]string{"", needI, ""}, []string{"authentication"}, mutualAuthenticationRulesOut, nil},
	{Tampering, "data altered while crossing a trust boundary",
		"Between {from.name} and {to.name}, someone on the less trusted side of the boundary changes, inserts or replays messages of {name}.",
		[3]string{"", needI, ""}, []string{"cryptography", "code-data-execution-integrity"}, integrityRulesOut, nil},
	{InformationDisclosure, "data read while crossing a trust boundary",
		"Someone on the less trusted side of the boundary between {from.name} and {to.name} reads the data {name} carries.",
		[3]string{needC, "", ""}, []string{"cryptography", "confidentiality"}, encryptionRulesOut, nil},
	{DenialOfService, "receiver flooded across a trust boundary",
		"{from.name}, or a party posing as it, sends {to.name} more, larger or malformed messages over {name} than it can handle.",
		[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil, nil},
}

// The reasons below name the model field a reader can check, because a
// derived fact such as integrity_protected appears in no table of the
// document.

func integrityRulesOut(f *Facts) string {
	if ok, set := f.boolAt(factIntegrityProtected); !set || !ok {
		return ""
	}
	encrypted, _ := f.boolAt(factEncryption)
	protocol, _ := f.stringAt(factProtocol)
	if reason, ok := authenticatedEncryptionReasons[protocol]; encrypted && ok {
		return reason
	}
	return "the model marks the flow integrity-protected (integrity: true)"
}

// authenticatedEncryptionReasons holds integrityRulesOut's reason for each
// protocol whose encryption detects changes, built once because tens of
// thousands of flows can be ruled out.
var authenticatedEncryptionReasons = func() map[string]string {
	reasons := make(map[string]string, len(authenticatedEncryption))
	for protocol, ok := range authenticatedEncryption {
		if ok {
			reasons[protocol] = "the flow is encrypted (encryption: true) over " + protocol + ", whose encryption also detects changes"
		}
	}
	return reasons
}()

func encryptionRulesOut(f *Facts) string {
	if ok, set := f.boolAt(factEncryption); set && ok {
		return "the model marks the flow encrypted (encryption: true)"
	}
	return ""
}

func mutualAuthenticationRulesOut(f *Facts) string {
	if a, _ := f.stringAt(factAuthentication); a == "mutual" {
		return "both ends authenticate each other (authentication: mutual)"
	}
	return ""
}

// strideElement is STRIDE per element.
type strideElement struct{}

func (strideElement) Name() string { return MethodSTRIDE }

func (strideElement) find(ix *index, r *results) {
	for _, t := range ix.targets {
		if t.element == nil && t.flow == nil {
			continue
		}
		entries := strideTable[t.Kind]
		for i := range entries {
			ix.addSTRIDE(t, &entries[i], MethodSTRIDE, r)
		}
	}
}

// strideInteraction is STRIDE per interaction: threats to each flow that
// crosses a trust boundary.
type strideInteraction struct{}

func (strideInteraction) Name() string { return MethodInteraction }

func (strideInteraction) find(ix *index, r *results) {
	// Per boundary, the flows that enter it and how many of them are weak.
	type crossing struct {
		flows []string
		weak  int
	}
	entering := make(map[string]*crossing)
	for _, t := range ix.targets {
		if t.flow == nil {
			continue
		}
		if crosses, _ := t.facts.boolAt(factCrossesBoundary); !crosses {
			continue
		}
		for i := range interactionTable {
			ix.addSTRIDE(t, &interactionTable[i], MethodInteraction, r)
		}
		auth, _ := t.facts.stringAt(factAuthentication)
		integrity, _ := t.facts.boolAt(factIntegrityProtected)
		weak := auth != "mutual" || !integrity
		for _, b := range enteredBoundaries(t) {
			c := entering[b]
			if c == nil {
				c = &crossing{}
				entering[b] = c
			}
			c.flows = append(c.flows, t.ID)
			if weak {
				c.weak++
			}
		}
	}

	for _, t := range ix.targets {
		if c := entering[t.ID]; t.boundary != nil && c != nil {
			ix.addBoundaryCrossing(t, c.flows, c.weak, r)
		}
	}
}

// enteredBoundaries returns the trust boundaries a flow enters: those that
// contain its destination, directly or through nesting, but not its source.
// A bidirectional flow enters the boundaries around either end.
func enteredBoundaries(t *target) []string {
	enter := func(out []string, from, to *target) []string {
		outer := chainOf(from)
		for _, b := range chainOf(to) {
			if !slices.Contains(outer, b) {
				out = append(out, b)
			}
		}
		return out
	}
	out := enter(nil, t.from(), t.to())
	if fl := t.flow; fl.Bidirectional {
		out = enter(out, t.to(), t.from())
		out = sortedUnique(out)
	}
	return out
}

// chainOf returns the boundary chain of an element target, nil when e is
// nil.
func chainOf(e *target) []string {
	if e == nil {
		return nil
	}
	return e.chain
}

// addBoundaryCrossing raises the per-interaction threat against a trust
// boundary that flows enter: whatever runs inside trusts what comes in, so
// a weakness on any entering flow gives an outsider the insiders' rights.
// It is ruled out when every entering flow is mutually authenticated and
// integrity-protected.
func (ix *index) addBoundaryCrossing(t *target, flows []string, weak int, r *results) {
	const rule = strideRulePrefix + ElevationOfPrivilege
	id := rule + "@" + t.ID
	if weak == 0 {
		r.addRuledOut(ruledOutFinding{t, rule, MethodInteraction,
			"every flow entering the boundary is mutually authenticated and integrity-protected"})
		return
	}
	slices.Sort(flows)
	listed := flows
	if len(listed) > maxListedFlows {
		listed = append(slices.Clone(listed[:maxListedFlows]), fmt.Sprintf("and %d more", len(flows)-maxListedFlows))
	}
	r.addFull(t, Threat{
		ID: id,
		Pattern: &Pattern{
			Rule:     rule,
			Title:    "trust boundary crossed with the rights of the inside",
			STRIDE:   ElevationOfPrivilege,
			Phase:    "operation",
			Controls: []string{"authentication", "authorization"},
		},
		Target: t.Target,
		Description: fmt.Sprintf("%s is entered by %d flows (%s), %d of them without mutual authentication and integrity protection. "+
			"Someone outside who controls one of them acts with the trust given to what runs inside %s.",
			t.Name, len(flows), strings.Join(listed, ", "), weak, t.Name),
		Impact: CIA{Confidentiality: "medium", Integrity: "high", Availability: "medium"},
		Vector: ix.vectorOf(t),
	}, MethodInteraction, rule)
}

// maxListedFlows caps the flows a boundary threat names one by one.
const maxListedFlows = 8

// addSTRIDE adds the finding of one STRIDE entry on a target, or records it
// as ruled out.
func (ix *index) addSTRIDE(t *target, e *strideEntry, methodName string, r *results) {
	rule := e.src.rule()
	if e.ruledOut != nil {
		if reason := e.ruledOut(t.facts); reason != "" {
			r.addRuledOut(ruledOutFinding{t, rule, methodName, reason})
			return
		}
	}
	// STRIDE per interaction repeats categories of STRIDE per element on
	// the same flow: add the finding to the existing candidate.
	for c := t.first; c != nil; c = c.next {
		if c.rule() == rule {
			c.Findings = append(c.Findings, Finding{Method: methodName, Rule: rule})
			return
		}
	}
	r.add(t, e.src, methodName, false)
}

// impactLevel turns an impact spec of a strideEntry into a level.
func impactLevel(t *target, spec string) string {
	switch spec {
	case "":
		return "none"
	case needC, needI, needA:
		return needOf(t, spec)
	}
	return spec
}
