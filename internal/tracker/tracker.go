// Package tracker turns open threats and unresolved security-related issues
// into items for the trackers where problem resolution happens, as clause
// 9.4 of IEC 81001-5-1 asks. It writes a generic CSV or JSON file, GitHub
// issue bodies, and a CSV in the shape Jira's importer reads.
//
// The link back is the model's tracker field: once an item has one, it is
// left out of later exports unless the caller asks for all items.
package tracker

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
)

// Item is one threat or issue to be tracked.
type Item struct {
	// Key is the threat or issue ID in the model; trackers keep it so the
	// item can be found again.
	Key  string `json:"key"`
	Kind string `json:"kind"` // threat or issue
	// Title is short enough for a tracker's summary line.
	Title  string `json:"title"`
	Status string `json:"status"`
	// Priority is highest, high, medium or low.
	Priority string   `json:"priority"`
	Target   string   `json:"target,omitempty"`
	Labels   []string `json:"labels"`
	// Body is the Markdown description: what the threat or issue is and the
	// fields problem resolution needs.
	Body    string `json:"body"`
	Tracker string `json:"tracker,omitempty"`
	// Model is the file and line where the item is defined or decided.
	Model string `json:"model,omitempty"`
}

// Options select the items.
type Options struct {
	// All includes items that already have a tracker link.
	All bool
}

// Items returns the open threats and unresolved issues of a, threats first,
// each list in ID order.
func Items(a *assessment.Assessment, opts Options) []Item {
	var items []Item
	if a.Register != nil {
		for i := range a.Register.Threats {
			t := &a.Register.Threats[i]
			if t.Disposition.Status != threat.StatusOpen || (t.Disposition.Tracker != "" && !opts.All) {
				continue
			}
			items = append(items, threatItem(t, a))
		}
	}
	for i := range a.Model.Issues {
		is := &a.Model.Issues[i]
		if is.Status == "resolved" || is.Status == "closed" || (is.Tracker != "" && !opts.All) {
			continue
		}
		items = append(items, issueItem(is))
	}
	return items
}

func threatItem(t *threat.Threat, a *assessment.Assessment) Item {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", t.Description)
	fmt.Fprintf(&b, "- Threat ID: `%s`\n", t.ID)
	fmt.Fprintf(&b, "- Target: %s `%s` (%s)\n", t.Target.Kind, t.Target.ID, t.Target.Name)
	fmt.Fprintf(&b, "- STRIDE: %s\n", t.STRIDE)
	fmt.Fprintf(&b, "- Impact: confidentiality %s, integrity %s, availability %s\n",
		orNone(t.Impact.Confidentiality), orNone(t.Impact.Integrity), orNone(t.Impact.Availability))
	fmt.Fprintf(&b, "- Attack vector: %s\n", t.Vector)
	if len(t.Controls) > 0 {
		fmt.Fprintf(&b, "- Suggested control categories: %s\n", strings.Join(t.Controls, ", "))
	}
	if refs := referenceIDs(t.References); refs != "" {
		fmt.Fprintf(&b, "- References: %s\n", refs)
	}
	methods := make([]string, 0, len(t.Findings))
	for _, f := range t.Findings {
		if !slices.Contains(methods, f.Method) {
			methods = append(methods, f.Method)
		}
	}
	fmt.Fprintf(&b, "- Identified by: %s\n", strings.Join(methods, ", "))
	b.WriteString("\nRecord the decision in the model with `ward threat set " + t.ID + " --status ... --tracker URL`.\n")

	labels := []string{"security", "threat", t.STRIDE, "vector:" + t.Vector}
	return Item{
		Key:      t.ID,
		Kind:     "threat",
		Title:    fmt.Sprintf("[%s] %s", t.Target.ID, t.Title),
		Status:   t.Disposition.Status,
		Priority: threatPriority(t, a),
		Target:   t.Target.ID,
		Labels:   compact(labels),
		Body:     b.String(),
		Tracker:  t.Disposition.Tracker,
		Model:    posString(t.Target.Pos.File, t.Target.Pos.Line),
	}
}

func issueItem(is *model.Issue) Item {
	var b strings.Builder
	if is.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", is.Description)
	}
	fmt.Fprintf(&b, "- Issue ID: `%s`\n", is.ID)
	field := func(name, value string) {
		if value == "" {
			value = "not yet assessed"
		}
		fmt.Fprintf(&b, "- %s: %s\n", name, value)
	}
	field("Found by", is.Origin)
	field("CVSS", is.CVSS)
	field("Affected versions", strings.Join(is.AffectedVersions, ", "))
	field("Root cause", is.RootCause)
	field("Safety impact", is.SafetyImpact)
	if len(is.CWE) > 0 {
		field("CWE", strings.Join(is.CWE, ", "))
	}
	if len(is.Threats) > 0 {
		field("Threats", strings.Join(is.Threats, ", "))
	}
	field("Disclosure decision", is.Disclosure.Decision)

	labels := append([]string{"security", "issue"}, is.CWE...)
	return Item{
		Key:      is.ID,
		Kind:     "issue",
		Title:    fmt.Sprintf("[%s] %s", is.ID, is.Title),
		Status:   is.Status,
		Priority: issuePriority(is),
		Labels:   compact(labels),
		Body:     b.String(),
		Tracker:  is.Tracker,
		Model:    posString(is.Pos().File, is.Pos().Line),
	}
}

// threatPriority ranks a threat by its risk before controls, since an
// open threat has no controls in effect yet. Without a risk result it
// falls back to the impact: a high integrity or availability impact comes
// first because it can reach the patient.
func threatPriority(t *threat.Threat, a *assessment.Assessment) string {
	if r, ok := a.Risk(t.ID); ok {
		switch r.Before.Level {
		case risk.Critical:
			return "highest"
		case risk.High:
			return "high"
		case risk.Medium:
			return "medium"
		case risk.Low:
			return "low"
		}
	}
	switch {
	case t.Impact.Integrity == "high" || t.Impact.Availability == "high":
		return "highest"
	case t.Impact.Confidentiality == "high":
		return "high"
	case t.Impact.Integrity == "medium" || t.Impact.Availability == "medium" || t.Impact.Confidentiality == "medium":
		return "medium"
	default:
		return "low"
	}
}

// issuePriority ranks an issue by the severity of its CVSS vector, raised
// to highest when it states a safety impact other than none.
func issuePriority(is *model.Issue) string {
	if is.SafetyImpact != "" && !strings.HasPrefix(strings.ToLower(is.SafetyImpact), "none") {
		return "highest"
	}
	score, err := risk.ScoreVector(is.CVSS)
	if err != nil {
		return "medium"
	}
	switch score.Severity {
	case risk.SeverityCritical:
		return "highest"
	case risk.SeverityHigh:
		return "high"
	case risk.SeverityMedium:
		return "medium"
	}
	return "low"
}

func referenceIDs(refs []threat.Reference) string {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
		if r.Name != "" {
			ids[i] += " (" + r.Name + ")"
		}
	}
	return strings.Join(ids, ", ")
}

func orNone(level string) string {
	if level == "" {
		return "none"
	}
	return level
}

func compact(labels []string) []string {
	out := labels[:0]
	for _, l := range labels {
		if l != "" && l != "vector:" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func posString(file string, line int) string {
	if file == "" {
		return ""
	}
	if line == 0 {
		return file
	}
	return fmt.Sprintf("%s:%d", file, line)
}
