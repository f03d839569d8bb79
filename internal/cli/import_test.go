package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/interop"
)

// corpusModelsDir holds real threat models of other tools, read at run time.
const corpusModelsDir = "../../../shared/corpus/models"

// wardCLI runs the command line in-process and returns the exit code,
// standard output and standard error.
func wardCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestImportCorpusThenCheckAndReport imports every corpus model, then runs
// validate, check and report on the result, as a user adopting Ward would.
func TestImportCorpusThenCheckAndReport(t *testing.T) {
	if _, err := os.Stat(corpusModelsDir); err != nil {
		t.Skipf("corpus folder %s not present", corpusModelsDir)
	}
	for _, f := range importedCorpusModels() {
		t.Run(f, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "ward.yaml")
			code, _, stderr := wardCLI(t, "import", filepath.Join(corpusModelsDir, f), "-o", out)
			if code != ExitOK {
				t.Fatalf("import exit %d:\n%s", code, stderr)
			}
			for _, want := range []string{"imported ", "processes", "to do for IEC 81001-5-1 clause 7.2:", "no interfaces: add physical ports, debug ports and board connections"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("import report lacks %q:\n%s", want, stderr)
				}
			}

			if code, stdout, stderr := wardCLI(t, "validate", out); code != ExitOK {
				t.Errorf("validate exit %d:\n%s%s", code, stdout, stderr)
			}

			code, stdout, stderr := wardCLI(t, "check", out, "--format", "json")
			if code != ExitOK && code != ExitFindings {
				t.Fatalf("check exit %d:\n%s", code, stderr)
			}
			if !strings.Contains(stdout, "7.2") {
				t.Errorf("check output names no clause 7.2 item:\n%.500s", stdout)
			}
			var anyJSON any
			if err := json.Unmarshal([]byte(stdout), &anyJSON); err != nil {
				t.Errorf("check --format json output is not JSON: %v", err)
			}

			reportDir := filepath.Join(dir, "report")
			if code, _, stderr := wardCLI(t, "report", out, "--format", "md", "--date", "2026-01-15", "-o", reportDir); code != ExitOK {
				t.Fatalf("report exit %d:\n%s", code, stderr)
			}
			entries, err := os.ReadDir(reportDir)
			if err != nil || len(entries) == 0 {
				t.Errorf("report wrote nothing to %s: %v", reportDir, err)
			}
		})
	}
}

