package interop

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// tdCell is one shape of a Threat Dragon diagram, read from either the
// version 1 (JointJS) or version 2 (X6) layout.
type tdCell struct {
	raw      *node
	props    *node // where the cell's properties live: data (v2) or the cell (v1)
	id       string
	kind     string // actor, process, store, flow, curve, box, text
	name     string
	box      rect
	source   string // cell ID of a flow's or curve's source, or ""
	target   string
	line     []point // source point, vertices, target point; for flows and curves
	wardID   string
	boundary string
}

// importThreatDragon reads an OWASP Threat Dragon model, version 1 or 2.
func importThreatDragon(file string, data []byte) (*Result, error) {
	root, err := parseJSON(file, data)
	if err != nil {
		return nil, err
	}
	diagrams := root.get("detail").get("diagrams")
	if diagrams == nil || diagrams.kind != kindSeq {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-threat-dragon", "detail.diagrams is missing or not a list", "export the model from Threat Dragon again")
	}
	b := newBuilder(ThreatDragon, file)
	summary := root.get("summary")
	b.m.System.Document.Owner = summary.get("owner").text()
	version := root.get("version").text()
	if version == "" {
		version = "1.x"
	}
	b.notes.Header = append(b.notes.Header, "Threat Dragon file format version "+version+".")
	if r := root.get("detail").get("reviewer").text(); r != "" {
		b.drop("reviewer %q: Ward records reviews with a date and outcome, which Threat Dragon does not keep; add a reviews entry", r)
	}
	td := &tdImport{builder: b}
	for _, d := range diagrams.list() {
		td.diagram(d)
	}
	return b.finish(summary.get("title").text(), summary.get("description").text()), nil
}

type tdImport struct {
	*builder
	boxes int
	zones int
}

func (td *tdImport) diagram(d *node) {
	cellsNode := d.get("cells")
	if cellsNode == nil {
		cellsNode = d.get("diagramJson").get("cells")
	}
	var cells []*tdCell
	byID := map[string]*tdCell{}
	for _, raw := range cellsNode.list() {
		c := readTDCell(raw)
		if c == nil {
			td.drop("%s: diagram cell of unknown type %q", raw.pos, firstNonEmpty(raw.get("shape").text(), raw.get("type").text()))
			continue
		}
		cells = append(cells, c)
		if c.id != "" {
			byID[c.id] = c
		}
	}
	title := d.get("title").text()

	// Elements first, so that flows can refer to them.
	for _, c := range cells {
		switch c.kind {
		case "actor", "process", "store":
			td.element(c)
		case "text":
			if c.name != "" {
				td.drop("%s: text block %q on diagram %q: Ward models have no free text on diagrams", c.raw.pos, oneLine(c.name), title)
			}
		}
	}
	td.boxBoundaries(cells)
	// Flows need their end points before curves are tested against them.
	for _, c := range cells {
		if c.kind == "flow" {
			td.resolveLine(c, byID)
		}
	}
	td.curveBoundaries(cells, byID, title)
	for _, c := range cells {
		switch c.kind {
		case "actor", "process", "store":
			td.place(c)
		case "flow":
			td.flow(c, byID)
		}
	}
}

func readTDCell(raw *node) *tdCell {
	c := &tdCell{raw: raw, id: raw.get("id").text()}
	props := raw.get("data")
	typ := props.get("type").text()
	if props == nil || typ == "" {
		props = raw // version 1 keeps properties on the cell
		typ = raw.get("type").text()
	}
	c.props = props
	switch typ {
	case "tm.Actor":
		c.kind = "actor"
	case "tm.Process":
		c.kind = "process"
	case "tm.Store":
		c.kind = "store"
	case "tm.Flow":
		c.kind = "flow"
	case "tm.Boundary":
		c.kind = "curve"
	case "tm.BoundaryBox":
		c.kind = "box"
	case "tm.Text":
		c.kind = "text"
	default:
		return nil
	}
	c.name = firstNonEmpty(props.get("name").str(),
		raw.get("attrs").get("text").get("text").str(),
		raw.get("attrs").get("label").get("text").str())
	for _, l := range raw.get("labels").list() {
		c.name = firstNonEmpty(c.name, l.get("attrs").get("labelText").get("text").str(), l.get("attrs").get("text").get("text").str())
	}
	x, _ := raw.get("position").get("x").number()
	y, _ := raw.get("position").get("y").number()
	w, _ := raw.get("size").get("width").number()
	h, _ := raw.get("size").get("height").number()
	c.box = rect{x, y, w, h}
	return c
}

