package evidence

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeFiles writes name/content pairs into dir.
func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		writeBenchFile(t, dir, name, data)
	}
}

// writeBenchFile writes one file into dir, creating its folders.
func writeBenchFile(t testing.TB, dir, name string, data []byte) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// allFormats renders s in every format under base names "<base>.<ext>".
func allFormats(t *testing.T, base string, s docSpec) map[string][]byte {
	return map[string][]byte{
		base + ".md":   toMarkdown(s),
		base + ".txt":  toText(s),
		base + ".html": toHTML(s),
		base + ".docx": toDOCX(t, s),
		base + ".pdf":  toPDF(t, s),
	}
}

func scanDir(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	res, err := Scan(context.Background(), dir, opts)
	if err != nil {
		t.Fatalf("Scan(%s): %v", dir, err)
	}
	return res
}

func documentAt(t *testing.T, res *Result, path string) *Document {
	t.Helper()
	for _, d := range res.Documents {
		if d.Path == path {
			return d
		}
	}
	var got []string
	for _, d := range res.Documents {
		got = append(got, d.Path)
	}
	t.Fatalf("no document %s in the result; documents: %v", path, got)
	return nil
}

func itemOf(t *testing.T, items []ItemResult, id string) ItemResult {
	t.Helper()
	r, ok := findItem(items, id)
	if !ok {
		t.Fatalf("no result for item %s", id)
	}
	return r
}

// checkQuotes asserts that every covered or weak item quotes a location
// whose text occurs in the document's blocks. Only the missing items of a
// Ward report quote, namely the matrix row that states the failure.
func checkQuotes(t *testing.T, d *Document) {
	t.Helper()
	for _, it := range d.Items {
		if it.Status == Missing && d.Kind != KindWardReport {
			if len(it.Evidence) > 0 {
				t.Errorf("%s: missing item %s quotes evidence %v", d.Path, it.ID, it.Evidence)
			}
			continue
		}
		if len(it.Evidence) == 0 {
			t.Errorf("%s: %s item %s has no quoted evidence", d.Path, it.Status, it.ID)
		}
		for _, q := range it.Evidence {
			if q.File != d.Path || q.Line+q.Page+q.Paragraph == 0 || q.Text == "" {
				t.Errorf("%s: item %s quote %+v lacks a file, a location or text", d.Path, it.ID, q)
				continue
			}
			if !quoteInBlocks(q, d.blocks) {
				t.Errorf("%s: item %s quote %q at %s is not the text of a block there", d.Path, it.ID, q.Text, q.Location())
			}
		}
	}
}

func quoteInBlocks(q Quote, blocks []Block) bool {
	text := strings.Trim(q.Text, "…")
	for _, b := range blocks {
		loc := b.Line
		if b.Page > 0 {
			loc = b.Page
		}
		if loc == q.Line+q.Page+q.Paragraph && strings.Contains(b.Text, text) {
			return true
		}
	}
	return false
}

func TestScanTestDocuments(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{}
	for base, spec := range map[string]docSpec{
		"Threat-Model-complete":    completeSpec(),
		"Threat_Model_no_hardware": noHardwareSpec(),
		"threat-model-jtag":        jtagSpec(),
	} {
		for name, data := range allFormats(t, base, spec) {
			files[name] = data
		}
	}
	writeFiles(t, dir, files)
	res := scanDir(t, dir, Options{})

	formats := []string{"md", "txt", "html", "docx", "pdf"}
	for _, ext := range formats {
		t.Run("complete."+ext, func(t *testing.T) {
			d := documentAt(t, res, "Threat-Model-complete."+ext)
			if d.State != Assessed {
				t.Fatalf("state = %s (%s), want assessed", d.State, d.Problem)
			}
			for _, it := range d.Items {
				if it.Status != Covered {
					t.Errorf("item %s = %s (%s), want covered", it.ID, it.Status, it.Reason)
				}
			}
			checkQuotes(t, d)
		})

		t.Run("no-hardware."+ext, func(t *testing.T) {
			d := documentAt(t, res, "Threat_Model_no_hardware."+ext)
			for _, it := range d.Items {
				want := Covered
				if it.ID == "tm.physical-ports" || it.ID == "tm.board-connections" {
					want = Missing
				}
				if it.Status != want {
					t.Errorf("item %s = %s (%s), want %s", it.ID, it.Status, it.Reason, want)
				}
				if want == Missing && !strings.Contains(it.Add, "interfaces") {
					t.Errorf("item %s add = %q, want a pointer to the interfaces section", it.ID, it.Add)
				}
			}
			checkQuotes(t, d)
		})

		t.Run("jtag."+ext, func(t *testing.T) {
			d := documentAt(t, res, "threat-model-jtag."+ext)
			board := itemOf(t, d.Items, "tm.board-connections")
			if board.Status != Weak {
				t.Fatalf("tm.board-connections = %s (%s), want weak", board.Status, board.Reason)
			}
			if len(board.Evidence) != 1 || !strings.Contains(board.Evidence[0].Text, "JTAG interface") {
				t.Fatalf("tm.board-connections evidence = %+v, want the one JTAG sentence", board.Evidence)
			}
			got := board.Evidence[0]
			want := jtagLocation(t, ext, files["threat-model-jtag."+ext])
			if got.Location() != "threat-model-jtag."+ext+" "+want && got.Location() != "threat-model-jtag."+ext+want {
				t.Errorf("JTAG quote at %s, want %s", got.Location(), want)
			}
			for _, it := range d.Items {
				if it.ID != "tm.board-connections" && it.Status != Covered {
					t.Errorf("item %s = %s (%s), want covered", it.ID, it.Status, it.Reason)
				}
			}
			checkQuotes(t, d)
		})
	}

	// The set takes the best document per item.
	for _, it := range res.Items {
		if it.Status != Covered {
			t.Errorf("set item %s = %s, want covered", it.ID, it.Status)
		}
	}
}

// jtagLocation returns the expected location suffix of the JTAG sentence:
// ":line", "page N" or "paragraph N".
func jtagLocation(t *testing.T, ext string, data []byte) string {
	t.Helper()
	switch ext {
	case "pdf":
		return "page 2"
	case "docx":
		doc := docxDocument(jtagSpec())
		i := strings.Index(doc, jtagSentence)
		return "paragraph " + strconv.Itoa(strings.Count(doc[:i], "<w:p>"))
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, jtagSentence) {
			return ":" + strconv.Itoa(i+1)
		}
	}
	t.Fatalf("the JTAG sentence is not in the %s document", ext)
	return ""
}

func TestScanListsUnreadOfficeDocuments(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"Threat-Register.xlsx": []byte("PK\x03\x04"),
		"notes.bin":            []byte{0, 1, 2},
	})
	res := scanDir(t, dir, Options{})
	var reasons []string
	for _, sk := range res.Skipped {
		reasons = append(reasons, sk.Path+": "+sk.Reason)
	}
	if len(reasons) != 1 || !strings.HasPrefix(reasons[0], "Threat-Register.xlsx: .xlsx files are not read") {
		t.Errorf("skipped = %q, want only the workbook, with the reason", reasons)
	}
}
