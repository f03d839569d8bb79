package interop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
)

// This file maps the TMBOM items that refer to other items: data flows,
// the data entries of CycloneDX services, mitigations, threats, and the
// components that are not part of the threat model.

func (t *tmbomImport) flows() {
	for _, it := range t.itemsOf(tmbomFlowTypes...) {
		src, dst := it.prop("dataflow:source"), it.prop("dataflow:destination")
		from, ok1 := t.ids.lookup("element", src)
		to, ok2 := t.ids.lookup("element", dst)
		if !ok1 || !ok2 {
			t.drop("%s: dataflow %q from %q to %q: both ends must be elements of the BOM", it.n.pos, it.name(), src, dst)
			continue
		}
		name := it.name()
		it.id = t.ids.assign("flow", it.ref, readableID(it.ref, name), "flow")
		fl := model.Flow{ID: it.id, Name: name, Description: it.n.get("description").text(), From: from, To: to, Attributes: t.attributes(it)}
		fl.Bidirectional = strings.EqualFold(it.prop("dataflow:isBidirectional"), "true")
		fl.Protocol.Port = it.prop("dataflow:port:destination")

		proto := it.prop("dataflow:protocol")
		if proto != "" {
			fl.Protocol.Name = t.protocol(proto)
		}
		if enc := it.prop("dataflow:isEncrypted"); enc != "" {
			fl.Encryption = boolPtr(strings.EqualFold(enc, "true"))
		} else if enc, known := encryptedProtocol(proto); known {
			fl.Encryption = boolPtr(enc)
			t.infer("flows", it.id, "encryption", "from the protocol "+proto, "flow encryption taken from protocols")
		}
		fl.Authentication = tmbomAuthentication(it.prop("dataflow:authenticatesSource"), it.prop("dataflow:authenticatesDestination"))

		for _, v := range it.props[tmbomPrefix+"dataflow:data"] {
			if did := t.dataFor(v); did != "" && !slices.Contains(fl.Data, did) {
				fl.Data = append(fl.Data, did)
			}
		}
		if tags := it.props[tmbomPrefix+"tag"]; len(tags) > 0 {
			if fl.Attributes == nil {
				fl.Attributes = map[string]any{}
			}
			fl.Attributes["tags"] = toAnySlice(tags)
		}
		t.m.Flows = append(t.m.Flows, fl)
	}
	for _, sd := range t.serviceData {
		t.serviceFlows(sd)
	}
}

// tmbomAuthentication maps the pytm-style flags of a flow to Ward's
// authentication; both empty gives "".
func tmbomAuthentication(source, destination string) string {
	s, d := strings.EqualFold(source, "true"), strings.EqualFold(destination, "true")
	switch {
	case s && d:
		return "mutual"
	case s || d:
		return "one-way"
	case source != "" || destination != "":
		return "none"
	}
	return ""
}

// dataFor returns the data item a flow's dataflow:data value names: an
// asset by bom-ref, or else a data item named by the text, made once per
// text.
func (t *tmbomImport) dataFor(value string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		return ""
	}
	if id, ok := t.ids.lookup("data", value); ok {
		return id
	}
	if id, ok := t.ids.lookup("data-text", value); ok {
		return id
	}
	id := t.ids.assign("data-text", value, value, "data")
	t.addData(model.Data{ID: id, Name: value})
	t.note("data", id, "made from the text of a TMBOM dataflow's data property")
	return id
}

