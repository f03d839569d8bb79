package catalog

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cwe", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestImportCWE(t *testing.T) {
	c, err := ImportCWE(bytes.NewReader(readTestdata(t, "good.xml")), "good.xml")
	if err != nil {
		t.Fatalf("ImportCWE(good.xml): %v", err)
	}
	if c.Name != CatalogCWE || c.Version != "4.99" || c.Source != "good.xml" || c.Title() != "CWE" {
		t.Errorf("catalog = %s %s from %s titled %s, want cwe 4.99 from good.xml titled CWE", c.Name, c.Version, c.Source, c.Title())
	}
	if c.Deprecated != 2 || c.Revoked != 0 {
		t.Errorf("skipped %d deprecated and %d revoked, want 2 and 0", c.Deprecated, c.Revoked)
	}
	want := []Entry{
		{ID: "CWE-20", Name: "Test input check", Description: "An obsolete entry stays in the catalog.",
			URL: "https://cwe.mitre.org/data/definitions/20.html", Catalog: CatalogCWE},
		{ID: "CWE-79", Name: "Test markup injection", Description: "Text with <escaped> markup & a numeric A reference.",
			URL: "https://cwe.mitre.org/data/definitions/79.html", Catalog: CatalogCWE},
		{ID: "CWE-1000", Name: "Test research view", Description: "First paragraph of the objective.\nSecond paragraph.",
			URL: "https://cwe.mitre.org/data/definitions/1000.html", Catalog: CatalogCWE},
		{ID: "CWE-1191", Name: "Test debug port without an access check", Description: "A test weakness: the debug port answers anyone who connects.",
			URL: "https://cwe.mitre.org/data/definitions/1191.html", Catalog: CatalogCWE},
		{ID: "CWE-1207", Name: "Test debug and test problems", Description: "Weaknesses about debug and test interfaces.",
			URL: "https://cwe.mitre.org/data/definitions/1207.html", Catalog: CatalogCWE},
	}
	if diff := cmp.Diff(want, c.Entries); diff != "" {
		t.Errorf("ImportCWE(good.xml) entries diff (-want +got):\n%s", diff)
	}

	names := &Names{}
	names.Add(c)
	e, ok := names.Lookup("cwe-1191")
	if !ok || e.Catalog != CatalogCWE || e.Name != "Test debug port without an access check" {
		t.Errorf("Lookup(cwe-1191) = %+v, %v", e, ok)
	}
	if _, ok := names.Lookup("CWE-71"); ok {
		t.Error("Lookup(CWE-71) found a deprecated entry")
	}
}

func TestImportCWESchema5(t *testing.T) {
	c, err := ImportCWE(bytes.NewReader(readTestdata(t, "schema5.xml")), "schema5.xml")
	if err != nil {
		t.Fatalf("ImportCWE(schema5.xml): %v", err)
	}
	if c.Version != "2.11" {
		t.Errorf("version = %q, want 2.11 from Catalog_Version", c.Version)
	}
	if len(c.Entries) != 1 || c.Entries[0].Description != "The summary of the older layout." {
		t.Errorf("entries = %+v", c.Entries)
	}
}

func TestImportCWEErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"doctype-entity.xml", []string{"doctype-entity.xml:2:1: invalid CWE XML: a DOCTYPE declaration is not allowed", "remove it"}},
		{"undefined-entity.xml", []string{"undefined-entity.xml:5:", "invalid character entity &xxe; (XML predefines only"}},
		{"mismatched.xml", []string{"mismatched.xml:5:", "element <Description> closed by </Summary>", "not well-formed XML"}},
		{"truncated.xml", []string{"truncated.xml:6:1: invalid CWE XML: unexpected end of file; the file is truncated"}},
		{"wrong-root.xml", []string{"wrong-root.xml:2:1: invalid CWE XML: the root element is <Attack_Pattern_Catalog>, not <Weakness_Catalog>"}},
		{"bad-id.xml", []string{"bad-id.xml:5:7: invalid CWE XML: <Weakness> has ID \"CWE-79\"", "ID=\"1191\""}},
		{"no-name.xml", []string{"no-name.xml:4:7: invalid CWE XML: <Category ID=\"1207\"> has no Name attribute"}},
		{"duplicate.xml", []string{"duplicate.xml:7:7: invalid CWE XML: CWE-79 is defined again (first at line 4)"}},
		{"latin1.xml", []string{"latin1.xml:1:44: invalid CWE XML: the file declares encoding \"ISO-8859-1\"", "convert the file to UTF-8"}},
		{"only-deprecated.xml", []string{"only-deprecated.xml contains no current CWE weaknesses, categories or views (2 deprecated skipped)"}},
		{"second-root.xml", []string{"second-root.xml:7:1: invalid CWE XML: a second root element <Weakness_Catalog>"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := ImportCWE(bytes.NewReader(readTestdata(t, tt.file)), tt.file)
			if err == nil {
				t.Fatalf("ImportCWE(%s) = %d entries, want an error", tt.file, len(c.Entries))
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("ImportCWE(%s) error lacks %q:\n%v", tt.file, s, err)
				}
			}
		})
	}
}

