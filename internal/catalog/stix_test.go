package catalog

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the folder of real public test inputs, next to the
// repository; tests that need it skip when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "catalogs")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("test corpus not found at %s", dir)
	}
	return dir
}

func importFile(t testing.TB, path string) *Catalog {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ImportSTIX(f, filepath.Base(path))
	if err != nil {
		t.Fatalf("ImportSTIX(%s): %v", path, err)
	}
	return c
}

func TestImportSTIXCorpus(t *testing.T) {
	dir := corpusDir(t)
	tests := []struct {
		file       string
		name       string
		version    string
		entries    int
		deprecated int
		id         string
		entryName  string
		url        string
	}{
		{"stix-capec-3.6.json", CatalogCAPEC, "3.6", 546, 55, "CAPEC-94", "Adversary in the Middle (AiTM)", "https://capec.mitre.org/data/definitions/94.html"},
		{"ics-attack-18.1.json", CatalogATTACKICS, "18.1", 83, 12, "T0830", "Adversary-in-the-Middle", "https://attack.mitre.org/techniques/T0830"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := importFile(t, filepath.Join(dir, tt.file))
			if c.Name != tt.name || c.Version != tt.version || c.Source != tt.file {
				t.Errorf("catalog = %s %s from %s, want %s %s from %s", c.Name, c.Version, c.Source, tt.name, tt.version, tt.file)
			}
			if len(c.Entries) != tt.entries {
				t.Errorf("entries = %d, want %d", len(c.Entries), tt.entries)
			}
			if c.Deprecated != tt.deprecated || c.Revoked != 0 {
				t.Errorf("skipped %d deprecated and %d revoked, want %d and 0", c.Deprecated, c.Revoked, tt.deprecated)
			}
			n := &Names{}
			n.Add(c)
			e, ok := n.Lookup(tt.id)
			if !ok {
				t.Fatalf("Lookup(%s) found nothing", tt.id)
			}
			if e.Name != tt.entryName || e.URL != tt.url || e.Catalog != tt.name {
				t.Errorf("Lookup(%s) = %q %s in %s, want %q %s in %s", tt.id, e.Name, e.URL, e.Catalog, tt.entryName, tt.url, tt.name)
			}
			if e.Description == "" || strings.Contains(e.Description, "(Citation:") || strings.Contains(e.Description, "xhtml") {
				t.Errorf("Lookup(%s) description = %q, want plain text without citations or markup", tt.id, e.Description)
			}
			for i := 1; i < len(c.Entries); i++ {
				if compareIDs(c.Entries[i-1].ID, c.Entries[i].ID) >= 0 {
					t.Fatalf("entries not sorted: %s before %s", c.Entries[i-1].ID, c.Entries[i].ID)
				}
			}
		})
	}
}

// TestBuiltinReferencesInCatalogs checks every CAPEC and ATT&CK for ICS ID
// the built-in rules cite against the real catalogs: it must exist and must
// not be deprecated.
func TestBuiltinReferencesInCatalogs(t *testing.T) {
	dir := corpusDir(t)
	names := &Names{}
	names.Add(importFile(t, filepath.Join(dir, "stix-capec-3.6.json")))
	names.Add(importFile(t, filepath.Join(dir, "ics-attack-18.1.json")))
	lib, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lib.Rules {
		ids := append([]string{}, r.References.CAPEC...)
		for _, id := range r.References.ATTACK {
			if strings.HasPrefix(id, "T0") {
				ids = append(ids, id)
			}
		}
		for _, id := range ids {
			if _, ok := names.Lookup(id); !ok {
				t.Errorf("%s cites %s, which CAPEC 3.6 and ATT&CK for ICS 18.1 do not list as current", r.ID, id)
			}
		}
	}
}

func TestImportSTIXEMB3DSample(t *testing.T) {
	c := importFile(t, filepath.Join("testdata", "stix", "emb3d-sample.json"))
	if c.Name != CatalogEMB3D || len(c.Entries) != 1 || c.Revoked != 1 {
		t.Fatalf("catalog = %s with %d entries, %d revoked; want emb3d, 1, 1", c.Name, len(c.Entries), c.Revoked)
	}
	if e := c.Entries[0]; e.ID != "TID-119" || e.Name != "Sample hardware threat" {
		t.Errorf("entry = %+v", e)
	}
}

func TestImportSTIXErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"not json", "hello", "bad.json:1:1: invalid STIX bundle"},
		{"truncated", "{\n  \"type\": \"bundle\",\n  \"objects\": [\n    {\"type\": ", "bad.json:4:"},
		{"not a bundle", `{"type": "attack-pattern", "objects": []}`, `is a STIX "attack-pattern" object, not a bundle`},
		{"no type", `{"objects": []}`, `has no "type": "bundle" key`},
		{"empty bundle", `{"type": "bundle", "objects": []}`, "contains no CAPEC, ATT&CK or EMB3D entries"},
		{"objects not array", `{"type": "bundle", "objects": {}}`, "objects must be an array"},
		{"wrong field type", "{\"type\": \"bundle\", \"objects\": [\n{\"name\": 5}]}", "bad.json:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportSTIX(strings.NewReader(tt.src), "bad.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ImportSTIX error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestImportSTIXTooLarge(t *testing.T) {
	defer func(old int64) { stixSizeLimit = old }(stixSizeLimit)
	stixSizeLimit = 1 << 20
	r := &repeatReader{b: ' ', n: 1<<20 + 10}
	_, err := ImportSTIX(r, "huge.json")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("ImportSTIX(huge) error = %v, want a size error", err)
	}
}

// repeatReader yields n copies of b.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}

func TestCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c := importFile(t, filepath.Join("testdata", "stix", "emb3d-sample.json"))
	path, err := c.Save(dir)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if filepath.Base(path) != "emb3d.json" {
		t.Errorf("Save wrote %s, want emb3d.json", path)
	}
	n, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	e, ok := n.Lookup("tid-119")
	if !ok || e.Name != "Sample hardware threat" || e.Catalog != CatalogEMB3D {
		t.Errorf("Lookup(tid-119) = %+v, %v", e, ok)
	}
	if got, ok := n.Catalog(CatalogEMB3D); !ok || got.Revoked != 1 || got.Source != "emb3d-sample.json" {
		t.Errorf("Catalog(emb3d) = %+v", got)
	}
}

func TestOpenMissingAndDamaged(t *testing.T) {
	n, err := Open(filepath.Join(t.TempDir(), "none"))
	if err != nil || len(n.Catalogs) != 0 {
		t.Fatalf("Open(missing) = %v, %v; want an empty cache", n, err)
	}
	if _, ok := n.Lookup("CAPEC-94"); ok {
		t.Error("empty cache knows CAPEC-94")
	}
	var nilNames *Names
	if _, ok := nilNames.Lookup("CAPEC-94"); ok {
		t.Error("nil Names knows CAPEC-94")
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "capec.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "ward catalog import") {
		t.Errorf("Open(damaged) error = %v, want advice to import again", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "capec.json"), []byte(`{"format": 99, "catalog": {"name": "capec"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "another Ward version") {
		t.Errorf("Open(old format) error = %v", err)
	}
}

func TestLoadKEVCorpus(t *testing.T) {
	dir := corpusDir(t)
	k, err := LoadKEV(filepath.Join(dir, "known_exploited_vulnerabilities.json"))
	if err != nil {
		t.Fatalf("LoadKEV: %v", err)
	}
	if k.Len() != 1404 || k.Count != 1404 || k.CatalogVersion != "2025.08.25" {
		t.Errorf("KEV has %d entries, count %d, version %s; want 1404, 1404, 2025.08.25", k.Len(), k.Count, k.CatalogVersion)
	}
	e, ok := k.Lookup("cve-2025-48384")
	if !ok {
		t.Fatal("Lookup(CVE-2025-48384) found nothing")
	}
	if e.VendorProject != "Git" || e.DueDate != "2025-09-15" || len(e.CWEs) != 2 || e.CWEs[0] != "CWE-59" {
		t.Errorf("Lookup(CVE-2025-48384) = %+v", e)
	}
	if _, ok := k.Lookup("CVE-1999-0000"); ok {
		t.Error("Lookup found a CVE that is not in the catalog")
	}
}

func TestLoadKEVErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		path string
		want string
	}{
		{filepath.Join(dir, "missing.json"), "reading KEV catalog"},
		{write("bad.json", "[1,2"), "is not a KEV catalog"},
		{write("empty.json", `{"title": "x"}`), "has no vulnerabilities array"},
		{write("noid.json", `{"vulnerabilities": [{"product": "x"}]}`), "vulnerabilities[0] has no cveID"},
	}
	for _, tt := range tests {
		if _, err := LoadKEV(tt.path); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadKEV(%s) error = %v, want %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}

func BenchmarkImportSTIXCAPEC(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir(b), "stix-capec-3.6.json"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ImportSTIX(bytes.NewReader(data), "capec.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzImportSTIX(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "stix", "emb3d-sample.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"attack-pattern","name":"x","external_references":[{"source_name":"capec","external_id":"CAPEC-1"}]}]}`))
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"attack-pattern","x_mitre_deprecated":true,"external_references":[{"source_name":"mitre-attack","external_id":"T0800"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ImportSTIX(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(c.Entries) == 0 {
			t.Fatal("ImportSTIX returned a catalog without entries")
		}
		for _, e := range c.Entries {
			if CatalogFor(e.ID) == "" && !stixEMB3DID.MatchString(e.ID) {
				t.Fatalf("entry with an unrecognised ID %q", e.ID)
			}
		}
	})
}
