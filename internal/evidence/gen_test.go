package evidence

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// The test documents are built here from one description, so every format
// carries the same content and the expected results hold for all of them.

// section is one part of a test document.
type section struct {
	title string
	level int
	paras []string
	list  []string
	table [][]string
	// newPage starts the section on a new page in the PDF form.
	newPage bool
}

type docSpec struct {
	title    string
	sections []section
}

// completeSpec documents every item.
func completeSpec() docSpec {
	return docSpec{title: "Threat Model: Acme Infusion Pump", sections: []section{
		{title: "Document control", level: 1, table: [][]string{{"Field", "Value"}, {"Document ID", "TM-ACME-001"}, {"Version", "1.2"}, {"Approved by", "J. Doe, head of quality"}}},
		{title: "System overview", level: 1, paras: []string{"The Acme pump delivers insulin and is paired with a phone app that uploads therapy history to the Acme cloud."}},
		{title: "Data flows", level: 1,
			paras: []string{"The data flow diagram shows every flow between the pump, the app and the cloud."},
			table: [][]string{{"Flow", "From", "To", "Data"}, {"F1", "Pump", "App", "therapy history (PHI)"}, {"F2", "App", "Cloud", "therapy history (PHI), account data (PII)"}}},
		{title: "Trust boundaries", level: 1, list: []string{"Pump enclosure: pump firmware and its flash", "Phone: the mobile app", "Cloud: the upload service and database"}},
		{title: "Processes", level: 1, list: []string{"Pump firmware: dosing and pairing", "Mobile app: remote bolus and upload", "Upload service: receives therapy history"}},
		{title: "Data stores", level: 1, list: []string{"Pump flash: dose log and settings", "Cloud database: therapy history of every patient"}},
		{title: "External entities", level: 1, list: []string{"Patient, who wears the pump", "Clinician, who reviews therapy history", "Hospital EHR, which imports reports"}},
		{title: "Communication protocols", level: 1, table: [][]string{{"Link", "Protocol"}, {"Pump to app", "BLE 5 with LE Secure Connections"}, {"App to cloud", "HTTPS with TLS 1.3"}, {"Cloud to EHR", "HL7 FHIR over HTTPS"}}},
		{title: "Physical ports", level: 1, newPage: true, table: [][]string{{"Port", "Production state"}, {"USB-C charging port", "charging only; data needs a signed unlock"}, {"Service port", "disabled in production"}}},
		{title: "Board connections", level: 1, table: [][]string{{"Connection", "Production state"}, {"JTAG header", "fused off"}, {"UART test points", "removed from the production board"}}},
		{title: "Attack vectors", level: 1, list: []string{"Remote attacker on the internet against the cloud", "Adjacent attacker within radio range of the pump", "Attacker with physical access to an unattended pump"}},
		{title: "Impact on confidentiality, integrity and availability", level: 1, table: [][]string{{"Asset", "Confidentiality", "Integrity", "Availability"}, {"Therapy history", "high", "high", "medium"}, {"Dose commands", "low", "high", "high"}}},
		{title: "STRIDE threat analysis", level: 1, table: [][]string{{"Threat", "Category", "Severity"}, {"Forged bolus command over BLE", "Spoofing", "high"}, {"Altered dose log", "Tampering", "medium"}, {"Flooded upload service", "Denial of service", "medium"}}},
		{title: "Security-related issues", level: 1, table: [][]string{{"Issue", "Status"}, {"CVE-2024-12345 in the BLE stack", "fixed in 1.3"}, {"Weak pairing PIN on early units", "open"}}},
		{title: "Vulnerability handling", level: 1, paras: []string{"Each security issue gets a CVSS score, the affected versions, a root cause analysis, a safety impact statement and a coordinated disclosure decision."}},
		{title: "External dependencies", level: 1, table: [][]string{{"Dependency", "Version", "Supplier"}, {"FreeRTOS", "10.5", "Amazon"}, {"mbedTLS", "3.5", "Trusted Firmware"}}},
		{title: "Review records", level: 1, table: [][]string{{"Date", "Reviewers", "Outcome"}, {"2026-03-02", "firmware, cloud and app leads", "approved"}}},
		{title: "Periodic review", level: 1, paras: []string{"The development team reviews this threat model at least once a year while the pump is on the market."}},
	}}
}

