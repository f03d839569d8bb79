package evidence

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/conformance"
)

// matrixRow is one requirement's row in the conformance matrix of a Ward
// report.
type matrixRow struct {
	status  string
	message string
	fix     string
	// quotes are the row's requirement ID and, when the ID's quote does not
	// show it, its result.
	quotes []Quote
}

// cellSep separates the cells of the matrix in the text that readMatrix
// searches. matrixCells replaces it with a space inside cell text.
const cellSep = "\x1f"

// matrixCell is one table cell or paragraph of the matrix with its place in
// the document.
type matrixCell struct {
	block *Block
	// at is the cell's byte offset in the block's text.
	at int
	// start is the cell's byte offset in the joined matrix text.
	start int
}

var (
	// pageFooter matches the running footer of a Ward PDF report, "TM-1
	// version 2 | Page 3 of 9", which may fall inside the matrix.
	pageFooter = regexp.MustCompile(`\bPage \d+ of \d+$`)
	// statusCell matches a result cell in the joined matrix text. The
	// narrow result column of a PDF can break "not-applicable" or
	// "not-checked" after any letter, onto the same line or a line of its
	// own, so one space or cell boundary may occur between any two letters.
	statusCell = regexp.MustCompile(cellSep + `(` + splittable("pass", "fail", "warning", "not-applicable", "not-checked") + `)` + cellSep)
	// requirementIDs contains every requirement ID of the catalog.
	requirementIDs = catalogIDs()
)

// splittable returns an alternation of words that allows one space or cell
// separator between any two characters of each.
func splittable(words ...string) string {
	alts := make([]string, len(words))
	for i, w := range words {
		chars := make([]string, 0, len(w))
		for _, r := range w {
			chars = append(chars, regexp.QuoteMeta(string(r)))
		}
		alts[i] = strings.Join(chars, "[ "+cellSep+"]?")
	}
	return strings.Join(alts, "|")
}

func catalogIDs() map[string]bool {
	ids := map[string]bool{}
	for _, r := range conformance.Catalog() {
		ids[r.ID] = true
	}
	return ids
}

// readMatrix reads the conformance matrix of a Ward report: the table whose
// header row starts with Requirement and names a Result column, up to the
// next heading. Each row gives the requirement's result, message and fix.
// The second return value is false when the document has no such table.
//
// The cells are searched as one text, because a PDF wraps long cells onto
// lines of their own and can merge neighbouring cells. A row starts at a
// requirement ID when a cell that is exactly a status follows it before the
// next ID. An ID without such a cell is a mention inside a finding, such as
// a fix that names a not_applicable key. The cells after the status are the
// evidence section and the finding, up to the next row.
func readMatrix(file, unit string, blocks []Block) (map[string]matrixRow, bool) {
	cells, text, found := matrixCells(blocks)
	if !found {
		return nil, false
	}

	type rowStart struct {
		id                  string
		idAt                int
		statusAt, statusEnd int
		findingAt           int
	}
	var starts []rowStart
	ids := findRequirementIDs(text)
	for k, id := range ids {
		end := len(text)
		if k+1 < len(ids) {
			end = ids[k+1].start
		}
		// The status search starts at the separator after the ID's cell,
		// which the pattern needs in front of the status.
		i := strings.Index(text[id.end:end], cellSep)
		if i < 0 {
			continue
		}
		from := id.end + i
		st := statusCell.FindStringSubmatchIndex(text[from:end])
		if st == nil {
			continue
		}
		starts = append(starts, rowStart{
			id:   strings.ReplaceAll(strings.ReplaceAll(text[id.start:id.end], " ", ""), cellSep, ""),
			idAt: id.start, statusAt: from + st[2], statusEnd: from + st[3], findingAt: from + st[1],
		})
	}

	headings := headingTexts(blocks)
	rows := map[string]matrixRow{}
	for j, r := range starts {
		if _, seen := rows[r.id]; seen {
			continue
		}
		end := len(text)
		if j+1 < len(starts) {
			end = starts[j+1].idAt
		}
		after := text[min(r.findingAt, end):end]
		finding, ok := stripHeading(collapseSpace(strings.ReplaceAll(after, cellSep, " ")), headings)
		if !ok {
			// The evidence cell names no heading the reader found, so
			// it is dropped as a cell.
			_, rest, _ := strings.Cut(after, cellSep)
			finding = collapseSpace(strings.ReplaceAll(rest, cellSep, " "))
		}
		message, fix, hasFix := strings.Cut(finding, " Fix: ")
		if hasFix {
			// The report ends both parts with a full stop when it joins
			// them; the check's own texts have none.
			message, fix = strings.TrimSuffix(strings.TrimSpace(message), "."), strings.TrimSuffix(strings.TrimSpace(fix), ".")
		}
		rows[r.id] = matrixRow{
			status:  strings.NewReplacer(" ", "", cellSep, "").Replace(text[r.statusAt:r.statusEnd]),
			message: strings.TrimSpace(message),
			fix:     strings.TrimSpace(fix),
			quotes:  rowQuotes(file, unit, cells, r.idAt, r.statusAt),
		}
	}
	return rows, true
}

