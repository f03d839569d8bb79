// Package evidence scans a documentation folder for an existing threat model
// and assesses how well the documents cover what IEC 81001-5-1 clause 7.2
// asks: the items a) to l), the impact on confidentiality, integrity and
// availability, the review by the development team, the yearly review and
// the handling of security-related issues (clauses 9.4 and 9.5).
//
// The scan finds candidate documents by file name or title, reads their text
// (Markdown, plain text, HTML, DOCX and the text layer of PDF files) into
// blocks that keep the heading structure, and scores each item as covered,
// weak or missing with quoted evidence. Ward models in the folder run
// through the real pipeline and their conformance results are mapped to the
// same items; other tools' models go through the importers first.
//
// The items reuse the IDs of the conformance catalog, so `ward evidence` and
// `ward check` speak of the same requirements. The package renders text,
// JSON and Markdown to an io.Writer and never prints on its own.
package evidence

import (
	"fmt"
	"strings"
)

// Block kinds.
const (
	Heading   = "heading"
	Paragraph = "paragraph"
	TableRow  = "table-row"
	ListItem  = "list-item"
)

// Block is one unit of a document's text with its place in the document.
type Block struct {
	// Kind is heading, paragraph, table-row or list-item.
	Kind string `json:"kind"`
	// Text is the block's text with markup removed. The cells of a table
	// row are joined by " | ".
	Text string `json:"text"`
	// Level is a heading's level, 1 for the top; zero for other kinds.
	Level int `json:"level,omitempty"`
	// Page is the 1-based page of a PDF block; zero for other formats.
	Page int `json:"page,omitempty"`
	// Line is the 1-based line of a Markdown, text or HTML block, or the
	// 1-based paragraph number of a DOCX block.
	Line int `json:"line,omitempty"`
	// Path lists the headings the block sits under, outermost first. A
	// heading's own path does not include itself.
	Path []string `json:"path,omitempty"`
}

// Text is a document as a reader returns it: its title and its blocks.
type Text struct {
	Title  string
	Blocks []Block
	// Unit names what Block.Line counts: "line" or "paragraph". PDF
	// blocks use Page instead.
	Unit string
	// Generator is the content of the HTML generator meta tag, the DOCX
	// application or the PDF producer; empty when the file names none.
	Generator string
}

// Document kinds.
const (
	KindDocument      = "document"
	KindWardReport    = "ward-report"
	KindWardModel     = "ward-model"
	KindImportedModel = "imported-model"
	// KindAssessment is the assessment.json that ward report writes next
	// to a report. It is read as the report's conformance results, never
	// assessed on its own.
	KindAssessment = "assessment"
)

// Document states.
const (
	// Assessed documents have item results.
	Assessed = "assessed"
	// NoTextLayer marks a PDF whose pages hold no text, typically a scan.
	NoTextLayer = "scanned: no text layer"
	// Unsupported marks a file Ward cannot read, such as an encrypted PDF.
	Unsupported = "unsupported"
	// Malformed marks a file that failed to parse or broke a safety limit.
	Malformed = "malformed"
	// Invalid marks a Ward model with validation errors.
	Invalid = "invalid"
	// Input marks an assessment.json that a Ward report took its
	// conformance results from; Problem names the reports.
	Input = "input"
	// Unused marks an assessment.json that belongs to no report in its
	// folder; Problem gives the reason.
	Unused = "unused"
)

// Document is one candidate document and what the scan found in it.
type Document struct {
	// Path is the file's path relative to the scanned folder, with
	// forward slashes.
	Path string `json:"path"`
	// Format is markdown, text, html, docx, pdf, ward-model or the
	// importer's format name (threagile, otm, ...).
	Format string `json:"format"`
	// Kind is document, ward-report, ward-model or imported-model.
	Kind string `json:"kind"`
	// Title is the document title found in its metadata or first heading.
	Title string `json:"title,omitempty"`
	// System is the name of the system a Ward report or model describes.
	// It is empty for other documents, because the scan cannot read theirs.
	System string `json:"system,omitempty"`
	// Reason is why the file was selected, for example
	// `file name matches "Threat.*Model"`.
	Reason string `json:"reason"`
	// State is assessed, or why the document could not be assessed.
	State string `json:"state"`
	// Problem explains a state other than assessed.
	Problem string `json:"problem,omitempty"`
	// Items contains one result per item when State is assessed.
	Items []ItemResult `json:"items,omitempty"`

	unit   string
	blocks []Block
}

// Item statuses, from best to worst.
const (
	Covered = "covered"
	Weak    = "weak"
	Missing = "missing"
)