func (td *tdImport) element(c *tdCell) {
	kind := map[string]string{"actor": "entity", "process": "process", "store": "store"}[c.kind]
	name := strings.Join(strings.Fields(c.name), " ")
	if name == "" {
		name = "Unnamed " + c.kind
	}
	c.wardID = td.ids.assign("element", c.id, name, kind)
	e := model.Element{ID: c.wardID, Kind: kind, Name: name, Description: c.props.get("description").text()}
	if c.props.get("outOfScope").boolean() {
		e.Scope = model.Scope{Out: true, Reason: c.props.get("reasonOutOfScope").text()}
		if e.Scope.Reason == "" {
			e.Scope.Reason = "out of scope in the Threat Dragon model, which gives no reason"
			td.infer("elements", e.ID, "scope.reason", "Threat Dragon gives no reason", "out-of-scope reasons missing")
		}
	}
	if kind == "store" && c.props.get("isEncrypted") != nil {
		e.Encrypted = boolPtr(c.props.get("isEncrypted").boolean())
	}
	e.Attributes = tdAttributes(c.props, "isEncrypted")
	td.m.Elements = append(td.m.Elements, e)
	td.threats(c, e.ID)
}

// tdAttributes keeps the element and flow properties Threat Dragon records
// beyond name and threats: flags that are true and texts that are set.
func tdAttributes(props *node, skip ...string) map[string]any {
	known := map[string]bool{"name": true, "description": true, "type": true, "threats": true, "hasOpenThreats": true,
		"isTrustBoundary": true, "outOfScope": true, "reasonOutOfScope": true, "threatFrequency": true, "id": true,
		"size": true, "position": true, "angle": true, "z": true, "attrs": true, "source": true, "target": true,
		"vertices": true, "labels": true, "smooth": true, "ports": true, "shape": true, "zIndex": true, "visible": true,
		"data": true, "connector": true, "width": true, "height": true, "router": true}
	for _, s := range skip {
		known[s] = true
	}
	attrs := map[string]any{}
	for i, k := range props.keysOrNil() {
		v := props.vals[i]
		if known[k] || v.kind != kindScalar {
			continue
		}
		switch {
		case v.boolean():
			attrs[k] = true
		case !v.quoted:
		case v.text() != "":
			attrs[k] = v.text()
		}
	}
	if len(attrs) == 0 {
		return nil
	}
	return attrs
}

// boxBoundaries turns trust-boundary boxes into boundaries; a box inside
// another becomes its child.
func (td *tdImport) boxBoundaries(cells []*tdCell) {
	var boxes []*tdCell
	for _, c := range cells {
		if c.kind == "box" {
			td.boxes++
			name := firstNonEmpty(strings.Join(strings.Fields(c.name), " "), fmt.Sprintf("Trust boundary %d", td.boxes))
			c.wardID = td.ids.assign("boundary", c.id, name, "boundary")
			td.m.Boundaries = append(td.m.Boundaries, model.Boundary{ID: c.wardID, Name: name, Description: c.props.get("description").text(), Kind: "network"})
			td.infer("boundaries", c.wardID, "kind", "Threat Dragon boundaries have no kind", "boundary kinds guessed")
			boxes = append(boxes, c)
		}
	}
	for _, c := range cells {
		if c.kind == "flow" || c.kind == "curve" || c.kind == "text" {
			continue
		}
		var best *tdCell
		for _, bx := range boxes {
			if bx != c && bx.box.contains(c.box) && bx.box.area() > c.box.area() && (best == nil || bx.box.area() < best.box.area()) {
				best = bx
			}
		}
		if best == nil {
			continue
		}
		if c.kind == "box" {
			for i := range td.m.Boundaries {
				if td.m.Boundaries[i].ID == c.wardID {
					td.m.Boundaries[i].Parent = best.wardID
					td.infer("boundaries", c.wardID, "parent", "the box lies inside "+best.wardID+" on the diagram", "boundary nesting taken from the diagram geometry")
				}
			}
			continue
		}
		c.boundary = best.wardID
	}
}

