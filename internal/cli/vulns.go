package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
	"github.com/wardtm/ward/internal/sbom"
	"github.com/wardtm/ward/internal/vuln"
)

type vulnsFlags struct {
	lf        loadFlags
	db        string
	kev       string
	format    string
	failOn    string
	dbDate    string
	indexPath string
}

func newVulnsCmd(e *env) *cobra.Command {
	var f vulnsFlags
	cmd := &cobra.Command{
		Use:   "vulns [model]",
		Short: "Match the model's dependencies against an offline OSV database",
		Long: `Vulns matches every dependency with a purl (the model's dependencies and
those of the SBOMs listed under sboms) against the OSV database at --db: a
folder of OSV JSON records or of the per-ecosystem zip archives osv.dev
publishes, or one such archive. The first run builds an index next to the
database (or in the user cache folder when that is read-only); later runs
reuse it until a file of the database changes.

Each result shows the vulnerability (records that share an ID or alias are
merged), the severity Ward scores from the record's CVSS vector, the fixed
version, whether --kev lists it, and your decision from the model's
vulnerabilities list, which ward vulns set records.

--fail-on kev|any|unassessed exits with 1 when a KEV-listed vulnerability
is not resolved (not-affected or fixed), when any vulnerability is not
resolved, or when any has no decision.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVulns(e, modelPath(args), &f)
		},
	}
	f.lf.register(cmd)
	cmd.Flags().StringVar(&f.db, "db", "", "OSV database: a folder of OSV JSON records or osv.dev zip archives, or one archive (required)")
	cmd.Flags().StringVar(&f.kev, "kev", "", "CISA Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json)")
	cmd.Flags().StringVar(&f.format, "format", "table", "output format: table or json")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "", "exit with 1 on: kev, any or unassessed")
	cmd.Flags().StringVar(&f.dbDate, "db-date", "", "date the database is current to, YYYY-MM-DD (default: the newest record's modified date)")
	cmd.Flags().StringVar(&f.indexPath, "index", "", "file to keep the database index in (default: next to the database)")
	cmd.AddCommand(newVulnsSetCmd(e))
	return cmd
}

func runVulns(e *env, path string, f *vulnsFlags) error {
	if f.db == "" {
		return withCode(ExitInvalid, fmt.Errorf("--db is required: give %s", dbWant))
	}
	if err := checkInputPath("--db", f.db, dbWant); err != nil {
		return withCode(ExitInvalid, err)
	}
	if err := checkInputPath("--kev", f.kev, kevWant); err != nil {
		return withCode(ExitInvalid, err)
	}
	if err := checkChoice("--format", f.format, "table", "json"); err != nil {
		return withCode(ExitInvalid, err)
	}
	if f.failOn != "" {
		if err := checkChoice("--fail-on", f.failOn, "kev", "any", "unassessed"); err != nil {
			return withCode(ExitInvalid, err)
		}
	}
	if f.dbDate != "" {
		if _, err := parseDateFlag("--db-date", f.dbDate); err != nil {
			return withCode(ExitInvalid, err)
		}
	}

	m, err := loadModel(e, path, f.lf.options())
	if err != nil {
		return err
	}
	if len(m.SBOMs) > 0 {
		resolved, sdiags := sbom.Resolve(m, filepath.Dir(path))
		if len(sdiags) > 0 {
			printDiagnostics(e.stderr, sdiags, defaultMaxErrors)
		}
		if sdiags.HasErrors() {
			return withCode(ExitInvalid, fmt.Errorf("%s: an SBOM listed under sboms could not be read", path))
		}
		m.Dependencies = resolved
	}

	report, err := pipeline.Scan(m, pipeline.Options{
		VulnDB:    f.db,
		VulnIndex: f.indexPath,
		DBDate:    f.dbDate,
		KEV:       f.kev,
		Progress:  progressTo(e.stderr),
	})
	if err != nil {
		return withCode(ExitInvalid, err)
	}

	if f.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		writeVulnsTable(e.stdout, report)
	}
	for _, s := range report.Stale {
		fmt.Fprintln(e.stderr, staleDecisionWarning(s.Pos, s.ID, s.Dependency))
	}
	if len(report.Skipped) > 0 {
		fmt.Fprintf(e.stderr, "ward: %d OSV records skipped as malformed:\n", len(report.Skipped))
		for i, s := range report.Skipped {
			if i == defaultMaxErrors {
				fmt.Fprintf(e.stderr, "  and %d more\n", len(report.Skipped)-i)
				break
			}
			fmt.Fprintln(e.stderr, " ", s.Error())
		}
	}

	if failVulns(report, f.failOn) {
		return errFindings
	}
	return nil
}

// staleDecisionWarning words the warning for a vulnerabilities entry that
// names no vulnerability the database reports for the dependencies it
// covers: one dependency, or all of them when dependency is empty.
func staleDecisionWarning(pos, id, dependency string) string {
	if dependency == "" {
		return fmt.Sprintf("%s: warning: vulnerabilities: the database reports %s for none of the dependencies; check the ID, or delete the entry if the vulnerability no longer applies", pos, id)
	}
	return fmt.Sprintf("%s: warning: vulnerabilities: the database does not report %s for dependency %s; check the ID and the dependency, or delete the entry if the vulnerability no longer applies", pos, id, dependency)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func failVulns(r *vuln.Report, failOn string) bool {
	for i := range r.Results {
		res := &r.Results[i]
		switch failOn {
		case "kev":
			if res.KEV != nil && !res.Resolved() {
				return true
			}
		case "any":
			if !res.Resolved() {
				return true
			}
		case "unassessed":
			if res.Decision == nil {
				return true
			}
		}
	}
	return false
}

func writeVulnsTable(w io.Writer, r *vuln.Report) {
	fmt.Fprintf(w, "%s (%s, %s); %s checked", r.Source, r.Database, diag.Count(r.Records, "record", "records"), diag.Count(r.Checked, "dependency", "dependencies"))
	if len(r.Unchecked) > 0 {
		fmt.Fprintf(w, ", %d without a purl of an OSV ecosystem not checked", len(r.Unchecked))
	}
	fmt.Fprintln(w)
	if len(r.Results) == 0 {
		fmt.Fprintln(w, "no known vulnerabilities")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPENDENCY\tVERSION\tVULNERABILITY\tSEVERITY\tKEV\tFIXED IN\tSTATUS\tSUMMARY")
	for _, res := range r.Results {
		sev := cmpOr(res.Severity, "-")
		if res.Score != nil {
			sev = fmt.Sprintf("%s %.1f", res.Severity, *res.Score)
		}
		kev := "-"
		if res.KEV != nil {
			kev = "yes"
		}
		status := res.Status()
		if !res.Evaluable {
			status = "not evaluable: " + res.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", res.Dependency, res.Version, res.ID, sev, kev,
			cmpOr(strings.Join(res.Fixed, ", "), "-"), status, truncate(res.Summary, 60))
	}
	tw.Flush()
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func newVulnsSetCmd(e *env) *cobra.Command {
	var (
		dependency, status, justification, fixedIn, notes, issue, date string
		lf                                                             loadFlags
	)
	cmd := &cobra.Command{
		Use:   "set ID [model]",
		Short: "Record your decision about a known vulnerability",
		Long: `Set writes or updates the entry for vulnerability ID (a CVE, GHSA or OSV
ID, or any alias) in the model's vulnerabilities list, editing only that
entry. --status is one of not-affected, affected, fixed, accepted or
under-investigation; not-affected needs a VEX --justification
(component_not_present, vulnerable_code_not_present,
vulnerable_code_not_in_execute_path,
vulnerable_code_cannot_be_controlled_by_adversary or
inline_mitigations_already_exist) and fixed needs --fixed-in. Without
--dependency the decision applies to every dependency.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dec := model.VulnerabilityDecision{
				ID: args[0], Dependency: dependency, Status: status, Justification: justification,
				FixedIn: fixedIn, Notes: notes, Issue: issue, Date: model.Date(date),
			}
			return runVulnsSet(e, modelPath(args[1:]), dec, lf.options())
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&dependency, "dependency", "", "ID of the dependency the decision is about (default: every dependency)")
	cmd.Flags().StringVar(&status, "status", "", "not-affected, affected, fixed, accepted or under-investigation (required)")
	cmd.Flags().StringVar(&justification, "justification", "", "VEX justification, required with --status not-affected")
	cmd.Flags().StringVar(&fixedIn, "fixed-in", "", "product version that fixes it, required with --status fixed")
	cmd.Flags().StringVar(&notes, "notes", "", "free text for the auditor")
	cmd.Flags().StringVar(&issue, "issue", "", "ID of the model issue that tracks it")
	cmd.Flags().StringVar(&date, "date", "", "date of the decision, YYYY-MM-DD")
	return cmd
}

