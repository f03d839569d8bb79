// Package threat identifies threats in a model with several methods (STRIDE
// per element and per interaction, the rule library, LINDDUN privacy
// threats, known vulnerabilities of dependencies), merges what different
// methods found on the same target into one threat with a stable ID, and
// applies the dispositions written in the model.
//
// It never scores risk or renders output.
package threat

import (
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// Identification methods. Every Finding names one.
const (
	MethodSTRIDE        = "stride-per-element"
	MethodInteraction   = "stride-per-interaction"
	MethodRules         = "rule-library"
	MethodPrivacy       = "linddun"
	MethodVulnerability = "known-vulnerability"
	MethodManual        = "hand-written"
)

// Target kinds, besides the element kinds process, store and entity.
const (
	TargetFlow       = "flow"
	TargetInterface  = "interface"
	TargetDependency = "dependency"
	TargetBoundary   = "boundary"
	TargetSystem     = "system"
)

// Threat is one identified or hand-written threat against one target.
//
// A register holds hundreds of thousands of threats on a large model, so
// what many threats have in common (what their rule states, the target,
// the disposition) is shared through pointers. Treat a Threat read from a
// register as read-only.
type Threat struct {
	// ID is "<rule-id>@<target-id>", stable across runs. A hand-written
	// threat keeps the ID its author gave it.
	ID string `json:"id"`
	// Aliases are the IDs of STRIDE findings merged into this threat, such
	// as stride.tampering@app-to-pump when a rule of the same category fired
	// on the same flow. Dispositions may match an alias instead of the ID.
	Aliases []string `json:"aliases,omitempty"`
	// Pattern is shared by the threats of one rule, STRIDE table entry
	// or LINDDUN category; its fields read as the Threat's own.
	*Pattern
	Description string `json:"description"`
	// Target is shared by every threat against the same target.
	Target *Target `json:"target"`
	Impact CIA     `json:"impact"`
	// Vector is network, adjacent, local or physical.
	Vector string `json:"vector"`
	// Findings lists every method and rule that identified the threat.
	Findings []Finding `json:"findings"`
	// Disposition is shared by every threat the same model entry
	// matches, and by every open threat of one register. It is nil only
	// for suppressed threats.
	Disposition *Disposition `json:"disposition,omitempty"`
	// Residual is true when the threat is the weaker variant of a rule
	// because a control is partly in place (a locked debug port, say).
	Residual bool `json:"residual,omitempty"`
}

// Pattern is the part of a threat that its rule (or STRIDE table entry, or
// LINDDUN category) states for every threat it raises, whatever the target.
type Pattern struct {
	// Rule is the rule's ID, "" for a hand-written threat.
	Rule  string `json:"rule"`
	Title string `json:"title"`
	// STRIDE is the main STRIDE category; Also lists further categories.
	STRIDE string   `json:"stride"`
	Also   []string `json:"also,omitempty"`
	Phase  string   `json:"phase,omitempty"`
	// Controls are the suggested FDA control categories.
	Controls   []string    `json:"controls,omitempty"`
	References []Reference `json:"references,omitempty"`
}

// Target is what a threat is against.
type Target struct {
	ID   string   `json:"id"`
	Kind string   `json:"kind"` // process, store, entity, flow, interface, dependency, boundary, system
	Name string   `json:"name"`
	Pos  diag.Pos `json:"pos"`
}

// CIA is an impact on confidentiality, integrity and availability.
type CIA struct {
	Confidentiality string `json:"confidentiality"`
	Integrity       string `json:"integrity"`
	Availability    string `json:"availability"`
}

// Reference cites a catalog entry. Name and URL are filled only when an
// imported catalog knows the ID.
type Reference struct {
	Catalog string `json:"catalog"` // capec, cwe, attack, emb3d, linddun, osv
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	URL     string `json:"url,omitempty"`
}

// Finding records that one method (through one rule) identified the threat.
type Finding struct {
	Method string `json:"method"`
	Rule   string `json:"rule"`
}

// Disposition is the user's decision about a threat, from the model's
// threats entries. Status is "open" when no entry matches.
type Disposition struct {
	Status          string   `json:"status"`
	Controls        []string `json:"controls,omitempty"`
	Justification   string   `json:"justification,omitempty"`
	CVSS            string   `json:"cvss,omitempty"`
	Hazards         []string `json:"hazards,omitempty"`
	HazardRationale string   `json:"hazard_rationale,omitempty"`
	Issue           string   `json:"issue,omitempty"`
	Tracker         string   `json:"tracker,omitempty"`
	// Entry is the model entry that set the disposition; nil when open by
	// default.
	Entry *model.ThreatEntry `json:"-"`
	// Pos is where that entry was written.
	Pos diag.Pos `json:"pos,omitzero"`
}
