package vuln

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/google/osv-scalibr/semantic"
)

// Finding is one OSV record that affects one queried package version, or
// that might and cannot be evaluated.
type Finding struct {
	Record *Record
	// Evaluable is false when Ward could not decide: the package's ranges
	// are GIT commit ranges only, or the ecosystem or a version cannot be
	// ordered. Reason then gives the cause. Such a record is reported for a
	// person to check, never counted as affected or not affected.
	Evaluable bool
	Reason    string
	// Affected describes the affected ranges of the matching entries, such
	// as ">= 4.0.0, < 4.2.3"; versions-list matches read "listed version X".
	Affected []string
	// Fixed lists the fixed versions above the queried version.
	Fixed []string
}

// Match returns the records that affect the queried package version, in
// the order of records. It follows the OSV schema's evaluation rules:
// withdrawn records are ignored; a version is affected when an affected[]
// entry for the package lists it under versions or when one of its SEMVER
// or ECOSYSTEM ranges contains it, with events sorted by version,
// introduced "0" meaning "from the first version", fixed and limit
// exclusive and last_affected inclusive. An entry with only GIT ranges
// cannot be decided from a version number and yields a finding that is not
// evaluable. Match does no I/O.
func Match(q Query, records []*Record) []Finding {
	var out []Finding
	for _, r := range records {
		if !r.Withdrawn.IsZero() {
			continue
		}
		if f, ok := matchRecord(q, r); ok {
			out = append(out, f)
		}
	}
	return out
}

func matchRecord(q Query, r *Record) (Finding, bool) {
	var affected, unknown Finding
	isAffected, isUnknown := false, false
	for i := range r.Affected {
		a := &r.Affected[i]
		if !entryMatches(q, a) {
			continue
		}
		res := evaluateEntry(q, a)
		switch {
		case res.affected:
			isAffected = true
			affected.Affected = append(affected.Affected, res.ranges...)
			affected.Fixed = append(affected.Fixed, res.fixed...)
		case res.reason != "":
			isUnknown = true
			unknown.Reason = res.reason
			unknown.Affected = append(unknown.Affected, res.ranges...)
		}
	}
	switch {
	case isAffected:
		affected.Record, affected.Evaluable = r, true
		affected.Affected = uniqueSorted(affected.Affected)
		affected.Fixed = uniqueSorted(affected.Fixed)
		return affected, true
	case isUnknown:
		unknown.Record = r
		unknown.Affected = uniqueSorted(unknown.Affected)
		return unknown, true
	}
	return Finding{}, false
}

// entryMatches reports whether an affected[] entry is about the queried
// package: same ecosystem and normalized name, or, for a query by
// repository, a GIT range of the same repository.
func entryMatches(q Query, a *Affected) bool {
	if q.Repo != "" {
		for _, rg := range a.Ranges {
			if rg.Type == RangeGit && repoKey(rg.Repo) == repoKey(q.Repo) {
				return true
			}
		}
		return false
	}
	if a.Package == nil || !ecosystemMatches(a.Package.Ecosystem, q.Ecosystem) {
		return false
	}
	return NormalizeName(a.Package.Ecosystem, a.Package.Name) == NormalizeName(q.Ecosystem, q.Name)
}

type entryResult struct {
	affected bool
	reason   string // why the entry could not be evaluated; empty when it was
	ranges   []string
	fixed    []string
}

func evaluateEntry(q Query, a *Affected) entryResult {
	if q.Version == "" {
		return entryResult{reason: "the dependency has no version", ranges: describeRanges(a)}
	}
	var res entryResult
	for _, v := range a.Versions {
		if v == q.Version || q.Repo != "" && strings.TrimPrefix(v, "v") == strings.TrimPrefix(q.Version, "v") {
			res.affected = true
			res.ranges = append(res.ranges, "listed version "+v)
			break
		}
	}

	evaluated := res.affected
	for _, rg := range a.Ranges {
		// A query by repository has a tag, not a package version, so only
		// the versions list applies to it.
		if rg.Type == RangeGit || q.Repo != "" {
			continue
		}
		eco := ""
		if a.Package != nil {
			eco = a.Package.Ecosystem
		}
		in, fixed, err := inRange(rg, eco, q.Version)
		if err != nil {
			res.reason = err.Error()
			res.ranges = append(res.ranges, describeRange(rg))
			continue
		}
		evaluated = true
		if in {
			res.affected = true
			res.ranges = append(res.ranges, describeRange(rg))
			res.fixed = append(res.fixed, fixed...)
		}
	}
	if res.affected {
		res.reason = ""
		return res
	}
	if !evaluated && res.reason == "" && hasGitRange(a) {
		return entryResult{reason: "the affected versions are given as git commit ranges only", ranges: describeRanges(a)}
	}
	if evaluated {
		// One range type decided; a failure of another does not make the
		// entry undecidable.
		res.reason = ""
	}
	return res
}

