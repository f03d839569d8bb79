package model

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/parser"
)

var updateEdit = flag.Bool("update", false, "rewrite golden files in testdata")

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "edit", name))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// changedRegion returns the parts of old and new that differ, after the
// longest common prefix and suffix.
func changedRegion(old, new []byte) (string, string) {
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	s := 0
	for s < len(old)-p && s < len(new)-p && old[len(old)-1-s] == new[len(new)-1-s] {
		s++
	}
	return string(old[p : len(old)-s]), string(new[p : len(new)-s])
}

func commentLines(src []byte) []string {
	var out []string
	for _, line := range strings.Split(string(src), "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			out = append(out, strings.TrimSpace(line[i:]))
		}
	}
	return out
}

func TestEditorChangesOnlyTouchedBytes(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(e *Editor) error
		old, new string // the differing region before and after
	}{
		{"plain scalar", func(e *Editor) error { return e.Set(Path{"threats", 0, "status"}, "mitigated") },
			"open", "mitigated"},
		{"double-quoted scalar keeps quotes", func(e *Editor) error { return e.Set(Path{"threats", 1, "status"}, "accepted") },
			"mitiga", "accep"},
		{"single-quoted scalar keeps quotes", func(e *Editor) error { return e.Set(Path{"controls", 1, "name"}, "Pairing code") },
			"PIN", "code"},
		{"scalar in flow mapping", func(e *Editor) error { return e.Set(Path{"system", "document", "version"}, "3.0") },
			"2", "3"},
		{"literal block scalar keeps header", func(e *Editor) error {
			return e.Set(Path{"threats", 0, "justification"}, "Only line.")
		}, "Line one.\n      Line two", "Only line"},
		{"folded block scalar", func(e *Editor) error { return e.Set(Path{"system", "description"}, "One line.") },
			"A folded description\n    over two lines", "One line"},
		{"add key to block mapping", func(e *Editor) error { return e.Set(Path{"threats", 1, "tracker"}, "https://t.example/1") },
			"", "    tracker: https://t.example/1\n"},
		{"add key to flow mapping", func(e *Editor) error { return e.Set(Path{"system", "document", "owner"}, "Security") },
			"", ", owner: Security"},
		{"replace flow list", func(e *Editor) error { return e.Set(Path{"threats", 0, "controls"}, []string{"C-1", "C-2"}) },
			"", ", C-2"},
		{"replace block list with flow list", func(e *Editor) error {
			return e.Set(Path{"threats", 1, "controls"}, []string{"C-1"})
		}, "\n      - C-2", " [C-1]"},
		{"append to flow list with trailing comma", func(e *Editor) error { return e.Append(Path{"threats", 1, "hazards"}, "HAZ-2") },
			"", " HAZ-2"},
		{"append mapping to empty flow list", func(e *Editor) error {
			return e.Append(Path{"reviews"}, Mapping{{"date", Date("2026-01-02")}, {"kind", "periodic"}})
		}, " []", "\n  - date: 2026-01-02\n    kind: periodic"},
		{"append scalar to empty flow list", func(e *Editor) error { return e.Append(Path{"reviews"}, "x") },
			"", "x"},
		{"append to block list", func(e *Editor) error {
			return e.Append(Path{"controls"}, Mapping{{"id", "C-3"}, {"name", "Signed updates"}, {"category", "updatability-patchability"}})
		}, "", "  - id: C-3\n    name: Signed updates\n    category: updatability-patchability\n"},
		{"append to compact block list", func(e *Editor) error {
			return e.Append(Path{"hazards"}, Mapping{{"id", "HAZ-3"}, {"name", "Wrong alarm"}})
		}, "", "- id: HAZ-3\n  name: Wrong alarm\n"},
		{"append after trailing comment of last item", func(e *Editor) error {
			return e.Append(Path{"threats"}, Mapping{{"match", "x@y"}, {"status", "open"}})
		}, "", "  - match: x@y\n    status: open\n"},
		{"new list key", func(e *Editor) error {
			return e.Append(Path{"issues"}, Mapping{{"id", "SEC-1"}, {"title", "Weak PIN: 4 digits"}})
		}, "", "issues:\n  - id: SEC-1\n    title: \"Weak PIN: 4 digits\"\n"},
		{"quote values that would change type", func(e *Editor) error { return e.Set(Path{"system", "id"}, "true") },
			"demo", "\"true\""},
	}
	src := readFixture(t, "commented.yaml")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEditor("commented.yaml", src)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(e); err != nil {
				t.Fatalf("edit: %v", err)
			}
			got := e.Bytes()
			oldPart, newPart := changedRegion(src, got)
			if oldPart != tt.old || newPart != tt.new {
				t.Errorf("changed region: old %q -> new %q; want %q -> %q\nresult:\n%s", oldPart, newPart, tt.old, tt.new, got)
			}
			for _, c := range commentLines(src) {
				if !bytes.Contains(got, []byte(c)) {
					t.Errorf("comment %q lost", c)
				}
			}
			if _, err := parser.ParseBytes(got, 0); err != nil {
				t.Errorf("result does not parse: %v", err)
			}
		})
	}
}

