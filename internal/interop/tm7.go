package interop

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// maxXMLElements caps the XML elements read from one .tm7 file.
const maxXMLElements = 1_000_000

// xnode is an XML element with its local name, attributes by local name,
// children and text, and the line it starts on.
type xnode struct {
	name     string
	attrs    map[string]string
	children []*xnode
	text     strings.Builder
	pos      diag.Pos
}

// child returns the first child element named name.
func (x *xnode) child(name string) *xnode {
	if x == nil {
		return nil
	}
	for _, c := range x.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// kids returns the children of x; nil has none.
func (x *xnode) kids() []*xnode {
	if x == nil {
		return nil
	}
	return x.children
}

// all returns the children named name.
func (x *xnode) all(name string) []*xnode {
	if x == nil {
		return nil
	}
	var out []*xnode
	for _, c := range x.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// value returns the trimmed text of the child named name.
func (x *xnode) value(name string) string {
	c := x.child(name)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.text.String())
}

// typ returns the xsi:type of x without its namespace prefix.
func (x *xnode) typ() string {
	t := x.attrs["type"]
	if i := strings.LastIndexByte(t, ':'); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// parseXML reads data into an xnode tree. It rejects document type
// declarations that declare entities: encoding/xml never fetches external
// entities, but saying so plainly beats a confusing error about an unknown
// entity later. Depth and element count are bounded.
func parseXML(file string, data []byte) (*xnode, error) {
	if err := checkSize(file, data); err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	pos := func() diag.Pos {
		line, col := dec.InputPos()
		return diag.Pos{File: file, Line: line, Col: col, Offset: int(dec.InputOffset())}
	}
	var stack []*xnode
	var root *xnode
	count := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			p := pos()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				p = diag.Pos{File: file, Line: se.Line}
			}
			return nil, inputError(p, "invalid-xml", "invalid XML: "+strings.TrimPrefix(err.Error(), "XML syntax error on line "), "fix the XML at this line, or save the model again in the Threat Modeling Tool")
		}
		switch t := tok.(type) {
		case xml.Directive:
			d := strings.ToUpper(string(t))
			if strings.HasPrefix(strings.TrimSpace(d), "DOCTYPE") && (strings.Contains(d, "<!ENTITY") || strings.Contains(d, "SYSTEM") || strings.Contains(d, "PUBLIC")) {
				return nil, inputError(pos(), "xml-entity", "the document type declaration declares entities or an external DTD, which Ward does not read",
					"remove the <!DOCTYPE ...> block; .tm7 files saved by the Threat Modeling Tool have none")
			}
		case xml.StartElement:
			count++
			if count > maxXMLElements {
				return nil, inputError(pos(), "too-many-values", fmt.Sprintf("more than %d XML elements", maxXMLElements), "split the model")
			}
			if len(stack) >= maxDepth {
				return nil, inputError(pos(), "too-deep", fmt.Sprintf("XML elements nested more than %d levels deep", maxDepth), "flatten the document")
			}
			x := &xnode{name: t.Name.Local, attrs: map[string]string{}, pos: pos()}
			for _, a := range t.Attr {
				x.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, x)
			} else if root == nil {
				root = x
			}
			stack = append(stack, x)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, inputError(diag.Pos{File: file, Line: 1}, "invalid-xml", "the file has no XML element", "pass a .tm7 file")
	}
	return root, nil
}

// tm7Shape is a stencil or line of a Threat Modeling Tool drawing surface.
type tm7Shape struct {
	x      *xnode
	guid   string
	typeID string // GenericTypeId: GE.P, GE.EI, GE.DS, GE.DF, GE.TB.B, GE.TB.L, GE.A
	name   string
	box    rect
	line   []point
	source string
	target string
	wardID string
	zone   string
}

// tm7Props returns the display properties of a shape by display name.
func tm7Props(x *xnode) map[string]string {
	out := map[string]string{}
	for _, p := range x.child("Properties").kids() {
		name := p.value("DisplayName")
		if name == "" {
			continue
		}
		v := p.child("Value")
		if v == nil || v.attrs["nil"] == "true" {
			continue
		}
		val := strings.TrimSpace(v.text.String())
		if p.typ() == "ListDisplayAttribute" {
			// The selected entry of a list property is stored by index in
			// SelectedIndex; Value holds the choices.
			idx := p.value("SelectedIndex")
			var choices []string
			for _, c := range v.kids() {
				choices = append(choices, strings.TrimSpace(c.text.String()))
			}
			val = ""
			var i int
			if _, err := fmt.Sscan(idx, &i); err == nil && i >= 0 && i < len(choices) {
				val = choices[i]
			}
		}
		out[name] = val
	}
	return out
}

func tm7Number(x *xnode, name string) float64 {
	var f float64
	fmt.Sscan(x.value(name), &f)
	return f
}

