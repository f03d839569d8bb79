package report

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// htmlRenderer writes one self-contained HTML file: inline CSS and SVG, no
// scripts and no network references, with print styles that break pages
// before each top-level section.
type htmlRenderer struct{}

func (htmlRenderer) FileName(systemID string) string {
	return "Threat-Model-" + safeFileName(systemID) + ".html"
}

const htmlStyle = `
:root { color-scheme: light; }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #1a1a1a; max-width: 1200px; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 20pt; margin-bottom: 0.2em; }
h2 { font-size: 15pt; border-bottom: 2px solid #444444; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 12pt; margin-top: 1.5em; }
.meta { color: #555; margin-top: 0; }
nav.toc ol { list-style: none; padding-left: 1.2em; }
nav.toc > ol { padding-left: 0; }
nav.toc a { text-decoration: none; color: #1f5fa8; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1.2em; font-size: 9pt; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
table.sized { table-layout: fixed; }
th { background: #efe7da; }
tr:nth-child(even) td { background: #fafafa; }
p.note { border-left: 4px solid #c0392b; background: #fdf3f2; padding: 0.4em 0.8em; }
p.empty { color: #555; font-style: italic; }
figure { margin: 1em 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #555; margin-top: 0.3em; }
.result-pass { color: #1e7b34; font-weight: bold; }
.result-fail { color: #d32f2f; font-weight: bold; }
.result-warning { color: #9a6700; font-weight: bold; }
@page { size: A4; margin: 15mm; }
@page wide { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  section.top { break-before: page; }
  section.wide { page: wide; }
  nav.toc { break-after: page; }
  h2, h3, caption { break-after: avoid; }
  tr, figure { break-inside: avoid; }
  figure { overflow: visible; }
  a { color: inherit; }
}
`

