package report

import (
	"fmt"
	"io"
	"strings"
)

// markdownRenderer writes GitHub-flavoured Markdown with the diagrams as
// Mermaid code blocks, for reviewing the document in a pull request.
type markdownRenderer struct{}

func (markdownRenderer) FileName(systemID string) string {
	return "Threat-Model-" + safeFileName(systemID) + ".md"
}

func (markdownRenderer) Render(w io.Writer, in *Input) error {
	doc := in.Doc
	var b strings.Builder

	fmt.Fprintf(&b, "# %s\n\n", mdText(doc.Title))
	fmt.Fprintf(&b, "%s\n\n", mdText(documentLine(doc)))

	b.WriteString("## Contents\n\n")
	for _, s := range doc.Sections {
		fmt.Fprintf(&b, "- [%s](#%s)\n", mdText(s.Heading()), anchor(s.Key))
		for _, sub := range s.Subs {
			fmt.Fprintf(&b, "  - [%s](#%s)\n", mdText(sub.Heading()), anchor(sub.Key))
		}
	}
	b.WriteString("\n")

	for _, s := range doc.Sections {
		// An explicit anchor keeps links stable whatever GitHub derives
		// from the heading text.
		fmt.Fprintf(&b, "<a id=\"%s\"></a>\n\n## %s\n\n", anchor(s.Key), mdText(s.Heading()))
		writeMarkdownBlocks(&b, s.Blocks)
		for _, sub := range s.Subs {
			fmt.Fprintf(&b, "<a id=\"%s\"></a>\n\n### %s\n\n", anchor(sub.Key), mdText(sub.Heading()))
			writeMarkdownBlocks(&b, sub.Blocks)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownBlocks(b *strings.Builder, blocks []Block) {
	for _, block := range blocks {
		switch v := block.(type) {
		case *Paragraph:
			if v.Note {
				fmt.Fprintf(b, "> **Note:** %s\n\n", mdText(v.Text))
			} else {
				fmt.Fprintf(b, "%s\n\n", mdText(v.Text))
			}
		case *List:
			for _, item := range v.Items {
				fmt.Fprintf(b, "- %s\n", mdText(item))
			}
			b.WriteString("\n")
		case *Table:
			writeMarkdownTable(b, v)
		case *Figure:
			if v.Mermaid == "" {
				continue
			}
			// Mermaid text carries model text only as entity codes, so it
			// cannot contain the backticks that would close the fence.
			fmt.Fprintf(b, "```mermaid\n%s```\n\n", v.Mermaid)
		}
	}
}

func writeMarkdownTable(b *strings.Builder, t *Table) {
	if t.Caption != "" {
		fmt.Fprintf(b, "**%s**\n\n", mdText(t.Caption))
	}
	if len(t.Rows) == 0 {
		fmt.Fprintf(b, "*%s*\n\n", mdText(cmpOr(t.Empty, "None.")))
		return
	}
	b.WriteString("|")
	for _, h := range t.Header {
		fmt.Fprintf(b, " %s |", mdText(h))
	}
	b.WriteString("\n|")
	for range t.Header {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for _, cell := range row {
			fmt.Fprintf(b, " %s |", mdText(cell))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// mdText makes s literal text in GitHub Markdown. Line breaks become spaces,
// so a value cannot end a table row or start a block. The punctuation that
// starts emphasis, code, links, inline HTML, entities or table cells is
// backslash-escaped, as CommonMark allows for any ASCII punctuation, and
// so is a leading character that would start a list, quote or heading.
func mdText(s string) string {
	var b strings.Builder
	for i, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			// Control characters have no visible form.
		case strings.ContainsRune("\\`*_{}[]<>#|~&!$", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case i == 0 && strings.ContainsRune("-+=", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case (r == '.' || r == ')') && isDigits(s[:i]):
			// "1." or "1)" at the start would begin an ordered list.
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
