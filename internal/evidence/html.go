package evidence

import (
	"bytes"
	"html"
	"strings"
)

// htmlSkipped are elements whose content is not document text.
var htmlSkipped = map[string]bool{"script": true, "style": true, "svg": true, "template": true, "noscript": true, "math": true}

// htmlBreaks are elements that start or end a paragraph.
var htmlBreaks = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "header": true, "footer": true, "main": true,
	"nav": true, "aside": true, "blockquote": true, "pre": true, "figure": true, "figcaption": true,
	"caption": true, "dl": true, "dt": true, "dd": true, "address": true, "hr": true,
	"ul": true, "ol": true, "table": true, "form": true, "fieldset": true, "body": true,
}

// htmlDoc is the state of the HTML reader.
type htmlDoc struct {
	b    *builder
	line int

	// mode is "" (paragraph), "heading", "li" or "tr".
	mode      string
	level     int
	buf       strings.Builder
	bufLine   int
	cells     []string
	inCell    bool
	cell      strings.Builder
	title     strings.Builder
	inTitle   bool
	generator string
}

// readHTML reads HTML with a small tolerant tokenizer: it never fails on
// malformed markup, keeps headings, list items and table rows, skips
// scripts, styles and inline SVG, and decodes character references.
// Block.Line is the 1-based line where the block's text starts.
func readHTML(data []byte, lim Limits) *Text {
	d := &htmlDoc{b: &builder{max: lim.maxBlocks()}, line: 1}
	s := data
	for len(s) > 0 {
		lt := bytes.IndexByte(s, '<')
		if lt < 0 {
			d.text(s)
			break
		}
		if lt > 0 {
			d.text(s[:lt])
			s = s[lt:]
		}

		switch {
		case bytes.HasPrefix(s, []byte("<!--")):
			end := bytes.Index(s[4:], []byte("-->"))
			if end < 0 {
				end = len(s) - 4
			} else {
				end += 3
			}
			d.skip(s[:4+end])
			s = s[4+end:]
			continue
		case len(s) > 1 && (s[1] == '!' || s[1] == '?'):
			end := bytes.IndexByte(s, '>')
			if end < 0 {
				end = len(s) - 1
			}
			d.skip(s[:end+1])
			s = s[end+1:]
			continue
		}

		name, attrs, closing, n := parseTag(s)
		if n == 0 {
			// A '<' that starts no tag is text.
			d.text(s[:1])
			s = s[1:]
			continue
		}
		tagLine := d.line
		d.skip(s[:n])
		s = s[n:]

		if !closing && htmlSkipped[name] {
			end := indexFold(s, "</"+name)
			if end < 0 {
				end = len(s)
			}
			d.skip(s[:end])
			s = s[end:]
			continue
		}
		d.tag(name, attrs, closing, tagLine)
	}
	d.flush()

	title := collapseSpace(d.title.String())
	if title == "" {
		title = firstHeading(d.b.blocks)
	}
	return &Text{Title: title, Blocks: d.b.blocks, Unit: "line", Generator: d.generator}
}

// tag handles one start or end tag.
func (d *htmlDoc) tag(name, attrs string, closing bool, line int) {
	switch {
	case name == "title":
		d.inTitle = !closing
	case name == "meta" && !closing:
		if strings.EqualFold(attrValue(attrs, "name"), "generator") {
			d.generator = attrValue(attrs, "content")
		}
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		d.flush()
		if !closing {
			d.mode, d.level, d.bufLine = "heading", int(name[1]-'0'), line
		}
	case name == "li":
		d.flush()
		if !closing {
			d.mode, d.bufLine = "li", line
		}
	case name == "tr":
		d.flush()
		if !closing {
			d.mode, d.bufLine = "tr", line
		}
	case name == "td" || name == "th":
		if d.mode != "tr" {
			d.flush()
			d.mode, d.bufLine = "tr", line
		}
		d.endCell()
		d.inCell = !closing
	case name == "br":
		d.text([]byte(" "))
	case htmlBreaks[name]:
		if d.mode == "" || name == "table" || name == "ul" || name == "ol" {
			d.flush()
		} else {
			d.text([]byte(" "))
		}
	}
}

