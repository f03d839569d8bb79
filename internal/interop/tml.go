package interop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// importTML reads a model in the OWASP Threat Model Library format (schema
// version 1.x, JSON). Items refer to each other by symbolic_name; trust
// boundaries are pairs of trust zones; threats, controls and risks are
// lists linked by symbolic names.
func importTML(file string, data []byte) (*Result, error) {
	root, err := parseJSON(file, data)
	if err != nil {
		return nil, err
	}
	if !root.isMap() {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-tml", "top level of the model is not an object",
			"check that the file is an OWASP Threat Model Library model")
	}
	t := &tmlImport{builder: newBuilder(ThreatModelLibrary, file), root: root, targets: map[string][]string{}, storeData: map[string][]string{}}
	t.system()
	t.zones()
	t.elements()
	t.dataSets()
	t.flows()
	t.assumptions()
	t.controls()
	t.threats()
	t.dropUnmapped()
	scope := root.get("scope")
	return t.finish(scope.get("title").text(), firstNonEmpty(root.get("description").text(), scope.get("description").text())), nil
}

type tmlImport struct {
	*builder
	root *node
	// targets maps a threat's symbolic name to the controls that address
	// it.
	targets map[string][]string
	// storeData maps a store's element ID to the data placed on it.
	storeData map[string][]string
}

func (t *tmlImport) system() {
	r, s := t.root, &t.m.System
	scope := r.get("scope")
	s.Document.Version = r.get("version").text()
	if s.Document.Version != "" {
		t.note("system.document", "", "version is the threat model's version in the OWASP Threat Model Library file")
	}
	if sens := scope.get("data_sensitivity").strings(); len(sens) > 0 {
		t.note("system", "", "OWASP TML data sensitivity: "+strings.Join(sens, ", "))
	}
	for _, k := range []string{"business_criticality", "exposure", "tier"} {
		if v := scope.get(k).text(); v != "" {
			t.note("system", "", fmt.Sprintf("OWASP TML %s: %s", strings.ReplaceAll(k, "_", " "), v))
		}
	}
	if d := scope.get("description").text(); d != "" && r.get("description").text() != "" {
		t.note("system", "", wrapText("OWASP TML scope: "+oneLine(d), 96))
	}
	for _, k := range []string{"frozen", "released_at", "product_release_date", "reviewed_at", "release_docs_link", "repo_link"} {
		if v := r.get(k).text(); v != "" {
			t.note("system", "", fmt.Sprintf("OWASP TML %s: %s", k, v))
		}
	}
	if r.get("reviewed_at").text() != "" {
		t.drop("reviewed_at %s: a Ward review records its reviewers and outcome, which the file does not give; add it under reviews", r.get("reviewed_at").text())
	}
}

