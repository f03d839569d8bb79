package interop

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// Attribute keys Ward writes into OTM attributes objects so that a
// Ward -> OTM -> Ward round trip keeps what OTM has no field for.
const (
	otmKind           = "ward_kind"
	otmRole           = "ward_role"
	otmCategory       = "ward_category"
	otmStatus         = "ward_status"
	otmJustification  = "ward_justification"
	otmUnassigned     = "ward_unassigned"
	otmProtocol       = "ward_protocol"
	otmEncryption     = "ward_encryption"
	otmAuth           = "ward_authentication"
	otmVerification   = "ward_verification"
	otmLevels         = "ward_levels"
	otmTracker        = "ward_tracker"
	otmLifecycle      = "ward_lifecycle"
	otmDocID          = "ward_document_id"
	otmDocVersion     = "ward_document_version"
	otmAttributes     = "ward_attributes"
	otmProtocolDefs   = "ward_protocols"
	otmProtocolDetail = "ward_protocol_detail"
	otmRoleDefs       = "ward_roles"
)

// importOTM reads an Open Threat Model file (versions 0.1 and 0.2), in
// JSON or YAML.
func importOTM(file string, data []byte) (*Result, error) {
	var root *node
	var err error
	if trimmed := strings.TrimLeft(string(data[:min(len(data), 64)]), "\xef\xbb\xbf \t\r\n"); strings.HasPrefix(trimmed, "{") {
		root, err = parseJSON(file, data)
	} else {
		root, err = parseYAML(file, data)
	}
	if err != nil {
		return nil, err
	}
	if root.get("otmVersion") == nil {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-otm", "otmVersion is missing, so this is not an OTM file", "check the file or pass another --from format")
	}
	o := &otmImport{builder: newBuilder(OTM, file), root: root}
	// A file that ward export wrote keeps Ward's IDs, case included.
	o.ids.keepValid = root.get("project").get("attributes").get(otmDocID) != nil
	o.project()
	o.assets()
	o.trustZones()
	o.components()
	o.dataflows()
	o.mitigations()
	o.restoreSections()
	o.threats()
	o.dropInvalidCarried()
	if n := len(root.get("representations").list()); n > 0 {
		o.drop("representations: %d diagram and code representations; Ward lays out diagrams itself", n)
	}
	p := root.get("project")
	return o.finish(p.get("name").text(), p.get("description").text()), nil
}

type otmImport struct {
	*builder
	root *node
	// instances lists threat instances in the order they were found.
	instances []otmInstance
}

type otmInstance struct {
	threat, target string
	n              *node
}

func (o *otmImport) project() {
	p := o.root.get("project")
	s := &o.m.System
	attrs := p.get("attributes")
	o.restoreFields(attrs, otmPrefix, s, otmCarriedSystem, "the project")
	o.restoreFields(attrs, otmDocumentPrefix, &s.Document, otmCarriedDocument, "the project")
	s.ID = slug(p.get("id").text())
	if o.ids.keepValid && wardID.MatchString(p.get("id").text()) {
		s.ID = p.get("id").text()
	}
	s.Document.Owner = p.get("owner").text()
	s.Document.ID = attrs.get(otmDocID).text()
	s.Document.Version = attrs.get(otmDocVersion).text()
	if l := attrs.get(otmLifecycle).text(); model.Lifecycles.Has(l) {
		s.Lifecycle = l
	}
	for _, d := range attrs.get(otmProtocolDefs).list() {
		if id := d.get("id").text(); id != "" && !model.Protocols.Has(id) {
			o.m.Protocols = append(o.m.Protocols, model.ProtocolDef{ID: id, Name: d.get("name").text(), Description: d.get("description").text(), Transport: d.get("transport").text()})
		}
	}
	for _, d := range attrs.get(otmRoleDefs).list() {
		if id := d.get("id").text(); id != "" && !model.Roles.Has(id) {
			o.m.Roles = append(o.m.Roles, model.RoleDef{ID: id, Name: d.get("name").text(), Description: d.get("description").text()})
		}
	}
	if c := p.get("ownerContact").text(); c != "" {
		o.note("system", "", "OTM owner contact: "+c)
	}
}

