package evidence

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"unicode/utf16"
)

// Errors of PDF files that are well formed but cannot be assessed.
var (
	errEncrypted   = errors.New("the PDF is encrypted; Ward reads only unencrypted PDF files")
	errNoTextLayer = errors.New("no page has a text layer, so the file is likely a scan; export it again from its source or run OCR")
	errUndecodable = errors.New("the pages show text, but in fonts without a Unicode map, so the text cannot be read")
)

// objHeader matches "n g obj" at a token boundary.
var objHeader = regexp.MustCompile(`(?:^|[^0-9])(\d{1,10})[ \t\r\n\f\x00]+(\d{1,5})[ \t\r\n\f\x00]+obj\b`)

// pdfFile is a PDF read by scanning for objects instead of trusting the
// cross-reference table, which is often wrong in damaged files.
type pdfFile struct {
	lim     Limits
	objects map[int]any
	// trailers lists every trailer dictionary and cross-reference stream
	// dictionary, in file order.
	trailers []pdfDict
	budget   int64
	count    int
	fonts    map[any]*pdfFont
}

// readPDF reads the text layer of a PDF: the text shown on each page, in
// content-stream order, grouped into lines. Lines in a larger font than the
// body text become headings, lines whose pieces sit far apart become table
// rows, and lines starting with a bullet become list items. Block.Page is
// the 1-based page.
func readPDF(data []byte, lim Limits) (*Text, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\r\n "), []byte("%PDF-")) {
		return nil, errors.New("the file does not start with %PDF-, so it is not a PDF")
	}
	if !bytes.Contains(data[max(0, len(data)-4096):], []byte("%%EOF")) {
		return nil, errors.New("the file is truncated: it does not end with the %%EOF marker")
	}
	f := &pdfFile{lim: lim, objects: map[int]any{}, budget: lim.maxExpanded(), fonts: map[any]*pdfFont{}}
	if err := f.scan(data); err != nil {
		return nil, err
	}
	for _, t := range f.trailers {
		if _, ok := t["Encrypt"]; ok {
			return nil, errEncrypted
		}
	}

	pages := f.pages()
	if len(pages) == 0 {
		return nil, errors.New("no pages found")
	}
	var lines []pdfLine
	shows := 0
	for i, p := range pages {
		pl, n, err := f.pageLines(p, i+1)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		lines = append(lines, pl...)
		shows += n
	}
	if len(lines) == 0 {
		if shows > 0 {
			return nil, errUndecodable
		}
		return nil, errNoTextLayer
	}

	t := &Text{Blocks: pdfBlocks(lines, lim), Unit: "page"}
	if info, ok := f.resolve(f.trailerKey("Info")).(pdfDict); ok {
		if s, ok := f.resolve(info["Title"]).(pdfString); ok {
			t.Title = collapseSpace(pdfTextString(s))
		}
		if s, ok := f.resolve(info["Producer"]).(pdfString); ok {
			t.Generator = collapseSpace(pdfTextString(s))
		}
	}
	if t.Title == "" {
		t.Title = firstHeading(t.Blocks)
	}
	return t, nil
}

// scan reads every "n g obj" in the file and every trailer, then the
// objects packed in object streams.
func (f *pdfFile) scan(data []byte) error {
	lx := &pdfLexer{data: data, maxDepth: f.lim.maxDepth()}
	pos := 0
	for pos < len(data) {
		m := objHeader.FindSubmatchIndex(data[pos:])
		if m == nil {
			break
		}
		numStart := pos + m[2]
		// Trailers between objects.
		f.trailersIn(data[pos:numStart], lx)

		n, _ := strconv.Atoi(string(data[pos+m[2] : pos+m[3]]))
		lx.pos = pos + m[1]
		obj, err := lx.object(0)
		if err != nil && !errors.Is(err, errPDFEnd) {
			return fmt.Errorf("object %d: %w", n, err)
		}
		if d, ok := obj.(pdfDict); ok {
			save := lx.pos
			lx.skipSpace()
			if bytes.HasPrefix(data[lx.pos:], []byte("stream")) {
				obj = f.stream(lx, d)
			} else {
				lx.pos = save
			}
			if t, _ := d["Type"].(pdfName); t == "XRef" {
				f.trailers = append(f.trailers, d)
			}
		}
		if err := f.add(n, obj, true); err != nil {
			return err
		}
		pos = max(lx.pos, pos+m[1])
	}
	f.trailersIn(data[pos:], lx)

	// Objects inside object streams never replace objects written
	// directly, which come from a later incremental update or the same one.
	var streams []int
	for n, o := range f.objects {
		if s, ok := o.(*pdfStream); ok {
			if t, _ := s.dict["Type"].(pdfName); t == "ObjStm" {
				streams = append(streams, n)
			}
		}
	}
	sort.Ints(streams)
	for _, n := range streams {
		if err := f.objectStream(f.objects[n].(*pdfStream)); err != nil {
			return fmt.Errorf("object stream %d: %w", n, err)
		}
	}
	return nil
}

