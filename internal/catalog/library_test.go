package catalog

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestBuiltinLibrary(t *testing.T) {
	lib, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin() error: %v", err)
	}
	if lib.Len() < 120 {
		t.Errorf("Builtin() has %d rules, want at least 120", lib.Len())
	}

	wantFiles := []string{"processes.yaml", "stores.yaml", "entities.yaml", "flows.yaml", "protocols.yaml",
		"physical.yaml", "debug.yaml", "update.yaml", "supply-chain.yaml", "lifecycle.yaml", "safety.yaml"}
	for _, f := range wantFiles {
		if !slices.Contains(BuiltinFiles(), f) {
			t.Errorf("BuiltinFiles() lacks %s", f)
		}
	}
	wantFamilies := []string{"boundary", "entity", "flow", "hw", "life", "port", "proc", "proto", "safety", "store", "supply", "update"}
	if got := lib.Families(); !slices.Equal(got, wantFamilies) {
		t.Errorf("Families() = %v, want %v", got, wantFamilies)
	}

	seen := map[string]bool{}
	for _, r := range lib.Rules {
		if seen[r.ID] {
			t.Errorf("rule ID %s used twice", r.ID)
		}
		seen[r.ID] = true
		if !strings.HasPrefix(r.Pos.File, BuiltinPrefix) || !r.Pos.IsValid() {
			t.Errorf("%s: position %v, want builtin:FILE:LINE", r.ID, r.Pos)
		}
		if len(r.References.CAPEC)+len(r.References.CWE)+len(r.References.ATTACK)+len(r.References.EMB3D) == 0 {
			t.Errorf("%s cites no catalog entry", r.ID)
		}
		if len(r.Controls) == 0 {
			t.Errorf("%s suggests no control category", r.ID)
		}
		if r.Phase == "" {
			t.Errorf("%s has no lifecycle phase", r.ID)
		}
		for _, id := range r.References.CAPEC {
			checkForm(t, r.ID, id, capecPattern)
		}
		for _, id := range r.References.CWE {
			checkForm(t, r.ID, id, cwePattern)
		}
		for _, id := range r.References.ATTACK {
			checkForm(t, r.ID, id, attackPattern)
		}
		for _, id := range r.References.EMB3D {
			checkForm(t, r.ID, id, emb3dPattern)
		}
		for _, m := range placeholderPattern.FindAllStringSubmatch(r.Description, -1) {
			if err := checkPlaceholder(m[1], r.AppliesTo); err != nil {
				t.Errorf("%s: description placeholder {%s}: %s", r.ID, m[1], err.summary)
			}
		}
		if !titleCase(r.Title) || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q should start lower case and have no final period", r.ID, r.Title)
		}
	}
}

// titleCase reports whether a title starts lower case, or with an acronym
// or a proper name.
func titleCase(title string) bool {
	first, _, _ := strings.Cut(title, " ")
	if strings.ToLower(first[:1]) == first[:1] {
		return true
	}
	upper := 0
	for _, c := range first {
		if c >= 'A' && c <= 'Z' {
			upper++
		}
	}
	return upper >= 2 || first == "Bluetooth" || first == "Zigbee"
}

func checkForm(t *testing.T, rule, id string, re *regexp.Regexp) {
	t.Helper()
	if !re.MatchString(id) {
		t.Errorf("%s cites malformed ID %q", rule, id)
	}
}

// emb3dThreats are the threat IDs of MITRE EMB3D as listed in the
// _data/threats.json file of github.com/mitre/emb3d (2025). No EMB3D bundle
// ships with the test inputs, so the built-in rules are checked against
// this list.
var emb3dThreats = []string{
	"TID-101", "TID-102", "TID-103", "TID-105", "TID-106", "TID-107", "TID-108", "TID-109", "TID-110",
	"TID-111", "TID-113", "TID-114", "TID-115", "TID-116", "TID-118", "TID-119",
	"TID-201", "TID-202", "TID-203", "TID-204", "TID-205", "TID-206", "TID-207", "TID-208", "TID-209",
	"TID-210", "TID-211", "TID-212", "TID-213", "TID-214", "TID-215", "TID-216", "TID-217", "TID-218",
	"TID-219", "TID-220", "TID-221", "TID-222", "TID-223", "TID-224",
	"TID-301", "TID-302", "TID-303", "TID-304", "TID-305", "TID-306", "TID-307", "TID-308", "TID-309",
	"TID-310", "TID-311", "TID-312", "TID-313", "TID-314", "TID-315", "TID-316", "TID-317", "TID-318",
	"TID-319", "TID-320", "TID-321", "TID-322", "TID-323", "TID-324", "TID-325", "TID-326", "TID-327",
	"TID-328", "TID-329", "TID-330",
	"TID-401", "TID-404", "TID-405", "TID-406", "TID-407", "TID-408", "TID-410", "TID-411", "TID-412",
}