// otmLevel maps an OTM risk value (0 to 100) to low, medium or high.
func otmLevel(n *node) string {
	v, ok := n.number()
	switch {
	case !ok:
		return ""
	case v <= 33:
		return "low"
	case v <= 66:
		return "medium"
	}
	return "high"
}

func (o *otmImport) assets() {
	for _, a := range o.root.get("assets").list() {
		src := a.get("id").text()
		id := o.ids.assign("data", src, readableID(src, a.get("name").text()), "data")
		risk := a.get("risk")
		d := model.Data{ID: id, Name: firstNonEmpty(a.get("name").text(), src), Description: a.get("description").text(),
			Confidentiality: otmLevel(risk.get("confidentiality")), Integrity: otmLevel(risk.get("integrity")), Availability: otmLevel(risk.get("availability"))}
		attrs := a.get("attributes")
		if c := attrs.get(otmCategory).text(); model.DataCategories.Has(c) {
			d.Category = c
		}
		if lv := attrs.get(otmLevels); lv.isMap() {
			d.Confidentiality, d.Integrity, d.Availability = lv.get("confidentiality").text(), lv.get("integrity").text(), lv.get("availability").text()
		} else if risk != nil {
			o.note("data", id, fmt.Sprintf("OTM risk: confidentiality %s, integrity %s, availability %s (0 to 100, mapped to low, medium, high)",
				risk.get("confidentiality").text(), risk.get("integrity").text(), risk.get("availability").text()))
		}
		o.addData(d)
	}
}

// otmZoneKind maps an OTM trust zone type to a boundary kind.
func otmZoneKind(typ string) (string, bool) {
	t := strings.ToLower(typ)
	switch {
	case model.BoundaryKinds.Has(t):
		return t, true
	case strings.Contains(t, "cloud") || strings.Contains(t, "aws") || strings.Contains(t, "azure"):
		return "cloud", true
	case strings.Contains(t, "internet") || strings.Contains(t, "dmz") || strings.Contains(t, "network") || strings.Contains(t, "private") || strings.Contains(t, "public"):
		return "network", true
	}
	return "network", false
}

func (o *otmImport) trustZones() {
	zones := o.root.get("trustZones").list()
	for _, z := range zones {
		if z.get("attributes").get(otmUnassigned).boolean() {
			continue
		}
		src := z.get("id").text()
		name := firstNonEmpty(z.get("name").text(), src)
		id := o.ids.assign("zone", src, readableID(src, name), "boundary")
		kind, known := otmZoneKind(firstNonEmpty(z.get("attributes").get(otmKind).text(), z.get("type").text()))
		o.m.Boundaries = append(o.m.Boundaries, model.Boundary{ID: id, Name: name, Description: z.get("description").text(), Kind: kind})
		if !known {
			o.infer("boundaries", id, "kind", fmt.Sprintf("OTM trust zone type %q has no Ward kind", z.get("type").text()), "boundary kinds guessed")
		}
		if r := z.get("risk").get("trustRating").text(); r != "" && z.get("attributes").get(otmKind) == nil {
			o.note("boundaries", id, "OTM trust rating: "+r)
		}
	}
	for _, z := range zones {
		parent := z.get("parent").get("trustZone").text()
		if parent == "" {
			continue
		}
		id, _ := o.ids.lookup("zone", z.get("id").text())
		pid, ok := o.ids.lookup("zone", parent)
		if !ok {
			o.drop("%s: trust zone %q has parent %q, which is not a trust zone", z.get("parent").pos, z.get("id").text(), parent)
			continue
		}
		for i := range o.m.Boundaries {
			if o.m.Boundaries[i].ID == id && pid != id && !isAncestor(boundaryIndex(o.m), id, pid) {
				o.m.Boundaries[i].Parent = pid
			}
		}
	}
}

func boundaryIndex(m *model.Model) map[string]*model.Boundary {
	out := map[string]*model.Boundary{}
	for i := range m.Boundaries {
		out[m.Boundaries[i].ID] = &m.Boundaries[i]
	}
	return out
}

