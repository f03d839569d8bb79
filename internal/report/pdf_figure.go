package report

import (
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/wardtm/ward/internal/diagram"
)

// figure draws a laid-out diagram scaled to fit the width of the text and
// the rest of the page, or a page of its own when that draws it more than
// 10% larger, and never larger than its natural size.
func (pw *pdfWriter) figure(f *Figure) {
	d := f.Drawing
	if d == nil || d.Width <= 0 || d.Height <= 0 {
		return
	}
	pdf := pw.pdf
	fullHeight := pdfBottom - pdfMargin - 8
	fit := func(height float64) float64 {
		return min(pdfBodyWidth/d.Width, height/d.Height, ptToMM)
	}
	k := fit(pdfBottom - pdf.GetY() - 8)
	if k < 0.9*fit(fullHeight) {
		pdf.AddPage()
		k = fit(fullHeight)
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
	pdf.SetFont(pdfFont, "", 8.5)
	pdf.SetTextColor(85, 85, 85)
	pdf.MultiCell(pdfBodyWidth, 4.5, pdfText("Figure: "+f.View.Title), "", "C", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(2)
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
