package diagram

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestSVGExample(t *testing.T) {
	m := loadExample(t)
	r := renderer(t)
	ctx := context.Background()

	for _, v := range Views(m) {
		t.Run(v.Slug(), func(t *testing.T) {
			first, err := r.SVG(ctx, v.Graph, v.Title, v.Slug())
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			second, err := r.SVG(ctx, v.Graph, v.Title, v.Slug())
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			if !bytes.Equal(first, second) {
				t.Error("two renderings of the same view differ")
			}
			if !bytes.HasPrefix(first, []byte("<svg ")) {
				t.Errorf("SVG starts with %q, want <svg without prolog", first[:min(40, len(first))])
			}
			if bytes.Contains(first, []byte("graphviz version")) {
				t.Error("SVG names the Graphviz version")
			}
			if err := xml.Unmarshal(first, new(struct{})); err != nil {
				t.Errorf("SVG is not well-formed XML: %v", err)
			}
			// Graphviz writes a dash as &#45;.
			text := bytes.ReplaceAll(first, []byte("&#45;"), []byte("-"))
			for _, n := range v.Graph.Nodes {
				if !bytes.Contains(text, []byte(xmlEscape(n.Label))) {
					t.Errorf("SVG lacks the label of node %s (%q)", n.ID, n.Label)
				}
			}
		})
	}
}

func TestSVGDebugPortMarked(t *testing.T) {
	m := loadExample(t)
	v, err := Build(m, ViewGlobal)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := renderer(t).SVG(context.Background(), v.Graph, v.Title, "g")
	if err != nil {
		t.Fatal(err)
	}
	debugPorts := 0
	for _, itf := range m.Interfaces {
		if itf.Debug {
			debugPorts++
		}
	}
	if got := bytes.Count(svg, []byte(">DEBUG<")); got < debugPorts {
		t.Errorf("SVG has %d DEBUG markers, want at least one per debug interface (%d)", got, debugPorts)
	}
}

func TestHostileNamesRender(t *testing.T) {
	m := hostileModel()
	r := renderer(t)
	for _, v := range Views(m) {
		if v.Graph == nil {
			continue
		}
		t.Run(v.Slug(), func(t *testing.T) {
			svg, err := r.SVG(context.Background(), v.Graph, v.Title, v.Slug())
			if err != nil {
				t.Fatalf("SVG of hostile model: %v", err)
			}
			if bytes.Contains(svg, []byte("<script")) {
				t.Error("SVG contains a literal <script element")
			}
			if !bytes.Contains(svg, []byte("&lt;script&gt;")) {
				t.Error("SVG does not show the escaped <script> text")
			}
			if err := xml.Unmarshal(svg, new(struct{})); err != nil {
				t.Errorf("SVG is not well-formed XML: %v", err)
			}

			mmd := Mermaid(v.Graph)
			for _, bad := range []string{"<script", "```", `"x"`, "]]>", "**bold**", "\x00"} {
				if strings.Contains(mmd, bad) {
					t.Errorf("Mermaid contains %q unescaped", bad)
				}
			}

			if _, err := r.Layout(context.Background(), v.Graph); err != nil {
				t.Errorf("Layout of hostile model: %v", err)
			}
		})
	}
}

func TestLayoutShapes(t *testing.T) {
	m := loadExample(t)
	v, err := Build(m, ViewGlobal)
	if err != nil {
		t.Fatal(err)
	}
	d, err := renderer(t).Layout(context.Background(), v.Graph)
	if err != nil {
		t.Fatal(err)
	}
	if d.Width <= 0 || d.Height <= 0 {
		t.Fatalf("layout size %v x %v, want positive", d.Width, d.Height)
	}
	texts := map[string]bool{}
	kinds := map[string]int{}
	bold := 0
	for _, s := range d.Shapes {
		kinds[s.Kind]++
		if s.Kind == ShapeText {
			texts[s.Text] = true
			if s.Bold {
				bold++
			}
		}
		for _, p := range s.Points {
			if s.Kind != ShapeEllipse && (p[0] < -1 || p[1] < -1 || p[0] > d.Width+1 || p[1] > d.Height+1) {
				t.Fatalf("%s point %v lies outside the %v x %v drawing", s.Kind, p, d.Width, d.Height)
			}
		}
	}
	for _, n := range v.Graph.Nodes {
		if !texts[n.Label] {
			t.Errorf("layout has no text %q for node %s", n.Label, n.ID)
		}
	}
	for _, kind := range []string{ShapePolygon, ShapeBezier, ShapeText} {
		if kinds[kind] == 0 {
			t.Errorf("layout has no %s shapes", kind)
		}
	}
	if bold == 0 {
		t.Error("layout has no bold text, want bold element names")
	}
}