// guessElementKind picks process, store or entity from an OTM component type.
func guessElementKind(typ string) string {
	t := strings.ToLower(typ)
	for _, w := range []string{"database", "datastore", "data-store", "store", "storage", "bucket", "s3", "db", "cache", "queue", "file", "repository", "vault"} {
		if strings.Contains(t, w) {
			return "store"
		}
	}
	for _, w := range []string{"client", "user", "actor", "browser", "external", "mobile", "third-party", "human", "person", "device"} {
		if strings.Contains(t, w) {
			return "entity"
		}
	}
	return "process"
}

func (o *otmImport) components() {
	comps := o.root.get("components").list()
	ids := make([]string, len(comps))
	for i, c := range comps {
		src := c.get("id").text()
		ids[i] = o.ids.assign("element", src, readableID(src, c.get("name").text()), "element")
	}
	for i, c := range comps {
		src := c.get("id").text()
		id := ids[i]
		attrs := c.get("attributes")
		e := model.Element{ID: id, Name: firstNonEmpty(c.get("name").text(), src), Description: c.get("description").text(), Tags: c.get("tags").strings()}
		if k := attrs.get(otmKind).text(); model.ElementKinds.Has(k) {
			e.Kind = k
		} else {
			e.Kind = guessElementKind(c.get("type").text())
			o.infer("elements", id, "kind", fmt.Sprintf("from OTM component type %q", c.get("type").text()), "element kinds guessed from OTM component types")
		}
		e.Role = attrs.get(otmRole).text()
		if zone := c.get("parent").get("trustZone").text(); zone != "" {
			if bid, ok := o.ids.lookup("zone", zone); ok {
				e.Boundary = bid
			}
		} else if pc := c.get("parent").get("component").text(); pc != "" {
			e.Boundary = o.componentZone(comps, pc, 0)
			o.note("elements", id, "OTM places this component inside component "+pc+"; Ward has no nested elements, so it takes that component's boundary")
		}
		if otype := c.get("type").text(); otype != "" && attrs.get(otmKind) == nil {
			e.Attributes = map[string]any{"otm_type": otype}
		}
		if kept := attrs.get(otmAttributes); kept.isMap() {
			if m, ok := kept.toAny().(map[string]any); ok {
				e.Attributes = m
			}
		}
		for _, d := range append(c.get("assets").get("processed").strings(), c.get("assets").get("stored").strings()...) {
			if did, ok := o.ids.lookup("data", d); ok && !containsString(e.Stores, did) {
				e.Stores = append(e.Stores, did)
			}
		}
		if enc := attrs.get(otmEncryption); enc != nil {
			e.Encrypted = boolPtr(enc.boolean())
		}
		o.restoreFields(attrs, otmPrefix, &e, otmCarriedElement, "component "+src)
		o.m.Elements = append(o.m.Elements, e)
		for _, t := range c.get("threats").list() {
			o.instances = append(o.instances, otmInstance{threat: t.get("threat").text(), target: id, n: t})
		}
	}
}

// componentZone follows component parents up to a trust zone.
func (o *otmImport) componentZone(comps []*node, id string, depth int) string {
	if depth > len(comps) {
		return ""
	}
	for _, c := range comps {
		if c.get("id").text() != id {
			continue
		}
		if zone := c.get("parent").get("trustZone").text(); zone != "" {
			bid, _ := o.ids.lookup("zone", zone)
			return bid
		}
		return o.componentZone(comps, c.get("parent").get("component").text(), depth+1)
	}
	return ""
}