func TestBuiltinEMB3DIDsExist(t *testing.T) {
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lib.Rules {
		for _, id := range r.References.EMB3D {
			if !slices.Contains(emb3dThreats, id) {
				t.Errorf("%s cites %s, which is not an EMB3D threat", r.ID, id)
			}
		}
	}
}

func TestBuiltinCoversEveryTargetKind(t *testing.T) {
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range TargetKinds {
		n := 0
		for _, r := range lib.Rules {
			if slices.Contains(r.AppliesTo, kind) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no built-in rule applies to %s targets", kind)
		}
	}
}

func TestBuiltinStoresNeverSpoofed(t *testing.T) {
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lib.Rules {
		if slices.Equal(r.AppliesTo, []string{"store"}) && r.STRIDE == "spoofing" &&
			!strings.HasPrefix(r.ID, "life.") {
			t.Errorf("%s: spoofing rule on stores; spoofing belongs to whoever writes to the store", r.ID)
		}
	}
}

func TestLoadFilesGood(t *testing.T) {
	lib, diags := LoadFiles([]string{filepath.Join("testdata", "rules", "good")})
	if len(diags) != 0 {
		t.Fatalf("LoadFiles(good) diagnostics:\n%v", diags)
	}
	r, ok := lib.Rule("acme.pump-bolus-limit")
	if !ok {
		t.Fatalf("LoadFiles(good) lacks acme.pump-bolus-limit; has %d rules", lib.Len())
	}
	if want := (diag.Pos{File: filepath.Join("testdata", "rules", "good", "org.yaml"), Line: 3, Col: 5, Offset: r.Pos.Offset}); r.Pos != want {
		t.Errorf("rule position = %v, want %v", r.Pos, want)
	}
	if r.When == nil || len(r.When.All) != 2 {
		t.Fatalf("rule condition = %+v, want all of two tests", r.When)
	}
	if got := r.When.All[1]; got.Fact != "attributes.max_bolus" || got.Op != OpExists || got.Values[0] != false {
		t.Errorf("second test = %+v, want attributes.max_bolus exists false", got)
	}
}

// TestLoadFilesDiagnostics compares every diagnostic for a file full of
// mistakes with testdata/rules/bad/mistakes.golden.
func TestLoadFilesDiagnostics(t *testing.T) {
	dir := filepath.Join("testdata", "rules", "bad")
	lib, diags := LoadFiles([]string{dir})
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s [%s]\n", d.Error(), d.Code)
	}
	golden := filepath.Join(dir, "mistakes.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("LoadFiles(%s) diagnostics differ from %s:\ngot:\n%s\nwant:\n%s", dir, golden, got, want)
	}
	if r, ok := lib.Rule("acme.dup"); !ok || r.Title != "first" {
		t.Errorf("LoadFiles kept %+v for acme.dup, want the first definition", r)
	}
	if lib.Len() != 1 {
		t.Errorf("LoadFiles(bad) kept %d rules, want only the valid first acme.dup", lib.Len())
	}
}

func TestLoadFilesMissingPath(t *testing.T) {
	_, diags := LoadFiles([]string{filepath.Join("testdata", "no-such-folder")})
	if len(diags) != 1 || diags[0].Code != "unreadable" {
		t.Fatalf("LoadFiles(missing) = %v, want one unreadable diagnostic", diags)
	}
}

func TestMergeRejectsBuiltinIDs(t *testing.T) {
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	n := lib.Len()
	dir := t.TempDir()
	user := filepath.Join(dir, "user.yaml")
	src := `rules:
  - id: proc.memory-corruption
    title: my own version
    description: "{name}"
    applies_to: [process]
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
  - id: acme.extra
    title: extra rule
    description: "{name}"
    applies_to: [store]
    stride: tampering
    impact: {confidentiality: none, integrity: high, availability: none}
    vector: local
`
	if err := os.WriteFile(user, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	userLib, diags := LoadFiles([]string{user})
	if len(diags) != 0 {
		t.Fatalf("LoadFiles: %v", diags)
	}
	diags = lib.Merge(userLib)
	if len(diags) != 1 || diags[0].Code != "duplicate-id" || diags[0].Pos.Line != 2 || len(diags[0].Related) != 1 {
		t.Fatalf("Merge diagnostics = %v, want one duplicate-id at line 2 with the built-in as related", diags)
	}
	if lib.Len() != n+1 {
		t.Errorf("after Merge the library has %d rules, want %d", lib.Len(), n+1)
	}
	if r, _ := lib.Rule("proc.memory-corruption"); r.Title == "my own version" {
		t.Error("Merge replaced a built-in rule")
	}
	if !slices.IsSortedFunc(lib.Rules, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Merge left the rules unsorted")
	}
}

// TestHostileRuleFiles checks that hostile files end in a diagnostic,
// quickly and without a panic.
func TestHostileRuleFiles(t *testing.T) {
	for _, tt := range hostileRuleFiles() {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.List
			parseRuleFile("hostile.yaml", []byte(tt.src), &diags)
			found := false
			for _, d := range diags {
				found = found || d.Code == tt.code
			}
			if !found {
				t.Errorf("parseRuleFile diagnostics = %v, want one with code %s", diags, tt.code)
			}
		})
	}
}

