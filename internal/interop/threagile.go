package interop

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// maxIncludeDepth bounds chains of Threagile includes.
const maxIncludeDepth = 8

// importThreagile reads a Threagile model (threagile_version 1.x).
func importThreagile(file string, data []byte, opts Options) (*Result, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	root, err = threagileIncludes(file, root, opts, []string{filepath.Clean(file)})
	if err != nil {
		return nil, err
	}
	if !root.isMap() {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-threagile", "top level of the Threagile model is not a mapping", "start the file with threagile_version and title keys")
	}
	t := &threagileImport{builder: newBuilder(Threagile, file), root: root, elements: map[string]*node{}}
	t.system()
	t.dataAssets()
	t.technicalAssets()
	t.trustBoundaries()
	t.sharedRuntimes()
	t.links()
	t.individualRisks()
	t.riskTracking()
	t.dropUnmapped()
	return t.finish(root.get("title").text(), ""), nil
}

type threagileImport struct {
	*builder
	root *node
	// elements maps a Ward element ID to its technical asset node.
	elements map[string]*node
}

// threagileIncludes merges the files listed under includes: into root.
// Keys of the including file win; included paths must stay inside the
// folder of the including file.
func threagileIncludes(file string, root *node, opts Options, chain []string) (*node, error) {
	inc := root.get("includes")
	if inc == nil || !root.isMap() {
		return root, nil
	}
	if len(chain) > maxIncludeDepth {
		return nil, inputError(inc.pos, "include-too-deep", fmt.Sprintf("includes nest more than %d files deep", maxIncludeDepth), "include the files from one main file")
	}
	dir := filepath.Dir(file)
	for _, item := range inc.list() {
		name := item.text()
		clean := path.Clean(filepath.ToSlash(name))
		if name == "" || path.IsAbs(clean) || filepath.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") {
			return nil, inputError(item.pos, "invalid-include", fmt.Sprintf("include %q is not a relative path inside the model's folder", name), "move the included file next to the model")
		}
		full := filepath.Join(dir, filepath.FromSlash(clean))
		if slices.Contains(chain, full) {
			return nil, inputError(item.pos, "include-cycle", fmt.Sprintf("include %q includes itself through %s", name, strings.Join(chain, " -> ")), "remove the cycle")
		}
		data, err := opts.ReadFile(full)
		if err != nil {
			return nil, fmt.Errorf("reading %s, included from %s: %w", full, item.pos, err)
		}
		sub, err := parseYAML(full, data)
		if err != nil {
			return nil, err
		}
		sub, err = threagileIncludes(full, sub, opts, append(chain, full))
		if err != nil {
			return nil, err
		}
		mergeInto(root, sub)
	}
	return root, nil
}

// mergeInto adds the keys of src missing from dst, one level deep for
// mappings such as technical_assets.
func mergeInto(dst, src *node) {
	if !dst.isMap() || !src.isMap() {
		return
	}
	for i, k := range src.keys {
		if k == "includes" {
			continue
		}
		have := dst.get(k)
		switch {
		case have == nil || have.kind == kindNull:
			setKey(dst, k, src.vals[i])
		case have.isMap() && src.vals[i].isMap():
			for j, sk := range src.vals[i].keys {
				if !hasKey(have, sk) {
					setKey(have, sk, src.vals[i].vals[j])
				}
			}
		}
	}
}

func (t *threagileImport) system() {
	s := &t.m.System
	s.Name = t.root.get("title").text()
	s.Description = stripHTML(t.root.get("business_overview").get("description").text())
	if name := t.root.get("author").get("name").text(); name != "" {
		s.Document.Owner = name
	}
	if d := t.root.get("date").text(); d != "" {
		t.notes.Field("system.document", "", "version", "Threagile model date "+d)
	}
	if c := t.root.get("business_criticality").text(); c != "" {
		t.note("system", "", "Threagile business criticality: "+c)
	}
	if tech := stripHTML(t.root.get("technical_overview").get("description").text()); tech != "" && s.Description != tech {
		t.note("system", "", "Threagile technical overview: "+oneLine(tech))
	}
}

// ciaLevel maps Threagile's confidentiality and criticality scales to
// Ward's low, medium and high.
func ciaLevel(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "public", "internal", "archive", "operational":
		return "low"
	case "restricted", "important":
		return "medium"
	case "confidential", "strictly-confidential", "critical", "mission-critical":
		return "high"
	}
	return ""
}

