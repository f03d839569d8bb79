package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/interop"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
)

// defaultMaxErrors is how many diagnostics text output shows before it
// summarises the rest as "and N more".
const defaultMaxErrors = 50

// loadFlags are the model-loading options every command that reads a model
// can offer.
type loadFlags struct {
	allowOutside bool
	maxFileSize  int64
}

func (f *loadFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.allowOutside, "allow-outside-includes", false,
		"let include: entries name files outside the model's folder (through .. or a symbolic link)")
	cmd.Flags().Int64Var(&f.maxFileSize, "max-file-size", model.DefaultMaxFileSize,
		"largest model file to read, in bytes, for the main file and each included file")
}

func (f *loadFlags) options() model.LoadOptions {
	return model.LoadOptions{AllowOutside: f.allowOutside, MaxFileSize: f.maxFileSize}
}

// loadModel loads and validates the model at path for commands other than
// validate. It prints the diagnostics to stderr and returns an ExitInvalid
// error when the model has errors; warnings are printed and the model is
// returned.
func loadModel(e *env, path string, opts model.LoadOptions) (*model.Model, error) {
	if err := checkModelFile(path); err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	m, diags, err := model.Load(path, opts)
	if err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	if diags.HasErrors() {
		// Another tool's model fails with a list of unknown keys, so the
		// way out goes first.
		if hint := foreignModelHint(path); hint != "" {
			fmt.Fprintln(e.stderr, hint)
		}
	}
	if len(diags) > 0 {
		printDiagnostics(e.stderr, diags, defaultMaxErrors)
	}
	if diags.HasErrors() {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: %s; run ward validate %s for details", path, countErrors(diags), path))
	}
	return m, nil
}