// span is a byte range [start, end) of the joined matrix text.
type span struct{ start, end int }

// findRequirementIDs returns the span of every requirement ID in text. An
// ID is a whole word between spaces or cell boundaries. A PDF line
// break inside a narrow cell can split an ID in two, as in
// "tm.board-connection s", so two words that form an ID together count as
// one.
func findRequirementIDs(text string) []span {
	var words []span
	start := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != ' ' && text[i] != cellSep[0] {
			continue
		}
		if i > start {
			words = append(words, span{start, i})
		}
		start = i + 1
	}

	var out []span
	for k := 0; k < len(words); k++ {
		w := words[k]
		if k+1 < len(words) && words[k+1].start == w.end+1 && requirementIDs[text[w.start:w.end]+text[words[k+1].start:words[k+1].end]] {
			out = append(out, span{w.start, words[k+1].end})
			k++
			continue
		}
		if requirementIDs[text[w.start:w.end]] {
			out = append(out, w)
		}
	}
	return out
}

// matrixCells finds the matrix and joins its cells into one text, each
// cell between separators. Header rows repeated on later PDF pages and
// page footers are left out.
func matrixCells(blocks []Block) ([]matrixCell, string, bool) {
	first := -1
	for i := range blocks {
		if isMatrixHeader(&blocks[i]) {
			first = i
			break
		}
	}
	if first < 0 {
		return nil, "", false
	}

	var cells []matrixCell
	var text strings.Builder
	text.WriteString(cellSep)
	for i := first + 1; i < len(blocks); i++ {
		b := &blocks[i]
		if b.Kind == Heading {
			break
		}
		if isMatrixHeader(b) || isPageFooter(b.Text) {
			continue
		}
		parts := []string{b.Text}
		if b.Kind == TableRow {
			parts = strings.Split(b.Text, " | ")
		}
		at := 0
		for _, p := range parts {
			cells = append(cells, matrixCell{block: b, at: at, start: text.Len()})
			text.WriteString(strings.ReplaceAll(p, cellSep, " "))
			text.WriteString(cellSep)
			at += len(p) + len(" | ")
		}
	}
	return cells, text.String(), true
}

// isPageFooter reports whether text ends like the running footer of a Ward
// PDF report. The cheap test on "Page " keeps the regular expression off
// most rows.
func isPageFooter(text string) bool {
	return strings.Contains(text, "Page ") && pageFooter.MatchString(text)
}

// isMatrixHeader reports whether b is the header row of the conformance
// matrix.
func isMatrixHeader(b *Block) bool {
	if b.Kind != TableRow {
		return false
	}
	cells := strings.Split(b.Text, " | ")
	return len(cells) >= 3 && cells[0] == "Requirement" && slices.Contains(cells, "Result")
}

// sectionNumber matches the number that starts a numbered heading of a
// Ward report, "6.1 " in "6.1 Categorized data and information flows".
var sectionNumber = regexp.MustCompile(`^\d+(?:\.\d+)* `)

// maxSameNumber is the most headings with one section number that
// stripHeading tries, so a hostile document with thousands of alike
// headings costs a bounded time per row.
const maxSameNumber = 8

// headingTexts indexes the document's numbered headings by their section
// number, longest text first within a number.
func headingTexts(blocks []Block) map[string][]string {
	out := map[string][]string{}
	for _, b := range blocks {
		if b.Kind != Heading {
			continue
		}
		if n := sectionNumber.FindString(b.Text); n != "" {
			out[n] = append(out[n], b.Text)
		}
	}
	for _, list := range out {
		slices.SortStableFunc(list, func(a, b string) int { return len(b) - len(a) })
	}
	return out
}

