package threat

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// StatusOpen is the status of a threat no disposition matches.
const StatusOpen = "open"

// applyScope removes the threats of out-of-scope targets and returns the
// IDs and aliases they had, so that dispositions naming them can be told
// apart from typos. A hand-written threat against an out-of-scope item stays
// and gets a warning: its author wrote it on purpose.
func applyScope(threats []*candidate, diags *diag.List) (kept []*candidate, outIDs map[string]string) {
	outIDs = make(map[string]string)
	kept = threats[:0]
	for _, th := range threats {
		if !th.t.out {
			kept = append(kept, th)
			continue
		}
		if isOnlyMethod(th.Findings, MethodManual) {
			diags.Warn(th.t.Pos, "threat-out-of-scope", "",
				fmt.Sprintf("hand-written threat %s is against %s, which is out of scope", th.ID, th.t.ID),
				"remove the threat or bring the item back into scope")
			kept = append(kept, th)
			continue
		}
		outIDs[th.ID] = th.t.ID
		for _, a := range th.Aliases {
			outIDs[a] = th.t.ID
		}
	}
	return kept, outIDs
}

// applySuppressions moves the threats that a suppress entry of their target
// names into the suppressed list. An entry's rule is a path.Match glob
// matched against the threat's rule ID and the rule IDs of its aliases.
// Hand-written threats cannot be suppressed: delete them instead.
func applySuppressions(ix *index, threats []*candidate, diags *diag.List) (kept, suppressed []*candidate) {
	type entryKey struct {
		t *target
		i int
	}
	used := make(map[entryKey]bool)

	kept = threats[:0]
	for _, th := range threats {
		t := th.t
		if len(t.suppress) == 0 || isOnlyMethod(th.Findings, MethodManual) {
			kept = append(kept, th)
			continue
		}
		matched := -1
		for i, s := range t.suppress {
			if suppressionMatches(s.Rule, th) {
				matched = i
				break
			}
		}
		if matched < 0 {
			kept = append(kept, th)
			continue
		}
		used[entryKey{t, matched}] = true
		th.suppressedBy = &t.suppress[matched]
		suppressed = append(suppressed, th)
	}

	for _, t := range ix.targets {
		for i, s := range t.suppress {
			p := t.suppressPath + "[" + strconv.Itoa(i) + "].rule"
			if _, err := path.Match(s.Rule, ""); err != nil {
				diags.Add(s.FieldPos("rule"), "invalid-glob", p,
					fmt.Sprintf("suppress rule %q is not a valid glob: %v", s.Rule, err),
					"use * and ? as wildcards and close every [ with ]")
				continue
			}
			if !used[entryKey{t, i}] && !t.out {
				fix := "remove the entry, or correct the rule ID; ward threats --element " + t.ID + " lists the rules that fire"
				fix = didYouMean(closestIDs(s.Rule, rulesFound(t))) + fix
				diags.Warn(s.FieldPos("rule"), "unused-suppression", p,
					fmt.Sprintf("suppress rule %q matches no threat of %s", s.Rule, t.ID), fix)
			}
		}
	}
	return kept, suppressed
}

func suppressionMatches(pattern string, th *candidate) bool {
	if globMatch(pattern, th.rule()) {
		return true
	}
	for _, a := range th.Aliases {
		rule, _, _ := strings.Cut(a, "@")
		if globMatch(pattern, rule) {
			return true
		}
	}
	return false
}

func globMatch(pattern, s string) bool {
	if pattern == s {
		return true
	}
	ok, err := path.Match(pattern, s)
	return err == nil && ok
}

// isGlob reports whether a match pattern has wildcards.
func isGlob(pattern string) bool { return strings.ContainsAny(pattern, "*?[\\") }

// literalLength counts the characters of a glob that are not wildcards; a
// longer literal part makes a pattern more specific.
func literalLength(pattern string) int {
	n := 0
	for _, r := range pattern {
		if r != '*' && r != '?' {
			n++
		}
	}
	return n
}

// dispositionEntry is a threats entry with match:, ready to match.
type dispositionEntry struct {
	entry   *model.ThreatEntry
	path    string
	glob    bool
	literal int
	matched bool
}

