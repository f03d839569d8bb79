package diagram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-graphviz"
)

// Drawing is a laid-out diagram as a list of drawing operations, for
// renderers that draw natively instead of embedding SVG (the PDF report).
// Coordinates are in points with the origin at the bottom left, as
// Graphviz gives them.
type Drawing struct {
	Width  float64
	Height float64
	Shapes []Shape
}

// Shape kinds.
const (
	ShapePolygon  = "polygon"
	ShapePolyline = "polyline"
	ShapeBezier   = "bezier"
	ShapeEllipse  = "ellipse"
	ShapeText     = "text"
)

// Shape is one drawing operation with the pen state it is drawn in.
type Shape struct {
	Kind string
	// Points are the vertices, the Bezier control points, or for an
	// ellipse its centre and then its two radii.
	Points [][2]float64
	Filled bool
	// Pen and Fill are colors as #rrggbb or #rrggbbaa.
	Pen   string
	Fill  string
	Style string // solid, dashed, dotted
	Width float64

	// Text, Align (l, c or r), TextWidth, FontSize and Bold describe a
	// text shape, anchored at Points[0] on its baseline.
	Text      string
	Align     string
	TextWidth float64
	FontSize  float64
	Bold      bool
}

// Layout lays g out and returns it as drawing operations. A graph of
// more than 100 nodes is laid out in a worker process. A smaller one is
// laid out in this process. If that fails, times out or panics, it is laid
// out again in a worker process, and the in-process Graphviz is not used
// again.
func (r *Renderer) Layout(ctx context.Context, g *Graph) (*Drawing, error) {
	src := DOT(g)

	var embeddedErr error
	if r.gv != nil && len(g.Nodes) <= r.maxInProcessNodes && embeddedUsable() {
		d, started, err := r.layoutEmbedded(ctx, src)
		switch {
		case err == nil, ctx.Err() != nil:
			return d, err
		case !started && errors.Is(err, errEmbeddedUnusable):
			// Another layout broke the in-process Graphviz while this
			// one waited for it.
		case !started:
			// The Timeout passed while waiting for another layout. That
			// is no sign of a fault in the in-process Graphviz.
			return nil, err
		default:
			markEmbeddedBroken()
			embeddedErr = err
		}
	}

	out, err := r.layoutInWorker(ctx, []byte(src))
	var d *Drawing
	if err == nil {
		d, err = parseLayout(out)
	}
	if err != nil && embeddedErr != nil {
		return nil, fmt.Errorf("%w (before that, the in-process attempt failed: %v)", err, embeddedErr)
	}
	return d, err
}

// layoutEmbedded lays src out with the in-process Graphviz. started is
// false when the Graphviz call did not begin.
func (r *Renderer) layoutEmbedded(ctx context.Context, src string) (d *Drawing, started bool, err error) {
	out, started, err := r.render(ctx, src, graphviz.Format("json"))
	if err != nil {
		return nil, started, err
	}
	d, err = parseLayout(out)
	return d, true, err
}

// ErrEmptyLayout is returned, wrapped, when Graphviz returns a layout
// without a drawing area.
var ErrEmptyLayout = errors.New("graphviz returned an empty layout")

type jsonOp struct {
	Op     string       `json:"op"`
	Color  string       `json:"color"`
	Style  string       `json:"style"`
	Size   float64      `json:"size"`
	Face   string       `json:"face"`
	Points [][2]float64 `json:"points"`
	Rect   []float64    `json:"rect"`
	Pt     [2]float64   `json:"pt"`
	Align  string       `json:"align"`
	Width  float64      `json:"width"`
	Text   string       `json:"text"`
	Flags  int          `json:"fontchar"`
}

type jsonObject struct {
	GVID int    `json:"_gvid"`
	Pos  string `json:"pos"`
	Tail int    `json:"tail"`
	Head int    `json:"head"`

	Draw   []jsonOp `json:"_draw_"`
	LDraw  []jsonOp `json:"_ldraw_"`
	HDraw  []jsonOp `json:"_hdraw_"`
	TDraw  []jsonOp `json:"_tdraw_"`
	HLDraw []jsonOp `json:"_hldraw_"`
	TLDraw []jsonOp `json:"_tldraw_"`
}

type jsonGraph struct {
	BB      string       `json:"bb"`
	Objects []jsonObject `json:"objects"`
	Edges   []jsonObject `json:"edges"`
}

// pen is the drawing state that xdot operations change.
type pen struct {
	color, fill, style string
	width, size        float64
	bold               bool
}

// nanSentinel replaces the "nan" coordinates that Graphviz writes for an
// edge it failed to route, so that the JSON parses. Edges with such points
// are then drawn as straight lines.
const nanSentinel = 1e300

var nanToken = regexp.MustCompile(`-?\bnan\b`)