// noHardwareSpec leaves out the physical ports and board connections and
// names none of their terms.
func noHardwareSpec() docSpec {
	s := completeSpec()
	s.title = "Threat Model: Acme Infusion Pump without hardware"
	s.sections = dropSections(s.sections, "Physical ports", "Board connections")
	for i := range s.sections {
		if s.sections[i].title == "Attack vectors" {
			s.sections[i].list = []string{"Remote attacker on the internet against the cloud", "Adjacent attacker within radio range of the pump"}
		}
	}
	return s
}

// jtagSpec names JTAG once, in passing, and has no section on board
// connections.
func jtagSpec() docSpec {
	s := completeSpec()
	s.title = "Threat Model: Acme Infusion Pump, engineering samples"
	s.sections = dropSections(s.sections, "Board connections")
	for i := range s.sections {
		if s.sections[i].title == "System overview" {
			s.sections[i].newPage = true
			s.sections[i].paras = append(s.sections[i].paras, jtagSentence)
		}
	}
	return s
}

const jtagSentence = "The engineering samples still expose the JTAG interface."

func dropSections(in []section, titles ...string) []section {
	var out []section
	for _, s := range in {
		drop := false
		for _, t := range titles {
			drop = drop || s.title == t
		}
		if !drop {
			out = append(out, s)
		}
	}
	return out
}