// TestImportCorpusCoversEveryModel checks that the list above and the
// schema list below name every file of the corpus models folder, so a
// file added to the corpus is not silently left untested.
func TestImportCorpusCoversEveryModel(t *testing.T) {
	if _, err := os.Stat(corpusModelsDir); err != nil {
		t.Skipf("corpus folder %s not present", corpusModelsDir)
	}
	known := map[string]bool{}
	for _, f := range append(importedCorpusModels(), corpusSchemas...) {
		known[f] = true
	}
	err := filepath.WalkDir(corpusModelsDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(corpusModelsDir, path)
		if !known[filepath.ToSlash(rel)] {
			t.Errorf("corpus file %s is in neither the import list nor the schema list", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// importedCorpusModels lists the corpus models that ward import reads.
func importedCorpusModels() []string {
	return []string{
		"threagile/example-threagile.yaml", "threagile/stub-threagile.yaml",
		"threat-dragon/v2-threat-model.json", "threat-dragon/v1-demo-threat-model.json",
		"threat-dragon/iot-device.json", "threat-dragon/three-tier-web-app.json", "threat-dragon/mobile-cloud.otm.json",
		"otm/EXAMPLE.json", "otm/EXAMPLE.yaml", "pytm/input.json", "threatcl/tm1.json",
		"threatcl/tm1.hcl", "threatcl/tm2.hcl", "tmbom/huskyai.tmbom.json",
		"tmbom/tmbom-otm-example.cdx.json", "tmbom/tmbom-pytm-example.cdx.json",
	}
}

// corpusSchemas are the JSON Schema documents of the corpus models folder,
// which ward import names as schemas instead of importing.
var corpusSchemas = []string{
	"otm/otm_schema.json", "threat-dragon/threat-dragon-v2.schema.json", "tmbom/owasp-threat-model-library.schema.json",
}

func TestImportNamesSchemas(t *testing.T) {
	if _, err := os.Stat(corpusModelsDir); err != nil {
		t.Skipf("corpus folder %s not present", corpusModelsDir)
	}
	for _, f := range corpusSchemas {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join(corpusModelsDir, f)
			out := filepath.Join(t.TempDir(), "ward.yaml")
			code, _, stderr := wardCLI(t, "import", path, "-o", out)
			if code != ExitInvalid {
				t.Errorf("exit %d, want %d", code, ExitInvalid)
			}
			if want := path + ":1:1: file is a JSON Schema document"; !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("import wrote %s for a schema", out)
			}
		})
	}
}

func TestImportRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "model.json")
	if err := os.WriteFile(in, []byte(`{"name": "x", "elements": [{"__class__": "Actor", "name": "User"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(out, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	code, _, stderr := wardCLI(t, "import", in, "-o", out)
	if code != ExitInvalid || !strings.Contains(stderr, "already exists; pass --force") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(out); string(data) != "keep me\n" {
		t.Errorf("existing file changed to %q", data)
	}

	if code, _, stderr := wardCLI(t, "import", "--from", "pytm", in, "-o", out, "--force"); code != ExitOK {
		t.Fatalf("import --force exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(out); !strings.Contains(string(data), "kind: entity") {
		t.Errorf("overwritten file = %s", data)
	}
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  \"otmVersion\": \"0.2.0\",\n  \"project\": [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed", []string{"import", bad, "-o", "-"}, bad + ":3:15: invalid JSON: unexpected end of file"},
		{"unknown format", []string{"import", "--from", "visio", bad}, `unknown format "visio"`},
		{"missing file", []string{"import", filepath.Join(dir, "none.json")}, "input file " + filepath.Join(dir, "none.json") + " not found; check the path"},
		{"no argument", []string{"import"}, "missing argument FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := wardCLI(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("exit %d, want %d", code, ExitInvalid)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func TestImportChecksInputBeforeOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(out, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nosuch.json")

	code, _, stderr := wardCLI(t, "import", missing, "-o", out)
	if code != ExitInvalid {
		t.Errorf("exit %d, want 2", code)
	}
	if want := "ward: input file " + missing + " not found"; !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr = %q, want it to start with %q", stderr, want)
	}
	if strings.Contains(stderr, "already exists") {
		t.Errorf("stderr blames the output for a missing input: %q", stderr)
	}
}

func TestImportNamesSBOM(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "sbom")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus not present")
	}
	tests := []struct {
		file string
		kind string
	}{
		{"spdx/example1.spdx", "SPDX 2.2 tag-value"},
		{"spdx/example11-sbom.spdx.json", "SPDX 2.3 json"},
		{"cyclonedx/cern-lhc-vdm-editor-npm.bom.xml", "CycloneDX 1.2 xml"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(corpus, tt.file)
			code, out, stderr := wardCLI(t, "import", path, "-o", "-")
			if code != ExitInvalid {
				t.Errorf("exit %d, want 2", code)
			}
			want := "ward: " + path + " is an SBOM (" + tt.kind + "), which lists software, not a threat model; add its components to a Ward model's dependencies with ward sbom import " + path
			if !strings.HasPrefix(stderr, want) {
				t.Errorf("stderr = %q, want it to start with %q", stderr, want)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestExportOTM(t *testing.T) {
	model := "../../examples/insulin-pump/ward.yaml"
	if _, err := os.Stat(model); err != nil {
		t.Skip("example model not present")
	}
	code, stdout, stderr := wardCLI(t, "export", "--to", "otm", model)
	if code != ExitOK {
		t.Fatalf("export exit %d: %s", code, stderr)
	}
	var doc struct {
		OTMVersion string           `json:"otmVersion"`
		Components []map[string]any `json:"components"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("export output is not JSON: %v", err)
	}
	if doc.OTMVersion != "0.2.0" || len(doc.Components) == 0 {
		t.Errorf("otmVersion %q, %d components", doc.OTMVersion, len(doc.Components))
	}
	// Interfaces, dependencies, dispositions and the rest travel in ward_
	// attributes, so the example leaves nothing out.
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing not exported for the example", stderr)
	}

	dir := t.TempDir()
	otm := filepath.Join(dir, "model.otm.json")
	if code, _, stderr := wardCLI(t, "export", model, "-o", otm); code != ExitOK {
		t.Fatalf("export -o exit %d: %s", code, stderr)
	}
	back := filepath.Join(dir, "ward.yaml")
	if code, _, stderr := wardCLI(t, "import", otm, "-o", back); code != ExitOK {
		t.Fatalf("re-import exit %d: %s", code, stderr)
	}
	if code, _, stderr := wardCLI(t, "export", "--to", "visio", model); code != ExitInvalid || !strings.Contains(stderr, "only export format is otm") {
		t.Errorf("unknown --to: exit %d, %s", code, stderr)
	}
}

