package conformance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// Model quality: the defects auditors find in threat models that otherwise
// list every clause 7.2 item.

// checkDebugPortState requires each debug port and board connection to
// state what it is on shipped units, or to name a control that covers it.
func checkDebugPortState(c *checker) outcome {
	bad := c.interfacesWhere(func(f *model.Interface) bool {
		hardware := f.Debug || f.Exposure == "board" || f.Exposure == "enclosure"
		return hardware && f.Production == "" && len(f.Controls) == 0
	})
	if len(bad) > 0 {
		ev := interfaceEvidence(c, bad)
		ids := make([]string, len(bad))
		for i, f := range bad {
			ids[i] = f.ID
		}
		return fail(fmt.Sprintf("%s without a production state or control: %s", plural(len(bad), "debug port or board connection"), listIDs(ids)),
			"set production (enabled, disabled, locked, fused, authenticated or removed) or list the controls that protect it", ev)
	}
	return pass("every debug port and board connection states its production state or control", nil)
}

func checkBoundaryFlowDecisions(c *checker) outcome {
	var ev []assessment.Evidence
	var ids []string
	crossing := 0
	for i := range c.m.Flows {
		f := &c.m.Flows[i]
		if f.Scope.Out || !c.crossesBoundary(f) {
			continue
		}
		crossing++
		var missing []string
		if f.Authentication == "" {
			missing = append(missing, "authentication")
		}
		if f.Encryption == nil {
			missing = append(missing, "encryption")
		}
		if len(missing) > 0 {
			ids = append(ids, f.ID)
			ev = append(ev, c.at("flow", f.ID, f.Pos(), "no "+strings.Join(missing, " or ")+" decision"))
		}
	}
	if len(ids) > 0 {
		return fail(fmt.Sprintf("%s crossing a trust boundary %s an authentication or encryption decision: %s", plural(len(ids), "flow"), verb(len(ids), "lacks", "lack"), listIDs(ids)),
			"set authentication (none, one-way or mutual) and encryption (true or false) on each; writing none or false is a decision too", ev)
	}
	return pass(fmt.Sprintf("all %s crossing trust boundaries state authentication and encryption", plural(crossing, "flow")), nil)
}

func checkDependencyFields(c *checker) outcome {
	var ev []assessment.Evidence
	var ids []string
	for i := range c.m.Dependencies {
		d := &c.m.Dependencies[i]
		var missing []string
		if d.Classification == "" {
			missing = append(missing, "classification")
		}
		if d.Support.Level == "" {
			missing = append(missing, "support.level")
		}
		if d.Support.Ends == "" {
			missing = append(missing, "support.ends")
		}
		if len(missing) > 0 {
			ids = append(ids, d.ID)
			ev = append(ev, c.at("dependency", d.ID, d.Pos(), "missing "+strings.Join(missing, ", ")))
		}
	}
	if len(ids) > 0 {
		return fail(fmt.Sprintf("%s without classification, support level or end-of-support date: %s", plural(len(ids), "dependency"), listIDs(ids)),
			"set classification (maintained, supported or required, per IEC 81001-5-1 4.3), support.level and support.ends", ev)
	}
	return pass(fmt.Sprintf("%s classified with support level and end-of-support date", plural(len(c.m.Dependencies), "dependency")), nil)
}

func checkEndOfSupport(c *checker) outcome {
	if c.today.IsZero() {
		return notChecked("no assessment date given, so no end-of-support date was compared", "give the assessment date with --date YYYY-MM-DD")
	}
	var ev []assessment.Evidence
	var ids []string
	for i := range c.m.Dependencies {
		d := &c.m.Dependencies[i]
		ends, ok := d.Support.Ends.Time()
		if d.Support.Level == "end-of-life" || (ok && !ends.After(c.today)) {
			ids = append(ids, d.ID)
			ev = append(ev, c.at("dependency", d.ID, d.Support.FieldPos("ends"), fmt.Sprintf("support %s, ends %s", d.Support.Level, d.Support.Ends)))
		}
	}
	if len(ids) > 0 {
		return fail(fmt.Sprintf("%s past the end of support: %s", plural(len(ids), "dependency"), listIDs(ids)),
			"replace or upgrade them, or record how they are maintained (classification: maintained) and the threat accepted", ev)
	}
	return pass("no dependency is past its end of support on "+c.today.Format(model.DateLayout), nil)
}

func checkDispositions(c *checker) outcome {
	undecided := c.threatsWhere(func(t *threat.Threat) bool { return t.Disposition.Entry == nil && t.Rule != "" && !isManual(t) })
	if len(undecided) > 0 {
		return fail(fmt.Sprintf("%d of %s %s no disposition", len(undecided), plural(len(c.threats), "threat"), verb(len(undecided), "has", "have")),
			"add threats entries (match: ID or glob) with a status for each, or run ward threat set ID --status ...",
			threatEvidence(undecided, func(t *threat.Threat) string { return t.Title }))
	}
	return pass(fmt.Sprintf("every one of %s has a disposition", plural(len(c.threats), "threat")), nil)
}

