// Package model defines Ward's threat model: the Go types of the YAML (or
// JSON) format, loading with source positions, include resolution, validation
// and comment-preserving edits.
//
// The model is the user's file. This package reads it and reports what is
// wrong with it; it never identifies threats or renders documents.
package model

import "github.com/wardtm/ward/internal/diag"

// FormatVersion is the value of the top-level ward key this release reads.
const FormatVersion = 1

// Source records where an item was written. The loader fills it; models built
// in code leave it empty, and every lookup then returns the zero Pos.
type Source struct {
	pos    diag.Pos
	fields []FieldPos
}

// FieldPos is the recorded position of one key's value and, for a list of
// scalars such as IDs, of each entry.
type FieldPos struct {
	Key   string
	Pos   diag.Pos
	Items []diag.Pos
	// Keys holds, for a mapping decoded into a Go map such as
	// system.not_applicable, each key with the position of the key itself,
	// in file order.
	Keys []FieldPos
}

func (s *Source) field(key string) *FieldPos {
	// Items have a handful of keys, so a linear search beats a map and
	// saves one allocation per item when loading large models.
	for i := range s.fields {
		if s.fields[i].Key == key {
			return &s.fields[i]
		}
	}
	return nil
}

// Pos returns the position of the item itself (its first key).
func (s *Source) Pos() diag.Pos { return s.pos }

// FieldPos returns the position of the value of key, or of the item when the
// key was not written.
func (s *Source) FieldPos(key string) diag.Pos {
	if f := s.field(key); f != nil {
		return f.Pos
	}
	return s.pos
}

// HasField reports whether key was written in the source file.
func (s *Source) HasField(key string) bool { return s.field(key) != nil }

// SetPos records positions; the loader calls it while decoding.
func (s *Source) SetPos(item diag.Pos, fields map[string]diag.Pos) {
	s.pos = item
	s.fields = s.fields[:0]
	for key, pos := range fields {
		s.fields = append(s.fields, FieldPos{Key: key, Pos: pos})
	}
}

// SetFields records the item's position and its fields' positions in one
// step, taking ownership of fields. The loader uses it instead of SetPos.
func (s *Source) SetFields(item diag.Pos, fields []FieldPos) {
	s.pos = item
	s.fields = fields
}

// ItemPos returns the position of entry i of the list under key, such as
// one ID in a flow's data list, or FieldPos(key) when it is not known.
func (s *Source) ItemPos(key string, i int) diag.Pos {
	f := s.field(key)
	if f == nil {
		return s.pos
	}
	if i >= 0 && i < len(f.Items) {
		return f.Items[i]
	}
	return f.Pos
}

// KeyPos returns the position of key inside the mapping under field, such
// as one requirement ID under not_applicable, or FieldPos(field) when it is
// not known.
func (s *Source) KeyPos(field, key string) diag.Pos {
	f := s.field(field)
	if f == nil {
		return s.pos
	}
	for _, k := range f.Keys {
		if k.Key == key {
			return k.Pos
		}
	}
	return f.Pos
}

// SetItemPos records the positions of the entries of the list under key.
func (s *Source) SetItemPos(key string, positions []diag.Pos) {
	if f := s.field(key); f != nil {
		f.Items = positions
		return
	}
	s.fields = append(s.fields, FieldPos{Key: key, Pos: s.pos, Items: positions})
}

