// Package catalog owns Ward's rule library: the rule format, the built-in
// rules embedded in the binary, loaders for users' rule files, and imported
// third-party catalogs (CAPEC, MITRE ATT&CK and EMB3D STIX bundles, MITRE's
// CWE list, the CISA KEV list) that give names to the public IDs rules
// cite, and the check of those IDs against the imported catalogs.
//
// It never evaluates a rule against a model; package threat does that.
package catalog

import "github.com/wardtm/ward/internal/diag"

// Rule is one entry of the rule library, as written in a rule file:
//
//	rules:
//	  - id: hw.debug-port-open
//	    title: debug port usable on shipped units
//	    description: "{name} gives ... {of.name} ..."
//	    applies_to: [interface]
//	    when:
//	      all:
//	        - debug: true
//	        - production: [enabled, disabled]
//	    stride: elevation-of-privilege
//	    impact: {confidentiality: high, integrity: high, availability: medium}
//	    vector: physical
//	    phase: operation
//	    controls: [code-data-execution-integrity, authentication]
//	    references:
//	      capec: [CAPEC-...]
//	      cwe: [CWE-1191]
//	      attack: [T...]
//	      emb3d: [TID-...]
//	    stride_tags: [tampering]
type Rule struct {
	// ID is dot-separated and lower case: a family prefix (proc, store, flow,
	// proto, hw, update, supply, life, safety, priv, ...) and a name.
	ID string `json:"id"`
	// Title is a short lower-case phrase without a final period.
	Title string `json:"title"`
	// Description is a template: {name}, {id} and any fact name in braces
	// are replaced by the target's values.
	Description string `json:"description"`
	// AppliesTo lists the targets the rule runs on: process, store, entity,
	// flow, interface, dependency, boundary or system.
	AppliesTo []string `json:"applies_to"`
	// When is the condition over the target's facts; nil matches every target
	// of the listed kinds.
	When *Condition `json:"when,omitempty"`
	// STRIDE is the rule's main STRIDE category.
	STRIDE string `json:"stride"`
	// Also lists further STRIDE categories the threat belongs to, so the
	// register can merge it with STRIDE-per-element findings of those
	// categories on the same target.
	Also       []string   `json:"also,omitempty"`
	Impact     Impact     `json:"impact"`
	Vector     string     `json:"vector"`
	Phase      string     `json:"phase,omitempty"`
	Controls   []string   `json:"controls,omitempty"`
	References References `json:"references,omitzero"`
	// Residual describes how the rule weakens instead of disappearing when a
	// control is partly in place, for example a locked debug port: the
	// condition that selects the weaker variant and its lowered impact.
	Residual *Residual `json:"residual,omitempty"`

	// Pos is where the rule was written; File is "builtin:<name>" for
	// embedded rules.
	Pos diag.Pos `json:"-"`
}

// Impact is the effect on confidentiality, integrity and availability:
// none, low, medium or high each.
type Impact struct {
	Confidentiality string `json:"confidentiality"`
	Integrity       string `json:"integrity"`
	Availability    string `json:"availability"`
}

// References cite public catalog entries by ID.
type References struct {
	CAPEC  []string `json:"capec,omitempty"`  // CAPEC-nnn
	CWE    []string `json:"cwe,omitempty"`    // CWE-nnn
	ATTACK []string `json:"attack,omitempty"` // Tnnnn, Tnnnn.nnn (Enterprise, Mobile, ICS)
	EMB3D  []string `json:"emb3d,omitempty"`  // TID-nnn
}

// Residual is the weaker form of a rule's threat.
type Residual struct {
	When   *Condition `json:"when"`
	Title  string     `json:"title,omitempty"`
	Impact Impact     `json:"impact"`
}

// Condition is a safe, declarative test over a target's facts. Exactly one
// of its forms is set:
//
//	all: [cond, ...]    every condition holds
//	any: [cond, ...]    at least one holds
//	not: cond           the condition does not hold
//	FACT: VALUE         the fact equals VALUE (string, bool or number)
//	FACT: [V1, V2]      the fact equals one of the values; for a list fact,
//	                    the list contains at least one of them
//	FACT: {exists: true|false}   the fact is known (not unset) or unknown
//	FACT: {contains: V}          a list fact contains V
//	FACT: {at_least: LEVEL}      a level fact (none<low<medium<high) is at least LEVEL
//	FACT: {not: VALUE or [..]}   the fact is neither of the values
//
// A mapping with several FACT keys means all of them. No expression is ever
// evaluated as code.
type Condition struct {
	All  []*Condition `json:"all,omitempty"`
	Any  []*Condition `json:"any,omitempty"`
	Not  *Condition   `json:"not,omitempty"`
	Fact string       `json:"fact,omitempty"`
	// Op is eq, in, exists, contains, at_least or not_in.
	Op     string `json:"op,omitempty"`
	Values []any  `json:"values,omitempty"`

	Pos diag.Pos `json:"-"`
}
