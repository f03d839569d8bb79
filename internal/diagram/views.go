package diagram

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
)

// Views returns every architecture view of m in document order: the global
// system view, the multi-patient harm view, the updatability view and one
// view per security use case. A model without use cases gets one omitted
// use-case view that says why.
func Views(m *model.Model) []View {
	views := []View{global(m), multiPatient(m), update(m)}
	if reason, ok := m.Views.Omit[ViewUseCase]; ok {
		views = append(views, omitted(ViewUseCase, "Security use case views", reason, true))
		return views
	}
	if len(m.Views.UseCases) == 0 {
		views = append(views, omitted(ViewUseCase, "Security use case views",
			"the model lists no security use cases; add them under views.use_cases, each with the flows it uses, or state the reason under views.omit.use-case", false))
		return views
	}
	for _, uc := range m.Views.UseCases {
		views = append(views, useCase(m, uc))
	}
	return views
}

// Build returns the view called name: global, multi-patient, update or
// use-case:<use case id>. It returns an error wrapping ErrUnknownView for
// any other name.
func Build(m *model.Model, name string) (View, error) {
	switch name {
	case ViewGlobal:
		return global(m), nil
	case ViewMultiPatient:
		return multiPatient(m), nil
	case ViewUpdate:
		return update(m), nil
	}

	id, ok := strings.CutPrefix(name, ViewUseCase+":")
	if !ok {
		return View{}, fmt.Errorf("%w %q: use global, multi-patient, update or use-case:<id>", ErrUnknownView, name)
	}
	if reason, ok := m.Views.Omit[ViewUseCase]; ok {
		return omitted(name, "Security use case views", reason, true), nil
	}
	var known []string
	for _, uc := range m.Views.UseCases {
		if uc.ID == id {
			return useCase(m, uc), nil
		}
		known = append(known, uc.ID)
	}
	if len(known) == 0 {
		return View{}, fmt.Errorf("%w %q: the model lists no use cases under views.use_cases", ErrUnknownView, name)
	}
	return View{}, fmt.Errorf("%w %q: the model's use cases are %s", ErrUnknownView, name, strings.Join(known, ", "))
}

func omitted(name, title, reason string, stated bool) View {
	summary := "This view is not drawn because " + reason + "."
	if stated {
		summary = "This view is omitted. Reason stated in the model: " + reason
	}
	return View{Name: name, Title: title, Summary: summary, Omitted: reason, Stated: stated}
}

func global(m *model.Model) View {
	const title = "Global system view"
	if reason, ok := m.Views.Omit[ViewGlobal]; ok {
		return omitted(ViewGlobal, title, reason, true)
	}
	if len(m.Elements) == 0 {
		return omitted(ViewGlobal, title, "the model has no elements; add processes, stores and entities under elements", false)
	}

	b := newBuilder(m)
	for i := range m.Elements {
		b.addNode(i)
	}
	for i := range m.Flows {
		b.addEdge(i)
	}
	g := b.graph()

	summary := fmt.Sprintf("The global system view shows all %d elements, %d data flows and %d trust boundaries of %s, with the physical ports, debug ports and board connections drawn on the element that exposes them. Flows are labelled with their name, protocol and data categories.",
		len(g.Nodes), len(g.Edges), len(g.Clusters), systemName(m))
	if n := countOutOfScope(g); n > 0 {
		summary += fmt.Sprintf(" %d items marked out of scope are drawn in grey.", n)
	}
	return View{Name: ViewGlobal, Title: title, Summary: summary, Graph: g}
}

// multiPatient draws the elements whose compromise reaches many patients and
// every flow path that leads to them.
func multiPatient(m *model.Model) View {
	const title = "Multi-patient harm view"
	if reason, ok := m.Views.Omit[ViewMultiPatient]; ok {
		return omitted(ViewMultiPatient, title, reason, true)
	}

	var targets []string
	for _, e := range m.Elements {
		if e.Patients == "many" {
			targets = append(targets, e.ID)
		}
	}
	if len(targets) == 0 {
		return omitted(ViewMultiPatient, title,
			"no element has patients: many; set it on the elements whose compromise can harm many patients at once, or state the reason under views.omit.multi-patient", false)
	}

	// Walk the flows backwards from the targets: every element with a flow
	// path to a many-patient element is on an attack path to it.
	b := newBuilder(m)
	reach := map[string]bool{}
	queue := slices.Clone(targets)
	for _, id := range targets {
		reach[id] = true
	}
	sources := map[string][]string{}
	for _, f := range m.Flows {
		sources[f.To] = append(sources[f.To], f.From)
		if f.Bidirectional {
			sources[f.From] = append(sources[f.From], f.To)
		}
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, prev := range sources[id] {
			if !reach[prev] {
				reach[prev] = true
				queue = append(queue, prev)
			}
		}
	}
	for i, e := range m.Elements {
		if reach[e.ID] {
			b.addNode(i)
		}
	}
	for i, f := range m.Flows {
		if reach[f.From] && reach[f.To] {
			b.addEdge(i)
		}
	}
	g := b.graph()
	for i := range g.Nodes {
		g.Nodes[i].Emphasis = slices.Contains(targets, g.Nodes[i].ID)
	}

	summary := fmt.Sprintf("The multi-patient harm view shows the %d elements whose compromise can harm many patients at once (%s, drawn with a heavy red outline) and the %d elements and %d flows on paths that lead to them.",
		len(targets), strings.Join(names(m, targets), ", "), len(g.Nodes)-len(targets), len(g.Edges))
	return View{Name: ViewMultiPatient, Title: title, Summary: summary, Graph: g}
}

