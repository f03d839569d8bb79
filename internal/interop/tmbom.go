package interop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// This file reads threat model BOMs (TMBOM): CycloneDX 1.6 JSON in which
// components of type "threat-model" describe the model. Each has a
// cdx:model:type property (boundary, actor, server, datastore, dataflow,
// asset, ...) and further cdx:model:* properties, as in the TMBOM examples
// of OWASP Threat Dragon 2.2. A component of type threat-model without
// cdx:model:type groups the others (a threat model or diagram).
//
// NOTE: those examples carry no threats or mitigations, and the TMBOM
// proposal names no properties for them. Ward reads cdx:model:type threat
// and mitigation components whose properties follow the same
// cdx:model:<type>:<field> pattern (threat:target, threat:status,
// threat:stride, mitigation:threat, mitigation:status); a threat or
// mitigation nested inside an element or threat component applies to it.
//
// Standard CycloneDX services become processes (entities when using them
// crosses a trust boundary), with their trustZone as a boundary and their
// data entries as flows. Other components become dependencies.

const tmbomPrefix = "cdx:model:"

// importTMBOM reads a CycloneDX threat model BOM.
func importTMBOM(file string, data []byte) (*Result, error) {
	root, err := parseJSON(file, data)
	if err != nil {
		return nil, err
	}
	if !root.isMap() || !strings.EqualFold(root.get("bomFormat").text(), "CycloneDX") {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-tmbom", `the file is not a CycloneDX BOM: bomFormat "CycloneDX" is missing`,
			"check that the file is a CycloneDX threat model BOM")
	}
	t := &tmbomImport{builder: newBuilder(TMBOM, file), byRef: map[string]*tmbomItem{}}
	t.metadata(root.get("metadata"))
	t.collect(root.get("components"), nil, 0)
	t.boundaries()
	t.elements()
	t.assets()
	t.services(root.get("services"), 0)
	t.flows()
	t.controls()
	t.threats()
	t.dependencies()
	t.dropUnmapped(root)

	meta := root.get("metadata").get("component")
	return t.finish(meta.get("name").text(), meta.get("description").text()), nil
}

// tmbomItem is one threat-model component with its properties.
type tmbomItem struct {
	n      *node
	ref    string
	typ    string
	props  map[string][]string
	order  []string
	parent *tmbomItem
	// id is the Ward ID the item received.
	id string
}