// ItemResult is the assessment of one item in one document or in the set.
type ItemResult struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Clause string `json:"clause"`
	// Status is covered, weak or missing.
	Status string `json:"status"`
	// Reason is one sentence on why the item got its status.
	Reason   string  `json:"reason"`
	Evidence []Quote `json:"evidence,omitempty"`
	// Add is the advice for a weak or missing item: what to document and
	// which section of a Ward model would contain it. When Check is set and
	// names a fix, Add is that fix.
	Add string `json:"add,omitempty"`
	// Check is the conformance result the status comes from, for Ward
	// models, imported models and Ward reports; nil for other documents.
	Check *Check `json:"check,omitempty"`
}

// Sources of a conformance result.
const (
	// SourceCheck is a model run through the pipeline, as ward check does.
	SourceCheck = "ward check"
	// SourceMatrix is the conformance matrix printed in a Ward report.
	SourceMatrix = "conformance matrix"
	// SourceAssessment is the assessment.json written next to a report.
	SourceAssessment = "assessment.json"
)

// Check is the result of one conformance requirement as the scan read it.
type Check struct {
	// Source is ward check, conformance matrix or assessment.json.
	Source string `json:"source"`
	// File is the file the result was read from or computed for, relative
	// to the scanned folder.
	File string `json:"file"`
	// Status is pass, fail, warning or not-applicable.
	Status  string `json:"status"`
	Message string `json:"message"`
	// Fix is the change the check asks for; empty on pass.
	Fix string `json:"fix,omitempty"`
}

// Quote is one piece of evidence: a location in a file and the text there.
type Quote struct {
	File string `json:"file"`
	// Page is set for PDF files, Line for text formats and Ward models,
	// Paragraph for DOCX files.
	Page      int    `json:"page,omitempty"`
	Line      int    `json:"line,omitempty"`
	Paragraph int    `json:"paragraph,omitempty"`
	Text      string `json:"text"`
}

// Location formats the quote's place as "file:line", "file page N" or
// "file paragraph N".
func (q Quote) Location() string {
	switch {
	case q.Page > 0:
		return fmt.Sprintf("%s page %d", q.File, q.Page)
	case q.Paragraph > 0:
		return fmt.Sprintf("%s paragraph %d", q.File, q.Paragraph)
	case q.Line > 0:
		return fmt.Sprintf("%s:%d", q.File, q.Line)
	}
	return q.File
}

// Skipped is a file or folder the scan passed over, with the reason.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Result is the outcome of a scan.
type Result struct {
	// Dir is the scanned folder as given.
	Dir       string      `json:"dir"`
	Documents []*Document `json:"documents"`
	// Items is the assessment of the whole set: each item takes the best
	// status any assessed document reached, with that document's quotes.
	Items   []ItemResult `json:"items"`
	Skipped []Skipped    `json:"skipped,omitempty"`
	// Notes are warnings about the set as a whole, such as Ward documents
	// of different systems in one folder.
	Notes []string `json:"notes,omitempty"`
}

// Counts returns how many set items are covered, weak and missing.
func (r *Result) Counts() (covered, weak, missing int) {
	for _, it := range r.Items {
		switch it.Status {
		case Covered:
			covered++
		case Weak:
			weak++
		default:
			missing++
		}
	}
	return covered, weak, missing
}

// outline tracks the heading path while a reader walks a document.
type outline struct {
	levels []int
	titles []string
}

// path returns a copy of the current heading path.
func (o *outline) path() []string {
	if len(o.titles) == 0 {
		return nil
	}
	return append([]string(nil), o.titles...)
}

// close ends the open headings at level or deeper.
func (o *outline) close(level int) {
	for len(o.levels) > 0 && o.levels[len(o.levels)-1] >= level {
		o.levels = o.levels[:len(o.levels)-1]
		o.titles = o.titles[:len(o.titles)-1]
	}
}

// enter opens a heading of level.
func (o *outline) enter(level int, title string) {
	o.close(level)
	o.levels = append(o.levels, level)
	o.titles = append(o.titles, title)
}

// builder collects blocks with their heading paths.
type builder struct {
	o      outline
	blocks []Block
	// max is the block count at which add stops storing, so a hostile
	// document cannot grow the list without bound.
	max int
}

// add appends a block unless its text is empty. A heading's path lists the
// headings above it, never itself or a sibling.
func (b *builder) add(blk Block) {
	blk.Text = collapseSpace(blk.Text)
	if blk.Text == "" {
		return
	}
	if b.max > 0 && len(b.blocks) >= b.max {
		return
	}
	if blk.Kind == Heading {
		b.o.close(blk.Level)
	}
	blk.Path = b.o.path()
	b.blocks = append(b.blocks, blk)
	if blk.Kind == Heading {
		b.o.enter(blk.Level, blk.Text)
	}
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// firstHeading returns the text of the first heading of the smallest level,
// or the first block's text when there is no heading.
func firstHeading(blocks []Block) string {
	best := ""
	level := 99
	for _, b := range blocks {
		if b.Kind == Heading && b.Level < level {
			best, level = b.Text, b.Level
		}
	}
	if best == "" && len(blocks) > 0 {
		best = blocks[0].Text
	}
	return trimQuote(best, 120)
}
