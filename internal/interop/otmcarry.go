package interop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// OTM has no field for much of a Ward model. ExportOTM writes each such
// model field into the attributes object of the OTM item it belongs to,
// under "ward_" and the field's YAML key (ward_technology, ward_scope, ...),
// and ImportOTM reads them back. Sections with no OTM item at all, such as
// interfaces, dependencies and reviews, travel in the project's attributes.
// The lists below name the YAML keys carried this way. Every other key of
// these types has an OTM field or one of the older attribute keys in otm.go.
var (
	otmCarriedSections = []string{"assumptions", "interfaces", "dependencies", "sboms", "hazards", "issues",
		"reviews", "vulnerabilities", "rules", "risk", "views"}
	otmCarriedSystem   = []string{"manufacturer", "version", "released", "intended_use", "environments", "methodology", "review_interval", "not_applicable"}
	otmCarriedDocument = []string{"classification", "title"}
	otmCarriedElement  = []string{"technology", "patients", "dependencies", "scope", "suppress"}
	otmCarriedFlow     = []string{"integrity", "replay_protection", "scope", "suppress"}
	otmCarriedControl  = []string{"elements"}
	otmCarriedThreat   = []string{"impact", "vector", "phase", "cvss", "hazards", "hazard_rationale", "issue",
		"exploitability", "severity", "residual_exploitability", "residual_severity"}
)

// Attribute keys of carried content that is not a single model field.
const (
	// otmPrefix starts every attribute key Ward writes.
	otmPrefix = "ward_"
	// otmDocumentPrefix starts the keys of system.document fields.
	otmDocumentPrefix = "ward_document_"
	// otmThreatEntries is the model's threats list in its order. It has
	// dispositions in full and hand-written threats by ID alone, because
	// OTM's threats carry the rest of those.
	otmThreatEntries = "ward_threats"
	// otmElement is the element of a hand-written threat that OTM cannot
	// attach to a component or dataflow, such as an interface.
	otmElement = "ward_element"
	// otmUnnamed marks a flow that had no name, because OTM requires one and
	// the export uses the flow's ID.
	otmUnnamed = "ward_unnamed"
)

// carryFields copies the fields of the struct that v points to whose YAML
// keys are listed into attrs, under prefix and the key. Empty values are
// left out, as the YAML writer leaves them out.
func carryFields(attrs map[string]any, prefix string, v any, keys []string) {
	rv := reflect.ValueOf(v).Elem()
	for _, key := range keys {
		f := fieldByKey(rv, key)
		if isEmpty(f) {
			continue
		}
		attrs[prefix+key] = f.Interface()
	}
}

// restoreFields reads the attributes that carryFields wrote back into the
// struct that v points to. A value that does not decode is left out and
// reported as dropped, naming what it belonged to.
func (b *builder) restoreFields(attrs *node, prefix string, v any, keys []string, owner string) {
	rv := reflect.ValueOf(v).Elem()
	for _, key := range keys {
		n := attrs.get(prefix + key)
		if n == nil {
			continue
		}
		// Decode into a fresh value, so a value that fails half way
		// leaves nothing behind.
		f := fieldByKey(rv, key)
		fresh := reflect.New(f.Type())
		if err := decodeNode(n, fresh.Interface()); err != nil {
			b.drop("%s: %s of %s is not valid Ward content (%v); it was left out", n.pos, prefix+key, owner, err)
			continue
		}
		f.Set(fresh.Elem())
	}
}

// fieldByKey returns the field of struct v whose JSON tag, which is the
// model's YAML key, is key. The key lists above are fixed, so a key that
// names no field is a programming error.
func fieldByKey(v reflect.Value, key string) reflect.Value {
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == key {
			return v.Field(i)
		}
	}
	panic(fmt.Sprintf("interop: %s has no field with YAML key %q", t, key))
}

