package conformance

import (
	"fmt"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/vuln"
)

// Known vulnerabilities: clause 7.2 asks for vulnerabilities to be
// identified, and FDA expects every known one assessed and CISA's Known
// Exploited Vulnerabilities designed out.

func checkKEV(c *checker) outcome {
	rep := c.a.Vulnerabilities
	if rep == nil {
		return pass("no vulnerability database given (--db), so KEV listing was not checked", nil)
	}
	var ev []assessment.Evidence
	var ids []string
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.KEV == nil || r.Resolved() {
			continue
		}
		ids = append(ids, r.ID+" in "+r.Dependency)
		ev = append(ev, c.dependencyEvidence(r, "listed in CISA KEV since "+r.KEV.DateAdded))
	}
	if len(ids) > 0 {
		return fail(fmt.Sprintf("%s in the CISA Known Exploited Vulnerabilities catalog still present: %s", plural(len(ids), "vulnerability"), listIDs(ids)),
			"upgrade the dependencies to a fixed version, or record not-affected with a VEX justification (ward vulns set)", ev)
	}
	return pass(fmt.Sprintf("no unresolved KEV-listed vulnerability among %d matches (%s)", len(rep.Results), rep.Source), nil)
}

func checkVulnsAssessed(c *checker) outcome {
	rep := c.a.Vulnerabilities
	if rep == nil {
		return pass("no vulnerability database given (--db); run with --db to match dependencies against OSV records", nil)
	}
	var ev []assessment.Evidence
	var ids []string
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Decision != nil {
			continue
		}
		ids = append(ids, r.ID+" in "+r.Dependency)
		ev = append(ev, c.dependencyEvidence(r, "unassessed, severity "+r.Severity))
	}
	if len(ids) > 0 {
		return fail(fmt.Sprintf("%s without an assessment: %s", plural(len(ids), "known vulnerability"), listIDs(ids)),
			"record a decision for each with ward vulns set ID --dependency DEP --status ...", ev)
	}
	return pass(fmt.Sprintf("%s assessed, of %s checked (%s)", plural(len(rep.Results), "known vulnerability"), plural(rep.Checked, "dependency"), rep.Source), nil)
}

// dependencyEvidence points at the dependency a result concerns.
func (c *checker) dependencyEvidence(r *vuln.Result, note string) assessment.Evidence {
	for i := range c.m.Dependencies {
		d := &c.m.Dependencies[i]
		if d.ID == r.Dependency {
			return c.at("dependency", d.ID, d.Pos(), r.ID+": "+note)
		}
	}
	return assessment.Evidence{Kind: "dependency", ID: r.Dependency, Note: r.ID + ": " + note}
}