func (htmlRenderer) Render(w io.Writer, in *Input) error {
	doc := in.Doc
	var b strings.Builder
	e := html.EscapeString

	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	// The evidence scan recognizes Ward's own documents by this marker.
	b.WriteString("<meta name=\"generator\" content=\"Ward\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n", e(documentTitle(doc)))
	b.WriteString("<style>" + htmlStyle + printMargins(doc) + "</style>\n</head>\n<body>\n")

	fmt.Fprintf(&b, "<header>\n<h1>%s</h1>\n", e(doc.Title))
	fmt.Fprintf(&b, "<p class=\"meta\">%s</p>\n</header>\n", e(documentLine(doc)))

	b.WriteString("<nav class=\"toc\" aria-label=\"Table of contents\">\n<h2>Contents</h2>\n<ol>\n")
	for _, s := range doc.Sections {
		fmt.Fprintf(&b, "<li><a href=\"#%s\">%s</a>", anchor(s.Key), e(s.Heading()))
		if len(s.Subs) > 0 {
			b.WriteString("\n<ol>\n")
			for _, sub := range s.Subs {
				fmt.Fprintf(&b, "<li><a href=\"#%s\">%s</a></li>\n", anchor(sub.Key), e(sub.Heading()))
			}
			b.WriteString("</ol>\n")
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</ol>\n</nav>\n")

	for _, s := range doc.Sections {
		class := "top"
		if isWide(s) {
			class += " wide"
		}
		fmt.Fprintf(&b, "<section class=\"%s\" id=\"%s\">\n<h2>%s</h2>\n", class, anchor(s.Key), e(s.Heading()))
		writeHTMLBlocks(&b, s.Blocks)
		for _, sub := range s.Subs {
			fmt.Fprintf(&b, "<section id=\"%s\">\n<h3>%s</h3>\n", anchor(sub.Key), e(sub.Heading()))
			writeHTMLBlocks(&b, sub.Blocks)
			b.WriteString("</section>\n")
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</body>\n</html>\n")

	_, err := io.WriteString(w, b.String())
	return err
}

func writeHTMLBlocks(b *strings.Builder, blocks []Block) {
	e := html.EscapeString
	for _, block := range blocks {
		switch v := block.(type) {
		case *Paragraph:
			if v.Note {
				fmt.Fprintf(b, "<p class=\"note\">%s</p>\n", e(v.Text))
			} else {
				fmt.Fprintf(b, "<p>%s</p>\n", e(v.Text))
			}
		case *List:
			b.WriteString("<ul>\n")
			for _, item := range v.Items {
				fmt.Fprintf(b, "<li>%s</li>\n", e(item))
			}
			b.WriteString("</ul>\n")
		case *Table:
			writeHTMLTable(b, v)
		case *Figure:
			if v.SVG == nil {
				continue
			}
			// The SVG comes from Graphviz, which XML-escapes every label;
			// the labels were built from escaped model text.
			fmt.Fprintf(b, "<figure id=\"figure-%s\">\n", anchor(v.View.Slug()))
			b.Write(v.SVG)
			fmt.Fprintf(b, "<figcaption>Figure: %s</figcaption>\n</figure>\n", e(v.View.Title))
		}
	}
}

func writeHTMLTable(b *strings.Builder, t *Table) {
	e := html.EscapeString
	if len(t.Rows) == 0 {
		if t.Caption != "" {
			fmt.Fprintf(b, "<p><strong>%s</strong></p>\n", e(t.Caption))
		}
		fmt.Fprintf(b, "<p class=\"empty\">%s</p>\n", e(cmpOr(t.Empty, "None.")))
		return
	}
	sized := len(t.Widths) == len(t.Header)
	if sized {
		// The widths that lay the PDF out fix the columns here too: left
		// to the browser, narrow columns shrank until words such as
		// "physical" broke across lines.
		b.WriteString("<table class=\"sized\">\n")
	} else {
		b.WriteString("<table>\n")
	}
	if t.Caption != "" {
		fmt.Fprintf(b, "<caption>%s</caption>\n", e(t.Caption))
	}
	if sized {
		total := 0.0
		for _, w := range t.Widths {
			total += w
		}
		b.WriteString("<colgroup>")
		for _, w := range t.Widths {
			fmt.Fprintf(b, "<col style=\"width:%.1f%%\">", 100*w/total)
		}
		b.WriteString("</colgroup>\n")
	}
	b.WriteString("<thead><tr>")
	for _, h := range t.Header {
		fmt.Fprintf(b, "<th scope=\"col\">%s</th>", e(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	result := columnIndex(t.Header, "Result")
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for i, cell := range row {
			if i == result {
				fmt.Fprintf(b, "<td class=\"result-%s\">%s</td>", anchor(cell), e(cell))
				continue
			}
			fmt.Fprintf(b, "<td>%s</td>", e(cell))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

// isWide reports whether a section holds a table with many columns, which
// prints on landscape pages.
func isWide(s *Section) bool {
	for _, blk := range s.Blocks {
		if t, ok := blk.(*Table); ok && len(t.Header) > 8 {
			return true
		}
	}
	return false
}

func columnIndex(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// anchor turns a section key into an HTML id: letters, digits and dashes.
func anchor(key string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, key)
}

// documentTitle is "<document ID> <title>", or the title alone.
func documentTitle(doc *Document) string {
	if doc.ID == "" {
		return doc.Title
	}
	return doc.ID + " " + doc.Title
}

// documentLine is the line under the title: document ID, version, date and
// classification.
func documentLine(doc *Document) string {
	var parts []string
	if doc.ID != "" {
		parts = append(parts, "Document "+doc.ID)
	}
	if doc.Version != "" {
		parts = append(parts, "version "+doc.Version)
	}
	if doc.Date != "" {
		parts = append(parts, "assessed "+doc.Date)
	}
	if doc.Classification != "" {
		parts = append(parts, doc.Classification)
	}
	return strings.Join(parts, " · ")
}

// printMargins returns the CSS that prints the document's ID and version
// and the page number in the bottom margin of every page, as the PDF does.
func printMargins(doc *Document) string {
	footer := strings.TrimSpace(cmpOr(doc.ID, doc.Title) + " version " + cmpOr(doc.Version, "(no version)"))
	box := fmt.Sprintf(`@bottom-left { content: %s; font-size: 8pt; color: #555; } `+
		`@bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; }`, cssString(footer))
	return "@page { " + box + " }\n@page wide { " + box + " }\n"
}

// cssString quotes s as a CSS string. Quotes and backslashes are escaped,
// control characters and anything that could end the style element are
// written as code points, so no model text can break out of the string.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == '<' || r == '>':
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
