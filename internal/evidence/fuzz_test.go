package evidence

import (
	"errors"
	"testing"
)

// checkText asserts the properties every reader result must have: each
// block has a known kind, text and a location, and no heading path
// includes the block itself.
func checkText(t *testing.T, txt *Text, unit string) {
	t.Helper()
	for _, b := range txt.Blocks {
		switch b.Kind {
		case Heading, Paragraph, TableRow, ListItem:
		default:
			t.Fatalf("block of unknown kind %q", b.Kind)
		}
		if b.Text == "" {
			t.Fatal("block with empty text")
		}
		if unit == "page" && b.Page < 1 || unit != "page" && b.Line < 1 {
			t.Fatalf("block %q without a %s", b.Text, unit)
		}
	}
}

func FuzzReadDOCX(f *testing.F) {
	f.Add(toDOCX(f, completeSpec()))
	f.Add(toDOCX(f, jtagSpec()))
	f.Add(zipFiles(f, "word/document.xml", `<w:document><w:body><w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl></w:body></w:document>`))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		txt, err := readDOCX(data, Limits{MaxExpanded: 8 << 20})
		if err != nil {
			return
		}
		checkText(t, txt, "paragraph")
	})
}

func FuzzReadPDF(f *testing.F) {
	f.Add(toPDF(f, completeSpec()))
	f.Add(scannedPDF(f))
	f.Add(encryptedPDF(f))
	f.Add(pdfWith("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] >>",
		"<< /Type /Page /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Threat model) Tj ET\nendstream", helvetica))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /ObjStm /N 1 /First 4 /Length 10 >>\nstream\n2 0 [1 2]\nendstream endobj\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		txt, err := readPDF(data, Limits{MaxExpanded: 8 << 20, MaxObjects: 10_000})
		if err != nil {
			if txt != nil {
				t.Fatal("readPDF returned text and an error")
			}
			return
		}
		if errors.Is(err, errLimit) {
			return
		}
		checkText(t, txt, "page")
	})
}

func FuzzReadHTML(f *testing.F) {
	f.Add(toHTML(completeSpec()))
	f.Add([]byte("<h1>a<li>b<tr><td>c<td>d</table><script>x<y</script><p x='>'>e"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkText(t, readHTML(data, Limits{}), "line")
	})
}

func FuzzReadMarkdown(f *testing.F) {
	f.Add(toMarkdown(completeSpec()))
	f.Add([]byte("---\ntitle: x\n---\n# a\n| b | c |\n|-|-|\n- d\n  e\n```\nf\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkText(t, readMarkdown(data, Limits{}), "line")
		checkText(t, readText(data, Limits{}), "line")
	})
}

// matrixSeed is the start of a conformance matrix as a Ward report writes
// it in Markdown, with one row whose fix names another requirement.
const matrixSeed = `# Threat model

## 14 Conformance matrix

| Requirement | Title | Clause | Result | Evidence | Finding |
| --- | --- | --- | --- | --- | --- |
| tm.cia | impacts are stated | IEC 81001-5-1 7.2 | fail | 8 Threat register | 1 data item without a complete CIA rating: d Fix: rate it |
| tm.security-issues | issues are documented | IEC 81001-5-1 7.2 k) | fail | - | no issues Fix: or record under key tm.security-issues |
| issues.handling | issues are handled | IEC 81001-5-1 9.4 | pass | 12 Security-related issues | 0 issues carry the fields |

## 15 Audit statement
`

// FuzzReadMatrix reads the conformance matrix of Markdown reports. Every
// row it returns has a known status, and its quotes are block text.
func FuzzReadMatrix(f *testing.F) {
	f.Add([]byte(matrixSeed))
	f.Add([]byte("| Requirement | Title | Result |\n| --- | --- | --- |\n| tm.cia | x | pass |\n| t m . c i a | pass | tm.exists |\n"))
	f.Add([]byte("| Requirement | Result |\n|---|---|\n| tm.exists tm.cia | pass |\n| tm.cia\x1fpass\x1f | fail |\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		txt := readMarkdown(data, Limits{})
		rows, _ := readMatrix("r.md", "line", txt.Blocks)
		d := &Document{Path: "r.md", Kind: KindWardReport, blocks: txt.Blocks}
		for id, r := range rows {
			switch r.status {
			case "pass", "fail", "warning", "not-applicable":
			default:
				t.Fatalf("row %s has status %q", id, r.status)
			}
			d.Items = append(d.Items, ItemResult{ID: id, Status: Weak, Evidence: r.quotes})
		}
		checkQuotes(t, d)
	})
}
