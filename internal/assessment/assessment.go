// Package assessment defines the one value the pipeline produces: the model
// with everything Ward computed about it (threats, risks, known
// vulnerabilities, review status, conformance results). Checks, reports and
// assessment.json all read this value and never change it.
//
// Package pipeline builds it; this package only holds the data.
package assessment

import (
	"time"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/review"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
	"github.com/wardtm/ward/internal/vuln"
)

// SchemaVersion names the structure of assessment.json. It changes when a
// field is removed or changes meaning; added fields keep it.
const SchemaVersion = "ward.assessment/v1"

// Assessment is everything Ward computed for one model on one date.
type Assessment struct {
	Schema string `json:"schema"`
	// Date is the assessment date: review due dates, support end dates and
	// the document date are computed against it.
	Date time.Time `json:"-"`
	// Tool is the Ward version that produced the assessment.
	Tool  string       `json:"tool"`
	Model *model.Model `json:"model"`
	// Methods lists the identification methods selected, all of them
	// unless the run restricted them, in their fixed order.
	Methods []string `json:"methods"`
	// MethodsNotRun names the selected methods that had no input to work
	// on, such as known-vulnerability without a vulnerability database.
	// A count of zero threats from them shows nothing about the product.
	MethodsNotRun []MethodNotRun   `json:"methods_not_run,omitempty"`
	Register      *threat.Register `json:"register"`
	// Risks holds the risk assessment of each threat, in register order.
	Risks []risk.Result `json:"risks"`
	// Review is the review status on Date: last reviews, next due date and
	// whether the model changed since the last review.
	Review review.Report `json:"review"`
	// Vulnerabilities holds the known vulnerabilities matched against the
	// dependencies; nil when no database was given.
	Vulnerabilities *vuln.Report `json:"vulnerabilities,omitempty"`
	// Conformance holds the results of every requirement, in catalog order.
	Conformance []Result `json:"conformance"`
}

// MethodNotRun is a selected identification method that had no input.
type MethodNotRun struct {
	Method string `json:"method"`
	// Reason names the missing input.
	Reason string `json:"reason"`
}

// Risk returns the risk result of the threat with the given ID.
func (a *Assessment) Risk(threatID string) (risk.Result, bool) {
	for _, r := range a.Risks {
		if r.ThreatID == threatID {
			return r, true
		}
	}
	return risk.Result{}, false
}

// Result is the outcome of one conformance requirement.
type Result struct {
	Requirement Requirement `json:"requirement"`
	// Status is pass, fail, warning, not-applicable or not-checked.
	Status  string `json:"status"`
	Message string `json:"message"`
	// Fix is what to add or change to pass, or for not-checked, which
	// input to supply. It is empty on pass.
	Fix      string     `json:"fix,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Requirement identifies one conformance requirement.
type Requirement struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Clause is the source clause, for example "IEC 81001-5-1 7.2 g" for
	// item g) of clause 7.2.
	Clause string `json:"clause"`
	// Group is iec-81001-5-1, fda-premarket, method or quality.
	Group string `json:"group"`
	// Section is the report section that evidences the requirement.
	Section string `json:"section"`
}

// Evidence is one model item a requirement looked at.
type Evidence struct {
	// Kind is the model section: element, flow, interface, review, ...
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
	Note string `json:"note,omitempty"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// Result statuses. NotChecked marks a requirement that nothing was
// examined for, because an input it needs was not given (a vulnerability
// database, a KEV catalog, an assessment date) or the model records none
// of the items it checks. It is neither a pass nor a failure.
// NotApplicable marks a requirement that the model declares not
// applicable, or that has nothing to apply to in the model, such as the
// yearly review of a product still in development.
const (
	Pass          = "pass"
	Fail          = "fail"
	Warning       = "warning"
	NotApplicable = "not-applicable"
	NotChecked    = "not-checked"
)
