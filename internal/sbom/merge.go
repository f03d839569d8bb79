package sbom

import (
	"slices"

	"github.com/wardtm/ward/internal/model"
)

// ImportOptions control how an SBOM's components become model dependencies.
type ImportOptions struct {
	// SBOM is the SBOM path as the model records it in each dependency's
	// sbom key, relative to the model file.
	SBOM string
	// Element, when set, is linked to every imported dependency through
	// the dependency's elements list.
	Element string
	// Classification and Support, when set, fill in the classification,
	// support level and end-of-support date of every imported dependency
	// that has none. A value the dependency already has is kept.
	Classification string
	Support        model.Support
}

// ChangeKind is the kind of change an import makes to one dependency.
type ChangeKind int

// Change kinds.
const (
	// Added is a component the model did not have.
	Added ChangeKind = iota
	// Updated is a dependency whose SBOM fields changed.
	Updated
	// Unchanged is a dependency the SBOM confirms as it is.
	Unchanged
	// Removed is a dependency imported from the same SBOM before that the
	// SBOM no longer lists. It stays in the model: only the user can tell
	// whether it no longer ships or the SBOM lost it.
	Removed
)

func (k ChangeKind) String() string {
	return [...]string{"added", "updated", "unchanged", "removed"}[k]
}

// Change is the effect of an import on one dependency.
type Change struct {
	Kind ChangeKind
	// Index is the dependency's index in the existing list, or -1 when
	// Added.
	Index int
	// Dependency is the dependency after the import.
	Dependency model.Dependency
	// Fields lists the keys whose values the import sets, in the model's
	// key names; empty for Unchanged and Removed.
	Fields []string
	// OldVersion is the version the model had before an Updated change
	// set an older one (see IsOlderVersion); empty otherwise. A downgrade
	// usually means the SBOM is of another release than the model, and it
	// can bring back vulnerabilities the model records as fixed.
	OldVersion string
	// Component is the SBOM component, nil for Removed.
	Component *Component
}

// Merge matches the components of doc with the existing dependencies and
// returns what importing doc changes, existing dependencies first in their
// order, then the added ones in document order.
//
// A component is the same dependency as an existing one when their purls
// are equal; failing that, when they name the same package (purl without
// version, or the name when there is no purl), so an upgraded component
// keeps its dependency. Matched dependencies get the SBOM's name, version,
// purl, CPE, hashes, depends_on and sbom, and its supplier and license
// when the SBOM gives them; classification, support, notes, kind and
// element links are never changed, except that opts.Element is added to
// the links and opts.Classification and opts.Support fill in values that
// are missing. Components listed twice (one package at several paths) are
// merged into one dependency.
func Merge(existing []model.Dependency, doc *Document, opts ImportOptions) []Change {
	comps := dedupe(doc.Components)
	matched := make([]int, len(comps)) // existing index per component, -1 if new
	used := make([]bool, len(existing))
	for i := range matched {
		matched[i] = -1
	}

	// Pass 1: identical purls, or names and versions without purls.
	for i, c := range comps {
		for j := range existing {
			if used[j] {
				continue
			}
			d := &existing[j]
			same := c.Purl != "" && d.Purl == c.Purl ||
				c.Purl == "" && d.Purl == "" && d.Name == c.QualifiedName() && d.Version == c.Version
			if same {
				matched[i], used[j] = j, true
				break
			}
		}
	}
	// Pass 2: the same package in another version, preferring dependencies
	// that came from this SBOM.
	for _, sameSBOM := range []bool{true, false} {
		for i, c := range comps {
			if matched[i] >= 0 {
				continue
			}
			key := packageKey(c)
			for j := range existing {
				d := &existing[j]
				if used[j] || (d.SBOM == opts.SBOM) != sameSBOM || dependencyKey(d) != key {
					continue
				}
				matched[i], used[j] = j, true
				break
			}
		}
	}

	// Allocate IDs for new components; a package present in several
	// versions gets versioned IDs throughout.
	versions := map[string]int{}
	for _, c := range comps {
		versions[packageKey(c)]++
	}
	alloc := newIDAllocator(existing)
	ids := make([]string, len(comps))
	refToID := map[string]string{}
	for i, c := range comps {
		if j := matched[i]; j >= 0 {
			ids[i] = existing[j].ID
		} else {
			ids[i] = alloc.allocate(c, versions[packageKey(c)] > 1)
		}
		if c.BOMRef != "" {
			refToID[c.BOMRef] = ids[i]
		}
	}

	changes := make([]Change, 0, len(existing)+len(comps))
	byExisting := make(map[int]int, len(comps))
	for i, j := range matched {
		if j >= 0 {
			byExisting[j] = i
		}
	}
	for j := range existing {
		i, ok := byExisting[j]
		if !ok {
			if existing[j].SBOM == opts.SBOM && opts.SBOM != "" {
				changes = append(changes, Change{Kind: Removed, Index: j, Dependency: existing[j]})
			}
			continue
		}
		d := existing[j]
		fields := applyComponent(&d, comps[i], opts, dependsOnIDs(comps[i], refToID))
		kind := Unchanged
		if len(fields) > 0 {
			kind = Updated
		}
		change := Change{Kind: kind, Index: j, Dependency: d, Fields: fields, Component: &comps[i]}
		if old := existing[j].Version; IsOlderVersion(d.Version, old) {
			change.OldVersion = old
		}
		changes = append(changes, change)
	}
	for i, j := range matched {
		if j >= 0 {
			continue
		}
		d := model.Dependency{ID: ids[i]}
		applyComponent(&d, comps[i], opts, dependsOnIDs(comps[i], refToID))
		changes = append(changes, Change{Kind: Added, Index: -1, Dependency: d, Component: &comps[i]})
	}
	return changes
}

