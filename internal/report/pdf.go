package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// pdfRenderer writes the document as a PDF drawn natively with fpdf: A4
// landscape pages, a table of contents with page numbers and links,
// bookmarks, and
// the diagrams drawn from their Graphviz layout in vector form.
//
// The text font is Go Regular and Go Bold from golang.org/x/image/font/gofont,
// embedded as UTF-8 TrueType subsets. The Go fonts are licensed under the
// same BSD-style licence as Go, which allows embedding; see
// internal/report/FONTS.md.
type pdfRenderer struct{}

func (pdfRenderer) FileName(systemID string) string {
	return "Threat-Model-" + safeFileName(systemID) + ".pdf"
}

// Page geometry in millimetres.
const (
	pdfMargin     = 12.0
	pdfPageWidth  = 297.0
	pdfPageHeight = 210.0
	pdfBodyWidth  = pdfPageWidth - 2*pdfMargin
	pdfBottom     = pdfPageHeight - 14.0 // above the footer
	pdfFont       = "go"
	ptToMM        = 25.4 / 72
)

// pdfWriter carries the page state through one rendering pass.
type pdfWriter struct {
	pdf *fpdf.Fpdf
	doc *Document
	// toc lists where the table of contents prints each section's page
	// number, and pages the page each section starts on. heading fills
	// pages, and fillContents writes the numbers once every page exists.
	toc   []tocEntry
	pages map[string]int
	links map[string]int
	// lead is the height in millimetres of the heading and text that
	// keepWithFigure keeps on the page of the figure that follows them.
	lead float64
	// figures records each drawn figure, in document order.
	figures []placedFigure
}

// tocEntry is the position of one page number in the table of contents.
type tocEntry struct {
	key   string
	page  int
	y     float64
	style string
}

