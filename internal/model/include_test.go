package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const includeHeader = `ward: 1
system:
  id: inc
  name: Include test
  lifecycle: development
  document: {id: TM-INC, version: "1"}
`

// writeTree creates files (path -> content) under a new temporary folder
// and returns the folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadIncludeMerge(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"model/ward.yaml": includeHeader + `include: [parts/elements.yaml, parts/flows.yaml]
elements:
  - {id: app, kind: process, name: App}
`,
		"model/parts/elements.yaml": `ward: 1
elements:
  - {id: pump, kind: process, name: Pump}
include: [nested/data.yaml]
`,
		"model/parts/nested/data.yaml": `data:
  - {id: cmd, name: Commands, category: therapy}
`,
		"model/parts/flows.yaml": `flows:
  - {id: f1, from: app, to: pump, data: [cmd]}
  - {id: f2, from: app, to: pmp}
`,
	})
	main := filepath.Join(dir, "model", "ward.yaml")
	m, diags, err := Load(main, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Elements) != 2 || len(m.Flows) != 2 || len(m.Data) != 1 {
		t.Errorf("merged model has %d elements, %d flows, %d data; want 2, 2, 1", len(m.Elements), len(m.Flows), len(m.Data))
	}
	if len(m.Files) != 4 || m.Files[0] != main {
		t.Errorf("Files = %q, want the main file first and 4 files", m.Files)
	}
	flows := filepath.Join(dir, "model", "parts", "flows.yaml")
	if len(diags) != 1 || diags[0].Code != "unknown-reference" || diags[0].Pos.String() != flows+":3:29" ||
		!strings.Contains(diags[0].Fix, `"pump"`) {
		t.Errorf("diagnostics = %v, want one unknown-reference at %s:3:29 suggesting pump", diags, flows)
	}
	if got := m.Data[0].Pos().File; !strings.HasSuffix(got, "data.yaml") {
		t.Errorf("data item position names %q, want the included file", got)
	}
}

func TestLoadIncludeProblems(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		link    [2]string // symbolic link to create: link name, target
		opts    LoadOptions
		code    string
		file    string // file the diagnostic must name, relative to the folder
		summary string
	}{
		{
			name: "cycle",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [a.yaml]\n",
				"m/a.yaml":    "include: [b.yaml]\n",
				"m/b.yaml":    "include: [ward.yaml]\n",
			},
			code: "include-cycle", file: "m/b.yaml",
			summary: "makes a cycle",
		},
		{
			name: "outside through dot-dot",
			files: map[string]string{
				"m/ward.yaml":  includeHeader + "include: [../outside.yaml]\n",
				"outside.yaml": "hazards: [{id: H-1, name: Outside}]\n",
			},
			code: "include-outside", file: "m/ward.yaml", summary: "is outside the model's folder",
		},
		{
			name: "outside through a symbolic link",
			files: map[string]string{
				"m/ward.yaml":  includeHeader + "include: [link.yaml]\n",
				"outside.yaml": "hazards: [{id: H-1, name: Outside}]\n",
			},
			link: [2]string{"m/link.yaml", "../outside.yaml"},
			code: "include-outside", file: "m/ward.yaml", summary: "is a symbolic link to",
		},
		{
			name: "absolute path",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [/etc/hostname]\n",
			},
			code: "include-outside", file: "m/ward.yaml", summary: "is outside the model's folder",
		},
		{
			name: "not found",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [missing.yaml]\n",
			},
			code: "include-not-found", file: "m/ward.yaml", summary: "does not exist",
		},
		{
			name: "included twice",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [a.yaml, ./a.yaml]\n",
				"m/a.yaml":    "hazards: [{id: H-1, name: One}]\n",
			},
			code: "include-twice", file: "m/ward.yaml", summary: "is already included",
		},
		{
			name: "section in two files",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [a.yaml]\n",
				"m/a.yaml":    "system: {id: other, name: Other, lifecycle: development, document: {id: X, version: '1'}}\n",
			},
			code: "include-conflict", file: "m/a.yaml", summary: "system is already set in",
		},
		{
			name: "duplicate ID across files",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [a.yaml]\nhazards: [{id: H-1, name: One}]\n",
				"m/a.yaml":    "hazards: [{id: H-1, name: Again}]\n",
			},
			code: "duplicate-id", file: "m/a.yaml", summary: "is already used by the hazard at",
		},
		{
			name: "syntax error in included file",
			files: map[string]string{
				"m/ward.yaml": includeHeader + "include: [a.yaml]\n",
				"m/a.yaml":    "hazards: [{id: H-1\n",
			},
			code: "syntax-error", file: "m/a.yaml", summary: "invalid YAML",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			if tt.link[0] != "" {
				if err := os.Symlink(tt.link[1], filepath.Join(dir, tt.link[0])); err != nil {
					t.Skipf("cannot create a symbolic link here: %v", err)
				}
			}
			_, diags, err := Load(filepath.Join(dir, "m", "ward.yaml"), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			wantFile := filepath.Join(dir, tt.file)
			for _, d := range diags {
				if d.Code == tt.code && d.Pos.File == wantFile && d.Pos.Line > 0 && strings.Contains(d.Summary, tt.summary) {
					return
				}
			}
			t.Errorf("Load: no %s diagnostic in %s with %q; got:\n%v", tt.code, tt.file, tt.summary, diags)
		})
	}
}

func TestLoadIncludeCycleChain(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ward.yaml": includeHeader + "include: [a.yaml]\n",
		"a.yaml":    "include: [b.yaml]\n",
		"b.yaml":    "include: [a.yaml]\n",
	})
	_, diags, err := Load(filepath.Join(dir, "ward.yaml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	want := "include of a.yaml makes a cycle: " + a + " -> " + b + " -> " + a
	if len(diags) != 1 || diags[0].Summary != want || diags[0].Pos.String() != b+":1:11" {
		t.Errorf("diagnostics = %v\nwant one at %s:1:11: %s", diags, b, want)
	}
}

func TestLoadIncludeAllowOutside(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"m/ward.yaml":  includeHeader + "include: [../outside.yaml]\n",
		"outside.yaml": "hazards: [{id: H-1, name: Outside}]\n",
	})
	m, diags, err := Load(filepath.Join(dir, "m", "ward.yaml"), LoadOptions{AllowOutside: true})
	if err != nil || len(diags) != 0 || len(m.Hazards) != 1 {
		t.Errorf("Load with AllowOutside: err %v, diagnostics %v, model %v; want the outside hazard merged", err, diags, m != nil)
	}
}

func TestLoadIncludeReportsEveryBadEntry(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"m/ward.yaml":  includeHeader + "include: [cloud.yaml, ../secret.yaml]\n",
		"secret.yaml":  "hazards: [{id: H-1, name: Outside}]\n",
		"m/other.yaml": "hazards: [{id: H-2, name: Inside}]\n",
	})
	_, diags, err := Load(filepath.Join(dir, "m", "ward.yaml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range diags {
		got[d.Path] = d.Code
	}
	if got["include[0]"] != "include-not-found" {
		t.Errorf("include[0] cloud.yaml: got code %q, want include-not-found; all:\n%v", got["include[0]"], diags)
	}
	if got["include[1]"] != "include-outside" {
		t.Errorf("include[1] ../secret.yaml: got code %q, want include-outside; all:\n%v", got["include[1]"], diags)
	}
}