// zones maps trust zones to boundaries and keeps each trust boundary (a
// pair of zones with its access control) as a comment on both zones.
func (t *tmlImport) zones() {
	for _, z := range t.root.get("trust_zones").list() {
		src := z.get("symbolic_name").text()
		name := firstNonEmpty(oneLine(z.get("title").text()), src)
		id := t.ids.assign("zone", src, readableID(src, name), "boundary")
		kind, known := otmZoneKind(name + " " + z.get("description").text())
		t.m.Boundaries = append(t.m.Boundaries, model.Boundary{ID: id, Name: name, Description: z.get("description").text(), Kind: kind})
		if !known {
			t.infer("boundaries", id, "kind", "OWASP TML trust zones have no type", "boundary kinds guessed")
		}
	}

	undefined := map[string]bool{}
	for _, tb := range t.root.get("trust_boundaries").list() {
		a, b := tb.get("trust_zone_a").text(), tb.get("trust_zone_b").text()
		var methods []string
		if acm := tb.get("access_control_methods").strings(); len(acm) > 0 {
			methods = append(methods, "access control "+strings.Join(slices.Compact(acm), ", "))
		}
		if am := tb.get("authentication_methods").strings(); len(am) > 0 {
			methods = append(methods, "authentication "+strings.Join(slices.Compact(am), ", "))
		}
		detail := ""
		if len(methods) > 0 {
			detail = ": " + strings.Join(methods, "; ")
		}
		var defined, missing []string
		for _, z := range []string{a, b} {
			if _, ok := t.ids.lookup("zone", z); ok {
				defined = append(defined, z)
			} else {
				missing = append(missing, z)
			}
		}
		if len(defined) == 0 {
			t.drop("%s: trust boundary between %q and %q%s: neither zone is defined", tb.pos, a, b, detail)
			continue
		}
		for _, pair := range [][2]string{{a, b}, {b, a}} {
			if id, ok := t.ids.lookup("zone", pair[0]); ok {
				t.note("boundaries", id, fmt.Sprintf("OWASP TML trust boundary to %s%s", pair[1], detail))
			}
		}
		for _, z := range missing {
			if !undefined[z] {
				undefined[z] = true
				t.drop("%s: trust boundary names trust zone %q, which is not defined; the boundary is kept as a comment on zone %q", tb.pos, z, defined[0])
			}
		}
	}
}

// tmlActorRoles maps OWASP TML actor types to Ward roles where one fits.
var tmlActorRoles = map[string]string{"third_party": "third-party-system", "system": "third-party-system"}

// tmlElementKinds lists the OWASP TML lists that hold elements, with the
// type name data flows use for them.
var tmlElementKinds = []struct{ list, typ, kind string }{
	{"actors", "actor", "entity"},
	{"components", "component", "process"},
	{"data_stores", "data_store", "store"},
}

func (t *tmlImport) elements() {
	for _, k := range tmlElementKinds {
		for _, n := range t.root.get(k.list).list() {
			src := n.get("symbolic_name").text()
			name := firstNonEmpty(oneLine(n.get("title").text()), src)
			id := t.ids.assign(k.typ, src, readableID(src, name), k.kind)
			e := model.Element{ID: id, Kind: k.kind, Name: name, Description: n.get("description").text(), Attributes: map[string]any{}}
			t.place(&e, n)

			switch k.typ {
			case "actor":
				typ := n.get("type").text()
				e.Role = tmlActorRoles[typ]
				if typ != "" {
					e.Attributes["tml_actor_type"] = typ
				}
				if p := n.get("permissions").text(); p != "" {
					e.Attributes["permissions"] = p
				}
			case "component":
				if p := n.get("parent_component").text(); p != "" {
					e.Attributes["parent_component"] = p
				}
			case "data_store":
				for _, key := range []string{"type", "vendor", "product"} {
					if v := n.get(key).text(); v != "" {
						e.Attributes["store_"+key] = v
					}
				}
			}
			if link := n.get("repo_link").text(); link != "" {
				e.Attributes["repo_link"] = link
			}
			if len(e.Attributes) == 0 {
				e.Attributes = nil
			}
			t.m.Elements = append(t.m.Elements, e)
		}
	}
	t.inheritParentZones()
}

// place sets an element's boundary from its trust_zone.
func (t *tmlImport) place(e *model.Element, n *node) {
	zone := n.get("trust_zone").text()
	if zone == "" {
		return
	}
	if bid, ok := t.ids.lookup("zone", zone); ok {
		e.Boundary = bid
		return
	}
	t.drop("%s: %s is in trust zone %q, which is not defined", n.get("trust_zone").pos, e.Name, zone)
}

