package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

const (
	// exampleModel is the insulin pump example, read from the repository.
	exampleModel = "../../examples/insulin-pump/ward.yaml"
	// corpus is the shared folder of real SBOMs and OSV records.
	corpus = "../../../shared/corpus"
	// cernSBOM is a small npm SBOM of the corpus (CycloneDX 1.2, 43
	// components) with minimist 0.0.8 and ws 6.2.1, which have known
	// vulnerabilities in the corpus OSV records.
	cernSBOM = corpus + "/sbom/cyclonedx/cern-lhc-vdm-editor-npm.bom.json"
)

// needCorpus skips the test when the shared corpus is absent.
func needCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpus); os.IsNotExist(err) {
		t.Skip("corpus folder absent:", corpus)
	}
}

// copyExample copies the insulin pump example and the SBOM at sbomSrc
// (when not empty) into a temporary folder, as ward.yaml and
// sbom/app.bom.json, and returns the folder.
func copyExample(t *testing.T, sbomSrc string) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, exampleModel, filepath.Join(dir, "ward.yaml"))
	if sbomSrc != "" {
		copyFile(t, sbomSrc, filepath.Join(dir, "sbom", "app.bom.json"))
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// missingLine returns the first line of before that does not appear in
// after in the same order, or "" when before's lines are a subsequence of
// after's: nothing was deleted or rewritten, only lines added.
func missingLine(before, after string) string {
	rest := strings.Split(after, "\n")
	for _, line := range strings.Split(before, "\n") {
		i := slices.Index(rest, line)
		if i < 0 {
			return line
		}
		rest = rest[i+1:]
	}
	return ""
}

// loadDependency loads the model and returns the dependency with id.
func loadDependency(t *testing.T, path, id string) model.Dependency {
	t.Helper()
	m, diags, err := model.Load(path, model.LoadOptions{})
	if err != nil || diags.HasErrors() {
		t.Fatalf("model.Load(%s): %v %v", path, err, diags)
	}
	for _, d := range m.Dependencies {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("model %s has no dependency %s", path, id)
	return model.Dependency{}
}

// editSBOM rewrites a CycloneDX JSON SBOM through edit.
func editSBOM(t *testing.T, path string, edit func(components []map[string]any) []map[string]any) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(readFile(t, path)), &doc); err != nil {
		t.Fatal(err)
	}
	var comps []map[string]any
	for _, c := range doc["components"].([]any) {
		comps = append(comps, c.(map[string]any))
	}
	doc["components"] = edit(comps)
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSBOMImportKeepsModel(t *testing.T) {
	needCorpus(t)
	dir := copyExample(t, cernSBOM)
	path := filepath.Join(dir, "ward.yaml")
	bom := filepath.Join(dir, "sbom", "app.bom.json")
	original := readFile(t, path)

	code, out, errOut := run(t, "sbom", "import", bom, path, "--element", "cloud-api")
	if code != ExitOK {
		t.Fatalf("sbom import exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"imported sbom/app.bom.json (CycloneDX 1.2 json, 43 components): 43 added, 0 updated, 0 unchanged, 0 removed from the SBOM\n",
		"  added    npm-ws  ws 6.2.1\n",
		"  added    npm-minimist  minimist 0.0.8\n",
		"NTIA minimum elements: 44 gaps\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("sbom import output lacks %q:\n%s", want, out)
		}
	}
	imported := readFile(t, path)
	if line := missingLine(original, imported); line != "" {
		t.Errorf("after sbom import the model lost or changed the line %q", line)
	}
	ws := loadDependency(t, path, "npm-ws")
	if ws.Version != "6.2.1" || ws.Purl != "pkg:npm/ws@6.2.1" || ws.SBOM != "sbom/app.bom.json" || !slices.Equal(ws.Elements, []string{"cloud-api"}) {
		t.Errorf("npm-ws after import = version %q purl %q sbom %q elements %v", ws.Version, ws.Purl, ws.SBOM, ws.Elements)
	}

	// The user classifies ws, with comments, between the imports.
	userLines := "  - id: npm-ws\n" +
		"    # Pinned by puppeteer.\n" +
		"    classification: supported\n" +
		"    support: {level: active, ends: 2027-01-31}  # cloud team\n" +
		"    notes: Used by the renderer only.\n"
	edited := strings.Replace(imported, "  - id: npm-ws\n", userLines, 1)
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}

	// Importing the same SBOM again changes nothing.
	code, out, errOut = run(t, "sbom", "import", bom, path)
	if code != ExitOK || !strings.Contains(out, ": 0 added, 0 updated, 43 unchanged, 0 removed from the SBOM\n") {
		t.Fatalf("second sbom import exit = %d, want 0 and 43 unchanged\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if got := readFile(t, path); got != edited {
		t.Errorf("importing an unchanged SBOM rewrote the model; first missing line %q", missingLine(edited, got))
	}

	// The next release of the product upgrades ws and drops async-limiter.
	editSBOM(t, bom, func(comps []map[string]any) []map[string]any {
		comps = slices.DeleteFunc(comps, func(c map[string]any) bool { return c["name"] == "async-limiter" })
		for _, c := range comps {
			if c["name"] == "ws" {
				c["version"], c["purl"], c["bom-ref"] = "6.2.3", "pkg:npm/ws@6.2.3", "pkg:npm/ws@6.2.3"
			}
		}
		return comps
	})
	code, out, errOut = run(t, "sbom", "import", bom, path)
	if code != ExitOK {
		t.Fatalf("third sbom import exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"(CycloneDX 1.2 json, 42 components): 0 added, 1 updated, 41 unchanged, 1 removed from the SBOM\n",
		"  updated  npm-ws  version, purl\n",
		"  removed  npm-async-limiter  async-limiter 1.0.1: no longer in the SBOM; kept in the model",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("re-import output lacks %q:\n%s", want, out)
		}
	}
	upgraded := readFile(t, path)
	for _, line := range strings.Split(userLines, "\n") {
		if !strings.Contains(upgraded, line+"\n") {
			t.Errorf("re-import dropped the user's line %q", line)
		}
	}
	ws = loadDependency(t, path, "npm-ws")
	if ws.Version != "6.2.3" || ws.Purl != "pkg:npm/ws@6.2.3" {
		t.Errorf("npm-ws after re-import = version %q purl %q, want 6.2.3", ws.Version, ws.Purl)
	}
	if ws.Classification != "supported" || ws.Notes != "Used by the renderer only." || !slices.Equal(ws.Elements, []string{"cloud-api"}) {
		t.Errorf("npm-ws lost user fields: classification %q notes %q elements %v", ws.Classification, ws.Notes, ws.Elements)
	}
	if removed := loadDependency(t, path, "npm-async-limiter"); removed.Version != "1.0.1" {
		t.Errorf("npm-async-limiter version = %q, want 1.0.1 kept", removed.Version)
	}
	if line := missingLine(original, upgraded); line != "" {
		t.Errorf("after the re-import the model lost or changed the original line %q", line)
	}
}

func TestSBOMImportDryRun(t *testing.T) {
	needCorpus(t)
	dir := copyExample(t, cernSBOM)
	path := filepath.Join(dir, "ward.yaml")
	original := readFile(t, path)

	code, out, errOut := run(t, "sbom", "import", filepath.Join(dir, "sbom", "app.bom.json"), path, "--dry-run")
	if code != ExitOK || !strings.HasPrefix(out, "would import sbom/app.bom.json (CycloneDX 1.2 json, 43 components): 43 added") {
		t.Errorf("sbom import --dry-run exit = %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, out, errOut = run(t, "sbom", "import", filepath.Join(dir, "sbom", "app.bom.json"), path, "--dry-run", "--classification", "required")
	if want := "would fill classification required in 43 dependencies\n"; code != ExitOK || !strings.Contains(out, want) {
		t.Errorf("sbom import --dry-run --classification: exit %d, stdout lacks %q:\n%s\nstderr:\n%s", code, want, out, errOut)
	}
	if readFile(t, path) != original {
		t.Errorf("sbom import --dry-run wrote the model")
	}
}

func TestSBOMImportErrors(t *testing.T) {
	needCorpus(t)
	dir := copyExample(t, cernSBOM)
	path := filepath.Join(dir, "ward.yaml")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	original := readFile(t, path)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown element", []string{"sbom", "import", cernSBOM, path, "--element", "no-such"}, `--element "no-such": no entry under elements: has that ID`},
		{"malformed SBOM", []string{"sbom", "import", bad, path}, bad},
		{"missing SBOM", []string{"sbom", "import", filepath.Join(dir, "none.json"), path}, "none.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != ExitInvalid {
				t.Fatalf("exit = %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
			if readFile(t, path) != original {
				t.Errorf("a failed import wrote the model")
			}
		})
	}
}

func TestSBOMCheckCorpus(t *testing.T) {
	needCorpus(t)
	files, err := filepath.Glob(filepath.Join(corpus, "sbom", "*", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus SBOMs: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, out, errOut := run(t, "sbom", "check", f)
			if code != ExitOK {
				t.Fatalf("sbom check exit = %d, want 0\nstderr:\n%s", code, errOut)
			}
			first, _, _ := strings.Cut(out, "\n")
			if !strings.HasPrefix(first, f+": ") || !regexp.MustCompile(`, (1 component|\d+ components)$`).MatchString(first) {
				t.Errorf("first line %q, want %q", first, f+": FORMAT, N components")
			}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
				if !strings.HasPrefix(line, f) && line != "NTIA minimum elements: complete" {
					t.Errorf("line %q names neither the SBOM nor completeness", line)
				}
			}

			code, out, _ = run(t, "sbom", "check", f, "--format", "json")
			var got struct {
				File       string            `json:"file"`
				Format     string            `json:"format"`
				Components int               `json:"components"`
				Gaps       []json.RawMessage `json:"gaps"`
			}
			if err := json.Unmarshal([]byte(out), &got); code != ExitOK || err != nil {
				t.Fatalf("sbom check --format json: exit %d, %v\n%s", code, err, out)
			}
			if got.File != f || got.Format == "" || got.Gaps == nil {
				t.Errorf("sbom check --format json = %+v", got)
			}
		})
	}
}