// resolveLine fills the source, target and polyline of a flow or curve.
func (td *tdImport) resolveLine(c *tdCell, byID map[string]*tdCell) {
	end := func(n *node) (string, point, bool) {
		id := firstNonEmpty(n.get("cell").text(), n.get("id").text())
		if id != "" {
			if other, ok := byID[id]; ok {
				return id, other.box.center(), true
			}
			return id, point{}, false
		}
		x, okx := n.get("x").number()
		y, oky := n.get("y").number()
		return "", point{x, y}, okx && oky
	}
	var ok1, ok2 bool
	var p1, p2 point
	c.source, p1, ok1 = end(c.raw.get("source"))
	c.target, p2, ok2 = end(c.raw.get("target"))
	if !ok1 || !ok2 {
		return
	}
	c.line = append(c.line, p1)
	for _, v := range c.raw.get("vertices").list() {
		x, _ := v.get("x").number()
		y, _ := v.get("y").number()
		c.line = append(c.line, point{x, y})
	}
	c.line = append(c.line, p2)
}

// curveBoundaries derives zones from trust-boundary lines: elements joined
// by flows that cross no line share a zone, and every zone that a crossing
// flow touches becomes a boundary. Elements inside a box keep the box.
func (td *tdImport) curveBoundaries(cells []*tdCell, byID map[string]*tdCell, title string) {
	var curves, elems, flows []*tdCell
	index := map[string]int{}
	for _, c := range cells {
		switch c.kind {
		case "curve":
			td.resolveLine(c, byID)
			if len(c.line) >= 2 {
				curves = append(curves, c)
			}
		case "actor", "process", "store":
			index[c.id] = len(elems)
			elems = append(elems, c)
		case "flow":
			flows = append(flows, c)
		}
	}
	if len(curves) == 0 {
		return
	}
	var edges [][2]int
	crossingEnds := map[int]bool{}
	for _, f := range flows {
		a, okA := index[f.source]
		z, okZ := index[f.target]
		if !okA || !okZ || len(f.line) < 2 {
			continue
		}
		crosses := false
		for _, cv := range curves {
			if polylinesCross(f.line, cv.line) {
				crosses = true
				break
			}
		}
		if crosses {
			crossingEnds[a], crossingEnds[z] = true, true
		} else {
			edges = append(edges, [2]int{a, z})
		}
	}
	comp := zones(len(elems), edges)
	zoneID := map[int]string{}
	for i, c := range elems {
		if !crossingEnds[i] && !hasCrossingNeighbour(i, comp, crossingEnds) {
			continue
		}
		if c.boundary != "" {
			continue
		}
		id, ok := zoneID[comp[i]]
		if !ok {
			td.zones++
			var names []string
			for j, o := range elems {
				if comp[j] == comp[i] && len(names) < 3 {
					names = append(names, strings.Join(strings.Fields(o.name), " "))
				}
			}
			name := "Zone of " + strings.Join(names, ", ")
			id = td.ids.assign("boundary", "", fmt.Sprintf("zone-%d", td.zones), "zone")
			zoneID[comp[i]] = id
			td.m.Boundaries = append(td.m.Boundaries, model.Boundary{ID: id, Name: name, Kind: "network",
				Description: fmt.Sprintf("Derived from the trust boundary lines of diagram %q.", title)})
			td.note("boundaries", id, "inferred: Threat Dragon draws this trust boundary as a line; the zone holds the elements joined by flows that cross no boundary line")
			td.infer("boundaries", id, "kind", "Threat Dragon boundaries have no kind", "boundary kinds guessed")
		}
		c.boundary = id
	}
	if len(zoneID) == 0 {
		td.drop("diagram %q: %d trust boundary lines cross no flow between two elements, so no zone could be derived", title, len(curves))
	}
}

