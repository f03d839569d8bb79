package evidence

import (
	"regexp"
	"strings"
)

var (
	mdATX       = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext1   = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	mdSetext2   = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	mdFence     = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	mdList      = regexp.MustCompile(`^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$`)
	mdDelimiter = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	mdTag       = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
	mdLink      = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdEscape    = regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])")
	mdEmphasis  = regexp.MustCompile("(\\*+|__|`)")
)

// readMarkdown reads CommonMark and GitHub Markdown: ATX and setext
// headings, pipe tables, list items, fenced code and paragraphs. Block.Line
// is the 1-based line where the block starts. A YAML front matter title
// becomes the document title.
func readMarkdown(data []byte, lim Limits) *Text {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	b := &builder{max: lim.maxBlocks()}
	title := ""

	start := 0
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			l := strings.TrimSpace(lines[i])
			if l == "---" || l == "..." {
				start = i + 1
				break
			}
			if v, ok := strings.CutPrefix(l, "title:"); ok {
				title = strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
	}

	var para []string
	paraLine := 0
	var item *Block
	flush := func() {
		if item != nil {
			b.add(*item)
			item = nil
		}
		if len(para) > 0 {
			b.add(Block{Kind: Paragraph, Text: mdInline(strings.Join(para, " ")), Line: paraLine})
			para = nil
		}
	}

	for i := start; i < len(lines); i++ {
		line := lines[i]
		n := i + 1

		if m := mdFence.FindStringSubmatch(line); m != nil {
			flush()
			fence := m[1]
			var code []string
			j := i + 1
			for ; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), fence); j++ {
				code = append(code, lines[j])
			}
			b.add(Block{Kind: Paragraph, Text: strings.Join(code, " "), Line: n + 1})
			i = j
			continue
		}

		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case mdSetext1.MatchString(line) && len(para) > 0 && item == nil,
			mdSetext2.MatchString(line) && len(para) > 0 && item == nil:
			level := 1
			if strings.Contains(line, "-") {
				level = 2
			}
			b.add(Block{Kind: Heading, Level: level, Text: mdInline(strings.Join(para, " ")), Line: paraLine})
			para = nil
		case mdATX.MatchString(line):
			flush()
			m := mdATX.FindStringSubmatch(line)
			b.add(Block{Kind: Heading, Level: len(m[1]), Text: mdInline(m[2]), Line: n})
		case strings.HasPrefix(trimmed, "|"):
			flush()
			if mdDelimiter.MatchString(trimmed) {
				continue
			}
			b.add(Block{Kind: TableRow, Text: mdInline(strings.Join(splitCells(trimmed), " | ")), Line: n})
		case mdList.MatchString(line):
			flush()
			item = &Block{Kind: ListItem, Text: mdInline(mdList.FindStringSubmatch(line)[1]), Line: n}
		case item != nil && (line[0] == ' ' || line[0] == '\t'):
			item.Text += " " + mdInline(trimmed)
		default:
			if item != nil {
				flush()
			}
			if len(para) == 0 {
				paraLine = n
			}
			para = append(para, trimmed)
		}
	}
	flush()

	if title == "" {
		title = firstHeading(b.blocks)
	}
	return &Text{Title: title, Blocks: b.blocks, Unit: "line"}
}

// splitCells splits a pipe table row at unescaped pipes and drops the empty
// cells outside the leading and trailing pipes.
func splitCells(row string) []string {
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		c := row[i]
		if c == '\\' && i+1 < len(row) && row[i+1] == '|' {
			cur.WriteByte('|')
			i++
			continue
		}
		if c == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	cells = append(cells, strings.TrimSpace(cur.String()))
	if len(cells) > 0 && cells[0] == "" {
		cells = cells[1:]
	}
	if len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

// mdInline removes inline markup: tags, link targets, emphasis markers
// and code spans. Backslash-escaped punctuation is kept as text, so it is
// set aside in the Unicode private use area while the markup goes.
func mdInline(s string) string {
	s = mdEscape.ReplaceAllStringFunc(s, func(m string) string { return string(rune(0xE000) + rune(m[1])) })
	s = mdTag.ReplaceAllString(s, "")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdEmphasis.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if r > 0xE000 && r < 0xE080 {
			return r - 0xE000
		}
		return r
	}, s)
	return collapseSpace(s)
}
