package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPDFPages turns the page of the example's PDF that holds the global
// system view into an image with pdftoppm (Debian's poppler-utils) and
// checks that the diagram was drawn, and that the text layer has every
// section heading.
func TestPDFPages(t *testing.T) {
	pdftoppm := requireTool(t, "pdftoppm")
	pdftotext := requireTool(t, "pdftotext")
	dir := t.ArtifactDir()
	t.Logf("PDF page images in %s", dir)

	a := assessExample(t)
	if _, err := Render(context.Background(), a, dir, Options{Formats: []string{"pdf"}}); err != nil {
		t.Fatalf("Render: %v", err)
	}
	pdf := filepath.Join(dir, "Threat-Model-tidewater.pdf")

	text, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	doc, err := Build(context.Background(), a, nil, "2026-11-19")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Sections {
		if !bytes.Contains(text, []byte(s.Heading())) {
			t.Errorf("PDF text lacks the heading %q", s.Heading())
		}
	}

	pages := strings.Split(string(text), "\f")
	page := 0
	for i, p := range pages {
		if strings.Contains(p, "Figure: Global system view") {
			page = i + 1
		}
	}
	if page == 0 {
		t.Fatal("no PDF page has the caption Figure: Global system view")
	}
	prefix := filepath.Join(dir, "global-view")
	if out, err := exec.Command(pdftoppm, "-r", "110", "-png", "-singlefile", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	img := decodePNG(t, prefix+".png")
	if n := countColor(img, 0x7a, 0x4b, 0x00, 50); n < 100 {
		t.Errorf("page %d image has %d pixels of the trust boundary colour, want at least 100: the diagram was not drawn", page, n)
	}
	if n := countColor(img, 0xa0, 0x00, 0x00, 50); n < 20 {
		t.Errorf("page %d image has %d pixels of the debug marker colour, want at least 20", page, n)
	}
	if _, err := os.Stat(prefix + ".png"); err != nil {
		t.Error(err)
	}
}
