package catalog

import (
	"slices"
	"strings"
)

// ReferenceCheck is the result of looking up rule references in the
// imported catalogs.
type ReferenceCheck struct {
	// Checked lists the imported catalogs at least one reference was looked
	// up in, sorted by name.
	Checked []*Catalog
	// Found counts the references an imported catalog lists.
	Found int
	// Missing lists the references whose catalog is imported but does not
	// list them, in the order of the rules and of their references.
	Missing []MissingReference
	// NotChecked counts, by catalog name, the references whose catalog is
	// not imported.
	NotChecked map[string]int
}

// MissingReference is a rule reference that the imported catalog for its
// ID does not list: the ID is deprecated, revoked or was never assigned.
type MissingReference struct {
	Rule *Rule
	ID   string
	// Catalogs are the imported catalogs the ID was looked up in.
	Catalogs []*Catalog
	// MobileNotImported is set for an ATT&CK Enterprise ID while the
	// mobile-attack catalog is not imported, because Mobile techniques share
	// the T1nnn form and the ID may be one of them.
	MobileNotImported bool
}

// CheckReferences looks up every reference of rules in the catalogs of
// names. An ID is checked when the catalog for its form is imported:
// CAPEC-n in capec, CWE-n in cwe, TID-n in emb3d, T0nnn in ics-attack and
// T1nnn in enterprise-attack, and also in mobile-attack when that is
// imported. The other references are counted in NotChecked.
func CheckReferences(rules []*Rule, names *Names) *ReferenceCheck {
	imported := map[string]*Catalog{}
	ids := map[string]map[string]bool{}
	if names != nil {
		for _, c := range names.Catalogs {
			imported[c.Name] = c
			set := make(map[string]bool, len(c.Entries))
			for _, e := range c.Entries {
				set[strings.ToUpper(e.ID)] = true
			}
			ids[c.Name] = set
		}
	}

	check := &ReferenceCheck{NotChecked: map[string]int{}}
	used := map[string]bool{}
	for _, r := range rules {
		for _, id := range r.References.IDs() {
			primary, also := referenceCatalogs(id)
			if primary == "" {
				continue // the rule loader rejects IDs of unknown form
			}
			if imported[primary] == nil {
				check.NotChecked[primary]++
				continue
			}

			var searched []*Catalog
			found := false
			for _, name := range append([]string{primary}, also...) {
				c := imported[name]
				if c == nil {
					continue
				}
				searched = append(searched, c)
				used[name] = true
				if ids[name][strings.ToUpper(id)] {
					found = true
				}
			}
			if found {
				check.Found++
				continue
			}
			check.Missing = append(check.Missing, MissingReference{
				Rule:              r,
				ID:                id,
				Catalogs:          searched,
				MobileNotImported: slices.Contains(also, CatalogATTACKMobile) && imported[CatalogATTACKMobile] == nil,
			})
		}
	}

	for name := range used {
		check.Checked = append(check.Checked, imported[name])
	}
	slices.SortFunc(check.Checked, func(a, b *Catalog) int { return strings.Compare(a.Name, b.Name) })
	return check
}

// referenceCatalogs returns the catalog that must be imported for an ID to
// be checked, and further catalogs that may list it too.
func referenceCatalogs(id string) (primary string, also []string) {
	switch CatalogFor(id) {
	case "capec":
		return CatalogCAPEC, nil
	case "cwe":
		return CatalogCWE, nil
	case "emb3d":
		return CatalogEMB3D, nil
	case "attack":
		// ATT&CK for ICS numbers its techniques T0nnn; Enterprise and
		// Mobile use T1nnn.
		if strings.HasPrefix(id, "T0") {
			return CatalogATTACKICS, nil
		}
		return CatalogATTACKEnterprise, []string{CatalogATTACKMobile}
	}
	return "", nil
}

// CatalogTitle returns the display name of a catalog name such as capec or
// ics-attack, or the name itself when it is not one Ward imports.
func CatalogTitle(name string) string {
	if t, ok := catalogTitles[name]; ok {
		return t
	}
	return name
}