func TestGoldenExample(t *testing.T) {
	m := loadExample(t)
	for _, v := range Views(m) {
		if v.Graph == nil {
			continue
		}
		golden(t, v.Slug()+".dot", []byte(DOT(v.Graph)))
		golden(t, v.Slug()+".mmd", []byte(Mermaid(v.Graph)))
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff", path)
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#34;", "&quot;")
}

func FuzzDOT(f *testing.F) {
	f.Add("pump", "ble", `<script>"x"</script>`)
	f.Add(`\N \G \L`, "\x00\x01", "]]>&amp;")
	f.Add("é漢字", "\xff\xfe", "#1; `code`")
	r := renderer(f)
	f.Fuzz(func(t *testing.T, name, protocol, role string) {
		g := &Graph{
			Clusters: []Cluster{{ID: "b", Label: name, Kind: role}},
			Nodes: []Node{
				{ID: "a", Label: name, Kind: KindProcess, Cluster: "b", Ports: []Port{{ID: "p", Label: role, Kind: protocol, Debug: true}}},
				{ID: "c", Label: role, Kind: KindStore},
				{ID: "d", Label: protocol, Kind: KindEntity, Detail: name},
			},
			Edges: []Edge{{ID: "f", From: "a", To: "c", Name: name, Protocol: protocol, Data: []string{role}}},
		}
		svg, err := r.SVG(context.Background(), g, name, "x")
		if err != nil {
			t.Fatalf("SVG: %v", err)
		}
		if err := xml.Unmarshal(svg, new(struct{})); err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if strings.Contains(Mermaid(g), "```") {
			t.Fatal("Mermaid contains a code fence")
		}
	})
}

func BenchmarkSVG(b *testing.B) {
	for _, n := range []int{25, 100, 300} {
		m := syntheticModel(n)
		v := global(m)
		r := renderer(b)
		b.Run(fmt.Sprintf("%d-elements", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := r.SVG(context.Background(), v.Graph, v.Title, "g"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLayoutRepeatedAndConcurrent lays the same view out many times, one
// after another and from several goroutines, and checks that every layout
// matches the first. Every call goes through one process-wide WebAssembly
// module, so this checks the serialization in render.
func TestLayoutRepeatedAndConcurrent(t *testing.T) {
	m := loadExample(t)
	v, err := Build(m, ViewGlobal)
	if err != nil {
		t.Fatal(err)
	}
	r := renderer(t)
	first, err := r.Layout(context.Background(), v.Graph)
	if err != nil {
		t.Fatalf("first Layout: %v", err)
	}
	want := first.SVG(v.Title, "g")

	for i := range 5 {
		d, err := r.Layout(context.Background(), v.Graph)
		if err != nil {
			t.Fatalf("sequential Layout %d: %v", i, err)
		}
		if !bytes.Equal(d.SVG(v.Title, "g"), want) {
			t.Fatalf("sequential Layout %d differs from the first", i)
		}
	}

	const workers = 4
	errs := make(chan error, workers)
	for i := range workers {
		go func() {
			other, err := NewRenderer(context.Background())
			if err != nil {
				errs <- err
				return
			}
			defer other.Close()
			d, err := other.Layout(context.Background(), v.Graph)
			switch {
			case err != nil:
				errs <- fmt.Errorf("concurrent Layout %d: %w", i, err)
			case !bytes.Equal(d.SVG(v.Title, "g"), want):
				errs <- fmt.Errorf("concurrent Layout %d differs from the first", i)
			default:
				errs <- nil
			}
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestLayoutCancelled(t *testing.T) {
	m := loadExample(t)
	v, err := Build(m, ViewGlobal)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = renderer(t).Layout(ctx, v.Graph)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Layout with a cancelled context: got %v, want an error wrapping context.Canceled", err)
	}
}

func TestParseLayoutEmpty(t *testing.T) {
	_, err := parseLayout([]byte(`{"bb": "0,0,0,0", "objects": [], "edges": []}`))
	if !errors.Is(err, ErrEmptyLayout) {
		t.Errorf("parseLayout of a 0,0,0,0 bounding box: got %v, want ErrEmptyLayout", err)
	}
}
