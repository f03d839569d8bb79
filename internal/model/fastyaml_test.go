package model

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameTree returns the first difference between two node trees in what the
// decoder reads: kind, resolved tag, value, position and children.
func sameTree(want, got *node, path string) string {
	want = resolve(want)
	if want.Kind != got.Kind || want.Tag != got.Tag || want.Value != got.Value ||
		want.Line != got.Line || want.Column != got.Column || len(want.Content) != len(got.Content) {
		return fmt.Sprintf("%s: full parser has kind %v tag %s value %q at %d:%d with %d children; fast parser has kind %v tag %s value %q at %d:%d with %d children",
			path, want.Kind, want.Tag, want.Value, want.Line, want.Column, len(want.Content),
			got.Kind, got.Tag, got.Value, got.Line, got.Column, len(got.Content))
	}
	for i := range want.Content {
		if diff := sameTree(want.Content[i], got.Content[i], fmt.Sprintf("%s/%d", path, i)); diff != "" {
			return diff
		}
	}
	return ""
}

// checkFastParse fails when fastParse accepts src but builds a tree that
// differs from the full parser's, or accepts what the full parser rejects.
func checkFastParse(t *testing.T, src []byte) (accepted bool) {
	t.Helper()
	got, ok := fastParse(src)
	if !ok {
		return false
	}
	want, d, ok := parseFull(newSource("f.yaml", src))
	if !ok {
		t.Fatalf("fastParse accepted what the full parser rejects (%s):\n%s", d.Error(), src)
	}
	if diff := sameTree(want, got, ""); diff != "" {
		t.Fatalf("%s\ninput:\n%s", diff, src)
	}
	return true
}

// CheckFastParse lets tests outside the package, which can use the model
// generator, compare fastParse with the full parser.
func CheckFastParse(t *testing.T, src []byte) bool { return checkFastParse(t, src) }

func TestFastParseMatchesFullParser(t *testing.T) {
	inputs := map[string][]byte{
		"scalars": []byte(`a: 1
b: -2
c: 0x1F
d: 1_000
e: 3.10
f: .5
g: 1e3
h: true
i: False
j: ~
k: null
l: 2025-03-01
m: 2025-02-30
n: 10.5.1
o: "quoted: # not a comment"
p: 'single'
q: pkg:github/freertos/freertos-kernel@10.5.1
r: CVSS:3.1/AV:N/AC:L
s: a#b
t: [1, "two", three, {x: y}, []]
u: {a: 1, b: [c, d], c: {}}
v: -foo
w: .inf
x: +1
y: 0o17
z: 089
name: Müller GmbH — pump «firmware» 漢字
quoted: "Grüße" # comment
list: [ok, plain]
`),
		"compact": []byte(`list:
- a
- b: 1
  c: 2
-   d: 3
nested:
  deeper:
    - [x]
    - {y: z}
`),
	}
	for _, path := range []string{"testdata/valid.yaml", "testdata/ten-mistakes.yaml"} {
		src, err := readTestFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(path)] = src
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			if !checkFastParse(t, src) && (name == "scalars" || name == "compact") {
				t.Errorf("fastParse fell back to the full parser for %s", name)
			}
		})
	}
}

func TestFastParseFallsBack(t *testing.T) {
	for _, src := range []string{
		"a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  text\n", "a: b\n  c\n", "a:\nb: 1\n",
		"a: \"esc\\n\"\n", "a: 'it''s'\n", "---\na: 1\n", "é: 1\n", "a: [é]\n", "a: b\u2028c\n", "\ufeffa: 1\n", "a:\tb\n", "- a\n",
		"a: 2025-03-01T10:00:00Z\n", "<<: {a: 1}\n", "a: b: c\n", "a: [b,]\n", "a: {b: c:d}\n",
	} {
		if _, ok := fastParse([]byte(src)); ok {
			t.Errorf("fastParse accepted %q, which is outside its subset", src)
		}
	}
}

func FuzzFastParse(f *testing.F) {
	addSeeds(f, "testdata/*.yaml", "testdata/errors/*.yaml")
	f.Add([]byte("a: [1, {b: c}]\nd:\n- e: f\n  g: 2025-1-2\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 || strings.Contains(string(src), "\x00") {
			return
		}
		checkFastParse(t, src)
	})
}

func readTestFile(path string) ([]byte, error) { return os.ReadFile(path) }