func hasGitRange(a *Affected) bool {
	return slices.ContainsFunc(a.Ranges, func(r Range) bool { return r.Type == RangeGit })
}

// parsedEvent is an event with its version parsed; zero is true for
// introduced "0", which sorts before every version.
type parsedEvent struct {
	Event
	version semantic.Version
	zero    bool
}

func (e parsedEvent) value() string {
	return cmp.Or(e.Introduced, e.Fixed, e.LastAffected, e.Limit)
}

// inRange evaluates one SEMVER or ECOSYSTEM range for version and returns
// the fixed versions above it.
func inRange(rg Range, ecosystem, version string) (bool, []string, error) {
	parse := func(s string) (semantic.Version, error) {
		if rg.Type == RangeSemver {
			return semantic.ParseSemverVersion(strings.TrimPrefix(s, "v")), nil
		}
		return semantic.Parse(s, ecosystem)
	}
	v, err := parse(version)
	if err != nil {
		return false, nil, fmt.Errorf("cannot order version %q in ecosystem %s: %v", version, ecosystem, err)
	}

	events := make([]parsedEvent, 0, len(rg.Events))
	for _, e := range rg.Events {
		pe := parsedEvent{Event: e}
		if e.Introduced == "0" {
			pe.zero = true
		} else {
			pe.version, err = parse(pe.value())
			if err != nil {
				return false, nil, fmt.Errorf("cannot order event version %q in ecosystem %s: %v", pe.value(), ecosystem, err)
			}
		}
		events = append(events, pe)
	}
	var sortErr error
	slices.SortStableFunc(events, func(a, b parsedEvent) int {
		switch {
		case a.zero && b.zero:
			return 0
		case a.zero:
			return -1
		case b.zero:
			return 1
		}
		c, err := a.version.Compare(b.version)
		if err != nil {
			sortErr = err
		}
		return c
	})
	if sortErr != nil {
		return false, nil, fmt.Errorf("cannot order the events of a %s range: %v", rg.Type, sortErr)
	}

	// cmpTo returns the order of v relative to the event's version.
	cmpTo := func(e parsedEvent) int {
		if e.zero {
			return 1
		}
		c, _ := v.Compare(e.version)
		return c
	}

	affected := false
	var limits []parsedEvent
	var fixed []string
	for _, e := range events {
		switch {
		case e.Introduced != "":
			if cmpTo(e) >= 0 {
				affected = true
			}
		case e.Fixed != "":
			if cmpTo(e) >= 0 {
				affected = false
			} else {
				fixed = append(fixed, e.Fixed)
			}
		case e.LastAffected != "":
			if cmpTo(e) > 0 {
				affected = false
			}
		case e.Limit != "":
			limits = append(limits, e)
		}
	}
	if affected && len(limits) > 0 {
		below := false
		for _, l := range limits {
			below = below || l.Limit == "*" || cmpTo(l) < 0
		}
		affected = below
	}
	if !affected {
		return false, nil, nil
	}
	// Only the first fixed version above v closes the interval v is in.
	if len(fixed) > 1 {
		fixed = fixed[:1]
	}
	return true, fixed, nil
}

// describeRange renders a range as comparisons, one interval per
// introduced event: ">= 1.0.0, < 1.2.3", "<= 2.88.2", "all versions".
func describeRange(rg Range) string {
	if rg.Type == RangeGit {
		return "git commits in " + rg.Repo
	}
	var parts []string
	cur := ""
	for _, e := range rg.Events {
		switch {
		case e.Introduced != "":
			if cur != "" {
				parts = append(parts, cur)
			}
			cur = ">= " + e.Introduced
			if e.Introduced == "0" {
				cur = ""
			}
		case e.Fixed != "":
			cur = joinBound(cur, "< "+e.Fixed)
			parts = append(parts, cur)
			cur = ""
		case e.LastAffected != "":
			cur = joinBound(cur, "<= "+e.LastAffected)
			parts = append(parts, cur)
			cur = ""
		case e.Limit != "" && e.Limit != "*":
			parts = append(parts, "below limit "+e.Limit)
		}
	}
	if cur != "" {
		parts = append(parts, cur)
	}
	if len(parts) == 0 {
		return "all versions"
	}
	return strings.Join(parts, " or ")
}

func joinBound(lower, upper string) string {
	if lower == "" {
		return upper
	}
	return lower + ", " + upper
}

func describeRanges(a *Affected) []string {
	var out []string
	for _, rg := range a.Ranges {
		out = append(out, describeRange(rg))
	}
	return out
}

func uniqueSorted(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
