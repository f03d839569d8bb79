package report

import (
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/wardtm/ward/internal/diagram"
)

// Figure sizing in millimetres and points.
const (
	// pdfMinLabelSize is the smallest size, in points, at which the PDF
	// prints diagram labels without a note. A view that can only fit the
	// page with smaller labels gets a note under its caption that names the
	// ward diagram command which draws it full size.
	pdfMinLabelSize = 5.0
	pdfCaptionLine  = 4.5
	pdfCaptionSize  = 8.5
	// pdfFigureGap is the space above the caption plus the space below the
	// caption or note.
	pdfFigureGap = 4.0
)

// placedFigure records where a figure was drawn, for tests.
type placedFigure struct {
	view string
	page int
	// x, y, width and height are the drawing's box in millimetres.
	x, y, width, height float64
	// labelSize is the size in points of the smallest label as printed.
	labelSize float64
	note      bool
}

// figure draws a laid-out diagram as large as the rest of the printable
// area allows, keeping its aspect ratio and never larger than its natural
// size. The figure starts a new page when a fresh page would draw it more
// than 10% larger, counting pw.lead, the text that would move with it.
func (pw *pdfWriter) figure(f *Figure) {
	d := f.Drawing
	lead := pw.lead
	pw.lead = 0
	if d == nil || d.Width <= 0 || d.Height <= 0 {
		return
	}
	pdf := pw.pdf
	k, note := pw.figureFit(f, pdfBottom-pdf.GetY())
	if fresh, _ := pw.figureFit(f, pdfBottom-pdfMargin-lead); k < 0.9*fresh {
		pdf.AddPage()
		k, note = pw.figureFit(f, pdfBottom-pdf.GetY())
	}

	x0 := pdfMargin + (pdfBodyWidth-d.Width*k)/2
	y0 := pdf.GetY()
	pt := func(p [2]float64) (float64, float64) {
		return x0 + p[0]*k, y0 + (d.Height-p[1])*k
	}
	for _, s := range d.Shapes {
		pw.shape(s, k, pt)
	}
	pdf.SetDashPattern(nil, 0)
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)

	pdf.SetXY(pdfMargin, y0+d.Height*k+2)
	pdf.SetFont(pdfFont, "", pdfCaptionSize)
	pdf.SetTextColor(85, 85, 85)
	pdf.MultiCell(pdfBodyWidth, pdfCaptionLine, pdfText("Figure: "+f.View.Title), "", "C", false)
	if note != "" {
		pdf.MultiCell(pdfBodyWidth, pdfCaptionLine, pdfText(note), "", "C", false)
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(2)
	pw.figures = append(pw.figures, placedFigure{
		view: f.View.Name, page: pdf.PageNo(),
		x: x0, y: y0, width: d.Width * k, height: d.Height * k,
		labelSize: minLabelSize(d) * k / ptToMM, note: note != "",
	})
}

// figureFit returns the scale from layout points to millimetres that fits
// f's drawing, its caption and its note into the body width and height mm,
// and the note, which is empty when the labels print at pdfMinLabelSize or
// larger.
func (pw *pdfWriter) figureFit(f *Figure, height float64) (float64, string) {
	d := f.Drawing
	pw.pdf.SetFont(pdfFont, "", pdfCaptionSize)
	lines := func(s string) float64 {
		return float64(len(pw.pdf.SplitText(pdfText(s), pdfBodyWidth))) * pdfCaptionLine
	}
	fit := func(h float64) float64 {
		return max(min(pdfBodyWidth/d.Width, h/d.Height, ptToMM), 0)
	}

	caption := lines("Figure: " + f.View.Title)
	k := fit(height - pdfFigureGap - caption)
	label := minLabelSize(d)
	if label == 0 || label*k/ptToMM >= pdfMinLabelSize {
		return k, ""
	}
	note := func(k float64) string {
		return fmt.Sprintf("Labels print at %.1f pt here, below the %.0f pt minimum: ward diagram --view %s --format svg draws this view full size.", label*k/ptToMM, pdfMinLabelSize, f.View.Name)
	}
	k = fit(height - pdfFigureGap - caption - lines(note(k)))
	return k, note(k)
}

// minLabelSize returns the font size in points of d's smallest label at
// natural size, or 0 when d has no labels.
func minLabelSize(d *diagram.Drawing) float64 {
	size := 0.0
	for _, s := range d.Shapes {
		if s.Kind == diagram.ShapeText && s.FontSize > 0 && (size == 0 || s.FontSize < size) {
			size = s.FontSize
		}
	}
	return size
}

