package cli

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
	"github.com/wardtm/ward/internal/risk"
)

func newThreatCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "threat",
		Short: "Change the disposition of one threat in the model file",
	}
	cmd.AddCommand(newThreatSetCmd(e))
	return cmd
}

// threatSetFlags are the fields ward threat set can write.
type threatSetFlags struct {
	status, justification, cvss, issue, tracker, hazardRationale string
	controls, hazards                                            []string
}

func newThreatSetCmd(e *env) *cobra.Command {
	var (
		lf loadFlags
		f  threatSetFlags
	)
	cmd := &cobra.Command{
		Use:   "set ID [model]",
		Short: "Set the status, controls, CVSS vector or links of a threat",
		Long: `Set updates the threats entry whose match (or id, for a hand-written
threat) is ID, or appends a new entry that matches ID. Only the fields
given as flags change; a list flag (--control, --hazard) replaces the
whole list. Every value is checked before anything is written: the status
against the allowed statuses, the CVSS vector by scoring it, and controls,
hazards and issues against the IDs in the model.

The edit keeps comments, key order and formatting, and is written
atomically. It is refused when the file changed on disk while Ward was
working, and when the threats list lives in an included file rather than
the main model file.`,
		Example: `  ward threat set hw.debug-port-open@pump-swd --status mitigated --control C-DEBUG-LOCK \
      --justification "Readout protection is verified on every unit." --hazard HAZ-03`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := modelPath(args[1:])
			m, err := loadModel(e, path, lf.options())
			if err != nil {
				return err
			}
			fields, err := f.fields(cmd, m)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			if len(fields) == 0 {
				return withCode(ExitInvalid, errors.New("nothing to set; give at least one of --status, --control, --justification, --cvss, --hazard, --hazard-rationale, --issue, --tracker"))
			}
			if err := checkDecision(m, args[0], &f, cmd.Flags().Changed("status")); err != nil {
				return withCode(ExitInvalid, err)
			}
			action, err := setThreat(m, args[0], fields, lf.options())
			if err != nil {
				return err
			}
			if !strings.ContainsAny(args[0], "*?[") {
				fmt.Fprintf(e.stdout, "%s threats entry %s in %s\n", action, args[0], m.Files[0])
				return nil
			}
			// A glob may decide many threats or, when more specific entries
			// come first, none, so the count shows the user what changed.
			n, reason, err := threatsDecidedBy(m.Files[0], args[0], lf.options())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s threats entry %s in %s; it decides %s\n", action, args[0], m.Files[0], diag.Count(n, "threat", "threats"))
			if n == 0 && reason != "" {
				fmt.Fprintf(e.stdout, "  %s\n", reason)
			}
			return nil
		},
	}
	lf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.status, "status", "", "disposition: "+strings.Join(model.ThreatStatuses.IDs(), ", "))
	fl.StringArrayVar(&f.controls, "control", nil, "ID of a control that handles the threat (repeatable; replaces the list)")
	fl.StringVar(&f.justification, "justification", "", "why the status is right; required for accepted, transferred and not-applicable")
	fl.StringVar(&f.cvss, "cvss", "", "CVSS v3.0, v3.1 or v4.0 vector, such as CVSS:3.1/AV:P/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H")
	fl.StringArrayVar(&f.hazards, "hazard", nil, "ID of a hazard the threat can cause (repeatable; replaces the list)")
	fl.StringVar(&f.hazardRationale, "hazard-rationale", "", "why a threat with safety-relevant impact has no hazard link")
	fl.StringVar(&f.issue, "issue", "", "ID of the security-related issue that tracks the threat")
	fl.StringVar(&f.tracker, "tracker", "", "URL of the threat in the team's issue tracker")
	return cmd
}

// threatSetFlagNames names the flag or argument behind each key that
// ward threat set writes.
var threatSetFlagNames = editFlags{
	"match": "the ID argument", "id": "the ID argument",
	"status": "--status", "controls": "--control", "justification": "--justification", "cvss": "--cvss",
	"hazards": "--hazard", "hazard_rationale": "--hazard-rationale", "issue": "--issue", "tracker": "--tracker",
}

// fields checks the flags that were given and returns them as the fields to
// write, in the key order of the model format.
func (f *threatSetFlags) fields(cmd *cobra.Command, m *model.Model) (model.Mapping, error) {
	var problems []string
	changed := cmd.Flags().Changed
	var out model.Mapping

	if changed("status") {
		if !model.ThreatStatuses.Has(f.status) {
			problems = append(problems, notOneOf("--status", f.status, model.ThreatStatuses.IDs()))
		}
		out = append(out, model.Field{Key: "status", Value: f.status})
	}
	if changed("control") {
		ids := idsOf(m.Controls, func(c model.Control) string { return c.ID })
		problems = append(problems, unknownIDs("--control", f.controls, ids, "controls")...)
		out = append(out, model.Field{Key: "controls", Value: f.controls})
	}
	if changed("justification") {
		out = append(out, model.Field{Key: "justification", Value: f.justification})
	}
	if changed("cvss") {
		if _, err := risk.ScoreVector(f.cvss); err != nil {
			problems = append(problems, "--cvss: "+err.Error())
		}
		out = append(out, model.Field{Key: "cvss", Value: f.cvss})
	}
	if changed("hazard") {
		ids := idsOf(m.Hazards, func(h model.Hazard) string { return h.ID })
		problems = append(problems, unknownIDs("--hazard", f.hazards, ids, "hazards")...)
		out = append(out, model.Field{Key: "hazards", Value: f.hazards})
	}
	if changed("hazard-rationale") {
		out = append(out, model.Field{Key: "hazard_rationale", Value: f.hazardRationale})
	}
	if changed("issue") {
		ids := idsOf(m.Issues, func(i model.Issue) string { return i.ID })
		problems = append(problems, unknownIDs("--issue", []string{f.issue}, ids, "issues")...)
		out = append(out, model.Field{Key: "issue", Value: f.issue})
	}
	if changed("tracker") {
		if u, err := url.Parse(f.tracker); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("--tracker %q is not an http or https URL", f.tracker))
		}
		out = append(out, model.Field{Key: "tracker", Value: f.tracker})
	}
	if err := joinProblems(problems); err != nil {
		return nil, err
	}
	return out, nil
}

