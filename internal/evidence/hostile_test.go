package evidence

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// zipWith writes an archive with one entry of the given content.
func zipWith(t testing.TB, name string, content []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bodyXML wraps padding in a minimal document.xml.
func bodyXML(padding []byte) []byte {
	out := []byte(`<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Threat model</w:t></w:r></w:p>`)
	out = append(out, padding...)
	return append(out, []byte(`</w:body></w:document>`)...)
}

// lieAboutSize rewrites the uncompressed size in the central directory of
// a one-entry archive.
func lieAboutSize(data []byte, size uint32) []byte {
	out := bytes.Clone(data)
	i := bytes.Index(out, []byte{0x50, 0x4b, 0x01, 0x02})
	binary.LittleEndian.PutUint32(out[i+24:], size)
	return out
}

func TestReadDOCXHostile(t *testing.T) {
	spaces := bytes.Repeat([]byte(" "), 8<<20)
	manyEntries := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range 101 {
			if _, err := zw.Create(fmt.Sprintf("f%d.xml", i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	embedded := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range []struct {
			name string
			data []byte
		}{
			{"word/document.xml", bodyXML(nil)},
			{"word/embeddings/inner.docx", zipWith(t, "word/document.xml", bodyXML(spaces))},
		} {
			w, _ := zw.Create(f.name)
			if _, err := w.Write(f.data); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()

	tests := []struct {
		name string
		data []byte
		lim  Limits
		// want is a substring of the error, or "" for success.
		want  string
		limit bool
	}{
		{"zip bomb", zipWith(t, "word/document.xml", bodyXML(spaces)), Limits{}, "ZIP bomb", true},
		{"expansion limit", zipWith(t, "word/document.xml", bodyXML(spaces)), Limits{MaxExpanded: 1 << 20, MaxRatio: 1 << 30}, "expanded", true},
		{"size declared too small", lieAboutSize(zipWith(t, "word/document.xml", bodyXML(spaces[:2<<20])), 100), Limits{MaxRatio: 1 << 30}, "document.xml", false},
		{"too many entries", manyEntries, Limits{MaxEntries: 100}, "101 entries", true},
		{"deep nesting", zipWith(t, "word/document.xml", bodyXML([]byte(strings.Repeat("<w:x>", 100_000)))), Limits{}, "nest deeper than 256", true},
		{"not a zip", []byte("PK\x03\x04garbage"), Limits{}, "not a valid ZIP archive", false},
		{"no document part", zipWith(t, "word/other.xml", []byte("<x/>")), Limits{}, "no word/document.xml", false},
		{"nested archive not opened", embedded, Limits{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			txt, err := readDOCX(tt.data, tt.lim)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("readDOCX: %v", err)
				}
				if len(txt.Blocks) != 1 || txt.Blocks[0].Text != "Threat model" {
					t.Errorf("blocks = %+v, want the outer document's one paragraph", txt.Blocks)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("readDOCX error = %v, want one containing %q", err, tt.want)
			}
			if tt.limit && !errors.Is(err, errLimit) {
				t.Errorf("readDOCX error = %v, want a safety limit error", err)
			}
		})
	}
}

// pdfWith builds a PDF from object bodies numbered from 1, with a catalog
// and page tree when page content is given.
func pdfWith(objects ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	for i, o := range objects {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

func flateStream(t testing.TB, data []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", buf.Len(), buf.String())
}

// onePage returns the catalog, page tree and page objects (1 to 3) for a
// page whose content stream is object 4 and font object 5.
func onePage() []string {
	return []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
	}
}

const helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

func TestReadPDFHostile(t *testing.T) {
	text := "BT /F1 12 Tf 72 720 Td (Threat model) Tj ET"
	manyObjects := func(n int) []byte {
		objs := make([]string, n)
		for i := range objs {
			objs[i] = "null"
		}
		return pdfWith(objs...)
	}

	tests := []struct {
		name  string
		data  []byte
		lim   Limits
		want  string
		limit bool
	}{
		{"decompression bomb", pdfWith(append(onePage(), flateStream(t, make([]byte, 8<<20)), helvetica)...), Limits{}, "decompression bomb", true},
		{"expansion limit", pdfWith(append(onePage(), flateStream(t, bytes.Repeat([]byte(text+"\n"), 40_000)), helvetica)...), Limits{MaxExpanded: 1 << 20}, "expand past the limit", true},
		{"deep nesting", pdfWith(strings.Repeat("[", 100_000)), Limits{}, "nest deeper than 256", true},
		{"deep dictionaries", pdfWith(strings.Repeat("<< /A ", 100_000)), Limits{}, "nest deeper than 256", true},
		{"huge object count", manyObjects(defaultMaxObjects + 1), Limits{}, "more than 200000 objects", true},
		{"page tree loop", pdfWith("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 3 0 R] >>",
			"<< /Type /Page /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>", flateStream(t, []byte(text)), helvetica), Limits{}, "", false},
		{"reference loop", pdfWith("<< /Type /Catalog /Pages 2 0 R >>", "3 0 R", "2 0 R"), Limits{}, "no pages", false},
		{"unknown filter", pdfWith(append(onePage(), "<< /Length 3 /Filter /JBIG2Decode >>\nstream\nabc\nendstream", helvetica)...), Limits{}, "unsupported stream filter", false},
		{"no header", []byte("garbage %%EOF"), Limits{}, "not a PDF", false},
		{"unterminated string", pdfWith(append(onePage(), "<< /Length 9 >>\nstream\nBT (abc Tj\nendstream", helvetica)...), Limits{}, "no page has a text layer", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			txt, err := readPDF(tt.data, tt.lim)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("readPDF: %v", err)
				}
				if len(txt.Blocks) == 0 || txt.Blocks[0].Text != "Threat model" {
					t.Errorf("blocks = %+v, want the page text", txt.Blocks)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("readPDF error = %v, want one containing %q", err, tt.want)
			}
			if tt.limit && !errors.Is(err, errLimit) {
				t.Errorf("readPDF error = %v, want a safety limit error", err)
			}
		})
	}
}

func TestReadPDFText(t *testing.T) {
	content := strings.Join([]string{
		"BT /F1 20 Tf 72 760 Td (Threat Model) Tj ET",
		"BT /F1 11 Tf 72 730 Td [(The pump uses ) -250 (BLE) 300 (.)] TJ ET",
		"BT /F1 11 Tf 72 716 Td (It has a ) Tj (\\(small\\) \\223debug\\224 header.) Tj ET",
		"BT /F1 10 Tf 72 690 Td (Port) Tj ET BT /F1 10 Tf 250 690 Td (State) Tj ET",
		"BT /F2 11 Tf 72 670 Td <00410042> Tj ET",
	}, "\n")
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange " +
		"1 beginbfchar <0041> <0055> endbfchar 1 beginbfrange <0042> <0042> <0041> endbfrange endcmap end end"
	data := pdfWith(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
		flateStream(t, []byte(content)),
		helvetica,
		"<< /Type /Font /Subtype /Type0 /ToUnicode 7 0 R >>",
		flateStream(t, []byte(cmap)),
	)
	txt, err := readPDF(data, Limits{})
	if err != nil {
		t.Fatalf("readPDF: %v", err)
	}
	want := []Block{
		{Kind: Heading, Level: 1, Text: "Threat Model", Page: 1},
		{Kind: Paragraph, Text: "The pump uses BLE. It has a (small) “debug” header.", Page: 1, Path: []string{"Threat Model"}},
		{Kind: TableRow, Text: "Port | State", Page: 1, Path: []string{"Threat Model"}},
		{Kind: Paragraph, Text: "UA", Page: 1, Path: []string{"Threat Model"}},
	}
	if fmt.Sprint(txt.Blocks) != fmt.Sprint(want) {
		t.Errorf("blocks:\n%v\nwant:\n%v", txt.Blocks, want)
	}
	if txt.Title != "Threat Model" {
		t.Errorf("title = %q, want the first heading", txt.Title)
	}
}