// Model is a whole threat model after includes are merged.
type Model struct {
	Source `json:"-"`

	Ward    int      `json:"ward"`
	Include []string `json:"include,omitempty"`
	System  System   `json:"system"`

	Assumptions  []Assumption  `json:"assumptions,omitempty"`
	Data         []Data        `json:"data,omitempty"`
	Boundaries   []Boundary    `json:"boundaries,omitempty"`
	Elements     []Element     `json:"elements,omitempty"`
	Flows        []Flow        `json:"flows,omitempty"`
	Interfaces   []Interface   `json:"interfaces,omitempty"`
	Dependencies []Dependency  `json:"dependencies,omitempty"`
	SBOMs        []string      `json:"sboms,omitempty"`
	Controls     []Control     `json:"controls,omitempty"`
	Hazards      []Hazard      `json:"hazards,omitempty"`
	Threats      []ThreatEntry `json:"threats,omitempty"`
	Issues       []Issue       `json:"issues,omitempty"`
	Reviews      []Review      `json:"reviews,omitempty"`

	// Vulnerabilities holds the user's assessment of known vulnerabilities
	// matched against dependencies, so decisions survive re-runs.
	Vulnerabilities []VulnerabilityDecision `json:"vulnerabilities,omitempty"`

	// Rules lists extra rule files or folders, relative to the model file.
	Rules []string `json:"rules,omitempty"`
	// Protocols and Roles extend the built-in vocabularies.
	Protocols []ProtocolDef `json:"protocols,omitempty"`
	Roles     []RoleDef     `json:"roles,omitempty"`

	Risk  RiskPolicy `json:"risk,omitzero"`
	Views Views      `json:"views,omitzero"`

	// Files lists every file the model was read from, the main file first.
	Files []string `json:"-"`
}

// System describes the product and the threat model document.
type System struct {
	Source `json:"-"`

	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Description  string   `json:"description,omitempty"`
	Manufacturer string   `json:"manufacturer,omitempty"`
	Version      string   `json:"version,omitempty"`
	Document     Document `json:"document"`
	// Lifecycle is development, released or end-of-support.
	Lifecycle    string   `json:"lifecycle"`
	Released     Date     `json:"released,omitempty"`
	IntendedUse  string   `json:"intended_use,omitempty"`
	Environments []string `json:"environments,omitempty"`
	// Methodology is the rationale for the identification methods used.
	Methodology string `json:"methodology,omitempty"`
	// ReviewInterval is the maximum number of days between periodic reviews
	// of a released product; zero means the default of 365.
	ReviewInterval int `json:"review_interval,omitempty"`
	// NotApplicable records, keyed by conformance requirement ID, why a
	// requirement does not apply to this product, for example why a
	// software-only product has no board connections.
	NotApplicable map[string]string `json:"not_applicable,omitempty"`
}

// Document is the controlled-document metadata of the threat model.
type Document struct {
	Source `json:"-"`

	ID             string `json:"id"`
	Version        string `json:"version"`
	Owner          string `json:"owner,omitempty"`
	Classification string `json:"classification,omitempty"`
	Title          string `json:"title,omitempty"`
}

// Assumption is a stated premise of the threat model, such as the
// capabilities of the adversary or of the operating environment.
type Assumption struct {
	Source `json:"-"`

	ID   string `json:"id"`
	Text string `json:"text"`
}

// Data is a category of information that flows carry and stores keep.
type Data struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Category is one of DataCategories.
	Category string `json:"category"`
	// Confidentiality, Integrity and Availability are low, medium or high.
	Confidentiality string `json:"confidentiality,omitempty"`
	Integrity       string `json:"integrity,omitempty"`
	Availability    string `json:"availability,omitempty"`
}

// Boundary is a trust boundary. Boundaries nest through Parent.
type Boundary struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Kind is one of BoundaryKinds.
	Kind   string `json:"kind"`
	Parent string `json:"parent,omitempty"`
}