func TestSBOMCheckCERN(t *testing.T) {
	needCorpus(t)
	code, out, _ := run(t, "sbom", "check", cernSBOM)
	if code != ExitOK {
		t.Fatalf("sbom check exit = %d, want 0", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if want := cernSBOM + ": CycloneDX 1.2 json, 43 components"; lines[0] != want {
		t.Errorf("first line = %q, want %q", lines[0], want)
	}
	// One document gap (no author) and one per component (no supplier).
	if len(lines) != 1+44 {
		t.Errorf("sbom check printed %d gaps, want 44", len(lines)-1)
	}
	want := cernSBOM + `:46:5: warning: components[0]: component "puppeteer@1.19.0" lacks NTIA minimum elements: supplier, dependency relationship`
	if !strings.HasPrefix(lines[2], want) {
		t.Errorf("gap line = %q, want prefix %q", lines[2], want)
	}
}

func TestSBOMCheckErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.spdx.json")
	if err := os.WriteFile(bad, []byte(`{"spdxVersion": "SPDX-2.3", "packages": [{"name": 7}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"sbom", "check", bad},
		{"sbom", "check", filepath.Join(t.TempDir(), "none.json")},
		{"sbom", "check", bad, "--format", "yaml"},
	} {
		code, out, errOut := run(t, args...)
		if code != ExitInvalid {
			t.Errorf("%v: exit = %d, want 2\nstdout:\n%s\nstderr:\n%s", args, code, out, errOut)
		}
		if !strings.HasPrefix(errOut, "ward: ") {
			t.Errorf("%v: stderr = %q, want a ward: message", args, errOut)
		}
	}
}

func TestSBOMImportFillsSupportFields(t *testing.T) {
	needCorpus(t)
	dir := copyExample(t, cernSBOM)
	path := filepath.Join(dir, "ward.yaml")
	bom := filepath.Join(dir, "sbom", "app.bom.json")

	// A first import without the flags leaves the fields empty and
	// explains how to fill them.
	code, out, errOut := run(t, "sbom", "import", bom, path)
	if code != ExitOK {
		t.Fatalf("sbom import exit = %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if want := "43 of the SBOM's dependencies lack a classification, support level or end-of-support date"; !strings.Contains(out, want) {
		t.Errorf("sbom import output lacks %q:\n%s", want, out)
	}
	before := readFile(t, path)

	code, out, errOut = run(t, "sbom", "import", bom, path,
		"--classification", "supported", "--support", "active", "--support-ends", "2028-12-31")
	if code != ExitOK {
		t.Fatalf("sbom import with support flags exit = %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if want := "0 added, 43 updated, 0 unchanged"; !strings.Contains(out, want) {
		t.Errorf("sbom import output lacks %q:\n%s", want, out)
	}
	if want := "filled classification supported in 43 dependencies, support level active in 43, end of support 2028-12-31 in 43\n"; !strings.Contains(out, want) {
		t.Errorf("sbom import output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "lack a classification") {
		t.Errorf("sbom import still reports missing fields:\n%s", out)
	}
	ws := loadDependency(t, path, "npm-ws")
	if ws.Classification != "supported" || ws.Support.Level != "active" || ws.Support.Ends != "2028-12-31" {
		t.Errorf("npm-ws classification %q, support %+v", ws.Classification, ws.Support)
	}
	if line := missingLine(before, readFile(t, path)); line != "" {
		t.Errorf("the import lost or changed the line %q", line)
	}

	code, out, _ = run(t, "check", path, "--date", "2026-01-15")
	if code == ExitInvalid {
		t.Fatalf("check exit = %d\n%s", code, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "quality.dependency-fields") && strings.Contains(line, "npm-") {
			t.Errorf("check still lists imported dependencies: %s", line)
		}
	}
}

func TestSBOMImportRejectsBadSupportFlags(t *testing.T) {
	needCorpus(t)
	dir := copyExample(t, cernSBOM)
	path := filepath.Join(dir, "ward.yaml")
	original := readFile(t, path)
	code, _, errOut := run(t, "sbom", "import", filepath.Join(dir, "sbom", "app.bom.json"), path,
		"--classification", "suported", "--support", "activ", "--support-ends", "2026-02-30")
	if code != ExitInvalid {
		t.Fatalf("exit = %d, want 2\n%s", code, errOut)
	}
	for _, want := range []string{
		"3 problems in the command line",
		`--classification "suported" is not one of maintained, supported, required; did you mean supported?`,
		`--support "activ" is not one of active, security-only, end-of-life, unknown, none; did you mean active?`,
		`invalid --support-ends "2026-02-30": the date does not exist`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if readFile(t, path) != original {
		t.Error("a rejected import changed the model")
	}
}

func TestSBOMImportMissingFile(t *testing.T) {
	path := writeModel(t, editModel)
	missing := filepath.Join(t.TempDir(), "nope.cdx.json")
	code, _, errOut := run(t, "sbom", "import", missing, path)
	if code != ExitInvalid || !strings.Contains(errOut, "SBOM "+missing+" not found") {
		t.Errorf("exit %d, stderr %q; want exit %d naming the missing SBOM", code, errOut, ExitInvalid)
	}
}
