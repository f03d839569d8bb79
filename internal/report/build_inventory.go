package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// inventory lists what clause 7.2 items a) to i) and l) of IEC 81001-5-1
// ask a threat model to document, one subsection per item.
func inventory(m *model.Model, reg *threat.Register) *Section {
	s := &Section{Key: keyInventory, Title: "Inventory"}
	s.Blocks = append(s.Blocks, &Paragraph{Text: "One subsection per item that IEC 81001-5-1 clause 7.2 asks a threat model to document: categorized data and flows, trust boundaries, processes, data stores, external entities, protocols, physical and debug ports, circuit board connections, attack vectors and external dependencies."})
	s.Subs = []*Section{
		dataFlows(m),
		boundaries(m),
		elementsOf(m, "process", assessment.SectionProcesses, "The model lists no processes."),
		elementsOf(m, "store", assessment.SectionStores, "The model lists no data stores."),
		elementsOf(m, "entity", assessment.SectionEntities, "The model lists no external entities."),
		protocols(m),
		interfaces(m, assessment.SectionPhysicalPorts, func(i model.Interface) bool { return i.Exposure == "external" },
			"Ports reachable from outside the device without opening it, debug ports included.",
			"The model lists no externally accessible ports."),
		interfaces(m, assessment.SectionBoardConnections, func(i model.Interface) bool { return i.Exposure == "enclosure" || i.Exposure == "board" },
			"Connections reachable by opening the enclosure or on the circuit board, such as JTAG, SWD, UART headers, test points and buses between chips.",
			"The model lists no circuit board connections."),
		attackVectors(reg),
		dependencies(m),
	}
	return s
}

func dataFlows(m *model.Model) *Section {
	s := sec(assessment.SectionDataFlows)
	data := &Table{
		Caption: "Data categories",
		Header:  []string{"ID", "Name", "Category", "Confidentiality", "Integrity", "Availability"},
		Widths:  []float64{1.3, 2.5, 1.2, 1.2, 1, 1.1},
		Empty:   "The model lists no data.",
	}
	for _, d := range m.Data {
		data.Rows = append(data.Rows, []string{d.ID, d.Name, d.Category, d.Confidentiality, d.Integrity, d.Availability})
	}
	flows := &Table{
		Caption: "Data flows",
		Header:  []string{"ID", "From", "To", "Protocol", "Data", "Authentication", "Encrypted", "Integrity", "Replay protection"},
		Widths:  []float64{1.6, 1.3, 1.3, 1.2, 1.6, 1, 0.8, 0.8, 0.8},
		Empty:   "The model lists no data flows.",
	}
	for _, f := range m.Flows {
		to := f.To
		if f.Bidirectional {
			to += " (both ways)"
		}
		flows.Rows = append(flows.Rows, []string{f.ID, f.From, to, protocolText(f.Protocol), strings.Join(f.Data, ", "),
			f.Authentication, yesNo(f.Encryption), yesNo(f.Integrity), yesNo(f.ReplayProtection)})
	}
	s.Blocks = append(s.Blocks, data, flows)
	return s
}