// Element is a process, a data store or an external entity.
type Element struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Boundary    string `json:"boundary,omitempty"`
	// Role names what an external entity is (patient, clinician, ...).
	Role       string     `json:"role,omitempty"`
	Technology Technology `json:"technology,omitzero"`
	// Stores lists the data a store keeps or a process holds.
	Stores       []string `json:"stores,omitempty"`
	Encrypted    *bool    `json:"encrypted,omitempty"`
	Dependencies []string `json:"dependencies,omitempty"`
	// Patients is one or many: how many patients a compromise of this
	// element can reach. It drives the multi-patient harm view.
	Patients   string         `json:"patients,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Scope      Scope          `json:"scope,omitzero"`
	Suppress   []Suppression  `json:"suppress,omitempty"`
	Tags       []string       `json:"tags,omitempty"`
}

// Technology describes how a process or store is built.
type Technology struct {
	Source `json:"-"`

	Language  string `json:"language,omitempty"`
	OS        string `json:"os,omitempty"`
	Runtime   string `json:"runtime,omitempty"`
	Framework string `json:"framework,omitempty"`
	Hardware  string `json:"hardware,omitempty"`
}

// Scope takes an element, flow or interface out of the analysis.
type Scope struct {
	Source `json:"-"`

	Out    bool   `json:"out,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Suppression silences one rule (or a glob of rules) on one item, with the
// reason recorded for the auditor.
type Suppression struct {
	Source `json:"-"`

	Rule          string `json:"rule"`
	Justification string `json:"justification"`
}

// Flow is a data flow between two elements.
type Flow struct {
	Source `json:"-"`

	ID          string   `json:"id"`
	Name        string   `json:"name,omitempty"`
	Description string   `json:"description,omitempty"`
	From        string   `json:"from"`
	To          string   `json:"to"`
	Protocol    Protocol `json:"protocol,omitzero"`
	Data        []string `json:"data,omitempty"`
	// Authentication is none, one-way or mutual.
	Authentication   string         `json:"authentication,omitempty"`
	Encryption       *bool          `json:"encryption,omitempty"`
	Integrity        *bool          `json:"integrity,omitempty"`
	ReplayProtection *bool          `json:"replay_protection,omitempty"`
	Bidirectional    bool           `json:"bidirectional,omitempty"`
	Attributes       map[string]any `json:"attributes,omitempty"`
	Scope            Scope          `json:"scope,omitzero"`
	Suppress         []Suppression  `json:"suppress,omitempty"`
}

// Protocol is the protocol a flow uses.
type Protocol struct {
	Source `json:"-"`

	// Name is one of the built-in protocols or one the model defines.
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Port is a TCP/UDP port, a BLE characteristic, a serial line or other
	// channel, as the protocol names it.
	Port     string `json:"port,omitempty"`
	Channel  string `json:"channel,omitempty"`
	Security string `json:"security,omitempty"`
}

// Interface is a physical port, debug port or board connection.
type Interface struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Of is the element that exposes the interface.
	Of string `json:"of"`
	// Kind is one of InterfaceKinds.
	Kind string `json:"kind"`
	// Exposure is external, enclosure or board.
	Exposure string `json:"exposure"`
	// Debug marks a debug or test access port. Read it through IsDebug,
	// which also counts the kinds that are debug ports by definition.
	Debug bool `json:"debug,omitempty"`
	// Production is the state of the interface on shipped units.
	Production     string         `json:"production,omitempty"`
	Protocols      []string       `json:"protocols,omitempty"`
	Authentication string         `json:"authentication,omitempty"`
	Controls       []string       `json:"controls,omitempty"`
	Attributes     map[string]any `json:"attributes,omitempty"`
	Scope          Scope          `json:"scope,omitzero"`
	Suppress       []Suppression  `json:"suppress,omitempty"`
}

