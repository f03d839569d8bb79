package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/sbom"
)

// maxNTIALines is how many components with NTIA gaps sbom import lists
// before it summarizes the rest.
const maxNTIALines = 10

func newSBOMCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sbom",
		Short: "Import an SBOM's components as dependencies, or check an SBOM",
		Long: `Ward reads CycloneDX 1.2 to 1.6 (JSON and XML), SPDX 2.2 and 2.3 (JSON and
tag-value) and SPDX 3.0 JSON-LD. See docs/sbom.md.`,
	}
	cmd.AddCommand(newSBOMImportCmd(e), newSBOMCheckCmd(e))
	return cmd
}

// sbomImportFlags are the options of ward sbom import.
type sbomImportFlags struct {
	load           loadFlags
	element        string
	dryRun         bool
	classification string
	support        string
	supportEnds    string
}

// importOptions checks the values that fill in the imported dependencies
// and returns them as merge options, reporting every bad value at once.
func (f *sbomImportFlags) importOptions(sbomPath string) (sbom.ImportOptions, error) {
	opts := sbom.ImportOptions{SBOM: sbomPath, Element: f.element, Classification: f.classification}
	opts.Support.Level = f.support
	opts.Support.Ends = model.Date(f.supportEnds)

	var problems []string
	if f.classification != "" && !model.Classifications.Has(f.classification) {
		problems = append(problems, notOneOf("--classification", f.classification, model.Classifications.IDs()))
	}
	if f.support != "" && !model.SupportLevels.Has(f.support) {
		problems = append(problems, notOneOf("--support", f.support, model.SupportLevels.IDs()))
	}
	if f.supportEnds != "" {
		if _, err := parseDateFlag("--support-ends", f.supportEnds); err != nil {
			problems = append(problems, err.Error())
		}
	}
	return opts, joinProblems(problems)
}

func newSBOMImportCmd(e *env) *cobra.Command {
	var f sbomImportFlags
	cmd := &cobra.Command{
		Use:   "import FILE [model]",
		Short: "Add or update the model's dependencies from an SBOM",
		Long: `Import reads the SBOM FILE and writes its components into the model's
dependencies list, editing only the entries it changes.

A component becomes a new dependency with an ID derived from its name (such
as npm-lodash) unless the model already has it: the same purl, or the same
package in another version, which then counts as an upgrade (a lower
version is set too, with a warning). Importing a
newer SBOM updates name, version, purl, CPE, supplier, license, hashes,
depends_on and sbom, and keeps everything else: classification, support,
notes, kind and element links. Dependencies imported from the same SBOM
file before but no longer in it are listed as removed and stay in the
model, because only you can tell whether they stopped shipping.

--element links every imported dependency to that element.
--classification, --support and --support-ends fill in the IEC 81001-5-1
classification, support level and end-of-support date of every dependency
of the SBOM that lacks them, new or already in the model; values already
written are kept. Import the components of one supplier or support status
together, then adjust single dependencies by hand.

The command also reports the NTIA minimum elements (supplier, name,
version, unique identifier, dependency relationship, author, timestamp)
the SBOM lacks; ward sbom check lists them all.`,
		Example: `  ward sbom import sbom/app.cdx.json --element cloud-api \
      --classification supported --support active --support-ends 2028-12-31`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSBOMImport(e, args[0], modelPath(args[1:]), &f)
		},
	}
	f.load.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.element, "element", "", "ID of the element that contains the SBOM's components")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print what would change without writing the model")
	fl.StringVar(&f.classification, "classification", "", "IEC 81001-5-1 class for dependencies without one: "+strings.Join(model.Classifications.IDs(), ", "))
	fl.StringVar(&f.support, "support", "", "support level for dependencies without one: "+strings.Join(model.SupportLevels.IDs(), ", "))
	fl.StringVar(&f.supportEnds, "support-ends", "", "end-of-support date as YYYY-MM-DD for dependencies without one")
	return cmd
}

