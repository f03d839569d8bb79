package risk

import (
	"slices"

	"github.com/wardtm/ward/internal/threat"
)

// SafetyCategories are the data categories whose corruption or loss can
// harm a patient: therapy commands and parameters, alarms, device
// configuration, and diagnostic readings, on which diagnosis and dosing
// decisions rest (a falsified glucose reading leads to a wrong insulin
// dose).
var SafetyCategories = []string{"therapy", "alarm", "configuration", "diagnostic"}

// safetyData returns the IDs of the data that make t safety-relevant, in
// model order without repeats, or nil when t is not safety-relevant. A
// threat is safety-relevant when its integrity or availability impact is
// high and its target involves data of a safety category. A flow involves
// the data it carries, an element the data it keeps or exchanges over its
// flows, and an interface the data of the element it belongs to.
func (ix *index) safetyData(t *threat.Threat) []string {
	if t.Impact.Integrity != "high" && t.Impact.Availability != "high" {
		return nil
	}
	var out []string
	for _, id := range ix.involvedData(t.Target) {
		d := ix.data[id]
		if d != nil && slices.Contains(SafetyCategories, d.Category) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// involvedData returns the IDs of the data a flow, interface or element
// target carries, keeps or exchanges, possibly with repeats. Dependency,
// boundary and system targets involve none.
func (ix *index) involvedData(target *threat.Target) []string {
	switch target.Kind {
	case threat.TargetFlow:
		if f := ix.flows[target.ID]; f != nil {
			return f.Data
		}
		return nil
	case threat.TargetInterface:
		if i := ix.interfaces[target.ID]; i != nil {
			return ix.elementData(i.Of)
		}
		return nil
	case threat.TargetDependency, threat.TargetBoundary, threat.TargetSystem:
		// NOTE: a known vulnerability of a library that a therapy process
		// uses is not counted here; its hazard link is left to the user.
		return nil
	}
	return ix.elementData(target.ID)
}

// elementData returns the data an element keeps and the data of the flows
// that start or end at it.
func (ix *index) elementData(id string) []string {
	var ids []string
	if e := ix.elements[id]; e != nil {
		ids = append(ids, e.Stores...)
	}
	for _, f := range ix.flowsAt[id] {
		ids = append(ids, f.Data...)
	}
	return ids
}
