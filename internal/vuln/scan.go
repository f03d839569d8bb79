package vuln

import (
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// Result is one known vulnerability of one dependency, with its CISA KEV
// listing and the user's decision from the model's vulnerabilities list.
type Result struct {
	Dependency string `json:"dependency"`
	Version    string `json:"version"`
	Vulnerability
	KEV      *KEVEntry                    `json:"kev,omitempty"`
	Decision *model.VulnerabilityDecision `json:"decision,omitempty"`
}

// Status returns the decision's status, or "unassessed".
func (r *Result) Status() string {
	if r.Decision == nil {
		return "unassessed"
	}
	return r.Decision.Status
}

// Resolved reports whether the decision closes the vulnerability: the
// product is not affected, or the dependency is fixed.
func (r *Result) Resolved() bool {
	s := r.Status()
	return s == "not-affected" || s == "fixed"
}

// Report is the outcome of matching a model's dependencies against a
// database.
type Report struct {
	// Source names where the matches come from: "OSV database as of DATE".
	Source string `json:"source"`
	// Date is the date the database is current to, as YYYY-MM-DD: the
	// --db-date given, or else the newest modified time of its records.
	// It is empty when neither is known. Scan leaves it for its caller.
	Date      string        `json:"date,omitempty"`
	Database  string        `json:"database"`
	Records   int           `json:"records"`
	Checked   int           `json:"dependencies_checked"`
	Unchecked []string      `json:"dependencies_unchecked,omitempty"`
	Results   []Result      `json:"results"`
	Stale     []StaleEntry  `json:"unmatched_decisions,omitempty"`
	Skipped   []RecordError `json:"skipped_records,omitempty"`
	// KEV identifies the CISA Known Exploited Vulnerabilities catalog the
	// matches were looked up in. It is nil when no catalog was read, and
	// then no match could be marked as KEV-listed.
	KEV *KEVCatalog `json:"kev,omitempty"`
}

// KEVCatalog identifies the KEV catalog a scan used.
type KEVCatalog struct {
	// File is the catalog's path as given (--kev); Scan leaves it empty for
	// its caller to fill in.
	File string `json:"file,omitempty"`
	// Version is the catalog's catalogVersion field.
	Version string `json:"version,omitempty"`
	Entries int    `json:"entries"`
}

// StaleEntry is a vulnerabilities entry of the model that matched no known
// vulnerability.
type StaleEntry struct {
	ID         string `json:"id"`
	Dependency string `json:"dependency,omitempty"`
	// Pos is where the entry is written, as file:line:col.
	Pos      string                       `json:"pos"`
	Decision *model.VulnerabilityDecision `json:"-"`
}

// Scan looks up every dependency that has a purl, merges the findings per
// vulnerability and applies the model's decisions. A decision that names
// the dependency wins over one that applies to every dependency. kev may
// be nil.
func Scan(ix *Index, deps []model.Dependency, decisions []model.VulnerabilityDecision, kev *KEV) (*Report, error) {
	r := &Report{Results: []Result{}}
	if kev != nil {
		r.KEV = &KEVCatalog{Version: kev.Version, Entries: len(kev.Entries)}
	}
	used := make([]bool, len(decisions))

	for _, d := range deps {
		if d.Purl == "" {
			r.Unchecked = append(r.Unchecked, d.ID)
			continue
		}
		q, err := QueryFromPurl(d.Purl, d.Version)
		if err != nil {
			r.Unchecked = append(r.Unchecked, d.ID)
			continue
		}
		if q.Ecosystem == "Go" {
			// The Go vulnerability database writes versions without the v.
			q.Version = strings.TrimPrefix(q.Version, "v")
		}
		r.Checked++

		recs, err := ix.Lookup(q)
		if err != nil {
			return nil, err
		}
		for _, v := range Group(Match(q, recs)) {
			res := Result{Dependency: d.ID, Version: q.Version, Vulnerability: v}
			if e, ok := kev.Lookup(v.AllIDs()); ok {
				res.KEV = &e
			}
			if i := decisionFor(decisions, &v, d.ID); i >= 0 {
				used[i] = true
				dec := decisions[i]
				res.Decision = &dec
			}
			r.Results = append(r.Results, res)
		}
	}

	for i := range decisions {
		if !used[i] {
			dec := &decisions[i]
			r.Stale = append(r.Stale, StaleEntry{ID: dec.ID, Dependency: dec.Dependency, Pos: dec.Pos().String(), Decision: dec})
		}
	}
	slices.SortStableFunc(r.Results, func(a, b Result) int {
		return strings.Compare(a.Dependency+"\x00"+a.ID, b.Dependency+"\x00"+b.ID)
	})
	return r, nil
}

// decisionFor returns the index of the decision about v in dependency dep,
// or -1.
func decisionFor(decisions []model.VulnerabilityDecision, v *Vulnerability, dep string) int {
	best := -1
	for i := range decisions {
		dec := &decisions[i]
		if !v.Has(dec.ID) || dec.Dependency != "" && dec.Dependency != dep {
			continue
		}
		if best < 0 || dec.Dependency != "" {
			best = i
		}
	}
	return best
}

// Known converts the unresolved, evaluable results into the input of
// threat identification.
func (r *Report) Known() []threat.KnownVulnerability {
	var out []threat.KnownVulnerability
	for _, res := range r.Results {
		if res.Resolved() || !res.Evaluable {
			continue
		}
		out = append(out, threat.KnownVulnerability{
			Dependency: res.Dependency,
			ID:         res.ID,
			Aliases:    res.AllIDs(),
			Summary:    res.Summary,
			Severity:   res.Severity,
			Vector:     res.Vector,
			KEV:        res.KEV != nil,
			Fixed:      res.Fixed,
		})
	}
	return out
}
