package evidence

import (
	"bytes"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pdfRun is one shown string with its position in device space.
type pdfRun struct {
	x, y, size float64
	// width is the estimated advance, because glyph widths are not read.
	width float64
	text  string
	// placed is set when a positioning operator (Td, TD, Tm, T*, ' or ")
	// set the run's start, as writers do for a new table cell or word.
	placed bool
}

// pdfLine is a line of text on a page.
type pdfLine struct {
	page  int
	y     float64
	size  float64
	text  string
	cells int
}

// maxOperands bounds the operand stack of the content interpreter.
const maxOperands = 4096

// estimatedAdvance is the average glyph width as a share of the font size,
// used to tell a space or a table cell gap from adjacent text.
const estimatedAdvance = 0.5

// pageLines interprets the content streams of a page and returns its
// lines and the number of text-showing operators seen.
func (f *pdfFile) pageLines(p pdfPage, page int) ([]pdfLine, int, error) {
	var content []byte
	var streams []any
	switch c := f.resolve(p.dict["Contents"]).(type) {
	case *pdfStream:
		streams = append(streams, c)
	case pdfArray:
		streams = c
	}
	for _, s := range streams {
		st, ok := f.resolve(s).(*pdfStream)
		if !ok {
			continue
		}
		data, err := f.decode(st)
		if err != nil {
			return nil, 0, err
		}
		content = append(append(content, data...), '\n')
	}
	fonts := f.dict(p.resources["Font"])

	in := &pdfInterp{f: f, fonts: fonts, ctm: identity, scale: 1, leading: 0}
	if err := in.run(content); err != nil {
		return nil, in.shows, err
	}
	return groupLines(in.runs, page), in.shows, nil
}

var identity = [6]float64{1, 0, 0, 1, 0, 0}

// pdfInterp is the state of the content stream interpreter. It follows the
// text and graphics state far enough to place each shown string.
type pdfInterp struct {
	f     *pdfFile
	fonts pdfDict
	font  *pdfFont

	ctm   [6]float64
	stack [][6]float64

	fontSize     float64
	scale        float64
	leading      float64
	lineX, lineY float64
	x            float64

	runs  []pdfRun
	shows int
	// placed is set by a positioning operator and cleared by the next
	// shown string.
	placed bool
}

func (in *pdfInterp) run(content []byte) error {
	lx := &pdfLexer{data: content, maxDepth: in.f.lim.maxDepth()}
	var ops []any
	for {
		v, err := lx.object(0)
		if err != nil {
			if err == errPDFEnd {
				return nil
			}
			return err
		}
		kw, ok := v.(pdfKeyword)
		if !ok {
			if len(ops) < maxOperands {
				ops = append(ops, v)
			}
			continue
		}
		in.op(string(kw), ops)
		if kw == "ID" {
			// Inline image data runs to "EI" and is binary.
			end := bytes.Index(content[lx.pos:], []byte("EI"))
			if end < 0 {
				return nil
			}
			lx.pos += end + 2
		}
		ops = ops[:0]
		if len(in.runs) > in.f.lim.maxBlocks()*16 {
			return nil
		}
	}
}

func nums(ops []any, n int) ([]float64, bool) {
	if len(ops) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i, v := range ops[len(ops)-n:] {
		f, ok := v.(float64)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// op applies one operator. NOTE: text inside form XObjects (operator Do)
// is not read, so a producer that draws whole pages as forms yields a
// document without text.
func (in *pdfInterp) op(kw string, ops []any) {
	switch kw {
	case "q":
		if len(in.stack) < 64 {
			in.stack = append(in.stack, in.ctm)
		}
	case "Q":
		if n := len(in.stack); n > 0 {
			in.ctm = in.stack[n-1]
			in.stack = in.stack[:n-1]
		}
	case "cm":
		if m, ok := nums(ops, 6); ok {
			in.ctm = multiply([6]float64(m), in.ctm)
		}
	case "BT":
		in.lineX, in.lineY, in.x, in.scale = 0, 0, 0, 1
		in.placed = true
	case "Tf":
		if len(ops) >= 2 {
			if name, ok := ops[len(ops)-2].(pdfName); ok && in.fonts != nil {
				in.font = in.f.font(in.fonts[name])
			}
			if s, ok := ops[len(ops)-1].(float64); ok {
				in.fontSize = s
			}
		}
	case "TL":
		if m, ok := nums(ops, 1); ok {
			in.leading = m[0]
		}
	case "Td", "TD":
		if m, ok := nums(ops, 2); ok {
			in.lineX += m[0] * in.scale
			in.lineY += m[1] * in.scale
			in.x = in.lineX
			in.placed = true
			if kw == "TD" {
				in.leading = -m[1]
			}
		}
	case "Tm":
		if m, ok := nums(ops, 6); ok {
			in.scale = math.Hypot(m[2], m[3])
			if in.scale == 0 {
				in.scale = 1
			}
			in.lineX, in.lineY, in.x = m[4], m[5], m[4]
			in.placed = true
		}
	case "T*":
		in.nextLine()
	case "Tj":
		if len(ops) > 0 {
			if s, ok := ops[len(ops)-1].(pdfString); ok {
				in.show(s)
			}
		}
	case "'", "\"":
		in.nextLine()
		if len(ops) > 0 {
			if s, ok := ops[len(ops)-1].(pdfString); ok {
				in.show(s)
			}
		}
	case "TJ":
		if len(ops) == 0 {
			return
		}
		arr, _ := ops[len(ops)-1].(pdfArray)
		for _, v := range arr {
			switch v := v.(type) {
			case pdfString:
				in.show(v)
			case float64:
				// Kerning in thousandths of the font size; a large
				// negative value is a word space.
				in.x -= v / 1000 * in.fontSize * in.scale
			}
		}
	}
}

func (in *pdfInterp) nextLine() {
	in.lineY -= in.leading * in.scale
	in.x = in.lineX
	in.placed = true
}

// show records a shown string at the current point.
func (in *pdfInterp) show(s pdfString) {
	in.shows++
	if in.font == nil {
		in.font = &pdfFont{width: 1}
	}
	text := in.font.decode(s)
	size := in.fontSize * in.scale
	width := float64(utf8.RuneCountInString(text)) * size * estimatedAdvance

	x, y := apply(in.ctm, in.x, in.lineY)
	scale := math.Sqrt(math.Abs(in.ctm[0]*in.ctm[3] - in.ctm[1]*in.ctm[2]))
	if strings.TrimSpace(text) != "" {
		in.runs = append(in.runs, pdfRun{x: x, y: y, size: size * scale, width: width * scale, text: text, placed: in.placed})
		in.placed = false
	}
	in.x += width
}

func multiply(m, n [6]float64) [6]float64 {
	return [6]float64{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func apply(m [6]float64, x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

// groupLines joins runs at the same height into lines. A gap wider than
// one and a half times the font size separates table cells. Because glyph
// widths are estimated, and the estimate can overshoot a long cell. So a
// run that a positioning operator placed well inside the previous run's
// estimated end gets a space, and "protocols" in one cell stays apart from
// "protocols" in the next. A small overlap stays joined, because a writer
// that places each glyph cluster on its own lands close to the estimated
// end.
func groupLines(runs []pdfRun, page int) []pdfLine {
	var out []pdfLine
	var cur *pdfLine
	var startX, endX float64
	var b strings.Builder
	finish := func() {
		if cur != nil {
			cur.text = collapseSpace(b.String())
			if cur.text != "" {
				out = append(out, *cur)
			}
		}
		b.Reset()
	}
	for _, r := range runs {
		size := math.Max(r.size, 1)
		if cur == nil || math.Abs(r.y-cur.y) > 0.4*math.Max(size, cur.size) {
			finish()
			cur = &pdfLine{page: page, y: r.y, size: r.size, cells: 1}
			b.WriteString(r.text)
			startX, endX = r.x, r.x+r.width
			continue
		}
		gap := r.x - endX
		switch {
		case gap > 1.5*size:
			b.WriteString(" | ")
			cur.cells++
		case gap > 0.15*size, r.placed && r.x > startX && gap < -0.3*size:
			b.WriteByte(' ')
		}
		b.WriteString(r.text)
		cur.size = math.Max(cur.size, r.size)
		startX, endX = r.x, r.x+r.width
	}
	finish()
	return out
}

var pdfBullet = regexp.MustCompile(`^(?:[•▪◦‣·*–-]|\d{1,3}[.)])\s+`)

// pdfBlocks turns lines into blocks. The body size is the font size of
// most characters outside tables, whose text is often smaller; larger
// lines are headings, ranked by size.
func pdfBlocks(lines []pdfLine, lim Limits) []Block {
	weight := map[float64]int{}
	for _, l := range lines {
		if l.cells == 1 {
			weight[roundSize(l.size)] += utf8.RuneCountInString(l.text)
		}
	}
	if len(weight) == 0 {
		for _, l := range lines {
			weight[roundSize(l.size)] += utf8.RuneCountInString(l.text)
		}
	}
	body, best := 0.0, -1
	for s, w := range weight {
		if w > best || w == best && s < body {
			body, best = s, w
		}
	}
	var headingSizes []float64
	for s := range weight {
		if s >= body*1.15 {
			headingSizes = append(headingSizes, s)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(headingSizes)))
	levelOf := func(size float64) int {
		for i, s := range headingSizes {
			if s == roundSize(size) {
				return min(i+1, 6)
			}
		}
		return 0
	}

	b := &builder{max: lim.maxBlocks()}
	var para *Block
	var last pdfLine
	flush := func() {
		if para != nil {
			b.add(*para)
			para = nil
		}
	}
	for _, l := range lines {
		level := levelOf(l.size)
		switch {
		case level > 0 && l.cells == 1 && utf8.RuneCountInString(l.text) <= 150:
			flush()
			b.add(Block{Kind: Heading, Level: level, Text: l.text, Page: l.page})
		case l.cells >= 2:
			flush()
			b.add(Block{Kind: TableRow, Text: l.text, Page: l.page})
		case pdfBullet.MatchString(l.text):
			flush()
			b.add(Block{Kind: ListItem, Text: pdfBullet.ReplaceAllString(l.text, ""), Page: l.page})
		case para != nil && l.page == last.page && roundSize(l.size) == roundSize(last.size) &&
			last.y-l.y > 0 && last.y-l.y <= 2*math.Max(l.size, 1):
			para.Text = joinLines(para.Text, l.text)
		default:
			flush()
			para = &Block{Kind: Paragraph, Text: l.text, Page: l.page}
		}
		last = l
	}
	flush()
	return b.blocks
}

func roundSize(s float64) float64 { return math.Round(s*2) / 2 }

// joinLines joins two lines of a paragraph, undoing a hyphenation.
func joinLines(a, b string) string {
	if strings.HasSuffix(a, "-") && b != "" {
		r, _ := utf8.DecodeRuneInString(b)
		if unicode.IsLower(r) {
			return strings.TrimSuffix(a, "-") + b
		}
	}
	return a + " " + b
}
