package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// threatFilter selects the threats the register shows. Empty lists select
// everything; within one list any value matches, across lists all must.
type threatFilter struct {
	statuses []string
	elements []string
	methods  []string
	stride   []string
	vectors  []string
}

// strideLetters lets --stride take the initial of a category.
var strideLetters = map[string]string{
	"s": threat.Spoofing, "t": threat.Tampering, "r": threat.Repudiation,
	"i": threat.InformationDisclosure, "d": threat.DenialOfService, "e": threat.ElevationOfPrivilege,
}

// methodLetters are the one-letter method codes of the table's BY column.
var methodLetters = map[string]string{
	threat.MethodSTRIDE:        "E",
	threat.MethodInteraction:   "I",
	threat.MethodRules:         "R",
	threat.MethodPrivacy:       "P",
	threat.MethodVulnerability: "V",
	threat.MethodManual:        "H",
}

const methodLegend = "BY: E STRIDE per element, I STRIDE per interaction, R rule library, P LINDDUN privacy, V known vulnerability, H hand-written"

func newThreatsCmd(e *env) *cobra.Command {
	var (
		af       assessFlags
		filter   threatFilter
		format   string
		coverage bool
	)
	cmd := &cobra.Command{
		Use:   "threats [model]",
		Short: "List the threat register: identified and hand-written threats with their dispositions",
		Long: `Threats identifies threats in the model with every method (STRIDE per element,
STRIDE per interaction, the rule library, LINDDUN privacy threats, known
vulnerabilities of dependencies) and lists them beside the model's
hand-written threats, one per line, with the disposition the model's
threats: entries give each.

A threat's ID is <rule>@<item>, for example hw.debug-port-open@pump-swd, and
does not change between runs: write it under threats: with match: to record
a decision. When a rule and a STRIDE finding hit the same item in the same
category they are one threat; the STRIDE ID is listed as an alias.

Methods: ` + strings.Join(threat.MethodNames(), ", ") + `.

Exit codes: 0 when the register was listed, 2 when the model is invalid,
including threats: entries that match no threat.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := filter.validate(); err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := checkChoice("--format", format, "table", "json", "csv"); err != nil {
				return withCode(ExitInvalid, err)
			}
			a, err := assess(e, modelPath(args), &af)
			if err != nil {
				return err
			}
			reg := a.Register
			if err := filter.checkElements(a.Model); err != nil {
				return withCode(ExitInvalid, err)
			}

			if coverage {
				return writeCoverage(e.stdout, format, reg.Coverage, filter)
			}
			threats := filter.apply(reg.Threats)
			switch format {
			case "json":
				return writeThreatsJSON(e.stdout, reg, threats)
			case "csv":
				return writeThreatsCSV(e.stdout, threats)
			}
			writeThreatsTable(e.stdout, reg, threats)
			return nil
		},
	}
	af.register(cmd)
	f := cmd.Flags()
	f.StringVar(&format, "format", "table", "output format: table, json or csv")
	f.BoolVar(&coverage, "coverage", false, "print the coverage matrix (item × STRIDE category, found/dispositioned) instead of the threats")
	f.StringSliceVar(&filter.statuses, "status", nil, "show only threats with these statuses: "+strings.Join(model.ThreatStatuses.IDs(), ", "))
	f.StringSliceVar(&filter.elements, "element", nil, "show only threats against these element, flow, interface, dependency or boundary IDs")
	f.StringSliceVar(&filter.methods, "found-by", nil, "show only threats found by these methods, by name or by the letter of the BY column (E, I, R, P, V, H); unlike --methods, it does not choose the methods that run: "+strings.Join(threat.MethodNames(), ", "))
	f.StringSliceVar(&filter.stride, "stride", nil, "show only threats of these STRIDE categories, by name or initial (S, T, R, I, D, E)")
	f.StringSliceVar(&filter.vectors, "vector", nil, "show only threats with these attack vectors: "+strings.Join(model.AttackVectors.IDs(), ", "))
	return cmd
}

// validate checks the filter values and expands the STRIDE initials and
// the method letters of the table's BY column.
func (f *threatFilter) validate() error {
	var problems []string
	check := func(flag string, values []string, allowed []string) {
		for _, v := range values {
			if !slices.Contains(allowed, v) {
				problems = append(problems, notOneOf("--"+flag, v, allowed))
			}
		}
	}
	// checkCoded is check for a flag that also takes one-letter codes,
	// which the message lists next to the names.
	checkCoded := func(flag string, values []string, allowed []string, code func(string) string) {
		for _, v := range values {
			if slices.Contains(allowed, v) {
				continue
			}
			named := make([]string, len(allowed))
			for i, a := range allowed {
				named[i] = fmt.Sprintf("%s (%s)", a, code(a))
			}
			problems = append(problems, fmt.Sprintf("%s %q is not one of %s%s", "--"+flag, v, strings.Join(named, ", "), didYouMean(v, allowed)))
		}
	}

	for i, s := range f.stride {
		if full, ok := strideLetters[strings.ToLower(s)]; ok {
			f.stride[i] = full
		}
	}
	for i, s := range f.methods {
		if full, ok := methodOfLetter(s); ok {
			f.methods[i] = full
		}
	}
	check("status", f.statuses, model.ThreatStatuses.IDs())
	checkCoded("found-by", f.methods, threat.MethodNames(), func(name string) string { return methodLetters[name] })
	checkCoded("stride", f.stride, model.STRIDECategories.IDs(), strideLetter)
	check("vector", f.vectors, model.AttackVectors.IDs())
	return joinProblems(problems)
}

// methodOfLetter returns the method whose BY-column letter is s, in
// either case.
func methodOfLetter(s string) (string, bool) {
	for name, letter := range methodLetters {
		if strings.EqualFold(letter, s) {
			return name, true
		}
	}
	return "", false
}

// strideLetter returns the upper-case initial that --stride takes for a
// STRIDE category.
func strideLetter(category string) string {
	for letter, name := range strideLetters {
		if name == category {
			return strings.ToUpper(letter)
		}
	}
	return "?"
}

// checkElements rejects --element values that name nothing in the model, so
// a typo does not look like an item without threats.
func (f *threatFilter) checkElements(m *model.Model) error {
	known := []string{m.System.ID}
	for _, x := range m.Elements {
		known = append(known, x.ID)
	}
	for _, x := range m.Flows {
		known = append(known, x.ID)
	}
	for _, x := range m.Interfaces {
		known = append(known, x.ID)
	}
	for _, x := range m.Dependencies {
		known = append(known, x.ID)
	}
	for _, x := range m.Boundaries {
		known = append(known, x.ID)
	}
	var problems []string
	for _, id := range f.elements {
		if !slices.Contains(known, id) {
			problems = append(problems, fmt.Sprintf("invalid --element %q: the model has no element, flow, interface, dependency or boundary with that ID%s", id, didYouMean(id, known)))
		}
	}
	return joinProblems(problems)
}

func (f *threatFilter) apply(threats []threat.Threat) []threat.Threat {
	var out []threat.Threat
	for _, th := range threats {
		if f.matches(th) {
			out = append(out, th)
		}
	}
	return out
}

func (f *threatFilter) matches(th threat.Threat) bool {
	if len(f.statuses) > 0 && !slices.Contains(f.statuses, th.Disposition.Status) {
		return false
	}
	if len(f.elements) > 0 && !slices.Contains(f.elements, th.Target.ID) {
		return false
	}
	if len(f.vectors) > 0 && !slices.Contains(f.vectors, th.Vector) {
		return false
	}
	if len(f.stride) > 0 && !slices.Contains(f.stride, th.STRIDE) &&
		!slices.ContainsFunc(th.Also, func(c string) bool { return slices.Contains(f.stride, c) }) {
		return false
	}
	if len(f.methods) > 0 && !slices.ContainsFunc(th.Findings, func(fd threat.Finding) bool { return slices.Contains(f.methods, fd.Method) }) {
		return false
	}
	return true
}

// methodCodes returns the BY column: the letters of the methods that found
// the threat, in method order.
func methodCodes(th threat.Threat) string {
	var codes []string
	for _, name := range threat.MethodNames() {
		if slices.ContainsFunc(th.Findings, func(f threat.Finding) bool { return f.Method == name }) {
			codes = append(codes, methodLetters[name])
		}
	}
	return strings.Join(codes, "")
}

// strideCodes returns the initials of the threat's STRIDE categories, or
// "-" for a threat without one.
func strideCodes(th threat.Threat) string {
	var b strings.Builder
	for _, c := range append([]string{th.STRIDE}, th.Also...) {
		for letter, name := range strideLetters {
			if name == c {
				b.WriteString(strings.ToUpper(letter))
			}
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// levelCode abbreviates an impact level: N, L, M or H.
func levelCode(level string) string {
	if level == "" {
		return "?"
	}
	return strings.ToUpper(level[:1])
}

func writeThreatsTable(w io.Writer, reg *threat.Register, threats []threat.Threat) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTRIDE\tVECTOR\tC/I/A\tSTATUS\tBY\tTITLE")
	for _, th := range threats {
		title := th.Title
		if th.Residual {
			title += " (residual)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s/%s/%s\t%s\t%s\t%s\n",
			th.ID, strideCodes(th), th.Vector,
			levelCode(th.Impact.Confidentiality), levelCode(th.Impact.Integrity), levelCode(th.Impact.Availability),
			th.Disposition.Status, methodCodes(th), title)
	}
	tw.Flush()

	open, methods := 0, map[string]bool{}
	for _, th := range threats {
		if th.Disposition.Status == threat.StatusOpen {
			open++
		}
		for _, f := range th.Findings {
			methods[f.Method] = true
		}
	}
	fmt.Fprintf(w, "\n%s\n", methodLegend)
	fmt.Fprintf(w, "%s shown of %d (%d open), found by %s; %d suppressed, %s ruled out by the model\n",
		diag.Count(len(threats), "threat", "threats"), len(reg.Threats), open, diag.Count(len(methods), "method", "methods"),
		len(reg.Suppressed), diag.Count(len(reg.RuledOut), "STRIDE finding", "STRIDE findings"))
}

// threatsJSON is the JSON form of the register with the filtered threats.
type threatsJSON struct {
	Threats    []threat.Threat           `json:"threats"`
	Suppressed []threat.SuppressedThreat `json:"suppressed"`
	RuledOut   []threat.RuledOut         `json:"ruled_out"`
	Coverage   threat.Matrix             `json:"coverage"`
}

func writeThreatsJSON(w io.Writer, reg *threat.Register, threats []threat.Threat) error {
	out := threatsJSON{
		Threats:    threats,
		Suppressed: reg.Suppressed,
		RuledOut:   reg.RuledOut,
		Coverage:   reg.Coverage,
	}
	if out.Threats == nil {
		out.Threats = []threat.Threat{}
	}
	if out.Suppressed == nil {
		out.Suppressed = []threat.SuppressedThreat{}
	}
	if out.RuledOut == nil {
		out.RuledOut = []threat.RuledOut{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

var csvHeader = []string{
	"id", "rule", "title", "target", "target_kind", "stride", "also", "vector",
	"confidentiality", "integrity", "availability", "status", "methods", "aliases",
	"references", "controls", "residual", "justification", "file", "line",
}

func writeThreatsCSV(w io.Writer, threats []threat.Threat) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, th := range threats {
		var methods, refs []string
		for _, f := range th.Findings {
			if !slices.Contains(methods, f.Method) {
				methods = append(methods, f.Method)
			}
		}
		for _, r := range th.References {
			refs = append(refs, r.ID)
		}
		line := ""
		if th.Target.Pos.Line > 0 {
			line = strconv.Itoa(th.Target.Pos.Line)
		}
		record := []string{
			th.ID, th.Rule, th.Title, th.Target.ID, th.Target.Kind, th.STRIDE, strings.Join(th.Also, " "), th.Vector,
			th.Impact.Confidentiality, th.Impact.Integrity, th.Impact.Availability, th.Disposition.Status,
			strings.Join(methods, " "), strings.Join(th.Aliases, " "), strings.Join(refs, " "),
			strings.Join(th.Controls, " "), strconv.FormatBool(th.Residual), th.Disposition.Justification,
			th.Target.Pos.File, line,
		}
		for i := range record {
			record[i] = spreadsheetSafe(record[i])
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// spreadsheetSafe prefixes a cell that a spreadsheet would run as a formula
// (starting with =, +, - or @) with an apostrophe, because titles and
// justifications come from rule files and models that anyone may write.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCoverage(w io.Writer, format string, mx threat.Matrix, filter threatFilter) error {
	rows := mx.Rows
	if len(filter.elements) > 0 {
		rows = nil
		for _, r := range mx.Rows {
			if slices.Contains(filter.elements, r.Target.ID) {
				rows = append(rows, r)
			}
		}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(threat.Matrix{Categories: mx.Categories, Rows: rows})
	case "csv":
		cw := csv.NewWriter(w)
		header := []string{"target", "kind"}
		for _, c := range mx.Categories {
			header = append(header, c+"_found", c+"_dispositioned")
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, r := range rows {
			record := []string{spreadsheetSafe(r.Target.ID), r.Target.Kind}
			for _, c := range mx.Categories {
				record = append(record, strconv.Itoa(r.Cells.Of(c).Found), strconv.Itoa(r.Cells.Of(c).Dispositioned))
			}
			if err := cw.Write(record); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "ITEM\tKIND\t")
	for _, c := range mx.Categories {
		fmt.Fprintf(tw, "%s\t", coverageHeading(c))
	}
	fmt.Fprintln(tw)
	var uncovered []string
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t", r.Target.ID, r.Target.Kind)
		total := 0
		for _, c := range mx.Categories {
			cell := r.Cells.Of(c)
			total += cell.Found
			if cell.Found == 0 {
				fmt.Fprint(tw, "-\t")
				continue
			}
			fmt.Fprintf(tw, "%d/%d\t", cell.Found, cell.Dispositioned)
		}
		fmt.Fprintln(tw)
		if total == 0 {
			uncovered = append(uncovered, r.Target.ID)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\ncells: found/dispositioned; %s\n", uncoveredSummary(uncovered, len(rows)))
	return nil
}

// uncoveredShown is how many items without a threat the coverage summary
// names before it counts the rest.
const uncoveredShown = 10

// uncoveredSummary returns how many of the rows have no threat and names
// them, the first uncoveredShown of them when there are more.
func uncoveredSummary(ids []string, rows int) string {
	switch {
	case rows == 1 && len(ids) == 0:
		return "the one item has a threat"
	case rows == 1:
		return "the one item has no threat: " + ids[0]
	case len(ids) == 0:
		return fmt.Sprintf("every one of the %d items has a threat", rows)
	case len(ids) == 1:
		return fmt.Sprintf("1 of %d items has no threat: %s", rows, ids[0])
	}
	named := strings.Join(ids[:min(len(ids), uncoveredShown)], ", ")
	if len(ids) > uncoveredShown {
		named += fmt.Sprintf(" and %d more", len(ids)-uncoveredShown)
	}
	return fmt.Sprintf("%d of %d items have no threat: %s", len(ids), rows, named)
}

// coverageHeading shortens a category for the matrix header.
func coverageHeading(c string) string {
	for letter, name := range strideLetters {
		if name == c {
			return strings.ToUpper(letter)
		}
	}
	return c
}