func (o *otmImport) dataflows() {
	for _, f := range o.root.get("dataflows").list() {
		src, dst := f.get("source").text(), f.get("destination").text()
		from, ok1 := o.ids.lookup("element", src)
		to, ok2 := o.ids.lookup("element", dst)
		if !ok1 || !ok2 {
			o.drop("%s: dataflow %q connects %q and %q, which are not both components", f.pos, f.get("id").text(), src, dst)
			continue
		}
		srcID := f.get("id").text()
		id := o.ids.assign("flow", srcID, readableID(srcID, f.get("name").text()), "flow")
		fl := model.Flow{ID: id, Name: f.get("name").text(), Description: f.get("description").text(), From: from, To: to, Bidirectional: f.get("bidirectional").boolean()}
		attrs := f.get("attributes")
		if attrs.get(otmUnnamed).boolean() && fl.Name == srcID {
			fl.Name = ""
		}
		o.restoreFields(attrs, otmPrefix, &fl, otmCarriedFlow, "dataflow "+srcID)
		if p := firstNonEmpty(attrs.get(otmProtocol).text(), attrs.get("protocol").text()); p != "" {
			fl.Protocol.Name = o.protocol(p)
			detail := attrs.get(otmProtocolDetail)
			fl.Protocol.Version, fl.Protocol.Port = detail.get("version").text(), detail.get("port").text()
			fl.Protocol.Channel, fl.Protocol.Security = detail.get("channel").text(), detail.get("security").text()
		}
		if enc := attrs.get(otmEncryption); enc != nil {
			fl.Encryption = boolPtr(enc.boolean())
		}
		if a := attrs.get(otmAuth).text(); model.Authentications.Has(a) {
			fl.Authentication = a
		}
		if kept := attrs.get(otmAttributes); kept.isMap() {
			if m, ok := kept.toAny().(map[string]any); ok {
				fl.Attributes = m
			}
		}
		for _, d := range f.get("assets").strings() {
			if did, ok := o.ids.lookup("data", d); ok && !containsString(fl.Data, did) {
				fl.Data = append(fl.Data, did)
			}
		}
		if tags := f.get("tags").strings(); len(tags) > 0 {
			if fl.Attributes == nil {
				fl.Attributes = map[string]any{}
			}
			fl.Attributes["tags"] = toAnySlice(tags)
		}
		o.m.Flows = append(o.m.Flows, fl)
		for _, t := range f.get("threats").list() {
			o.instances = append(o.instances, otmInstance{threat: t.get("threat").text(), target: id, n: t})
		}
	}
}

// guessControlCategory picks one of the FDA control categories from words
// in a mitigation's name and description.
func guessControlCategory(text string) (string, bool) {
	t := strings.ToLower(text)
	rules := []struct {
		category string
		words    []string
	}{
		{"authentication", []string{"authenticat", "mfa", "2fa", "password", "login", "credential", "identity", "pairing"}},
		{"authorization", []string{"authoriz", "access control", "permission", "role", "privilege", "least"}},
		{"cryptography", []string{"encrypt", "crypt", "tls", "https", "cipher", "hash", "certificate", " key"}},
		{"event-detection-logging", []string{"log", "monitor", "audit", "detect", "alert"}},
		{"updatability-patchability", []string{"update", "patch", "upgrade"}},
		{"resiliency-recovery", []string{"backup", "redundan", "recover", "rate limit", "throttl", "retry", "failover", "denial", "queue"}},
		{"confidentiality", []string{"confidential", "mask", "redact", "privacy"}},
		{"code-data-execution-integrity", []string{"validat", "sanitiz", "integrity", "input", "harden", "sign"}},
	}
	for _, r := range rules {
		for _, w := range r.words {
			if strings.Contains(t, w) {
				return r.category, true
			}
		}
	}
	return "code-data-execution-integrity", false
}

func (o *otmImport) mitigations() {
	for _, mit := range o.root.get("mitigations").list() {
		src := mit.get("id").text()
		id := o.ids.assign("control", src, readableID(src, mit.get("name").text()), "control")
		attrs := mit.get("attributes")
		c := model.Control{ID: id, Name: firstNonEmpty(mit.get("name").text(), src), Description: mit.get("description").text(),
			Verification: attrs.get(otmVerification).text()}
		if cat := attrs.get(otmCategory).text(); model.ControlCategories.Has(cat) {
			c.Category = cat
		} else {
			cat, matched := guessControlCategory(c.Name + " " + c.Description)
			c.Category = cat
			why := "guessed from words in the name and description; check it"
			if !matched {
				why = "no word matched, so the default was used; check it"
			}
			o.infer("controls", id, "category", why, "control categories guessed")
		}
		if st := attrs.get(otmStatus).text(); model.ControlStatuses.Has(st) {
			c.Status = st
		}
		o.restoreFields(attrs, otmPrefix, &c, otmCarriedControl, "mitigation "+src)
		if r := mit.get("riskReduction").text(); r != "" && attrs.get(otmCategory) == nil {
			o.note("controls", id, "OTM risk reduction: "+r)
		}
		o.m.Controls = append(o.m.Controls, c)
	}
}

