package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-graphviz"
)

// Renderer lays graphs out with Graphviz's dot algorithm, compiled to
// WebAssembly and embedded in the binary, so no system Graphviz is needed.
// A Renderer is safe for concurrent use. Close releases it.
type Renderer struct {
	gv *graphviz.Graphviz
	// Timeout bounds each layout, waiting for other layouts included.
	// NewRenderer sets DefaultLayoutTimeout; zero or less means no bound
	// beyond the caller's context.
	Timeout time.Duration
}

// DefaultLayoutTimeout is the time a layout may take before Layout gives
// up. The largest view measured, 1,000 elements and 1,500 flows, takes
// under 2 s on one core.
const DefaultLayoutTimeout = 2 * time.Minute

// ErrLayoutTimeout is returned, wrapped, when Graphviz does not finish a
// layout within the Renderer's Timeout or the caller's deadline.
var ErrLayoutTimeout = errors.New("graphviz did not finish the layout in time")

// graphvizLock serializes every call into Graphviz in the process.
// go-graphviz v0.2.10 runs all graphviz.Graphviz values, and the package
// functions such as graphviz.ParseBytes, on one WebAssembly module that it
// instantiates when the program starts, and neither that module nor
// Graphviz's C code may be entered by two goroutines at once. A channel
// rather than a mutex lets a waiting caller give up when its context ends.
var graphvizLock = make(chan struct{}, 1)

// abandoned counts the layouts that render gave up on and that still run.
var abandoned struct {
	sync.Mutex
	running int
}

// NewRenderer starts the embedded Graphviz.
func NewRenderer(ctx context.Context) (*Renderer, error) {
	if err := lockGraphviz(ctx); err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	defer unlockGraphviz()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	return &Renderer{gv: gv, Timeout: DefaultLayoutTimeout}, nil
}

// Close releases the Graphviz instance. It waits for a layout running in
// the process, unless a layout outlived its timeout: then it returns an
// error at once and leaves the instance allocated.
func (r *Renderer) Close() error {
	abandoned.Lock()
	stuck := abandoned.running > 0
	abandoned.Unlock()
	if stuck {
		return fmt.Errorf("closing embedded graphviz: %w; a layout is still running", ErrLayoutTimeout)
	}
	graphvizLock <- struct{}{}
	defer unlockGraphviz()
	return r.gv.Close()
}

func lockGraphviz(ctx context.Context) error {
	select {
	case graphvizLock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func unlockGraphviz() { <-graphvizLock }

// render lays out src and writes it in format, within r.Timeout.
//
// NOTE: go-graphviz v0.2.10 creates its WebAssembly runtime without
// wazero's close-on-context-done option, so a layout cannot be stopped
// once it runs. When the time is up, render returns ErrLayoutTimeout and
// leaves the call running in its goroutine, which keeps graphvizLock
// until it returns. Later layouts in the same process then time out too.
func (r *Renderer) render(ctx context.Context, src string, format graphviz.Format) ([]byte, error) {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, layoutError(ctx, err)
	}
	if err := lockGraphviz(ctx); err != nil {
		return nil, layoutError(ctx, err)
	}

	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	finished, gaveUp := false, false
	go func() {
		defer unlockGraphviz()
		out, err := r.renderLocked(src, format)
		abandoned.Lock()
		finished = true
		if gaveUp {
			abandoned.running--
		}
		abandoned.Unlock()
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		abandoned.Lock()
		if !finished {
			gaveUp = true
			abandoned.running++
		}
		abandoned.Unlock()
		if !gaveUp {
			res := <-done
			return res.out, res.err
		}
		return nil, layoutError(ctx, ctx.Err())
	}
}

// layoutError turns the end of ctx into ErrLayoutTimeout when a deadline
// ended it, and keeps a cancellation as it is.
func layoutError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		deadline, _ := ctx.Deadline()
		return fmt.Errorf("laying out diagram: %w (deadline %s)", ErrLayoutTimeout, deadline.Format(time.RFC3339))
	}
	return fmt.Errorf("laying out diagram: %w", err)
}

// renderLocked runs Graphviz; the caller holds graphvizLock. It turns a
// panic inside go-graphviz into an error: ParseBytes can return a graph
// with no WebAssembly object behind it after Graphviz failed, and Close
// on it dereferences nil.
func (r *Renderer) renderLocked(src string, format graphviz.Format) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("laying out diagram: embedded graphviz failed: %v", p)
		}
	}()

	g, err := graphviz.ParseBytes([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("parsing generated DOT: %w", err)
	}
	defer g.Close()

	var buf bytes.Buffer
	if err := r.gv.Render(context.Background(), g, format, &buf); err != nil {
		return nil, fmt.Errorf("laying out diagram: %w", err)
	}
	return buf.Bytes(), nil
}

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
