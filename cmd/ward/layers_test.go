package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/wardtm/ward/internal/"

// layers orders the packages along the pipeline. A package may import only
// packages of a lower layer, so arrows point down the pipeline: report may
// read the assessment, never the reverse, and model depends on nothing of
// Ward's but diag.
var layers = map[string]int{
	"diag":        0,
	"atomicfile":  0,
	"model":       1,
	"modelgen":    2,
	"catalog":     2,
	"sbom":        2,
	"review":      2,
	"threat":      3,
	"risk":        4,
	"vuln":        5,
	"assessment":  6,
	"conformance": 7,
	"diagram":     7,
	"sarif":       7,
	"tracker":     7,
	"interop":     7,
	"report":      8,
	"pipeline":    8,
	"evidence":    9,
	"cli":         10,
}

func TestPackageLayers(t *testing.T) {
	root := filepath.Join("..", "..", "internal")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		pkg := e.Name()
		layer, known := layers[pkg]
		if !known {
			t.Errorf("package internal/%s has no layer; add it to the layers table in %s", pkg, "cmd/ward/layers_test.go")
			continue
		}
		for imp, file := range internalImports(t, filepath.Join(root, pkg)) {
			top, _, _ := strings.Cut(imp, "/")
			if top == pkg {
				continue
			}
			if l, ok := layers[top]; !ok || l >= layer {
				t.Errorf("%s imports internal/%s (layer %d), but internal/%s is layer %d: imports must point down the pipeline",
					file, imp, l, pkg, layer)
			}
		}
	}
}

// internalImports returns the Ward packages imported by the non-test files
// under dir (sub-packages included), each with one file that imports it.
func internalImports(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if rest, ok := strings.CutPrefix(p, module); ok {
				out[rest] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