func (t *threagileImport) dataAssets() {
	da := t.root.get("data_assets")
	for i, name := range da.keysOrNil() {
		v := da.vals[i]
		id := t.ids.assign("data", firstNonEmpty(v.get("id").text(), name), firstNonEmpty(v.get("id").text(), name), "data")
		d := t.addData(model.Data{
			ID:              id,
			Name:            name,
			Description:     stripHTML(v.get("description").text()),
			Confidentiality: ciaLevel(v.get("confidentiality").text()),
			Integrity:       ciaLevel(v.get("integrity").text()),
			Availability:    ciaLevel(v.get("availability").text()),
		})
		t.note("data", d.ID, fmt.Sprintf("Threagile ratings: confidentiality %s, integrity %s, availability %s (mapped to low, medium, high)",
			v.get("confidentiality").text(), v.get("integrity").text(), v.get("availability").text()))
		if j := oneLine(v.get("justification_cia_rating").text()); j != "" {
			t.note("data", d.ID, "rating justification: "+j)
		}
	}
}

func (t *threagileImport) technicalAssets() {
	ta := t.root.get("technical_assets")
	// IDs first, so links can point at assets defined later in the file.
	ids := make([]string, len(ta.keysOrNil()))
	for i, name := range ta.keysOrNil() {
		v := ta.vals[i]
		src := firstNonEmpty(v.get("id").text(), name)
		ids[i] = t.ids.assign("element", src, src, "element")
	}
	for i, name := range ta.keysOrNil() {
		v := ta.vals[i]
		id := ids[i]
		t.elements[id] = v
		e := model.Element{ID: id, Name: name, Description: stripHTML(v.get("description").text()), Tags: v.get("tags").strings()}
		switch typ := v.get("type").text(); typ {
		case "external-entity":
			e.Kind = "entity"
		case "datastore":
			e.Kind = "store"
		case "process":
			e.Kind = "process"
		default:
			e.Kind = "process"
			t.infer("elements", id, "kind", fmt.Sprintf("Threagile type %q is unknown; taken as a process", typ), "element kinds guessed")
		}
		attrs := map[string]any{}
		for _, k := range []string{"technology", "size", "machine", "usage", "owner", "encryption"} {
			if s := v.get(k).text(); s != "" {
				attrs["threagile_"+k] = s
			}
		}
		for _, k := range []string{"internet", "multi_tenant", "redundant", "custom_developed_parts", "used_as_client_by_human"} {
			if v.get(k) != nil && v.get(k).kind == kindScalar {
				attrs[k] = v.get(k).boolean()
			}
		}
		if formats := v.get("data_formats_accepted").strings(); len(formats) > 0 {
			attrs["data_formats_accepted"] = toAnySlice(formats)
		}
		if len(attrs) > 0 {
			e.Attributes = attrs
		}
		for _, d := range append(v.get("data_assets_processed").strings(), v.get("data_assets_stored").strings()...) {
			if wid, ok := t.ids.lookup("data", d); ok {
				if !slices.Contains(e.Stores, wid) {
					e.Stores = append(e.Stores, wid)
				}
			} else {
				t.drop("%s: technical asset %q names data asset %q, which is not defined", v.posOr(diag.Pos{}), name, d)
			}
		}
		if e.Kind == "store" {
			if enc := v.get("encryption").text(); enc != "" {
				e.Encrypted = boolPtr(enc != "none")
			}
		}
		if v.get("out_of_scope").boolean() {
			e.Scope = model.Scope{Out: true, Reason: oneLine(v.get("justification_out_of_scope").text())}
			if e.Scope.Reason == "" {
				e.Scope.Reason = "out of scope in the Threagile model, which gives no reason"
				t.infer("elements", id, "scope.reason", "Threagile gives no reason", "out-of-scope reasons missing")
			}
		}
		t.m.Elements = append(t.m.Elements, e)
	}
}

// boundaryKind maps a Threagile trust boundary type to a Ward kind.
func boundaryKind(typ string) (string, bool) {
	switch {
	case strings.HasPrefix(typ, "network-cloud"):
		return "cloud", true
	case strings.HasPrefix(typ, "network"):
		return "network", true
	case typ == "execution-environment":
		return "process", true
	}
	return "network", false
}