func (pdfRenderer) Render(w io.Writer, in *Input) error {
	out, err := renderPDF(in.Doc)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func renderPDF(doc *Document) ([]byte, error) {
	out, _, err := writePDF(doc)
	return out, err
}

// writePDF renders doc and also returns the writer, whose page and figure
// records the tests check.
func writePDF(doc *Document) ([]byte, *pdfWriter, error) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(pdfFont, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", gobold.TTF)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfPageHeight-pdfBottom)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)

	// Fixed metadata keeps the file byte-identical across runs: the dates
	// come from the assessment date, never the clock.
	date := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if t, err := time.Parse("2006-01-02", doc.Date); err == nil {
		date = t
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(documentTitle(doc), true)
	pdf.SetSubject("Threat model of "+doc.SystemName, true)
	pdf.SetAuthor(cmpOr(doc.Owner, doc.SystemName), true)
	pdf.SetCreator("Ward", true)
	pdf.SetProducer("Ward", true)
	pdf.SetLang("en")
	pdf.AliasNbPages("{nb}")

	pw := &pdfWriter{pdf: pdf, doc: doc, links: map[string]int{}, pages: map[string]int{}}
	footer := cmpOr(strings.TrimSpace(doc.ID+" version "+doc.Version), doc.Title)
	pdf.SetFooterFunc(func() {
		pdf.SetY(pdfPageHeight - 10)
		pdf.SetFont(pdfFont, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(pdfBodyWidth/2, 5, footer, "", 0, "L", false, 0, "")
		pdf.CellFormat(pdfBodyWidth/2, 5, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})

	for _, s := range doc.Sections {
		pw.links[s.Key] = pdf.AddLink()
		for _, sub := range s.Subs {
			pw.links[sub.Key] = pdf.AddLink()
		}
	}

	pw.titlePage()
	pw.contents()
	for _, s := range doc.Sections {
		if pw.continuePage(s) {
			pdf.Ln(pdfSectionGap)
		} else {
			pdf.AddPage()
		}
		pw.heading(s, 0)
		pw.blocks(s.Blocks)
		for i, sub := range s.Subs {
			// The first subsection after an introduction that opens the
			// page cannot move without leaving the section's heading and
			// introduction alone on the page.
			stranded := i == 0 && onlyText(s.Blocks) && pw.pages[s.Key] == pdf.PageNo()
			pw.keepWithFigure(sub, stranded)
			pw.heading(sub, 1)
			pw.blocks(sub.Blocks)
		}
	}
	pw.fillContents()

	if err := pdf.Error(); err != nil {
		return nil, nil, fmt.Errorf("writing PDF: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, nil, fmt.Errorf("writing PDF: %w", err)
	}
	return buf.Bytes(), pw, nil
}

// keepWithFigure starts a new page before subsection s when s opens with
// paragraphs and then a figure, and that figure would print more than 10%
// smaller after them on this page than on a page of its own. Heading,
// paragraphs and figure then share the new page, so no page holds only a
// heading and an introduction. When stranded is true the text above s on
// this page must stay with it, so s never moves.
func (pw *pdfWriter) keepWithFigure(s *Section, stranded bool) {
	pdf := pw.pdf
	fig, lead := pw.figureLead(s, 1)
	if fig == nil {
		return
	}
	if stranded {
		pw.lead = pdf.GetY() - pdfMargin + lead
		return
	}

	here, _ := pw.figureFit(fig, pdfBottom-pdf.GetY()-lead)
	fresh, _ := pw.figureFit(fig, pdfBottom-pdfMargin-lead)
	if here < 0.9*fresh {
		pdf.AddPage()
	}
	pw.lead = lead
}

// continuePage reports whether section s should start on the current page
// instead of a new one. That is the case when s has only an introduction
// before a first subsection that opens with a figure, the introduction fits
// on this page, and the figure prints more than 10% larger on a page
// without it. keepWithFigure then moves the subsection to a new page, and
// the introduction is not left alone on a page of its own.
func (pw *pdfWriter) continuePage(s *Section) bool {
	pdf := pw.pdf
	if pdf.PageNo() <= 2 || len(s.Subs) == 0 || !onlyText(s.Blocks) {
		return false
	}
	fig, subLead := pw.figureLead(s.Subs[0], 1)
	if fig == nil {
		return false
	}
	_, intro := pw.figureLead(s, 0)
	if pdf.GetY()+pdfSectionGap+intro > pdfBottom-20 {
		return false
	}
	below, _ := pw.figureFit(fig, pdfBottom-pdfMargin-intro-subLead)
	alone, _ := pw.figureFit(fig, pdfBottom-pdfMargin-subLead)
	return below < 0.9*alone
}

// pdfSectionGap is the space in millimetres above a section that continues
// a page.
const pdfSectionGap = 8.0

// figureLead returns the figure that follows the opening paragraphs of s,
// or nil when s does not open with paragraphs and a drawn figure. It also
// returns the height in millimetres of s's heading at level and of those
// paragraphs, measured with the line heights and gaps the drawing uses.
func (pw *pdfWriter) figureLead(s *Section, level int) (*Figure, float64) {
	pdf := pw.pdf
	var fig *Figure
	var text []*Paragraph
	for _, b := range s.Blocks {
		if p, ok := b.(*Paragraph); ok {
			text = append(text, p)
			continue
		}
		fig, _ = b.(*Figure)
		break
	}

	lead := 0.0
	if level == 0 {
		pdf.SetFont(pdfFont, "B", 16)
		lead = 9*float64(len(pdf.SplitText(s.Heading(), pdfBodyWidth))) + 1.5
	} else {
		pdf.SetFont(pdfFont, "B", 12.5)
		lead = 3 + 7*float64(len(pdf.SplitText(s.Heading(), pdfBodyWidth))) + 1.5
	}
	pdf.SetFont(pdfFont, "", 10)
	for _, p := range text {
		lead += 5*float64(len(pdf.SplitText(pdfText(p.Text), pdfBodyWidth))) + 2
	}
	if fig == nil || fig.Drawing == nil || fig.Drawing.Width <= 0 || fig.Drawing.Height <= 0 {
		return nil, lead
	}
	return fig, lead
}

// onlyText reports whether blocks holds nothing but paragraphs and lists.
func onlyText(blocks []Block) bool {
	for _, b := range blocks {
		switch b.(type) {
		case *Paragraph, *List:
		default:
			return false
		}
	}
	return true
}

func (pw *pdfWriter) titlePage() {
	pdf, doc := pw.pdf, pw.doc
	pdf.AddPage()
	pdf.SetY(60)
	pdf.SetFont(pdfFont, "B", 24)
	pdf.MultiCell(pdfBodyWidth, 11, doc.Title, "", "C", false)
	pdf.Ln(6)
	pdf.SetFont(pdfFont, "", 13)
	pdf.MultiCell(pdfBodyWidth, 7, doc.SystemName, "", "C", false)
	pdf.Ln(4)
	pdf.SetFont(pdfFont, "", 11)
	pdf.MultiCell(pdfBodyWidth, 6, documentLine(doc), "", "C", false)
	if doc.Owner != "" {
		pdf.MultiCell(pdfBodyWidth, 6, doc.Owner, "", "C", false)
	}
}

func (pw *pdfWriter) contents() {
	pdf := pw.pdf
	pdf.AddPage()
	pdf.SetFont(pdfFont, "B", 16)
	pdf.CellFormat(pdfBodyWidth, 10, "Contents", "", 1, "L", false, 0, "")
	pdf.Ln(2)
	entry := func(s *Section, indent float64, style string) {
		pdf.SetFont(pdfFont, style, 10)
		pdf.SetX(pdfMargin + indent)
		pdf.CellFormat(pdfBodyWidth-indent-20, 5.2, s.Heading(), "", 0, "L", false, pw.links[s.Key], "")
		// The page number is written by fillContents, after the sections
		// are laid out. This costs far less than fpdf's page aliases,
		// which scan every page once per alias.
		pw.toc = append(pw.toc, tocEntry{key: s.Key, page: pdf.PageNo(), y: pdf.GetY(), style: style})
		pdf.Ln(5.2)
	}
	for _, s := range pw.doc.Sections {
		entry(s, 0, "B")
		for _, sub := range s.Subs {
			entry(sub, 8, "")
		}
	}
}

// fillContents writes each section's page number into the space that
// contents left for it, then returns to the last page.
func (pw *pdfWriter) fillContents() {
	pdf := pw.pdf
	last := pdf.PageNo()
	x, y := pdf.GetXY()
	for _, e := range pw.toc {
		pdf.SetPage(e.page)
		pdf.SetFont(pdfFont, e.style, 10)
		pdf.SetXY(pdfMargin+pdfBodyWidth-20, e.y)
		pdf.CellFormat(20, 5.2, fmt.Sprint(pw.pages[e.key]), "", 0, "L", false, pw.links[e.key], "")
	}
	pdf.SetPage(last)
	pdf.SetXY(x, y)
}

func (pw *pdfWriter) heading(s *Section, level int) {
	pdf := pw.pdf
	size, height := 16.0, 9.0
	if level > 0 {
		size, height = 12.5, 7.0
		if pdf.GetY() > pdfBottom-40 {
			pdf.AddPage()
		}
		pdf.Ln(3)
	}
	pw.pages[s.Key] = pdf.PageNo()
	pdf.SetLink(pw.links[s.Key], -1, -1)
	pdf.Bookmark(s.Heading(), level, -1)
	pdf.SetFont(pdfFont, "B", size)
	pdf.MultiCell(pdfBodyWidth, height, s.Heading(), "", "L", false)
	pdf.Ln(1.5)
}

func (pw *pdfWriter) blocks(blocks []Block) {
	pdf := pw.pdf
	for _, block := range blocks {
		switch v := block.(type) {
		case *Paragraph:
			pdf.SetFont(pdfFont, "", 10)
			if v.Note {
				pdf.SetFillColor(253, 243, 242)
				pdf.MultiCell(pdfBodyWidth, 5, pdfText(v.Text), "L", "L", true)
			} else {
				pdf.MultiCell(pdfBodyWidth, 5, pdfText(v.Text), "", "L", false)
			}
			pdf.Ln(2)
		case *List:
			pdf.SetFont(pdfFont, "", 10)
			for _, item := range v.Items {
				pdf.SetX(pdfMargin + 3)
				pdf.CellFormat(5, 5, "•", "", 0, "L", false, 0, "")
				pdf.MultiCell(pdfBodyWidth-8, 5, pdfText(item), "", "L", false)
			}
			pdf.Ln(2)
		case *Table:
			pw.table(v)
		case *Figure:
			pw.figure(v)
		}
	}
}

// pdfText replaces the control characters that a PDF text string cannot
// show, line breaks included, with spaces.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
