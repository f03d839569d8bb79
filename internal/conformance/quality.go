package conformance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// Model quality: the defects auditors find in threat models that otherwise
// list every clause 7.2 item.

// checkDebugPortState requires each debug port and board connection to
// state what it is on shipped units, or to name a control that covers it.
func checkDebugPortState(c *checker) outcome {
	hardware := c.interfacesWhere(isHardwareAccess)
	if len(hardware) == 0 {
		s := &c.m.System
		if reason := strings.TrimSpace(s.NotApplicable["tm.board-connections"]); reason != "" {
			return notApplicable("tm.board-connections is declared not applicable, so no debug port or board connection was examined: "+reason,
				[]assessment.Evidence{c.at("system", "not_applicable", s.KeyPos("not_applicable", "tm.board-connections"), "tm.board-connections")})
		}
		return notChecked("no interface is a debug port or a board or enclosure connection, so no production state was examined",
			"document debug ports (debug: true) and board connections (exposure: board or enclosure) under interfaces with their production state; "+
				"if the product has none, record why under system.not_applicable with key tm.board-connections")
	}

	bad := slices.DeleteFunc(slices.Clone(hardware), func(f *model.Interface) bool { return f.Production != "" || len(f.Controls) > 0 })
	if len(bad) > 0 {
		ev := interfaceEvidence(c, bad)
		ids := make([]string, len(bad))
		for i, f := range bad {
			ids[i] = f.ID
		}
		return fail(fmt.Sprintf("%s without a production state or control: %s", diag.Count(len(bad), "debug port or board connection", "debug port or board connections"), listIDs(ids)),
			"set production (enabled, disabled, locked, fused, authenticated or removed) or list the controls that protect it", ev)
	}
	kind := "are debug ports or board connections"
	if len(hardware) == 1 {
		kind = "is a debug port or board connection"
	}
	return pass(fmt.Sprintf("%s that %s, each stating its production state or a control", diag.Count(len(hardware), "interface", "interfaces"), kind), nil)
}

// isHardwareAccess reports whether an interface is a debug port or a
// connection on the circuit board or inside the enclosure.
func isHardwareAccess(f *model.Interface) bool {
	return f.IsDebug() || f.Exposure == "board" || f.Exposure == "enclosure"
}

func checkBoundaryFlowDecisions(c *checker) outcome {
	if len(c.m.Flows) == 0 {
		return notChecked("no flows are listed, so no authentication or encryption decision was examined",
			"add the flows between elements; tm.data-flows reports the same gap")
	}
	if !slices.ContainsFunc(c.m.Elements, func(e model.Element) bool { return e.Boundary != "" }) {
		return notChecked("no element is placed in a trust boundary, so no flow was examined for crossing one",
			"add trust boundaries and set boundary on each process and store; tm.trust-boundaries reports the same gap")
	}
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
		return fail(fmt.Sprintf("%s crossing a trust boundary %s an authentication or encryption decision: %s", diag.Count(len(ids), "flow", "flows"), diag.Agree(len(ids), "lacks", "lack"), listIDs(ids)),
			"set authentication (none, one-way or mutual) and encryption (true or false) on each; writing none or false is a decision too", ev)
	}
	if crossing == 0 {
		return notApplicable(fmt.Sprintf("none of %s crosses a trust boundary, so no authentication or encryption decision was examined",
			diag.Count(len(c.m.Flows), "flow", "flows")), nil)
	}
	return pass(fmt.Sprintf("all %s crossing trust boundaries state authentication and encryption", diag.Count(crossing, "flow", "flows")), nil)
}

// dependenciesFix is the fix of a check that found no dependency to examine.
const dependenciesFix = "list the dependencies under dependencies with classification, support.level and support.ends, " +
	"or import an SBOM with ward sbom import; tm.dependencies reports the same gap"

func checkDependencyFields(c *checker) outcome {
	if len(c.m.Dependencies) == 0 {
		return notChecked("no dependencies are listed, so no classification, support level or end-of-support date was examined", dependenciesFix)
	}
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
		return fail(fmt.Sprintf("%s without classification, support level or end-of-support date: %s", diag.Count(len(ids), "dependency", "dependencies"), listIDs(ids)),
			"set classification (maintained, supported or required, per IEC 81001-5-1 4.3), support.level and support.ends", ev)
	}
	return pass(fmt.Sprintf("%s classified with support level and end-of-support date", diag.Count(len(c.m.Dependencies), "dependency", "dependencies")), nil)
}