func (t *threagileImport) trustBoundaries() {
	tb := t.root.get("trust_boundaries")
	names := tb.keysOrNil()
	ids := make([]string, len(names))
	for i, name := range names {
		v := tb.vals[i]
		src := firstNonEmpty(v.get("id").text(), name)
		ids[i] = t.ids.assign("boundary", src, src, "boundary")
		kind, known := boundaryKind(v.get("type").text())
		t.m.Boundaries = append(t.m.Boundaries, model.Boundary{ID: ids[i], Name: name, Description: stripHTML(v.get("description").text()), Kind: kind})
		if !known {
			t.infer("boundaries", ids[i], "kind", fmt.Sprintf("Threagile type %q has no Ward kind; taken as network", v.get("type").text()), "boundary kinds guessed")
		} else {
			t.note("boundaries", ids[i], "Threagile type: "+v.get("type").text())
		}
	}
	byID := map[string]*model.Boundary{}
	for i := range t.m.Boundaries {
		byID[t.m.Boundaries[i].ID] = &t.m.Boundaries[i]
	}
	for i, name := range names {
		for _, child := range tb.vals[i].get("trust_boundaries_nested").list() {
			cid, ok := t.ids.lookup("boundary", child.text())
			switch {
			case !ok:
				t.drop("%s: trust boundary %q nests %q, which is not defined", child.pos, name, child.text())
			case cid == ids[i]:
				t.drop("%s: trust boundary %q nests itself", child.pos, name)
			case byID[cid].Parent != "":
				t.drop("%s: trust boundary %q is nested in both %q and %q; kept in the first", child.pos, child.text(), byID[cid].Parent, ids[i])
			case isAncestor(byID, cid, ids[i]):
				t.drop("%s: nesting %q in %q would make a cycle", child.pos, child.text(), name)
			default:
				byID[cid].Parent = ids[i]
			}
		}
	}
	// Place elements, deepest boundaries last, so an asset listed by a
	// boundary and by its parent ends up in the inner one.
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return depthOf(byID, ids[order[a]]) < depthOf(byID, ids[order[b]]) })
	for _, i := range order {
		for _, a := range tb.vals[i].get("technical_assets_inside").list() {
			eid, ok := t.ids.lookup("element", a.text())
			if !ok {
				t.drop("%s: trust boundary %q lists technical asset %q, which is not defined", a.pos, names[i], a.text())
				continue
			}
			e := t.element(eid)
			if e.Boundary != "" && !isAncestor(byID, e.Boundary, ids[i]) {
				t.note("elements", eid, fmt.Sprintf("Threagile also lists this asset in trust boundary %s; Ward keeps one boundary per element", ids[i]))
				continue
			}
			e.Boundary = ids[i]
		}
	}
}

// isAncestor reports whether anc is id or one of its parents.
func isAncestor(byID map[string]*model.Boundary, anc, id string) bool {
	for n := 0; id != "" && n <= len(byID); n++ {
		if id == anc {
			return true
		}
		b := byID[id]
		if b == nil {
			return false
		}
		id = b.Parent
	}
	return false
}

func depthOf(byID map[string]*model.Boundary, id string) int {
	d := 0
	for b := byID[id]; b != nil && b.Parent != "" && d <= len(byID); b = byID[b.Parent] {
		d++
	}
	return d
}

func (t *threagileImport) element(id string) *model.Element {
	for i := range t.m.Elements {
		if t.m.Elements[i].ID == id {
			return &t.m.Elements[i]
		}
	}
	return nil
}

func (t *threagileImport) sharedRuntimes() {
	sr := t.root.get("shared_runtimes")
	used := 0
	for i, name := range sr.keysOrNil() {
		v := sr.vals[i]
		rid := slug(firstNonEmpty(v.get("id").text(), name))
		for _, a := range v.get("technical_assets_running").list() {
			eid, ok := t.ids.lookup("element", a.text())
			if !ok {
				t.drop("%s: shared runtime %q lists technical asset %q, which is not defined", a.pos, name, a.text())
				continue
			}
			e := t.element(eid)
			if e.Attributes == nil {
				e.Attributes = map[string]any{}
			}
			list, _ := e.Attributes["shared_runtime"].([]any)
			e.Attributes["shared_runtime"] = append(list, rid)
			t.note("elements", eid, fmt.Sprintf("runs on Threagile shared runtime %q (%s); Ward has no runtime item, so it is kept in attributes.shared_runtime", name, rid))
			used++
		}
	}
	if used > 0 {
		t.drop("shared runtimes: Ward has no runtime item; %d runtime placements kept as the shared_runtime attribute of elements", used)
	}
}