// applyComponent sets the SBOM fields of d and returns the keys it changed.
func applyComponent(d *model.Dependency, c Component, opts ImportOptions, dependsOn []string) []string {
	before := *d
	setSBOMFields(d, c, opts.SBOM, dependsOn)
	if opts.Element != "" && !slices.Contains(d.Elements, opts.Element) {
		d.Elements = append(slices.Clone(d.Elements), opts.Element)
	}
	if d.Classification == "" {
		d.Classification = opts.Classification
	}
	if d.Support.Level == "" {
		d.Support.Level = opts.Support.Level
	}
	if d.Support.Ends == "" {
		d.Support.Ends = opts.Support.Ends
	}

	var fields []string
	add := func(key string, changed bool) {
		if changed {
			fields = append(fields, key)
		}
	}
	add("name", before.Name != d.Name)
	add("version", before.Version != d.Version)
	add("purl", before.Purl != d.Purl)
	add("cpe", before.CPE != d.CPE)
	add("kind", before.Kind != d.Kind)
	add("supplier", before.Supplier != d.Supplier)
	add("classification", before.Classification != d.Classification)
	add("support", before.Support.Level != d.Support.Level || before.Support.Ends != d.Support.Ends)
	add("license", before.License != d.License)
	add("hashes", !equalMaps(before.Hashes, d.Hashes))
	add("elements", !slices.Equal(before.Elements, d.Elements))
	add("depends_on", !slices.Equal(before.DependsOn, d.DependsOn))
	add("sbom", before.SBOM != d.SBOM)
	return fields
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func dependsOnIDs(c Component, refToID map[string]string) []string {
	var out []string
	for _, ref := range c.DependsOn {
		if id, ok := refToID[ref]; ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dedupe merges components with the same purl (or the same name and
// version when they have none), keeping the first and the union of their
// dependencies.
func dedupe(in []Component) []Component {
	seen := map[string]int{}
	out := make([]Component, 0, len(in))
	for _, c := range in {
		key := c.Purl
		if key == "" {
			key = "name:" + c.QualifiedName() + "@" + c.Version
		}
		if i, ok := seen[key]; ok {
			for _, ref := range c.DependsOn {
				out[i].DependsOn = appendUnique(out[i].DependsOn, ref)
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, c)
	}
	return out
}
