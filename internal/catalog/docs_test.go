package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// factTable renders Facts as the Markdown table docs/rules.md shows.
func factTable() string {
	var b strings.Builder
	b.WriteString("| fact | type | defined on | meaning |\n|---|---|---|---|\n")
	for _, f := range Facts {
		targets := strings.Join(f.Targets, ", ")
		if len(f.Targets) == len(TargetKinds) {
			targets = "every target"
		}
		values := ""
		if fv, ok := factValues[f.Name]; ok && f.Name != "kind" {
			values = "; one of " + strings.Join(fv.vocab.IDs(), ", ")
			if fv.open {
				values += " or a name the model defines"
			}
		}
		doc := strings.ReplaceAll(f.Doc, "|", "\\|")
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s%s |\n", f.Name, f.Type, targets, doc, values)
	}
	fmt.Fprintf(&b, "| `attributes.KEY` | any | %s | the value of KEY in the target's attributes |\n",
		strings.Join(attributeTargets, ", "))
	return b.String()
}

// TestRulesDocFacts fails when the fact table in docs/rules.md differs from
// Facts; go test -update rewrites it.
func TestRulesDocFacts(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	doc := string(src)
	const beginMark, endMark = "<!-- facts:begin", "<!-- facts:end -->"
	begin := strings.Index(doc, beginMark)
	end := strings.Index(doc, endMark)
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the %s ... %s markers", path, beginMark, endMark)
	}
	begin += strings.Index(doc[begin:], "-->\n") + len("-->\n")
	want := factTable()
	if got := doc[begin:end]; got != want {
		if *update {
			doc = doc[:begin] + want + doc[end:]
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the fact table in %s is out of date with facts.go; run go test ./internal/catalog -run TestRulesDocFacts -update", path)
	}
}