// importTM7 reads a Microsoft Threat Modeling Tool model (.tm7).
func importTM7(file string, data []byte) (*Result, error) {
	root, err := parseXML(file, data)
	if err != nil {
		return nil, err
	}
	if root.name != "ThreatModel" {
		return nil, inputError(root.pos, "invalid-tm7", fmt.Sprintf("the root element is <%s>, not <ThreatModel>", root.name), "pass a .tm7 file saved by the Threat Modeling Tool")
	}
	b := newBuilder(TM7, file)
	meta := root.child("MetaInformation")
	b.m.System.Document.Owner = meta.value("Owner")
	if r := meta.value("Reviewer"); r != "" {
		b.drop("reviewer %q: Ward records reviews with a date and outcome; add a reviews entry", r)
	}
	shapes := map[string]*tm7Shape{}
	surfaces := root.child("DrawingSurfaceList").all("DrawingSurfaceModel")
	for _, s := range surfaces {
		tm7Surface(b, s, shapes)
	}
	tm7Threats(b, root.child("ThreatInstances"), shapes)
	return b.finish(meta.value("ThreatModelName"), firstNonEmpty(meta.value("HighLevelSystemDescription"), meta.value("Assumptions"))), nil
}

// tm7Surface imports one diagram.
func tm7Surface(b *builder, s *xnode, shapes map[string]*tm7Shape) {
	var stencils, lines []*tm7Shape
	read := func(list *xnode) []*tm7Shape {
		var out []*tm7Shape
		for _, kv := range list.kids() {
			v := kv.child("Value")
			if v == nil {
				continue
			}
			sh := &tm7Shape{x: v, guid: firstNonEmpty(v.value("Guid"), kv.value("Key")), typeID: v.value("GenericTypeId")}
			props := tm7Props(v)
			sh.name = strings.Join(strings.Fields(props["Name"]), " ")
			sh.box = rect{tm7Number(v, "Left"), tm7Number(v, "Top"), tm7Number(v, "Width"), tm7Number(v, "Height")}
			sh.source, sh.target = v.value("SourceGuid"), v.value("TargetGuid")
			sh.line = []point{{tm7Number(v, "SourceX"), tm7Number(v, "SourceY")}, {tm7Number(v, "HandleX"), tm7Number(v, "HandleY")}, {tm7Number(v, "TargetX"), tm7Number(v, "TargetY")}}
			out = append(out, sh)
			shapes[sh.guid] = sh
		}
		return out
	}
	stencils = read(s.child("Borders"))
	lines = read(s.child("Lines"))

	var boxes []*tm7Shape
	for _, sh := range stencils {
		kind := ""
		switch sh.typeID {
		case "GE.P":
			kind = "process"
		case "GE.EI":
			kind = "entity"
		case "GE.DS":
			kind = "store"
		case "GE.TB.B":
			name := firstNonEmpty(sh.name, "Trust boundary")
			sh.wardID = b.ids.assign("boundary", sh.guid, name, "boundary")
			b.m.Boundaries = append(b.m.Boundaries, model.Boundary{ID: sh.wardID, Name: name, Kind: "network"})
			b.infer("boundaries", sh.wardID, "kind", "Threat Modeling Tool boundaries have no kind", "boundary kinds guessed")
			boxes = append(boxes, sh)
			continue
		case "GE.A":
			b.drop("%s: annotation %q: Ward models have no free text on diagrams", sh.x.pos, sh.name)
			continue
		default:
			b.drop("%s: stencil of unknown type %q (%s)", sh.x.pos, sh.typeID, sh.name)
			continue
		}
		name := firstNonEmpty(sh.name, "Unnamed "+kind)
		sh.wardID = b.ids.assign("element", sh.guid, name, kind)
		e := model.Element{ID: sh.wardID, Kind: kind, Name: name}
		if t := sh.x.value("TypeId"); t != "" {
			e.Attributes = map[string]any{"tmt_stencil": t}
		}
		if oos := tm7Props(sh.x)["Out Of Scope"]; strings.EqualFold(oos, "true") {
			e.Scope = model.Scope{Out: true, Reason: firstNonEmpty(tm7Props(sh.x)["Reason For Out Of Scope"], "out of scope in the Threat Modeling Tool model")}
		}
		b.m.Elements = append(b.m.Elements, e)
	}
	// Border boundaries: geometry gives nesting and membership.
	for _, sh := range stencils {
		if sh.wardID == "" {
			continue
		}
		var best *tm7Shape
		for _, bx := range boxes {
			if bx != sh && bx.box.contains(sh.box) && bx.box.area() > sh.box.area() && (best == nil || bx.box.area() < best.box.area()) {
				best = bx
			}
		}
		if best == nil {
			continue
		}
		if sh.typeID == "GE.TB.B" {
			for i := range b.m.Boundaries {
				if b.m.Boundaries[i].ID == sh.wardID {
					b.m.Boundaries[i].Parent = best.wardID
				}
			}
			b.infer("boundaries", sh.wardID, "parent", "the box lies inside "+best.wardID+" on the diagram", "boundary nesting taken from the diagram geometry")
			continue
		}
		sh.zone = best.wardID
		for i := range b.m.Elements {
			if b.m.Elements[i].ID == sh.wardID {
				b.m.Elements[i].Boundary = best.wardID
			}
		}
		b.infer("elements", sh.wardID, "boundary", "from the diagram geometry", "element boundaries taken from the diagram geometry")
	}
	for _, sh := range lines {
		switch sh.typeID {
		case "GE.DF":
			src, dst := shapes[sh.source], shapes[sh.target]
			if src == nil || dst == nil || src.wardID == "" || dst.wardID == "" || src.typeID == "GE.TB.B" || dst.typeID == "GE.TB.B" {
				b.drop("%s: data flow %q is not connected to an element at both ends (a flow to nowhere)", sh.x.pos, sh.name)
				continue
			}
			sh.wardID = b.ids.assign("flow", sh.guid, firstNonEmpty(sh.name, src.wardID+"-to-"+dst.wardID), "flow")
			f := model.Flow{ID: sh.wardID, Name: sh.name, From: src.wardID, To: dst.wardID}
			props := tm7Props(sh.x)
			if p := firstNonEmpty(props["Protocol"], props["Physical Network"]); p != "" && !strings.EqualFold(p, "Not Selected") {
				f.Protocol.Name = b.protocol(p)
			}
			b.m.Flows = append(b.m.Flows, f)
		case "GE.TB.L":
			b.drop("%s: line trust boundary %q: Ward places elements in boundaries, so draw it as a border boundary or set elements[].boundary", sh.x.pos, sh.name)
		default:
			b.drop("%s: line of unknown type %q (%s)", sh.x.pos, sh.typeID, sh.name)
		}
	}
}

