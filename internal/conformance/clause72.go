package conformance

import (
	"fmt"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// The items of IEC 81001-5-1 clause 7.2 (from IEC 62443-4-1 SR-2), one
// requirement each, paraphrased.

func checkModelExists(c *checker) outcome {
	s := &c.m.System
	ev := []assessment.Evidence{c.at("system", s.ID, s.Pos(), "")}
	var missing []string
	if s.ID == "" {
		missing = append(missing, "system.id")
	}
	if s.Document.ID == "" {
		missing = append(missing, "system.document.id")
	}
	if s.Document.Version == "" {
		missing = append(missing, "system.document.version")
	}
	if len(missing) > 0 {
		return fail("the threat model is not identified as a controlled document: missing "+listIDs(missing),
			"set system.id, system.document.id and system.document.version", ev)
	}
	return pass(fmt.Sprintf("threat model %s version %s for %s", s.Document.ID, s.Document.Version, s.Name), ev)
}

func checkCIA(c *checker) outcome {
	var ev []assessment.Evidence
	var unrated []string
	for i := range c.m.Data {
		d := &c.m.Data[i]
		var missing []string
		for _, need := range []struct{ name, level string }{
			{"confidentiality", d.Confidentiality}, {"integrity", d.Integrity}, {"availability", d.Availability},
		} {
			if need.level == "" {
				missing = append(missing, need.name)
			}
		}
		if len(missing) > 0 {
			unrated = append(unrated, d.ID+" ("+joinAnd(missing)+")")
			ev = append(ev, c.at("data", d.ID, d.Pos(), joinAnd(missing)+" not rated"))
		}
	}
	if len(c.m.Data) == 0 {
		return fail("no data is categorized, so impacts on confidentiality, integrity and availability cannot be stated",
			"add data entries with category and confidentiality, integrity and availability levels", nil)
	}
	if len(unrated) > 0 {
		return fail(fmt.Sprintf("%s without a complete CIA rating: %s", diag.Count(len(unrated), "data item", "data items"), listIDs(unrated)),
			"set confidentiality, integrity and availability (low, medium or high) on each data entry", ev)
	}

	noImpact := c.threatsWhere(func(t *threat.Threat) bool {
		return t.Impact.Confidentiality == "" && t.Impact.Integrity == "" && t.Impact.Availability == ""
	})
	if len(noImpact) > 0 {
		return fail(fmt.Sprintf("%s %s no impact on confidentiality, integrity or availability", diag.Count(len(noImpact), "threat", "threats"), diag.Agree(len(noImpact), "states", "state")),
			"set impact on the hand-written threats listed", threatEvidence(noImpact, nil))
	}
	if len(c.threats) == 0 {
		return fail("no threats are identified, so no impacts are documented",
			"add elements, flows and interfaces so the methods can identify threats", nil)
	}
	return pass(fmt.Sprintf("%s rated for CIA; every one of %s states its CIA impact",
		diag.Count(len(c.m.Data), "data item", "data items"), diag.Count(len(c.threats), "threat", "threats")), nil)
}

func checkDataFlows(c *checker) outcome {
	if len(c.m.Flows) == 0 {
		return fail("no information flows are documented", "add flows between elements, each listing the data it carries", nil)
	}
	var ev []assessment.Evidence
	var bare []string
	for i := range c.m.Flows {
		f := &c.m.Flows[i]
		if len(f.Data) == 0 {
			bare = append(bare, f.ID)
			ev = append(ev, c.at("flow", f.ID, f.Pos(), "carries no categorized data"))
		}
	}
	if len(bare) > 0 {
		return fail(fmt.Sprintf("%s %s no categorized data: %s", diag.Count(len(bare), "flow", "flows"), diag.Agree(len(bare), "carries", "carry"), listIDs(bare)),
			"list the data IDs each flow carries under its data key", ev)
	}
	return pass(fmt.Sprintf("%s, each carrying categorized data from %s", diag.Count(len(c.m.Flows), "flow", "flows"),
		diag.Count(len(c.m.Data), "data item", "data items")), nil)
}

func checkBoundaries(c *checker) outcome {
	if len(c.m.Boundaries) == 0 {
		return fail("no trust boundaries are documented",
			"add boundaries (physical, network, process, cloud, organization) and place elements in them", nil)
	}
	var ev []assessment.Evidence
	var outside []string
	for i := range c.m.Elements {
		e := &c.m.Elements[i]
		if e.Boundary == "" && e.Kind != "entity" {
			outside = append(outside, e.ID)
			ev = append(ev, c.at("element", e.ID, e.Pos(), "in no trust boundary"))
		}
	}
	if len(outside) > 0 {
		return fail(fmt.Sprintf("%s of the product %s in no trust boundary: %s", diag.Count(len(outside), "element", "elements"), diag.Agree(len(outside), "sits", "sit"), listIDs(outside)),
			"set boundary on each process and store", ev)
	}
	return pass(fmt.Sprintf("%s; every process and store is placed in one", diag.Count(len(c.m.Boundaries), "trust boundary", "trust boundaries")), nil)
}

// checkElementKind returns the check that at least one element of kind
// exists; singular and plural name such elements in messages.
func checkElementKind(kind, singular, plural, fix string) func(c *checker) outcome {
	return func(c *checker) outcome {
		var ev []assessment.Evidence
		for i := range c.m.Elements {
			e := &c.m.Elements[i]
			if e.Kind == kind {
				ev = append(ev, c.at("element", e.ID, e.Pos(), e.Name))
			}
		}
		if len(ev) == 0 {
			return fail("no "+plural+" are documented", fix, nil)
		}
		return pass(diag.Count(len(ev), singular, plural)+" documented", ev)
	}
}

func checkProtocols(c *checker) outcome {
	var ev []assessment.Evidence
	var unnamed []string
	internal, external := map[string]int{}, map[string]int{}
	for i := range c.m.Flows {
		f := &c.m.Flows[i]
		if f.Protocol.Name == "" {
			unnamed = append(unnamed, f.ID)
			ev = append(ev, c.at("flow", f.ID, f.Pos(), "no protocol"))
			continue
		}
		if c.crossesBoundary(f) {
			external[f.Protocol.Name]++
		} else {
			internal[f.Protocol.Name]++
		}
	}
	if len(c.m.Flows) == 0 {
		return fail("no flows, so no protocols are documented", "add flows with protocol.name", nil)
	}
	if len(unnamed) > 0 {
		return fail(fmt.Sprintf("%s %s no protocol: %s", diag.Count(len(unnamed), "flow", "flows"), diag.Agree(len(unnamed), "names", "name"), listIDs(unnamed)),
			"set protocol.name (and version and port where they apply) on each flow", ev)
	}
	if len(external) == 0 {
		return pass("no flow crosses a trust boundary; protocols inside boundaries: "+countKinds(internal), nil)
	}
	msg := "protocols across trust boundaries: " + countKinds(external)
	if len(internal) > 0 {
		msg += "; inside boundaries: " + countKinds(internal)
	}
	return pass(msg, nil)
}

// interfacesWhere returns the interfaces that satisfy keep.
func (c *checker) interfacesWhere(keep func(*model.Interface) bool) []*model.Interface {
	var out []*model.Interface
	for i := range c.m.Interfaces {
		if keep(&c.m.Interfaces[i]) {
			out = append(out, &c.m.Interfaces[i])
		}
	}
	return out
}

func interfaceEvidence(c *checker, ifs []*model.Interface) []assessment.Evidence {
	ev := make([]assessment.Evidence, 0, len(ifs))
	for _, f := range ifs {
		note := f.Kind + ", " + f.Exposure
		if f.IsDebug() {
			note += ", debug"
		}
		if f.Production != "" {
			note += ", " + f.Production + " in production"
		}
		ev = append(ev, c.at("interface", f.ID, f.Pos(), note))
	}
	return ev
}

func checkPhysicalPorts(c *checker) outcome {
	ports := c.interfacesWhere(func(f *model.Interface) bool { return f.Exposure == "external" })
	if len(ports) == 0 {
		return fail("no externally accessible physical ports are documented",
			"add interfaces with exposure: external (USB, serial, memory card, Ethernet, ...) including debug ports, "+
				"or record why the product has none under system.not_applicable with key tm.physical-ports", nil)
	}
	debug := 0
	for _, p := range ports {
		if p.IsDebug() {
			debug++
		}
	}
	return pass(fmt.Sprintf("%s, %d of them debug ports", diag.Count(len(ports), "external port", "external ports"), debug), interfaceEvidence(c, ports))
}

func checkBoardConnections(c *checker) outcome {
	conns := c.interfacesWhere(func(f *model.Interface) bool { return f.Exposure == "board" || f.Exposure == "enclosure" })
	if len(conns) == 0 {
		return fail("no circuit board connections are documented",
			"add interfaces with exposure: board or enclosure for JTAG, SWD, UART headers, test points and chip buses, "+
				"or record why there are none under system.not_applicable with key tm.board-connections", nil)
	}
	return pass(diag.Count(len(conns), "board or enclosure connection", "board or enclosure connections"), interfaceEvidence(c, conns))
}

func checkAttackVectors(c *checker) outcome {
	counts := map[string]int{}
	for _, t := range c.threats {
		counts[t.Vector]++
	}
	if len(c.threats) == 0 {
		return fail("no threats, so no attack vectors are documented", "add elements, flows and interfaces so threats can be identified", nil)
	}
	if n := counts[""]; n > 0 {
		missing := c.threatsWhere(func(t *threat.Threat) bool { return t.Vector == "" })
		return fail(fmt.Sprintf("%s without an attack vector", diag.Count(n, "threat", "threats")),
			"set vector (network, adjacent, local or physical) on the hand-written threats listed", threatEvidence(missing, nil))
	}
	hardware := len(c.m.Interfaces) > 0
	if hardware && counts["physical"] == 0 {
		return fail("the model has interfaces but no threat with a physical (hardware) attack vector",
			"check that interfaces are in scope and not all suppressed; hardware attack vectors must be covered", nil)
	}
	return pass("attack vectors: "+countKinds(counts), nil)
}

func checkThreats(c *checker) outcome {
	if len(c.threats) == 0 {
		return fail("no threats are identified", "add elements, flows and interfaces, or hand-written threats", nil)
	}
	status := map[string]int{}
	for _, t := range c.threats {
		status[t.Disposition.Status]++
	}
	return pass(fmt.Sprintf("%s identified (%s)", diag.Count(len(c.threats), "threat", "threats"), countKinds(status)), nil)
}

func checkIssues(c *checker) outcome {
	if len(c.m.Issues) == 0 {
		return fail("no security-related issues are documented",
			"list known security-related issues under issues (from tests, reports and known vulnerabilities), "+
				"or record that none are known under system.not_applicable with key tm.security-issues", nil)
	}
	ev := make([]assessment.Evidence, 0, len(c.m.Issues))
	for i := range c.m.Issues {
		is := &c.m.Issues[i]
		ev = append(ev, c.at("issue", is.ID, is.Pos(), is.Status))
	}
	return pass(diag.Count(len(c.m.Issues), "security-related issue", "security-related issues")+" documented", ev)
}

func checkDependencies(c *checker) outcome {
	if len(c.m.Dependencies) == 0 {
		return fail("no external dependencies are documented",
			"add dependencies (operating system, drivers, libraries, third-party applications), "+
				"or import an SBOM with ward sbom import", nil)
	}
	kinds := map[string]int{}
	for _, d := range c.m.Dependencies {
		k := d.Kind
		if k == "" {
			k = "unclassified"
		}
		kinds[k]++
	}
	return pass(fmt.Sprintf("%s (%s)", diag.Count(len(c.m.Dependencies), "external dependency", "external dependencies"), countKinds(kinds)), nil)
}