func parseLayout(data []byte) (*Drawing, error) {
	data = nanToken.ReplaceAll(data, []byte("1e300"))
	var g jsonGraph
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("reading graphviz layout: %w", err)
	}
	d := &Drawing{}
	bb := strings.Split(g.BB, ",")
	if len(bb) == 4 {
		d.Width, _ = strconv.ParseFloat(bb[2], 64)
		d.Height, _ = strconv.ParseFloat(bb[3], 64)
	}
	// Graphviz 12.1.2 reports success for a layout it abandoned, with a
	// bounding box of 0,0,0,0 and "nan" coordinates. Such output is not a
	// drawing of the graph.
	if !(d.Width > 0 && d.Height > 0) || d.Width == nanSentinel || d.Height == nanSentinel {
		return nil, fmt.Errorf("reading graphviz layout: %w: the bounding box is %q", ErrEmptyLayout, g.BB)
	}

	// Clusters and nodes come first in objects, then edges, so later
	// shapes are drawn over earlier ones as in Graphviz's own SVG.
	centers := map[int][2]float64{}
	for _, o := range g.Objects {
		d.add(o.Draw, o.LDraw)
		if c, ok := parsePoint(o.Pos); ok {
			centers[o.GVID] = c
		}
	}
	for _, e := range g.Edges {
		if routed(e.Draw) {
			d.add(e.Draw, e.HDraw, e.TDraw, e.LDraw, e.HLDraw, e.TLDraw)
			continue
		}
		// NOTE: Graphviz 12.1.2 with the bounded layout of large graphs
		// fails to route a few edges (2 % of a generated 1,500-flow
		// model). Such an edge is drawn as a dashed straight line between
		// the node centres, without its label, rather than left out.
		tail, okTail := centers[e.Tail]
		head, okHead := centers[e.Head]
		if okTail && okHead {
			d.Shapes = append(d.Shapes, Shape{Kind: ShapePolyline, Points: [][2]float64{tail, head}, Pen: colorLine, Style: "dashed", Width: 1})
		}
	}
	return d, nil
}

// routed reports whether every point of the operations is a number.
func routed(ops []jsonOp) bool {
	for _, op := range ops {
		for _, p := range op.Points {
			if p[0] == nanSentinel || p[1] == nanSentinel || p[0] == -nanSentinel || p[1] == -nanSentinel {
				return false
			}
		}
		if op.Pt[0] == nanSentinel || op.Pt[1] == nanSentinel {
			return false
		}
	}
	return true
}

func parsePoint(s string) ([2]float64, bool) {
	x, y, ok := strings.Cut(s, ",")
	if !ok {
		return [2]float64{}, false
	}
	fx, errX := strconv.ParseFloat(x, 64)
	fy, errY := strconv.ParseFloat(y, 64)
	return [2]float64{fx, fy}, errX == nil && errY == nil
}

func (d *Drawing) add(lists ...[]jsonOp) {
	for _, ops := range lists {
		p := pen{color: "#000000", fill: "#000000", style: "solid", width: 1, size: 14}
		for _, op := range ops {
			d.apply(&p, op)
		}
	}
}

func (d *Drawing) apply(p *pen, op jsonOp) {
	shape := Shape{Pen: p.color, Fill: p.fill, Style: p.style, Width: p.width}
	switch op.Op {
	case "c":
		p.color = op.Color
	case "C":
		p.fill = op.Color
	case "S":
		switch {
		case op.Style == "dashed" || op.Style == "dotted" || op.Style == "solid":
			p.style = op.Style
		case strings.HasPrefix(op.Style, "setlinewidth("):
			w, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(op.Style, "setlinewidth("), ")"), 64)
			if err == nil {
				p.width = w
			}
		case op.Style == "bold":
			p.width = 2
		}
	case "F":
		p.size = op.Size
	case "t":
		p.bold = op.Flags&1 != 0
	case "p", "P":
		shape.Kind, shape.Points, shape.Filled = ShapePolygon, op.Points, op.Op == "P"
		d.Shapes = append(d.Shapes, shape)
	case "L":
		shape.Kind, shape.Points = ShapePolyline, op.Points
		d.Shapes = append(d.Shapes, shape)
	case "b", "B":
		shape.Kind, shape.Points, shape.Filled = ShapeBezier, op.Points, op.Op == "B"
		d.Shapes = append(d.Shapes, shape)
	case "e", "E":
		if len(op.Rect) == 4 {
			shape.Kind, shape.Filled = ShapeEllipse, op.Op == "E"
			shape.Points = [][2]float64{{op.Rect[0], op.Rect[1]}, {op.Rect[2], op.Rect[3]}}
			d.Shapes = append(d.Shapes, shape)
		}
	case "T":
		shape.Kind = ShapeText
		shape.Points = [][2]float64{op.Pt}
		shape.Text, shape.Align, shape.TextWidth = op.Text, op.Align, op.Width
		shape.FontSize, shape.Bold = p.size, p.bold
		d.Shapes = append(d.Shapes, shape)
	}
}
