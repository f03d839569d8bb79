// Package pipeline runs Ward's stages in order (load and validate the model,
// identify threats, assess risk, check conformance) and returns the one
// assessment value that every command renders.
//
// Commands call Run and go no further than they need; the stages themselves
// live in their own packages and know nothing of each other's callers.
package pipeline

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/conformance"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/review"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
)

// Options configure a run. The zero Options run every method with the
// built-in rules and no assessment date.
type Options struct {
	Load model.LoadOptions
	// Date is the assessment date; when zero, date-dependent checks
	// (review due, end of support) say they were not compared.
	Date time.Time
	// Methods selects identification methods by name; empty runs all.
	Methods []string
	// RuleFiles adds user rule files or folders to those the model lists.
	RuleFiles []string
	// Known lists known vulnerabilities matched against the dependencies.
	Known []threat.KnownVulnerability
	// Tool is the Ward version recorded in the assessment.
	Tool string
}

// Run loads the model at path and runs every stage. The diagnostics hold
// the user's mistakes; the assessment is nil when the model cannot be used
// (any error diagnostic). err reports operational failures only.
func Run(path string, opts Options) (*assessment.Assessment, diag.List, error) {
	m, diags, err := model.Load(path, opts.Load)
	if err != nil {
		return nil, diags, err
	}
	if diags.HasErrors() {
		return nil, diags, nil
	}
	a, more, err := Assess(m, opts)
	diags = append(diags, more...)
	diags.Sort()
	return a, diags, err
}

// Assess runs the stages after loading on a validated model.
func Assess(m *model.Model, opts Options) (*assessment.Assessment, diag.List, error) {
	lib, diags, err := rules(m, opts.RuleFiles)
	if err != nil || diags.HasErrors() {
		return nil, diags, err
	}

	reg, more := threat.Identify(m, lib, threat.Options{Methods: opts.Methods, Date: opts.Date, Known: opts.Known})
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags, nil
	}

	diags = append(diags, risk.CheckPolicy(m)...)
	if diags.HasErrors() {
		return nil, diags, nil
	}

	a := &assessment.Assessment{
		Schema:   assessment.SchemaVersion,
		Date:     opts.Date,
		Tool:     opts.Tool,
		Model:    m,
		Methods:  methodsRun(opts.Methods),
		Register: reg,
		Risks:    risk.Assess(m, reg.Threats, risk.Options{}),
		Review:   review.Status(m, opts.Date, m.System.ReviewInterval),
	}
	a.Conformance = conformance.Check(a)
	return a, diags, nil
}

// rules returns the built-in library merged with the model's rule files
// (relative to the model file) and the extra files given.
func rules(m *model.Model, extra []string) (*catalog.Library, diag.List, error) {
	lib, err := catalog.Builtin()
	if err != nil {
		return nil, nil, fmt.Errorf("loading the built-in rule library: %w", err)
	}

	var paths []string
	base := "."
	if len(m.Files) > 0 {
		base = filepath.Dir(m.Files[0])
	}
	for _, p := range m.Rules {
		if !filepath.IsAbs(p) {
			p = filepath.Join(base, p)
		}
		paths = append(paths, p)
	}
	paths = append(paths, extra...)
	if len(paths) == 0 {
		return lib, nil, nil
	}

	user, diags := catalog.LoadFiles(paths)
	if diags.HasErrors() {
		return nil, diags, nil
	}
	diags = append(diags, lib.Merge(user)...)
	return lib, diags, nil
}

// methodsRun returns the methods that ran, in their fixed order.
func methodsRun(selected []string) []string {
	if len(selected) > 0 {
		return selected
	}
	return threat.MethodNames()
}