// text adds raw text and counts its lines.
func (d *htmlDoc) text(raw []byte) {
	startLine := d.line
	d.line += bytes.Count(raw, []byte("\n"))
	t := html.UnescapeString(string(raw))
	switch {
	case d.inTitle:
		d.title.WriteString(t)
	case d.mode == "tr" && d.inCell:
		d.cell.WriteString(t)
	case d.mode == "tr":
		// Text between cells is white space in well-formed tables.
	default:
		if d.bufLine == 0 && strings.TrimSpace(t) != "" {
			d.bufLine = startLine + strings.Count(t[:len(t)-len(strings.TrimLeft(t, " \t\r\n"))], "\n")
		}
		d.buf.WriteString(t)
	}
}

// skip counts the lines of markup that carries no text.
func (d *htmlDoc) skip(raw []byte) { d.line += bytes.Count(raw, []byte("\n")) }

func (d *htmlDoc) endCell() {
	if d.inCell {
		d.cells = append(d.cells, collapseSpace(d.cell.String()))
		d.cell.Reset()
		d.inCell = false
	}
}

// flush emits the pending block.
func (d *htmlDoc) flush() {
	switch d.mode {
	case "heading":
		d.b.add(Block{Kind: Heading, Level: d.level, Text: d.buf.String(), Line: d.bufLine})
	case "li":
		d.b.add(Block{Kind: ListItem, Text: d.buf.String(), Line: d.bufLine})
	case "tr":
		d.endCell()
		var cells []string
		for _, c := range d.cells {
			if c != "" {
				cells = append(cells, c)
			}
		}
		d.b.add(Block{Kind: TableRow, Text: strings.Join(cells, " | "), Line: d.bufLine})
		d.cells = nil
	default:
		d.b.add(Block{Kind: Paragraph, Text: d.buf.String(), Line: d.bufLine})
	}
	d.buf.Reset()
	d.mode = ""
	d.bufLine = 0
}

// parseTag reads the start or end tag at the start of s. It returns the
// lower-case name, the raw attribute text, whether it is an end tag and
// the tag's length in bytes. The length is zero when s starts no tag.
func parseTag(s []byte) (name, attrs string, closing bool, n int) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (isASCIILetter(s[i]) || (i > start && (s[i] >= '0' && s[i] <= '9' || s[i] == '-' || s[i] == ':'))) {
		i++
	}
	if i == start {
		return "", "", false, 0
	}
	name = strings.ToLower(string(s[start:i]))
	attrStart := i
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, string(s[attrStart:i]), closing, i + 1
		}
	}
	return name, string(s[attrStart:]), closing, len(s)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// attrValue returns the value of attribute key in raw attribute text.
func attrValue(attrs, key string) string {
	lower := strings.ToLower(attrs)
	for from := 0; ; {
		i := strings.Index(lower[from:], key)
		if i < 0 {
			return ""
		}
		i += from
		from = i + len(key)
		if i > 0 && !strings.ContainsRune(" \t\r\n/", rune(lower[i-1])) {
			continue
		}
		rest := strings.TrimLeft(attrs[from:], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if rest == "" {
			return ""
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(rest[1:], q); end >= 0 {
				return html.UnescapeString(rest[1 : 1+end])
			}
			return html.UnescapeString(rest[1:])
		}
		end := strings.IndexAny(rest, " \t\r\n>")
		if end < 0 {
			end = len(rest)
		}
		return html.UnescapeString(rest[:end])
	}
}

// indexFold returns the index of the first case-insensitive occurrence of
// the ASCII string sub in s, or -1.
func indexFold(s []byte, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if s[i] == '<' && strings.EqualFold(string(s[i:i+n]), sub) {
			return i
		}
	}
	return -1
}