// applyDispositions sets each threat's disposition from the model's threats
// entries. For each threat the entry that matches its ID or an alias exactly
// wins; otherwise the matching glob with the longest literal part; ties go
// to the entry written first. A hand-written threat takes its disposition
// from its own entry. Entries that match no threat are errors that name the
// closest threat ID; those that match only threats of out-of-scope items or
// suppressed threats are not. When restricted is true some method did not
// run, so the unmatched entries are reported together as one warning.
// Likewise, unmatched entries that can only name threats raised by known
// vulnerabilities are one warning (see vulnerabilityEntries).
func applyDispositions(m *model.Model, threats, suppressed []*candidate, outIDs map[string]string, restricted bool, vulnerable vulnerabilityEntries, diags *diag.List) {
	var exact = make(map[string]*dispositionEntry)
	var globs []*dispositionEntry
	var all []*dispositionEntry
	for i := range m.Threats {
		e := &m.Threats[i]
		if e.Match == "" || e.ID != "" {
			continue
		}
		d := &dispositionEntry{entry: e, path: "threats[" + strconv.Itoa(i) + "].match"}
		all = append(all, d)
		if isGlob(e.Match) {
			if _, err := path.Match(e.Match, ""); err != nil {
				diags.Add(e.FieldPos("match"), "invalid-glob", d.path,
					fmt.Sprintf("match %q is not a valid glob: %v", e.Match, err),
					"use * and ? as wildcards and close every [ with ]")
				d.matched = true // reported already
				continue
			}
			d.glob, d.literal = true, literalLength(e.Match)
			globs = append(globs, d)
			continue
		}
		if _, dup := exact[e.Match]; !dup {
			exact[e.Match] = d
		} else {
			diags.Warn(e.FieldPos("match"), "duplicate-disposition", d.path,
				fmt.Sprintf("threat %s already has a disposition at %s; this one is ignored", e.Match, exact[e.Match].entry.Pos()),
				"merge the two entries")
			d.matched = true
		}
	}

	find := func(th *candidate) *dispositionEntry {
		var best *dispositionEntry
		if len(exact) > 0 {
			for i := -1; i < len(th.Aliases); i++ {
				id := th.ID
				if i >= 0 {
					id = th.Aliases[i]
				}
				if d := exact[id]; d != nil {
					d.matched = true
					if best == nil {
						best = d
					}
				}
			}
		}
		for _, d := range globs {
			hit := globMatch(d.entry.Match, th.ID)
			for i := 0; !hit && i < len(th.Aliases); i++ {
				hit = globMatch(d.entry.Match, th.Aliases[i])
			}
			if !hit {
				continue
			}
			d.matched = true
			if best == nil || (best.glob && d.literal > best.literal) {
				best = d
			}
		}
		return best
	}

	handWritten := make(map[string]*model.ThreatEntry)
	for i := range m.Threats {
		if e := &m.Threats[i]; e.ID != "" && e.Match == "" {
			handWritten[e.ID] = e
		}
	}

	for _, c := range threats {
		d := find(c)
		hw := handWrittenEntry(handWritten, c)
		switch {
		case hw != nil && hw.Status != "":
			c.entry = hw
		case d != nil:
			c.entry = d.entry
		case hw != nil:
			c.entry = hw
		}
	}
	for _, c := range suppressed {
		find(c)
	}

	// Every ID a disposition could have meant, for did-you-mean.
	var known []string
	var unchecked, needData []*dispositionEntry
	for _, d := range all {
		if d.matched {
			continue
		}
		if known == nil {
			for _, th := range threats {
				known = append(known, th.ID)
				known = append(known, th.Aliases...)
			}
		}
		if target, ok := outOfScopeMatch(d.entry.Match, outIDs); ok {
			diags.Warn(d.entry.FieldPos("match"), "disposition-out-of-scope", d.path,
				fmt.Sprintf("match %q names only threats of %s, which is out of scope", d.entry.Match, target),
				"remove the entry, or bring the item back into scope")
			continue
		}
		if restricted {
			unchecked = append(unchecked, d)
			continue
		}
		if vulnerable.only(d.entry.Match) {
			needData = append(needData, d)
			continue
		}
		fix := "run ward threats to list the threat IDs"
		fix = didYouMean(suggestMatch(d.entry.Match, known)) + fix
		diags.Add(d.entry.FieldPos("match"), "unmatched-disposition", d.path,
			fmt.Sprintf("match %q matches no identified threat", d.entry.Match), fix)
	}
	if len(unchecked) > 0 {
		d := unchecked[0]
		diags.Warn(d.entry.FieldPos("match"), "unchecked-dispositions", d.path,
			fmt.Sprintf("%s, starting with match %q, %s no threat of the methods that ran, so they were not checked", diag.Count(len(unchecked), "entry under threats", "entries under threats"), d.entry.Match, diag.Agree(len(unchecked), "matches", "match")),
			"run without --methods to check every disposition")
	}
	if len(needData) > 0 {
		d := needData[0]
		entries := fmt.Sprintf("%s, starting with match %q, %s threats that only known vulnerabilities raise", diag.Count(len(needData), "entry under threats", "entries under threats"), d.entry.Match, diag.Agree(len(needData), "names", "name"))
		if vulnerable.looked {
			diags.Warn(d.entry.FieldPos("match"), "no-matching-vulnerabilities", d.path,
				entries+", and the vulnerability database reports none that "+diag.Agree(len(needData), "it matches", "they match"),
				"keep the entries to decide such threats once vulnerabilities are published, or remove them")
		} else {
			diags.Warn(d.entry.FieldPos("match"), "unchecked-vulnerability-dispositions", d.path,
				entries+", and no vulnerability database was read, so they were not checked",
				"pass --db with the OSV database to check them")
		}
	}
}

