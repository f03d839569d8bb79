// Package report builds the threat model document from an assessment and
// writes it as HTML, PDF, Markdown, an XLSX threat register and
// assessment.json.
//
// The document's structure (sections in the order an auditor reads them,
// tables, figures) is built once by Build; each output format is a Renderer
// in its own file that walks that structure. The package identifies no
// threats and loads no models: it renders what the assessment holds.
package report

import (
	"fmt"

	"github.com/wardtm/ward/internal/diagram"
)

// Document is the threat model document before rendering.
type Document struct {
	// ID and Version are the controlled document's ID and version.
	ID      string
	Version string
	Title   string
	// SystemID names the output files.
	SystemID   string
	SystemName string
	// Date is the assessment date as YYYY-MM-DD.
	Date           string
	Owner          string
	Classification string
	Sections       []*Section
}

// Section is a numbered part of the document.
type Section struct {
	// Key is the stable anchor, one of the assessment.Sections IDs or a
	// view slug for subsections of the architecture views.
	Key    string
	Number string
	Title  string
	Blocks []Block
	Subs   []*Section
}

// Heading returns "<number> <title>".
func (s *Section) Heading() string { return s.Number + " " + s.Title }

// Block is one piece of section content: *Paragraph, *List, *Table or
// *Figure.
type Block interface{ isBlock() }

// Paragraph is plain text. Renderers escape it for their format.
type Paragraph struct {
	Text string
	// Note renders the paragraph as a remark, such as an omitted view.
	Note bool
}

// List is a bulleted list of plain text items.
type List struct{ Items []string }

// Table is a table with a header row. Widths are relative column widths
// for formats that need them (PDF); nil means equal widths.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Widths  []float64
	// Empty is the sentence shown instead of a table without rows.
	Empty string
}

// Figure is an architecture view: its diagram in each form the renderers
// need, or the view's omission reason when the diagram is nil.
type Figure struct {
	View    diagram.View
	SVG     []byte
	Mermaid string
	Drawing *diagram.Drawing
}

func (*Paragraph) isBlock() {}
func (*List) isBlock()      {}
func (*Table) isBlock()     {}
func (*Figure) isBlock()    {}

// number assigns section numbers in document order: 1, 2, ... and 6.1, 6.2
// for subsections.
func (d *Document) number() {
	for i, s := range d.Sections {
		s.Number = fmt.Sprint(i + 1)
		for j, sub := range s.Subs {
			sub.Number = fmt.Sprintf("%d.%d", i+1, j+1)
		}
	}
}

// Find returns the section with key, searching subsections too, or nil.
func (d *Document) Find(key string) *Section {
	for _, s := range d.Sections {
		if s.Key == key {
			return s
		}
		for _, sub := range s.Subs {
			if sub.Key == key {
				return sub
			}
		}
	}
	return nil
}

// Ref returns "<number> <title>" of the section with key, or key itself
// when the document has no such section.
func (d *Document) Ref(key string) string {
	if s := d.Find(key); s != nil {
		return s.Heading()
	}
	return key
}
