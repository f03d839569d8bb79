package diagram

import (
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
)

// builder collects the nodes and edges of one view from the model, adding
// the trust boundaries that enclose them.
type builder struct {
	m          *model.Model
	boundaries map[string]*model.Boundary
	elements   map[string]int
	categories map[string]string
	ports      map[string][]Port

	nodes    []Node
	edges    []Edge
	hasNode  map[string]bool
	clusters map[string]bool
}

func newBuilder(m *model.Model) *builder {
	b := &builder{
		m:          m,
		boundaries: map[string]*model.Boundary{},
		elements:   map[string]int{},
		categories: map[string]string{},
		ports:      map[string][]Port{},
		hasNode:    map[string]bool{},
		clusters:   map[string]bool{},
	}
	for i := range m.Boundaries {
		b.boundaries[m.Boundaries[i].ID] = &m.Boundaries[i]
	}
	for i, e := range m.Elements {
		b.elements[e.ID] = i
	}
	for _, d := range m.Data {
		b.categories[d.ID] = d.Category
	}
	for _, itf := range m.Interfaces {
		b.ports[itf.Of] = append(b.ports[itf.Of], Port{
			ID:         itf.ID,
			Label:      cmpOr(itf.Name, itf.ID),
			Kind:       itf.Kind,
			Exposure:   itf.Exposure,
			Production: itf.Production,
			Debug:      itf.IsDebug(),
		})
	}
	return b
}

func (b *builder) addNode(i int) {
	e := b.m.Elements[i]
	if b.hasNode[e.ID] {
		return
	}
	b.hasNode[e.ID] = true
	b.nodes = append(b.nodes, Node{
		ID:         e.ID,
		Label:      cmpOr(e.Name, e.ID),
		Kind:       e.Kind,
		Detail:     detail(e),
		Cluster:    b.clusterOf(e.Boundary),
		Ports:      b.ports[e.ID],
		OutOfScope: e.Scope.Out,
	})
}

// addEdge adds flow i and any endpoint not yet drawn.
func (b *builder) addEdge(i int) {
	f := b.m.Flows[i]
	for _, id := range []string{f.From, f.To} {
		if j, ok := b.elements[id]; ok {
			b.addNode(j)
		}
	}
	if !b.hasNode[f.From] || !b.hasNode[f.To] {
		// A flow to an element the model does not define is a validation
		// error; the diagram leaves it out rather than invent a node.
		return
	}

	var data []string
	for _, id := range f.Data {
		c := cmpOr(b.categories[id], id)
		if !slices.Contains(data, c) {
			data = append(data, c)
		}
	}
	slices.Sort(data)

	protocol := f.Protocol.Name
	if f.Protocol.Version != "" {
		protocol += " " + f.Protocol.Version
	}
	b.edges = append(b.edges, Edge{
		ID:            f.ID,
		From:          f.From,
		To:            f.To,
		Name:          cmpOr(f.Name, f.ID),
		Protocol:      protocol,
		Data:          data,
		Bidirectional: f.Bidirectional,
		OutOfScope:    f.Scope.Out,
	})
}

// clusterOf returns the boundary id to draw an element in, registering the
// boundary and its ancestors. An unknown boundary draws the element at the
// top level.
func (b *builder) clusterOf(id string) string {
	if _, ok := b.boundaries[id]; !ok {
		return ""
	}
	seen := map[string]bool{}
	for cur := id; cur != "" && !seen[cur]; {
		seen[cur] = true
		bd, ok := b.boundaries[cur]
		if !ok {
			break
		}
		b.clusters[cur] = true
		cur = bd.Parent
	}
	return id
}

// graph returns the collected view. Clusters come in model order with
// parents resolved so that a parent cycle or an unknown parent puts the
// boundary at the top level instead of nesting it forever.
func (b *builder) graph() *Graph {
	g := &Graph{Nodes: b.nodes, Edges: b.edges}
	for _, bd := range b.m.Boundaries {
		if !b.clusters[bd.ID] {
			continue
		}
		label := cmpOr(bd.Name, bd.ID)
		g.Clusters = append(g.Clusters, Cluster{ID: bd.ID, Label: label, Kind: bd.Kind, Parent: b.safeParent(bd.ID)})
		b.clusters[bd.ID] = false // draw a duplicated boundary id once
	}
	return g
}

// safeParent returns id's parent, or "" when following parents from id
// loops back or leaves the known boundaries.
func (b *builder) safeParent(id string) string {
	parent := b.boundaries[id].Parent
	if _, ok := b.boundaries[parent]; !ok {
		return ""
	}
	seen := map[string]bool{id: true}
	for cur := parent; cur != ""; cur = b.boundaries[cur].Parent {
		if seen[cur] {
			return ""
		}
		seen[cur] = true
		if _, ok := b.boundaries[cur]; !ok {
			break
		}
	}
	return parent
}

func detail(e model.Element) string {
	switch e.Kind {
	case KindEntity:
		return e.Role
	case KindProcess, KindStore:
		var parts []string
		for _, s := range []string{e.Technology.Language, e.Technology.OS, e.Technology.Runtime, e.Technology.Framework, e.Technology.Hardware} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " / ")
	}
	return ""
}
