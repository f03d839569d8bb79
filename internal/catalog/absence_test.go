package catalog

import "testing"

func TestNamesAbsence(t *testing.T) {
	n := &Names{}
	n.Add(&Catalog{Name: CatalogCAPEC, Version: "3.6", Deprecated: 1, DeprecatedIDs: []string{"CAPEC-106"},
		Entries: []Entry{{ID: "CAPEC-94", Name: "AiTM"}}})
	n.Add(&Catalog{Name: CatalogATTACKEnterprise, Version: "18.1", Revoked: 2, RevokedIDs: []string{"T1001"}})
	n.Add(&Catalog{Name: CatalogCWE, Version: "4.0", Deprecated: 3}) // an older cache without IDs

	tests := []struct {
		id         string
		expected   int
		imported   int
		withdrawn  string
		unrecorded int
	}{
		{"CAPEC-106", 1, 1, "deprecated", 0},
		{"CAPEC-99999", 1, 1, "", 0},
		{"T1001", 2, 1, "revoked", 0},
		{"T1999", 2, 1, "", 1},
		{"T0830", 1, 0, "", 0},
		{"CWE-71", 1, 1, "", 1},
		{"XYZ-1", 0, 0, "", 0},
	}
	for _, tt := range tests {
		a := n.Absence(tt.id)
		if len(a.Expected) != tt.expected {
			t.Errorf("Absence(%s).Expected = %v, want %d catalogs", tt.id, a.Expected, tt.expected)
		}
		if len(a.Imported) != tt.imported {
			t.Errorf("Absence(%s).Imported has %d catalogs, want %d", tt.id, len(a.Imported), tt.imported)
		}
		if a.Withdrawn != tt.withdrawn {
			t.Errorf("Absence(%s).Withdrawn = %q, want %q", tt.id, a.Withdrawn, tt.withdrawn)
		}
		if len(a.Unrecorded) != tt.unrecorded {
			t.Errorf("Absence(%s).Unrecorded has %d catalogs, want %d", tt.id, len(a.Unrecorded), tt.unrecorded)
		}
	}
}
