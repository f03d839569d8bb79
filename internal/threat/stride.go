package threat

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
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
			[3]string{needC, needI, ""}, []string{"authentication"}, nil},
		{Tampering, "process code or memory altered",
			"An attacker who can write to the code, configuration or memory of {name} makes it behave differently, for example by loading modified code or corrupting its input buffers.",
			[3]string{"", needI, "low"}, []string{"code-data-execution-integrity"}, nil},
		{Repudiation, "actions through a process not attributable",
			"{name} does not record enough to show later who asked it to do what, so a user or peer can deny an action.",
			[3]string{"", "low", ""}, []string{"event-detection-logging"}, nil},
		{InformationDisclosure, "process leaks data it handles",
			"{name} exposes data it processes through its outputs, error messages, logs or memory to someone not allowed to see it.",
			[3]string{needC, "", ""}, []string{"confidentiality"}, nil},
		{DenialOfService, "process stopped or slowed down",
			"An attacker exhausts the CPU, memory or connections of {name}, or crashes it, so it stops serving its peers.",
			[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil},
		{ElevationOfPrivilege, "process privileges gained by an attacker",
			"An attacker who reaches {name} runs code or commands with its privileges, or makes it act beyond what the caller is allowed to do.",
			[3]string{needC, needI, needA}, []string{"authorization"}, nil},
	},
	"store": {
		{Tampering, "stored data altered",
			"Someone changes or replaces data in {name} without authorization, and the processes that read it trust the altered data.",
			[3]string{"", needI, ""}, []string{"code-data-execution-integrity"}, nil},
		{Repudiation, "changes to stored data not traceable",
			"{name} does not keep enough evidence to show who changed or deleted what, or its records can be edited to hide an action.",
			[3]string{"", "low", ""}, []string{"event-detection-logging"}, nil},
		{InformationDisclosure, "stored data read without authorization",
			"Someone reads data in {name} without authorization, through the process that owns it, a copy, a backup or the storage medium.",
			[3]string{needC, "", ""}, []string{"confidentiality", "cryptography"}, nil},
		{DenialOfService, "store filled, corrupted or unavailable",
			"{name} is filled, locked, corrupted or deleted, so the processes that depend on it fail.",
			[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil},
	},
	TargetFlow: {
		{Tampering, "data altered in transit",
			"An attacker on the path of {name} changes, inserts or drops messages between {from.name} and {to.name}.",
			[3]string{"", needI, ""}, []string{"cryptography", "code-data-execution-integrity"}, integrityRulesOut},
		{InformationDisclosure, "data read in transit",
			"An attacker on the path of {name} reads the data it carries between {from.name} and {to.name}.",
			[3]string{needC, "", ""}, []string{"cryptography", "confidentiality"}, encryptionRulesOut},
		{DenialOfService, "flow interrupted or flooded",
			"An attacker blocks, jams or floods {name}, so {to.name} does not get the data in time.",
			[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil},
	},
	"entity": {
		{Spoofing, "external entity impersonated",
			"Someone pretends to be {name} when talking to the system, or the system accepts a forged identity for {name}.",
			[3]string{needC, needI, ""}, []string{"authentication"}, nil},
		{Repudiation, "external entity denies an action",
			"{name} denies having sent a command or data, and the system cannot show otherwise.",
			[3]string{"", "low", ""}, []string{"event-detection-logging"}, nil},
	},
}

// interactionTable is STRIDE per interaction: the threats to a flow that
// crosses a trust boundary.
var interactionTable = []strideEntry{
	{Spoofing, "sender of a boundary-crossing flow spoofed",
		"Across the trust boundary between {from.name} and {to.name}, a party other than {from.name} sends data on {name} and {to.name} accepts it as genuine.",
		[3]string{"", needI, ""}, []string{"authentication"}, mutualAuthenticationRulesOut},
	{Tampering, "data altered while crossing a trust boundary",
		"Between {from.name} and {to.name}, someone on the less trusted side of the boundary changes, inserts or replays messages of {name}.",
		[3]string{"", needI, ""}, []string{"cryptography", "code-data-execution-integrity"}, integrityRulesOut},
	{InformationDisclosure, "data read while crossing a trust boundary",
		"Someone on the less trusted side of the boundary between {from.name} and {to.name} reads the data {name} carries.",
		[3]string{needC, "", ""}, []string{"cryptography", "confidentiality"}, encryptionRulesOut},
	{DenialOfService, "receiver flooded across a trust boundary",
		"{from.name}, or a party posing as it, sends {to.name} more, larger or malformed messages over {name} than it can handle.",
		[3]string{"", "", needA}, []string{"resiliency-recovery"}, nil},
}

func integrityRulesOut(f *Facts) string {
	if ok, set := f.Bool("integrity_protected"); set && ok {
		return "integrity_protected is true: the flow has integrity protection or authenticated encryption"
	}
	return ""
}

func encryptionRulesOut(f *Facts) string {
	if ok, set := f.Bool("encryption"); set && ok {
		return "encryption is true"
	}
	return ""
}

func mutualAuthenticationRulesOut(f *Facts) string {
	if a, _ := f.String("authentication"); a == "mutual" {
		return "authentication is mutual"
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
	entering := make(map[string][]string) // boundary ID -> flow IDs
	for _, t := range ix.targets {
		if t.flow == nil {
			continue
		}
		if crosses, _ := t.facts.Bool("crosses_boundary"); !crosses {
			continue
		}
		for i := range interactionTable {
			ix.addSTRIDE(t, &interactionTable[i], MethodInteraction, r)
		}
		for _, b := range ix.enteredBoundaries(t.flow) {
			entering[b] = append(entering[b], t.ID)
		}
	}

	for _, t := range ix.targets {
		if t.boundary == nil || len(entering[t.ID]) == 0 {
			continue
		}
		ix.addBoundaryCrossing(t, entering[t.ID], r)
	}
}

// enteredBoundaries returns the trust boundaries a flow enters: those that
// contain its destination, directly or through nesting, but not its source.
// A bidirectional flow enters the boundaries around either end.
func (ix *index) enteredBoundaries(fl *model.Flow) []string {
	enter := func(from, to string) []string {
		outer := ix.boundaryChain(ix.innermost(from))
		var out []string
		for _, b := range ix.boundaryChain(ix.innermost(to)) {
			if !slices.Contains(outer, b) {
				out = append(out, b)
			}
		}
		return out
	}
	out := enter(fl.From, fl.To)
	if fl.Bidirectional {
		out = append(out, enter(fl.To, fl.From)...)
	}
	return sortedUnique(out)
}

// addBoundaryCrossing raises the per-interaction threat against a trust
// boundary that flows enter: whatever runs inside trusts what comes in, so
// a weakness on any entering flow gives an outsider the insiders' rights.
// It is ruled out when every entering flow is mutually authenticated and
// integrity-protected.
func (ix *index) addBoundaryCrossing(t *target, flows []string, r *results) {
	const rule = strideRulePrefix + ElevationOfPrivilege
	id := rule + "@" + t.ID
	slices.Sort(flows)
	weak := 0
	for _, fid := range flows {
		ft := ix.lookup(TargetFlow, fid)
		auth, _ := ft.facts.String("authentication")
		integrity, _ := ft.facts.Bool("integrity_protected")
		if auth != "mutual" || !integrity {
			weak++
		}
	}
	if weak == 0 {
		r.ruledOut = append(r.ruledOut, RuledOut{ID: id, Method: MethodInteraction, Target: t.Target,
			Reason: "every flow entering the boundary is mutually authenticated and integrity-protected"})
		return
	}
	listed := flows
	if len(listed) > maxListedFlows {
		listed = append(slices.Clone(listed[:maxListedFlows]), fmt.Sprintf("and %d more", len(flows)-maxListedFlows))
	}
	r.threats = append(r.threats, Threat{
		ID:     id,
		Rule:   rule,
		Title:  "trust boundary crossed with the rights of the inside",
		Target: t.Target,
		Description: fmt.Sprintf("%s is entered by %d flows (%s), %d of them without mutual authentication and integrity protection. "+
			"Someone outside who controls one of them acts with the trust given to what runs inside %s.",
			t.Name, len(flows), strings.Join(listed, ", "), weak, t.Name),
		STRIDE:   ElevationOfPrivilege,
		Impact:   CIA{Confidentiality: "medium", Integrity: "high", Availability: "medium"},
		Vector:   ix.vectorOf(t),
		Phase:    "operation",
		Controls: []string{"authentication", "authorization"},
		Findings: []Finding{{Method: MethodInteraction, Rule: rule}},
	})
}

// maxListedFlows caps the flows a boundary threat names one by one.
const maxListedFlows = 8

// addSTRIDE adds the finding of one STRIDE entry on a target, or records it
// as ruled out.
func (ix *index) addSTRIDE(t *target, e *strideEntry, methodName string, r *results) {
	rule := strideRulePrefix + e.category
	id := rule + "@" + t.ID
	if e.ruledOut != nil {
		if reason := e.ruledOut(t.facts); reason != "" {
			r.ruledOut = append(r.ruledOut, RuledOut{ID: id, Method: methodName, Target: t.Target, Reason: reason})
			return
		}
	}
	r.threats = append(r.threats, Threat{
		ID:          id,
		Rule:        rule,
		Title:       e.title,
		Description: Fill(e.description, t.facts, ix.relatedFacts(t)),
		Target:      t.Target,
		STRIDE:      e.category,
		Impact: CIA{
			Confidentiality: impactLevel(t, e.impact[0]),
			Integrity:       impactLevel(t, e.impact[1]),
			Availability:    impactLevel(t, e.impact[2]),
		},
		Vector:   ix.vectorOf(t),
		Phase:    "operation",
		Controls: e.controls,
		Findings: []Finding{{Method: methodName, Rule: rule}},
	})
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