func runSBOMImport(e *env, file, modelFile string, f *sbomImportFlags) error {
	rel, err := sbomPathInModel(modelFile, file)
	if err != nil {
		return withCode(ExitInvalid, err)
	}
	importOpts, err := f.importOptions(rel)
	if err != nil {
		return withCode(ExitInvalid, err)
	}
	opts := f.load.options()
	m, err := loadModel(e, modelFile, opts)
	if err != nil {
		return err
	}
	if f.element != "" && !slices.ContainsFunc(m.Elements, func(el model.Element) bool { return el.ID == f.element }) {
		ids := idsOf(m.Elements, func(el model.Element) string { return el.ID })
		return withCode(ExitInvalid, errors.New(notAnID("--element", f.element, "elements", ids)))
	}
	doc, err := sbom.Read(file)
	if err != nil {
		return withCode(ExitInvalid, err)
	}

	changes := sbom.Merge(m.Dependencies, doc, importOpts)
	if !f.dryRun {
		if err := writeImport(m, modelFile, changes); err != nil {
			return err
		}
		// Read the result back so a problem the edit introduced is reported
		// now, not at the next command.
		if _, diags, err := model.Load(modelFile, opts); err == nil && diags.HasErrors() {
			printDiagnostics(e.stderr, diags, defaultMaxErrors)
			return withCode(ExitInvalid, fmt.Errorf("%s: the imported dependencies made the model invalid; fix the entries listed above", modelFile))
		}
	}
	printImport(e.stdout, doc, rel, changes, f.dryRun)
	printFilled(e.stdout, m.Dependencies, changes, importOpts, f.dryRun)
	return nil
}

// printFilled prints in how many dependencies --classification, --support
// and --support-ends filled in an empty value, so the user sees what the
// flags did, also in a dry run. It prints nothing when none was given.
func printFilled(w io.Writer, existing []model.Dependency, changes []sbom.Change, opts sbom.ImportOptions, dryRun bool) {
	var classification, level, ends int
	for _, c := range changes {
		if c.Kind == sbom.Removed {
			continue
		}
		var before model.Dependency
		if c.Index >= 0 {
			before = existing[c.Index]
		}
		after := &c.Dependency
		if opts.Classification != "" && before.Classification == "" && after.Classification == opts.Classification {
			classification++
		}
		if opts.Support.Level != "" && before.Support.Level == "" && after.Support.Level == opts.Support.Level {
			level++
		}
		if opts.Support.Ends != "" && before.Support.Ends == "" && after.Support.Ends == opts.Support.Ends {
			ends++
		}
	}

	type fill struct {
		field, value string
		count        int
	}
	var fills []fill
	if opts.Classification != "" {
		fills = append(fills, fill{"classification", opts.Classification, classification})
	}
	if opts.Support.Level != "" {
		fills = append(fills, fill{"support level", opts.Support.Level, level})
	}
	if opts.Support.Ends != "" {
		fills = append(fills, fill{"end of support", string(opts.Support.Ends), ends})
	}
	if len(fills) == 0 {
		return
	}
	// The first part names the noun: "in 3 dependencies, ... in 3".
	parts := make([]string, len(fills))
	for i, fl := range fills {
		count := fmt.Sprint(fl.count)
		if i == 0 {
			count = diag.Count(fl.count, "dependency", "dependencies")
		}
		parts[i] = fmt.Sprintf("%s %s in %s", fl.field, fl.value, count)
	}
	verb := "filled"
	if dryRun {
		verb = "would fill"
	}
	fmt.Fprintf(w, "%s %s\n", verb, strings.Join(parts, ", "))
}

// sbomPathInModel returns the SBOM's path relative to the model file's
// folder, with forward slashes, as the model records it.
func sbomPathInModel(modelFile, file string) (string, error) {
	absModel, err := filepath.Abs(modelFile)
	if err != nil {
		return "", err
	}
	absFile, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(filepath.Dir(absModel), absFile)
	if err != nil {
		return filepath.ToSlash(absFile), nil
	}
	return filepath.ToSlash(rel), nil
}

