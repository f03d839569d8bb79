package interop

import (
	"fmt"
	"strings"
	"time"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// importThreatcl reads a threatcl file, in HCL or in its JSON form. It
// holds one or more threat models keyed by name; Options.Select picks one,
// and the first is taken otherwise. Both syntaxes are decoded into the same
// node tree (see hcl.go), so they map the same way.
func importThreatcl(file string, data []byte, opts Options) (*Result, error) {
	var root *node
	var unresolved []hclUnresolved
	if isJSONText(data) {
		r, err := parseJSON(file, data)
		if err != nil {
			return nil, err
		}
		root = r
	} else {
		doc, err := parseHCL(file, data)
		if err != nil {
			return nil, err
		}
		root, unresolved = doc.root, doc.unresolved
	}

	models := labelledBlocks(root.get("threatmodel"))
	if len(models) == 0 {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-threatcl", "threatmodel is missing or empty",
			"check that the file is a threatcl model with at least one threatmodel \"name\" { ... } block")
	}
	pick := 0
	if opts.Select != "" {
		pick = -1
		for i, m := range models {
			if m.label == opts.Select && pick < 0 {
				pick = i
			}
		}
		if pick < 0 {
			names := make([]string, len(models))
			for i, m := range models {
				names[i] = m.label
			}
			return nil, inputError(root.get("threatmodel").posOr(root.pos), "unknown-threat-model", fmt.Sprintf("the file has no threat model named %q", opts.Select),
				"pick one of: "+strings.Join(names, ", "))
		}
	}

	t := &threatclImport{builder: newBuilder(Threatcl, file)}
	for i, other := range models {
		if i != pick {
			t.drop("threat model %q: the file holds %d threat models and Ward imports one; pass --select %q to import it", other.label, len(models), other.label)
		}
	}
	for _, u := range unresolved {
		t.drop("%s: %s was not evaluated: it refers to variables, imported files or functions that Ward does not read; set the value in the file", u.pos, u.text)
	}
	t.unusedTopLevel(root)

	name, tm := models[pick].label, models[pick].body
	t.system(tm)
	t.assets(tm)
	t.dependencies(tm)
	t.diagrams(tm)
	t.threats(name, tm)
	return t.finish(name, tm.get("description").text()), nil
}

