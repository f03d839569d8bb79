// Package vuln matches dependencies against an offline OSV database.
//
// It owns the OSV record subset Ward reads, loading a database from a folder
// of OSV JSON records or from the per-ecosystem zip archives osv.dev
// publishes, a cached index of that database, and matching. Matching (Match,
// Group) is a pure function over records and does no I/O; loading and the
// index are separate types. The package never prints and never edits a
// model: the command line records the user's decisions.
package vuln

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Record is the subset of an OSV record that Ward reads. Field names follow
// the OSV schema (https://ossf.github.io/osv-schema/); fields Ward does not
// use, such as details beyond the first paragraph and references, are
// dropped when the index is built.
type Record struct {
	ID        string    `json:"id"`
	Modified  time.Time `json:"modified"`
	Published time.Time `json:"published,omitzero"`
	// Withdrawn is set when the record was retracted; matching ignores it.
	Withdrawn time.Time  `json:"withdrawn,omitzero"`
	Aliases   []string   `json:"aliases,omitempty"`
	Summary   string     `json:"summary,omitempty"`
	Details   string     `json:"details,omitempty"`
	Severity  []Severity `json:"severity,omitempty"`
	Affected  []Affected `json:"affected,omitempty"`
	// DatabaseSpecific keeps only the severity word some databases (GitHub
	// Advisory Database) give, for records without a CVSS vector.
	DatabaseSpecific *DatabaseSpecific `json:"database_specific,omitempty"`
}

// Severity is one severity entry: a type (CVSS_V2, CVSS_V3, CVSS_V4,
// Ubuntu) and a score, which for CVSS types is the vector.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// DatabaseSpecific is the subset of database_specific Ward reads.
type DatabaseSpecific struct {
	Severity string `json:"severity,omitempty"`
}

// Affected is one affected[] entry: a package and the versions of it the
// vulnerability affects.
type Affected struct {
	Package  *Package   `json:"package,omitempty"`
	Severity []Severity `json:"severity,omitempty"`
	Ranges   []Range    `json:"ranges,omitempty"`
	Versions []string   `json:"versions,omitempty"`
}

// Package identifies a package in an OSV ecosystem. Ecosystem may carry a
// suffix after a colon, such as Debian:11 or Alpine:v3.18.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

// Range types of the OSV schema.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Range is one affected range: events ordered by version.
type Range struct {
	Type   string  `json:"type"`
	Repo   string  `json:"repo,omitempty"`
	Events []Event `json:"events"`
}

// Event is one range event; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// RecordError is a record that cannot be used, with the file and the field
// at fault. The rest of the database still loads.
type RecordError struct {
	File  string `json:"file"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
}

func (e *RecordError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg)
}

// maxRecordSize is the largest OSV record Parse accepts, in bytes. The
// largest records osv.dev serves (Linux kernel entries with long version
// lists) are a few hundred kilobytes.
const maxRecordSize = 16 << 20

// ParseRecord decodes and checks one OSV record. file names the record in
// errors, which are *RecordError.
func ParseRecord(file string, data []byte) (*Record, error) {
	if len(data) > maxRecordSize {
		return nil, &RecordError{File: file, Msg: fmt.Sprintf("record is larger than %d MiB", maxRecordSize>>20)}
	}
	var r Record
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return nil, recordJSONError(file, data, err)
	}
	if err := r.check(file); err != nil {
		return nil, err
	}
	r.trim()
	return &r, nil
}

func recordJSONError(file string, data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := lineCol(data, int(syn.Offset))
		return &RecordError{File: fmt.Sprintf("%s:%d:%d", file, line, col), Msg: "invalid JSON: " + syn.Error()}
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		line, col := lineCol(data, int(typ.Offset))
		return &RecordError{File: fmt.Sprintf("%s:%d:%d", file, line, col), Field: typ.Field,
			Msg: fmt.Sprintf("expected %s, found JSON %s", typ.Type, typ.Value)}
	}
	var perr *time.ParseError
	if errors.As(err, &perr) {
		return &RecordError{File: file, Msg: fmt.Sprintf("invalid timestamp %q: use RFC 3339, such as 2024-05-01T12:00:00Z", perr.Value)}
	}
	return &RecordError{File: file, Msg: "invalid JSON: " + err.Error()}
}

func lineCol(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line = 1 + bytes.Count(data[:offset], []byte("\n"))
	col = offset - bytes.LastIndexByte(data[:offset], '\n')
	return line, col
}

// check applies the OSV schema rules that matching relies on.
func (r *Record) check(file string) error {
	bad := func(field, format string, args ...any) error {
		return &RecordError{File: file, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(r.ID) == "" {
		return bad("id", "missing; every OSV record needs an id")
	}
	for i, a := range r.Affected {
		at := fmt.Sprintf("affected[%d]", i)
		if a.Package != nil {
			if a.Package.Ecosystem == "" {
				return bad(at+".package.ecosystem", "missing")
			}
			if a.Package.Name == "" {
				return bad(at+".package.name", "missing")
			}
		}
		for j, rg := range a.Ranges {
			rat := fmt.Sprintf("%s.ranges[%d]", at, j)
			switch rg.Type {
			case RangeSemver, RangeEcosystem:
			case RangeGit:
				if rg.Repo == "" {
					return bad(rat+".repo", "missing; a GIT range needs the repository URL")
				}
			default:
				return bad(rat+".type", "unknown range type %q; expected SEMVER, ECOSYSTEM or GIT", rg.Type)
			}
			if len(rg.Events) == 0 {
				return bad(rat+".events", "empty; a range needs at least an introduced event")
			}
			introduced := false
			for k, e := range rg.Events {
				n := 0
				for _, v := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
					if v != "" {
						n++
					}
				}
				if n != 1 {
					return bad(fmt.Sprintf("%s.events[%d]", rat, k), "expected exactly one of introduced, fixed, last_affected or limit, found %d", n)
				}
				introduced = introduced || e.Introduced != ""
			}
			if !introduced {
				return bad(rat+".events", "no introduced event; the range affects nothing")
			}
		}
	}
	return nil
}

// trim drops what matching and reporting never read, so the index stays
// small: details beyond their first paragraph when a summary exists.
func (r *Record) trim() {
	if r.Summary != "" {
		r.Details = ""
		return
	}
	d := strings.TrimSpace(r.Details)
	if i := strings.Index(d, "\n\n"); i >= 0 {
		d = d[:i]
	}
	const maxDetails = 400
	if len(d) > maxDetails {
		d = d[:maxDetails] + "…"
	}
	r.Details = d
}

// Title returns the summary, or the first paragraph of the details for a
// record without one.
func (r *Record) Title() string {
	if r.Summary != "" {
		return r.Summary
	}
	return strings.Join(strings.Fields(r.Details), " ")
}
