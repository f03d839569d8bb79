package diagram

import (
	"fmt"
	"html"
	"strings"

	"github.com/emicklei/dot"
)

// FontName is the font the layout measures text with. Graphviz's built-in
// metrics know Arial; viewers without it substitute a metric-compatible
// font such as Liberation Sans.
const FontName = "Arial"

// Colors of the notation. Emphasis is red for nodes and blue for flows so
// that the two kinds of highlighting are not confused.
const (
	colorLine       = "#333333"
	colorBoundary   = "#7a4b00"
	colorOutOfScope = "#a0a0a0"
	colorEmphasis   = "#c0392b"
	colorFlowFocus  = "#1f5fa8"
	colorDebugFill  = "#fde0e0"
	colorDebugText  = "#a00000"
	colorEntityFill = "#f2f2f2"
)

// largeGraph is the node count above which DOT trades layout quality for
// bounded layout time.
const largeGraph = 100

// DOT returns g as a Graphviz digraph. Every text from the model is placed
// in an HTML-like label and XML-escaped, so no model text can change the
// graph's structure or be read as a Graphviz escape sequence such as \N.
// Nodes, clusters and edges get synthetic names, and the output depends
// only on g.
func DOT(g *Graph) string {
	root := dot.NewGraph(dot.Directed)
	root.ID("ward")
	// Top to bottom without newrank gave the most compact layout of the
	// insulin pump example (about 2000 x 1200 pt against 2800 x 1300 pt
	// for left to right), which matters when the view is printed.
	root.Attr("rankdir", "TB")
	root.Attr("fontname", FontName)
	root.Attr("fontsize", "11")
	root.Attr("nodesep", "0.5")
	root.Attr("ranksep", "0.6")
	root.Attr("pad", "0.2")
	if len(g.Nodes) > largeGraph {
		// Bound the network simplex passes that place nodes (nslimit)
		// and the crossing minimization (mclimit, searchsize). The
		// drawing has more edge crossings but stays readable. nslimit1,
		// which bounds rank assignment, is left out: with it Graphviz
		// 12.1.2 abandoned the layout of a generated 300-element update
		// view and returned a bounding box of 0,0,0,0.
		root.Attr("nslimit", "1")
		root.Attr("mclimit", "0.2")
		root.Attr("searchsize", "10")
	}
	root.NodeInitializer(func(n dot.Node) {
		n.Attr("fontname", FontName)
		n.Attr("fontsize", "11")
		n.Attr("color", colorLine)
	})
	root.EdgeInitializer(func(e dot.Edge) {
		e.Attr("fontname", FontName)
		e.Attr("fontsize", "9")
		e.Attr("color", colorLine)
		e.Attr("arrowsize", "0.7")
	})

	subgraphs := clusterGraphs(root, g.Clusters)

	nodes := map[string]dot.Node{}
	for i, n := range g.Nodes {
		parent := root
		if sub, ok := subgraphs[n.Cluster]; ok {
			parent = sub
		}
		dn := parent.Node(fmt.Sprintf("%06d", i))
		styleNode(dn, n)
		dn.Attr("id", fmt.Sprintf("node-%d", i))
		if _, dup := nodes[n.ID]; !dup {
			nodes[n.ID] = dn
		}
	}

	for i, e := range g.Edges {
		from, okFrom := nodes[e.From]
		to, okTo := nodes[e.To]
		if !okFrom || !okTo {
			continue
		}
		de := root.Edge(from, to)
		de.Attr("id", fmt.Sprintf("flow-%d", i))
		if lines := e.Lines(); len(lines) > 0 {
			de.Attr("label", dot.HTML(htmlLines(lines)))
		}
		if e.Bidirectional {
			de.Attr("dir", "both")
		}
		switch {
		case e.OutOfScope:
			de.Attr("color", colorOutOfScope)
			de.Attr("fontcolor", colorOutOfScope)
			de.Attr("style", "dotted")
		case e.Emphasis:
			de.Attr("color", colorFlowFocus)
			de.Attr("penwidth", "2.2")
		}
	}
	return root.String()
}