// BenchmarkParseRuleFileHostile measures how fast each hostile file is
// rejected; the limits keep every case well under a second.
func BenchmarkParseRuleFileHostile(b *testing.B) {
	for _, tt := range hostileRuleFiles() {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				var diags diag.List
				parseRuleFile("hostile.yaml", []byte(tt.src), &diags)
			}
		})
	}
}

// hostileRuleFiles returns rule files built to exhaust a parser: alias
// bombs, deep nesting, self-references, oversize and malformed input.
func hostileRuleFiles() []hostileCase {
	// Each level is a condition listing the previous level ten times, so
	// the rule's when: would expand to ten billion tests.
	laughs := "c0: &c0 {debug: true}\n"
	for i := 1; i <= 10; i++ {
		prev := fmt.Sprintf("*c%d", i-1)
		laughs += fmt.Sprintf("c%d: &c%d {any: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(prev+", ", 10), ", "))
	}
	laughs += "rules:\n  - {id: a.b, title: t, description: d, applies_to: [interface], stride: tampering, " +
		"impact: {confidentiality: low, integrity: low, availability: low}, vector: physical, when: *c10}\n"
	return []hostileCase{
		{"billion laughs", laughs, "too-large"},
		{"deep flow nesting", "rules: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "too-deep"},
		{"deep block nesting", "rules:\n" + deepBlock(200), "too-deep"},
		{"self alias", "rules: &r\n  - *r\n", "wrong-type"},
		{"self alias in condition", "rules:\n  - id: a.b\n    applies_to: [flow]\n    when: &w {not: *w}\n", "too-deep"},
		{"unknown alias", "rules: [*nothing]\n", "unknown-alias"},
		{"huge file", "rules: []\n#" + strings.Repeat("x", MaxRuleFileSize), "too-large"},
		{"not yaml", "rules: [\n  - : :\n", "yaml-syntax"},
		{"scalar root", "just text", "wrong-type"},
		{"rules not a list", "rules: {a: b}", "wrong-type"},
	}
}

type hostileCase struct {
	name string
	src  string
	code string
}

// deepBlock returns a block sequence nested n levels deep.
func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i+1))
		b.WriteString("-\n")
	}
	b.WriteString(strings.Repeat(" ", n+1) + "x\n")
	return b.String()
}

func BenchmarkBuiltinParse(b *testing.B) {
	for b.Loop() {
		var diags diag.List
		rules := loadFS(builtinFS, "rules", BuiltinPrefix, &diags)
		if len(rules) < 120 || len(diags) > 0 {
			b.Fatalf("loadFS: %d rules, %v", len(rules), diags)
		}
	}
}

func FuzzParseRuleFile(f *testing.F) {
	// Small seeds keep the fuzzer fast; whole built-in files take seconds per
	// run under coverage instrumentation.
	for _, p := range []string{"testdata/rules/good/org.yaml", "testdata/rules/bad/mistakes.yaml"} {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("rules: &a [*a]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var diags diag.List
		rules, invalid := parseRuleFile("fuzz.yaml", src, &diags)
		if len(invalid) > 0 && !diags.HasErrors() {
			t.Fatalf("%d rules marked invalid without an error diagnostic", len(invalid))
		}
		for _, d := range diags {
			if d.Pos.File != "fuzz.yaml" || d.Code == "" || d.Summary == "" {
				t.Fatalf("incomplete diagnostic %+v", d)
			}
		}
		for _, r := range rules {
			if slices.Contains(invalid, r) {
				continue
			}
			if r.ID == "" || r.Title == "" || len(r.AppliesTo) == 0 {
				t.Fatalf("rule without errors lacks required fields: %+v", r)
			}
		}
	})
}