// tm7State maps a Threat Modeling Tool threat state to a threat status.
func tm7State(s string) string {
	switch s {
	case "Mitigated":
		return "mitigated"
	case "NotApplicable":
		return "not-applicable"
	}
	return "open" // AutoGenerated, NotStarted, NeedsInvestigation
}

// tm7Stride maps the tool's STRIDE category names.
var tm7Stride = map[string]string{
	"spoofing": "spoofing", "tampering": "tampering", "repudiation": "repudiation",
	"information disclosure": "information-disclosure", "denial of service": "denial-of-service",
	"elevation of privilege": "elevation-of-privilege",
}

// tm7Threats imports generated and custom threat instances. The tool
// generates threats per data flow, so each becomes a hand-written threat
// on the Ward flow.
func tm7Threats(b *builder, list *xnode, shapes map[string]*tm7Shape) {
	for _, kv := range list.kids() {
		v := kv.child("Value")
		if v == nil {
			continue
		}
		props := map[string]string{}
		for _, p := range v.child("Properties").kids() {
			props[p.value("Key")] = p.value("Value")
		}
		title := oneLine(firstNonEmpty(props["Title"], v.value("Title"), "Untitled threat"))
		target := ""
		for _, g := range []string{v.value("FlowGuid"), v.value("TargetGuid"), v.value("SourceGuid")} {
			if sh := shapes[g]; sh != nil && sh.wardID != "" && sh.typeID != "GE.TB.B" {
				target = sh.wardID
				break
			}
		}
		if target == "" {
			b.drop("%s: threat %q names no element or flow of the model", v.pos, title)
			continue
		}
		id := b.ids.assign("threat", "", "tmt-"+firstNonEmpty(v.value("Id"), title)+"-"+target, "threat")
		te := model.ThreatEntry{ID: id, Title: title, Element: target, Status: tm7State(v.value("State")),
			Description: firstNonEmpty(props["UserThreatDescription"], v.value("Description"))}
		if j := strings.TrimSpace(firstNonEmpty(v.value("StateInformation"), props["StateInformation"])); j != "" {
			if te.Status == "open" {
				te.Description = strings.TrimSpace(te.Description + "\n\nState information: " + j)
			} else {
				te.Justification = j
			}
		}
		if s, ok := tm7Stride[strings.ToLower(props["UserThreatCategory"])]; ok {
			te.STRIDE = s
		}
		typeID := v.value("TypeId")
		// NOTE: threats the user adds by hand carry the type ID of the
		// template they were made from, so "custom" is read from the
		// absence of a type ID, which may miss some.
		origin := "generated from template " + typeID
		if typeID == "" {
			origin = "added by hand in the tool"
		}
		b.note("threats", id, fmt.Sprintf("Threat Modeling Tool threat %s, %s, state %s, priority %s",
			v.value("Id"), origin, firstNonEmpty(v.value("State"), "unknown"), firstNonEmpty(v.value("Priority"), props["Priority"], "unset")))
		b.m.Threats = append(b.m.Threats, te)
	}
}