// isJSONText reports whether data starts like a JSON object or array.
func isJSONText(data []byte) bool {
	trimmed := strings.TrimLeft(string(data[:min(len(data), 256)]), "\xef\xbb\xbf \t\r\n")
	return strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[")
}

// threatclBlock is one block of a threatcl file with its label ("" for an
// unlabelled block).
type threatclBlock struct {
	label string
	body  *node
}

// labelledBlocks returns the blocks of a labelled block type from the HCL
// JSON shapes {"label": body}, {"label": [body, body]} and [{"label":
// body}, ...].
func labelledBlocks(n *node) []threatclBlock {
	var out []threatclBlock
	for _, group := range n.list() {
		for i, label := range group.keysOrNil() {
			for _, body := range group.vals[i].list() {
				out = append(out, threatclBlock{label: label, body: body})
			}
			if group.vals[i].kind == kindNull {
				out = append(out, threatclBlock{label: label, body: &node{kind: kindMap, pos: group.vals[i].pos}})
			}
		}
	}
	return out
}

// bodiesOf returns the bodies of an unlabelled block type: one mapping or a
// list of them.
func bodiesOf(n *node) []*node {
	var out []*node
	for _, b := range n.list() {
		if b.isMap() {
			out = append(out, b)
		}
	}
	return out
}

type threatclImport struct {
	*builder
}

func (t *threatclImport) system(tm *node) {
	s := &t.m.System
	s.Document.Owner = tm.get("author").text()

	var uses []string
	for _, uc := range bodiesOf(tm.get("usecase")) {
		if d := uc.get("description").text(); d != "" {
			uses = append(uses, d)
		}
	}
	s.IntendedUse = strings.Join(uses, "\n")

	for _, ex := range bodiesOf(tm.get("exclusion")) {
		if d := ex.get("description").text(); d != "" {
			id := t.ids.assign("assumption", "", "exclusion", "exclusion")
			t.m.Assumptions = append(t.m.Assumptions, model.Assumption{ID: id, Text: "Out of scope: " + d})
			t.note("assumptions", id, "threatcl exclusion")
		}
	}

	if attrs := tm.get("attributes"); attrs.isMap() {
		for i, k := range attrs.keys {
			t.note("system", "", fmt.Sprintf("threatcl attribute %s: %s", k, attrs.vals[i].text()))
		}
	}
	for _, a := range labelledBlocks(tm.get("additional_attribute")) {
		t.note("system", "", fmt.Sprintf("threatcl attribute %s: %s", a.label, a.body.get("value").text()))
	}
	for _, k := range []string{"link", "diagram_link"} {
		if v := tm.get(k).text(); v != "" {
			t.note("system", "", fmt.Sprintf("threatcl %s: %s", k, v))
		}
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if v, ok := tm.get(k).number(); ok && v > 0 && v < 1e11 {
			t.note("system", "", fmt.Sprintf("threatcl %s: %s", k, time.Unix(int64(v), 0).UTC().Format(time.DateOnly)))
		}
	}
	if imports := tm.get("imports").strings(); len(imports) > 0 {
		t.drop("%s: imports %s: Ward does not read threatcl control libraries; values taken from them are empty", tm.get("imports").pos, strings.Join(imports, ", "))
	}
	if inc := tm.get("including").text(); inc != "" {
		t.drop("%s: including %q: Ward does not merge threatcl base models; import that file on its own", tm.get("including").pos, inc)
	}
}

// unusedTopLevel reports top-level blocks that are not threat models.
func (t *threatclImport) unusedTopLevel(root *node) {
	for _, k := range root.keysOrNil() {
		switch k {
		case "threatmodel", "spec_version":
		case "component":
			t.drop("component blocks: threatcl control library entries, which Ward has no place for")
		case "variable":
			t.drop("variable blocks: Ward does not evaluate threatcl variables")
		default:
			t.drop("%s: top-level %s is not part of a threatcl model", root.get(k).pos, k)
		}
	}
}

func (t *threatclImport) assets(tm *node) {
	for _, a := range labelledBlocks(tm.get("information_asset")) {
		id := t.ids.assign("data", a.label, a.label, "data")
		d := t.addData(model.Data{ID: id, Name: a.label, Description: a.body.get("description").text()})
		if c := a.body.get("information_classification").text(); c != "" {
			t.note("data", d.ID, "threatcl classification: "+c)
			if strings.EqualFold(c, "confidential") || strings.EqualFold(c, "restricted") {
				d.Confidentiality = "high"
			}
		}
		if src := a.body.get("source").text(); src != "" {
			t.note("data", d.ID, "threatcl source: "+src)
		}
	}
}

func (t *threatclImport) dependencies(tm *node) {
	for _, dep := range labelledBlocks(tm.get("third_party_dependency")) {
		d := dep.body
		id := t.ids.assign("dependency", dep.label, dep.label, "dependency")
		t.m.Dependencies = append(t.m.Dependencies, model.Dependency{ID: id, Name: dep.label, Kind: "service", Notes: d.get("description").text()})
		t.infer("dependencies", id, "kind", "threatcl third-party dependencies are outside services", "dependency kinds guessed")
		if up := d.get("uptime_dependency").text(); up != "" {
			t.note("dependencies", id, "threatcl uptime dependency: "+up)
		}
		if notes := d.get("uptime_notes").text(); notes != "" {
			t.note("dependencies", id, "threatcl uptime notes: "+oneLine(notes))
		}
		var flags []string
		for _, f := range []string{"saas", "paying_customer", "open_source", "infrastructure"} {
			if d.get(f).boolean() {
				flags = append(flags, strings.ReplaceAll(f, "_", " "))
			}
		}
		if len(flags) > 0 {
			t.note("dependencies", id, "threatcl flags: "+strings.Join(flags, ", "))
		}
	}
}

// diagrams maps data_flow_diagram_v2 blocks and the older unlabelled
// data_flow_diagram block. Elements and trust zones are named, and a name
// used in two diagrams is taken to be the same item.
func (t *threatclImport) diagrams(tm *node) {
	var dfds []threatclBlock
	for _, b := range bodiesOf(tm.get("data_flow_diagram")) {
		dfds = append(dfds, threatclBlock{body: b})
	}
	dfds = append(dfds, labelledBlocks(tm.get("data_flow_diagram_v2"))...)
	for _, dfd := range dfds {
		if imp := dfd.body.get("import").text(); imp != "" {
			t.drop("%s: diagram import %q: Ward does not read diagrams from other files", dfd.body.get("import").pos, imp)
		}
		for _, z := range labelledBlocks(dfd.body.get("trust_zone")) {
			zone := t.zone(z.label)
			t.dfdElements(dfd.label, z.body, zone)
		}
		t.dfdElements(dfd.label, dfd.body, "")
		for _, f := range labelledBlocks(dfd.body.get("flow")) {
			t.dfdFlow(f)
		}
	}
}

// zone returns the boundary for a trust zone name, adding it on first use.
func (t *threatclImport) zone(name string) string {
	if id, ok := t.ids.lookup("zone", name); ok {
		return id
	}
	id := t.ids.assign("zone", name, name, "boundary")
	kind, known := otmZoneKind(name)
	t.m.Boundaries = append(t.m.Boundaries, model.Boundary{ID: id, Name: name, Kind: kind})
	if !known {
		t.infer("boundaries", id, "kind", "threatcl trust zones have no type", "boundary kinds guessed")
	}
	return id
}

var threatclElementKinds = []struct{ block, kind string }{
	{"process", "process"},
	{"data_store", "store"},
	{"external_element", "entity"},
}

// dfdElements adds the processes, data stores and external elements of a
// diagram or trust zone body. zone is the boundary of the enclosing trust
// zone block; the older syntax names the zone in a trust_zone attribute.
func (t *threatclImport) dfdElements(diagram string, body *node, zone string) {
	for _, k := range threatclElementKinds {
		for _, el := range labelledBlocks(body.get(k.block)) {
			boundary := zone
			if z := el.body.get("trust_zone").text(); z != "" && boundary == "" {
				boundary = t.zone(z)
			}
			if id, ok := t.ids.lookup("element", el.label); ok {
				where := "the data_flow_diagram block"
				if diagram != "" {
					where = fmt.Sprintf("diagram %q", diagram)
				}
				t.note("elements", id, fmt.Sprintf("threatcl %s names this %s again; Ward keeps one element per name", where, strings.ReplaceAll(k.block, "_", " ")))
				continue
			}
			id := t.ids.assign("element", el.label, el.label, k.kind)
			e := model.Element{ID: id, Kind: k.kind, Name: el.label, Boundary: boundary}
			if asset := el.body.get("information_asset").text(); asset != "" {
				if did, ok := t.ids.lookup("data", asset); ok {
					e.Stores = []string{did}
				} else {
					t.drop("%s: data store %q names information asset %q, which is not defined", el.body.pos, el.label, asset)
				}
			}
			t.m.Elements = append(t.m.Elements, e)
		}
	}
}

func (t *threatclImport) dfdFlow(f threatclBlock) {
	src, dst := f.body.get("from").text(), f.body.get("to").text()
	from, ok1 := t.ids.lookup("element", src)
	to, ok2 := t.ids.lookup("element", dst)
	if !ok1 || !ok2 {
		t.drop("%s: flow %q from %q to %q: both ends must be processes, data stores or external elements of the model", f.body.pos, f.label, src, dst)
		return
	}
	id := t.ids.assign("flow", "", src+" to "+dst, "flow")
	fl := model.Flow{ID: id, Name: f.label, From: from, To: to}
	if p, ok := knownProtocol(f.label); ok {
		fl.Protocol.Name = p
		t.infer("flows", id, "protocol.name", "threatcl flows have no protocol; the flow's name is one", "flow protocols taken from flow names")
	}
	t.m.Flows = append(t.m.Flows, fl)
}

// knownProtocol returns the Ward protocol that a name denotes, directly or
// through an alias, without adding anything to the model. A name such as
// "VS Code (SSH)" is matched by the text in brackets.
func knownProtocol(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if id, ok := protocolAliases[n]; ok {
		return id, true
	}
	if n != "other" && model.Protocols.Has(n) {
		return n, true
	}
	if open, closing := strings.LastIndexByte(n, '('), strings.LastIndexByte(n, ')'); open >= 0 && closing > open+1 {
		return knownProtocol(n[open+1 : closing])
	}
	return "", false
}

// threatBody reports whether a threat mapping is an unlabelled threat (old
// threatcl) rather than a mapping of names to threats.
func threatBody(n *node) bool {
	for _, k := range []string{"description", "impacts", "stride", "control", "expanded_control", "proposed_control", "information_asset_refs"} {
		if v := n.get(k); v != nil && (k != "description" || v.kind == kindScalar) {
			return true
		}
	}
	return false
}

func (t *threatclImport) threats(name string, tm *node) {
	var threats []threatclBlock
	for _, group := range tm.get("threat").list() {
		if threatBody(group) {
			threats = append(threats, threatclBlock{body: group})
		} else {
			threats = append(threats, labelledBlocks(group)...)
		}
	}
	if len(threats) == 0 {
		return
	}

	// threatcl threats name no element, but a hand-written threat needs a
	// target, so one process stands for the whole system.
	systemID := t.ids.assign("element", "", name, "system")
	t.m.Elements = append(t.m.Elements, model.Element{ID: systemID, Kind: "process", Name: name, Description: tm.get("description").text()})
	t.note("elements", systemID, "inferred: threatcl threats name no element; this process stands for the whole system so that its threats have a target. Move each threat to the element it concerns.")

	for _, th := range threats {
		t.threat(th, systemID)
	}
}

func (t *threatclImport) threat(th threatclBlock, target string) {
	body := th.body
	title := th.label
	inferredTitle := false
	if title == "" {
		title = shortTitle(body.get("description").text())
		inferredTitle = title != ""
	}
	id := t.ids.assign("threat", th.label, title, "threat")
	te := model.ThreatEntry{ID: id, Title: title, Description: body.get("description").text(), Element: target, Status: "open"}
	if inferredTitle {
		t.infer("threats", id, "title", "the threatcl threat has no name; the title is the start of its description", "threat titles taken from descriptions")
	}

	impact := model.Impact{}
	for _, imp := range body.get("impacts").strings() {
		switch strings.ToLower(imp) {
		case "confidentiality":
			impact.Confidentiality = "high"
		case "integrity":
			impact.Integrity = "high"
		case "availability":
			impact.Availability = "high"
		}
	}
	if impact.Confidentiality != "" || impact.Integrity != "" || impact.Availability != "" {
		te.Impact = impact
		t.infer("threats", id, "impact", "threatcl lists the impacts without a level; each is taken as high", "threat impact levels")
	}

	var extra []string
	for _, s := range body.get("stride").strings() {
		cat := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
		if model.STRIDECategories.Has(cat) && te.STRIDE == "" {
			te.STRIDE = cat
		} else {
			extra = append(extra, s)
		}
	}
	if len(extra) > 0 {
		t.note("threats", id, "further threatcl STRIDE categories: "+strings.Join(extra, ", "))
	}
	if refs := body.get("information_asset_refs").strings(); len(refs) > 0 {
		t.note("threats", id, "threatcl information assets: "+strings.Join(refs, ", "))
	}

	te.Controls = t.controls(body)
	t.m.Threats = append(t.m.Threats, te)
}

// controls adds the controls of a threat: control blocks (threatcl 0.2
// and later), expanded_control blocks (older files and the JSON form),
// proposed_control blocks and the old free-text control attribute.
func (t *threatclImport) controls(body *node) []string {
	var ids []string
	add := func(name, description string, c *node) {
		id := t.ids.assign("control", "", name, "control")
		cat, matched := guessControlCategory(name + " " + description)
		ctl := model.Control{ID: id, Name: name, Description: description, Category: cat}
		reason := "guessed from words in the name and description; check it"
		if !matched {
			reason = "no word matched, so the default was used; check it"
		}
		t.infer("controls", id, "category", reason, "control categories guessed")
		if impl := c.get("implemented"); impl != nil && impl.kind == kindScalar {
			ctl.Status = "planned"
			if impl.boolean() {
				ctl.Status = "implemented"
			}
		}
		if notes := c.get("implementation_notes").text(); notes != "" {
			t.note("controls", id, "threatcl implementation notes: "+oneLine(notes))
		}
		if rr := c.get("risk_reduction").text(); rr != "" {
			t.note("controls", id, "threatcl risk reduction: "+rr)
		}
		for _, a := range labelledBlocks(c.get("attribute")) {
			t.note("controls", id, fmt.Sprintf("threatcl attribute %s: %s", a.label, a.body.get("value").text()))
		}
		t.m.Controls = append(t.m.Controls, ctl)
		ids = append(ids, id)
	}

	if c := body.get("control"); c != nil && c.kind == kindScalar {
		if text := c.text(); text != "" {
			add(shortTitle(text), text, nil)
		}
	} else {
		for _, cb := range labelledBlocks(c) {
			add(cb.label, cb.body.get("description").text(), cb.body)
		}
	}
	for _, cb := range labelledBlocks(body.get("expanded_control")) {
		add(cb.label, cb.body.get("description").text(), cb.body)
	}
	for _, pc := range bodiesOf(body.get("proposed_control")) {
		if d := pc.get("description").text(); d != "" {
			add(shortTitle(d), d, pc)
		}
	}
	return ids
}

// shortTitle makes a title of at most 80 characters from the start of a
// description.
func shortTitle(text string) string {
	s := oneLine(text)
	if i := strings.IndexAny(s, ".\n"); i > 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 80 {
		s = strings.TrimSpace(string(r[:77])) + "..."
	}
	return s
}