// update draws the update path: the flows that carry firmware data, the
// elements at their ends and the stores that keep firmware.
func update(m *model.Model) View {
	const title = "Updatability and patchability view"
	if reason, ok := m.Views.Omit[ViewUpdate]; ok {
		return omitted(ViewUpdate, title, reason, true)
	}

	firmware := map[string]bool{}
	for _, d := range m.Data {
		if d.Category == "firmware" {
			firmware[d.ID] = true
		}
	}
	if len(firmware) == 0 {
		return omitted(ViewUpdate, title,
			"no data item has category firmware, so the update path cannot be derived; add the firmware or update package under data and name it on the flows that carry it, or state the reason under views.omit.update", false)
	}

	b := newBuilder(m)
	on := map[string]bool{}
	var flows []int
	for i, f := range m.Flows {
		if slices.ContainsFunc(f.Data, func(id string) bool { return firmware[id] }) {
			flows = append(flows, i)
			on[f.From], on[f.To] = true, true
		}
	}
	if len(flows) == 0 {
		return omitted(ViewUpdate, title,
			"no flow carries data of category firmware, so the update path cannot be derived; list the firmware data on the flows that deliver updates, or state the reason under views.omit.update", false)
	}
	for _, e := range m.Elements {
		if slices.ContainsFunc(e.Stores, func(id string) bool { return firmware[id] }) {
			on[e.ID] = true
		}
	}
	for i, e := range m.Elements {
		if on[e.ID] {
			b.addNode(i)
		}
	}
	for _, i := range flows {
		b.addEdge(i)
	}
	g := b.graph()
	for i := range g.Edges {
		g.Edges[i].Emphasis = true
	}

	var controls []string
	for _, c := range m.Controls {
		if c.Category == "updatability-patchability" {
			controls = append(controls, fmt.Sprintf("%s (%s)", c.Name, c.ID))
		}
	}
	summary := fmt.Sprintf("The updatability and patchability view shows the update path: the %d flows that carry firmware data (drawn in heavy blue), the elements at their ends and the stores that keep firmware, %d elements in all.",
		len(g.Edges), len(g.Nodes))
	if len(controls) > 0 {
		summary += " Update controls: " + strings.Join(controls, "; ") + "."
	} else {
		summary += " The model lists no control of category updatability-patchability."
	}
	return View{Name: ViewUpdate, Title: title, Summary: summary, Graph: g}
}

func useCase(m *model.Model, uc model.UseCase) View {
	name := ViewUseCase + ":" + uc.ID
	title := "Security use case: " + cmpOr(uc.Name, uc.ID)

	b := newBuilder(m)
	index := map[string]int{}
	for i, f := range m.Flows {
		index[f.ID] = i
	}
	on := map[string]bool{}
	var flows []int
	var missing []string
	for _, id := range uc.Flows {
		i, ok := index[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		flows = append(flows, i)
		on[m.Flows[i].From], on[m.Flows[i].To] = true, true
	}
	if len(flows) == 0 {
		return omitted(name, title, fmt.Sprintf("use case %s names no flow of the model; list flow IDs under its flows key", uc.ID), false)
	}
	for i, e := range m.Elements {
		if on[e.ID] {
			b.addNode(i)
		}
	}
	for _, i := range flows {
		b.addEdge(i)
	}
	g := b.graph()

	summary := fmt.Sprintf("The security use case view %q shows its %d flows and the %d elements they connect.", cmpOr(uc.Name, uc.ID), len(g.Edges), len(g.Nodes))
	if uc.Description != "" {
		summary = uc.Description + " " + summary
	}
	if len(missing) > 0 {
		summary += " Flows named by the use case but not found in the model: " + strings.Join(missing, ", ") + "."
	}
	return View{Name: name, Title: title, Summary: summary, Graph: g}
}

func systemName(m *model.Model) string {
	return cmpOr(m.System.Name, m.System.ID, "the system")
}

func names(m *model.Model, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		for _, e := range m.Elements {
			if e.ID == id && e.Name != "" {
				out[i] = e.Name
			}
		}
	}
	return out
}

func countOutOfScope(g *Graph) int {
	n := 0
	for _, node := range g.Nodes {
		if node.OutOfScope {
			n++
		}
	}
	for _, e := range g.Edges {
		if e.OutOfScope {
			n++
		}
	}
	return n
}

func cmpOr(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