// serviceFlows maps the data entries of a CycloneDX service. Each entry
// names its direction and the other ends as bom-refs or BOM-Links. The data
// goes on the service and on a flow to or from each end found in the BOM.
func (t *tmbomImport) serviceFlows(sd tmbomServiceData) {
	svc := elementIn(t.m, sd.id)
	for _, d := range sd.n.get("data").list() {
		name := firstNonEmpty(d.get("name").text(), d.get("classification").text())
		did := ""
		if name != "" {
			did = t.dataFor(name)
			if !slices.Contains(svc.Stores, did) {
				svc.Stores = append(svc.Stores, did)
			}
		}
		direction := strings.ToLower(d.get("flow").text())
		ends := func(key string) []string {
			var out []string
			for _, ref := range d.get(key).strings() {
				if _, frag, ok := strings.Cut(ref, "#"); ok && strings.HasPrefix(ref, "urn:cdx:") {
					ref = frag
				}
				if id, ok := t.ids.lookup("element", ref); ok && id != sd.id {
					out = append(out, id)
				} else if !ok {
					t.drop("%s: service %q exchanges %q with %q, which is not an element of the BOM", d.pos, svc.Name, name, ref)
				}
			}
			return out
		}
		sources, destinations := ends("source"), ends("destination")
		add := func(from, to string, both bool) {
			id := t.ids.assign("flow", "", svc.Name+" "+firstNonEmpty(name, "data")+" "+direction, "flow")
			fl := model.Flow{ID: id, Name: name, Description: d.get("description").text(), From: from, To: to, Bidirectional: both}
			if did != "" {
				fl.Data = []string{did}
			}
			t.m.Flows = append(t.m.Flows, fl)
		}
		switch direction {
		case "inbound":
			for _, s := range append(sources, destinations...) {
				add(s, sd.id, false)
			}
		case "outbound":
			for _, s := range append(destinations, sources...) {
				add(sd.id, s, false)
			}
		case "bi-directional":
			for _, s := range append(sources, destinations...) {
				add(sd.id, s, true)
			}
		default:
			for _, s := range sources {
				add(s, sd.id, false)
			}
			for _, s := range destinations {
				add(sd.id, s, false)
			}
		}
	}
}

// tmbomControlStatus maps mitigation statuses to control statuses.
func tmbomControlStatus(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "implemented", "active", "done", "verified", "mitigated", "assumed":
		return "implemented"
	case "":
		return ""
	}
	return "planned"
}

func (t *tmbomImport) controls() {
	for _, it := range t.itemsOf(tmbomControlTypes...) {
		name := firstNonEmpty(it.name(), it.ref)
		it.id = t.ids.assign("control", it.ref, readableID(it.ref, name), "control")
		c := model.Control{ID: it.id, Name: name, Description: it.n.get("description").text()}
		if cat := it.prop("mitigation:category"); model.ControlCategories.Has(cat) {
			c.Category = cat
		} else {
			cat, matched := guessControlCategory(name + " " + c.Description)
			c.Category = cat
			reason := "guessed from words in the name and description; check it"
			if !matched {
				reason = "no word matched, so the default was used; check it"
			}
			t.infer("controls", it.id, "category", reason, "control categories guessed")
		}
		c.Status = tmbomControlStatus(it.prop("mitigation:status"))
		if r := it.prop("mitigation:riskReduction"); r != "" {
			t.note("controls", it.id, "TMBOM risk reduction: "+r)
		}
		t.m.Controls = append(t.m.Controls, c)
	}
}

// controlsOf returns the controls that mitigate a threat item: those that
// name it in mitigation:threat and those nested inside it.
func (t *tmbomImport) controlsOf(threat *tmbomItem) []string {
	var out []string
	for _, it := range t.itemsOf(tmbomControlTypes...) {
		if it.parent == threat || slices.Contains(it.props[tmbomPrefix+"mitigation:threat"], threat.ref) {
			out = append(out, it.id)
		}
	}
	return out
}