func runVulnsSet(e *env, path string, dec model.VulnerabilityDecision, opts model.LoadOptions) error {
	// Each flag is checked on its own, so that every bad value is
	// reported at once.
	var problems []string
	switch {
	case dec.Status == "":
		problems = append(problems, "missing --status: give one of "+strings.Join(model.VulnerabilityStatuses.IDs(), ", "))
	case !model.VulnerabilityStatuses.Has(dec.Status):
		problems = append(problems, notOneOf("--status", dec.Status, model.VulnerabilityStatuses.IDs()))
	}
	switch {
	case dec.Justification != "" && !model.VEXJustifications.Has(dec.Justification):
		problems = append(problems, notOneOf("--justification", dec.Justification, model.VEXJustifications.IDs()))
	case dec.Status == "not-affected" && dec.Justification == "":
		problems = append(problems, "missing --justification: --status not-affected needs one of "+strings.Join(model.VEXJustifications.IDs(), ", "))
	}
	if dec.Status == "fixed" && dec.FixedIn == "" {
		problems = append(problems, "missing --fixed-in: --status fixed needs the product version that contains the fix")
	}
	if dec.Date != "" {
		if _, err := parseDateFlag("--date", string(dec.Date)); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if err := joinProblems(problems); err != nil {
		return withCode(ExitInvalid, err)
	}

	m, err := loadModel(e, path, opts)
	if err != nil {
		return err
	}
	if dec.Dependency != "" && !slices.ContainsFunc(m.Dependencies, func(d model.Dependency) bool { return d.ID == dec.Dependency }) {
		ids := idsOf(m.Dependencies, func(d model.Dependency) string { return d.ID })
		return withCode(ExitInvalid, errors.New(notAnID("--dependency", dec.Dependency, "dependencies", ids)))
	}

	// Update the entry for the same ID and dependency in the file that
	// defines it, or append a new one to the main file.
	file, index := path, -1
	counts := map[string]int{}
	for _, v := range m.Vulnerabilities {
		f := cmpOr(v.Pos().File, path)
		if strings.EqualFold(v.ID, dec.ID) && v.Dependency == dec.Dependency {
			file, index = f, counts[f]
		}
		counts[f]++
	}
	ed, err := model.OpenEdit(file)
	if err != nil {
		return withCode(ExitInvalid, err)
	}
	fields := model.Mapping{
		{Key: "id", Value: dec.ID}, {Key: "dependency", Value: dec.Dependency}, {Key: "status", Value: dec.Status},
		{Key: "justification", Value: dec.Justification}, {Key: "fixed_in", Value: dec.FixedIn},
		{Key: "notes", Value: dec.Notes}, {Key: "issue", Value: dec.Issue}, {Key: "date", Value: dec.Date},
	}
	if index < 0 {
		err = ed.Append(model.Path{"vulnerabilities"}, fields)
	} else {
		for _, fl := range fields[2:] {
			if s, _ := fl.Value.(string); s == "" {
				if d, _ := fl.Value.(model.Date); d == "" {
					continue
				}
			}
			if err = ed.Set(model.Path{"vulnerabilities", index, fl.Key}, fl.Value); err != nil {
				break
			}
		}
	}
	if err != nil {
		return withCode(ExitInvalid, fmt.Errorf("recording %s: %w", dec.ID, err))
	}
	if err := ed.Save(); err != nil {
		return withCode(ExitInvalid, err)
	}
	verb := "recorded"
	if index >= 0 {
		verb = "updated"
	}
	fmt.Fprintf(e.stdout, "%s %s %s for %s in %s\n", verb, dec.ID, dec.Status, cmpOr(dec.Dependency, "every dependency"), file)
	return nil
}
