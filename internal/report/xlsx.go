package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/wardtm/ward/internal/threat"
)

// xlsxRenderer writes the threat register workbook: one sheet each for
// threats, suppressed threats, issues, dependencies and conformance
// results, each an Excel table with filter buttons and a frozen header row. Every value is written as
// a string cell, so text from the model that looks like a formula stays
// text.
type xlsxRenderer struct{}

func (xlsxRenderer) FileName(systemID string) string {
	return "Threat-Register-" + safeFileName(systemID) + ".xlsx"
}

// maxCellChars is the most characters a spreadsheet cell holds (Excel's
// limit is 32,767); longer values are cut with a marker.
const maxCellChars = 32000

type sheet struct {
	name   string
	header []string
	widths []float64
	rows   [][]string
}

func (xlsxRenderer) Render(w io.Writer, in *Input) error {
	a := in.Assessment
	m := a.Model
	reg := a.Register
	if reg == nil {
		reg = &threat.Register{}
	}

	threats := sheet{name: "Threats", header: append(append([]string{}, registerHeader...), "Target kind", "Description", "Justification", "Risk reason")}
	threats.widths = []float64{38, 40, 20, 18, 14, 10, 40, 16, 16, 12, 22, 14, 12, 12, 60, 50, 60}
	risks := indexRisks(a)
	for _, t := range reg.Threats {
		threats.rows = append(threats.rows, append(registerRow(t, risks), t.Target.Kind, t.Description, t.Disposition.Justification, risks[t.ID].Reason))
	}

	suppressed := sheet{name: "Suppressed", header: []string{"ID", "Title", "Target", "Suppress rule", "Justification"}, widths: []float64{38, 40, 20, 20, 60}}
	for _, s := range reg.Suppressed {
		suppressed.rows = append(suppressed.rows, []string{s.Threat.ID, s.Threat.Title, s.Threat.Target.ID, s.Rule, s.Justification})
	}

	issues := sheet{name: "Issues", header: []string{"ID", "Title", "Source", "Found", "CWE", "CVE", "CVSS", "Affected versions", "Fixed in", "Status", "Root cause", "Safety impact", "Disclosure", "Disclosure date", "Threats", "Dependencies", "Hazards", "Tracker"}}
	issues.widths = []float64{12, 40, 18, 12, 14, 16, 40, 16, 10, 12, 40, 40, 16, 14, 30, 20, 14, 30}
	for _, i := range m.Issues {
		issues.rows = append(issues.rows, []string{i.ID, i.Title, i.Origin, string(i.Found), strings.Join(i.CWE, ", "), strings.Join(i.CVE, ", "), i.CVSS,
			strings.Join(i.AffectedVersions, ", "), i.FixedIn, i.Status, i.RootCause, i.SafetyImpact, i.Disclosure.Decision, string(i.Disclosure.Date),
			strings.Join(i.Threats, ", "), strings.Join(i.Dependencies, ", "), strings.Join(i.Hazards, ", "), i.Tracker})
	}

	deps := sheet{name: "Dependencies", header: []string{"ID", "Name", "Version", "Kind", "Supplier", "Classification", "Support level", "Support ends", "purl", "CPE", "License", "Elements", "SBOM"}}
	deps.widths = []float64{18, 28, 12, 12, 24, 14, 14, 12, 44, 30, 16, 24, 24}
	usedBy := dependencyUsers(m)
	for _, d := range m.Dependencies {
		deps.rows = append(deps.rows, []string{d.ID, d.Name, d.Version, d.Kind, d.Supplier, d.Classification, d.Support.Level, string(d.Support.Ends),
			d.Purl, d.CPE, d.License, strings.Join(usedBy[d.ID], ", "), d.SBOM})
	}

	conf := sheet{name: "Conformance", header: []string{"Requirement", "Title", "Clause", "Group", "Result", "Evidence section", "Finding", "Fix"}, widths: []float64{14, 44, 26, 16, 12, 26, 60, 50}}
	for _, r := range a.Conformance {
		conf.rows = append(conf.rows, []string{r.Requirement.ID, r.Requirement.Title, r.Requirement.Clause, r.Requirement.Group, r.Status,
			sectionRef(in.Doc, r.Requirement.Section), r.Message, r.Fix})
	}

	f := excelize.NewFile()
	defer f.Close()
	if err := setProperties(f, in.Doc); err != nil {
		return err
	}
	for i, s := range []sheet{threats, suppressed, issues, deps, conf} {
		if err := writeSheet(f, i, s); err != nil {
			return fmt.Errorf("writing sheet %s: %w", s.name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	sorted, err := sortZip(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(sorted)
	return err
}

// sortZip rewrites a zip archive with its entries sorted by name and no
// modification times. excelize writes stream-written sheets in map order,
// so without this the same workbook could come out in different bytes.
// The entries' compressed data is copied as it is.
func sortZip(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("reading generated workbook: %w", err)
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		header := f.FileHeader
		header.Modified = time.Time{}
		header.ModifiedTime, header.ModifiedDate = 0, 0
		header.Extra = nil
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, fmt.Errorf("reading generated workbook: %w", err)
		}
		dst, err := zw.CreateRaw(&header)
		if err != nil {
			return nil, fmt.Errorf("writing workbook: %w", err)
		}
		if _, err := io.Copy(dst, raw); err != nil {
			return nil, fmt.Errorf("writing workbook: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("writing workbook: %w", err)
	}
	return out.Bytes(), nil
}

// setProperties fixes the workbook's document properties, dates included,
// so that the same assessment gives the same bytes.
func setProperties(f *excelize.File, doc *Document) error {
	date := "2000-01-01T00:00:00Z"
	if doc.Date != "" {
		date = doc.Date + "T00:00:00Z"
	}
	return f.SetDocProps(&excelize.DocProperties{
		Title:          xlsxText("Threat register " + documentTitle(doc)),
		Subject:        xlsxText(doc.SystemName),
		Creator:        "Ward",
		LastModifiedBy: "Ward",
		Identifier:     xlsxText(doc.ID),
		Version:        xlsxText(doc.Version),
		Created:        date,
		Modified:       date,
		Language:       "en",
	})
}

// writeSheet writes one sheet through excelize's stream writer, which
// keeps the memory and time of a large register linear in its rows. The
// rows form an Excel table, whose header carries the filter buttons, and
// the header row is frozen.
func writeSheet(f *excelize.File, index int, s sheet) error {
	if index == 0 {
		if err := f.SetSheetName("Sheet1", s.name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(s.name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, w := range s.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}

	if err := sw.SetRow("A1", cells(s.header)); err != nil {
		return err
	}
	for i, row := range s.rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), cells(row), excelize.RowOpts{StyleID: wrap}); err != nil {
			return err
		}
	}

	last, err := excelize.ColumnNumberToName(len(s.header))
	if err != nil {
		return err
	}
	stripes := true
	if err := sw.AddTable(&excelize.Table{
		Range:          fmt.Sprintf("A1:%s%d", last, max(len(s.rows)+1, 2)),
		Name:           s.name,
		StyleName:      "TableStyleLight9",
		ShowRowStripes: &stripes,
	}); err != nil {
		return err
	}
	return sw.Flush()
}

// cells converts a row to stream writer values, each a string cell.
func cells(row []string) []interface{} {
	out := make([]interface{}, len(row))
	for i, c := range row {
		out[i] = xlsxText(c)
	}
	return out
}

// xlsxText removes the control characters that XML cannot carry and cuts
// values longer than a cell holds.
func xlsxText(s string) string {
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || r == 0xfffe || r == 0xffff {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if utf8.RuneCountInString(s) > maxCellChars {
		s = string([]rune(s)[:maxCellChars]) + " [cut]"
	}
	return s
}