// decodeNode decodes n into v with the model's JSON tags, which are its
// YAML keys. Unknown keys are an error, so a value written by a newer Ward
// is reported instead of losing fields silently.
func decodeNode(n *node, v any) error {
	data, err := json.Marshal(n.toAny())
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// restoreSections reads the model sections that travel in the project's
// attributes and reserves their IDs, so that threats assigned later do not
// take them.
func (o *otmImport) restoreSections() {
	attrs := o.root.get("project").get("attributes")
	o.restoreFields(attrs, otmPrefix, o.m, otmCarriedSections, "the project")
	for _, list := range [][]string{
		collectIDs(o.m.Assumptions, func(a model.Assumption) string { return a.ID }),
		collectIDs(o.m.Interfaces, func(i model.Interface) string { return i.ID }),
		collectIDs(o.m.Dependencies, func(d model.Dependency) string { return d.ID }),
		collectIDs(o.m.Hazards, func(h model.Hazard) string { return h.ID }),
		collectIDs(o.m.Issues, func(i model.Issue) string { return i.ID }),
		collectIDs(o.m.Views.UseCases, func(u model.UseCase) string { return u.ID }),
	} {
		for _, id := range list {
			o.ids.reserve(id)
		}
	}
	if len(o.m.SBOMs) > 0 || len(o.m.Rules) > 0 {
		o.notes.Header = append(o.notes.Header,
			"The sboms and rules paths are kept as written, relative to the exported model's folder;",
			"they resolve only when this file is in that folder.")
	}
}

func collectIDs[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

// exportThreatEntries returns the model's threats: entries in order for the
// otmThreatEntries attribute, with hand-written threats cut to their ID.
func exportThreatEntries(threats []model.ThreatEntry) []model.ThreatEntry {
	out := make([]model.ThreatEntry, len(threats))
	for i, t := range threats {
		if t.ID != "" {
			out[i] = model.ThreatEntry{ID: t.ID}
			continue
		}
		out[i] = t
	}
	return out
}

// orderThreatEntries puts the imported hand-written threats back in the
// order of the otmThreatEntries attribute, with the dispositions that it
// carries in between. bySource maps an OTM threat ID to the indexes of the
// entries made from it. Entries the attribute does not name, such as
// threats added in another tool, follow in the order they were made.
func (o *otmImport) orderThreatEntries(bySource map[string][]int) {
	n := o.root.get("project").get("attributes").get(otmThreatEntries)
	if n == nil {
		return
	}
	var entries []model.ThreatEntry
	if err := decodeNode(n, &entries); err != nil {
		o.drop("%s: %s of the project is not valid Ward content (%v); threat dispositions were left out", n.pos, otmThreatEntries, err)
		return
	}
	imported := o.m.Threats
	placed := make([]bool, len(imported))
	out := make([]model.ThreatEntry, 0, len(entries)+len(imported))
	for _, e := range entries {
		if e.ID == "" {
			out = append(out, e)
			continue
		}
		for _, i := range bySource[e.ID] {
			if !placed[i] {
				out = append(out, imported[i])
				placed[i] = true
			}
		}
	}
	for i, t := range imported {
		if !placed[i] {
			out = append(out, t)
		}
	}
	o.m.Threats = out
}

// otmNotExported lists what ExportOTM cannot carry, for the caller's
// "not exported" report.
func otmNotExported(m *model.Model) []string {
	var out []string
	switch n := len(m.Include); {
	case n == 1:
		out = append(out, "include: the content of the included file is exported merged into the model, so the imported model is one file")
	case n > 1:
		out = append(out, fmt.Sprintf("include: the content of the %d included files is exported merged into the model, so the imported model is one file", n))
	}
	return out
}

// pruneCarried removes references that the ward_ attributes make to
// components and dataflows deleted in another tool since the export, so
// the imported model still validates. Each removal is reported as dropped.
func (o *otmImport) pruneCarried() {
	m := o.m
	elements := map[string]bool{}
	for _, e := range m.Elements {
		elements[e.ID] = true
	}
	flows := map[string]bool{}
	for _, f := range m.Flows {
		flows[f.ID] = true
	}

	targets := map[string]bool{}
	maps.Copy(targets, elements)
	maps.Copy(targets, flows)
	m.Interfaces = slices.DeleteFunc(m.Interfaces, func(i model.Interface) bool {
		if elements[i.Of] {
			targets[i.ID] = true
			return false
		}
		o.drop("interface %q of %q: the component is not in the file, so the interface was left out", i.ID, i.Of)
		return true
	})
	items := maps.Clone(targets)
	items[m.System.ID] = true
	for _, b := range m.Boundaries {
		items[b.ID] = true
	}
	for _, d := range m.Dependencies {
		items[d.ID] = true
	}
	m.Threats = slices.DeleteFunc(m.Threats, func(t model.ThreatEntry) bool {
		switch {
		case t.ID != "" && !targets[t.Element]:
			o.drop("threat %q on %q: the item is not in the file, so the threat was left out", t.ID, t.Element)
			return true
		case t.ID == "":
			// A threat ID ends in @ and the ID of the item it targets. A
			// glob there, as in *@pump-*, can match any item.
			at := strings.LastIndexByte(t.Match, '@')
			if target := t.Match[at+1:]; at >= 0 && !strings.ContainsAny(target, "*?[") && !items[target] {
				o.drop("disposition of %q: %q is not in the file, so the disposition was left out", t.Match, target)
				return true
			}
		}
		return false
	})

	for i := range m.Controls {
		m.Controls[i].Elements = o.keepKnown(m.Controls[i].Elements, elements, "control "+m.Controls[i].ID)
	}
	for i := range m.Dependencies {
		m.Dependencies[i].Elements = o.keepKnown(m.Dependencies[i].Elements, elements, "dependency "+m.Dependencies[i].ID)
	}
	useCases := m.Views.UseCases
	for i := range useCases {
		useCases[i].Flows = o.keepKnown(useCases[i].Flows, flows, "use case "+useCases[i].ID)
	}
	m.Views.UseCases = slices.DeleteFunc(useCases, func(u model.UseCase) bool {
		if len(u.Flows) > 0 {
			return false
		}
		o.drop("use case %q: none of its flows is in the file, so the use case was left out", u.ID)
		return true
	})
}

// keepKnown returns the IDs of list that known contains, reporting the
// others as dropped from owner.
func (o *otmImport) keepKnown(list []string, known map[string]bool, owner string) []string {
	return slices.DeleteFunc(list, func(id string) bool {
		if known[id] {
			return false
		}
		o.drop("%s: reference to %q left out, because that item is not in the file", owner, id)
		return true
	})
}

// maxCarriedRounds bounds dropInvalidCarried. Each round removes what the
// previous one left dangling (an issue naming an interface that was
// removed), and chains longer than this do not occur in a model.
const maxCarriedRounds = 4

// dropInvalidCarried validates the model and removes carried content that
// has errors, such as an interface whose exposure another tool changed to
// a value Ward does not know, so that the import still writes a valid
// model. Errors in content that OTM fields hold are left alone, because
// the importer itself builds that content.
func (o *otmImport) dropInvalidCarried() {
	for range maxCarriedRounds {
		o.pruneCarried()

		// Validate the model as ward import will: written and parsed,
		// because model.Validate tells a missing key from an empty one by
		// the positions that only parsing records.
		var buf bytes.Buffer
		if err := WriteYAML(&buf, o.m, nil); err != nil {
			return
		}
		_, diags := model.Parse("imported.yaml", buf.Bytes(), model.LoadOptions{})
		errs := diags.Errors()
		if len(errs) == 0 {
			return
		}
		var paths []carriedItem
		for _, d := range errs {
			if p, ok := parseCarriedPath(d); ok {
				paths = append(paths, p)
			}
		}
		// Remove list items from the back, so earlier indexes stay valid,
		// and each item once however many errors it has.
		slices.SortStableFunc(paths, func(a, b carriedItem) int { return b.index - a.index })
		removed := map[string]bool{}
		changed := false
		for _, p := range paths {
			at := p.section + "[" + strconv.Itoa(p.index) + "]"
			if removed[at] {
				continue
			}
			if o.dropCarriedAt(p) {
				removed[at] = p.index >= 0
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// carriedItem is the place a validation error points at.
type carriedItem struct {
	section string
	// index is the list index, or -1 for a section that is no list.
	index int
	key   string
	why   string
}

func parseCarriedPath(d diag.Diagnostic) (carriedItem, bool) {
	parts := carriedPath.FindStringSubmatch(d.Path)
	if parts == nil {
		return carriedItem{}, false
	}
	item := carriedItem{section: parts[1], index: -1, key: parts[3], why: fmt.Sprintf("%s: %s", d.Path, d.Summary)}
	if parts[2] != "" {
		n, err := strconv.Atoi(parts[2])
		if err != nil {
			return carriedItem{}, false
		}
		item.index = n
	}
	return item, true
}

// carriedPath matches the start of a field path: section, optional index
// and the key after it, as in interfaces[3].exposure or system.released.
var carriedPath = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?`)

// dropCarriedAt removes the carried item or field at p. It returns false
// when p is content that OTM fields hold.
func (o *otmImport) dropCarriedAt(p carriedItem) bool {
	section, key, index, why := p.section, p.key, p.index, p.why
	m := o.m

	switch {
	case slices.Contains(otmCarriedSections, section) && section != "views" && section != "risk":
		list := fieldByKey(reflect.ValueOf(m).Elem(), section)
		if index < 0 || index >= list.Len() {
			return false
		}
		list.Set(reflect.AppendSlice(list.Slice(0, index), list.Slice(index+1, list.Len())))
		o.drop("%s %d from the ward_%s attribute is not valid (%s), so it was left out", section, index, section, why)
		return true
	case section == "views" || section == "risk":
		fieldByKey(reflect.ValueOf(m).Elem(), section).SetZero()
		o.drop("ward_%s is not valid (%s), so it was left out", section, why)
		return true
	case section == "system" && slices.Contains(otmCarriedSystem, key):
		fieldByKey(reflect.ValueOf(&m.System).Elem(), key).SetZero()
		o.drop("ward_%s is not valid (%s), so it was left out", key, why)
		return true
	case section == "threats" && index >= 0 && index < len(m.Threats) && m.Threats[index].ID == "":
		m.Threats = slices.Delete(m.Threats, index, index+1)
		o.drop("threat disposition %d from ward_threats is not valid (%s), so it was left out", index, why)
		return true
	}

	carried := map[string][]string{"elements": otmCarriedElement, "flows": otmCarriedFlow, "threats": otmCarriedThreat, "controls": otmCarriedControl}
	keys, ok := carried[section]
	if !ok || index < 0 || !slices.Contains(keys, key) {
		return false
	}
	list := fieldByKey(reflect.ValueOf(m).Elem(), section)
	if index >= list.Len() {
		return false
	}
	fieldByKey(list.Index(index), key).SetZero()
	o.drop("ward_%s of %s %d is not valid (%s), so it was left out", key, section, index, why)
	return true
}
