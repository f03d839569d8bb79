package diagram

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sync"

	"github.com/goccy/go-graphviz"
)

// Renderer lays graphs out with Graphviz's dot algorithm, compiled to
// WebAssembly and embedded in the binary, so no system Graphviz is needed.
// A Renderer is safe for concurrent use; calls are serialized because one
// Graphviz instance is not reentrant. Close releases it.
type Renderer struct {
	mu sync.Mutex
	gv *graphviz.Graphviz
}

// NewRenderer starts the embedded Graphviz.
func NewRenderer(ctx context.Context) (*Renderer, error) {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	return &Renderer{gv: gv}, nil
}

// Close releases the Graphviz instance.
func (r *Renderer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gv.Close()
}

// render lays out src and writes it in format.
func (r *Renderer) render(ctx context.Context, src string, format graphviz.Format) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()

	g, err := graphviz.ParseBytes([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("parsing generated DOT: %w", err)
	}
	defer g.Close()

	var buf bytes.Buffer
	if err := r.gv.Render(ctx, g, format, &buf); err != nil {
		return nil, fmt.Errorf("laying out diagram: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders g as a standalone SVG document titled title. The output
// carries no Graphviz version or other varying text, so the same graph
// always gives the same bytes. Element ids are prefixed with idPrefix so
// that several diagrams can be inlined in one HTML page.
func (r *Renderer) SVG(ctx context.Context, g *Graph, title, idPrefix string) ([]byte, error) {
	out, err := r.render(ctx, DOT(g), graphviz.SVG)
	if err != nil {
		return nil, err
	}
	return cleanSVG(out, title, idPrefix), nil
}

var (
	svgProlog  = regexp.MustCompile(`(?s)\A.*?(<svg\b)`)
	svgComment = regexp.MustCompile(`(?s)<!--.*?-->\n?`)
	svgTitle   = regexp.MustCompile(`<title>[^<]*</title>\n?`)
	svgID      = regexp.MustCompile(`\bid="`)
	svgOpen    = regexp.MustCompile(`<svg\b`)
)

// cleanSVG strips the XML prolog, the comments and the synthetic titles
// Graphviz writes, prefixes ids, and labels the picture for screen readers.
func cleanSVG(svg []byte, title, idPrefix string) []byte {
	svg = svgProlog.ReplaceAll(svg, []byte("$1"))
	svg = svgComment.ReplaceAll(svg, nil)
	svg = svgTitle.ReplaceAll(svg, nil)
	if idPrefix != "" {
		svg = svgID.ReplaceAll(svg, []byte(`id="`+idPrefix+`-`))
	}
	label := escape(title)
	svg = svgOpen.ReplaceAll(svg, []byte(`<svg role="img" aria-label="`+label+`"`))
	if title != "" {
		if i := bytes.Index(svg, []byte(">")); i >= 0 {
			svg = append(svg[:i+1:i+1], append([]byte("\n<title>"+label+"</title>"), svg[i+1:]...)...)
		}
	}
	return svg
}
