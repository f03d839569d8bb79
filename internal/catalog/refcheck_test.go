package catalog

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/diag"
)

func testCatalog(name, version string, ids ...string) *Catalog {
	c := &Catalog{Name: name, Version: version, Source: name + ".json"}
	for _, id := range ids {
		c.Entries = append(c.Entries, Entry{ID: id, Name: "entry " + id})
	}
	return c
}

func TestCheckReferences(t *testing.T) {
	rules := []*Rule{
		{ID: "a.one", Pos: diag.Pos{File: "a.yaml", Line: 2, Col: 5}, References: References{
			CAPEC: []string{"CAPEC-94", "CAPEC-999"},
			CWE:   []string{"CWE-1191", "CWE-71"},
		}},
		{ID: "a.two", References: References{
			ATTACK: []string{"T0830", "T0999", "T1040", "T1398"},
			EMB3D:  []string{"TID-119"},
		}},
	}
	capec := testCatalog(CatalogCAPEC, "3.6", "CAPEC-94")
	cwe := testCatalog(CatalogCWE, "4.99", "CWE-1191")
	ics := testCatalog(CatalogATTACKICS, "18.1", "T0830")
	enterprise := testCatalog(CatalogATTACKEnterprise, "18.1", "T1040")
	mobile := testCatalog(CatalogATTACKMobile, "18.1", "T1398")

	tests := []struct {
		name       string
		catalogs   []*Catalog
		checked    []string
		found      int
		missing    []string // rule:ID
		mobileHint []bool
		notChecked map[string]int
	}{
		{"nothing imported", nil, nil, 0, nil, nil,
			map[string]int{CatalogCAPEC: 2, CatalogCWE: 2, CatalogATTACKICS: 2, CatalogATTACKEnterprise: 2, CatalogEMB3D: 1}},
		{"CAPEC and ICS", []*Catalog{capec, ics}, []string{CatalogCAPEC, CatalogATTACKICS}, 2,
			[]string{"a.one:CAPEC-999", "a.two:T0999"}, []bool{false, false},
			map[string]int{CatalogCWE: 2, CatalogATTACKEnterprise: 2, CatalogEMB3D: 1}},
		{"CWE", []*Catalog{cwe}, []string{CatalogCWE}, 1,
			[]string{"a.one:CWE-71"}, []bool{false},
			map[string]int{CatalogCAPEC: 2, CatalogATTACKICS: 2, CatalogATTACKEnterprise: 2, CatalogEMB3D: 1}},
		{"Enterprise without Mobile", []*Catalog{enterprise}, []string{CatalogATTACKEnterprise}, 1,
			[]string{"a.two:T1398"}, []bool{true},
			map[string]int{CatalogCAPEC: 2, CatalogCWE: 2, CatalogATTACKICS: 2, CatalogEMB3D: 1}},
		{"Enterprise and Mobile", []*Catalog{enterprise, mobile}, []string{CatalogATTACKEnterprise, CatalogATTACKMobile}, 2,
			nil, nil,
			map[string]int{CatalogCAPEC: 2, CatalogCWE: 2, CatalogATTACKICS: 2, CatalogEMB3D: 1}},
		{"Mobile alone checks nothing", []*Catalog{mobile}, nil, 0, nil, nil,
			map[string]int{CatalogCAPEC: 2, CatalogCWE: 2, CatalogATTACKICS: 2, CatalogATTACKEnterprise: 2, CatalogEMB3D: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := &Names{}
			for _, c := range tt.catalogs {
				names.Add(c)
			}
			check := CheckReferences(rules, names)

			var checked []string
			for _, c := range check.Checked {
				checked = append(checked, c.Name)
			}
			if diff := cmp.Diff(tt.checked, checked); diff != "" {
				t.Errorf("Checked diff (-want +got):\n%s", diff)
			}
			if check.Found != tt.found {
				t.Errorf("Found = %d, want %d", check.Found, tt.found)
			}
			var missing []string
			var hints []bool
			for _, m := range check.Missing {
				missing = append(missing, m.Rule.ID+":"+m.ID)
				hints = append(hints, m.MobileNotImported)
			}
			if diff := cmp.Diff(tt.missing, missing); diff != "" {
				t.Errorf("Missing diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.mobileHint, hints); diff != "" {
				t.Errorf("MobileNotImported diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notChecked, check.NotChecked); diff != "" {
				t.Errorf("NotChecked diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckReferencesNilNames(t *testing.T) {
	rules := []*Rule{{ID: "a.one", References: References{CWE: []string{"CWE-79"}}}}
	check := CheckReferences(rules, nil)
	if len(check.Checked) != 0 || len(check.Missing) != 0 || check.NotChecked[CatalogCWE] != 1 {
		t.Errorf("CheckReferences(nil names) = %+v, want CWE-79 counted as not checked", check)
	}
}

// TestCheckReferencesBuiltinCorpus checks the built-in library against
// the real CAPEC 3.6 and ATT&CK for ICS 18.1 bundles: every CAPEC and ICS
// reference must be found.
func TestCheckReferencesBuiltinCorpus(t *testing.T) {
	dir := corpusDir(t)
	names := &Names{}
	names.Add(importFile(t, filepath.Join(dir, "stix-capec-3.6.json")))
	names.Add(importFile(t, filepath.Join(dir, "ics-attack-18.1.json")))
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}

	check := CheckReferences(lib.Rules, names)
	for _, m := range check.Missing {
		t.Errorf("%s: %s cites %s, which %s does not list", m.Rule.Pos, m.Rule.ID, m.ID, m.Catalogs[0].Name)
	}
	if check.Found == 0 {
		t.Error("no reference was found in CAPEC or ATT&CK for ICS")
	}
	if len(check.Checked) != 2 {
		t.Errorf("checked %d catalogs, want 2 (capec, ics-attack)", len(check.Checked))
	}
	for _, name := range []string{CatalogCAPEC, CatalogATTACKICS} {
		if n := check.NotChecked[name]; n != 0 {
			t.Errorf("NotChecked[%s] = %d, want 0 with the catalog imported", name, n)
		}
	}
	unimported := []string{CatalogCWE, CatalogATTACKEnterprise, CatalogEMB3D}
	for name := range check.NotChecked {
		if !slices.Contains(unimported, name) {
			t.Errorf("NotChecked has %s, which is none of the catalogs left unimported", name)
		}
	}
}

// TestCheckReferencesBuiltinCWE imports MITRE's CWE list in its XML form
// and checks every CWE reference of the built-in library against it. The
// file comes from WARD_CWE_XML: .ci/run fetches it from the npm package
// cwe-sdk, which ships MITRE's cwec XML, so it is never committed here.
func TestCheckReferencesBuiltinCWE(t *testing.T) {
	path := os.Getenv("WARD_CWE_XML")
	if path == "" {
		if os.Getenv("WARD_REQUIRE_TOOLS") != "" {
			t.Fatal("WARD_CWE_XML is not set and WARD_REQUIRE_TOOLS is: .ci/run should have fetched MITRE's CWE list")
		}
		t.Skip("WARD_CWE_XML is not set; .ci/run sets it to MITRE's CWE list")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cwe, err := ImportCWE(f, path)
	if err != nil {
		t.Fatalf("importing MITRE's CWE list: %v", err)
	}
	if len(cwe.Entries) < 900 {
		t.Errorf("imported %d CWE entries, want the 900 or more of a real list", len(cwe.Entries))
	}
	if e, ok := cweEntry(cwe, "CWE-1191"); !ok || e.Name == "" || e.URL == "" {
		t.Errorf("CWE-1191 = %+v, %v; want it with a name and a URL", e, ok)
	}

	names := &Names{}
	names.Add(cwe)
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	check := CheckReferences(lib.Rules, names)
	for _, m := range check.Missing {
		t.Errorf("%s: %s cites %s, which CWE %s does not list", m.Rule.Pos, m.Rule.ID, m.ID, cwe.Version)
	}
	if check.Found < 100 {
		t.Errorf("found %d CWE references, want the built-in library's (more than 100)", check.Found)
	}
}

func cweEntry(c *Catalog, id string) (Entry, bool) {
	for _, e := range c.Entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}