func newValidateCmd(e *env) *cobra.Command {
	var (
		lf        loadFlags
		format    string
		maxErrors int
	)
	cmd := &cobra.Command{
		Use:   "validate [model]",
		Short: "Check a model and report every problem with file:line:col",
		Long: `Validate loads the model and the files it includes, and checks types,
required keys, allowed values, unique IDs, references, boundary nesting,
dates and CVSS vectors. Every problem is printed as

  file:line:col: field.path: what is wrong; how to fix it

followed by the source line. A valid model prints a summary of what it
contains. The exit code is 0 when the model is valid and 2 when it has
errors; warnings alone do not fail.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := modelPath(args)
			if err := checkChoice("--format", format, "text", "json"); err != nil {
				return withCode(ExitInvalid, err)
			}
			if err := checkModelFile(path); err != nil {
				return withCode(ExitInvalid, err)
			}
			m, diags, err := model.Load(path, lf.options())
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			if onlyUnknownKeys(diags) {
				// Some mistakes show only once threats are identified, such
				// as a disposition that matches no threat, or once the risk
				// policy is read. validate reports them too, so check does
				// not fail later on a mistake validate let pass. An unknown key
				// is skipped when the model is read and leaves the rest
				// usable, so it does not hide these.
				more, err := assessmentDiagnostics(m)
				if err != nil {
					return withCode(ExitInvalid, err)
				}
				if diags.HasErrors() {
					for i := range more {
						more[i].Fix = strings.TrimPrefix(more[i].Fix+"; checked with the unknown keys ignored", "; ")
					}
				}
				diags = append(diags, more...)
				diags.Sort()
			}

			// Another tool's model fails with a list of unknown keys, so
			// the way out is printed before them.
			hint := ""
			if diags.HasErrors() {
				hint = foreignModelHint(path)
			}
			if format == "json" {
				if hint != "" {
					fmt.Fprintln(e.stderr, hint)
				}
				if err := writeValidationJSON(e.stdout, path, m, diags); err != nil {
					return err
				}
			} else {
				if hint != "" {
					fmt.Fprintln(e.stdout, hint)
				}
				printDiagnostics(e.stdout, diags, maxErrors)
				if !diags.HasErrors() {
					printSummary(e.stdout, path, m)
				}
			}
			if diags.HasErrors() {
				return withCode(ExitInvalid, fmt.Errorf("%s: %s", path, countErrors(diags)))
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&maxErrors, "max-errors", defaultMaxErrors, "maximum number of diagnostics to print in text output; 0 prints all")
	return cmd
}

// foreignModelHint returns a line that points to ward import when the file
// at path is another tool's threat model, which validate reports as many
// unknown keys, or "" when it is not.
func foreignModelHint(path string) string {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() > interop.MaxInputBytes {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	f, ok := interop.Foreign(path, data)
	if !ok {
		return ""
	}
	title := f.Title()
	article := "a"
	if strings.ContainsRune("AEIOUaeiou", rune(title[0])) {
		article = "an"
	}
	return fmt.Sprintf("this looks like %s %s file; convert it with ward import %s", article, title, path)
}

func countErrors(diags diag.List) string {
	n := len(diags.Errors())
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}

// printDiagnostics writes each diagnostic as file:line:col: path: summary;
// fix, followed by the source line with a caret under the column. It writes
// at most limit diagnostics, or all when limit is 0.
func printDiagnostics(w io.Writer, diags diag.List, limit int) {
	files := map[string][]byte{}
	for i, d := range diags {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "and %d more\n", len(diags)-limit)
			return
		}
		fmt.Fprintln(w, d.Error())
		if line, caret, ok := sourceLine(files, d.Pos); ok {
			fmt.Fprintf(w, "    %s\n    %s\n", line, caret)
		}
	}
}

// sourceLine returns the line at pos and a caret line pointing at its
// column. Files are read once and kept in files.
func sourceLine(files map[string][]byte, pos diag.Pos) (line, caret string, ok bool) {
	if !pos.IsValid() || pos.Col < 1 || pos.File == "" {
		return "", "", false
	}
	src, seen := files[pos.File]
	if !seen {
		src, _ = os.ReadFile(pos.File)
		files[pos.File] = src
	}
	for range pos.Line - 1 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return "", "", false
		}
		src = src[i+1:]
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	text := strings.TrimRight(string(src), "\r")
	if !utf8.ValidString(text) || len(text) > 400 {
		return "", "", false
	}

	var b strings.Builder
	col := 1
	for _, r := range text {
		if col >= pos.Col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	b.WriteByte('^')
	return text, b.String(), true
}

// modelCounts is the summary of a valid model.
type modelCounts struct {
	Processes     int            `json:"processes"`
	Stores        int            `json:"stores"`
	Entities      int            `json:"entities"`
	Flows         int            `json:"flows"`
	Boundaries    int            `json:"boundaries"`
	Interfaces    int            `json:"interfaces"`
	ByExposure    map[string]int `json:"interfaces_by_exposure"`
	Dependencies  int            `json:"dependencies"`
	Data          int            `json:"data"`
	Assumptions   int            `json:"assumptions"`
	Controls      int            `json:"controls"`
	Hazards       int            `json:"hazards"`
	Dispositions  int            `json:"dispositions"`
	ManualThreats int            `json:"handwritten_threats"`
	Issues        int            `json:"issues"`
	Reviews       int            `json:"reviews"`
}

func countModel(m *model.Model) modelCounts {
	c := modelCounts{
		Flows: len(m.Flows), Boundaries: len(m.Boundaries), Interfaces: len(m.Interfaces),
		Dependencies: len(m.Dependencies), Data: len(m.Data), Assumptions: len(m.Assumptions),
		Controls: len(m.Controls), Hazards: len(m.Hazards), Issues: len(m.Issues), Reviews: len(m.Reviews),
		ByExposure: map[string]int{},
	}
	for _, el := range m.Elements {
		switch el.Kind {
		case "process":
			c.Processes++
		case "store":
			c.Stores++
		case "entity":
			c.Entities++
		}
	}
	for _, in := range m.Interfaces {
		c.ByExposure[in.Exposure]++
	}
	for _, t := range m.Threats {
		if t.Match != "" {
			c.Dispositions++
		} else {
			c.ManualThreats++
		}
	}
	return c
}

func printSummary(w io.Writer, path string, m *model.Model) {
	c := countModel(m)
	files := diag.Count(len(m.Files), "file", "files")
	fmt.Fprintf(w, "%s: valid (%s)\n", path, files)
	fmt.Fprintf(w, "  system: %s (%s), document %s version %s, %s\n",
		m.System.Name, m.System.ID, m.System.Document.ID, m.System.Document.Version, m.System.Lifecycle)

	var exposure []string
	for _, e := range model.Exposures {
		exposure = append(exposure, fmt.Sprintf("%s %d", e.ID, c.ByExposure[e.ID]))
	}
	rows := []struct {
		name  string
		count int
		note  string
	}{
		{"processes", c.Processes, ""},
		{"stores", c.Stores, ""},
		{"entities", c.Entities, ""},
		{"flows", c.Flows, ""},
		{"boundaries", c.Boundaries, ""},
		{"interfaces", c.Interfaces, strings.Join(exposure, ", ")},
		{"dependencies", c.Dependencies, ""},
		{"data categories", c.Data, ""},
		{"assumptions", c.Assumptions, ""},
		{"controls", c.Controls, ""},
		{"hazards", c.Hazards, ""},
		{"threat entries", c.Dispositions + c.ManualThreats,
			fmt.Sprintf("%s, %d hand-written", diag.Count(c.Dispositions, "disposition", "dispositions"), c.ManualThreats)},
		{"issues", c.Issues, ""},
		{"reviews", c.Reviews, ""},
	}
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(w, "  %-16s %5d  (%s)\n", r.name, r.count, r.note)
		} else {
			fmt.Fprintf(w, "  %-16s %5d\n", r.name, r.count)
		}
	}
}

// jsonDiagnostic is a diagnostic with its severity spelled out, as JSON
// readers need it.
type jsonDiagnostic struct {
	Severity string `json:"severity"`
	diag.Diagnostic
}

type validationJSON struct {
	Model       string           `json:"model"`
	Valid       bool             `json:"valid"`
	Files       []string         `json:"files,omitempty"`
	Errors      int              `json:"errors"`
	Warnings    int              `json:"warnings"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Counts      *modelCounts     `json:"counts,omitempty"`
}

func writeValidationJSON(w io.Writer, path string, m *model.Model, diags diag.List) error {
	out := validationJSON{Model: path, Valid: !diags.HasErrors(), Diagnostics: []jsonDiagnostic{}}
	for _, d := range diags {
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{Severity: d.Severity.String(), Diagnostic: d})
		if d.Severity == diag.Error {
			out.Errors++
		} else {
			out.Warnings++
		}
	}
	if m != nil {
		out.Files = m.Files
		if out.Valid {
			c := countModel(m)
			out.Counts = &c
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// onlyUnknownKeys reports whether every error in diags is an unknown key,
// including when there is no error at all.
func onlyUnknownKeys(diags diag.List) bool {
	for _, d := range diags.Errors() {
		if d.Code != "unknown-key" {
			return false
		}
	}
	return true
}

// assessmentDiagnostics runs the pipeline past loading on a valid model
// and returns what it reports about the model.
func assessmentDiagnostics(m *model.Model) (diag.List, error) {
	_, diags, err := pipeline.Assess(m, pipeline.Options{})
	return diags, err
}