// vulnerabilityEntries selects, for applyDispositions, the unmatched
// entries that name threats only known vulnerabilities raise. Such an
// entry matching nothing is no mistake. Without a database no vulnerability
// was looked up, and with one the dependency may have none published yet,
// or none left after an update. Either way it is one warning, not an error.
type vulnerabilityEntries struct {
	only   func(pattern string) bool
	looked bool
}

func outOfScopeMatch(pattern string, outIDs map[string]string) (string, bool) {
	if t, ok := outIDs[pattern]; ok {
		return t, true
	}
	if !isGlob(pattern) {
		return "", false
	}
	first := ""
	for id, t := range outIDs {
		if globMatch(pattern, id) && (first == "" || t < first) {
			first = t
		}
	}
	return first, first != ""
}

func dispositionFrom(e *model.ThreatEntry) Disposition {
	status := e.Status
	if status == "" {
		status = StatusOpen
	}
	return Disposition{
		Status:          status,
		Controls:        e.Controls,
		Justification:   e.Justification,
		CVSS:            e.CVSS,
		Hazards:         e.Hazards,
		HazardRationale: e.HazardRationale,
		Issue:           e.Issue,
		Tracker:         e.Tracker,
		Entry:           e,
		Pos:             e.Pos(),
	}
}

// onlyVulnerabilityRules returns a test of whether a match pattern can only
// name threats that known vulnerabilities raise: its rule part, before the
// @, matches the known-vulnerability method's rule or a library rule that
// tests the known_vulnerabilities fact, and no other rule. A pattern
// without an @ names one threat by its ID and never passes.
func onlyVulnerabilityRules(lib *catalog.Library, r *results) func(pattern string) bool {
	var others []string
	for _, category := range model.STRIDECategories.IDs() {
		others = append(others, strideRulePrefix+category)
	}
	for _, c := range privacyCategories {
		others = append(others, privacyRulePrefix+c.id)
	}
	if lib != nil {
		for _, rule := range lib.Rules {
			if !r.knownVulnerabilityRules[rule.ID] {
				others = append(others, rule.ID)
			}
		}
	}
	return func(pattern string) bool {
		rulePart, _, ok := strings.Cut(pattern, "@")
		if !ok {
			return false
		}
		for _, other := range others {
			if globMatch(rulePart, other) {
				return false
			}
		}
		if globMatch(rulePart, knownVulnerabilityRule) {
			return true
		}
		for rule := range r.knownVulnerabilityRules {
			if globMatch(rulePart, rule) {
				return true
			}
		}
		return false
	}
}
