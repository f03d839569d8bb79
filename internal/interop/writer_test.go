package interop

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestWriteYAMLStrings writes awkward strings and checks that they load
// back unchanged.
func TestWriteYAMLStrings(t *testing.T) {
	values := []string{
		"plain text", "yes", "No", "null", "~", "true", "1.0", "0x1F", "1e3", "2025-03-01", "- dash", "key: value",
		"trailing space ", " leading", "# hash", "a # comment", "quote \" inside", "back\\slash", "tab\there",
		"line one\nline two", "ends with newline\n", "two newlines\n\n", "\nstarts with newline", "  indented\nblock",
		"emoji 💉", "Ünïcødé", "控制", "bell \a", "@at", "*star", "&amp", "!bang", "%percent", "{brace}", "[bracket]", "`tick`",
		"a, b", "'single'", "|pipe", ">fold", "?question", "...", "---",
	}
	for _, v := range values {
		m := &model.Model{Ward: model.FormatVersion,
			System:   model.System{ID: "s", Name: v, Lifecycle: "development", Description: v, Document: model.Document{ID: "D", Version: "1"}},
			Elements: []model.Element{{ID: "e", Kind: "process", Name: v, Tags: []string{v, "x"}, Attributes: map[string]any{"note": v, "n": 2.5, "ok": true}}},
		}
		var buf bytes.Buffer
		if err := WriteYAML(&buf, m, nil); err != nil {
			t.Fatal(err)
		}
		got, diags := model.Parse("strings.yaml", buf.Bytes(), model.LoadOptions{})
		if diags.HasErrors() {
			t.Errorf("value %q: %v\n%s", v, diags, buf.String())
			continue
		}
		e := got.Elements[0]
		if got.System.Name != v || got.System.Description != v || e.Name != v || e.Tags[0] != v || e.Attributes["note"] != v {
			t.Errorf("value %q came back as name %q, description %q, tag %q, attribute %q\n%s", v, got.System.Name, got.System.Description, e.Tags[0], e.Attributes["note"], buf.String())
		}
	}
}

func TestWriteYAMLDeterministic(t *testing.T) {
	path := corpusFile(t, "threagile/example-threagile.yaml")
	var first []byte
	for i := range 3 {
		res := importFile(t, path)
		var buf bytes.Buffer
		if err := WriteYAML(&buf, res.Model, res.Notes); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
		} else if !bytes.Equal(first, buf.Bytes()) {
			t.Fatal("two imports of the same file wrote different bytes")
		}
	}
}

// TestWriteYAMLGolden compares whole outputs, comments included, with
// files in testdata/golden; run with -update to rewrite them.
func TestWriteYAMLGolden(t *testing.T) {
	for _, name := range []string{"pump.tm7", "unicode.pytm.json"} {
		t.Run(name, func(t *testing.T) {
			res := importFile(t, filepath.Join("testdata", name))
			var buf bytes.Buffer
			if err := WriteYAML(&buf, res.Model, res.Notes); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("\n# --- report ---\n")
			var rep bytes.Buffer
			if err := res.Report.WriteText(&rep); err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.SplitAfter(rep.String(), "\n") {
				if line != "" {
					buf.WriteString("# " + line)
				}
			}
			golden := filepath.Join("testdata", "golden", name+".yaml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s; run go test -update and review the diff\n%s", golden, buf.String())
			}
		})
	}
}

func BenchmarkImportThreagileExample(b *testing.B) {
	path := corpusFile(b, "threagile/example-threagile.yaml")
	data := readFile(b, path)
	b.ReportAllocs()
	for b.Loop() {
		res, err := Import(path, data, Threagile, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteYAML(&bytes.Buffer{}, res.Model, res.Notes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportThreatDragon(b *testing.B) {
	path := corpusFile(b, "threat-dragon/iot-device.json")
	data := readFile(b, path)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Import(path, data, ThreatDragon, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCommentSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, tab\tkept", "plain text, tab\tkept"},
		{"name with\nline break", `name with\u000aline break`},
		{"nul\x00byte", `nul\u0000byte`},
		{"bad \xff utf-8", `bad \xff utf-8`},
		{"C1 \u0085 next line", `C1 \u0085 next line`},
		{"胰岛素泵", "胰岛素泵"},
	}
	for _, tt := range tests {
		if got := commentSafe(tt.in); got != tt.want {
			t.Errorf("commentSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
