package evidence

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/diag"
)

// maxQuotes is the number of quotes kept per item and document.
const maxQuotes = 3

// minStructuredHits is the number of vocabulary hits in the table rows and
// list items of one section that documents an item.
const minStructuredHits = 2

// tocHeading matches the heading of a table of contents, whose entries name
// sections without documenting anything.
var tocHeading = regexp.MustCompile(`(?i)^(table of )?contents$`)

// placeholder matches section content that documents nothing.
var placeholder = regexp.MustCompile(`(?i)^(tbd|tbc|todo|n/?a|none|-+|to be (defined|determined|completed|written|added))\.?$`)

// hit is one vocabulary match in a block.
type hit struct {
	block *Block
	term  string
	// at is the byte offset of the match in the block's text.
	at int
}

// assess scores every item against the document's blocks.
func assess(file, unit string, blocks []Block) []ItemResult {
	blocks = withoutTOC(blocks)
	var out []ItemResult
	for _, it := range Items() {
		res := assessItem(file, unit, blocks, it)
		applyRecord(file, unit, blocks, it, &res)
		out = append(out, res)
	}
	return out
}

// withoutTOC drops the blocks under a table-of-contents heading.
func withoutTOC(blocks []Block) []Block {
	var out []Block
	for i := range blocks {
		b := &blocks[i]
		if b.Kind == Heading && tocHeading.MatchString(b.Text) {
			continue
		}
		if inTOC(b) {
			continue
		}
		out = append(out, *b)
	}
	return out
}

func inTOC(b *Block) bool {
	for _, h := range b.Path {
		if tocHeading.MatchString(h) {
			return true
		}
	}
	return false
}

// assessItem applies the scoring rules in order: a heading that names the
// item and has content under it, several hits in the table rows and list
// items of one section, or one hit in a section whose heading gives the
// context, covers the item. Any other hit makes it weak.
func assessItem(file, unit string, blocks []Block, it Item) ItemResult {
	res := ItemResult{ID: it.ID, Title: it.Title, Clause: it.Clause}
	q := func(b *Block, at int) Quote { return quoteOf(file, unit, b, at) }

	// A heading that names the item.
	var emptyHeading *Block
	for i := range blocks {
		h := &blocks[i]
		if h.Kind != Heading || !it.Heading.MatchString(h.Text) {
			continue
		}
		content := sectionContent(blocks, i)
		if content == nil {
			if emptyHeading == nil {
				emptyHeading = h
			}
			continue
		}
		res.Status = Covered
		res.Reason = fmt.Sprintf("the section %q documents it", trimQuote(h.Text, 80))
		res.Evidence = []Quote{q(h, 0), q(content, 0)}
		return res
	}

	hits := findHits(blocks, it.Terms)

	// Several hits in the tables and lists of one section.
	groups := map[string][]hit{}
	var order []string
	for _, h := range hits {
		if h.block.Kind != TableRow && h.block.Kind != ListItem {
			continue
		}
		key := strings.Join(h.block.Path, "\x00")
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], h)
	}
	for _, key := range order {
		g := groups[key]
		if len(g) < minStructuredHits {
			continue
		}
		res.Status = Covered
		res.Reason = fmt.Sprintf("a table or list names %s", termList(g))
		res.Evidence = quotesOf(file, unit, g)
		return res
	}

	// One hit in a section whose heading gives the context.
	if it.Context != nil {
		for _, h := range hits {
			if sec := contextHeading(h.block, it.Context); sec != "" {
				res.Status = Covered
				res.Reason = fmt.Sprintf("the section %q names %s", trimQuote(sec, 80), h.term)
				res.Evidence = quotesOf(file, unit, []hit{h})
				return res
			}
		}
	}

	res.Add = it.Add
	switch {
	case emptyHeading != nil:
		res.Status = Weak
		res.Reason = fmt.Sprintf("the section %q has no content", trimQuote(emptyHeading.Text, 80))
		res.Evidence = []Quote{q(emptyHeading, 0)}
	case len(hits) > 0:
		res.Status = Weak
		res.Reason = fmt.Sprintf("mentioned in passing (%s), not documented in a section, table or list of its own", diag.Count(len(hits), "mention", "mentions"))
		res.Evidence = quotesOf(file, unit, hits)
	default:
		res.Status = Missing
		res.Reason = "no heading names it and none of its terms occurs"
	}
	return res
}

// sectionContent returns the first block with real content under the
// heading at index i, or nil.
func sectionContent(blocks []Block, i int) *Block {
	level := blocks[i].Level
	for j := i + 1; j < len(blocks); j++ {
		b := &blocks[j]
		if b.Kind == Heading && b.Level <= level {
			return nil
		}
		if b.Kind == Heading || placeholder.MatchString(strings.TrimSpace(b.Text)) {
			continue
		}
		if utf8.RuneCountInString(b.Text) >= 3 {
			return b
		}
	}
	return nil
}

// findHits returns the vocabulary hits in block order, one per term and
// block.
func findHits(blocks []Block, terms []Term) []hit {
	var out []hit
	for i := range blocks {
		b := &blocks[i]
		for _, t := range terms {
			if span := t.find(b.Text); span != nil {
				out = append(out, hit{block: b, term: t.Name, at: span[0]})
			}
		}
	}
	return out
}

// contextHeading returns the innermost heading above b that ctx matches.
func contextHeading(b *Block, ctx *regexp.Regexp) string {
	for i := len(b.Path) - 1; i >= 0; i-- {
		if ctx.MatchString(b.Path[i]) {
			return b.Path[i]
		}
	}
	if b.Kind == Heading && ctx.MatchString(b.Text) {
		return b.Text
	}
	return ""
}

// quotesOf returns one quote per distinct block, at most maxQuotes.
func quotesOf(file, unit string, hits []hit) []Quote {
	var out []Quote
	var last *Block
	for _, h := range hits {
		if h.block == last {
			continue
		}
		last = h.block
		out = append(out, quoteOf(file, unit, h.block, h.at))
		if len(out) == maxQuotes {
			break
		}
	}
	return out
}

// termList names the distinct terms of hits.
func termList(hits []hit) string {
	var names []string
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.term] {
			seen[h.term] = true
			names = append(names, h.term)
		}
	}
	if len(names) > 4 {
		names = append(names[:4], "...")
	}
	return strings.Join(names, ", ")
}

// quoteOf quotes block b around byte offset at.
func quoteOf(file, unit string, b *Block, at int) Quote {
	q := Quote{File: file, Text: window(b.Text, at, 200)}
	switch {
	case b.Page > 0:
		q.Page = b.Page
	case unit == "paragraph":
		q.Paragraph = b.Line
	default:
		q.Line = b.Line
	}
	return q
}

// window returns at most limit runes of s around byte offset at, marking
// cut ends with an ellipsis.
func window(s string, at, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	start := max(0, at-limit/3)
	for start > 0 && !utf8.RuneStart(s[start]) {
		start--
	}
	out := trimQuote(s[start:], limit)
	if start > 0 {
		out = "…" + out
	}
	return out
}

// trimQuote cuts s to at most limit runes, ending with an ellipsis when cut.
func trimQuote(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit-1 {
			return strings.TrimSpace(s[:i]) + "…"
		}
		n++
	}
	return s
}

// byteCount formats a size in bytes, "1 byte" or "512 bytes".
func byteCount[N int64 | uint64](n N) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
