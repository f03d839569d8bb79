package report

import (
	"strings"
	"testing"
)

func TestHTMLTableColumnWidths(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		want  []string
		avoid []string
	}{
		{
			name:  "widths fix the columns",
			table: Table{Header: []string{"A", "B"}, Widths: []float64{1, 3}, Rows: [][]string{{"x", "y"}}},
			want:  []string{`<table class="sized">`, `<col style="width:25.0%">`, `<col style="width:75.0%">`},
		},
		{
			name:  "no widths leave the layout to the browser",
			table: Table{Header: []string{"A", "B"}, Rows: [][]string{{"x", "y"}}},
			want:  []string{"<table>\n"},
			avoid: []string{"<colgroup>"},
		},
		{
			name:  "widths that do not fit the header are ignored",
			table: Table{Header: []string{"A", "B"}, Widths: []float64{1}, Rows: [][]string{{"x", "y"}}},
			avoid: []string{"<colgroup>", `class="sized"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			writeHTMLTable(&b, &tt.table)
			out := b.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(out, a) {
					t.Errorf("output has %q:\n%s", a, out)
				}
			}
		})
	}
}

func TestCSSStringEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TM-1 version 2", `"TM-1 version 2"`},
		{`a "b" \c`, `"a \"b\" \\c"`},
		{"</style><script>", `"\3c /style\3e \3c script\3e "`},
		{"line\nbreak", `"line\a break"`},
	}
	for _, tt := range tests {
		if got := cssString(tt.in); got != tt.want {
			t.Errorf("cssString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