// stripHeading removes the evidence column from the text after a row's
// result: the numbered heading of a section of the report, or "-" when the
// requirement has none. It reports false when s starts with neither.
func stripHeading(s string, headings map[string][]string) (string, bool) {
	if s == "-" {
		return "", true
	}
	if rest, ok := strings.CutPrefix(s, "- "); ok {
		return rest, true
	}
	list := headings[sectionNumber.FindString(s)]
	for _, h := range list[:min(len(list), maxSameNumber)] {
		if rest, ok := strings.CutPrefix(s, h); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return s, false
}

// rowQuotes quotes a matrix row from its requirement ID and, when the
// result lies outside that quote, from the result.
func rowQuotes(file, unit string, cells []matrixCell, idAt, statusAt int) []Quote {
	idBlock, idOff := cellAt(cells, idAt)
	if idBlock == nil {
		return nil
	}
	first := quoteFrom(file, unit, idBlock, idOff)
	quotes := []Quote{first}

	statusBlock, statusOff := cellAt(cells, statusAt)
	if statusBlock == nil {
		return quotes
	}
	statusShown := statusBlock == idBlock && statusOff+len("not-applicable") <= idOff+len(strings.TrimSuffix(first.Text, "…"))
	if !statusShown {
		quotes = append(quotes, quoteOf(file, unit, statusBlock, statusOff))
	}
	return quotes
}

// quoteFrom quotes block b from byte offset at, marking a cut start with
// an ellipsis.
func quoteFrom(file, unit string, b *Block, at int) Quote {
	q := quoteOf(file, unit, b, at)
	q.Text = trimQuote(b.Text[at:], 200)
	if at > 0 {
		q.Text = "…" + q.Text
	}
	return q
}

// cellAt maps a byte offset in the joined matrix text to its block and the
// offset in that block's text.
func cellAt(cells []matrixCell, at int) (*Block, int) {
	i, found := slices.BinarySearchFunc(cells, at, func(c matrixCell, at int) int { return c.start - at })
	if !found {
		i--
	}
	if i < 0 || i >= len(cells) {
		return nil, 0
	}
	c := cells[i]
	off := c.at + at - c.start
	if off > len(c.block.Text) {
		off = len(c.block.Text)
	}
	return c.block, off
}

// reportItems scores each item of a Ward report from its conformance
// results: those of a, read from the assessment.json at jsonRel next to
// the report, when a is not nil, else the rows of the report's own
// conformance matrix. A failure scores missing, because the report itself
// states that the item is not met. The conformance result is only the
// verdict: the quotes come from the report section that documents the
// item, so the evidence never points back at the matrix.
func reportItems(file, unit string, blocks []Block, a *assessment.Assessment, jsonRel string) []ItemResult {
	rows, found := readMatrix(file, unit, blocks)
	sections := itemSections()
	content := withoutTOC(blocks)
	byID := map[string]assessment.Result{}
	if a != nil {
		for _, r := range a.Conformance {
			byID[r.Requirement.ID] = r
		}
	}

	var out []ItemResult
	for _, it := range Items() {
		row, hasRow := rows[it.ID]
		var check *Check
		evidence := 0
		switch r, ok := byID[it.ID]; {
		case ok:
			check = &Check{Source: SourceAssessment, File: jsonRel, Status: r.Status, Message: r.Message, Fix: r.Fix}
			evidence = len(r.Evidence)
		case hasRow:
			check = &Check{Source: SourceMatrix, File: file, Status: row.status, Message: row.message, Fix: row.fix}
		}

		if check == nil {
			res := ItemResult{ID: it.ID, Title: it.Title, Clause: it.Clause, Status: Missing, Add: it.Add}
			switch {
			case a != nil:
				res.Reason = jsonRel + " has no result for it"
			case !found:
				res.Reason = "this Ward report has no conformance matrix, so its results cannot be read; render it again with ward report"
			default:
				res.Reason = "the report's conformance matrix has no readable row for it"
			}
			out = append(out, res)
			continue
		}

		res := scoreCheck(it, check, evidence, false)
		res.Evidence = sectionQuotes(file, unit, content, sections[it.ID])
		switch {
		case res.Evidence != nil:
		case res.Status == Covered:
			// The verdict alone is no evidence: the report must show
			// the section that documents the item.
			res.Status = Weak
			res.Reason += fmt.Sprintf("; but the report has no section %q with content", sections[it.ID].Title)
			res.Add = it.Add
		default:
			// The matrix row shows where the report states the failure.
			res.Evidence = row.quotes
		}
		out = append(out, res)
	}
	return out
}

// itemSections maps each requirement ID to the report section that
// documents it, as the conformance catalog names it.
func itemSections() map[string]assessment.Section {
	titles := map[string]assessment.Section{}
	for _, sec := range assessment.Sections {
		titles[sec.ID] = sec
	}
	out := map[string]assessment.Section{}
	for _, r := range conformance.Catalog() {
		out[r.ID] = titles[r.Section]
	}
	return out
}

// sectionQuotes quotes the heading of the report section sec and the first
// content under it. A heading matches when its text is the section title,
// after an optional section number such as "6.3 ". A table of contents
// entry has no content under it, so the section itself is quoted. It
// returns nil when the report has no such section with content.
func sectionQuotes(file, unit string, blocks []Block, sec assessment.Section) []Quote {
	if sec.Title == "" {
		return nil
	}
	for i := range blocks {
		h := &blocks[i]
		if h.Kind != Heading || !strings.EqualFold(sectionNumber.ReplaceAllString(h.Text, ""), sec.Title) {
			continue
		}
		if c := firstUnder(blocks, i); c != nil {
			return []Quote{quoteOf(file, unit, h, 0), quoteOf(file, unit, c, 0)}
		}
	}
	return nil
}

// firstUnder returns the first block under the heading at index i, before
// the next heading of the same or a higher level, or nil. A deeper heading
// counts as content, because the PDF reader takes the sentences of a
// section that has no table for small headings. Running page footers do
// not count.
func firstUnder(blocks []Block, i int) *Block {
	level := blocks[i].Level
	for j := i + 1; j < len(blocks); j++ {
		b := &blocks[j]
		if b.Kind == Heading && b.Level <= level {
			return nil
		}
		if isPageFooter(b.Text) || utf8.RuneCountInString(b.Text) < 3 {
			continue
		}
		return b
	}
	return nil
}
