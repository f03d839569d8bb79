package threat

// vectorOf derives the attack vector of threats against a target from where
// an attacker must be to reach it:
//
//   - a flow: its protocol's transport; without a known transport, network
//     when the flow crosses a trust boundary and local otherwise;
//   - an interface: adjacent for radios and NFC, physical for the rest,
//     or the most exposed transport of its protocols when it is external;
//   - a store: the most exposed of the flows that reach it and the
//     interfaces it has, local when there are none;
//   - a process: the same, except that a flow counts with the vector of
//     the data it relays from further away (see reachOf), because a
//     process parses what arrives whichever link it came over;
//   - an external entity: the most exposed of the flows it sends, network
//     when it sends none;
//   - a dependency: the most exposed of the elements that contain it, local
//     when none does;
//   - a boundary: from its kind (physical, network, process → local, ...);
//   - the system: the most exposed of its elements, network when empty.
//
// Rules that state a vector are clamped to it by ruleVector.
func (ix *index) vectorOf(t *target) string {
	if t.vector != "" {
		return t.vector
	}
	v := ix.deriveVector(t)
	t.vector = v
	return v
}

func (ix *index) deriveVector(t *target) string {
	switch {
	case t.flow != nil:
		if tr, ok := t.facts.stringAt(factTransport); ok {
			return tr
		}
		if crosses, _ := t.facts.boolAt(factCrossesBoundary); crosses {
			return VectorNetwork
		}
		return VectorLocal

	case t.iface != nil:
		v := VectorPhysical
		if kv, ok := interfaceVectors[t.iface.Kind]; ok {
			v = kv
		}
		// Only a port outside the enclosure lets its protocols carry an
		// attack from afar; a network chip on the board needs hands on it.
		if t.iface.Exposure == "external" {
			for _, p := range t.iface.Protocols {
				v = moreExposed(v, ix.transport(p))
			}
		}
		return v

	case t.element != nil && t.element.Kind == "entity":
		v := ""
		for _, ft := range t.flowsOut {
			v = moreExposed(v, ix.vectorOf(ft))
		}
		if v == "" {
			return VectorNetwork
		}
		return v

	case t.element != nil:
		v := ""
		for _, ft := range t.flowsIn {
			if t.element.Kind == "process" {
				v = moreExposed(v, ix.reachOf(ft, t))
			} else {
				v = moreExposed(v, ix.vectorOf(ft))
			}
		}
		for _, it := range t.ifaces {
			v = moreExposed(v, ix.vectorOf(it))
		}
		if v == "" {
			return VectorLocal
		}
		return v

	case t.dependency != nil:
		v := ""
		for _, id := range ix.usersOf[t.ID] {
			if et := ix.elementTarget(id); et != nil {
				v = moreExposed(v, ix.vectorOf(et))
			}
		}
		if v == "" {
			return VectorLocal
		}
		return v

	case t.boundary != nil:
		if v, ok := boundaryVectors[t.boundary.Kind]; ok {
			return v
		}
		return VectorNetwork
	}

	// The system.
	v := ""
	for _, et := range ix.targets {
		if et.element != nil {
			v = moreExposed(v, ix.vectorOf(et))
		}
	}
	if v == "" {
		return VectorNetwork
	}
	return v
}

// ruleVector returns the attack vector of a rule's threat on a target: the
// rule's own vector, made less exposed where the target cannot be reached
// that way. A flow, an interface, and a process or store that some flow or
// interface reaches is clamped to vectorOf. Entities, dependencies,
// boundaries, the system and unreached processes and stores keep the rule's
// vector, because the model shows no path that would limit it.
func (ix *index) ruleVector(t *target, rule string) string {
	if t.clamp == clampUnknown {
		t.clamp = ix.clampOf(t)
	}
	if t.clamp == clampNever {
		return rule
	}
	return lessExposed(rule, ix.vectorOf(t))
}

// Values of target.clamp, which caches whether ruleVector clamps a rule's
// vector on the target, because ruleVector runs once per threat.
const (
	clampUnknown int8 = iota
	clampAlways
	clampNever
)

// clampOf returns clampAlways when ruleVector clamps rule vectors on t to
// vectorOf, clampNever when it keeps them.
func (ix *index) clampOf(t *target) int8 {
	switch {
	case t.flow != nil, t.iface != nil:
	case t.element != nil && t.element.Kind != "entity":
		if len(t.flowsIn) == 0 && len(t.ifaces) == 0 {
			return clampNever
		}
	default:
		return clampNever
	}
	return clampAlways
}

// needOf returns a target's need for confidentiality, integrity or
// availability from the data it involves, medium when no data states one.
func needOf(t *target, fact string) string {
	switch fact {
	case needC:
		return t.needs[0]
	case needI:
		return t.needs[1]
	case needA:
		return t.needs[2]
	}
	return "medium"
}

// computeNeeds fills t.needs from the target's level facts.
func computeNeeds(t *target) {
	for i, slot := range factNeeds {
		t.needs[i] = "medium"
		if level, ok := t.facts.levelAt(slot); ok {
			t.needs[i] = level
		}
	}
}
