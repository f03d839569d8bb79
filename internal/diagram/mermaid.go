package diagram

import (
	"fmt"
	"strconv"
	"strings"
)

// Mermaid returns g as a Mermaid flowchart, for Markdown viewers such as
// GitHub that render Mermaid code blocks. Processes are rounded boxes,
// stores cylinders (Mermaid has no open-ended box), entities rectangles and
// trust boundaries dashed subgraphs. Every text from the model is written
// with Mermaid entity codes for all but letters, digits and a few safe
// punctuation marks, so no model text can end a label, inject markup or
// close the surrounding code fence.
func Mermaid(g *Graph) string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	b.WriteString("  classDef process fill:#ffffff,stroke:#333333\n")
	b.WriteString("  classDef store fill:#ffffff,stroke:#333333\n")
	b.WriteString("  classDef entity fill:#f2f2f2,stroke:#333333\n")
	b.WriteString("  classDef emphasis stroke:" + colorEmphasis + ",stroke-width:4px\n")
	b.WriteString("  classDef debug stroke:" + colorDebugText + ",stroke-width:2px,fill:" + colorDebugFill + "\n")
	b.WriteString("  classDef outofscope stroke:" + colorOutOfScope + ",color:" + colorOutOfScope + ",stroke-dasharray:2 2\n")

	nodeName := map[string]string{}
	for i, n := range g.Nodes {
		if _, dup := nodeName[n.ID]; !dup {
			nodeName[n.ID] = "n" + strconv.Itoa(i)
		}
	}

	// Group nodes by cluster, then write the cluster tree depth first.
	clusterIndex := map[string]int{}
	children := map[string][]int{}
	for i, c := range g.Clusters {
		if _, dup := clusterIndex[c.ID]; dup {
			continue
		}
		clusterIndex[c.ID] = i
	}
	for i, c := range g.Clusters {
		if clusterIndex[c.ID] != i {
			continue
		}
		parent := c.Parent
		if _, ok := clusterIndex[parent]; !ok {
			parent = ""
		}
		children[parent] = append(children[parent], i)
	}
	members := map[string][]int{}
	for i, n := range g.Nodes {
		c := n.Cluster
		if _, ok := clusterIndex[c]; !ok {
			c = ""
		}
		members[c] = append(members[c], i)
	}

	written := map[int]bool{}
	var writeCluster func(id string, indent string)
	writeCluster = func(id string, indent string) {
		for _, i := range members[id] {
			writeNode(&b, indent, "n"+strconv.Itoa(i), g.Nodes[i])
		}
		for _, ci := range children[id] {
			if written[ci] {
				continue // a parent cycle assembled by hand
			}
			written[ci] = true
			c := g.Clusters[ci]
			label := c.Label
			if c.Kind != "" {
				label += " (" + c.Kind + " boundary)"
			}
			fmt.Fprintf(&b, "%ssubgraph b%d[\"%s\"]\n", indent, ci, mermaidText(label))
			writeCluster(c.ID, indent+"  ")
			fmt.Fprintf(&b, "%send\n", indent)
			fmt.Fprintf(&b, "%sstyle b%d fill:none,stroke:%s,stroke-dasharray:6 4\n", indent, ci, colorBoundary)
		}
	}
	writeCluster("", "  ")

	link := 0
	for _, e := range g.Edges {
		from, okFrom := nodeName[e.From]
		to, okTo := nodeName[e.To]
		if !okFrom || !okTo {
			continue
		}
		arrow := "-->"
		if e.Bidirectional {
			arrow = "<-->"
		}
		if e.OutOfScope {
			arrow = "-.->"
			if e.Bidirectional {
				arrow = "<-.->"
			}
		}
		if lines := e.Lines(); len(lines) > 0 {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", from, arrow, mermaidLines(lines), to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", from, arrow, to)
		}
		if e.Emphasis {
			fmt.Fprintf(&b, "  linkStyle %d stroke:%s,stroke-width:3px\n", link, colorFlowFocus)
		}
		link++
	}
	return b.String()
}

func writeNode(b *strings.Builder, indent, name string, n Node) {
	lines := []string{n.Label}
	if n.Detail != "" {
		lines = append(lines, n.Detail)
	}
	if n.OutOfScope {
		lines = append(lines, "(out of scope)")
	}
	debug := false
	for _, p := range n.Ports {
		if p.Debug {
			debug = true
			lines = append(lines, "DEBUG "+p.Text())
		} else {
			lines = append(lines, "port "+p.Text())
		}
	}
	label := mermaidLines(lines)

	class := KindProcess
	switch n.Kind {
	case KindStore:
		class = KindStore
		fmt.Fprintf(b, "%s%s[(\"%s\")]\n", indent, name, label)
	case KindEntity:
		class = KindEntity
		fmt.Fprintf(b, "%s%s[\"%s\"]\n", indent, name, label)
	default:
		fmt.Fprintf(b, "%s%s(\"%s\")\n", indent, name, label)
	}
	switch {
	case n.OutOfScope:
		class = "outofscope"
	case n.Emphasis:
		class = "emphasis"
	case debug:
		class = "debug"
	}
	fmt.Fprintf(b, "%sclass %s %s\n", indent, name, class)
}

func mermaidLines(lines []string) string {
	escaped := make([]string, len(lines))
	for i, l := range lines {
		escaped[i] = mermaidText(l)
	}
	return strings.Join(escaped, "<br/>")
}

// mermaidText writes s with Mermaid's #<decimal>; entity codes for every
// character that is not a letter, a digit, a space or one of . , : / ( ) - _ +.
// Control characters become spaces.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" .,:/()-_+", r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "#%d;", r)
		}
	}
	return b.String()
}