// Dependency is an external software or hardware item the product relies on:
// an operating system, driver, library, third-party application or service.
type Dependency struct {
	Source `json:"-"`

	ID       string `json:"id"`
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	Purl     string `json:"purl,omitempty"`
	CPE      string `json:"cpe,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Supplier string `json:"supplier,omitempty"`
	// Classification is the IEC 81001-5-1 4.3 class: maintained, supported or
	// required.
	Classification string            `json:"classification,omitempty"`
	Support        Support           `json:"support,omitzero"`
	License        string            `json:"license,omitempty"`
	Hashes         map[string]string `json:"hashes,omitempty"`
	// Elements lists the elements that contain the dependency, in addition to
	// those that name it under their own dependencies key.
	Elements  []string `json:"elements,omitempty"`
	DependsOn []string `json:"depends_on,omitempty"`
	// SBOM is the file the dependency was imported from, if any.
	SBOM  string `json:"sbom,omitempty"`
	Notes string `json:"notes,omitempty"`
}

// Support is a dependency's support level and end-of-support date.
type Support struct {
	Source `json:"-"`

	// Level is one of SupportLevels.
	Level string `json:"level,omitempty"`
	Ends  Date   `json:"ends,omitempty"`
}

// Control is a security control, in one of the eight FDA control categories.
type Control struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Category    string `json:"category"`
	// Verification references the test or analysis that shows the control works.
	Verification string   `json:"verification,omitempty"`
	Status       string   `json:"status,omitempty"`
	Elements     []string `json:"elements,omitempty"`
}

// Hazard is a hazard from the ISO 14971 risk management file.
type Hazard struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Severity    string `json:"severity,omitempty"`
	Reference   string `json:"reference,omitempty"`
}

// ThreatEntry is either a disposition of identified threats (Match set) or
// a hand-written threat (ID set).
type ThreatEntry struct {
	Source `json:"-"`

	// Match is a threat ID or a glob of IDs (path.Match syntax).
	Match string `json:"match,omitempty"`

	// ID, Title, Element and the fields after them describe a hand-written
	// threat.
	ID          string `json:"id,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Element     string `json:"element,omitempty"`
	STRIDE      string `json:"stride,omitempty"`
	Impact      Impact `json:"impact,omitzero"`
	Vector      string `json:"vector,omitempty"`
	Phase       string `json:"phase,omitempty"`

	Status        string   `json:"status,omitempty"`
	Controls      []string `json:"controls,omitempty"`
	Justification string   `json:"justification,omitempty"`
	CVSS          string   `json:"cvss,omitempty"`
	Hazards       []string `json:"hazards,omitempty"`
	// HazardRationale explains why a threat with safety-relevant impact has
	// no hazard link.
	HazardRationale string `json:"hazard_rationale,omitempty"`
	Issue           string `json:"issue,omitempty"`
	Tracker         string `json:"tracker,omitempty"`
	// Exploitability and Severity override the computed values
	// (see RiskLevels), before and after controls.
	Exploitability         string `json:"exploitability,omitempty"`
	Severity               string `json:"severity,omitempty"`
	ResidualExploitability string `json:"residual_exploitability,omitempty"`
	ResidualSeverity       string `json:"residual_severity,omitempty"`
}

// Impact is the effect of a threat on confidentiality, integrity and
// availability; each is none, low, medium or high.
type Impact struct {
	Source `json:"-"`

	Confidentiality string `json:"confidentiality,omitempty"`
	Integrity       string `json:"integrity,omitempty"`
	Availability    string `json:"availability,omitempty"`
}

// Issue is a security-related issue with the fields that problem resolution
// needs (IEC 81001-5-1 clauses 9.4 and 9.5).
type Issue struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Origin is how the issue was found, one of IssueSources.
	Origin string   `json:"source,omitempty"`
	Found  Date     `json:"found,omitempty"`
	CWE    []string `json:"cwe,omitempty"`
	CVE    []string `json:"cve,omitempty"`
	CVSS   string   `json:"cvss,omitempty"`
	// AffectedVersions lists product versions or ranges such as "< 2.3.0".
	AffectedVersions []string   `json:"affected_versions,omitempty"`
	FixedIn          string     `json:"fixed_in,omitempty"`
	RootCause        string     `json:"root_cause,omitempty"`
	SafetyImpact     string     `json:"safety_impact,omitempty"`
	Status           string     `json:"status,omitempty"`
	Disclosure       Disclosure `json:"disclosure,omitzero"`
	Tracker          string     `json:"tracker,omitempty"`
	Threats          []string   `json:"threats,omitempty"`
	Dependencies     []string   `json:"dependencies,omitempty"`
	Hazards          []string   `json:"hazards,omitempty"`
}

