package threat

// linkTargets resolves, once, the references between targets that fact
// computation and the methods follow: each flow's ends and data categories,
// each element's flows, interfaces and boundary chain, each interface's
// element. On a model of tens of thousands of items, looking these up by ID
// wherever they are needed cost more than any method.
func (ix *index) linkTargets() {
	chains := make(map[string][]string)
	for _, t := range ix.targets {
		switch {
		case t.element != nil:
			t.relations[relationBoundary] = ix.lookup(TargetBoundary, t.element.Boundary)
			chain, ok := chains[t.element.Boundary]
			if !ok {
				chain = ix.boundaryChain(t.element.Boundary)
				chains[t.element.Boundary] = chain
			}
			t.chain = chain

		case t.flow != nil:
			fl := t.flow
			from, to := ix.elementTarget(fl.From), ix.elementTarget(fl.To)
			t.relations[relationFrom], t.relations[relationTo] = from, to
			for _, id := range fl.Data {
				if d := ix.data[id]; d != nil {
					t.categories |= categoryBit(d.Category)
				}
			}
			link := func(src, dst *target) {
				if src != nil {
					src.flowsOut = append(src.flowsOut, t)
				}
				if dst != nil {
					dst.flowsIn = append(dst.flowsIn, t)
				}
			}
			link(from, to)
			if fl.Bidirectional && fl.From != fl.To {
				link(to, from)
			}

		case t.iface != nil:
			owner := ix.elementTarget(t.iface.Of)
			t.relations[relationOf] = owner
			if owner != nil {
				owner.ifaces = append(owner.ifaces, t)
			}
		}
	}
}

// from and to return the elements at the ends of a flow target; nil when
// the model names no such element.
func (t *target) from() *target { return t.relations[relationFrom] }
func (t *target) to() *target   { return t.relations[relationTo] }

// peer returns the end of a flow target that is not the element e.
func (t *target) peer(e *target) *target {
	if t.from() == e {
		return t.to()
	}
	return t.from()
}

// innermost returns the ID of an element target's innermost trust
// boundary, "" when t is nil or the element has none.
func (t *target) innermost() string {
	if t == nil || t.element == nil {
		return ""
	}
	return t.element.Boundary
}

// carries reports whether a flow target carries data of a category.
func (t *target) carries(category string) bool {
	return t.categories&categoryBit(category) != 0
}

// carriesPersonalData reports whether a flow target carries PHI or PII.
func (t *target) carriesPersonalData() bool {
	return t.categories&(categoryBit("phi")|categoryBit("pii")) != 0
}

// anyCarries reports whether any of the flow targets carries data of a
// category.
func anyCarries(flows []*target, category string) bool {
	bit := categoryBit(category)
	for _, ft := range flows {
		if ft.categories&bit != 0 {
			return true
		}
	}
	return false
}