func (t *tmbomImport) threats() {
	systemID := ""
	for _, it := range t.itemsOf(tmbomThreatTypes...) {
		name := firstNonEmpty(it.name(), it.ref)
		var targets []string
		for _, ref := range it.props[tmbomPrefix+"threat:target"] {
			ref = strings.TrimSpace(ref)
			if id, ok := t.ids.lookup("element", ref); ok {
				targets = append(targets, id)
			} else if id, ok := t.ids.lookup("flow", ref); ok {
				targets = append(targets, id)
			} else {
				t.drop("%s: threat %q targets %q, which is not an element or dataflow of the BOM", it.n.pos, name, ref)
			}
		}
		if p := it.parent; p != nil && p.id != "" && (elementIn(t.m, p.id) != nil || slices.ContainsFunc(t.m.Flows, func(f model.Flow) bool { return f.ID == p.id })) {
			targets = append(targets, p.id)
		}
		inferred := false
		if len(targets) == 0 {
			if systemID == "" {
				systemID = t.systemElement()
			}
			targets, inferred = []string{systemID}, true
		}

		controls := t.controlsOf(it)
		for i, target := range targets {
			preferred := readableID(it.ref, name)
			if i > 0 {
				preferred += "-" + target
			}
			id := t.ids.assign("threat", "", preferred, "threat")
			te := model.ThreatEntry{ID: id, Title: name, Description: it.n.get("description").text(), Element: target,
				Status: otmState(firstNonEmpty(it.prop("threat:status"), it.prop("threat:state"))), Justification: it.prop("threat:justification"),
				Controls: slices.Clone(controls)}
			stride := strings.ReplaceAll(strings.ToLower(firstNonEmpty(it.prop("threat:stride"), it.prop("threat:category"))), " ", "-")
			if model.STRIDECategories.Has(stride) {
				te.STRIDE = stride
			}
			if inferred {
				t.infer("threats", id, "element", "the TMBOM threat names no target", "threat targets missing in the source")
			}
			for _, k := range []string{"threat:severity", "threat:likelihood", "threat:cwe", "threat:capec"} {
				for _, v := range it.props[tmbomPrefix+k] {
					t.note("threats", id, fmt.Sprintf("TMBOM %s: %s", strings.TrimPrefix(k, "threat:"), v))
				}
			}
			t.m.Threats = append(t.m.Threats, te)
		}
	}
}

// systemElement adds the process that stands for the whole system as the
// target of threats that name none.
func (t *tmbomImport) systemElement() string {
	id := t.ids.assign("element", "", "whole system", "system")
	t.m.Elements = append(t.m.Elements, model.Element{ID: id, Kind: "process", Name: "Whole system"})
	t.note("elements", id, "inferred: threats without a target need one; this process stands for the whole system. Move each threat to the element it concerns.")
	return id
}

// tmbomDependencyKinds maps CycloneDX component types to dependency kinds.
var tmbomDependencyKinds = map[string]string{
	"library": "library", "framework": "library", "machine-learning-model": "library",
	"application": "application", "container": "application", "platform": "application",
	"operating-system": "os", "firmware": "firmware", "device-driver": "driver", "device": "hardware",
}

// dependencies maps the components that are not threat-model items.
func (t *tmbomImport) dependencies() {
	for _, c := range t.others {
		typ := c.get("type").text()
		name := c.get("name").text()
		if g := c.get("group").text(); g != "" {
			name = g + "/" + name
		}
		kind, ok := tmbomDependencyKinds[typ]
		if !ok || name == "" {
			t.drop("%s: CycloneDX component %q of type %q: Ward keeps only software and hardware dependencies", c.pos, name, typ)
			continue
		}
		ref := c.get("bom-ref").text()
		id := t.ids.assign("dependency", ref, name, "dependency")
		d := model.Dependency{ID: id, Name: name, Kind: kind, Version: c.get("version").text(), Purl: c.get("purl").text(), CPE: c.get("cpe").text(),
			Supplier: c.get("supplier").get("name").text()}
		for _, l := range c.get("licenses").list() {
			if lid := firstNonEmpty(l.get("license").get("id").text(), l.get("expression").text()); lid != "" {
				d.License = lid
				break
			}
		}
		t.m.Dependencies = append(t.m.Dependencies, d)
	}
}

func (t *tmbomImport) dropUnmapped(root *node) {
	for _, g := range t.groups {
		t.note("system", "", fmt.Sprintf("TMBOM threat model %q: %s", g.name(), oneLine(g.n.get("description").text())))
	}
	if len(t.groups) > 1 {
		t.drop("threat models and diagrams (%d): Ward merges them into one model", len(t.groups))
	}
	if t.layout > 0 {
		items := "items"
		if t.layout == 1 {
			items = "item"
		}
		t.drop("diagram layout (cdx:model:shape properties) of %d %s: Ward draws its own diagrams", t.layout, items)
	}
	if n := len(root.get("vulnerabilities").list()); n > 0 {
		t.drop("vulnerabilities (%d): known vulnerabilities of dependencies are matched by ward vulns, not imported as threats", n)
	}
	if n := len(root.get("compositions").list()) + len(root.get("dependencies").list()); n > 0 {
		t.drop("compositions and dependency graph entries (%d): Ward has no place for them", n)
	}
}
