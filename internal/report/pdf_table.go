package report

// Table geometry in millimetres and points.
const (
	tableLine     = 3.4
	tableFontSize = 7.5
	tablePadding  = 0.8
)

// table draws t with wrapped cells, repeating the header row on each page.
// A row taller than a page is cut to one page, with the cut marked.
func (pw *pdfWriter) table(t *Table) {
	pdf := pw.pdf
	if t.Caption != "" {
		pdf.SetFont(pdfFont, "B", 10)
		pdf.MultiCell(pdfBodyWidth, 5.5, pdfText(t.Caption), "", "L", false)
	}
	if len(t.Rows) == 0 {
		pdf.SetFont(pdfFont, "", 10)
		pdf.SetTextColor(85, 85, 85)
		pdf.MultiCell(pdfBodyWidth, 5, pdfText(cmpOr(t.Empty, "None.")), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(2)
		return
	}

	widths := columnWidths(t)
	pdf.SetDrawColor(170, 170, 170)
	pdf.SetLineWidth(0.2)
	pw.tableRow(t.Header, widths, true)
	for _, row := range t.Rows {
		if pw.tableRow(row, widths, false) {
			pw.tableRow(t.Header, widths, true)
			pw.tableRow(row, widths, false)
		}
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.Ln(3)
}

// tableRow draws one row at the current position. It returns true without
// drawing when the row does not fit on the rest of the page, after starting
// a new page, so the caller can repeat the header first.
func (pw *pdfWriter) tableRow(cells []string, widths []float64, header bool) (newPage bool) {
	pdf := pw.pdf
	style := ""
	if header {
		style = "B"
	}
	pdf.SetFont(pdfFont, style, tableFontSize)

	usable := pdfBottom - pdfMargin - 12.0
	maxLines := int(usable / tableLine)
	lines := make([][]string, len(widths))
	rows := 1
	for i := range widths {
		text := ""
		if i < len(cells) {
			text = pdfText(cells[i])
		}
		l := pdf.SplitText(text, widths[i]-2*tablePadding)
		if len(l) > maxLines {
			l = append(l[:maxLines-1], "[cut: the full text is in the HTML and Markdown documents]")
		}
		lines[i] = l
		rows = max(rows, len(l))
	}
	height := float64(rows)*tableLine + 2*tablePadding

	if pdf.GetY()+height > pdfBottom && !header {
		pdf.AddPage()
		return true
	}
	if header && pdf.GetY()+height+2*tableLine > pdfBottom {
		pdf.AddPage()
	}

	x, y := pdfMargin, pdf.GetY()
	for i, w := range widths {
		if header {
			pdf.SetFillColor(239, 231, 218)
			pdf.Rect(x, y, w, height, "DF")
		} else {
			pdf.Rect(x, y, w, height, "D")
		}
		for j, line := range lines[i] {
			pdf.SetXY(x+tablePadding, y+tablePadding+float64(j)*tableLine)
			pdf.CellFormat(w-2*tablePadding, tableLine, line, "", 0, "L", false, 0, "")
		}
		x += w
	}
	pdf.SetXY(pdfMargin, y+height)
	return false
}

// columnWidths scales the table's relative widths to the page width.
func columnWidths(t *Table) []float64 {
	n := len(t.Header)
	rel := t.Widths
	if len(rel) != n {
		rel = repeat(1, n)
	}
	total := 0.0
	for _, w := range rel {
		total += w
	}
	out := make([]float64, n)
	for i, w := range rel {
		out[i] = pdfBodyWidth * w / total
	}
	return out
}
