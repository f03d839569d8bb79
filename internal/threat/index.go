package threat

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
)

// maxBoundaryDepth bounds the walk up a boundary's parents, so a parent cycle
// that validation missed cannot hang identification.
const maxBoundaryDepth = 64

// target is one thing a threat can be against, with its computed facts.
type target struct {
	// Target is what the register's threats point at. The Targets of one
	// index sit in their own slab, so the register does not keep the
	// index and its facts alive.
	*Target
	// out is true when the model takes the target out of scope, directly or
	// through the element it belongs to.
	out   bool
	facts *Facts
	// first and last end the list of candidates found against the
	// target, linked through candidate.next.
	first, last *candidate
	// rank is the target's position in the targets sorted by ID.
	rank int
	// row is the target's row in the coverage matrix, -1 when out of scope.
	row int
	// needs caches needOf: confidentiality, integrity, availability.
	needs [3]string
	// relations are the related targets description templates can name,
	// indexed by relationOf and the other relation constants: an
	// interface's element, a flow's two ends, an element's boundary.
	relations [relationBoundary + 1]*target
	// flowsIn and flowsOut are the flows that reach and leave an element,
	// and a bidirectional flow is in both lists of both ends. ifaces are
	// its interfaces, and chain is its boundary and their ancestors,
	// innermost first. linkTargets fills them, so fact computation and the
	// methods follow pointers instead of looking IDs up.
	flowsIn, flowsOut, ifaces []*target
	chain                     []string
	// categories has a bit per data category (categoryBits) that a flow
	// carries.
	categories uint32
	// reach caches reachOf for a flow: the vector of what arrives at its
	// destination, then at its source when it is bidirectional.
	reach [2]string
	// vector caches vectorOf.
	vector string
	// clamp caches whether ruleVector clamps rule vectors (see clampOf).
	clamp    int8
	suppress []model.Suppression
	// suppressPath is the YAML path of the item's suppress key, for
	// diagnostics.
	suppressPath string

	element    *model.Element
	flow       *model.Flow
	iface      *model.Interface
	dependency *model.Dependency
	boundary   *model.Boundary
}

// index is a read-only view of a model with the lookups that fact
// computation and the methods need. Build it once per Identify call.
type index struct {
	m    *model.Model
	opts Options

	elements   map[string]*model.Element
	boundaries map[string]*model.Boundary
	data       map[string]*model.Data

	// depsOf lists, per element ID, the IDs of the dependencies it contains,
	// sorted; usersOf is the reverse.
	depsOf  map[string][]string
	usersOf map[string][]string

	transports map[string]string
	// vulns lists, per dependency ID, the known vulnerabilities the model
	// has not resolved.
	vulns map[string][]KnownVulnerability

	// targets is every target in model order: system, boundaries,
	// elements, flows, interfaces, dependencies.
	targets []*target
	byKey   map[targetKey]*target
	// elementTargets finds an element's target by ID, whatever its kind.
	elementTargets map[string]*target

	// strings holds the threat IDs and descriptions built for the
	// register.
	strings arena
	// reachDone is set once computeReach has filled the flows' reach.
	reachDone bool
}

type targetKey struct{ kind, id string }

// newIndex builds the index of m and computes every target's facts.
func newIndex(m *model.Model, opts Options) *index {
	ix := &index{
		m:          m,
		opts:       opts,
		elements:   make(map[string]*model.Element, len(m.Elements)),
		boundaries: make(map[string]*model.Boundary, len(m.Boundaries)),
		data:       make(map[string]*model.Data, len(m.Data)),
		depsOf:     make(map[string][]string),
		usersOf:    make(map[string][]string),
		transports: make(map[string]string, len(protocolTransports)+len(m.Protocols)),
		vulns:      make(map[string][]KnownVulnerability),
	}
	ix.indexItems()
	ix.indexVulnerabilities()
	ix.collectTargets()
	ix.linkTargets()
	ix.computeAllFacts()
	ix.rankTargets()
	return ix
}

// factChunk is the number of fact values allocated at once.
const factChunk = 16384

