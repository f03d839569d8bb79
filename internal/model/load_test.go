package model

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/diag"
)

// want is one expected diagnostic: a code at a line and column.
type want struct {
	Line, Col int
	Code      string
}

var wantComment = regexp.MustCompile(`#\s*want:\s*(.*)$`)

// readWants collects the "# want: code@col, code@col" comments of a test
// input. Each names a diagnostic expected on the comment's own line.
func readWants(t *testing.T, path string) []want {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wants []want
	for i, line := range strings.Split(string(src), "\n") {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for spec := range strings.SplitSeq(m[1], ",") {
			code, col, ok := strings.Cut(strings.TrimSpace(spec), "@")
			n, err := strconv.Atoi(col)
			if !ok || err != nil {
				t.Fatalf("%s:%d: malformed want %q, expected code@column", path, i+1, spec)
			}
			wants = append(wants, want{Line: i + 1, Col: n, Code: code})
		}
	}
	return wants
}

func gotWants(diags diag.List) []want {
	got := []want{}
	for _, d := range diags {
		got = append(got, want{Line: d.Pos.Line, Col: d.Pos.Col, Code: d.Code})
	}
	return got
}

// TestLoadErrorPositions checks every diagnostic of the inputs under
// testdata/errors against the want comments on their lines: the code, the
// line and the column must match, and nothing else may be reported.
func TestLoadErrorPositions(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test inputs: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			wants := readWants(t, path)
			_, diags, err := Load(path, LoadOptions{})
			if err != nil {
				t.Fatalf("Load(%q): %v", path, err)
			}
			if diff := cmp.Diff(wants, gotWants(diags)); diff != "" {
				t.Errorf("Load(%q) diagnostics (-want +got):\n%s\nall:\n%v", path, diff, diags)
			}
			for _, d := range diags {
				if d.Pos.File != path {
					t.Errorf("diagnostic %q names file %q, want %q", d.Error(), d.Pos.File, path)
				}
				if d.Summary == "" || d.Fix == "" {
					t.Errorf("diagnostic %q lacks a summary or a fix", d.Error())
				}
			}
		})
	}
}

func TestLoadValid(t *testing.T) {
	m, diags, err := Load("testdata/valid.yaml", LoadOptions{})
	if err != nil || len(diags) > 0 {
		t.Fatalf("Load(valid.yaml): err=%v diagnostics:\n%v", err, diags)
	}
	if got := len(m.Elements); got != 4 {
		t.Errorf("Load(valid.yaml): %d elements, want 4", got)
	}
	if got := m.Flows[0].Protocol.Name; got != "ble" {
		t.Errorf("flow protocol through alias = %q, want ble", got)
	}
	if got := m.Elements[0].Attributes["memory_safe"]; got != false {
		t.Errorf("attributes.memory_safe = %#v, want false", got)
	}
	if got := m.Flows[0].Encryption; got == nil || !*got {
		t.Errorf("flows[0].encryption = %v, want true", got)
	}
	if diff := cmp.Diff([]string{"testdata/valid.yaml"}, m.Files); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
}

// TestSourcePositions checks the positions the decoder records for items,
// fields and list entries.
func TestSourcePositions(t *testing.T) {
	src := "ward: 1\nelements:\n  - id: a\n    stores:\n      - d1\n      - d2\n    name:\n"
	m, _ := Parse("p.yaml", []byte(src), LoadOptions{})
	if m == nil {
		t.Fatal("Parse returned no model")
	}
	el := &m.Elements[0]
	tests := []struct {
		name string
		got  diag.Pos
		want string
	}{
		{"item", el.Pos(), "p.yaml:3:5"},
		{"field", el.FieldPos("id"), "p.yaml:3:9"},
		{"list entry", el.ItemPos("stores", 1), "p.yaml:6:9"},
		{"empty value points at key", el.FieldPos("name"), "p.yaml:7:5"},
		{"unwritten field falls back to item", el.FieldPos("kind"), "p.yaml:3:5"},
		{"top-level key", m.FieldPos("elements"), "p.yaml:3:3"},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s: position %s, want %s", tt.name, got, tt.want)
		}
	}
	if off := el.ItemPos("stores", 1).Offset; src[off:off+2] != "d2" {
		t.Errorf("offset %d points at %q, want d2", off, src[off:off+2])
	}
}

func TestTenMistakes(t *testing.T) {
	path := "testdata/ten-mistakes.yaml"
	_, diags, err := Load(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 10 {
		t.Fatalf("Load(%q) gave %d diagnostics, want 10:\n%v", path, len(diags), diags)
	}
	codes := map[string]bool{}
	for _, d := range diags {
		codes[d.Code] = true
		if !strings.HasPrefix(d.Error(), fmt.Sprintf("%s:%d:%d: ", path, d.Pos.Line, d.Pos.Col)) {
			t.Errorf("diagnostic %q does not start with file:line:col", d.Error())
		}
	}
	if len(codes) != 10 {
		t.Errorf("want ten different codes, got %d: %v", len(codes), codes)
	}
	if diff := cmp.Diff(readWants(t, path), gotWants(diags)); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}

func TestWrongTypeHidesMissingKeysInside(t *testing.T) {
	src := `ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-1, version: "1"}
  lifecycle: development
elements:
  - {id: a, kind: process, name: A}
  - {id: b, kind: process, name: B}
flows:
  - id: a-to-b
    from: a
    to: b
    protocol: https
`
	_, diags := Parse("w.yaml", []byte(src), LoadOptions{})
	if len(diags) != 1 {
		t.Fatalf("Parse gave %d diagnostics, want only the wrong type:\n%v", len(diags), diags)
	}
	d := diags[0]
	if d.Code != "wrong-type" || d.Pos.Line != 14 || !strings.Contains(d.Fix, "{name: https}") {
		t.Errorf("diagnostic = %v, want wrong-type at line 14 suggesting {name: https}", d)
	}
}