// writeImport applies the changes through the comment-preserving editor:
// changed keys of existing entries are set in the file that defines them,
// and new entries are appended to the main file's dependencies list.
func writeImport(m *model.Model, modelFile string, changes []sbom.Change) error {
	editors := map[string]*model.FileEditor{}
	editorFor := func(file string) (*model.FileEditor, error) {
		if ed, ok := editors[file]; ok {
			return ed, nil
		}
		ed, err := model.OpenEdit(file)
		if err != nil {
			return nil, err
		}
		editors[file] = ed
		return ed, nil
	}

	// The index of each dependency within the file that defines it.
	fileOf := make([]string, len(m.Dependencies))
	indexInFile := make([]int, len(m.Dependencies))
	counts := map[string]int{}
	for i := range m.Dependencies {
		f := m.Dependencies[i].Pos().File
		if f == "" {
			f = modelFile
		}
		fileOf[i], indexInFile[i] = f, counts[f]
		counts[f]++
	}

	for _, c := range changes {
		switch c.Kind {
		case sbom.Updated:
			ed, err := editorFor(fileOf[c.Index])
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			for _, key := range c.Fields {
				if err := setDependencyKey(ed.Editor, indexInFile[c.Index], &c.Dependency, key); err != nil {
					return withCode(ExitInvalid, fmt.Errorf("updating dependency %s: %w", c.Dependency.ID, err))
				}
			}
		case sbom.Added:
			ed, err := editorFor(modelFile)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := ed.Append(model.Path{"dependencies"}, dependencyMapping(&c.Dependency)); err != nil {
				return withCode(ExitInvalid, fmt.Errorf("adding dependency %s: %w", c.Dependency.ID, err))
			}
		}
	}

	files := make([]string, 0, len(editors))
	for f := range editors {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, f := range files {
		if err := editors[f].Save(); err != nil {
			return withCode(ExitInvalid, err)
		}
	}
	return nil
}

// setDependencyKey writes one key of d into entry index of the file's
// dependencies list. An existing support mapping is updated key by key, so
// comments inside it stay.
func setDependencyKey(ed *model.Editor, index int, d *model.Dependency, key string) error {
	p := model.Path{"dependencies", index, key}
	if key != "support" || !ed.Has(p) {
		return ed.Set(p, dependencyValue(d, key))
	}
	for _, f := range supportMapping(d.Support) {
		if err := ed.Set(append(p, f.Key), f.Value); err != nil {
			return err
		}
	}
	return nil
}

// supportMapping returns the support keys that have a value.
func supportMapping(s model.Support) model.Mapping {
	var mp model.Mapping
	if s.Level != "" {
		mp = append(mp, model.Field{Key: "level", Value: s.Level})
	}
	if s.Ends != "" {
		mp = append(mp, model.Field{Key: "ends", Value: s.Ends})
	}
	return mp
}

// dependencyValue returns the value of one key of d in the editor's terms.
func dependencyValue(d *model.Dependency, key string) any {
	switch key {
	case "name":
		return d.Name
	case "version":
		return d.Version
	case "purl":
		return d.Purl
	case "cpe":
		return d.CPE
	case "kind":
		return d.Kind
	case "supplier":
		return d.Supplier
	case "classification":
		return d.Classification
	case "support":
		return supportMapping(d.Support)
	case "license":
		return d.License
	case "hashes":
		return hashMapping(d.Hashes)
	case "elements":
		return d.Elements
	case "depends_on":
		return d.DependsOn
	case "sbom":
		return d.SBOM
	}
	panic("dependencyValue: key " + key + " is not written by sbom import")
}

func hashMapping(h map[string]string) model.Mapping {
	algs := make([]string, 0, len(h))
	for a := range h {
		algs = append(algs, a)
	}
	slices.Sort(algs)
	var mp model.Mapping
	for _, a := range algs {
		mp = append(mp, model.Field{Key: a, Value: h[a]})
	}
	return mp
}

func dependencyMapping(d *model.Dependency) model.Mapping {
	mp := model.Mapping{
		{Key: "id", Value: d.ID},
		{Key: "name", Value: d.Name},
		{Key: "version", Value: d.Version},
		{Key: "purl", Value: d.Purl},
		{Key: "cpe", Value: d.CPE},
		{Key: "kind", Value: d.Kind},
		{Key: "supplier", Value: d.Supplier},
		{Key: "classification", Value: d.Classification},
	}
	if support := supportMapping(d.Support); len(support) > 0 {
		mp = append(mp, model.Field{Key: "support", Value: support})
	}
	mp = append(mp, model.Field{Key: "license", Value: d.License})
	if len(d.Hashes) > 0 {
		mp = append(mp, model.Field{Key: "hashes", Value: hashMapping(d.Hashes)})
	}
	if len(d.Elements) > 0 {
		mp = append(mp, model.Field{Key: "elements", Value: d.Elements})
	}
	if len(d.DependsOn) > 0 {
		mp = append(mp, model.Field{Key: "depends_on", Value: d.DependsOn})
	}
	return append(mp, model.Field{Key: "sbom", Value: d.SBOM})
}

func printImport(w io.Writer, doc *sbom.Document, rel string, changes []sbom.Change, dryRun bool) {
	count := map[sbom.ChangeKind]int{}
	for _, c := range changes {
		count[c.Kind]++
	}
	verb := "imported"
	if dryRun {
		verb = "would import"
	}
	fmt.Fprintf(w, "%s %s (%s, %s): %d added, %d updated, %d unchanged, %d removed from the SBOM\n",
		verb, rel, doc.Kind, diag.Count(len(doc.Components), "component", "components"), count[sbom.Added], count[sbom.Updated], count[sbom.Unchanged], count[sbom.Removed])
	for _, c := range changes {
		switch c.Kind {
		case sbom.Added:
			fmt.Fprintf(w, "  added    %s  %s %s\n", c.Dependency.ID, c.Dependency.Name, c.Dependency.Version)
		case sbom.Updated:
			fmt.Fprintf(w, "  updated  %s  %s\n", c.Dependency.ID, strings.Join(c.Fields, ", "))
			if c.OldVersion != "" {
				fmt.Fprintf(w, "  warning: %s goes down from version %s to %s; check that the SBOM is of the release the model describes, because an older version can bring back vulnerabilities the model records as fixed\n",
					c.Dependency.ID, c.OldVersion, c.Dependency.Version)
			}
		case sbom.Removed:
			fmt.Fprintf(w, "  removed  %s  %s %s: no longer in the SBOM; kept in the model, delete it if it no longer ships\n",
				c.Dependency.ID, c.Dependency.Name, c.Dependency.Version)
		}
	}

	if n := lackingSupportFields(changes); n > 0 {
		fmt.Fprintf(w, "%d of the SBOM's dependencies %s a classification, support level or end-of-support date, which ward check requires; "+
			"run the import again with --classification, --support and --support-ends to fill them in, or write them per dependency\n", n, diag.Agree(n, "lacks", "lack"))
	}

	diags := doc.NTIADiagnostics()
	if len(diags) == 0 {
		fmt.Fprintln(w, "NTIA minimum elements: complete")
		return
	}
	fmt.Fprintf(w, "NTIA minimum elements: %s\n", diag.Count(len(diags), "gap", "gaps"))
	for i, d := range diags {
		if i == maxNTIALines {
			fmt.Fprintf(w, "  and %d more; run ward sbom check %s to list them all\n", len(diags)-i, doc.File)
			break
		}
		fmt.Fprintf(w, "  %s\n", d.Error())
	}
}

// lackingSupportFields counts the dependencies of the SBOM that still
// lack a classification, support level or end-of-support date after the
// import.
func lackingSupportFields(changes []sbom.Change) int {
	n := 0
	for _, c := range changes {
		d := &c.Dependency
		if c.Kind != sbom.Removed && (d.Classification == "" || d.Support.Level == "" || d.Support.Ends == "") {
			n++
		}
	}
	return n
}

func newSBOMCheckCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Identify an SBOM and list the NTIA minimum elements it lacks",
		Long: `Check reads FILE, prints its format and spec version and the number of
components, and lists every missing NTIA minimum element: per component
supplier, name, version, unique identifier (purl, CPE or SWID) and
dependency relationship, and for the document author and timestamp. Each
line is file:line:col of the component in the SBOM. The exit code is 0
whether or not elements are missing, and 2 when the SBOM cannot be read.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkChoice("--format", format, "text", "json"); err != nil {
				return withCode(ExitInvalid, err)
			}
			doc, err := sbom.Read(args[0])
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			diags := doc.NTIADiagnostics()
			if format == "json" {
				return writeSBOMCheckJSON(e.stdout, doc, diags)
			}
			fmt.Fprintf(e.stdout, "%s: %s, %s\n", doc.File, doc.Kind, diag.Count(len(doc.Components), "component", "components"))
			for _, d := range diags {
				fmt.Fprintln(e.stdout, d.Error())
			}
			if len(diags) == 0 {
				fmt.Fprintln(e.stdout, "NTIA minimum elements: complete")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeSBOMCheckJSON(w io.Writer, doc *sbom.Document, diags diag.List) error {
	out := struct {
		File        string    `json:"file"`
		Format      string    `json:"format"`
		SpecVersion string    `json:"spec_version"`
		Encoding    string    `json:"encoding"`
		Components  int       `json:"components"`
		Gaps        diag.List `json:"gaps"`
	}{doc.File, string(doc.Kind.Format), doc.Kind.SpecVersion, string(doc.Kind.Encoding), len(doc.Components), diags}
	if out.Gaps == nil {
		out.Gaps = diag.List{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
