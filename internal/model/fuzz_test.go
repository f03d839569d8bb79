package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
)

// corpusDir is the shared folder of real models, catalogs and SBOMs that
// tests read at run time; it sits beside the repository.
const corpusDir = "../../../shared/corpus"

// addSeeds adds every file matching the patterns as a fuzz seed.
func addSeeds(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err == nil && len(src) <= 256<<10 {
				f.Add(src)
			}
		}
	}
}

// checkDiagnostics is the property every parse must have, whatever the
// input: no internal error (a recovered panic), and every position inside
// the file.
func checkDiagnostics(t *testing.T, name string, src []byte, diags diag.List) {
	t.Helper()
	lines := len(newSource(name, src).lines)
	for _, d := range diags {
		if d.Code == "internal-error" {
			t.Fatalf("internal error: %s", d.Error())
		}
		if d.Pos.File != name {
			continue // a diagnostic about another file cannot occur in Parse
		}
		if d.Pos.Line > lines || d.Pos.Line < 0 || d.Pos.Offset < 0 || d.Pos.Offset > len(src) {
			t.Errorf("diagnostic outside the file (%d lines, %d bytes): %s offset %d", lines, len(src), d.Error(), d.Pos.Offset)
		}
		if d.Summary == "" {
			t.Errorf("diagnostic without summary at %s", d.Pos)
		}
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f, "testdata/*.yaml", "testdata/errors/*.yaml", "testdata/fuzz/*.yaml",
		filepath.Join(corpusDir, "models", "*", "*.yaml"))
	for _, s := range []string{
		aliasBomb(),
		"ward: 1\nx-a: &a [1, *a]\n",
		strings.Repeat("[", 100) + strings.Repeat("]", 100),
		"ward: 1\n---\nward: 1\n",
		"a: !custom b\n",
		"<<: [*x]\n",
		"? [a]\n: b\n",
		"a: \"\\x00\"\n",
	} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, src []byte) {
		m, diags := Parse("f.yaml", src, LoadOptions{MaxFileSize: 1 << 20})
		checkDiagnostics(t, "f.yaml", src, diags)
		if m == nil && !diags.HasErrors() {
			t.Fatal("Parse returned no model and no error")
		}

		again, diags2 := Parse("f.yaml", src, LoadOptions{MaxFileSize: 1 << 20})
		if !reflect.DeepEqual(diags, diags2) {
			t.Errorf("Parse is not deterministic:\n%v\n---\n%v", diags, diags2)
		}
		_ = again
	})
}

func FuzzLoadJSON(f *testing.F) {
	addSeeds(f, "testdata/fuzz/*.json", filepath.Join(corpusDir, "models", "*", "*.json"))
	f.Add([]byte(`{"ward": 1, "system": {"id": "x", "name": "X", "lifecycle": "development", "document": {"id": "D", "version": "1"}}}`))
	f.Add([]byte(`{"ward": 1, "elements": [{"id": "a", "kind": "process", "name": "A", "attributes": {"n": 1e3, "s": "\u00e9\/"}}]}`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(`[1, 2]`))

	f.Fuzz(func(t *testing.T, src []byte) {
		// Parse takes the same path as Load after reading the file; the
		// fuzzer runs far faster without a file write per input.
		_, diags := Parse("model.json", src, LoadOptions{MaxFileSize: 1 << 20})
		checkDiagnostics(t, "model.json", src, diags)

		// Valid JSON is valid YAML: it must never be reported as a syntax
		// error, only as a model with wrong content.
		var v any
		if json.Unmarshal(src, &v) == nil {
			for _, d := range diags {
				if d.Code == "syntax-error" {
					t.Errorf("valid JSON reported as invalid YAML: %s", d.Error())
				}
			}
		}
	})
}

// TestParseForeignModels reads other tools' threat models from the shared
// corpus. None is a Ward model, so each must give errors with positions in
// the file, and none may crash the loader.
func TestParseForeignModels(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	paths, err := filepath.Glob(filepath.Join(corpusDir, "models", "*", "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus models found: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, diags := Parse(path, src, LoadOptions{})
			if !diags.HasErrors() {
				t.Errorf("Parse(%s) reported no error for a file that is not a Ward model", path)
			}
			checkDiagnostics(t, path, src, diags)
		})
	}
}
