package conformance

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/vuln"
)

// Known vulnerabilities: clause 7.2 asks for vulnerabilities to be
// identified, and FDA expects every known one assessed and CISA's Known
// Exploited Vulnerabilities designed out.

// kevFix names both inputs the KEV check needs.
const kevFix = "run with --db (an offline OSV database) and --kev (CISA's known_exploited_vulnerabilities.json) " +
	"to match dependencies against OSV records and look each match up in the KEV catalog"

// purlFix is the fix that makes dependencies matchable.
const purlFix = "set purl (and version) on the dependencies, or list CycloneDX or SPDX SBOMs under sboms"

func checkKEV(c *checker) outcome {
	rep := c.a.Vulnerabilities
	if rep == nil {
		return notChecked("no vulnerability database given, so no dependency was looked up in the KEV catalog", kevFix)
	}
	if rep.Checked == 0 {
		return notChecked("no dependency has a usable package URL (purl), so none was matched against known vulnerabilities or looked up in the KEV catalog", purlFix)
	}
	if rep.KEV == nil {
		msg := fmt.Sprintf("no KEV catalog given, so none of the %s found was looked up in it", diag.Count(len(rep.Results), "known vulnerability", "known vulnerabilities"))
		if len(rep.Results) == 0 {
			msg = "no KEV catalog given, so KEV listing was not looked up (the database matched no known vulnerability)"
		}
		return notChecked(msg, "run with --kev and CISA's known_exploited_vulnerabilities.json as well as --db")
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
		return fail(fmt.Sprintf("%s in the CISA Known Exploited Vulnerabilities catalog still present: %s%s", diag.Count(len(ids), "vulnerability", "vulnerabilities"), listIDs(ids), c.notLookedUp(rep)),
			"upgrade the dependencies to a fixed version, or record not-affected with a VEX justification (ward vulns set)", ev)
	}
	msg := fmt.Sprintf("no unresolved KEV-listed vulnerability among %s of %s looked up (%s, %s)%s",
		fmt.Sprintf("%d %s", len(rep.Results), diag.Agree(len(rep.Results), "match", "matches")), diag.Count(rep.Checked, "dependency", "dependencies"), rep.Source, kevName(rep.KEV), c.notLookedUp(rep))
	if stale := c.staleKEV(rep.KEV); stale != "" {
		return warn(msg+stale, "download CISA's current known_exploited_vulnerabilities.json and run again with --kev", nil)
	}
	return pass(msg, nil)
}

// staleKEV returns, for appending to a message, a note that the KEV
// catalog is more than MaxDatabaseAge days older than the assessment
// date, or "" when it is not or its date is unknown. CISA versions the
// catalog by its release date, such as 2025.08.25.
func (c *checker) staleKEV(k *vuln.KEVCatalog) string {
	if c.today.IsZero() || k == nil {
		return ""
	}
	released, ok := model.Date(strings.ReplaceAll(k.Version, ".", "-")).Time()
	if !ok {
		return ""
	}
	age := daysBetween(released, c.today)
	if age <= MaxDatabaseAge {
		return ""
	}
	return fmt.Sprintf("; the KEV catalog is dated %s, %d days before the assessment date %s (more than %d days), so vulnerabilities listed since then were not looked up",
		released.Format(model.DateLayout), age, c.today.Format(model.DateLayout), MaxDatabaseAge)
}

func checkVulnsAssessed(c *checker) outcome {
	rep := c.a.Vulnerabilities
	if rep == nil {
		return notChecked("no vulnerability database given, so no dependency was matched against known vulnerabilities",
			"run with --db and an offline OSV database (a folder of records or osv.dev zip archives)")
	}
	if rep.Checked == 0 {
		return notChecked("no dependency has a usable package URL (purl), so none was matched against known vulnerabilities", purlFix)
	}
	var ev []assessment.Evidence
	var ids []string
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Decision != nil {
			continue
		}
		ids = append(ids, r.ID+" in "+r.Dependency)
		note := "unassessed, severity not stated"
		if r.Severity != "" {
			note = "unassessed, severity " + r.Severity
		}
		ev = append(ev, c.dependencyEvidence(r, note))
	}
	stale := c.staleDatabase(rep)
	if len(ids) > 0 {
		fix := "record a decision for each with ward vulns set ID --dependency DEP --status ..."
		if stale != "" {
			fix += "; " + staleDatabaseFix
		}
		return fail(fmt.Sprintf("%s without an assessment: %s%s%s", diag.Count(len(ids), "known vulnerability", "known vulnerabilities"), listIDs(ids), c.notLookedUp(rep), stale),
			fix, ev)
	}
	msg := fmt.Sprintf("%s assessed, of %s looked up (%s)%s",
		diag.Count(len(rep.Results), "known vulnerability", "known vulnerabilities"), diag.Count(rep.Checked, "dependency", "dependencies"), rep.Source, c.notLookedUp(rep))
	if stale != "" {
		return warn(msg+stale, staleDatabaseFix, nil)
	}
	return pass(msg, nil)
}