func (f *pdfFile) add(n int, obj any, replace bool) error {
	f.count++
	if f.count > f.lim.maxObjects() {
		return fmt.Errorf("%w: the file contains more than %d objects", errLimit, f.lim.maxObjects())
	}
	if _, seen := f.objects[n]; seen && !replace {
		return nil
	}
	f.objects[n] = obj
	return nil
}

// trailersIn parses the trailer dictionaries in a stretch between objects.
func (f *pdfFile) trailersIn(chunk []byte, lx *pdfLexer) {
	for {
		i := bytes.Index(chunk, []byte("trailer"))
		if i < 0 {
			return
		}
		sub := &pdfLexer{data: chunk[i+len("trailer"):], maxDepth: lx.maxDepth}
		if d, err := sub.object(0); err == nil {
			if dict, ok := d.(pdfDict); ok {
				f.trailers = append(f.trailers, dict)
			}
		}
		chunk = chunk[i+len("trailer"):]
	}
}

// stream reads the data after a stream dictionary. The Length entry is
// used when it is a direct number that ends at "endstream"; otherwise the
// data runs to the next "endstream".
func (f *pdfFile) stream(lx *pdfLexer, d pdfDict) *pdfStream {
	lx.pos += len("stream")
	if lx.pos < len(lx.data) && lx.data[lx.pos] == '\r' {
		lx.pos++
	}
	if lx.pos < len(lx.data) && lx.data[lx.pos] == '\n' {
		lx.pos++
	}
	start := lx.pos
	if n, ok := num(d["Length"]); ok && n >= 0 && start+int(n) <= len(lx.data) {
		end := start + int(n)
		rest := bytes.TrimLeft(lx.data[end:min(len(lx.data), end+32)], "\r\n \t")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			lx.pos = end
			return &pdfStream{dict: d, raw: lx.data[start:end]}
		}
	}
	end := bytes.Index(lx.data[start:], []byte("endstream"))
	if end < 0 {
		lx.pos = len(lx.data)
		return &pdfStream{dict: d, raw: lx.data[start:]}
	}
	lx.pos = start + end + len("endstream")
	raw := bytes.TrimRight(lx.data[start:start+end], "\r\n")
	return &pdfStream{dict: d, raw: raw}
}

// objectStream adds the objects packed in an object stream.
func (f *pdfFile) objectStream(s *pdfStream) error {
	data, err := f.decode(s)
	if err != nil {
		return err
	}
	n, _ := num(s.dict["N"])
	first, _ := num(s.dict["First"])
	if n < 0 || first < 0 || int(first) > len(data) {
		return errors.New("invalid N or First")
	}
	head := &pdfLexer{data: data[:int(first)], maxDepth: f.lim.maxDepth()}
	for i := 0; i < int(n); i++ {
		objNum, err1 := head.object(0)
		off, err2 := head.object(0)
		on, ok1 := num(objNum)
		oo, ok2 := num(off)
		if err1 != nil || err2 != nil || !ok1 || !ok2 {
			break
		}
		at := int(first) + int(oo)
		if at < 0 || at >= len(data) {
			continue
		}
		body := &pdfLexer{data: data, pos: at, maxDepth: f.lim.maxDepth()}
		obj, err := body.object(0)
		if err != nil {
			continue
		}
		if err := f.add(int(on), obj, false); err != nil {
			return err
		}
	}
	return nil
}

// trailerKey returns an entry of the last trailer that has it.
func (f *pdfFile) trailerKey(key pdfName) any {
	for i := len(f.trailers) - 1; i >= 0; i-- {
		if v, ok := f.trailers[i][key]; ok {
			return v
		}
	}
	return nil
}

// resolve follows references, at most a fixed number of hops.
func (f *pdfFile) resolve(v any) any {
	for range 32 {
		r, ok := v.(pdfRef)
		if !ok {
			return v
		}
		v = f.objects[r.num]
	}
	return nil
}

