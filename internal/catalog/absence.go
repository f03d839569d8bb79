package catalog

import "slices"

// Absence explains why Lookup finds no entry for an ID.
type Absence struct {
	// Expected names the catalogs that IDs of this form belong to, such as
	// capec, or enterprise-attack and mobile-attack for T1nnn. It is empty
	// when the form belongs to no catalog Ward imports.
	Expected []string
	// Imported lists the expected catalogs that are imported, in the
	// order of Expected.
	Imported []*Catalog
	// Withdrawn is "deprecated" or "revoked" when an imported catalog
	// skipped the ID on import for that reason, and In is that catalog.
	Withdrawn string
	In        *Catalog
	// Unrecorded lists the imported catalogs that skipped deprecated or
	// revoked entries without recording their IDs (caches written before
	// Ward recorded them), so the ID may be one of those.
	Unrecorded []*Catalog
}

// Absence returns why id has no entry. Call it after Lookup fails.
func (n *Names) Absence(id string) Absence {
	var a Absence
	primary, also := referenceCatalogs(id)
	if primary == "" {
		return a
	}
	a.Expected = append([]string{primary}, also...)
	for _, name := range a.Expected {
		c, ok := n.Catalog(name)
		if !ok {
			continue
		}
		a.Imported = append(a.Imported, c)
		switch {
		case a.In != nil:
		case slices.Contains(c.DeprecatedIDs, id):
			a.Withdrawn, a.In = "deprecated", c
		case slices.Contains(c.RevokedIDs, id):
			a.Withdrawn, a.In = "revoked", c
		case c.Revoked+c.Deprecated > len(c.RevokedIDs)+len(c.DeprecatedIDs):
			a.Unrecorded = append(a.Unrecorded, c)
		}
	}
	return a
}
