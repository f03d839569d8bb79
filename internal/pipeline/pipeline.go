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
	"slices"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/conformance"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/review"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/sbom"
	"github.com/wardtm/ward/internal/threat"
	"github.com/wardtm/ward/internal/vuln"
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
	// VulnDB is an offline OSV database (a folder of records or osv.dev
	// zip archives); empty skips vulnerability matching.
	VulnDB string
	// VulnIndex is where the database index is kept; empty means next to
	// the database.
	VulnIndex string
	// DBDate overrides the date the database is current to, which is
	// otherwise the newest modified time of its records.
	DBDate string
	// KEV is CISA's Known Exploited Vulnerabilities catalog file; empty
	// skips KEV listing.
	KEV string
	// Names gives catalog names to the references of threats; nil leaves
	// bare IDs.
	Names *catalog.Names
	// Progress reports index building of a large database.
	Progress func(done, total int)
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

// Assess runs the stages after loading on a validated model. It merges
// the components of the SBOMs the model lists into m.Dependencies, after
// the review status is taken, so the review digest covers only what the
// user wrote.
func Assess(m *model.Model, opts Options) (*assessment.Assessment, diag.List, error) {
	lib, diags, err := rules(m, opts.RuleFiles)
	if err != nil || diags.HasErrors() {
		return nil, diags, err
	}
	diags = append(diags, risk.CheckPolicy(m)...)
	diags = append(diags, conformance.CheckNotApplicable(m)...)
	reviewed := review.Status(m, opts.Date, m.System.ReviewInterval)

	if len(m.SBOMs) > 0 {
		deps, more := sbom.Resolve(m, modelDir(m))
		diags = append(diags, more...)
		m.Dependencies = deps
	}
	if diags.HasErrors() {
		return nil, diags, nil
	}

	vulns, err := Scan(m, opts)
	if err != nil {
		return nil, diags, err
	}
	var known []threat.KnownVulnerability
	if vulns != nil {
		known = vulns.Known()
	}

	reg, more := threat.Identify(m, lib, threat.Options{Methods: opts.Methods, Date: opts.Date, Known: known, VulnerabilitiesLooked: vulns != nil})
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags, nil
	}
	nameReferences(reg, opts.Names)

	methods := methodsRun(opts.Methods)
	a := &assessment.Assessment{
		Schema:          assessment.SchemaVersion,
		Date:            opts.Date,
		Tool:            opts.Tool,
		Model:           m,
		Methods:         methods,
		MethodsNotRun:   methodsNotRun(methods, vulns),
		Register:        reg,
		Risks:           risk.Assess(m, reg.Threats, risk.Options{}),
		Review:          reviewed,
		Vulnerabilities: vulns,
	}
	a.Conformance = conformance.Check(a)
	return a, diags, nil
}

// Scan matches the model's dependencies against the vulnerability
// database of opts, when one is given, and applies the model's decisions.
// It returns nil when opts names no database.
func Scan(m *model.Model, opts Options) (*vuln.Report, error) {
	if opts.VulnDB == "" {
		return nil, nil
	}
	var kev *vuln.KEV
	if opts.KEV != "" {
		var err error
		if kev, err = vuln.ReadKEV(opts.KEV); err != nil {
			return nil, err
		}
	}

	ix, err := vuln.Open(opts.VulnDB, vuln.Options{Progress: opts.Progress, IndexPath: opts.VulnIndex})
	if err != nil {
		return nil, err
	}
	defer ix.Close()

	rep, err := vuln.Scan(ix, m.Dependencies, m.Vulnerabilities, kev)
	if err != nil {
		return nil, fmt.Errorf("matching dependencies against %s: %w", opts.VulnDB, err)
	}
	info := ix.Info()
	switch {
	case opts.DBDate != "":
		rep.Source = "OSV database as of " + opts.DBDate
		rep.Date = opts.DBDate
	case info.Newest.IsZero():
		// The OSV schema requires modified, but a record without it is
		// still matched rather than skipped.
		rep.Source = "OSV database of unknown date (no record has a modified time; give --db-date)"
	default:
		rep.Date = info.Newest.UTC().Format(model.DateLayout)
		rep.Source = "OSV database as of " + rep.Date
	}
	rep.Database = opts.VulnDB
	rep.Records = info.Records
	rep.Skipped = info.Skipped
	if rep.KEV != nil {
		rep.KEV.File = opts.KEV
	}
	return rep, nil
}

func modelDir(m *model.Model) string {
	if len(m.Files) == 0 {
		return "."
	}
	return filepath.Dir(m.Files[0])
}

// rules returns the built-in library merged with the model's rule files
// (relative to the model file) and the extra files given.
func rules(m *model.Model, extra []string) (*catalog.Library, diag.List, error) {
	lib, err := catalog.Builtin()
	if err != nil {
		return nil, nil, fmt.Errorf("loading the built-in rule library: %w", err)
	}

	var paths []string
	base := modelDir(m)
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

// methodsNotRun returns the methods among methods that had no input.
// Only known-vulnerability takes input from outside the model: it needs a
// vulnerability database and a dependency that can be looked up in it.
func methodsNotRun(methods []string, vulns *vuln.Report) []assessment.MethodNotRun {
	if !slices.Contains(methods, threat.MethodVulnerability) {
		return nil
	}
	reason := ""
	switch {
	case vulns == nil:
		reason = "no vulnerability database was given (--db)"
	case vulns.Checked == 0 && len(vulns.Unchecked) == 0:
		reason = "the model lists no dependencies"
	case vulns.Checked == 0:
		reason = "no dependency has a purl that an OSV ecosystem covers, so none was looked up in the vulnerability database"
	default:
		return nil
	}
	return []assessment.MethodNotRun{{Method: threat.MethodVulnerability, Reason: reason}}
}

// nameReferences fills the name and link of every threat reference that an
// imported catalog knows.
func nameReferences(reg *threat.Register, names *catalog.Names) {
	if names == nil {
		return
	}
	for i := range reg.Threats {
		refs := reg.Threats[i].References
		for j := range refs {
			if e, ok := names.Lookup(refs[j].ID); ok {
				refs[j].Name = e.Name
				refs[j].URL = e.URL
			}
		}
	}
}