// MaxDatabaseAge is how many days the OSV database may be older than the
// assessment date before fda.vulns-assessed warns. Advisories are
// published every day, so an old database misses vulnerabilities that are
// already public. Thirty days is a choice, not a figure from a standard:
// it lets a team refresh the database once a month without a warning.
const MaxDatabaseAge = 30

// staleDatabaseFix is the fix for a database older than MaxDatabaseAge.
const staleDatabaseFix = "download a current OSV database (osv.dev archives) and run again; if the database was downloaded later than its newest record, " +
	"give the download date with --db-date YYYY-MM-DD"

// staleDatabase returns, for appending to a message, a note that the
// database is more than MaxDatabaseAge days older than the assessment
// date, or "" when it is not or either date is unknown.
func (c *checker) staleDatabase(rep *vuln.Report) string {
	if c.today.IsZero() || rep.Date == "" {
		return ""
	}
	dbDate, ok := model.Date(rep.Date).Time()
	if !ok {
		return ""
	}
	age := daysBetween(dbDate, c.today)
	if age <= MaxDatabaseAge {
		return ""
	}
	return fmt.Sprintf("; the database is dated %s, %d days before the assessment date %s (more than %d days), so vulnerabilities published since then were not matched",
		rep.Date, age, c.today.Format(model.DateLayout), MaxDatabaseAge)
}

// notLookedUp returns, for appending to a message, the dependencies that
// the scan could not look up in the database and why, or "" when it
// looked up every one. A dependency without a purl (an RTOS, a vendor
// driver), or with a purl that no OSV ecosystem covers, is never matched,
// so neither its known vulnerabilities nor their KEV listing were
// examined.
func (c *checker) notLookedUp(rep *vuln.Report) string {
	if len(rep.Unchecked) == 0 {
		return ""
	}
	var noPurl, noEcosystem []string
	for _, id := range rep.Unchecked {
		d := c.dependency(id)
		if d == nil || d.Purl == "" {
			noPurl = append(noPurl, id)
			continue
		}
		noEcosystem = append(noEcosystem, id)
	}
	var parts []string
	if len(noPurl) > 0 {
		parts = append(parts, fmt.Sprintf("%d without a purl (%s)", len(noPurl), listIDs(noPurl)))
	}
	if len(noEcosystem) > 0 {
		parts = append(parts, fmt.Sprintf("%d whose purl names no OSV ecosystem or distribution (%s)", len(noEcosystem), listIDs(noEcosystem)))
	}
	total := rep.Checked + len(rep.Unchecked)
	return fmt.Sprintf("; %d of %s %s not looked up, so %s known vulnerabilities were not examined: %s",
		len(rep.Unchecked), diag.Count(total, "dependency", "dependencies"), diag.Agree(len(rep.Unchecked), "was", "were"),
		diag.Agree(len(rep.Unchecked), "its", "their"), joinAnd(parts))
}

// dependency returns the model's dependency with the given ID, or nil.
func (c *checker) dependency(id string) *model.Dependency {
	for i := range c.m.Dependencies {
		if c.m.Dependencies[i].ID == id {
			return &c.m.Dependencies[i]
		}
	}
	return nil
}

// kevName names a KEV catalog by its version, or by its file when it has
// no version.
func kevName(k *vuln.KEVCatalog) string {
	if k.Version != "" {
		return "KEV catalog " + k.Version
	}
	if k.File != "" {
		return "KEV catalog " + k.File
	}
	return "KEV catalog"
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