func (f *pdfFile) dict(v any) pdfDict {
	switch d := f.resolve(v).(type) {
	case pdfDict:
		return d
	case *pdfStream:
		return d.dict
	}
	return nil
}

// decode returns a stream's data after its filters, within the file's
// expansion budget and ratio limit.
func (f *pdfFile) decode(s *pdfStream) ([]byte, error) {
	var filters []pdfName
	switch v := f.resolve(s.dict["Filter"]).(type) {
	case pdfName:
		filters = []pdfName{v}
	case pdfArray:
		for _, x := range v {
			if n, ok := f.resolve(x).(pdfName); ok {
				filters = append(filters, n)
			}
		}
	}
	data := s.raw
	for _, name := range filters {
		var r io.Reader
		switch name {
		case "FlateDecode", "Fl":
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				// Some writers omit the zlib header.
				r = flate.NewReader(bytes.NewReader(data))
			} else {
				r = zr
			}
		case "ASCIIHexDecode", "AHx":
			lx := &pdfLexer{data: append(append([]byte{'<'}, data...), '>')}
			data = lx.hex()
			continue
		case "ASCII85Decode", "A85":
			trimmed := bytes.TrimSuffix(bytes.TrimSpace(data), []byte("~>"))
			r = ascii85.NewDecoder(bytes.NewReader(bytes.TrimPrefix(trimmed, []byte("<~"))))
		default:
			return nil, fmt.Errorf("unsupported stream filter %s", name)
		}
		// Reading stops at the first limit reached, so a bomb costs at
		// most the larger of 1 MiB and the ratio times its own size.
		ratioCap := max(int64(len(data))*f.lim.maxRatio(), ratioFloor)
		limit := min(f.budget, ratioCap)
		out, err := io.ReadAll(io.LimitReader(r, limit+1))
		if int64(len(out)) > limit {
			if limit == f.budget {
				return nil, fmt.Errorf("%w: streams expand past the limit of %d bytes for the whole file", errLimit, f.lim.maxExpanded())
			}
			return nil, fmt.Errorf("%w: a stream of %d bytes expands past %d bytes, a ratio above %d (a decompression bomb)", errLimit, len(data), ratioCap, f.lim.maxRatio())
		}
		if err != nil && len(out) == 0 {
			return nil, fmt.Errorf("decompressing a stream: %w", err)
		}
		// A truncated stream keeps what was decompressed, as viewers do.
		f.budget -= int64(len(out))
		data = out
	}
	return data, nil
}

// pdfPage is a page dictionary with the resources it inherits.
type pdfPage struct {
	dict      pdfDict
	resources pdfDict
}

// pages returns the pages in document order, walking the page tree from
// the catalog, or every page object in object order when there is no
// usable tree.
func (f *pdfFile) pages() []pdfPage {
	var out []pdfPage
	seen := map[any]bool{}
	var walk func(node any, inherited pdfDict, depth int)
	walk = func(node any, inherited pdfDict, depth int) {
		if depth > f.lim.maxDepth() || len(out) > f.lim.maxObjects() {
			return
		}
		if r, ok := node.(pdfRef); ok {
			if seen[r] {
				return
			}
			seen[r] = true
		}
		d := f.dict(node)
		if d == nil {
			return
		}
		res := inherited
		if r := f.dict(d["Resources"]); r != nil {
			res = r
		}
		if kids, ok := f.resolve(d["Kids"]).(pdfArray); ok {
			for _, k := range kids {
				walk(k, res, depth+1)
			}
			return
		}
		if t, _ := d["Type"].(pdfName); t == "Page" || d["Contents"] != nil {
			out = append(out, pdfPage{dict: d, resources: res})
		}
	}
	if root := f.dict(f.trailerKey("Root")); root != nil {
		walk(root["Pages"], nil, 0)
	}
	if len(out) > 0 {
		return out
	}

	var nums []int
	for n, o := range f.objects {
		if d, ok := o.(pdfDict); ok {
			if t, _ := d["Type"].(pdfName); t == "Page" {
				nums = append(nums, n)
			}
		}
	}
	sort.Ints(nums)
	for _, n := range nums {
		d := f.objects[n].(pdfDict)
		out = append(out, pdfPage{dict: d, resources: f.dict(d["Resources"])})
	}
	return out
}

// pdfTextString decodes a text string from the document information: UTF-16
// with a byte order mark, or PDFDocEncoding, read here as Latin-1.
func pdfTextString(s []byte) string {
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	if len(s) >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf {
		return string(s[3:])
	}
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}