func TestImportCWEHostile(t *testing.T) {
	prefix := `<Weakness_Catalog Version="1"><Weaknesses><Weakness ID="1" Name="x"><Description>`
	// The four elements of prefix and 60 <a> are 64 levels; the next <a>
	// is one too many.
	tooDeep := fmt.Sprintf("deep.xml:1:%d: invalid CWE XML: elements nest more than 64 levels deep", len(prefix)+60*len("<a>")+1)
	deep := prefix + strings.Repeat("<a>", 100) + "x" + strings.Repeat("</a>", 100) +
		`</Description></Weakness></Weaknesses></Weakness_Catalog>`
	tests := []struct {
		name  string
		input string
		limit int64
		want  string
	}{
		{"deep nesting", deep, MaxCWESize, tooDeep},
		{"over the size limit", string(readTestdata(t, "good.xml")), 1000, "deep.xml is larger than 1000 bytes, the limit for a CWE list"},
		{"empty", "", MaxCWESize, "deep.xml has no root element"},
		{"only a comment", "<!-- nothing -->\n", MaxCWESize, "deep.xml has no root element"},
		{"text before the root", "text <Weakness_Catalog/>", MaxCWESize, "deep.xml:1:1: invalid CWE XML: text before the root element"},
		{"no entries", `<Weakness_Catalog Version="1"/>`, MaxCWESize, "contains no current CWE weaknesses"},
		{"entity declaration alone", `<!ENTITY x "y"><Weakness_Catalog/>`, MaxCWESize, "deep.xml:1:1: invalid CWE XML: a <!ENTITY> declaration is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(old int64) { cweSizeLimit = old }(cweSizeLimit)
			cweSizeLimit = tt.limit
			_, err := ImportCWE(strings.NewReader(tt.input), "deep.xml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ImportCWE error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestImportCWEExactLimit checks that a file of exactly the size limit is
// read, so the limit is not off by one.
func TestImportCWEExactLimit(t *testing.T) {
	data := readTestdata(t, "good.xml")
	defer func(old int64) { cweSizeLimit = old }(cweSizeLimit)
	cweSizeLimit = int64(len(data))
	if _, err := ImportCWE(bytes.NewReader(data), "good.xml"); err != nil {
		t.Errorf("ImportCWE of a file of exactly the limit: %v", err)
	}
}

// zipOf builds a zip archive of the named files.
func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportFormats(t *testing.T) {
	good := readTestdata(t, "good.xml")
	stix, err := os.ReadFile(filepath.Join("testdata", "stix", "emb3d-sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		input   []byte
		catalog string
		source  string
	}{
		{"CWE XML", good, CatalogCWE, "in"},
		{"CWE XML after a byte order mark", append([]byte("\xef\xbb\xbf"), good...), CatalogCWE, "in"},
		{"STIX bundle", stix, CatalogEMB3D, "in"},
		{"CWE zip", zipOf(t, map[string][]byte{"cwec_v4.99.xml": good}), CatalogCWE, "in/cwec_v4.99.xml"},
		{"zip with a folder and a readme", zipOf(t, map[string][]byte{"cwe/": nil, "cwe/cwec_v4.99.xml": good, "README.txt": []byte("hi")}),
			CatalogCWE, "in/cwe/cwec_v4.99.xml"},
		{"STIX zip", zipOf(t, map[string][]byte{"emb3d.json": stix}), CatalogEMB3D, "in/emb3d.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Import(bytes.NewReader(tt.input), "in")
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if c.Name != tt.catalog || c.Source != tt.source {
				t.Errorf("Import = catalog %s from %s, want %s from %s", c.Name, c.Source, tt.catalog, tt.source)
			}
		})
	}
}

func TestImportFormatErrors(t *testing.T) {
	good := readTestdata(t, "good.xml")
	truncatedZip := zipOf(t, map[string][]byte{"cwec_v4.99.xml": good})
	truncatedZip = truncatedZip[:len(truncatedZip)/2]
	tests := []struct {
		name  string
		input []byte
		limit int64
		want  string
	}{
		{"empty", nil, MaxCWESize, "in is empty"},
		{"white space", []byte(" \n\t"), MaxCWESize, "in is empty"},
		{"plain text", []byte("CWE-79,Test\n"), MaxCWESize, "in is neither a STIX 2.1 bundle (JSON), a CWE list (XML) nor a zip of one"},
		{"zip without a catalog", zipOf(t, map[string][]byte{"README.txt": nil}), MaxCWESize, "in contains no .xml or .json file (only README.txt)"},
		{"empty zip", zipOf(t, nil), MaxCWESize, "in is an empty zip archive"},
		{"zip with two catalogs", zipOf(t, map[string][]byte{"a.xml": good, "b.xml": good}), MaxCWESize, "in contains 2 catalog files"},
		{"zip of plain text", zipOf(t, map[string][]byte{"a.xml": []byte("hello")}), MaxCWESize, "in/a.xml is neither"},
		{"truncated zip", truncatedZip, MaxCWESize, "in is not a readable zip archive"},
		{"malformed XML in a zip", zipOf(t, map[string][]byte{"a.xml": readTestdata(t, "mismatched.xml")}), MaxCWESize, "in/a.xml:5:"},
		{"zip over the limit", zipOf(t, map[string][]byte{"a.xml": good}), 100, "in is larger than 100 bytes"},
		{"unpacked over the limit", zipOf(t, map[string][]byte{"a.xml": bytes.Repeat([]byte(" "), 1<<20)}), 1 << 16, "in/a.xml is 1048576 bytes unpacked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(old int64) { cweSizeLimit = old }(cweSizeLimit)
			cweSizeLimit = tt.limit
			_, err := Import(bytes.NewReader(tt.input), "in")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Import error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestImportZipLyingSize checks that a zip entry declaring a small size
// but unpacking to more than the limit is still stopped by the limit.
func TestImportZipLyingSize(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	body := append([]byte("<Weakness_Catalog>"), bytes.Repeat([]byte(" "), 1<<20)...)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "a.xml", Method: zip.Store,
		CompressedSize64: uint64(len(body)), UncompressedSize64: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	defer func(old int64) { cweSizeLimit = old }(cweSizeLimit)
	cweSizeLimit = 1 << 16
	_, err = Import(bytes.NewReader(buf.Bytes()), "in")
	if err == nil {
		t.Fatal("Import of a zip whose entry lies about its size succeeded")
	}
}

// syntheticCWEList builds a CWE list of n weaknesses, each with an
// extended description and demonstrative examples of XHTML, so that the
// benchmark reads a file shaped like MITRE's.
func syntheticCWEList(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<Weakness_Catalog xmlns="http://cwe.mitre.org/cwe-7" xmlns:xhtml="http://www.w3.org/1999/xhtml" Name="CWE" Version="4.99" Date="2030-01-01">` + "\n<Weaknesses>\n")
	para := strings.Repeat("Filler text of a synthetic weakness for the benchmark. ", 20)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<Weakness ID="%d" Name="Synthetic weakness %d" Abstraction="Base" Structure="Simple" Status="Draft">`+"\n", i, i)
		fmt.Fprintf(&b, "<Description>%s</Description>\n<Extended_Description>", para)
		for range 5 {
			fmt.Fprintf(&b, "<xhtml:p>%s</xhtml:p>\n", para)
		}
		b.WriteString("</Extended_Description>\n<Demonstrative_Examples><Demonstrative_Example><Example_Code Nature=\"Bad\">")
		for range 5 {
			fmt.Fprintf(&b, "<xhtml:div>%s<xhtml:br/><xhtml:div>%s</xhtml:div></xhtml:div>\n", para, para)
		}
		b.WriteString("</Example_Code></Demonstrative_Example></Demonstrative_Examples>\n</Weakness>\n")
	}
	b.WriteString("</Weaknesses>\n</Weakness_Catalog>\n")
	return b.Bytes()
}

// BenchmarkImportCWE reads a synthetic list of 1,000 weaknesses (about
// 18 MB). MITRE's 4.x lists have roughly a thousand weaknesses (an
// estimate).
func BenchmarkImportCWE(b *testing.B) {
	data := syntheticCWEList(1000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c, err := ImportCWE(bytes.NewReader(data), "synthetic.xml")
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Entries) != 1000 {
			b.Fatalf("imported %d entries, want 1000", len(c.Entries))
		}
	}
}

var fuzzCWEID = regexp.MustCompile(`^CWE-[1-9][0-9]*$`)

// FuzzImportCWE checks that no input panics or escapes the limits, and that
// whatever imports has well-formed, sorted, unique entries.
func FuzzImportCWE(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "cwe", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<Weakness_Catalog><Weaknesses><Weakness ID="1" Name="a"><Description>b</Description></Weakness></Weaknesses></Weakness_Catalog>`))
	f.Add([]byte("<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><x>&a;</x>"))
	f.Add(zipOf(f, map[string][]byte{"cwec_v4.99.xml": readTestdata(f, "good.xml")}))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Import(bytes.NewReader(data), "fuzz.xml")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.xml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if c.Name != CatalogCWE {
			return // a STIX bundle; stix_test.go covers those
		}
		for i, e := range c.Entries {
			if !fuzzCWEID.MatchString(e.ID) || e.Name == "" || !strings.HasSuffix(e.URL, strings.TrimPrefix(e.ID, "CWE-")+".html") {
				t.Errorf("malformed entry %+v", e)
			}
			if i > 0 && compareIDs(c.Entries[i-1].ID, e.ID) >= 0 {
				t.Errorf("entries out of order or repeated: %s then %s", c.Entries[i-1].ID, e.ID)
			}
		}
	})
}
