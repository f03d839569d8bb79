package model

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// idKind is the kind of item an ID names. All kinds share one namespace, so
// an ID is unique across the whole model and a reference to the wrong
// kind can name the kind it found.
type idKind int

const (
	kindData idKind = iota
	kindBoundary
	kindElement
	kindFlow
	kindInterface
	kindDependency
	kindControl
	kindHazard
	kindThreat
	kindIssue
	kindAssumption
	kindUseCase
	numKinds
)

var kindInfo = [numKinds]struct{ noun, list string }{
	kindData:       {"data item", "data"},
	kindBoundary:   {"boundary", "boundaries"},
	kindElement:    {"element", "elements"},
	kindFlow:       {"flow", "flows"},
	kindInterface:  {"interface", "interfaces"},
	kindDependency: {"dependency", "dependencies"},
	kindControl:    {"control", "controls"},
	kindHazard:     {"hazard", "hazards"},
	kindThreat:     {"threat", "threats"},
	kindIssue:      {"issue", "issues"},
	kindAssumption: {"assumption", "assumptions"},
	kindUseCase:    {"use case", "views.use_cases"},
}

// targetKinds are the kinds of item a threat can target, the items that
// identification methods run over.
var targetKinds = []idKind{kindElement, kindFlow, kindInterface}

// MaxIDLength is the longest ID accepted, in bytes.
const MaxIDLength = 100

// idPattern is the form of every ID. It leaves out @, * , ? and [ because
// threat IDs are written <rule-id>@<target-id> and dispositions match them
// with globs, and spaces because IDs appear in file names and URLs.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

type idEntry struct {
	kind idKind
	pos  diag.Pos
}

// register records the ID of an item, reporting a malformed or duplicate ID.
func (v *validator) register(it item, kind idKind, id string) {
	if !it.required("id", id) {
		return
	}
	pos := it.src.FieldPos("id")
	valid := len(id) <= MaxIDLength && idPattern.MatchString(id)
	if !valid {
		v.add(pos, "invalid-id", it.path("id"),
			fmt.Sprintf("ID %s is malformed", quoteValue(id)),
			fmt.Sprintf("use letters, digits, '.', '_', ':' and '-', starting with a letter or digit, at most %d characters", MaxIDLength))
	}
	if first, ok := v.ids[id]; ok {
		v.diags = append(v.diags, diag.Diagnostic{Code: "duplicate-id", Path: it.path("id"), Pos: pos,
			Summary: fmt.Sprintf("ID %q is already used by the %s at %s", id, kindInfo[first.kind].noun, first.pos),
			Fix:     "give each item its own ID; IDs are unique across the whole model",
			Related: []diag.Pos{first.pos}})
		return
	}
	v.ids[id] = idEntry{kind: kind, pos: pos}
	// byKind holds the did-you-mean candidates, and a malformed ID is no
	// value to suggest. References to it still resolve through ids, so the
	// malformed ID is reported once, where it is defined.
	if valid {
		v.byKind[kind] = append(v.byKind[kind], id)
	}
}

// checkRef reports value when it names nothing, or names an item of another
// kind than the reference expects. The field path is built only for a
// report, because a large model has hundreds of thousands of references.
func (v *validator) checkRef(pos diag.Pos, path func() string, value string, kinds []idKind) {
	if e, ok := v.ids[value]; ok {
		if slices.Contains(kinds, e.kind) {
			return
		}
		v.add(pos, "wrong-reference", path(),
			fmt.Sprintf("%q is %s, not %s", value, withArticle(kindInfo[e.kind].noun), withArticle(kindNouns(kinds))),
			fmt.Sprintf("name %s here", withArticle(kindNouns(kinds))))
		return
	}

	var candidates []string
	lists := make([]string, len(kinds))
	for i, k := range kinds {
		candidates = append(candidates, v.byKind[k]...)
		lists[i] = kindInfo[k].list + ":"
	}
	fix := fmt.Sprintf("define it under %s or correct the ID", strings.Join(lists, " or "))
	if best := diag.Closest(value, candidates); best != "" {
		fix = fmt.Sprintf("did you mean %q?", best)
	}
	v.add(pos, "unknown-reference", path(), fmt.Sprintf("no %s has the ID %q", kindNouns(kinds), value), fix)
}

// kindNouns names kinds for a message: "element", "element, flow or interface".
func kindNouns(kinds []idKind) string {
	nouns := make([]string, len(kinds))
	for i, k := range kinds {
		nouns[i] = kindInfo[k].noun
	}
	switch len(nouns) {
	case 0:
		return "item"
	case 1:
		return nouns[0]
	}
	return strings.Join(nouns[:len(nouns)-1], ", ") + " or " + nouns[len(nouns)-1]
}

// withArticle puts "a" or "an" before a noun phrase.
func withArticle(noun string) string {
	if noun != "" && strings.ContainsAny(noun[:1], "aeiou") {
		return "an " + noun
	}
	return "a " + noun
}

// threatRef checks a reference to a threat: either a hand-written threat's
// ID, or an identified threat's ID <rule-id>@<target-id> whose target must
// exist. Whether a rule produces that threat is decided when threats are
// identified, not here.
func (v *validator) threatRef(it item, key string, values []string) {
	for i, value := range values {
		pos := it.src.ItemPos(key, i)
		path := func() string { return fmt.Sprintf("%s[%d]", it.path(key), i) }
		rule, target, ok := strings.Cut(value, "@")
		if !ok {
			v.checkRef(pos, path, value, []idKind{kindThreat})
			continue
		}
		if rule == "" || strings.ContainsAny(value, "*?[") {
			v.add(pos, "invalid-value", path(), fmt.Sprintf("threat ID %q is malformed", value),
				"write one threat ID as <rule-id>@<target-id>, without wildcards")
			continue
		}
		v.checkRef(pos, path, target, targetKinds)
	}
}

// checkBoundaryCycles reports each cycle of parent links once, at the
// boundary where walking the model in order first closes it.
func (v *validator) checkBoundaryCycles() {
	parent := make(map[string]string, len(v.m.Boundaries))
	index := make(map[string]int, len(v.m.Boundaries))
	for i, b := range v.m.Boundaries {
		if _, dup := index[b.ID]; b.ID != "" && !dup {
			index[b.ID] = i
		}
		if b.ID != "" && b.Parent != "" {
			parent[b.ID] = b.Parent
		}
	}
	const (
		unvisited = iota
		inProgress
		done
	)
	state := make(map[string]int, len(parent))
	for _, b := range v.m.Boundaries {
		var chain []string
		for id := b.ID; id != "" && state[id] == unvisited; id = parent[id] {
			state[id] = inProgress
			chain = append(chain, id)
			next := parent[id]
			if state[next] == inProgress {
				members := chain[slices.Index(chain, next):]
				at := index[members[0]]
				for _, id := range members {
					at = min(at, index[id])
				}
				// Start the printed cycle at the boundary it is reported on.
				start := slices.Index(members, v.m.Boundaries[at].ID)
				cycle := append(append(slices.Clone(members[start:]), members[:start]...), members[start])
				v.add(v.m.Boundaries[at].FieldPos("parent"), "boundary-cycle", fmt.Sprintf("boundaries[%d].parent", at),
					"boundary parents form a cycle: "+strings.Join(cycle, " -> "),
					"make one boundary in the cycle a top-level boundary by removing its parent")
				break
			}
		}
		for _, id := range chain {
			state[id] = done
		}
	}
}