// Disclosure is the clause 9.5 decision on telling users about an issue.
type Disclosure struct {
	Source `json:"-"`

	// Decision is one of DisclosureDecisions.
	Decision  string `json:"decision,omitempty"`
	Date      Date   `json:"date,omitempty"`
	Reference string `json:"reference,omitempty"`
	Rationale string `json:"rationale,omitempty"`
}

// Review is a record of a review of the threat model.
type Review struct {
	Source `json:"-"`

	Date Date `json:"date"`
	// Kind is development-team, periodic or change.
	Kind      string     `json:"kind"`
	Reviewers []Reviewer `json:"reviewers,omitempty"`
	// Digest is the model's meaning digest at the time of the review.
	Digest   string   `json:"digest,omitempty"`
	Outcome  string   `json:"outcome,omitempty"`
	Version  string   `json:"version,omitempty"`
	Notes    string   `json:"notes,omitempty"`
	Findings []string `json:"findings,omitempty"`
}

// Reviewer is a person who took part in a review.
type Reviewer struct {
	Source `json:"-"`

	Name string `json:"name"`
	Role string `json:"role,omitempty"`
}

// VulnerabilityDecision is the user's assessment of a known vulnerability in
// a dependency, in VEX terms.
type VulnerabilityDecision struct {
	Source `json:"-"`

	// ID is the vulnerability ID (CVE, GHSA, OSV or any alias).
	ID string `json:"id"`
	// Dependency is the dependency ID, or empty for every dependency.
	Dependency string `json:"dependency,omitempty"`
	// Status is one of VulnerabilityStatuses.
	Status string `json:"status"`
	// Justification is a VEX justification for not-affected.
	Justification string `json:"justification,omitempty"`
	FixedIn       string `json:"fixed_in,omitempty"`
	Notes         string `json:"notes,omitempty"`
	Issue         string `json:"issue,omitempty"`
	Date          Date   `json:"date,omitempty"`
}

// ProtocolDef adds a protocol to the built-in vocabulary.
type ProtocolDef struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Transport says what the protocol runs over (network, adjacent,
	// local or physical), which sets the attack vector of its threats.
	Transport string `json:"transport,omitempty"`
}

// RoleDef adds an external-entity role to the built-in vocabulary.
type RoleDef struct {
	Source `json:"-"`

	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// RiskPolicy configures how exploitability and severity combine into risk
// and which residual risk is acceptable.
type RiskPolicy struct {
	Source `json:"-"`

	// Accept is the highest residual risk level accepted without a
	// justification: low, medium or high.
	Accept string `json:"accept,omitempty"`
	// Matrix maps exploitability to severity to risk level, overriding the
	// default matrix cell by cell.
	Matrix map[string]map[string]string `json:"matrix,omitempty"`
}

// Views configures the architecture views FDA premarket guidance expects.
type Views struct {
	Source `json:"-"`

	// Omit records why a view is not produced, keyed by view name
	// (global, multi-patient, update, use-case).
	Omit     map[string]string `json:"omit,omitempty"`
	UseCases []UseCase         `json:"use_cases,omitempty"`
}

// UseCase is a security use case view: a named path of flows.
type UseCase struct {
	Source `json:"-"`

	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Flows       []string `json:"flows"`
}

// IsDebug reports whether the interface is a debug or test access port:
// debug is true, or its kind is jtag, swd or debug-header, which are debug
// ports whatever the flag is set to. A test point counts only with debug: true,
// because many carry only analog signals.
func (ifc *Interface) IsDebug() bool {
	switch ifc.Kind {
	case "jtag", "swd", "debug-header":
		return true
	}
	return ifc.Debug
}