func hasCrossingNeighbour(i int, comp []int, crossingEnds map[int]bool) bool {
	for j := range comp {
		if comp[j] == comp[i] && crossingEnds[j] {
			return true
		}
	}
	return false
}

// place sets the boundary of an element found from geometry.
func (td *tdImport) place(c *tdCell) {
	if c.boundary == "" {
		return
	}
	for i := range td.m.Elements {
		if td.m.Elements[i].ID == c.wardID {
			td.m.Elements[i].Boundary = c.boundary
			td.infer("elements", c.wardID, "boundary", "from the diagram geometry", "element boundaries taken from the diagram geometry")
		}
	}
}

func (td *tdImport) flow(c *tdCell, byID map[string]*tdCell) {
	src, dst := byID[c.source], byID[c.target]
	name := strings.Join(strings.Fields(c.name), " ")
	if src == nil || dst == nil || src.wardID == "" || dst.wardID == "" || src.kind == "box" || dst.kind == "box" {
		td.drop("%s: flow %q is not connected to an element at both ends (a flow to nowhere)", c.raw.pos, name)
		return
	}
	id := td.ids.assign("flow", c.id, firstNonEmpty(name, src.wardID+"-to-"+dst.wardID), "flow")
	f := model.Flow{ID: id, Name: name, Description: c.props.get("description").text(), From: src.wardID, To: dst.wardID}
	if p := c.props.get("protocol").text(); p != "" {
		f.Protocol.Name = td.protocol(p)
		if f.Protocol.Name != strings.ToLower(p) {
			td.notes.Field("flows", id, "protocol", "Threat Dragon protocol "+p)
		}
	}
	if c.props.get("isEncrypted") != nil {
		f.Encryption = boolPtr(c.props.get("isEncrypted").boolean())
	}
	f.Bidirectional = c.props.get("isBidirectional").boolean()
	if c.props.get("outOfScope").boolean() {
		f.Scope = model.Scope{Out: true, Reason: firstNonEmpty(c.props.get("reasonOutOfScope").text(), "out of scope in the Threat Dragon model, which gives no reason")}
	}
	f.Attributes = tdAttributes(c.props, "isEncrypted", "isBidirectional", "protocol")
	td.m.Flows = append(td.m.Flows, f)
	td.threats(c, id)
}

// tdStride maps Threat Dragon threat types of the STRIDE model.
var tdStride = map[string]string{
	"spoofing": "spoofing", "tampering": "tampering", "repudiation": "repudiation",
	"information disclosure": "information-disclosure", "denial of service": "denial-of-service",
	"elevation of privilege": "elevation-of-privilege",
}

// tdStatus maps Threat Dragon threat statuses.
func tdStatus(s string) string {
	switch strings.ToLower(strings.ReplaceAll(s, " ", "")) {
	case "mitigated":
		return "mitigated"
	case "notapplicable", "n/a", "na":
		return "not-applicable"
	}
	return "open"
}

func (td *tdImport) threats(c *tdCell, target string) {
	for _, t := range c.props.get("threats").list() {
		title := oneLine(firstNonEmpty(t.get("title").text(), "Untitled threat"))
		id := td.ids.assign("threat", t.get("id").text(), target+"-"+title, "threat")
		te := model.ThreatEntry{ID: id, Title: title, Description: t.get("description").text(), Element: target, Status: tdStatus(t.get("status").text())}
		typ := strings.ToLower(t.get("type").text())
		if s, ok := tdStride[typ]; ok {
			te.STRIDE = s
		} else if typ != "" {
			td.note("threats", id, fmt.Sprintf("Threat Dragon %s type %q has no STRIDE category", firstNonEmpty(t.get("modelType").text(), "threat"), t.get("type").text()))
		}
		if sev := strings.ToLower(t.get("severity").text()); sev != "" {
			td.note("threats", id, "Threat Dragon severity: "+sev)
		}
		if m := t.get("mitigation").text(); m != "" {
			if te.Status == "open" {
				te.Description = strings.TrimSpace(te.Description + "\n\nPlanned mitigation: " + m)
			} else {
				te.Justification = m
			}
		}
		td.m.Threats = append(td.m.Threats, te)
	}
}
