package threat

import (
	"time"

	"github.com/wardtm/ward/internal/diag"
)

// Options configure Identify. The zero Options run every method with no
// assessment date and no known vulnerabilities.
type Options struct {
	// Methods selects the identification methods by name (see MethodNames);
	// empty runs all of them. Unknown names select nothing: check them
	// with ValidateMethods first.
	Methods []string
	// Date is the assessment date. It decides the support_ended fact of
	// dependencies; when zero, support_ended is unset.
	Date time.Time
	// Known lists the known vulnerabilities matched against the model's
	// dependencies, as the vulnerability database reported them.
	Known []KnownVulnerability
	// VulnerabilitiesLooked is true when the dependencies were looked up
	// in a vulnerability database, even if nothing matched. Without it,
	// dispositions that can only name threats raised by known
	// vulnerabilities are not checked: those threats cannot exist yet.
	VulnerabilitiesLooked bool
}

// KnownVulnerability is one published vulnerability matched against one
// dependency of the model.
type KnownVulnerability struct {
	// Dependency is the ID of the dependency in the model.
	Dependency string `json:"dependency"`
	// ID is the vulnerability's primary ID (OSV, GHSA or CVE).
	ID      string   `json:"id"`
	Aliases []string `json:"aliases,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// Severity is critical, high, medium, low or empty when unknown.
	Severity string `json:"severity,omitempty"`
	// Vector is the CVSS vector the severity was scored from, if any; its
	// impact metrics set the threat's impact.
	Vector string `json:"cvss,omitempty"`
	// KEV is true when the vulnerability is in the CISA Known Exploited
	// Vulnerabilities catalog.
	KEV bool `json:"kev,omitempty"`
	// Fixed lists the versions that fix the vulnerability.
	Fixed []string `json:"fixed,omitempty"`
}

// Register is the result of Identify: the threats that remain after scope
// and suppression, sorted by ID, and the coverage matrix.
type Register struct {
	Threats []Threat `json:"threats"`
	// Suppressed lists the threats removed by a suppress entry of their
	// target, so the report can show what was silenced and why.
	Suppressed []SuppressedThreat `json:"suppressed,omitempty"`
	// RuledOut lists STRIDE findings that were not raised because the model
	// shows the control that prevents them, such as encryption on a flow.
	RuledOut []RuledOut `json:"ruled_out,omitempty"`
	Coverage Matrix     `json:"coverage"`
}

// SuppressedThreat is a threat removed by a suppress entry.
type SuppressedThreat struct {
	Threat Threat `json:"threat"`
	// Rule is the rule glob of the suppress entry that matched.
	Rule          string   `json:"rule"`
	Justification string   `json:"justification"`
	Pos           diag.Pos `json:"pos,omitzero"`
}

// RuledOut is a STRIDE finding that the model rules out.
type RuledOut struct {
	// ID is the threat ID the finding would have had.
	ID     string  `json:"id"`
	Method string  `json:"method"`
	Target *Target `json:"target"`
	// Reason names the model fields that rule the finding out.
	Reason string `json:"reason"`
}

// Matrix counts threats per target and STRIDE category.
type Matrix struct {
	// Categories are the column keys in order: the six STRIDE categories,
	// then "other" for threats without a STRIDE category (privacy threats).
	Categories []string    `json:"categories"`
	Rows       []MatrixRow `json:"rows"`
}

// MatrixRow is one in-scope target of the coverage matrix.
type MatrixRow struct {
	Target *Target `json:"target"`
	// Cells counts the threats per category. A threat with further
	// categories in Also counts in each of them.
	Cells Cells `json:"cells"`
}

// Cell counts the threats of one target and category.
type Cell struct {
	Found int `json:"found"`
	// Dispositioned counts the found threats whose status is not open.
	Dispositioned int `json:"dispositioned"`
}
