package evidence

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListVocabulary keeps docs/evidence.md in step with the items:
// every item, heading pattern, context pattern and term must appear there.
func TestDocsListVocabulary(t *testing.T) {
	data, err := os.ReadFile("../../docs/evidence.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	esc := func(s string) string { return strings.ReplaceAll(strings.TrimPrefix(s, "(?i)"), "|", `\|`) }
	for _, it := range Items() {
		row := ""
		for _, line := range strings.Split(doc, "\n") {
			if strings.HasPrefix(line, "| `"+it.ID+"` |") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("docs/evidence.md has no vocabulary row for %s", it.ID)
			continue
		}
		if !strings.Contains(row, "`"+esc(it.Heading.String())+"`") {
			t.Errorf("docs/evidence.md row %s lacks the heading pattern %s", it.ID, it.Heading)
		}
		if it.Context != nil && !strings.Contains(row, "`"+esc(it.Context.String())+"`") {
			t.Errorf("docs/evidence.md row %s lacks the context pattern %s", it.ID, it.Context)
		}
		if !strings.Contains(row, "`"+it.Section+"`") {
			t.Errorf("docs/evidence.md row %s lacks the model section %s", it.ID, it.Section)
		}
		for _, term := range it.Terms {
			if !strings.Contains(row, term.Name) {
				t.Errorf("docs/evidence.md row %s lacks the term %q", it.ID, term.Name)
			}
		}
	}
}
