package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
)

func newRulesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, show and check the rules of the rule library",
		Long: `The rule library is the set of threat rules Ward applies to a model: the
built-in rules and any rule files given with --rules. See docs/rules.md for
the rule format.`,
	}
	cmd.AddCommand(newRulesListCmd(e), newRulesShowCmd(e), newRulesCheckCmd(e))
	return cmd
}

// loadRuleLibrary returns the built-in rules merged with the rule files in
// paths; diagnostics go to stderr, and any error makes it fail.
func loadRuleLibrary(e *env, paths []string) (*catalog.Library, error) {
	lib, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return lib, nil
	}
	if err := checkRuleFlags(paths); err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	user, diags := catalog.LoadFiles(paths)
	diags = append(diags, lib.Merge(user)...)
	diags.Sort()
	if len(diags) > 0 {
		printDiagnostics(e.stderr, diags, defaultMaxErrors)
	}
	if diags.HasErrors() {
		return nil, withCode(ExitInvalid, fmt.Errorf("rule files: %s", countErrors(diags)))
	}
	return lib, nil
}

func newRulesListCmd(e *env) *cobra.Command {
	var (
		family string
		format string
		rules  []string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the rules: ID, STRIDE category, attack vector and title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, err := loadRuleLibrary(e, rules)
			if err != nil {
				return err
			}
			list := lib.Rules
			if family != "" {
				if !slices.Contains(lib.Families(), family) {
					return withCode(ExitInvalid, fmt.Errorf("unknown rule family %q; families: %s",
						family, strings.Join(lib.Families(), ", ")))
				}
				list = slices.DeleteFunc(slices.Clone(list), func(r *catalog.Rule) bool { return r.Family() != family })
			}
			switch format {
			case "table":
				writeRulesTable(e.stdout, list)
			case "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			default:
				return withCode(ExitInvalid, checkChoice("--format", format, "table", "json"))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&family, "family", "", "show only rules of this family, the ID prefix before the first dot (proc, store, flow, proto, port, hw, update, supply, life, safety, ...)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.Flags().StringSliceVar(&rules, "rules", nil, "extra rule files or folders to add to the built-in rules")
	return cmd
}

func writeRulesTable(w io.Writer, rules []*catalog.Rule) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTRIDE\tVECTOR\tTITLE")
	for _, r := range rules {
		title := r.Title
		if r.Residual != nil {
			title += " (has residual variant)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.STRIDE, r.Vector, title)
	}
	tw.Flush()
	fmt.Fprintln(w, diag.Count(len(rules), "rule", "rules"))
}

func newRulesShowCmd(e *env) *cobra.Command {
	var (
		rules    []string
		cacheDir string
	)
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show every field of one rule, with the names of the catalog entries it cites",
		Long: `Show every field of one rule. References show the names of the catalog
entries when the catalogs have been imported with ward catalog import;
otherwise they show the bare IDs.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, err := loadRuleLibrary(e, rules)
			if err != nil {
				return err
			}
			r, ok := lib.Rule(args[0])
			if !ok {
				return withCode(ExitInvalid, unknownRuleError(lib, args[0]))
			}
			names := openCatalogCache(e, cacheDir)
			writeRule(e.stdout, r, names)
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&rules, "rules", nil, "extra rule files or folders to add to the built-in rules")
	registerCacheDir(cmd, &cacheDir)
	return cmd
}

func unknownRuleError(lib *catalog.Library, id string) error {
	best, bestDist := "", len(id)/3+2
	for _, r := range lib.Rules {
		if d := diag.EditDistance(id, r.ID, bestDist); d < bestDist {
			best, bestDist = r.ID, d
		}
	}
	if best != "" {
		return fmt.Errorf("no rule %s; did you mean %s?", id, best)
	}
	return fmt.Errorf("no rule %s; run ward rules list to see the rule IDs", id)
}

// writeRule prints every field of r.
func writeRule(w io.Writer, r *catalog.Rule, names *catalog.Names) {
	fmt.Fprintf(w, "%s: %s\n\n", r.ID, r.Title)
	fmt.Fprintln(w, wrapText(r.Description, 76, "  "))
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "defined at\t%s\n", r.Pos)
	fmt.Fprintf(tw, "applies to\t%s\n", strings.Join(r.AppliesTo, ", "))
	fmt.Fprintf(tw, "when\t%s\n", catalog.FormatCondition(r.When))
	stride := r.STRIDE
	if len(r.Also) > 0 {
		stride += " (also " + strings.Join(r.Also, ", ") + ")"
	}
	fmt.Fprintf(tw, "stride\t%s\n", stride)
	fmt.Fprintf(tw, "impact\t%s\n", formatImpact(r.Impact))
	fmt.Fprintf(tw, "vector\t%s\n", r.Vector)
	if r.Phase != "" {
		fmt.Fprintf(tw, "phase\t%s\n", r.Phase)
	}
	if len(r.Controls) > 0 {
		fmt.Fprintf(tw, "controls\t%s\n", strings.Join(r.Controls, ", "))
	}
	if r.Residual != nil {
		fmt.Fprintf(tw, "residual when\t%s\n", catalog.FormatCondition(r.Residual.When))
		if r.Residual.Title != "" {
			fmt.Fprintf(tw, "residual title\t%s\n", r.Residual.Title)
		}
		fmt.Fprintf(tw, "residual impact\t%s\n", formatImpact(r.Residual.Impact))
	}
	tw.Flush()

	ids := r.References.IDs()
	if len(ids) == 0 {
		return
	}
	fmt.Fprintln(w, "\nreferences:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, id := range ids {
		if entry, ok := names.Lookup(id); ok {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", id, entry.Name, entry.URL)
		} else {
			fmt.Fprintf(tw, "  %s\n", id)
		}
	}
	tw.Flush()
}

func formatImpact(i catalog.Impact) string {
	return fmt.Sprintf("confidentiality %s, integrity %s, availability %s", i.Confidentiality, i.Integrity, i.Availability)
}

// wrapText fills s into lines of at most width bytes, each starting with
// indent.
func wrapText(s string, width int, indent string) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(s) {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			b.WriteString(line)
			b.WriteByte('\n')
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

func newRulesCheckCmd(e *env) *cobra.Command {
	var (
		rules    []string
		cacheDir string
		format   string
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check that the catalog IDs the rules cite are listed in the imported catalogs",
		Long: `Look up every CAPEC, CWE, ATT&CK and EMB3D ID that the built-in rules and the
--rules files cite in the catalogs imported with ward catalog import. An ID
whose catalog is imported but does not list it (deprecated, revoked or never
assigned) is reported with the rule, where the rule is defined, and a fix.
IDs whose catalog is not imported are counted as not checked.

Exit status: 0 when every checked ID is listed, 1 when one is missing, 2 for
invalid input or usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkChoice("--format", format, "text", "json"); err != nil {
				return withCode(ExitInvalid, err)
			}
			lib, err := loadRuleLibrary(e, rules)
			if err != nil {
				return err
			}
			names, dir, err := openCatalogsStrict(cacheDir)
			if err != nil {
				return err
			}

			check := catalog.CheckReferences(lib.Rules, names)
			if format == "json" {
				if err := writeReferenceCheckJSON(e.stdout, check, dir); err != nil {
					return err
				}
			} else {
				writeReferenceCheck(e.stdout, check, dir)
			}
			if len(check.Missing) > 0 {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&rules, "rules", nil, "extra rule files or folders to check with the built-in rules")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	registerCacheDir(cmd, &cacheDir)
	return cmd
}

// catalogSites are the websites where a catalog's entries can be looked up.
var catalogSites = map[string]string{
	catalog.CatalogCAPEC:            "capec.mitre.org",
	catalog.CatalogCWE:              "cwe.mitre.org",
	catalog.CatalogATTACKEnterprise: "attack.mitre.org",
	catalog.CatalogATTACKMobile:     "attack.mitre.org",
	catalog.CatalogATTACKICS:        "attack.mitre.org",
	catalog.CatalogEMB3D:            "emb3d.mitre.org",
}

// catalogVersions names catalogs with their versions, such as "CAPEC 3.6".
func catalogVersions(cats []*catalog.Catalog) string {
	parts := make([]string, len(cats))
	for i, c := range cats {
		parts[i] = strings.TrimSpace(c.Title() + " " + c.Version)
	}
	return strings.Join(parts, " and ")
}

// missingReferenceFix returns the fix for a reference its catalog does not
// list.
func missingReferenceFix(m catalog.MissingReference) string {
	var fix string
	if strings.HasPrefix(m.Rule.Pos.File, catalog.BuiltinPrefix) {
		fix = "import the latest release of the catalog and check again; if the ID is still missing, the built-in rule is out of date, so report it to the Ward project"
	} else {
		fix = fmt.Sprintf("look the ID up on %s and replace it in the rule's references with the entry that supersedes it, or remove it", catalogSites[m.Catalogs[0].Name])
	}
	if m.MobileNotImported {
		fix += "; if it is an ATT&CK Mobile technique, import the mobile-attack bundle too"
	}
	return fix
}

func writeReferenceCheck(w io.Writer, check *catalog.ReferenceCheck, dir string) {
	for _, m := range check.Missing {
		fmt.Fprintf(w, "%s: %s cites %s, which %s does not list (it is deprecated, revoked or was never assigned); fix: %s\n",
			m.Rule.Pos, m.Rule.ID, m.ID, catalogVersions(m.Catalogs), missingReferenceFix(m))
	}

	if len(check.Checked) > 0 {
		fmt.Fprintf(w, "checked %s against %s: %d found, %d missing\n",
			diag.Count(check.Found+len(check.Missing), "reference", "references"), catalogVersions(check.Checked), check.Found, len(check.Missing))
	} else {
		fmt.Fprintf(w, "no reference was checked: no catalog the rules cite is imported in %s\n", dir)
	}

	if len(check.NotChecked) > 0 {
		var parts []string
		for _, name := range slices.Sorted(maps.Keys(check.NotChecked)) {
			parts = append(parts, fmt.Sprintf("%s (%d)", catalog.CatalogTitle(name), check.NotChecked[name]))
		}
		fmt.Fprintf(w, "not checked, because the catalog is not imported: %s references; import them with ward catalog import FILE\n",
			strings.Join(parts, ", "))
	}
}

// referenceCheckJSON is the JSON form of ward rules check.
type referenceCheckJSON struct {
	Cache      string           `json:"cache"`
	Catalogs   []catalogJSON    `json:"catalogs"`
	Checked    int              `json:"checked"`
	Found      int              `json:"found"`
	Missing    []missingJSON    `json:"missing"`
	NotChecked []notCheckedJSON `json:"not_checked"`
}

type catalogJSON struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Version string `json:"version,omitempty"`
	Source  string `json:"source"`
}

type missingJSON struct {
	Rule      string   `json:"rule"`
	Position  string   `json:"position"`
	Reference string   `json:"reference"`
	Catalogs  []string `json:"catalogs"`
	Fix       string   `json:"fix"`
}

type notCheckedJSON struct {
	Catalog    string `json:"catalog"`
	Title      string `json:"title"`
	References int    `json:"references"`
}

func writeReferenceCheckJSON(w io.Writer, check *catalog.ReferenceCheck, dir string) error {
	out := referenceCheckJSON{
		Cache:      dir,
		Catalogs:   []catalogJSON{},
		Checked:    check.Found + len(check.Missing),
		Found:      check.Found,
		Missing:    []missingJSON{},
		NotChecked: []notCheckedJSON{},
	}
	for _, c := range check.Checked {
		out.Catalogs = append(out.Catalogs, catalogJSON{Name: c.Name, Title: c.Title(), Version: c.Version, Source: c.Source})
	}
	for _, m := range check.Missing {
		var cats []string
		for _, c := range m.Catalogs {
			cats = append(cats, c.Name)
		}
		out.Missing = append(out.Missing, missingJSON{
			Rule: m.Rule.ID, Position: m.Rule.Pos.String(), Reference: m.ID, Catalogs: cats, Fix: missingReferenceFix(m),
		})
	}
	for _, name := range slices.Sorted(maps.Keys(check.NotChecked)) {
		out.NotChecked = append(out.NotChecked, notCheckedJSON{Catalog: name, Title: catalog.CatalogTitle(name), References: check.NotChecked[name]})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
