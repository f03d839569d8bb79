package evidence

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// errLimit marks input rejected by a safety limit rather than by a
// format error.
var errLimit = errors.New("safety limit exceeded")

// archive reads entries of a ZIP file within the limits: the expanded size
// of all entries read together and the compression ratio of each.
type archive struct {
	zr     *zip.Reader
	budget int64
	lim    Limits
}

func openArchive(data []byte, lim Limits) (*archive, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a valid ZIP archive: %w", err)
	}
	if len(zr.File) > lim.maxEntries() {
		return nil, fmt.Errorf("%w: the archive lists %d entries, more than the limit of %d", errLimit, len(zr.File), lim.maxEntries())
	}
	return &archive{zr: zr, budget: lim.maxExpanded(), lim: lim}, nil
}

// read returns the content of the named entry, or nil when it is absent.
// The declared sizes are checked first and the real ones while reading,
// because a hostile archive can declare anything.
func (a *archive) read(name string) ([]byte, error) {
	var f *zip.File
	for _, e := range a.zr.File {
		if e.Name == name {
			f = e
			break
		}
	}
	if f == nil {
		return nil, nil
	}
	if err := a.checkRatio(name, f.UncompressedSize64, f.CompressedSize64); err != nil {
		return nil, err
	}
	if f.UncompressedSize64 > uint64(a.budget) {
		return nil, fmt.Errorf("%w: %s declares %s expanded, more than the %s left of the limit", errLimit, name, byteCount(f.UncompressedSize64), byteCount(a.budget))
	}

	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	defer rc.Close()
	// Reading stops at the first limit reached, whatever the sizes
	// declared.
	ratioCap := max(int64(min(f.CompressedSize64, 1<<40))*a.lim.maxRatio(), ratioFloor)
	limit := min(a.budget, ratioCap)
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(data)) > limit {
		if limit == a.budget {
			return nil, fmt.Errorf("%w: %s expands past the limit of %d bytes for the whole file", errLimit, name, a.lim.maxExpanded())
		}
		return nil, fmt.Errorf("%w: %s expands past %d bytes from %d compressed bytes, a ratio above %d (a ZIP bomb)", errLimit, name, ratioCap, f.CompressedSize64, a.lim.maxRatio())
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	a.budget -= int64(len(data))
	return data, nil
}

func (a *archive) checkRatio(name string, expanded, compressed uint64) error {
	if expanded <= ratioFloor {
		return nil
	}
	if compressed == 0 || expanded/compressed > uint64(a.lim.maxRatio()) {
		return fmt.Errorf("%w: %s expands %d bytes from %d compressed bytes, a ratio above %d (a ZIP bomb)", errLimit, name, expanded, compressed, a.lim.maxRatio())
	}
	return nil
}

// readDOCX reads the main part of a Word document: paragraphs with their
// heading levels (from the paragraph style or its outline level), list
// paragraphs and table rows. Block.Line is the 1-based paragraph number,
// counting every paragraph of the body in order, those in tables included.
// Embedded objects and nested archives are never opened.
func readDOCX(data []byte, lim Limits) (*Text, error) {
	a, err := openArchive(data, lim)
	if err != nil {
		return nil, err
	}
	body, err := a.read("word/document.xml")
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, errors.New("the archive has no word/document.xml, so it is not a Word document")
	}

	styles := map[string]int{}
	if raw, err := a.read("word/styles.xml"); err != nil {
		return nil, err
	} else if raw != nil {
		if styles, err = docxStyles(raw, lim); err != nil {
			return nil, fmt.Errorf("word/styles.xml: %w", err)
		}
	}

	t, err := docxBody(body, styles, lim)
	if err != nil {
		return nil, fmt.Errorf("word/document.xml: %w", err)
	}

	if raw, err := a.read("docProps/core.xml"); err == nil && raw != nil {
		if title := xmlElementText(raw, "title", lim); title != "" {
			t.Title = title
		}
	}
	if raw, err := a.read("docProps/app.xml"); err == nil && raw != nil {
		t.Generator = xmlElementText(raw, "Application", lim)
	}
	if t.Title == "" {
		t.Title = firstHeading(t.Blocks)
	}
	return t, nil
}

// depthDecoder is an XML decoder that fails past the depth limit. It runs
// in non-strict mode, so HTML-style entities and unclosed elements in a
// damaged part do not stop the read.
type depthDecoder struct {
	*xml.Decoder
	depth, max int
}

func newDepthDecoder(data []byte, lim Limits) *depthDecoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	return &depthDecoder{Decoder: d, max: lim.maxDepth()}
}

// next returns the next token, tracking the element depth.
func (d *depthDecoder) next() (xml.Token, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		d.depth++
		if d.depth > d.max {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("%w: elements nest deeper than %d at line %d", errLimit, d.max, line)
		}
	case xml.EndElement:
		d.depth--
	}
	return tok, nil
}