func (pw *pdfWriter) shape(s diagram.Shape, k float64, pt func([2]float64) (float64, float64)) {
	pdf := pw.pdf
	pr, pg, pb, penVisible := parseColor(s.Pen)
	fr, fg, fb, fillVisible := parseColor(s.Fill)
	fillVisible = fillVisible && s.Filled
	pdf.SetDrawColor(pr, pg, pb)
	pdf.SetFillColor(fr, fg, fb)
	pdf.SetLineWidth(max(s.Width*k, 0.1))
	switch s.Style {
	case "dashed":
		pdf.SetDashPattern([]float64{1.6, 0.9}, 0)
	case "dotted":
		pdf.SetDashPattern([]float64{0.3, 0.9}, 0)
	default:
		pdf.SetDashPattern(nil, 0)
	}
	style := paintStyle(penVisible, fillVisible)

	switch s.Kind {
	case diagram.ShapePolygon:
		if style == "" || len(s.Points) < 2 {
			return
		}
		points := make([]fpdf.PointType, len(s.Points))
		for i, p := range s.Points {
			points[i].X, points[i].Y = pt(p)
		}
		pdf.Polygon(points, style)
	case diagram.ShapePolyline:
		if !penVisible {
			return
		}
		for i := 1; i < len(s.Points); i++ {
			x1, y1 := pt(s.Points[i-1])
			x2, y2 := pt(s.Points[i])
			pdf.Line(x1, y1, x2, y2)
		}
	case diagram.ShapeBezier:
		if style == "" || len(s.Points) < 4 {
			return
		}
		pdf.MoveTo(pt(s.Points[0]))
		for i := 1; i+2 < len(s.Points); i += 3 {
			cx0, cy0 := pt(s.Points[i])
			cx1, cy1 := pt(s.Points[i+1])
			x, y := pt(s.Points[i+2])
			pdf.CurveBezierCubicTo(cx0, cy0, cx1, cy1, x, y)
		}
		if fillVisible {
			pdf.ClosePath()
		}
		pdf.DrawPath(style)
	case diagram.ShapeEllipse:
		if style == "" || len(s.Points) < 2 {
			return
		}
		cx, cy := pt(s.Points[0])
		pdf.Ellipse(cx, cy, s.Points[1][0]*k, s.Points[1][1]*k, 0, style)
	case diagram.ShapeText:
		pw.text(s, k, pt, pr, pg, pb)
	}
}

// text draws a label at its baseline, shrinking it when the embedded font
// is wider than the width Graphviz measured, so labels never overlap.
func (pw *pdfWriter) text(s diagram.Shape, k float64, pt func([2]float64) (float64, float64), r, g, b int) {
	pdf := pw.pdf
	text := pdfText(s.Text)
	if strings.TrimSpace(text) == "" || len(s.Points) == 0 {
		return
	}
	style := ""
	if s.Bold {
		style = "B"
	}
	size := s.FontSize * k / ptToMM
	pdf.SetFont(pdfFont, style, size)
	width := pdf.GetStringWidth(text)
	if allowed := s.TextWidth * k; allowed > 0 && width > allowed {
		size *= allowed / width
		pdf.SetFont(pdfFont, style, size)
		width = pdf.GetStringWidth(text)
	}
	x, y := pt(s.Points[0])
	switch s.Align {
	case "c":
		x -= width / 2
	case "r":
		x -= width
	}
	pdf.SetTextColor(r, g, b)
	pdf.Text(x, y, text)
}

func paintStyle(pen, fill bool) string {
	switch {
	case pen && fill:
		return "DF"
	case fill:
		return "F"
	case pen:
		return "D"
	}
	return ""
}

// parseColor reads a Graphviz color as #rrggbb or #rrggbbaa, or one of the
// few names the generated diagrams use. A fully transparent color is not
// visible.
func parseColor(c string) (r, g, b int, visible bool) {
	switch strings.ToLower(c) {
	case "", "none", "transparent":
		return 0, 0, 0, false
	case "black":
		return 0, 0, 0, true
	case "white":
		return 255, 255, 255, true
	}
	if !strings.HasPrefix(c, "#") || (len(c) != 7 && len(c) != 9) {
		return 0, 0, 0, true
	}
	v, err := strconv.ParseUint(c[1:7], 16, 32)
	if err != nil {
		return 0, 0, 0, true
	}
	if len(c) == 9 && c[7:9] == "00" {
		return 0, 0, 0, false
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff), true
}
