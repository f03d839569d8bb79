package interop

import (
	"bytes"
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
	for _, d := range m.Data {
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
// previous one left dangling, such as a threat on a removed interface and
// then an issue naming that threat. The bound only guards against a loop.
const maxCarriedRounds = 8

// dropInvalidCarried validates the model and removes carried content that
// has errors, such as an interface whose exposure another tool changed to
// a value Ward does not know, so that the import still writes a valid
// model. Errors in content that OTM fields hold are left alone, because
// the importer itself builds that content.
func (o *otmImport) dropInvalidCarried() {
	for range maxCarriedRounds {
		o.pruneCarried()

		// Validate the model as ward import will: written and parsed,
		// because model.Validate distinguishes a missing key from an empty one by
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
