package vuln

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/wardtm/ward/internal/risk"
)

// Vulnerability is one vulnerability of one package version: the findings
// of every record that names it, merged through their IDs and aliases, so
// a CVE published by several databases appears once.
type Vulnerability struct {
	// ID is the primary ID: the CVE when the records name exactly one,
	// otherwise the first record ID in the order GHSA, then others.
	ID string `json:"id"`
	// IDs are the IDs of the merged records; Aliases every other ID they
	// give, without those in IDs.
	IDs     []string `json:"ids"`
	Aliases []string `json:"aliases,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// Modified is the newest modified time of the merged records.
	Modified time.Time `json:"modified,omitzero"`
	// Vector is the CVSS vector Ward scored, Score its score; both empty
	// when no record gives a vector. Severity is the rating of Score, or
	// the database's own severity word (lower case) when there is no
	// vector.
	Vector   string   `json:"cvss,omitempty"`
	Score    *float64 `json:"score,omitempty"`
	Severity string   `json:"severity,omitempty"`
	Affected []string `json:"affected,omitempty"`
	Fixed    []string `json:"fixed,omitempty"`
	// Evaluable is false when no merged record could be decided; Reason
	// says why.
	Evaluable bool   `json:"evaluable"`
	Reason    string `json:"reason,omitempty"`
}

// AllIDs returns ID, IDs and Aliases without repeats.
func (v *Vulnerability) AllIDs() []string {
	all := append([]string{v.ID}, v.IDs...)
	all = append(all, v.Aliases...)
	slices.Sort(all)
	return slices.Compact(all)
}

// Has reports whether id names this vulnerability, ignoring case.
func (v *Vulnerability) Has(id string) bool {
	for _, x := range v.AllIDs() {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}

// Group merges the findings of one package version whose records share an
// ID or alias, and sorts the result by ID.
func Group(findings []Finding) []Vulnerability {
	// Union-find over findings, joined when their ID sets intersect.
	parent := make([]int, len(findings))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{}
	for i, f := range findings {
		for _, id := range recordIDs(f.Record) {
			key := strings.ToUpper(id)
			if j, ok := owner[key]; ok {
				parent[find(i)] = find(j)
			} else {
				owner[key] = i
			}
		}
	}

	groups := map[int][]Finding{}
	var roots []int
	for i, f := range findings {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], f)
	}

	out := make([]Vulnerability, 0, len(roots))
	for _, r := range roots {
		out = append(out, merge(groups[r]))
	}
	slices.SortFunc(out, func(a, b Vulnerability) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func recordIDs(r *Record) []string {
	return append([]string{r.ID}, r.Aliases...)
}

func merge(fs []Finding) Vulnerability {
	// Evaluated findings decide; undecidable ones only add their IDs.
	var v Vulnerability
	evaluable := slices.ContainsFunc(fs, func(f Finding) bool { return f.Evaluable })
	v.Evaluable = evaluable

	slices.SortFunc(fs, func(a, b Finding) int { return strings.Compare(a.Record.ID, b.Record.ID) })
	ids := map[string]bool{}
	aliases := map[string]bool{}
	for _, f := range fs {
		r := f.Record
		ids[r.ID] = true
		for _, a := range r.Aliases {
			aliases[a] = true
		}
		if r.Modified.After(v.Modified) {
			v.Modified = r.Modified
		}
		if v.Summary == "" {
			v.Summary = r.Title()
		}
		if f.Evaluable == evaluable {
			v.Affected = append(v.Affected, f.Affected...)
			v.Fixed = append(v.Fixed, f.Fixed...)
			if !evaluable && v.Reason == "" {
				v.Reason = f.Reason
			}
		}
	}
	for id := range ids {
		v.IDs = append(v.IDs, id)
		delete(aliases, id)
	}
	for a := range aliases {
		v.Aliases = append(v.Aliases, a)
	}
	slices.Sort(v.IDs)
	slices.Sort(v.Aliases)
	v.Affected = uniqueSorted(v.Affected)
	v.Fixed = uniqueSorted(v.Fixed)
	v.ID = primaryID(v.IDs, v.Aliases)
	v.Vector, v.Score, v.Severity = severity(fs)
	return v
}

// primaryID prefers the single CVE, then a GHSA, then the first record ID.
func primaryID(ids, aliases []string) string {
	var cves []string
	for _, id := range append(slices.Clone(ids), aliases...) {
		if strings.HasPrefix(id, "CVE-") {
			cves = append(cves, id)
		}
	}
	slices.Sort(cves)
	cves = slices.Compact(cves)
	if len(cves) == 1 {
		return cves[0]
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "GHSA-") {
			return id
		}
	}
	return ids[0]
}

// severity scores the CVSS vectors of the findings with Ward's scorer and
// returns the newest CVSS version's highest score. Without a usable vector
// it falls back to the database's severity word.
func severity(fs []Finding) (vector string, score *float64, rating string) {
	type scored struct {
		vector  string
		version string
		score   float64
		rating  string
	}
	var best *scored
	word := ""
	for _, f := range fs {
		sev := slices.Clone(f.Record.Severity)
		for _, a := range f.Record.Affected {
			sev = append(sev, a.Severity...)
		}
		for _, s := range sev {
			if !strings.HasPrefix(s.Type, "CVSS_V3") && s.Type != "CVSS_V4" {
				continue
			}
			sc, err := risk.ScoreVector(s.Score)
			if err != nil {
				continue
			}
			c := scored{s.Score, sc.Version, sc.Base, string(risk.Rate(sc.Base))}
			if best == nil || cmp.Or(strings.Compare(c.version, best.version), cmp.Compare(c.score, best.score)) > 0 {
				best = &c
			}
		}
		if ds := f.Record.DatabaseSpecific; ds != nil && ds.Severity != "" && word == "" {
			word = strings.ToLower(ds.Severity)
			if word == "moderate" {
				word = "medium"
			}
		}
	}
	if best == nil {
		return "", nil, word
	}
	return best.vector, &best.score, best.rating
}