// computeAllFacts computes the facts of every target. The facts of all
// targets share a few large allocations: each target's values are computed
// into a scratch list and then copied, at their exact length, into a chunk.
func (ix *index) computeAllFacts() {
	n := len(catalog.Facts)
	facts := make([]Facts, len(ix.targets))
	slots := make([]uint8, len(ix.targets)*n)
	// Facts.set appends only for a fact that has no value yet, so a
	// target has at most n values and scratch never grows.
	scratch := make([]Value, 0, n)
	var chunk []Value
	for i, t := range ix.targets {
		f := &facts[i]
		f.values, f.slot = scratch[:0], slots[i*n:(i+1)*n:(i+1)*n]
		ix.computeFacts(t, f)

		k := len(f.values)
		if cap(chunk)-len(chunk) < k {
			chunk = make([]Value, 0, max(factChunk, k))
		}
		start := len(chunk)
		chunk = append(chunk, f.values...)
		f.values = chunk[start:len(chunk):len(chunk)]
		t.facts = f
		computeNeeds(t)
	}
}

// rankTargets sets each target's rank to its position in the targets
// sorted by ID. Validation makes IDs unique across the model, so ranks
// order targets exactly as their IDs do.
func (ix *index) rankTargets() {
	byID := slices.Clone(ix.targets)
	slices.SortFunc(byID, func(a, b *target) int { return strings.Compare(a.ID, b.ID) })
	for i, t := range byID {
		t.rank = i
	}
}

func (ix *index) indexItems() {
	m := ix.m
	for i := range m.Elements {
		ix.elements[m.Elements[i].ID] = &m.Elements[i]
	}
	for i := range m.Boundaries {
		ix.boundaries[m.Boundaries[i].ID] = &m.Boundaries[i]
	}
	for i := range m.Data {
		ix.data[m.Data[i].ID] = &m.Data[i]
	}
	// An element contains a dependency when it lists it, or when the
	// dependency lists the element.
	link := func(elem, dep string) {
		ix.depsOf[elem] = append(ix.depsOf[elem], dep)
		ix.usersOf[dep] = append(ix.usersOf[dep], elem)
	}
	for _, e := range m.Elements {
		for _, d := range e.Dependencies {
			link(e.ID, d)
		}
	}
	for _, d := range m.Dependencies {
		for _, e := range d.Elements {
			link(e, d.ID)
		}
	}
	for k, v := range ix.depsOf {
		ix.depsOf[k] = sortedUnique(v)
	}
	for k, v := range ix.usersOf {
		ix.usersOf[k] = sortedUnique(v)
	}

	for name, tr := range protocolTransports {
		ix.transports[name] = tr
	}
	for _, p := range m.Protocols {
		if p.Transport != "" {
			ix.transports[strings.ToLower(p.ID)] = p.Transport
		}
	}
}

// indexVulnerabilities keeps the known vulnerabilities that no decision in
// the model resolves. A decision resolves a vulnerability when it names the
// vulnerability's ID or one of its aliases, applies to the dependency (or to
// every dependency), and has the status not-affected or fixed.
func (ix *index) indexVulnerabilities() {
	type decisionKey struct{ dep, id string }
	resolved := make(map[decisionKey]bool)
	for _, d := range ix.m.Vulnerabilities {
		if d.Status == "not-affected" || d.Status == "fixed" {
			resolved[decisionKey{d.Dependency, strings.ToUpper(d.ID)}] = true
		}
	}
	isResolved := func(k KnownVulnerability) bool {
		for _, id := range append([]string{k.ID}, k.Aliases...) {
			id = strings.ToUpper(id)
			if resolved[decisionKey{k.Dependency, id}] || resolved[decisionKey{"", id}] {
				return true
			}
		}
		return false
	}
	for _, k := range ix.opts.Known {
		if !isResolved(k) {
			ix.vulns[k.Dependency] = append(ix.vulns[k.Dependency], k)
		}
	}
	for dep, list := range ix.vulns {
		slices.SortFunc(list, func(a, b KnownVulnerability) int { return strings.Compare(a.ID, b.ID) })
		ix.vulns[dep] = slices.CompactFunc(list, func(a, b KnownVulnerability) bool { return a.ID == b.ID })
	}
}

