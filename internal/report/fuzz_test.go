package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzReadAssessment feeds arbitrary bytes to the assessment.json reader
// used by ward report --from. Whatever it accepts must build into a
// document and render as Markdown and HTML without panicking, and the
// HTML must never contain a raw script element.
func FuzzReadAssessment(f *testing.F) {
	f.Add([]byte(`{"schema":"ward.assessment/v1","model":{"system":{"id":"x","name":"<script>x</script>"}},"date":"2026-01-01"}`))
	f.Add([]byte(`{"schema":"ward.assessment/v1","model":{"elements":[{"id":"a","kind":"process"}],"boundaries":[{"id":"b","parent":"b"}]},"register":{"threats":[{"id":"t@a","target":{"id":"a"}}]}}`))
	f.Add([]byte(`{"schema":"ward.assessment/v1","model":{},"register":null,"risks":[{"threat":"x"}],"conformance":[{"requirement":{"section":"nowhere"}}]}`))
	f.Add([]byte(`{"schema":"ward.assessment/v1","model":{"flows":[{"id":"f","from":"a","to":"b","data":["d"]}],"data":[{"id":"d","category":"firmware"}]}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadAssessment(bytes.NewReader(data))
		if err != nil {
			return
		}
		doc, err := Build(context.Background(), a, nil, "2026-01-01")
		if err != nil {
			t.Fatalf("Build of an accepted assessment: %v", err)
		}
		in := &Input{Doc: doc, Assessment: a}
		var md, html bytes.Buffer
		if err := (markdownRenderer{}).Render(&md, in); err != nil {
			t.Fatalf("Markdown: %v", err)
		}
		if err := (htmlRenderer{}).Render(&html, in); err != nil {
			t.Fatalf("HTML: %v", err)
		}
		if strings.Contains(strings.ToLower(html.String()), "<script") {
			t.Fatal("HTML contains a script element")
		}
	})
}

func TestMarkdownText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words, with commas.", "plain words, with commas."},
		{"<b>x</b>", `\<b\>x\</b\>`},
		{"a | b", `a \| b`},
		{"- item", `\- item`},
		{"1. first", `1\. first`},
		{"line\nbreak", "line break"},
		{"**x** _y_ `z`", "\\*\\*x\\*\\* \\_y\\_ \\`z\\`"},
		{"[l](u)", `\[l\](u)`},
		{"pump-fw", "pump-fw"},
		{"\x00bell\x07", "bell"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