// docxStyles maps paragraph style IDs to heading levels: "heading N" and
// "Title" by name, or any style with an outline level.
func docxStyles(raw []byte, lim Limits) (map[string]int, error) {
	out := map[string]int{}
	d := newDepthDecoder(raw, lim)
	id, name, outline := "", "", -1
	for {
		tok, err := d.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "style":
				id, name, outline = attr(el, "styleId"), "", -1
			case "name":
				name = attr(el, "val")
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(el, "val")); err == nil {
					outline = n
				}
			}
		case xml.EndElement:
			if el.Name.Local == "style" && id != "" {
				if level := styleLevel(name, outline); level > 0 {
					out[id] = level
				}
			}
		}
	}
}

// styleLevel returns the heading level of a style name or outline level,
// or zero when the style is not a heading.
func styleLevel(name string, outline int) int {
	lower := strings.ToLower(strings.TrimSpace(name))
	switch {
	case lower == "title":
		return 1
	case strings.HasPrefix(lower, "heading "):
		if n, err := strconv.Atoi(strings.TrimPrefix(lower, "heading ")); err == nil && n >= 1 && n <= 9 {
			return n
		}
	case outline >= 0 && outline < 9:
		return outline + 1
	}
	return 0
}

// docxRow is a table row being read; rows nest when tables do.
type docxRow struct {
	cells []string
	cell  strings.Builder
	line  int
}

// docxBody reads word/document.xml.
func docxBody(raw []byte, styles map[string]int, lim Limits) (*Text, error) {
	b := &builder{max: lim.maxBlocks()}
	d := newDepthDecoder(raw, lim)

	var (
		rows     []*docxRow
		inPara   bool
		inText   bool
		text     strings.Builder
		style    string
		outline  = -1
		numbered bool
		paraNo   int
	)
	for {
		tok, err := d.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "p":
				inPara = true
				paraNo++
				text.Reset()
				style, outline, numbered = "", -1, false
			case "pStyle":
				style = attr(el, "val")
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(el, "val")); err == nil {
					outline = n
				}
			case "numPr":
				numbered = true
			case "t":
				inText = true
			case "tab", "br", "cr":
				text.WriteByte(' ')
			case "tr":
				rows = append(rows, &docxRow{line: paraNo + 1})
			case "tc":
				if len(rows) > 0 {
					rows[len(rows)-1].cell.Reset()
				}
			}
		case xml.CharData:
			if inText && inPara {
				text.Write(el)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "t":
				inText = false
			case "p":
				inPara = false
				s := collapseSpace(text.String())
				if len(rows) > 0 {
					r := rows[len(rows)-1]
					if r.cell.Len() > 0 && s != "" {
						r.cell.WriteByte(' ')
					}
					r.cell.WriteString(s)
					continue
				}
				level := styles[style]
				if level == 0 {
					level = styleLevel(style, outline)
				}
				switch {
				case level > 0:
					b.add(Block{Kind: Heading, Level: level, Text: s, Line: paraNo})
				case numbered || strings.Contains(strings.ToLower(style), "list"):
					b.add(Block{Kind: ListItem, Text: s, Line: paraNo})
				default:
					b.add(Block{Kind: Paragraph, Text: s, Line: paraNo})
				}
			case "tc":
				if len(rows) > 0 {
					r := rows[len(rows)-1]
					r.cells = append(r.cells, collapseSpace(r.cell.String()))
					r.cell.Reset()
				}
			case "tr":
				if len(rows) == 0 {
					continue
				}
				r := rows[len(rows)-1]
				rows = rows[:len(rows)-1]
				var cells []string
				for _, c := range r.cells {
					if c != "" {
						cells = append(cells, c)
					}
				}
				b.add(Block{Kind: TableRow, Text: strings.Join(cells, " | "), Line: r.line})
			}
		}
	}
	return &Text{Blocks: b.blocks, Unit: "paragraph"}, nil
}

// attr returns the value of the attribute with the local name, whatever
// its namespace.
func attr(el xml.StartElement, local string) string {
	for _, a := range el.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// xmlElementText returns the text of the first element with the local
// name, or "" when it is absent or the XML is malformed.
func xmlElementText(raw []byte, local string, lim Limits) string {
	d := newDepthDecoder(raw, lim)
	in := false
	var b strings.Builder
	for {
		tok, err := d.next()
		if err != nil {
			return ""
		}
		switch el := tok.(type) {
		case xml.StartElement:
			in = el.Name.Local == local
		case xml.CharData:
			if in {
				b.Write(el)
			}
		case xml.EndElement:
			if in {
				return collapseSpace(b.String())
			}
		}
	}
}