// threagileAuth maps Threagile link authentication to Ward's values.
func threagileAuth(a string) (string, bool) {
	switch a {
	case "none", "":
		return "none", a != ""
	case "client-certificate":
		return "mutual", true
	case "credentials", "session-id", "token", "two-factor", "externalized":
		return "one-way", true
	}
	return "", false
}

func (t *threagileImport) links() {
	ta := t.root.get("technical_assets")
	for i, assetName := range ta.keysOrNil() {
		v := ta.vals[i]
		src, _ := t.ids.lookup("element", firstNonEmpty(v.get("id").text(), assetName))
		cl := v.get("communication_links")
		for j, linkName := range cl.keysOrNil() {
			l := cl.vals[j]
			target := l.get("target").text()
			dst, ok := t.ids.lookup("element", target)
			if !ok {
				t.drop("%s: communication link %q of %q goes to %q, which is not a technical asset", l.get("target").posOr(l.pos), linkName, assetName, target)
				continue
			}
			id := t.ids.assign("flow", "", src+"-"+linkName, "flow")
			f := model.Flow{ID: id, Name: linkName, Description: stripHTML(l.get("description").text()), From: src, To: dst}
			proto := l.get("protocol").text()
			if proto != "" && proto != "unknown-protocol" {
				f.Protocol.Name = t.protocol(proto)
				if f.Protocol.Name != proto {
					t.notes.Field("flows", id, "protocol", "Threagile protocol "+proto)
				}
				if enc, known := encryptedProtocol(proto); known {
					f.Encryption = boolPtr(enc)
					t.infer("flows", id, "encryption", "from protocol "+proto, "flow encryption derived from the protocol")
				}
			}
			auth := l.get("authentication").text()
			if a, ok := threagileAuth(auth); ok {
				f.Authentication = a
				if auth != a {
					t.infer("flows", id, "authentication", "Threagile authentication "+auth, "flow authentication mapped from Threagile's methods")
				}
			}
			sent := l.get("data_assets_sent").strings()
			received := l.get("data_assets_received").strings()
			for _, d := range append(sent, received...) {
				wid, ok := t.ids.lookup("data", d)
				if !ok {
					t.drop("%s: communication link %q names data asset %q, which is not defined", l.pos, linkName, d)
					continue
				}
				if !slices.Contains(f.Data, wid) {
					f.Data = append(f.Data, wid)
				}
			}
			if len(received) > 0 {
				f.Bidirectional = true
				t.infer("flows", id, "bidirectional", "the link receives data back", "flows made bidirectional because data comes back")
			}
			attrs := map[string]any{}
			for _, k := range []string{"authorization", "usage"} {
				if s := l.get(k).text(); s != "" {
					attrs[k] = s
				}
			}
			if auth != "" {
				attrs["threagile_authentication"] = auth
			}
			for _, k := range []string{"vpn", "ip_filtered", "readonly"} {
				if l.get(k) != nil && l.get(k).kind == kindScalar {
					attrs[k] = l.get(k).boolean()
				}
			}
			if tags := l.get("tags").strings(); len(tags) > 0 {
				attrs["tags"] = toAnySlice(tags)
			}
			if len(attrs) > 0 {
				f.Attributes = attrs
			}
			t.m.Flows = append(t.m.Flows, f)
		}
	}
}

// threagileStatus maps a Threagile risk tracking status.
func threagileStatus(s string) string {
	switch s {
	case "accepted":
		return "accepted"
	case "mitigated":
		return "mitigated"
	case "false-positive":
		return "not-applicable"
	}
	return "open"
}

