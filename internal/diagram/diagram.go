// Package diagram derives the architecture views of a threat model (the data
// flow diagram of the whole system, the multi-patient harm view, the
// updatability view and the security use case views) as layout-free graphs,
// and renders them to Graphviz DOT, to SVG through an embedded Graphviz, and
// to Mermaid.
//
// The package never loads models from disk and never prints: it takes a
// *model.Model and returns bytes or values.
package diagram

import (
	"errors"
	"fmt"
	"strings"
)

// View names, as the command line and views.omit spell them.
const (
	ViewGlobal       = "global"
	ViewMultiPatient = "multi-patient"
	ViewUpdate       = "update"
	// ViewUseCase is the prefix of a security use case view, written
	// "use-case:<use case id>".
	ViewUseCase = "use-case"
)

// Node kinds. Processes, stores and entities are the model's element kinds.
const (
	KindProcess = "process"
	KindStore   = "store"
	KindEntity  = "entity"
)

// ErrUnknownView is returned by Build for a view name it does not know.
var ErrUnknownView = errors.New("unknown view")

// View is one architecture view: either a graph with the text that explains
// it, or the reason the view is not drawn.
type View struct {
	// Name is global, multi-patient, update or use-case:<id>.
	Name  string `json:"name"`
	Title string `json:"title"`
	// Summary is the explanatory text that accompanies the diagram, or that
	// explains why there is none.
	Summary string `json:"summary"`
	// Graph is nil when the view is omitted.
	Graph *Graph `json:"graph,omitempty"`
	// Omitted is the reason the view is not drawn: the model's views.omit
	// entry, or why the model does not say enough to derive it.
	Omitted string `json:"omitted,omitempty"`
	// Stated is true when Omitted comes from views.omit in the model.
	Stated bool `json:"stated,omitempty"`
}

// Slug returns the view name in a form usable in file names and HTML ids.
func (v View) Slug() string {
	return strings.NewReplacer(":", "-", "/", "-", " ", "-").Replace(v.Name)
}

// Graph is a data flow diagram before layout.
type Graph struct {
	Clusters []Cluster `json:"clusters,omitempty"`
	Nodes    []Node    `json:"nodes"`
	Edges    []Edge    `json:"edges,omitempty"`
}

// Cluster is a trust boundary drawn as a dashed box around its elements.
type Cluster struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Kind  string `json:"kind,omitempty"`
	// Parent is the enclosing cluster, or empty at the top level.
	Parent string `json:"parent,omitempty"`
}

// Node is an element of the model.
type Node struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Kind is process, store or entity.
	Kind string `json:"kind"`
	// Detail is a short second line, such as an entity's role or a process's
	// technology.
	Detail  string `json:"detail,omitempty"`
	Cluster string `json:"cluster,omitempty"`
	// Ports are the interfaces the element exposes.
	Ports []Port `json:"ports,omitempty"`
	// Emphasis marks the nodes a view is about, such as the elements that
	// reach many patients.
	Emphasis   bool `json:"emphasis,omitempty"`
	OutOfScope bool `json:"out_of_scope,omitempty"`
}

// Port is a physical port, debug port or board connection drawn on the node
// that exposes it.
type Port struct {
	ID         string `json:"id"`
	Label      string `json:"label"`
	Kind       string `json:"kind"`
	Exposure   string `json:"exposure,omitempty"`
	Production string `json:"production,omitempty"`
	Debug      bool   `json:"debug,omitempty"`
}

// Text returns the port's one-line description, without the debug marker.
func (p Port) Text() string {
	var details []string
	for _, s := range []string{p.Exposure, p.Production} {
		if s != "" {
			details = append(details, s)
		}
	}
	text := p.Label
	if p.Kind != "" && !strings.EqualFold(p.Kind, p.Label) {
		text = fmt.Sprintf("%s: %s", p.Kind, p.Label)
	}
	if len(details) > 0 {
		text += " (" + strings.Join(details, ", ") + ")"
	}
	return text
}

// Edge is a data flow.
type Edge struct {
	ID       string `json:"id"`
	From     string `json:"from"`
	To       string `json:"to"`
	Name     string `json:"name,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	// Data lists the data categories the flow carries, sorted.
	Data          []string `json:"data,omitempty"`
	Bidirectional bool     `json:"bidirectional,omitempty"`
	Emphasis      bool     `json:"emphasis,omitempty"`
	OutOfScope    bool     `json:"out_of_scope,omitempty"`
}

// Lines returns the label lines of the flow: its name, its protocol and its
// data categories, leaving out the empty ones.
func (e Edge) Lines() []string {
	var lines []string
	if e.Name != "" {
		lines = append(lines, e.Name)
	}
	if e.Protocol != "" {
		lines = append(lines, e.Protocol)
	}
	if len(e.Data) > 0 {
		lines = append(lines, strings.Join(e.Data, ", "))
	}
	return lines
}