// inheritParentZones gives a component without a trust zone the zone of
// its parent component.
func (t *tmlImport) inheritParentZones() {
	for i := range t.m.Elements {
		e := &t.m.Elements[i]
		parent, _ := e.Attributes["parent_component"].(string)
		if e.Boundary != "" || parent == "" {
			continue
		}
		pid, ok := t.ids.lookup("component", parent)
		if !ok {
			continue
		}
		for depth, cur := 0, pid; depth < len(t.m.Elements) && cur != ""; depth++ {
			p := elementIn(t.m, cur)
			if p == nil {
				break
			}
			if p.Boundary != "" {
				e.Boundary = p.Boundary
				t.infer("elements", e.ID, "boundary", "taken from the parent component "+parent, "boundaries taken from parent components")
				break
			}
			next, _ := p.Attributes["parent_component"].(string)
			cur, _ = t.ids.lookup("component", next)
		}
	}
}

// wrapText breaks text into lines of at most width bytes at spaces, for
// long comments.
func wrapText(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len(w) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func elementIn(m *model.Model, id string) *model.Element {
	for i := range m.Elements {
		if m.Elements[i].ID == id {
			return &m.Elements[i]
		}
	}
	return nil
}

// lookupElement resolves a typed reference of a data flow. The type is
// tried first; a name of another kind is accepted and reported, because
// real files mix them up.
func (t *tmlImport) lookupElement(ref *node) (string, bool) {
	return t.lookupTyped(ref.get("type").text(), ref.get("object").text(), ref.pos)
}

// lookupTyped resolves the symbolic name of an element of type typ, or of
// any element type when typ is empty.
func (t *tmlImport) lookupTyped(typ, name string, pos diag.Pos) (string, bool) {
	if id, ok := t.ids.lookup(typ, name); ok {
		return id, true
	}
	for _, k := range tmlElementKinds {
		if id, ok := t.ids.lookup(k.typ, name); ok {
			if typ != "" {
				t.drop("%s: reference to %s %q names a %s; Ward used the %s", pos, typ, name, strings.ReplaceAll(k.typ, "_", " "), strings.ReplaceAll(k.typ, "_", " "))
			}
			return id, true
		}
	}
	return "", false
}

// tmlCategories maps OWASP TML data sensitivity types to data categories,
// most specific first.
var tmlCategories = []struct{ sensitivity, category string }{
	{"phi", "phi"}, {"cred", "credential"}, {"pii", "pii"},
}

func (t *tmlImport) dataSets() {
	for _, ds := range t.root.get("data_sets").list() {
		src := ds.get("symbolic_name").text()
		name := firstNonEmpty(oneLine(ds.get("title").text()), src)
		id := t.ids.assign("data", src, readableID(src, name), "data")
		d := model.Data{ID: id, Name: name, Description: ds.get("description").text()}
		sens := ds.get("data_sensitivity").strings()
		for _, c := range tmlCategories {
			if slices.Contains(sens, c.sensitivity) {
				d.Category = c.category
				break
			}
		}
		if d.Category == "" && len(sens) > 0 {
			d.Category = "other"
		}
		if len(sens) > 0 {
			t.note("data", id, "OWASP TML data sensitivity: "+strings.Join(sens, ", "))
		}
		if acm := ds.get("access_control_methods").strings(); len(acm) > 0 {
			t.note("data", id, "OWASP TML access control: "+strings.Join(acm, ", "))
		}
		if rc := ds.get("record_count").text(); rc != "" {
			t.note("data", id, "OWASP TML record count: "+rc)
		}
		t.addData(d)
		t.placements(ds, id)
	}
}

// placements adds a data set to the stores it is placed on. A store is
// marked encrypted only when every data set on it is.
func (t *tmlImport) placements(ds *node, dataID string) {
	for _, p := range ds.get("placements").list() {
		store := p.get("data_store").text()
		sid, ok := t.ids.lookup("data_store", store)
		if !ok {
			t.drop("%s: data set %q is placed on data store %q, which is not defined", p.pos, ds.get("symbolic_name").text(), store)
			continue
		}
		e := elementIn(t.m, sid)
		if !slices.Contains(e.Stores, dataID) {
			e.Stores = append(e.Stores, dataID)
		}
		t.storeData[sid] = append(t.storeData[sid], dataID)
		if enc := p.get("encrypted"); enc != nil && enc.kind == kindScalar {
			if e.Encrypted == nil {
				e.Encrypted = boolPtr(enc.boolean())
				t.infer("elements", sid, "encrypted", "from the placements of the data sets on this store", "store encryption taken from data set placements")
			} else if !enc.boolean() {
				e.Encrypted = boolPtr(false)
			}
		}
	}
}

func (t *tmlImport) flows() {
	for _, f := range t.root.get("data_flows").list() {
		src := f.get("symbolic_name").text()
		from, ok1 := t.lookupElement(f.get("source"))
		to, ok2 := t.lookupElement(f.get("destination"))
		if !ok1 || !ok2 {
			t.drop("%s: data flow %q from %q to %q: both ends must be actors, components or data stores of the model", f.pos, src,
				f.get("source").get("object").text(), f.get("destination").get("object").text())
			continue
		}
		title := oneLine(f.get("title").text())
		id := t.ids.assign("flow", src, readableID(src, title), "flow")
		fl := model.Flow{ID: id, Name: title, Description: f.get("description").text(), From: from, To: to}
		if p, ok := knownProtocol(title); ok {
			fl.Protocol.Name = p
			t.infer("flows", id, "protocol.name", "OWASP TML data flows have no protocol; the title is one", "flow protocols taken from flow titles")
		}
		if enc := f.get("encrypted"); enc != nil && enc.kind == kindScalar {
			fl.Encryption = boolPtr(enc.boolean())
		}
		t.flowData(&fl, f)
		t.m.Flows = append(t.m.Flows, fl)
	}
}

// flowData lists on a flow the data sets placed on a store at either end,
// because OWASP TML data flows name no data.
func (t *tmlImport) flowData(fl *model.Flow, f *node) {
	for _, end := range []string{fl.From, fl.To} {
		for _, d := range t.storeData[end] {
			if !slices.Contains(fl.Data, d) {
				fl.Data = append(fl.Data, d)
			}
		}
	}
	sensitive := f.get("has_sensitive_data")
	switch {
	case len(fl.Data) > 0:
		t.infer("flows", fl.ID, "data", "the data sets placed on the store at this flow's end", "flow data taken from store placements")
	case sensitive.boolean():
		t.note("flows", fl.ID, "OWASP TML: this flow carries sensitive data; list it under data")
	}
}

func (t *tmlImport) assumptions() {
	for _, a := range t.root.get("assumptions").list() {
		text := oneLine(a.get("description").text())
		validity := firstNonEmpty(a.get("validity").text(), "unconfirmed")
		if text == "" {
			continue
		}
		if validity == "rejected" {
			t.drop("%s: assumption %q is marked rejected", a.pos, text)
			continue
		}
		id := t.ids.assign("assumption", "", "assumption", "assumption")
		full := text
		if topics := a.get("topics").strings(); len(topics) > 0 {
			full += " (topics: " + strings.Join(topics, ", ") + ")"
		}
		t.m.Assumptions = append(t.m.Assumptions, model.Assumption{ID: id, Text: full})
		t.note("assumptions", id, "OWASP TML validity: "+validity)
	}

	// Threat personas describe the adversary, which Ward states as
	// assumptions.
	for _, p := range t.root.get("threat_personas").list() {
		src := p.get("symbolic_name").text()
		name := firstNonEmpty(p.get("title").text(), src)
		id := t.ids.assign("assumption", "persona "+src, "adversary "+readableID(src, name), "adversary")
		var traits []string
		if !p.get("is_person").boolean() && p.get("is_person") != nil {
			traits = append(traits, "an automated system")
		}
		for _, k := range []string{"skill_level", "access_level", "applicability_to_org"} {
			if v := p.get(k).text(); v != "" {
				traits = append(traits, strings.ReplaceAll(k, "_", " ")+" "+v)
			}
		}
		if mi := p.get("malicious_intent"); mi != nil && !mi.boolean() {
			traits = append(traits, "no malicious intent")
		}
		text := "Adversary " + name
		if d := oneLine(p.get("description").text()); d != "" {
			text += ": " + d
		}
		if len(traits) > 0 {
			text += " (" + strings.Join(traits, "; ") + ")"
		}
		t.m.Assumptions = append(t.m.Assumptions, model.Assumption{ID: id, Text: text})
		t.note("assumptions", id, "OWASP TML threat persona "+src)
	}
}

// tmlControlStatus maps OWASP TML control statuses to Ward's; retired and
// wont_do controls address nothing.
var tmlControlStatus = map[string]string{
	"assumed": "implemented", "active": "implemented",
	"suggested": "planned", "under_review": "planned", "approved": "planned", "scheduled": "planned",
}

func (t *tmlImport) controls() {
	for _, c := range t.root.get("controls").list() {
		src := c.get("symbolic_name").text()
		name := firstNonEmpty(oneLine(c.get("title").text()), src)
		id := t.ids.assign("control", src, readableID(src, name), "control")
		ctl := model.Control{ID: id, Name: name, Description: c.get("description").text()}
		cat, matched := guessControlCategory(name + " " + ctl.Description)
		ctl.Category = cat
		reason := "guessed from words in the name and description; check it"
		if !matched {
			reason = "no word matched, so the default was used; check it"
		}
		t.infer("controls", id, "category", reason, "control categories guessed")

		status := c.get("status").text()
		ctl.Status = tmlControlStatus[status]
		if status != "" {
			t.note("controls", id, "OWASP TML status: "+status)
		}
		if p := c.get("priority").text(); p != "" {
			t.note("controls", id, "OWASP TML priority: "+p)
		}
		if tb := c.get("trust_boundary"); tb.isMap() {
			t.note("controls", id, fmt.Sprintf("OWASP TML trust boundary: %s to %s", tb.get("trust_zone_a").text(), tb.get("trust_zone_b").text()))
		}
		t.m.Controls = append(t.m.Controls, ctl)
		if status == "retired" || status == "wont_do" {
			t.note("controls", id, "not linked to its threats, because its OWASP TML status says it is not in place and will not be")
			continue
		}
		for _, th := range c.get("threats").strings() {
			t.targets[th] = append(t.targets[th], id)
		}
	}
}

// tmlExploitability maps OWASP TML likelihoods to Ward's exploitability
// levels, and tmlSeverity impacts to severity levels.
var (
	tmlExploitability = map[string]string{"rare": "low", "unlikely": "low", "possible": "medium", "likely": "high", "certain": "critical"}
	tmlSeverity       = map[string]string{"negligible": "low", "minor": "low", "moderate": "medium", "major": "high", "severe": "critical"}
	levelOrder        = []string{"low", "medium", "high", "critical"}
)

// tmlRisk is the highest likelihood and impact of the risks a threat
// factors into.
type tmlRisk struct {
	exploitability, severity string
	risks                    []string
}

func (t *tmlImport) risks() map[string]*tmlRisk {
	out := map[string]*tmlRisk{}
	higher := func(a, b string) string {
		if slices.Index(levelOrder, b) > slices.Index(levelOrder, a) {
			return b
		}
		return a
	}
	for _, r := range t.root.get("risks").list() {
		desc := fmt.Sprintf("%s (likelihood %s, impact %s, score %s, level %s)", firstNonEmpty(r.get("title").text(), r.get("symbolic_name").text()),
			r.get("likelihood").text(), r.get("impact").text(), r.get("score").text(), r.get("level").text())
		for _, th := range r.get("threats").strings() {
			tr := out[th]
			if tr == nil {
				tr = &tmlRisk{}
				out[th] = tr
			}
			tr.exploitability = higher(tr.exploitability, tmlExploitability[r.get("likelihood").text()])
			tr.severity = higher(tr.severity, tmlSeverity[r.get("impact").text()])
			tr.risks = append(tr.risks, desc)
		}
	}
	return out
}

func (t *tmlImport) threats() {
	risks := t.risks()
	systemID := ""
	for _, th := range t.root.get("threats").list() {
		src := th.get("symbolic_name").text()
		title := firstNonEmpty(oneLine(th.get("title").text()), src)

		var targets []string
		for _, c := range th.get("components_affected").strings() {
			if id, ok := t.lookupTyped("", c, th.pos); ok {
				targets = append(targets, id)
			} else {
				t.drop("%s: threat %q affects %q, which is not an element of the model", th.pos, src, c)
			}
		}
		inferredTarget := false
		if len(targets) == 0 {
			if systemID == "" {
				systemID = t.systemElement()
			}
			targets, inferredTarget = []string{systemID}, true
		}

		for i, target := range targets {
			preferred := readableID(src, title)
			if i > 0 {
				preferred += "-" + target
			}
			id := t.ids.assign("threat", "", preferred, "threat")
			te := model.ThreatEntry{ID: id, Title: title, Description: th.get("description").text(), Element: target, Status: "open",
				Controls: slices.Clone(t.targets[src])}
			if inferredTarget {
				t.infer("threats", id, "element", "the OWASP TML threat lists no affected component", "threat targets missing in the source")
			}
			t.threatNotes(id, th)
			if r := risks[src]; r != nil {
				te.Exploitability, te.Severity = r.exploitability, r.severity
				for _, desc := range r.risks {
					t.note("threats", id, "OWASP TML risk: "+desc)
				}
			}
			t.m.Threats = append(t.m.Threats, te)
		}
	}
}

// systemElement adds the process that stands for the whole system as the
// target of threats that name no component.
func (t *tmlImport) systemElement() string {
	name := firstNonEmpty(t.root.get("scope").get("title").text(), baseName(t.file))
	id := t.ids.assign("element", "", name+" system", "system")
	t.m.Elements = append(t.m.Elements, model.Element{ID: id, Kind: "process", Name: name + " (whole system)"})
	t.note("elements", id, "inferred: threats without components_affected need a target; this process stands for the whole system. Move each threat to the element it concerns.")
	return id
}

func (t *tmlImport) threatNotes(id string, th *node) {
	if p := th.get("threat_persona").text(); p != "" {
		t.note("threats", id, "OWASP TML threat persona: "+p)
	}
	if e := th.get("event").text(); e != "" {
		t.note("threats", id, "OWASP TML event: "+oneLine(e))
	}
	if s := th.get("sources").strings(); len(s) > 0 {
		t.note("threats", id, "OWASP TML sources: "+strings.Join(s, ", "))
	}
	var refs []string
	for _, am := range th.get("attack_mechanisms").list() {
		if n := am.get("capec_id").text(); n != "" {
			refs = append(refs, strings.TrimSpace("CAPEC-"+n+" "+am.get("capec_title").text()))
		}
	}
	for _, w := range th.get("weaknesses").list() {
		if n := w.get("cwe_id").text(); n != "" {
			refs = append(refs, strings.TrimSpace("CWE-"+n+" "+w.get("cwe_title").text()))
		}
	}
	for _, r := range refs {
		t.note("threats", id, r)
	}
}

// dropUnmapped reports the lists Ward has no place for.
func (t *tmlImport) dropUnmapped() {
	if n := len(t.root.get("diagrams").list()); n > 0 {
		t.drop("diagrams (%d): Ward draws its own diagrams from the model", n)
	}
	if ext := t.root.get("extensions"); ext.isMap() && len(ext.keys) > 0 {
		t.drop("extensions %s: not part of the OWASP Threat Model Library schema", strings.Join(ext.keys, ", "))
	}
}