func TestExportOTMListsInclude(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "ward.yaml")
	files := map[string]string{
		main:                                "ward: 1\ninclude: [elements.yaml]\nsystem:\n  id: s\n  name: S\n  document: {id: TM-1, version: \"1\"}\n  lifecycle: development\n",
		filepath.Join(dir, "elements.yaml"): "elements:\n  - {id: fw, kind: process, name: Firmware}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := wardCLI(t, "export", main)
	if code != ExitOK {
		t.Fatalf("export exit %d: %s", code, stderr)
	}
	if want := "not exported: include: the content of the included file is exported merged into the model"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if !strings.Contains(stdout, `"id": "fw"`) {
		t.Errorf("export lacks the included element fw:\n%s", stdout)
	}
}

// TestImportFormatsDocumented checks that the import help, README's command
// table and docs/import.md name every format that ward import reads.
func TestImportFormatsDocumented(t *testing.T) {
	code, help, stderr := wardCLI(t, "import", "--help")
	if code != ExitOK {
		t.Fatalf("import --help exit %d: %s", code, stderr)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var readmeRow string
	for line := range strings.Lines(string(readme)) {
		if strings.HasPrefix(line, "| `ward import") {
			readmeRow = line
		}
	}
	if readmeRow == "" {
		t.Fatal("README.md has no command table row for ward import")
	}
	doc, err := os.ReadFile("../../docs/import.md")
	if err != nil {
		t.Fatal(err)
	}

	for _, f := range interop.Formats {
		id, title := string(f), f.Title()
		if !strings.Contains(help, "  "+id+" ") || !strings.Contains(help, title) {
			t.Errorf("ward import --help lacks %s (%s)", id, title)
		}
		if !strings.Contains(help, id+",") && !strings.Contains(help, id+" (") && !strings.Contains(help, "or "+id) {
			t.Errorf("--from help lacks %s", id)
		}
		if !strings.Contains(readmeRow, title) {
			t.Errorf("README row %q lacks %s", strings.TrimSpace(readmeRow), title)
		}
		if !strings.Contains(string(doc), "| `"+id+"` |") || !strings.Contains(string(doc), title) {
			t.Errorf("docs/import.md lacks a formats row for %s (%s)", id, title)
		}
	}
}

func TestImportNextNamesReportDate(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "model.json")
	if err := os.WriteFile(in, []byte(`{"name": "x", "elements": [{"__class__": "Actor", "name": "User"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ward.yaml")
	code, _, stderr := wardCLI(t, "import", in, "-o", out)
	if code != ExitOK {
		t.Fatalf("import exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"next: ward validate " + out + " && ward check " + out + " && ward report " + out + " --date YYYY-MM-DD\n",
		"ward report needs --date because the model has no review or release date",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestValidateNamesForeignFormat(t *testing.T) {
	if _, err := os.Stat(corpusModelsDir); err != nil {
		t.Skipf("corpus folder %s not present", corpusModelsDir)
	}
	tests := []struct {
		file, want string
	}{
		{"otm/EXAMPLE.json", "this looks like an Open Threat Model (OTM) file; convert it with ward import "},
		{"threagile/stub-threagile.yaml", "this looks like a Threagile file; convert it with ward import "},
		{"threat-dragon/v2-threat-model.json", "this looks like an OWASP Threat Dragon file; convert it with ward import "},
		{"tmbom/tmbom-pytm-example.cdx.json", "this looks like a CycloneDX threat model BOM (TMBOM) file; convert it with ward import "},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(corpusModelsDir, tt.file)
			code, stdout, _ := wardCLI(t, "validate", path)
			if code != ExitInvalid {
				t.Errorf("exit %d, want %d", code, ExitInvalid)
			}
			if want := tt.want + path + "\n"; !strings.HasPrefix(stdout, want) {
				t.Errorf("stdout does not start with %q:\n%.2000s", want, stdout)
			}
			_, _, stderr := wardCLI(t, "threats", path)
			if want := tt.want + path + "\n"; !strings.HasPrefix(stderr, want) {
				t.Errorf("ward threats: stderr does not start with %q:\n%.2000s", want, stderr)
			}
		})
	}

	// A Ward model with a mistake gets no such line.
	dir := t.TempDir()
	path := filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(path, []byte("ward: 1\nsystem:\n  id: s\n  name: S\n  colour: blue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := wardCLI(t, "validate", path)
	if code != ExitInvalid {
		t.Errorf("exit %d, want %d", code, ExitInvalid)
	}
	if strings.Contains(stdout, "this looks like") {
		t.Errorf("validate of a Ward model names another format:\n%s", stdout)
	}
}