func (ix *index) collectTargets() {
	m := ix.m
	// One allocation holds every target.
	n := 1 + len(m.Boundaries) + len(m.Elements) + len(m.Flows) + len(m.Interfaces) + len(m.Dependencies)
	slab := make([]target, 0, n)
	named := make([]Target, 0, n)
	ix.targets = make([]*target, 0, n)
	ix.byKey = make(map[targetKey]*target, n)
	ix.elementTargets = make(map[string]*target, len(m.Elements))
	add := func(tg Target, value *target) {
		named = append(named, tg)
		value.Target = &named[len(named)-1]
		slab = append(slab, *value)
		t := &slab[len(slab)-1]
		ix.targets = append(ix.targets, t)
		ix.byKey[targetKey{t.Kind, t.ID}] = t
		if t.element != nil {
			ix.elementTargets[t.ID] = t
		}
	}

	add(Target{ID: m.System.ID, Kind: TargetSystem, Name: m.System.Name, Pos: m.System.Pos()}, &target{})
	for i := range m.Boundaries {
		b := &m.Boundaries[i]
		add(Target{ID: b.ID, Kind: TargetBoundary, Name: b.Name, Pos: b.Pos()}, &target{boundary: b})
	}
	for i := range m.Elements {
		e := &m.Elements[i]
		add(Target{ID: e.ID, Kind: e.Kind, Name: e.Name, Pos: e.Pos()}, &target{
			out:          e.Scope.Out,
			suppress:     e.Suppress,
			suppressPath: suppressPath("elements", i, e.Suppress),
			element:      e,
		})
	}
	for i := range m.Flows {
		f := &m.Flows[i]
		add(Target{ID: f.ID, Kind: TargetFlow, Name: nameOr(f.Name, f.ID), Pos: f.Pos()}, &target{
			out:          f.Scope.Out,
			suppress:     f.Suppress,
			suppressPath: suppressPath("flows", i, f.Suppress),
			flow:         f,
		})
	}
	for i := range m.Interfaces {
		ifc := &m.Interfaces[i]
		owner := ix.elements[ifc.Of]
		add(Target{ID: ifc.ID, Kind: TargetInterface, Name: nameOr(ifc.Name, ifc.ID), Pos: ifc.Pos()}, &target{
			out:          ifc.Scope.Out || (owner != nil && owner.Scope.Out),
			suppress:     ifc.Suppress,
			suppressPath: suppressPath("interfaces", i, ifc.Suppress),
			iface:        ifc,
		})
	}
	for i := range m.Dependencies {
		d := &m.Dependencies[i]
		add(Target{ID: d.ID, Kind: TargetDependency, Name: nameOr(d.Name, d.ID), Pos: d.Pos()}, &target{
			out:        ix.onlyOutOfScopeUsers(d.ID),
			dependency: d,
		})
	}
}

// suppressPath returns the YAML path of an item's suppress key, or "" when
// the item has none and no diagnostic can need it.
func suppressPath(list string, i int, suppress []model.Suppression) string {
	if len(suppress) == 0 {
		return ""
	}
	return list + "[" + strconv.Itoa(i) + "].suppress"
}

// onlyOutOfScopeUsers reports whether a dependency is contained only in
// out-of-scope elements; a dependency no element names stays in scope.
func (ix *index) onlyOutOfScopeUsers(dep string) bool {
	users := ix.usersOf[dep]
	if len(users) == 0 {
		return false
	}
	for _, id := range users {
		if e := ix.elements[id]; e == nil || !e.Scope.Out {
			return false
		}
	}
	return true
}

// lookup returns the target of the given kind and ID. For the element kinds
// process, store and entity the kind must match the element's.
func (ix *index) lookup(kind, id string) *target {
	return ix.byKey[targetKey{kind, id}]
}

// elementTarget returns the target of an element ID, whatever its kind.
func (ix *index) elementTarget(id string) *target {
	return ix.elementTargets[id]
}

// findTarget resolves an ID written in a hand-written threat: an element,
// flow, interface, dependency, boundary or the system.
func (ix *index) findTarget(id string) *target {
	if t := ix.elementTarget(id); t != nil {
		return t
	}
	for _, kind := range []string{TargetFlow, TargetInterface, TargetDependency, TargetBoundary, TargetSystem} {
		if t := ix.lookup(kind, id); t != nil {
			return t
		}
	}
	return nil
}

// boundaryChain returns the IDs of an element's boundary and its ancestors,
// innermost first.
func (ix *index) boundaryChain(id string) []string {
	var chain []string
	for id != "" && len(chain) < maxBoundaryDepth {
		chain = append(chain, id)
		b := ix.boundaries[id]
		if b == nil {
			break
		}
		id = b.Parent
	}
	return chain
}

func (ix *index) systemTarget() *target { return ix.targets[0] }

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
