package diagram

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// SVG lays g out and renders it as an SVG element titled title, with ids
// prefixed by idPrefix so that several diagrams can be inlined in one HTML
// page.
func (r *Renderer) SVG(ctx context.Context, g *Graph, title, idPrefix string) ([]byte, error) {
	d, err := r.Layout(ctx, g)
	if err != nil {
		return nil, err
	}
	return d.SVG(title, idPrefix), nil
}

// svgFonts is the font list of SVG text: Arial, whose metrics the layout
// used, then metric-compatible substitutes.
const svgFonts = "Arial, 'Liberation Sans', Helvetica, sans-serif"

// SVG renders the drawing as an SVG element. It writes the drawing's own
// shapes rather than Graphviz's SVG, so the SVG and the PDF show the same
// drawing from one layout, and the output depends only on d.
func (d *Drawing) SVG(title, idPrefix string) []byte {
	const pad = 4.0
	w, h := d.Width+2*pad, d.Height+2*pad
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="%s" width="%spt" height="%spt" viewBox="0 0 %s %s">`+"\n",
		escape(title), num(w), num(h), num(w), num(h))
	if title != "" {
		fmt.Fprintf(&b, "<title>%s</title>\n", escape(title))
	}
	id := ""
	if idPrefix != "" {
		id = ` id="` + escape(idPrefix) + `-graph"`
	}
	fmt.Fprintf(&b, `<g%s class="graph" transform="translate(%s %s)" font-family="%s">`+"\n", id, num(pad), num(pad), svgFonts)
	fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>`+"\n", num(-pad), num(-pad), num(w), num(h))

	pt := func(p [2]float64) string { return num(p[0]) + "," + num(d.Height-p[1]) }
	for _, s := range d.Shapes {
		switch s.Kind {
		case ShapePolygon, ShapePolyline:
			if len(s.Points) < 2 {
				continue
			}
			points := make([]string, len(s.Points))
			for i, p := range s.Points {
				points[i] = pt(p)
			}
			tag := "polygon"
			if s.Kind == ShapePolyline {
				tag = "polyline"
			}
			fmt.Fprintf(&b, `<%s points="%s"%s/>`+"\n", tag, strings.Join(points, " "), paint(s))
		case ShapeBezier:
			if len(s.Points) < 4 {
				continue
			}
			var path strings.Builder
			path.WriteString("M" + pt(s.Points[0]) + "C")
			for i := 1; i < len(s.Points); i++ {
				if i > 1 {
					path.WriteByte(' ')
				}
				path.WriteString(pt(s.Points[i]))
			}
			if s.Filled {
				path.WriteString("Z")
			}
			fmt.Fprintf(&b, `<path d="%s"%s/>`+"\n", path.String(), paint(s))
		case ShapeEllipse:
			if len(s.Points) < 2 {
				continue
			}
			fmt.Fprintf(&b, `<ellipse cx="%s" cy="%s" rx="%s" ry="%s"%s/>`+"\n",
				num(s.Points[0][0]), num(d.Height-s.Points[0][1]), num(s.Points[1][0]), num(s.Points[1][1]), paint(s))
		case ShapeText:
			if len(s.Points) == 0 || strings.TrimSpace(s.Text) == "" {
				continue
			}
			anchor := "start"
			switch s.Align {
			case "c":
				anchor = "middle"
			case "r":
				anchor = "end"
			}
			weight := ""
			if s.Bold {
				weight = ` font-weight="bold"`
			}
			// xml:space keeps the leading and repeated spaces Graphviz
			// measured.
			fmt.Fprintf(&b, `<text xml:space="preserve" x="%s" y="%s" text-anchor="%s" font-size="%s"%s fill="%s">%s</text>`+"\n",
				num(s.Points[0][0]), num(d.Height-s.Points[0][1]), anchor, num(s.FontSize), weight, color(s.Pen), escape(s.Text))
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}

// paint returns the fill and stroke attributes of a shape.
func paint(s Shape) string {
	var b strings.Builder
	if s.Filled && visible(s.Fill) {
		fmt.Fprintf(&b, ` fill="%s"`, color(s.Fill))
	} else {
		b.WriteString(` fill="none"`)
	}
	if visible(s.Pen) {
		fmt.Fprintf(&b, ` stroke="%s"`, color(s.Pen))
		if s.Width != 1 {
			fmt.Fprintf(&b, ` stroke-width="%s"`, num(s.Width))
		}
		switch s.Style {
		case "dashed":
			b.WriteString(` stroke-dasharray="5,2"`)
		case "dotted":
			b.WriteString(` stroke-dasharray="1,3"`)
		}
	} else {
		b.WriteString(` stroke="none"`)
	}
	return b.String()
}

// visible reports whether a Graphviz color paints anything: not empty,
// none, transparent, or an #rrggbbaa color with zero alpha.
func visible(c string) bool {
	switch strings.ToLower(c) {
	case "", "none", "transparent":
		return false
	}
	return !(len(c) == 9 && c[0] == '#' && c[7:] == "00")
}

// color returns c as an SVG color, dropping the alpha of #rrggbbaa and
// escaping anything else.
func color(c string) string {
	if len(c) == 9 && c[0] == '#' {
		return c[:7]
	}
	return escape(c)
}

// num formats a coordinate rounded to two decimals.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}