func toMarkdown(s docSpec) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", s.title)
	for _, sec := range s.sections {
		fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", sec.level+1), sec.title)
		for _, p := range sec.paras {
			fmt.Fprintf(&b, "%s\n\n", p)
		}
		for _, item := range sec.list {
			fmt.Fprintf(&b, "- %s\n", item)
		}
		if len(sec.list) > 0 {
			b.WriteString("\n")
		}
		for i, row := range sec.table {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
			if i == 0 {
				b.WriteString("|" + strings.Repeat(" --- |", len(row)) + "\n")
			}
		}
		if len(sec.table) > 0 {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

func toText(s docSpec) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", s.title, strings.Repeat("=", len(s.title)))
	for i, sec := range s.sections {
		fmt.Fprintf(&b, "%d. %s\n\n", i+1, sec.title)
		for _, p := range sec.paras {
			fmt.Fprintf(&b, "%s\n\n", p)
		}
		for _, item := range sec.list {
			fmt.Fprintf(&b, "- %s\n", item)
		}
		if len(sec.list) > 0 {
			b.WriteString("\n")
		}
		for _, row := range sec.table {
			fmt.Fprintf(&b, "%s\n", strings.Join(row, "\t"))
		}
		if len(sec.table) > 0 {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

func toHTML(s docSpec) []byte {
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><title>%s</title>\n<style>td > p { margin: 0 }</style>\n<script>if (a < b && c > d) { x = '<h1>'; }</script></head>\n<body>\n<h1>%s</h1>\n", e(s.title), e(s.title))
	for _, sec := range s.sections {
		fmt.Fprintf(&b, "<h%d>%s</h%d>\n", sec.level+1, e(sec.title), sec.level+1)
		for _, p := range sec.paras {
			fmt.Fprintf(&b, "<p>%s</p>\n", e(p))
		}
		if len(sec.list) > 0 {
			b.WriteString("<ul>\n")
			for _, item := range sec.list {
				// Unclosed li elements, as HTML allows.
				fmt.Fprintf(&b, "<li>%s\n", e(item))
			}
			b.WriteString("</ul>\n")
		}
		if len(sec.table) > 0 {
			b.WriteString("<table>\n")
			for i, row := range sec.table {
				cell := "td"
				if i == 0 {
					cell = "th"
				}
				b.WriteString("<tr>")
				for _, c := range row {
					fmt.Fprintf(&b, "<%s>%s</%s>", cell, e(c), cell)
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</table>\n")
		}
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// docxDocument returns the word/document.xml part of s.
func docxDocument(s docSpec) string {
	esc := func(t string) string {
		var b bytes.Buffer
		_ = xmlEscape(&b, t)
		return b.String()
	}
	para := func(style, text string, list bool) string {
		var ppr string
		if style != "" || list {
			ppr = "<w:pPr>"
			if style != "" {
				ppr += `<w:pStyle w:val="` + style + `"/>`
			}
			if list {
				ppr += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`
			}
			ppr += "</w:pPr>"
		}
		return "<w:p>" + ppr + `<w:r><w:t xml:space="preserve">` + esc(text) + "</w:t></w:r></w:p>"
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + "\n")
	b.WriteString(para("Title", s.title, false) + "\n")
	for _, sec := range s.sections {
		b.WriteString(para(fmt.Sprintf("Heading%d", sec.level), sec.title, false) + "\n")
		for _, p := range sec.paras {
			b.WriteString(para("", p, false) + "\n")
		}
		for _, item := range sec.list {
			b.WriteString(para("", item, true) + "\n")
		}
		if len(sec.table) > 0 {
			b.WriteString("<w:tbl>")
			for _, row := range sec.table {
				b.WriteString("<w:tr>")
				for _, c := range row {
					b.WriteString("<w:tc>" + para("", c, false) + "</w:tc>")
				}
				b.WriteString("</w:tr>\n")
			}
			b.WriteString("</w:tbl>\n")
		}
	}
	b.WriteString("</w:body></w:document>\n")
	return b.String()
}

const docxStylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
</w:styles>`

// zipFiles writes a ZIP archive of name/content pairs.
func zipFiles(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func toDOCX(t testing.TB, s docSpec) []byte {
	t.Helper()
	return zipFiles(t,
		"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml", docxDocument(s),
		"word/styles.xml", docxStylesXML,
		"docProps/core.xml", `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>`+s.title+`</dc:title></cp:coreProperties>`,
	)
}

// toPDF writes s with the standard Helvetica font (WinAnsi encoding):
// headings larger than the body, tables as rows of cells, lists with
// bullets.
func toPDF(t testing.TB, s docSpec) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(s.title, false)
	pdf.SetCompression(true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 20)
	pdf.MultiCell(0, 10, s.title, "", "L", false)
	for _, sec := range s.sections {
		if sec.newPage {
			pdf.AddPage()
		}
		pdf.SetFont("Helvetica", "B", 15)
		pdf.Ln(3)
		pdf.CellFormat(0, 9, sec.title, "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 11)
		for _, p := range sec.paras {
			pdf.MultiCell(0, 6, p, "", "L", false)
		}
		for _, item := range sec.list {
			pdf.CellFormat(0, 6, "\x95 "+item, "", 1, "L", false, 0, "")
		}
		if len(sec.table) > 0 {
			pdf.SetFont("Helvetica", "", 10)
			w := 180 / float64(len(sec.table[0]))
			for _, row := range sec.table {
				for _, c := range row {
					pdf.CellFormat(w, 7, c, "1", 0, "L", false, 0, "")
				}
				pdf.Ln(-1)
			}
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scannedPDF writes a page that contains only an image, as a scanner does.
func scannedPDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for x := 0; x < 64; x++ {
		img.Set(x, x, color.Gray{Y: 255})
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Threat Model scan", false)
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngBuf)
	pdf.ImageOptions("scan", 10, 10, 190, 190, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encryptedPDF writes a PDF protected with a password.
func encryptedPDF(t testing.TB) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetProtection(fpdf.CnProtectPrint, "user", "owner")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	pdf.Cell(0, 10, "Threat model")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xmlEscape(b *bytes.Buffer, s string) error {
	_, err := b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s))
	return err
}