// otmState maps an OTM threat instance state to a threat status.
func otmState(s string) string {
	t := strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	if model.ThreatStatuses.Has(t) {
		return t
	}
	switch t {
	case "not applicable", "na", "n/a":
		return "not-applicable"
	case "implemented":
		return "mitigated"
	}
	return "open"
}

func (o *otmImport) threats() {
	defs := map[string]*node{}
	var order []string
	for _, t := range o.root.get("threats").list() {
		id := t.get("id").text()
		if _, dup := defs[id]; !dup {
			order = append(order, id)
		}
		defs[id] = t
	}
	used := map[string]bool{}
	bySource := map[string][]int{}
	for _, in := range o.instances {
		def, ok := defs[in.threat]
		if !ok {
			o.drop("%s: threat instance names threat %q, which is not defined", in.n.pos, in.threat)
			continue
		}
		bySource[in.threat] = append(bySource[in.threat], len(o.m.Threats))
		o.threat(def, in.target, in.n, used[in.threat])
		used[in.threat] = true
	}
	for _, id := range order {
		if used[id] {
			continue
		}
		def := defs[id]
		// Ward writes ward_status on every threat it exports. One attached
		// to no component or dataflow targets another item, such as an
		// interface, or the whole system.
		if attrs := def.get("attributes"); attrs.get(otmStatus) != nil {
			bySource[id] = append(bySource[id], len(o.m.Threats))
			o.threat(def, attrs.get(otmElement).text(), nil, false)
			continue
		}
		o.notes.Header = append(o.notes.Header, fmt.Sprintf("OTM threat %s %q is attached to no component or dataflow, so no threat entry was made", id, def.get("name").text()))
		o.drop("%s: threat %q is attached to no component or dataflow; kept as a comment at the top of the file", def.pos, id)
	}
	o.orderThreatEntries(bySource)
}

func (o *otmImport) threat(def *node, target string, inst *node, again bool) {
	src := def.get("id").text()
	preferred := readableID(src, def.get("name").text())
	if again {
		preferred += "-" + target
	}
	id := o.ids.assign("threat", "", preferred, "threat")
	attrs := def.get("attributes")
	te := model.ThreatEntry{ID: id, Title: firstNonEmpty(def.get("name").text(), src), Description: def.get("description").text(), Element: target,
		Justification: attrs.get(otmJustification).text(), Tracker: attrs.get(otmTracker).text()}
	te.Status = "open"
	if inst != nil {
		te.Status = otmState(inst.get("state").text())
		for _, m := range inst.get("mitigations").list() {
			if cid, ok := o.ids.lookup("control", m.get("mitigation").text()); ok && !containsString(te.Controls, cid) {
				te.Controls = append(te.Controls, cid)
			}
		}
	} else if st := attrs.get(otmStatus).text(); model.ThreatStatuses.Has(st) {
		te.Status = st
	}
	// Ward writes an empty status as the instance state "open". Keep it
	// empty unless another tool changed the state since.
	if st := attrs.get(otmStatus); st != nil && te.Status == threatStatus(st.text()) {
		te.Status = st.text()
	}

	o.restoreFields(attrs, otmPrefix, &te, otmCarriedThreat, "threat "+src)
	var extra []string
	for _, c := range def.get("categories").strings() {
		s := strings.ReplaceAll(strings.ToLower(c), " ", "-")
		if model.STRIDECategories.Has(s) && te.STRIDE == "" {
			te.STRIDE = s
		} else if s != te.STRIDE {
			extra = append(extra, c)
		}
	}
	if len(extra) > 0 {
		o.note("threats", id, "further OTM categories: "+strings.Join(extra, ", "))
	}
	if cwes := def.get("cwes").strings(); len(cwes) > 0 {
		o.note("threats", id, "CWE: "+strings.Join(cwes, ", "))
	}
	o.m.Threats = append(o.m.Threats, te)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