// checkEndOfSupport compares each dependency's support.ends with the
// assessment date. A dependency without a date cannot be compared: when
// others were, the result is a warning that names it, because a pass would
// claim more than was checked, and quality.dependency-fields already fails
// on the missing date.
func checkEndOfSupport(c *checker) outcome {
	deps := c.m.Dependencies
	if len(deps) == 0 {
		return notChecked("no dependencies are listed, so no end of support was compared", dependenciesFix)
	}
	if c.today.IsZero() {
		return notChecked("no assessment date given, so no end-of-support date was compared", "give the assessment date with --date YYYY-MM-DD")
	}
	today := c.today.Format(model.DateLayout)

	var pastEv, undatedEv, datedEv []assessment.Evidence
	var past, undated []string
	for i := range deps {
		d := &deps[i]
		ends, dated := d.Support.Ends.Time()
		switch {
		case d.Support.Level == "end-of-life" || dated && !ends.After(c.today):
			past = append(past, d.ID)
			pastEv = append(pastEv, c.at("dependency", d.ID, d.Support.FieldPos("ends"), fmt.Sprintf("support %s, ends %s", d.Support.Level, d.Support.Ends)))
		case !dated:
			undated = append(undated, d.ID)
			undatedEv = append(undatedEv, c.at("dependency", d.ID, d.Pos(), "no support.ends"))
		default:
			datedEv = append(datedEv, c.at("dependency", d.ID, d.Support.FieldPos("ends"), "ends "+string(d.Support.Ends)))
		}
	}
	notCompared := func(without string) string {
		return fmt.Sprintf("%d without %s %s not compared: %s", len(undated), without, diag.Agree(len(undated), "was", "were"), listIDs(undated))
	}
	const datesFix = "set support.ends, the date the supplier stops security fixes, on each dependency"

	switch {
	case len(past) > 0:
		msg := fmt.Sprintf("%s past the end of support: %s", diag.Count(len(past), "dependency", "dependencies"), listIDs(past))
		if len(undated) > 0 {
			msg += "; " + notCompared("an end-of-support date")
		}
		return fail(msg, "replace or upgrade them, or record how they are maintained (classification: maintained) and the threat accepted", pastEv)
	case len(datedEv) == 0:
		return notChecked(fmt.Sprintf("none of %s has support.ends, so none was compared with %s", diag.Count(len(deps), "dependency", "dependencies"), today), datesFix)
	case len(undated) > 0:
		return warn(fmt.Sprintf("%d of %s %s an end-of-support date, none past %s; %s",
			len(datedEv), diag.Count(len(deps), "dependency", "dependencies"), diag.Agree(len(datedEv), "has", "have"), today, notCompared("one")), datesFix, undatedEv)
	}
	if len(deps) == 1 {
		return pass(fmt.Sprintf("the only dependency, %s, has an end-of-support date after %s", deps[0].ID, today), datedEv)
	}
	return pass(fmt.Sprintf("all %s have an end-of-support date after %s", diag.Count(len(deps), "dependency", "dependencies"), today), datedEv)
}

// noThreatsFix is the fix of a check that found no threat to examine.
const noThreatsFix = "add elements, flows and interfaces in scope, or hand-written threats; tm.threats reports the same gap"

func checkDispositions(c *checker) outcome {
	if len(c.threats) == 0 {
		return notChecked("no threats are identified, so no disposition was examined", noThreatsFix)
	}
	undecided := c.threatsWhere(func(t *threat.Threat) bool { return t.Disposition.Entry == nil && t.Rule != "" && !isManual(t) })
	if len(undecided) > 0 {
		return fail(fmt.Sprintf("%d of %s %s no disposition", len(undecided), diag.Count(len(c.threats), "threat", "threats"), diag.Agree(len(undecided), "has", "have")),
			"add threats entries (match: ID or glob) with a status for each, or run ward threat set ID --status ...",
			threatEvidence(undecided, func(t *threat.Threat) string { return t.Title }))
	}
	return pass(fmt.Sprintf("every one of %s has a disposition", diag.Count(len(c.threats), "threat", "threats")), nil)
}

// isManual reports whether a threat was written by hand, which makes its
// own entry its disposition.
func isManual(t *threat.Threat) bool {
	return slices.ContainsFunc(t.Findings, func(f threat.Finding) bool { return f.Method == threat.MethodManual })
}