func (t *threagileImport) individualRisks() {
	irc := t.root.get("individual_risk_categories")
	for i, catName := range irc.keysOrNil() {
		cat := irc.vals[i]
		catID := firstNonEmpty(cat.get("id").text(), catName)
		risks := cat.get("risks_identified")
		for j, title := range risks.keysOrNil() {
			r := risks.vals[j]
			asset := r.get("most_relevant_technical_asset").text()
			id := t.ids.assign("threat", "", catID+"-"+asset, "threat")
			te := model.ThreatEntry{ID: id, Title: stripHTML(title), Description: stripHTML(cat.get("description").text()), Status: "open"}
			if eid, ok := t.ids.lookup("element", asset); ok {
				te.Element = eid
			}
			if s := strings.ToLower(cat.get("stride").text()); model.STRIDECategories.Has(s) {
				te.STRIDE = s
			}
			t.note("threats", id, fmt.Sprintf("Threagile individual risk category %q: severity %s, likelihood %s, impact %s",
				catID, r.get("severity").text(), r.get("exploitation_likelihood").text(), r.get("exploitation_impact").text()))
			if m := oneLine(cat.get("mitigation").text()); m != "" {
				t.note("threats", id, "Threagile mitigation: "+m)
			}
			t.m.Threats = append(t.m.Threats, te)
		}
	}
}

func (t *threagileImport) riskTracking() {
	rt := t.root.get("risk_tracking")
	for i, key := range rt.keysOrNil() {
		v := rt.vals[i]
		parts := strings.Split(key, "@")
		id := t.ids.assign("threat", "", "threagile-"+strings.ReplaceAll(key, "*", "any"), "threat")
		te := model.ThreatEntry{
			ID:            id,
			Title:         "Threagile risk " + key,
			Description:   fmt.Sprintf("Threagile risk tracking entry for the risks that match %s.", key),
			Status:        threagileStatus(v.get("status").text()),
			Justification: oneLine(v.get("justification").text()),
			Tracker:       v.get("ticket").text(),
		}
		for _, p := range parts[1:] {
			if eid, ok := t.ids.lookup("element", p); ok {
				te.Element = eid
				break
			}
		}
		if te.Element == "" {
			// A hand-written threat needs a target, and this entry names
			// none, so it is kept as a comment only.
			t.ids.release(id)
			t.notes.Header = append(t.notes.Header, fmt.Sprintf("Threagile risk tracking %s: status %s, %s (names no single element, so no threat entry was made)",
				key, v.get("status").text(), firstNonEmpty(oneLine(v.get("justification").text()), "no justification")))
			t.drop("%s: risk tracking entry %s names no single technical asset; kept as a comment at the top of the file", v.pos, key)
			continue
		}
		t.note("threats", id, fmt.Sprintf("Threagile risk ID %s: Threagile's rule IDs do not match Ward's, so the entry is kept as a hand-written threat", key))
		if st := v.get("status").text(); st != te.Status {
			t.note("threats", id, fmt.Sprintf("Threagile status %q", st))
		}
		if by, date := v.get("checked_by").text(), v.get("date").text(); by != "" || date != "" {
			t.note("threats", id, strings.TrimSpace(fmt.Sprintf("checked by %s on %s", by, date)))
		}
		t.m.Threats = append(t.m.Threats, te)
	}
}

// dropUnmapped reports the Threagile sections Ward has no place for.
func (t *threagileImport) dropUnmapped() {
	for _, k := range []string{"abuse_cases", "security_requirements", "questions"} {
		if n := len(t.root.get(k).keysOrNil()); n > 0 {
			if n == 1 {
				t.drop("%s: 1 entry; Ward has no place for it, copy what matters into assumptions or threats", k)
				continue
			}
			t.drop("%s: %d entries; Ward has no place for them, copy what matters into assumptions or threats", k, n)
		}
	}
	if n := len(t.root.get("tags_available").list()); n > 0 {
		tags := "tags"
		if n == 1 {
			tags = "tag"
		}
		t.drop("tags_available: %d %s; Ward keeps tags on elements only", n, tags)
	}
}

// keysOrNil returns the keys of a mapping, or nil for anything else.
func (n *node) keysOrNil() []string {
	if !n.isMap() {
		return nil
	}
	return n.keys
}

var htmlTag = regexp.MustCompile(`</?[a-zA-Z][^<>]*>`)

// stripHTML removes the markup tags Threagile allows in texts.
func stripHTML(s string) string { return strings.TrimSpace(htmlTag.ReplaceAllString(s, "")) }

// oneLine folds white space so a text fits a comment line.
func oneLine(s string) string { return strings.Join(strings.Fields(stripHTML(s)), " ") }

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func toAnySlice(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
