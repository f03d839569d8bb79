package model

import (
	"math"
	"strings"
	"testing"
)

const digestBase = `ward: 1
system:
  id: pump
  name: Pump
  lifecycle: released
  document: {id: TM-1, version: "1"}
data:
  - id: cmd
    name: Commands
    category: therapy
    integrity: high
elements:
  - id: fw
    kind: process
    name: Firmware
    attributes: {memory_safe: false, cores: 2}
reviews:
  - date: 2025-01-01
    kind: periodic
`

func digestOf(t *testing.T, src string) string {
	t.Helper()
	m, _ := Parse("ward.yaml", []byte(src), LoadOptions{})
	if m == nil {
		t.Fatalf("Parse failed for:\n%s", src)
	}
	return Digest(m)
}

func TestDigestIgnoresFormatting(t *testing.T) {
	base := digestOf(t, digestBase)
	if !strings.HasPrefix(base, "sha256:") || len(base) != len("sha256:")+64 {
		t.Fatalf("Digest = %q, want sha256: and 64 hex digits", base)
	}
	same := map[string]string{
		"comments and blank lines": "# header\n" + strings.ReplaceAll(digestBase, "data:", "\n# the data\ndata:"),
		"reordered keys":           strings.Replace(digestBase, "  id: pump\n  name: Pump\n", "  name: Pump\n  id: pump\n", 1),
		"flow to block":            strings.Replace(digestBase, `  document: {id: TM-1, version: "1"}`, "  document:\n    version: '1'\n    id: TM-1", 1),
		"quoting":                  strings.Replace(digestBase, "name: Firmware", `name: "Firmware"`, 1),
		"attribute order":          strings.Replace(digestBase, "{memory_safe: false, cores: 2}", "{cores: 2, memory_safe: false}", 1),
		"review added":             digestBase + "  - date: 2025-06-01\n    kind: change\n",
		"reviews removed":          strings.Split(digestBase, "reviews:")[0],
	}
	for name, src := range same {
		if got := digestOf(t, src); got != base {
			t.Errorf("%s: Digest changed to %s, want %s", name, got, base)
		}
	}
}

func TestDigestChangesWithValues(t *testing.T) {
	base := digestOf(t, digestBase)
	changed := map[string]string{
		"scalar":         strings.Replace(digestBase, "name: Firmware", "name: Firmware 2", 1),
		"level":          strings.Replace(digestBase, "integrity: high", "integrity: medium", 1),
		"attribute":      strings.Replace(digestBase, "cores: 2", "cores: 3", 1),
		"attribute type": strings.Replace(digestBase, "cores: 2", `cores: "2"`, 1),
		"added element":  strings.Replace(digestBase, "reviews:", "  - {id: app, kind: process, name: App}\nreviews:", 1),
		"added field":    strings.Replace(digestBase, "  lifecycle: released\n", "  lifecycle: released\n  version: 2.0.0\n", 1),
	}
	for name, src := range changed {
		if got := digestOf(t, src); got == base {
			t.Errorf("%s: Digest unchanged, want a different digest", name)
		}
	}
}

func TestDigestNonFiniteAttribute(t *testing.T) {
	m := &Model{Elements: []Element{{ID: "fw", Attributes: map[string]any{"x": []any{mathInf()}}}}}
	if d := Digest(m); !strings.HasPrefix(d, "sha256:") {
		t.Errorf("Digest = %q", d)
	}
	if _, ok := m.Elements[0].Attributes["x"].([]any)[0].(float64); !ok {
		t.Error("Digest modified the model's attributes")
	}
}

func BenchmarkDigest(b *testing.B) {
	m, _ := Parse("ward.yaml", []byte(digestBase), LoadOptions{})
	for b.Loop() {
		Digest(m)
	}
}

func mathInf() float64 { return math.Inf(1) }