func checkJustifications(c *checker) outcome {
	decided := c.threatsWhere(func(t *threat.Threat) bool {
		switch t.Disposition.Status {
		case "accepted", "transferred", "not-applicable":
			return true
		}
		return false
	})
	if len(decided) == 0 {
		return notApplicable("no threat is accepted, transferred or not-applicable, so no justification was examined", nil)
	}
	bad := slices.DeleteFunc(slices.Clone(decided), func(t *threat.Threat) bool { return strings.TrimSpace(t.Disposition.Justification) != "" })
	if len(bad) > 0 {
		return fail(fmt.Sprintf("%s accepted, transferred or marked not applicable without a justification", diag.Count(len(bad), "threat", "threats")),
			"write a justification on each of their threats entries", threatEvidence(bad, func(t *threat.Threat) string { return t.Disposition.Status }))
	}
	statuses := map[string]int{}
	for _, t := range decided {
		statuses[t.Disposition.Status]++
	}
	return pass(fmt.Sprintf("%s (%s), each with a justification", diag.Count(len(decided), "threat", "threats"), countKinds(statuses)), nil)
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
			diag.Count(undecided, "threat", "threats"), diag.Agree(undecided, "is", "are"))
	}
	if len(untracked) > 0 {
		return fail(trackerMessage(untrackedThreats, untrackedIssues)+scope,
			"set tracker (a URL or ticket ID) or issue on each, or export them with ward issues export", untracked)
	}
	if len(tracked) == 0 {
		return notApplicable("no threats entry has status open and no issue is unresolved, so no tracker link was examined"+scope, nil)
	}
	var parts []string
	if len(openEntries) > 0 {
		parts = append(parts, diag.Count(len(openEntries), "threat", "threats")+" kept open by "+diag.Agree(len(openEntries), "its", "their")+" threats entry")
	}
	if len(unresolved) > 0 {
		parts = append(parts, diag.Count(len(unresolved), "unresolved issue", "unresolved issues"))
	}
	return pass(strings.Join(parts, " and ")+" "+diag.Agree(len(tracked), "is", "are")+" linked to a tracker or an issue"+scope, tracked)
}

func checkControlVerification(c *checker) outcome {
	if len(c.m.Controls) == 0 {
		return notChecked("no controls are listed, so no verification was examined",
			"list the security controls under controls, each with the verification (test, analysis or inspection) that shows it works")
	}
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
		return fail(fmt.Sprintf("%s without verification: %s", diag.Count(len(ids), "control", "controls"), listIDs(ids)),
			"set verification to the test, analysis or inspection that shows each control works", ev)
	}
	return pass(fmt.Sprintf("%s with a verification reference", diag.Count(len(c.m.Controls), "control", "controls")), nil)
}

// checkMitigations warns about threats with status mitigated that list no
// control with status implemented, because nothing is in place yet. The
// risk assessment already ignores such controls, but the status would
// still claim that the threat is handled.
func checkMitigations(c *checker) outcome {
	mitigated := c.threatsWhere(func(t *threat.Threat) bool { return t.Disposition.Status == "mitigated" })
	if len(mitigated) == 0 {
		return notApplicable("no threat has status mitigated, so no control status was examined", nil)
	}
	status := make(map[string]string, len(c.m.Controls))
	for i := range c.m.Controls {
		status[c.m.Controls[i].ID] = c.m.Controls[i].Status
	}
	var bad []*threat.Threat
	for _, t := range mitigated {
		if !slices.ContainsFunc(t.Disposition.Controls, func(id string) bool { return status[id] == "implemented" }) {
			bad = append(bad, t)
		}
	}
	if len(bad) > 0 {
		ids := make([]string, len(bad))
		for i, t := range bad {
			ids[i] = t.ID
		}
		return warn(fmt.Sprintf("%s marked mitigated %s no implemented control: %s",
			diag.Count(len(bad), "threat", "threats"), diag.Agree(len(bad), "lists", "list"), listIDs(ids)),
			"set status open (with a tracker) until a listed control is implemented, add an implemented control, "+
				"or set status accepted with a justification for the interim",
			threatEvidence(bad, func(t *threat.Threat) string { return c.controlStatusNote(t.Disposition.Controls, status) }))
	}
	return pass(fmt.Sprintf("%s marked mitigated, each listing at least one implemented control", diag.Count(len(mitigated), "threat", "threats")), nil)
}

// controlStatusNote formats the status of each listed control, as
// "C-1 planned, C-2 no status", or "no controls listed".
func (c *checker) controlStatusNote(ids []string, status map[string]string) string {
	if len(ids) == 0 {
		return "no controls listed"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		s, known := status[id]
		switch {
		case !known:
			s = "not a control of the model"
		case s == "":
			s = "no status"
		}
		parts[i] = id + " " + s
	}
	return strings.Join(parts, ", ")
}

// trackerMessage counts the open threats and unresolved issues that lack a
// tracker link, naming only the kinds that have any.
func trackerMessage(threats, issues int) string {
	var parts []string
	if threats > 0 {
		parts = append(parts, diag.Count(threats, "open threat", "open threats"))
	}
	if issues > 0 {
		parts = append(parts, diag.Count(issues, "unresolved issue", "unresolved issues"))
	}
	return strings.Join(parts, " and ") + " " + diag.Agree(threats+issues, "is", "are") + " not linked to a tracker or an issue"
}
