package interop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

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