// isManual reports whether a threat was written by hand, which makes its
// own entry its disposition.
func isManual(t *threat.Threat) bool {
	return slices.ContainsFunc(t.Findings, func(f threat.Finding) bool { return f.Method == threat.MethodManual })
}

func checkJustifications(c *checker) outcome {
	bad := c.threatsWhere(func(t *threat.Threat) bool {
		switch t.Disposition.Status {
		case "accepted", "transferred", "not-applicable":
			return strings.TrimSpace(t.Disposition.Justification) == ""
		}
		return false
	})
	if len(bad) > 0 {
		return fail(fmt.Sprintf("%s accepted, transferred or marked not applicable without a justification", plural(len(bad), "threat")),
			"write a justification on each of their threats entries", threatEvidence(bad, func(t *threat.Threat) string { return t.Disposition.Status }))
	}
	return pass("every accepted, transferred or not-applicable threat is justified", nil)
}

// checkTrackerLinks looks at the threats whose threats entry keeps them
// open and at the issues not yet resolved or closed. A threat without any
// entry is left to quality.dispositions: it needs a decision before it
// needs a ticket.
func checkTrackerLinks(c *checker) outcome {
	openEntries := c.threatsWhere(func(t *threat.Threat) bool {
		return t.Disposition.Status == "open" && t.Disposition.Entry != nil
	})
	var unresolved []*model.Issue
	for i := range c.m.Issues {
		if !resolvedIssue(&c.m.Issues[i]) {
			unresolved = append(unresolved, &c.m.Issues[i])
		}
	}

	var untracked, tracked []assessment.Evidence
	untrackedThreats, untrackedIssues := 0, 0
	for _, t := range openEntries {
		link := cmp.Or(t.Disposition.Tracker, t.Disposition.Issue)
		if link == "" {
			untrackedThreats++
			untracked = append(untracked, threatEvidence([]*threat.Threat{t}, func(*threat.Threat) string { return "open, no tracker or issue" })...)
			continue
		}
		tracked = append(tracked, threatEvidence([]*threat.Threat{t}, func(*threat.Threat) string { return "open, tracked in " + link })...)
	}
	for _, is := range unresolved {
		if is.Tracker == "" {
			untrackedIssues++
			untracked = append(untracked, c.at("issue", is.ID, is.Pos(), is.Status+", no tracker"))
			continue
		}
		tracked = append(tracked, c.at("issue", is.ID, is.Pos(), is.Status+", tracked in "+is.Tracker))
	}

	scope := ""
	if undecided := len(c.threatsWhere(func(t *threat.Threat) bool { return t.Disposition.Entry == nil })); undecided > 0 {
		scope = fmt.Sprintf("; %s without a threats entry %s not examined here (quality.dispositions reports them)",
			plural(undecided, "threat"), verb(undecided, "is", "are"))
	}
	if len(untracked) > 0 {
		return fail(trackerMessage(untrackedThreats, untrackedIssues)+scope,
			"set tracker (a URL or ticket ID) or issue on each, or export them with ward issues export", untracked)
	}
	if len(tracked) == 0 {
		return pass("no threats entry has status open and no issue is unresolved, so nothing needs a tracker link"+scope, nil)
	}
	var parts []string
	if len(openEntries) > 0 {
		parts = append(parts, plural(len(openEntries), "threat")+" kept open by "+verb(len(openEntries), "its", "their")+" threats entry")
	}
	if len(unresolved) > 0 {
		parts = append(parts, plural(len(unresolved), "unresolved issue"))
	}
	return pass(strings.Join(parts, " and ")+" "+verb(len(tracked), "is", "are")+" linked to a tracker or an issue"+scope, tracked)
}

func checkControlVerification(c *checker) outcome {
	var ev []assessment.Evidence
	var ids []string
	for i := range c.m.Controls {
		ctl := &c.m.Controls[i]
		if ctl.Verification == "" {
			ids = append(ids, ctl.ID)
			ev = append(ev, c.at("control", ctl.ID, ctl.Pos(), ctl.Name))
		}
	}
	if len(ids) > 0 {
		return fail(fmt.Sprintf("%s without verification: %s", plural(len(ids), "control"), listIDs(ids)),
			"set verification to the test, analysis or inspection that shows each control works", ev)
	}
	return pass(fmt.Sprintf("%s with a verification reference", plural(len(c.m.Controls), "control")), nil)
}

// trackerMessage counts the open threats and unresolved issues that lack a
// tracker link, naming only the kinds that have any.
func trackerMessage(threats, issues int) string {
	var parts []string
	if threats > 0 {
		parts = append(parts, plural(threats, "open threat"))
	}
	if issues > 0 {
		parts = append(parts, plural(issues, "unresolved issue"))
	}
	return strings.Join(parts, " and ") + " " + verb(threats+issues, "is", "are") + " not linked to a tracker or an issue"
}