// clusterGraphs creates one dashed cluster per trust boundary, nested under
// its parent, and returns them by boundary id.
func clusterGraphs(root *dot.Graph, clusters []Cluster) map[string]*dot.Graph {
	out := map[string]*dot.Graph{}
	byID := map[string]Cluster{}
	for _, c := range clusters {
		if _, dup := byID[c.ID]; !dup {
			byID[c.ID] = c
		}
	}

	var create func(id string, depth int) *dot.Graph
	create = func(id string, depth int) *dot.Graph {
		if sub, ok := out[id]; ok {
			return sub
		}
		c := byID[id]
		parent := root
		// The builder already broke parent cycles; the depth limit guards
		// against a Graph assembled by hand.
		if _, ok := byID[c.Parent]; ok && c.Parent != "" && depth < 64 {
			parent = create(c.Parent, depth+1)
		}
		sub := parent.Subgraph(fmt.Sprintf("%06d", len(out)), dot.ClusterOption{})
		label := "<b>" + escape(c.Label) + "</b>"
		if c.Kind != "" {
			label += " <font point-size=\"9\">(" + escape(c.Kind) + " boundary)</font>"
		}
		sub.Attr("label", dot.HTML(label))
		sub.Attr("style", "dashed,rounded")
		sub.Attr("color", colorBoundary)
		sub.Attr("fontcolor", colorBoundary)
		sub.Attr("labeljust", "l")
		sub.Attr("fontname", FontName)
		sub.Attr("fontsize", "11")
		sub.Attr("margin", "12")
		out[id] = sub
		return sub
	}
	for _, c := range clusters {
		create(c.ID, 0)
	}
	return out
}

// styleNode draws the element in the usual data flow diagram notation:
// rounded boxes for processes, open-ended boxes for stores and plain
// rectangles for external entities.
func styleNode(dn dot.Node, n Node) {
	color := colorLine
	switch {
	case n.OutOfScope:
		color = colorOutOfScope
		dn.Attr("fontcolor", colorOutOfScope)
	case n.Emphasis:
		color = colorEmphasis
		dn.Attr("penwidth", "3")
	}
	dn.Attr("color", color)

	rows := []string{"<tr><td><b>" + escape(n.Label) + "</b></td></tr>"}
	if n.Detail != "" {
		rows = append(rows, "<tr><td><font point-size=\"9\">"+escape(n.Detail)+"</font></td></tr>")
	}
	if n.OutOfScope {
		rows = append(rows, "<tr><td><font point-size=\"9\">(out of scope)</font></td></tr>")
	}
	for _, p := range n.Ports {
		rows = append(rows, portRow(p))
	}

	switch n.Kind {
	case KindStore:
		// An open-ended box: a table cell with borders on top, bottom and
		// left only, on an invisible node shape.
		dn.Attr("shape", "none")
		dn.Attr("margin", "0")
		width := "1"
		if n.Emphasis {
			width = "3"
		}
		label := fmt.Sprintf(`<table border="0" cellspacing="0" cellpadding="0"><tr><td sides="TBL" border="%s" color="%s" cellpadding="6"><table border="0" cellspacing="0" cellpadding="1">%s</table></td></tr></table>`,
			width, color, strings.Join(rows, ""))
		dn.Attr("label", dot.HTML(label))
	case KindEntity:
		dn.Attr("shape", "box")
		dn.Attr("style", "filled")
		dn.Attr("fillcolor", colorEntityFill)
		dn.Attr("label", dot.HTML(table(rows)))
	default:
		dn.Attr("shape", "box")
		dn.Attr("style", "rounded")
		dn.Attr("label", dot.HTML(table(rows)))
	}
}

func table(rows []string) string {
	return `<table border="0" cellspacing="0" cellpadding="1">` + strings.Join(rows, "") + `</table>`
}

// portRow draws an interface as a row of its element. A debug port gets a
// red DEBUG marker in a cell of its own, so that the marker does not run
// into the text where a viewer's font is wider than the layout measured.
func portRow(p Port) string {
	text := escape(p.Text())
	if p.Debug {
		return fmt.Sprintf(`<tr><td align="left"><table border="0" cellspacing="0" cellpadding="1"><tr><td bgcolor="%s"><font point-size="9" color="%s"><b>DEBUG</b></font></td><td bgcolor="%s" align="left"><font point-size="9" color="%s">%s</font></td></tr></table></td></tr>`,
			colorDebugText, "#ffffff", colorDebugFill, colorDebugText, text)
	}
	return `<tr><td align="left"><font point-size="9">port ` + text + `</font></td></tr>`
}

// escape makes s safe as text in a Graphviz HTML-like label: control
// characters, which the label's XML parser rejects, become spaces and the
// XML special characters become entities.
func escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	return html.EscapeString(s)
}

func htmlLines(lines []string) string {
	escaped := make([]string, len(lines))
	for i, l := range lines {
		escaped[i] = escape(l)
	}
	return strings.Join(escaped, "<br/>")
}
