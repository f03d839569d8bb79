package evidence

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	txtNumbered  = regexp.MustCompile(`^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(\S.*)$`)
	txtUnderline = regexp.MustCompile(`^(=+|-+)\s*$`)
	txtList      = regexp.MustCompile(`^\s*(?:[-*•‣◦]|\d{1,3}[.)]|[a-z][.)])\s+(.*)$`)
)

// readText reads plain text. Headings are recognized by form: a line
// underlined with = or -, a short numbered line such as "4.2 Trust
// boundaries", or a short line in capitals. Lines starting with a bullet or
// a number are list items, and lines with tabs or " | " between at least
// three cells are table rows. Block.Line is the 1-based line.
func readText(data []byte, lim Limits) *Text {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	b := &builder{max: lim.maxBlocks()}

	var para []string
	paraLine := 0
	flush := func() {
		if len(para) > 0 {
			b.add(Block{Kind: Paragraph, Text: strings.Join(para, " "), Line: paraLine})
			para = nil
		}
	}
	isBlank := func(i int) bool { return i < 0 || i >= len(lines) || strings.TrimSpace(lines[i]) == "" }

	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimSpace(line)
		n := i + 1

		switch {
		case trimmed == "":
			flush()
		case len(para) == 0 && i+1 < len(lines) && txtUnderline.MatchString(strings.TrimSpace(lines[i+1])) && len(trimmed) < 100:
			level := 1
			if strings.HasPrefix(strings.TrimSpace(lines[i+1]), "-") {
				level = 2
			}
			b.add(Block{Kind: Heading, Level: level, Text: trimmed, Line: n})
			i++
		case len(para) == 0 && isBlank(i+1) && isTextHeading(trimmed):
			b.add(Block{Kind: Heading, Level: textHeadingLevel(trimmed), Text: trimmed, Line: n})
		case isTextTableRow(line):
			flush()
			b.add(Block{Kind: TableRow, Text: strings.Join(textCells(line), " | "), Line: n})
		case txtList.MatchString(line):
			flush()
			b.add(Block{Kind: ListItem, Text: txtList.FindStringSubmatch(line)[1], Line: n})
		default:
			if len(para) == 0 {
				paraLine = n
			}
			para = append(para, trimmed)
		}
	}
	flush()

	title := ""
	if len(b.blocks) > 0 {
		title = trimQuote(b.blocks[0].Text, 120)
	}
	return &Text{Title: title, Blocks: b.blocks, Unit: "line"}
}

// isTextHeading reports whether a line standing alone reads as a heading:
// short, not ending in a period, and numbered or in capitals.
func isTextHeading(s string) bool {
	if len(s) > 80 || strings.HasSuffix(s, ".") || strings.HasSuffix(s, ",") {
		return false
	}
	if m := txtNumbered.FindStringSubmatch(s); m != nil {
		r := []rune(m[2])
		return unicode.IsUpper(r[0])
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 3
}

// textHeadingLevel is the number of parts of a heading's section number,
// or 1 for an unnumbered heading.
func textHeadingLevel(s string) int {
	m := txtNumbered.FindStringSubmatch(s)
	if m == nil {
		return 1
	}
	return strings.Count(m[1], ".") + 1
}

func isTextTableRow(line string) bool {
	return len(textCells(line)) >= 3
}

// textCells splits a line at tabs or at " | ".
func textCells(line string) []string {
	var parts []string
	switch {
	case strings.Contains(line, "\t"):
		parts = strings.Split(line, "\t")
	case strings.Contains(line, " | "):
		parts = strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	default:
		return nil
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
