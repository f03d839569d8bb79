package interop

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
)

// hclJSON parses src and returns the tree as compact JSON, to compare
// with the JSON form of the same HCL.
func hclJSON(t *testing.T, src string) string {
	t.Helper()
	doc, err := parseHCL("t.hcl", []byte(src))
	if err != nil {
		t.Fatalf("parseHCL: %v", err)
	}
	out, err := json.Marshal(doc.root.toAny())
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestParseHCL(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"attributes", "a = \"x\"\nb = 2\nc = true\nd = null\n", `{"a":"x","b":2,"c":true,"d":null}`},
		{"labelled block", "threat \"Crown theft\" {\n  impacts = [\"Confidentiality\"]\n}\n", `{"threat":{"Crown theft":{"impacts":["Confidentiality"]}}}`},
		{"two labels", "component \"control\" \"guard\" {\n  description = \"d\"\n}\n", `{"component":{"control":{"guard":{"description":"d"}}}}`},
		{"bare label", "flow https {\n}\n", `{"flow":{"https":{}}}`},
		{"repeated labels", "flow \"https\" {\n from = \"a\"\n}\nflow \"https\" {\n from = \"b\"\n}\n", `{"flow":{"https":[{"from":"a"},{"from":"b"}]}}`},
		{"repeated unlabelled", "usecase {\n description = \"a\"\n}\nusecase {\n description = \"b\"\n}\nusecase {\n description = \"c\"\n}\n", `{"usecase":[{"description":"a"},{"description":"b"},{"description":"c"}]}`},
		{"one-line blocks", "process \"A\" {}\nprocess \"B\" { trust_zone = \"Z\" }\n", `{"process":{"A":{},"B":{"trust_zone":"Z"}}}`},
		{"escapes", `s = "q\" t\t n\n u\u00fc U\U0001F600 b\\ $${x} %%{y}"` + "\n", `{"s":"q\" t\t n\n uü U😀 b\\ ${x} %{y}"}`},
		{"numbers", "a = -2\nb = 1.5e3\nc = 0.25\n", `{"a":-2,"b":1500,"c":0.25}`},
		{"list over lines", "l = [\n  \"a\", # first\n  \"b\",\n]\n", `{"l":["a","b"]}`},
		{"object", "o = { a = 1, \"b c\" : \"x\"\n d = [true] }\n", `{"o":{"a":1,"b c":"x","d":[true]}}`},
		{"heredoc", "h = <<EOT\n  keep\nindent\nEOT\n", `{"h":"  keep\nindent\n"}`},
		{"flush heredoc", "h = <<-EOT\n    one\n      two\n    EOT\n", `{"h":"one\n  two\n"}`},
		{"empty heredoc", "h = <<EOT\nEOT\n", `{"h":""}`},
		{"comments", "# hash\n// slashes\n/* block\n over lines */ a = 1 // after\n", `{"a":1}`},
		{"no final newline", "a = \"x\"", `{"a":"x"}`},
		{"crlf", "a = \"x\"\r\nb {\r\n  c = 1\r\n}\r\n", `{"a":"x","b":{"c":1}}`},
		{"byte order mark", "\xef\xbb\xbfa = 1\n", `{"a":1}`},
		{"unicode label", "threatmodel \"胰岛素泵 für Kinder\" {\n}\n", `{"threatmodel":{"胰岛素泵 für Kinder":{}}}`},
		{"reference is null", "a = var.x\nb = import.control.c.description\nc = f(\"(\", [1])\n", `{"a":null,"b":null,"c":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hclJSON(t, tt.src); got != tt.want {
				t.Errorf("parseHCL(%q) =\n  %s\nwant\n  %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseHCLUnresolved(t *testing.T) {
	src := "a = var.owner\nb = \"x ${var.y} z\"\nc = lookup(var.m, \"k\")\nd = \"plain\"\n"
	doc, err := parseHCL("u.hcl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line, col int
		text      string
	}{
		{1, 5, "var.owner"},
		{2, 5, `"x ${var.y} z"`},
		{3, 5, `lookup(var.m, "k")`},
	}
	if len(doc.unresolved) != len(want) {
		t.Fatalf("unresolved = %+v, want %d entries", doc.unresolved, len(want))
	}
	for i, w := range want {
		u := doc.unresolved[i]
		if u.pos.Line != w.line || u.pos.Col != w.col || u.text != w.text {
			t.Errorf("unresolved[%d] = %d:%d %q, want %d:%d %q", i, u.pos.Line, u.pos.Col, u.text, w.line, w.col, w.text)
		}
	}
	if got := doc.root.get("b").str(); got != "x ${var.y} z" {
		t.Errorf("template text = %q, want it kept", got)
	}
}

func TestParseHCLErrors(t *testing.T) {
	tests := []struct {
		name, src, code string
		line, col       int
		contains        string
	}{
		{"unclosed block", "threatmodel \"x\" {\n  a = 1\n", "invalid-hcl", 3, 1, "missing }"},
		{"stray brace", "a = 1\n}\n", "invalid-hcl", 2, 1, "unexpected }"},
		{"unclosed string", "a = \"abc\nb = 1\n", "invalid-hcl", 1, 5, "string is not closed"},
		{"unclosed list", "a = [1, 2\n", "invalid-hcl", 1, 5, "list is not closed"},
		{"list separator", "a = [1 2]\n", "invalid-hcl", 1, 8, "expected , or ]"},
		{"unclosed heredoc", "a = <<EOT\ntext\n", "invalid-hcl", 1, 5, "heredoc is not closed"},
		{"heredoc on same line", "a = <<EOT text\nEOT\n", "invalid-hcl", 1, 11, "must start on the line after <<EOT"},
		{"unclosed object", "a = { b = 1", "invalid-hcl", 1, 5, "object is not closed"},
		{"unclosed comment", "/* open\na = 1\n", "invalid-hcl", 1, 1, "comment is not closed"},
		{"duplicate attribute", "a = 1\na = 2\n", "duplicate-attribute", 2, 1, "first at line 1"},
		{"attribute then block", "a = 1\na {\n}\n", "invalid-hcl", 2, 1, "both as an attribute and as a block"},
		{"two attributes on a line", "a = 1 b = 2\n", "invalid-hcl", 1, 7, "expected a new line after a"},
		{"operator", "a = 1 + 2\n", "unsupported-expression", 1, 7, "operator \"+\""},
		{"conditional", "a = x ? 1 : 2\n", "unsupported-expression", 1, 7, "operator \"?\""},
		{"for expression", "a = [for x in y : x]\n", "unsupported-expression", 1, 6, "for expressions"},
		{"bad escape", "a = \"\\q\"\n", "invalid-hcl", 1, 6, `unknown escape \q`},
		{"bad unicode escape", "a = \"\\uZZZZ\"\n", "invalid-hcl", 1, 6, `invalid \u escape`},
		{"no name", "= 1\n", "invalid-hcl", 1, 1, "expected an attribute or block name"},
		{"label template", "b \"${x}\" {\n}\n", "invalid-hcl", 1, 3, "block label"},
		{"missing value", "a =\n", "invalid-hcl", 1, 4, "expected a value"},
		{"bad number", "a = 1.\n", "invalid-hcl", 1, 7, "digits after the decimal point"},
		{"too many labels", "b a b c d e f g h i {\n}\n", "invalid-hcl", 1, 1, "more than 8 labels"},
		{"invalid utf-8", "a = \"\xff\"\n", "invalid-hcl", 1, 6, "UTF-8"},
		{"column in runes", "a = \"ü\" ü\n", "invalid-hcl", 1, 9, "expected a new line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseHCL("bad.hcl", []byte(tt.src))
			var diags diag.List
			if !errors.As(err, &diags) || len(diags) != 1 {
				t.Fatalf("parseHCL(%q) error = %v, want one diagnostic", tt.src, err)
			}
			d := diags[0]
			if d.Code != tt.code {
				t.Errorf("code = %s, want %s (%v)", d.Code, tt.code, d)
			}
			if d.Pos.File != "bad.hcl" || d.Pos.Line != tt.line || d.Pos.Col != tt.col {
				t.Errorf("position = %s:%d:%d, want bad.hcl:%d:%d (%v)", d.Pos.File, d.Pos.Line, d.Pos.Col, tt.line, tt.col, d)
			}
			if !strings.Contains(d.Summary, tt.contains) {
				t.Errorf("summary %q lacks %q", d.Summary, tt.contains)
			}
			if d.Fix == "" {
				t.Errorf("diagnostic %v has no fix", d)
			}
		})
	}
}

// TestParseHCLLimits checks that hostile nesting and size fail fast with
// a diagnostic.
func TestParseHCLLimits(t *testing.T) {
	tests := []struct {
		name, src, code string
	}{
		{"deep blocks", strings.Repeat("b {\n", 300) + strings.Repeat("}\n", 300), "too-deep"},
		{"deep lists", "a = " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", "too-deep"},
		{"deep objects", "a = " + strings.Repeat("{b = ", 300) + "1" + strings.Repeat("}", 300) + "\n", "too-deep"},
		{"huge", "a = \"" + strings.Repeat("x", MaxInputBytes) + "\"\n", "input-too-large"},
		{"deep interpolation", "a = " + strings.Repeat("\"${", 100_000) + "\n", "too-deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseHCL(tt.name, []byte(tt.src))
			var diags diag.List
			if !errors.As(err, &diags) || diags[0].Code != tt.code {
				t.Fatalf("error = %v, want %s", err, tt.code)
			}
		})
	}
}

// TestParseHCLPositions checks that blocks and values carry the position
// they were written at, which the import report uses.
func TestParseHCLPositions(t *testing.T) {
	src := "spec_version = \"0.7.0\"\n\nthreatmodel \"A\" {\n  threat \"T\" {\n    impacts = [\"Integrity\"]\n  }\n}\n"
	doc, err := parseHCL("p.hcl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tm := doc.root.get("threatmodel").get("A")
	if tm.pos.Line != 3 || tm.pos.Col != 1 {
		t.Errorf("threatmodel position = %d:%d, want 3:1", tm.pos.Line, tm.pos.Col)
	}
	th := tm.get("threat").get("T")
	if th.pos.Line != 4 || th.pos.Col != 3 {
		t.Errorf("threat position = %d:%d, want 4:3", th.pos.Line, th.pos.Col)
	}
	if v := th.get("impacts"); v.pos.Line != 5 || v.pos.Col != 15 {
		t.Errorf("impacts position = %d:%d, want 5:15", v.pos.Line, v.pos.Col)
	}
}

// FuzzHCL checks that the parser never panics and that every value it
// returns carries a position inside the input.
func FuzzHCL(f *testing.F) {
	for _, s := range []string{
		"a = 1\n", "b \"l\" {\n c = [1, \"x\", {d = true}]\n}\n", "h = <<-E\n  x\n  E\n", "a = var.x[0].y\n",
		"s = \"${a} $${b} \\u00fc\"\n", "/* c */ # d\n// e\n", "a = 1 +\n", "b {", "a = [\n",
	} {
		f.Add([]byte(s))
	}
	for _, path := range []string{corpusSeed("threatcl/tm1.hcl"), corpusSeed("threatcl/tm2.hcl"), "testdata/legacy.threatcl.hcl"} {
		if data, err := readFileIfPresent(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseHCL("fuzz.hcl", data)
		if err != nil {
			var diags diag.List
			if !errors.As(err, &diags) || len(diags) == 0 || diags[0].Pos.File != "fuzz.hcl" {
				t.Fatalf("error %v is not a diagnostic naming the file", err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		var walk func(n *node, depth int)
		walk = func(n *node, depth int) {
			if depth > (maxDepth+2)*(maxLabels+1) {
				t.Fatalf("tree deeper than the limit")
			}
			if n.pos.Line < 1 || n.pos.Line > lines {
				t.Fatalf("position %v outside the %d-line input", n.pos, lines)
			}
			for _, v := range n.vals {
				walk(v, depth+1)
			}
		}
		walk(doc.root, 0)
	})
}