func TestEditorEditsLoadAsModel(t *testing.T) {
	src := readFixture(t, "commented.yaml")
	e, err := NewEditor("commented.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		e.Set(Path{"threats", 0, "status"}, "mitigated"),
		e.Set(Path{"threats", 0, "controls"}, []string{"C-1", "C-2"}),
		e.Append(Path{"threats"}, Mapping{{"match", "a@b"}, {"status", "accepted"}, {"justification", "Low risk: see RMF-1."}, {"hazards", []string{"HAZ-1"}}}),
		e.Append(Path{"reviews"}, Mapping{{"date", Date("2026-01-02")}, {"kind", "periodic"},
			{"reviewers", []Mapping{{{"name", "A. Lee"}, {"role", "firmware lead"}}}}, {"outcome", "approved"}}),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	m, _ := Parse("commented.yaml", e.Bytes(), LoadOptions{})
	if m == nil {
		t.Fatalf("edited model does not decode:\n%s", e.Bytes())
	}
	if got := m.Threats[0].Status; got != "mitigated" {
		t.Errorf("threats[0].status = %q, want mitigated", got)
	}
	if got := strings.Join(m.Threats[0].Controls, ","); got != "C-1,C-2" {
		t.Errorf("threats[0].controls = %q, want C-1,C-2", got)
	}
	if len(m.Threats) != 3 || m.Threats[2].Justification != "Low risk: see RMF-1." {
		t.Errorf("appended threat not read back: %+v", m.Threats)
	}
	if len(m.Reviews) != 1 || m.Reviews[0].Kind != "periodic" || len(m.Reviews[0].Reviewers) != 1 || m.Reviews[0].Reviewers[0].Role != "firmware lead" {
		t.Errorf("appended review not read back: %+v", m.Reviews)
	}
	if m.Threats[0].Justification != "Line one.\nLine two.\n" {
		t.Errorf("untouched block scalar changed: %q", m.Threats[0].Justification)
	}

	golden := filepath.Join("testdata", "edit", "commented.edited.yaml")
	if *updateEdit {
		if err := os.WriteFile(golden, e.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.Bytes(), want) {
		t.Errorf("edited text differs from %s (run go test -update to accept):\n%s", golden, e.Bytes())
	}
}

func TestEditorErrors(t *testing.T) {
	tests := []struct {
		name, src string
		edit      func(e *Editor) error
		want      string
	}{
		{"missing parent", "a: 1\n", func(e *Editor) error { return e.Set(Path{"b", "c"}, "x") }, "b not found"},
		{"not a list", "a: 1\n", func(e *Editor) error { return e.Append(Path{"a"}, "x") }, "not a list"},
		{"index out of range", "a: [1]\n", func(e *Editor) error { return e.Set(Path{"a", 3, "x"}, "y") }, "a[3] not found"},
		{"alias", "x: &v {k: 1}\ny: *v\n", func(e *Editor) error { return e.Set(Path{"y", "k"}, "2") }, "alias"},
		{"not a mapping", "a: [1]\n", func(e *Editor) error { return e.Set(Path{"a", "k"}, "2") }, "not a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEditor("t.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			err = tt.edit(e)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
			if string(e.Bytes()) != tt.src {
				t.Errorf("failed edit changed the text to %q", e.Bytes())
			}
		})
	}
	for _, src := range []string{"- a\n- b\n", "a: 1\n---\nb: 2\n", "{a: 1}\n", "a: [\n"} {
		if _, err := NewEditor("t.yaml", []byte(src)); err == nil {
			t.Errorf("NewEditor(%q) = nil error, want one", src)
		}
	}
}

func TestFileEditorSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(path, []byte("ward: 1 # keep\nthreats:\n  - match: a@b\n    status: open\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	f, err := OpenEdit(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Set(Path{"threats", 0, "status"}, "mitigated"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "ward: 1 # keep\nthreats:\n  - match: a@b\n    status: mitigated\n"; string(got) != want {
		t.Errorf("saved %q, want %q", got, want)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640 kept", info.Mode().Perm())
	}
	assertNoTempFiles(t, dir)
}

func TestFileEditorRejectsChangedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ward.yaml")
	os.WriteFile(path, []byte("ward: 1\n"), 0o644)
	f, err := OpenEdit(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Set(Path{"ward"}, 2); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("ward: 1 # edited by someone else\n"), 0o644)
	if err := f.Save(); !errors.Is(err, ErrChanged) {
		t.Fatalf("Save() = %v, want ErrChanged", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "ward: 1 # edited by someone else\n" {
		t.Errorf("file overwritten despite the change: %q", got)
	}
}

func TestFileEditorFailureKeepsOldFile(t *testing.T) {
	orig := "ward: 1\nsystem:\n  id: x\n"
	failures := []struct {
		name    string
		install func() func()
	}{
		{"write fails", func() func() {
			old := writeTemp
			writeTemp = func(f *os.File, data []byte) error {
				f.Write(data[:len(data)/2]) // a partial write, then the failure
				return errors.New("disk full")
			}
			return func() { writeTemp = old }
		}},
		{"rename fails", func() func() {
			old := renameFile
			renameFile = func(string, string) error { return errors.New("interrupted") }
			return func() { renameFile = old }
		}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "ward.yaml")
			os.WriteFile(path, []byte(orig), 0o644)
			f, err := OpenEdit(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Set(Path{"system", "id"}, "changed"); err != nil {
				t.Fatal(err)
			}
			restore := tt.install()
			err = f.Save()
			restore()
			if err == nil {
				t.Fatal("Save() = nil, want the injected failure")
			}
			got, _ := os.ReadFile(path)
			if string(got) != orig {
				t.Errorf("file is %q after a failed save, want the original", got)
			}
			assertNoTempFiles(t, dir)
		})
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// FuzzEditor applies a status change and an appended item to arbitrary
// YAML. When the editor accepts the edit, the result must parse and keep
// every line of the input that precedes the first changed byte.
func FuzzEditor(f *testing.F) {
	f.Add(string(readFixtureF(f, "commented.yaml")), "accepted")
	f.Add("threats:\n- match: a\n  status: open\n", "x: y")
	f.Add("threats: []\n", "#")
	f.Add("threats:\n  - {match: a, status: open}\n", "'q'")
	f.Add("a: 1\nthreats:   # none\n", "multi\nline")
	f.Fuzz(func(t *testing.T, src, value string) {
		if len(src) > 1<<16 {
			return
		}
		e, err := NewEditor("f.yaml", []byte(src))
		if err != nil {
			return
		}
		for _, edit := range []func() error{
			func() error { return e.Set(Path{"threats", 0, "status"}, value) },
			func() error { return e.Append(Path{"threats"}, Mapping{{"match", value}, {"status", "open"}}) },
		} {
			before := append([]byte{}, e.Bytes()...)
			if err := edit(); err != nil {
				if !bytes.Equal(before, e.Bytes()) {
					t.Fatalf("failed edit changed the text")
				}
				continue
			}
			if _, err := parser.ParseBytes(e.Bytes(), parser.ParseComments); err != nil {
				t.Fatalf("edit result does not parse: %v\n%s", err, e.Bytes())
			}
			old, _ := changedRegion(before, e.Bytes())
			if strings.Count(old, "#") > strings.Count(string(e.Bytes()), "#") {
				t.Fatalf("edit removed comments")
			}
		}
	})
}

func readFixtureF(f *testing.F, name string) []byte {
	src, err := os.ReadFile(filepath.Join("testdata", "edit", name))
	if err != nil {
		f.Fatal(err)
	}
	return src
}