func boundaries(m *model.Model) *Section {
	s := sec(assessment.SectionBoundaries)
	t := &Table{
		Header: []string{"ID", "Name", "Kind", "Inside", "Elements"},
		Widths: []float64{1.5, 2, 1, 1.5, 3},
		Empty:  "The model lists no trust boundaries.",
	}
	members := map[string][]string{}
	for _, e := range m.Elements {
		if e.Boundary != "" {
			members[e.Boundary] = append(members[e.Boundary], e.ID)
		}
	}
	for _, b := range m.Boundaries {
		t.Rows = append(t.Rows, []string{b.ID, b.Name, b.Kind, b.Parent, strings.Join(members[b.ID], ", ")})
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func elementsOf(m *model.Model, kind string, key assessment.Section, empty string) *Section {
	s := sec(key)
	var t *Table
	switch kind {
	case "entity":
		t = &Table{Header: []string{"ID", "Name", "Role", "Boundary", "Description"}, Widths: []float64{1.5, 2, 1.3, 1.5, 3.5}}
	case "store":
		t = &Table{Header: []string{"ID", "Name", "Boundary", "Stores", "Encrypted", "Patients", "Description"}, Widths: []float64{1.4, 1.8, 1.4, 1.4, 0.9, 0.9, 3}}
	default:
		t = &Table{Header: []string{"ID", "Name", "Boundary", "Technology", "Dependencies", "Patients", "Description"}, Widths: []float64{1.4, 1.8, 1.4, 1.8, 1.4, 0.9, 3}}
	}
	t.Empty = empty
	for _, e := range m.Elements {
		if e.Kind != kind {
			continue
		}
		switch kind {
		case "entity":
			t.Rows = append(t.Rows, []string{e.ID, e.Name, e.Role, e.Boundary, e.Description})
		case "store":
			t.Rows = append(t.Rows, []string{e.ID, e.Name, e.Boundary, strings.Join(e.Stores, ", "), yesNo(e.Encrypted), e.Patients, e.Description})
		default:
			t.Rows = append(t.Rows, []string{e.ID, e.Name, e.Boundary, technology(e.Technology), strings.Join(e.Dependencies, ", "), e.Patients, e.Description})
		}
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func protocols(m *model.Model) *Section {
	s := sec(assessment.SectionProtocols)
	type usage struct {
		versions, flows, interfaces []string
	}
	uses := map[string]*usage{}
	var order []string
	get := func(name string) *usage {
		u, ok := uses[name]
		if !ok {
			u = &usage{}
			uses[name] = u
			order = append(order, name)
		}
		return u
	}
	for _, f := range m.Flows {
		if f.Protocol.Name == "" {
			continue
		}
		u := get(f.Protocol.Name)
		u.flows = append(u.flows, f.ID)
		detail := strings.TrimSpace(strings.Join([]string{f.Protocol.Version, f.Protocol.Security}, " "))
		if detail != "" && !slices.Contains(u.versions, detail) {
			u.versions = append(u.versions, detail)
		}
	}
	for _, i := range m.Interfaces {
		for _, p := range i.Protocols {
			u := get(p)
			u.interfaces = append(u.interfaces, i.ID)
		}
	}
	slices.Sort(order)

	t := &Table{
		Header: []string{"Protocol", "Versions and security", "Flows", "Interfaces"},
		Widths: []float64{1.2, 2, 3, 2},
		Empty:  "The model names no protocols on its flows or interfaces.",
	}
	for _, name := range order {
		u := uses[name]
		t.Rows = append(t.Rows, []string{name, strings.Join(u.versions, "; "), strings.Join(u.flows, ", "), strings.Join(u.interfaces, ", ")})
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func interfaces(m *model.Model, key assessment.Section, keep func(model.Interface) bool, intro, empty string) *Section {
	s := sec(key)
	s.Blocks = append(s.Blocks, &Paragraph{Text: intro})
	t := &Table{
		Header: []string{"ID", "Element", "Kind", "Exposure", "Debug", "Production state", "Protocols", "Controls"},
		Widths: []float64{1.5, 1.4, 1, 1, 0.6, 1.2, 1.2, 1.4},
		Empty:  empty,
	}
	for _, i := range m.Interfaces {
		if !keep(i) {
			continue
		}
		debug := "no"
		if i.IsDebug() {
			debug = "yes"
		}
		t.Rows = append(t.Rows, []string{i.ID, i.Of, i.Kind, i.Exposure, debug, i.Production, strings.Join(i.Protocols, ", "), strings.Join(i.Controls, ", ")})
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func attackVectors(reg *threat.Register) *Section {
	s := sec(assessment.SectionAttackVectors)
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Each threat has an attack vector, as in CVSS: network, adjacent (shared network or radio range), local, or physical (hands on the device, hardware included). The vector comes from how its target can be reached, through the target's flows, protocols and interfaces. A rule that states a vector of its own sets an upper bound, so the threat gets the less exposed of the rule's vector and the target's, and threats against one target can have different vectors."})
	type tally struct {
		threats int
		targets []string
	}
	byVector := map[string]*tally{}
	for _, t := range reg.Threats {
		v := cmpOr(t.Vector, "unspecified")
		tl, ok := byVector[v]
		if !ok {
			tl = &tally{}
			byVector[v] = tl
		}
		tl.threats++
		if !slices.Contains(tl.targets, t.Target.ID) {
			tl.targets = append(tl.targets, t.Target.ID)
		}
	}
	t := &Table{
		Header: []string{"Attack vector", "Threats", "Targets"},
		Widths: []float64{1.2, 0.8, 6},
		Empty:  "No threats were identified, so no attack vectors are recorded.",
	}
	for _, v := range []string{"network", "adjacent", "local", "physical", "unspecified"} {
		if tl, ok := byVector[v]; ok {
			slices.Sort(tl.targets)
			t.Rows = append(t.Rows, []string{v, fmt.Sprint(tl.threats), strings.Join(tl.targets, ", ")})
		}
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

func dependencies(m *model.Model) *Section {
	s := sec(assessment.SectionDependencies)
	t := &Table{
		Header: []string{"ID", "Name", "Version", "Kind", "Supplier", "Class", "Support", "Used by"},
		Widths: []float64{1.3, 1.8, 0.9, 0.9, 1.4, 1, 1.4, 1.6},
		Empty:  "The model lists no external dependencies.",
	}
	usedBy := dependencyUsers(m)
	for _, d := range m.Dependencies {
		users := usedBy[d.ID]
		support := d.Support.Level
		if d.Support.Ends != "" {
			support = strings.TrimSpace(support + " until " + string(d.Support.Ends))
		}
		t.Rows = append(t.Rows, []string{d.ID, d.Name, d.Version, d.Kind, d.Supplier, d.Classification, support, strings.Join(users, ", ")})
	}
	s.Blocks = append(s.Blocks, t)
	if len(m.SBOMs) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Software bills of materials read: " + strings.Join(m.SBOMs, ", ") + "."})
	}
	return s
}

// dependencyUsers returns, by dependency ID, the elements that use each
// dependency: those that list it under dependencies, then those that the
// dependency lists under elements. The document and the workbook both use
// it, so they name the same elements.
func dependencyUsers(m *model.Model) map[string][]string {
	usedBy := map[string][]string{}
	for _, e := range m.Elements {
		for _, d := range e.Dependencies {
			usedBy[d] = append(usedBy[d], e.ID)
		}
	}
	for _, d := range m.Dependencies {
		for _, e := range d.Elements {
			if !slices.Contains(usedBy[d.ID], e) {
				usedBy[d.ID] = append(usedBy[d.ID], e)
			}
		}
	}
	return usedBy
}

func protocolText(p model.Protocol) string {
	parts := []string{p.Name}
	if p.Version != "" {
		parts = append(parts, p.Version)
	}
	if p.Port != "" {
		parts = append(parts, "port "+p.Port)
	}
	if p.Channel != "" {
		parts = append(parts, p.Channel)
	}
	if p.Security != "" {
		parts = append(parts, "("+p.Security+")")
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

func technology(t model.Technology) string {
	var parts []string
	for _, s := range []string{t.Language, t.OS, t.Runtime, t.Framework, t.Hardware} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " / ")
}