func (it *tmbomItem) prop(name string) string {
	if v := it.props[tmbomPrefix+name]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

func (it *tmbomItem) name() string { return oneLine(it.n.get("name").text()) }

type tmbomImport struct {
	*builder
	items []*tmbomItem
	byRef map[string]*tmbomItem
	// groups are threat-model components without a type, such as the
	// threat model or a diagram, which hold the others.
	groups []*tmbomItem
	// others are components of other types, which become dependencies.
	others []*node
	// serviceData keeps each CycloneDX service with its element ID until
	// flows() reads its data entries.
	serviceData []tmbomServiceData
	// layout counts components that carried diagram layout properties.
	layout int
}

type tmbomServiceData struct {
	id string
	n  *node
}

func (t *tmbomImport) metadata(meta *node) {
	s := &t.m.System
	c := meta.get("component")
	s.Version = c.get("version").text()
	var authors []string
	for _, a := range meta.get("authors").list() {
		if n := a.get("name").text(); n != "" {
			authors = append(authors, n)
		}
	}
	s.Document.Owner = strings.Join(authors, ", ")
	if ts := meta.get("timestamp").text(); ts != "" {
		t.note("system", "", "TMBOM timestamp: "+ts)
	}
	var phases []string
	for _, l := range meta.get("lifecycles").list() {
		phases = append(phases, firstNonEmpty(l.get("phase").text(), l.get("name").text()))
	}
	if len(phases) > 0 {
		t.note("system", "", "CycloneDX lifecycle phases: "+strings.Join(phases, ", "))
	}
	var tools []string
	for _, tool := range append(meta.get("tools").get("components").list(), meta.get("tools").list()...) {
		if n := tool.get("name").text(); n != "" {
			tools = append(tools, strings.TrimSpace(n+" "+tool.get("version").text()))
		}
	}
	if len(tools) > 0 {
		t.note("system", "", "made with: "+strings.Join(tools, ", "))
	}
}

// collect walks the components tree and sorts threat-model components
// by their cdx:model:type.
func (t *tmbomImport) collect(list *node, parent *tmbomItem, depth int) {
	if depth > maxDepth {
		return
	}
	for _, c := range list.list() {
		if !strings.EqualFold(c.get("type").text(), "threat-model") {
			t.others = append(t.others, c)
			t.collect(c.get("components"), parent, depth+1)
			continue
		}
		it := &tmbomItem{n: c, ref: c.get("bom-ref").text(), props: map[string][]string{}, parent: parent}
		for _, p := range c.get("properties").list() {
			name := p.get("name").text()
			if name == "" {
				continue
			}
			if _, seen := it.props[name]; !seen {
				it.order = append(it.order, name)
			}
			it.props[name] = append(it.props[name], p.get("value").str())
		}
		if len(it.props[tmbomPrefix+"shape"]) > 0 || len(it.props[tmbomPrefix+"shape:x"]) > 0 {
			t.layout++
		}
		it.typ = strings.ToLower(it.prop("type"))
		if it.typ == "" && c.get("components") != nil {
			it.typ = "group"
		}
		if it.typ == "diagram" {
			it.typ = "group"
		}
		if it.ref != "" {
			if _, dup := t.byRef[it.ref]; dup {
				t.drop("%s: bom-ref %q is used twice; references go to the first", c.get("bom-ref").pos, it.ref)
			} else {
				t.byRef[it.ref] = it
			}
		}
		if it.typ == "group" {
			t.groups = append(t.groups, it)
		} else {
			t.items = append(t.items, it)
		}
		t.collect(c.get("components"), it, depth+1)
	}
}

// itemsOf returns the items whose type is one of types, in file order.
func (t *tmbomImport) itemsOf(types ...string) []*tmbomItem {
	var out []*tmbomItem
	for _, it := range t.items {
		if slices.Contains(types, it.typ) {
			out = append(out, it)
		}
	}
	return out
}

var (
	tmbomBoundaryTypes = []string{"boundary", "trustzone", "trust-zone", "trust_zone"}
	tmbomEntityTypes   = []string{"actor", "externalentity", "external-entity", "external_entity", "entity"}
	tmbomStoreTypes    = []string{"datastore", "data-store", "data_store", "store", "database"}
	tmbomProcessTypes  = []string{"process", "server", "lambda", "setofprocesses", "service", "component"}
	tmbomFlowTypes     = []string{"dataflow", "data-flow", "flow"}
	tmbomAssetTypes    = []string{"asset", "data"}
	tmbomThreatTypes   = []string{"threat"}
	tmbomControlTypes  = []string{"mitigation", "control"}
	tmbomCodeTypes     = []string{"repository", "code"}
)

// handled lists every type an import step reads; the rest are processes.
func tmbomHandled(typ string) bool {
	for _, list := range [][]string{tmbomBoundaryTypes, tmbomFlowTypes, tmbomAssetTypes, tmbomThreatTypes, tmbomControlTypes, tmbomCodeTypes} {
		if slices.Contains(list, typ) {
			return true
		}
	}
	return false
}

func (t *tmbomImport) boundaries() {
	list := t.itemsOf(tmbomBoundaryTypes...)
	for _, it := range list {
		name := firstNonEmpty(it.name(), it.ref)
		it.id = t.ids.assign("boundary", it.ref, readableID(it.ref, name), "boundary")
		kind, known := otmZoneKind(name)
		t.m.Boundaries = append(t.m.Boundaries, model.Boundary{ID: it.id, Name: name, Description: it.n.get("description").text(), Kind: kind})
		if !known {
			t.infer("boundaries", it.id, "kind", "TMBOM boundaries have no kind", "boundary kinds guessed")
		}
		if r := it.prop("risk:trustRating"); r != "" {
			t.note("boundaries", it.id, "TMBOM trust rating: "+r)
		}
	}
	for i, it := range list {
		parent := it.prop("inBoundary")
		if parent == "" {
			continue
		}
		pid, ok := t.ids.lookup("boundary", parent)
		switch {
		case !ok:
			t.drop("%s: boundary %q is in boundary %q, which is not a boundary of the BOM", it.n.pos, it.name(), parent)
		case pid == it.id || isAncestor(boundaryIndex(t.m), it.id, pid):
			t.drop("%s: boundary %q in %q would make a cycle", it.n.pos, it.name(), parent)
		default:
			t.m.Boundaries[i].Parent = pid
		}
	}
}

// elementKind returns the element kind of an item type, and false when the
// type is not one Ward maps, so the kind is a guess.
func elementKind(typ string) (string, bool) {
	switch {
	case slices.Contains(tmbomEntityTypes, typ):
		return "entity", true
	case slices.Contains(tmbomStoreTypes, typ):
		return "store", true
	case slices.Contains(tmbomProcessTypes, typ):
		return "process", true
	}
	return "process", false
}

// tmbomKnownProps are the properties an import step reads; others are
// kept as attributes.
var tmbomKnownProps = []string{"type", "inBoundary", "inScope", "tag", "dataflow:source", "dataflow:destination", "dataflow:protocol",
	"dataflow:port:destination", "dataflow:data", "dataflow:isBidirectional", "dataflow:isEncrypted", "dataflow:authenticatesDestination",
	"dataflow:authenticatesSource", "processedBy", "storedBy", "risk:trustRating", "risk:confidentiality", "risk:integrity",
	"risk:availability", "risk:privacy", "risk:description", "datastore:isEncrypted", "isEncrypted", "OS"}

// attributes returns the cdx:model:* properties no import step reads,
// without the prefix and without the diagram layout (shape) properties.
func (t *tmbomImport) attributes(it *tmbomItem) map[string]any {
	out := map[string]any{}
	for _, name := range it.order {
		short, ok := strings.CutPrefix(name, tmbomPrefix)
		switch {
		case !ok:
			short = name
		case short == "shape" || strings.HasPrefix(short, "shape:"):
			continue
		case slices.Contains(tmbomKnownProps, short):
			continue
		}
		key := strings.ReplaceAll(short, ":", "_")
		if vals := it.props[name]; len(vals) == 1 {
			out[key] = vals[0]
		} else {
			out[key] = toAnySlice(vals)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (t *tmbomImport) elements() {
	for _, it := range t.items {
		if tmbomHandled(it.typ) {
			continue
		}
		kind, known := elementKind(it.typ)
		name := firstNonEmpty(it.name(), it.ref)
		it.id = t.ids.assign("element", it.ref, readableID(it.ref, name), kind)
		e := model.Element{ID: it.id, Kind: kind, Name: name, Description: it.n.get("description").text(), Attributes: t.attributes(it)}
		if !known {
			t.infer("elements", it.id, "kind", fmt.Sprintf("TMBOM type %q is not a Ward element kind; taken as a process", it.typ), "element kinds guessed")
		}
		if it.typ != "" && it.typ != kind {
			if e.Attributes == nil {
				e.Attributes = map[string]any{}
			}
			e.Attributes["tmbom_type"] = it.typ
		}
		if b := it.prop("inBoundary"); b != "" {
			if bid, ok := t.ids.lookup("boundary", b); ok {
				e.Boundary = bid
			} else {
				t.drop("%s: element %q is in boundary %q, which is not a boundary of the BOM", it.n.pos, name, b)
			}
		}
		e.Technology.OS = it.prop("OS")
		if strings.EqualFold(it.prop("inScope"), "false") {
			e.Scope = model.Scope{Out: true, Reason: "marked out of scope in the TMBOM"}
		}
		if enc := firstNonEmpty(it.prop("datastore:isEncrypted"), it.prop("isEncrypted")); enc != "" && kind == "store" {
			e.Encrypted = boolPtr(strings.EqualFold(enc, "true"))
		}
		for _, tag := range it.props[tmbomPrefix+"tag"] {
			if tag = strings.TrimSpace(tag); tag != "" && !slices.Contains(e.Tags, tag) {
				e.Tags = append(e.Tags, tag)
			}
		}
		t.m.Elements = append(t.m.Elements, e)
	}
	for _, it := range t.itemsOf(tmbomCodeTypes...) {
		t.drop("%s: %s %q: Ward has no place for source code locations", it.n.pos, it.typ, it.name())
	}
}

// assets maps asset items to data, with levels from the OTM-style risk
// values (0 to 100) and the elements that process or store them.
func (t *tmbomImport) assets() {
	for _, it := range t.itemsOf(tmbomAssetTypes...) {
		name := firstNonEmpty(it.name(), it.ref)
		it.id = t.ids.assign("data", it.ref, readableID(it.ref, name), "data")
		level := func(p string) string {
			return otmLevel(&node{kind: kindScalar, scalar: it.prop(p)})
		}
		d := model.Data{ID: it.id, Name: name, Description: it.n.get("description").text(),
			Confidentiality: level("risk:confidentiality"), Integrity: level("risk:integrity"), Availability: level("risk:availability")}
		var risk []string
		for _, k := range []string{"confidentiality", "integrity", "availability"} {
			if v := it.prop("risk:" + k); v != "" {
				risk = append(risk, k+" "+v)
			}
		}
		if len(risk) > 0 {
			t.note("data", it.id, "TMBOM risk: "+strings.Join(risk, ", ")+" (0 to 100, mapped to low, medium, high)")
		}
		if p := it.prop("risk:privacy"); p != "" {
			t.note("data", it.id, "TMBOM privacy risk: "+p)
		}
		if r := it.prop("risk:description"); r != "" {
			t.note("data", it.id, "TMBOM risk rationale: "+oneLine(r))
		}
		t.addData(d)
		for _, key := range []string{"processedBy", "storedBy"} {
			for _, ref := range it.props[tmbomPrefix+key] {
				if e := t.element(ref); e != nil {
					if !slices.Contains(e.Stores, it.id) {
						e.Stores = append(e.Stores, it.id)
					}
				} else {
					t.drop("%s: asset %q is %s %q, which is not an element of the BOM", it.n.pos, name, key, ref)
				}
			}
		}
	}
}

// element returns the element a bom-ref names, or nil.
func (t *tmbomImport) element(ref string) *model.Element {
	id, ok := t.ids.lookup("element", strings.TrimSpace(ref))
	if !ok {
		return nil
	}
	return elementIn(t.m, id)
}

// services maps standard CycloneDX services. Their data entries become
// flows in flows(), once every service has an ID.
func (t *tmbomImport) services(list *node, depth int) {
	if depth > maxDepth {
		return
	}
	for _, s := range list.list() {
		ref := s.get("bom-ref").text()
		name := firstNonEmpty(s.get("name").text(), ref)
		kind := "process"
		if s.get("x-trust-boundary").boolean() {
			kind = "entity"
		}
		id := t.ids.assign("element", ref, readableID(ref, name), kind)
		e := model.Element{ID: id, Kind: kind, Name: name, Description: s.get("description").text(), Tags: s.get("tags").strings()}
		if kind == "entity" {
			t.infer("elements", id, "kind", "the CycloneDX service is marked x-trust-boundary, so using it crosses a trust boundary", "element kinds guessed")
		}
		attrs := map[string]any{"cyclonedx_service": true}
		if eps := s.get("endpoints").strings(); len(eps) > 0 {
			attrs["endpoints"] = toAnySlice(eps)
		}
		if a := s.get("authenticated"); a != nil && a.kind == kindScalar {
			attrs["authenticated"] = a.boolean()
		}
		if p := s.get("provider").get("name").text(); p != "" {
			attrs["provider"] = p
		}
		if v := s.get("version").text(); v != "" {
			attrs["version"] = v
		}
		e.Attributes = attrs
		if z := s.get("trustZone").text(); z != "" {
			e.Boundary = t.namedZone(z)
		}
		t.m.Elements = append(t.m.Elements, e)
		t.serviceData = append(t.serviceData, tmbomServiceData{id: id, n: s})
		t.services(s.get("services"), depth+1)
	}
}

// namedZone returns the boundary for a CycloneDX trustZone name.
func (t *tmbomImport) namedZone(name string) string {
	if id, ok := t.ids.lookup("zone-name", name); ok {
		return id
	}
	id := t.ids.assign("zone-name", name, name, "boundary")
	kind, known := otmZoneKind(name)
	t.m.Boundaries = append(t.m.Boundaries, model.Boundary{ID: id, Name: name, Kind: kind})
	if !known {
		t.infer("boundaries", id, "kind", "CycloneDX trust zones have no kind", "boundary kinds guessed")
	}
	return id
}