func idsOf[T any](items []T, id func(T) string) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	return ids
}

func unknownIDs(flag string, values, known []string, section string) []string {
	var problems []string
	for _, v := range values {
		if !slices.Contains(known, v) {
			problems = append(problems, notAnID(flag, v, section, known))
		}
	}
	return problems
}

// setThreat writes fields into the threats entry for id in the main model
// file, appending the entry when there is none. It returns "updated" or
// "added".
func setThreat(m *model.Model, id string, fields model.Mapping, opts model.LoadOptions) (string, error) {
	main := m.Files[0]
	if m.HasField("threats") && m.FieldPos("threats").File != main {
		return "", withCode(ExitInvalid, fmt.Errorf("the threats list is written in %s, not in the main model file %s; run the command on a model whose main file holds the threats list, or edit %s by hand",
			m.FieldPos("threats").File, main, m.FieldPos("threats").File))
	}

	index, found := -1, false
	n := 0
	for _, t := range m.Threats {
		inMain := t.Pos().File == main
		if t.Match == id || (t.Match == "" && t.ID == id) {
			if !inMain {
				return "", withCode(ExitInvalid, fmt.Errorf("the threats entry for %s is written in %s at %s, not in the main model file %s; edit it there by hand",
					id, t.Pos().File, t.Pos(), main))
			}
			index, found = n, true
			break
		}
		if inMain {
			n++
		}
	}

	fe, err := model.OpenEdit(main)
	if err != nil {
		return "", withCode(ExitInvalid, err)
	}
	action := "updated"
	if found {
		key := "match"
		if !fe.Has(model.Path{"threats", index, "match"}) {
			key = "id"
		}
		if !fe.Has(model.Path{"threats", index, key}) {
			return "", fmt.Errorf("locating the threats entry for %s in %s: entry %d has no match or id key", id, main, index)
		}
		for _, f := range fields {
			if err := fe.Set(model.Path{"threats", index, f.Key}, f.Value); err != nil {
				return "", withCode(ExitInvalid, err)
			}
		}
	} else {
		action = "added"
		entry := append(model.Mapping{{Key: "match", Value: id}}, fields...)
		if err := fe.Append(model.Path{"threats"}, entry); err != nil {
			return "", withCode(ExitInvalid, err)
		}
	}
	if err := saveChecked(fe, main, opts, threatSetFlagNames); err != nil {
		return "", err
	}
	return action, nil
}

// checkDecision rejects a decision the model would record incompletely:
// a new entry needs a status, and accepted, transferred and not-applicable
// need a justification, given now or already written in the entry.
func checkDecision(m *model.Model, id string, f *threatSetFlags, statusGiven bool) error {
	var existing *model.ThreatEntry
	for i := range m.Threats {
		if t := &m.Threats[i]; t.Match == id || (t.Match == "" && t.ID == id) {
			existing = t
			break
		}
	}

	status := f.status
	if !statusGiven && existing != nil {
		status = existing.Status
	}
	if existing == nil && !statusGiven {
		return fmt.Errorf("%s has no threats entry yet, and a new entry needs --status (one of %s)", id, strings.Join(model.ThreatStatuses.IDs(), ", "))
	}

	justified := f.justification != "" || (existing != nil && existing.Justification != "")
	switch status {
	case "accepted", "transferred", "not-applicable":
		if !justified {
			return fmt.Errorf("status %s needs a reason: add --justification \"...\" saying why", status)
		}
	}
	return nil
}

// threatsDecidedBy loads the saved model at path, identifies its threats
// and counts those whose disposition comes from the entry with match
// pattern.
// threatsDecidedBy counts the threats whose disposition the entry with
// match pattern sets. When it sets none, reason is the warning that
// identification gives for the entry, such as that no vulnerability
// database was read, or "" when there is none.
func threatsDecidedBy(path, pattern string, opts model.LoadOptions) (n int, reason string, err error) {
	m, diags, err := model.Load(path, opts)
	if err != nil || diags.HasErrors() {
		return 0, "", fmt.Errorf("the edited model %s no longer loads; please report this as a bug in Ward: %v%v", path, err, diags.Err())
	}
	a, more, err := pipeline.Assess(m, pipeline.Options{})
	if err != nil {
		return 0, "", err
	}
	if a == nil || a.Register == nil {
		// saveChecked has already identified the threats without errors.
		return 0, "", fmt.Errorf("identifying the threats of the edited model %s failed; run ward validate %s", path, path)
	}
	for _, th := range a.Register.Threats {
		if d := th.Disposition; d != nil && d.Entry != nil && d.Entry.Match == pattern {
			n++
		}
	}
	quoted := strconv.Quote(pattern)
	for _, d := range more {
		if d.Severity == diag.Warning && strings.Contains(d.Summary, quoted) {
			reason = "note: " + d.Summary + "; " + d.Fix
			break
		}
	}
	return n, reason, nil
}
