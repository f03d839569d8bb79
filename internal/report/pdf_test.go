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

// TestPDFFigureLayout renders the example's PDF and checks each drawn
// figure: it shares a page with its subsection's heading, it fills the
// printable width or the height left on its page unless it prints at
// natural size, and labels below pdfMinLabelSize come with a note.
func TestPDFFigureLayout(t *testing.T) {
	doc, err := Build(context.Background(), assessExample(t), renderer(t), "2026-11-19")
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	_, pw, err := writePDF(doc)
	if err != nil {
		t.Fatalf("writePDF: %v", err)
	}

	figures := map[string]*Figure{}
	headingPage := map[string]int{}
	for _, s := range doc.Sections {
		for _, sub := range s.Subs {
			for _, b := range sub.Blocks {
				if f, ok := b.(*Figure); ok && f.Drawing != nil {
					figures[f.View.Name] = f
					headingPage[f.View.Name] = pw.pages[sub.Key]
				}
			}
		}
	}
	if len(pw.figures) != len(figures) || len(figures) == 0 {
		t.Fatalf("writePDF drew %d figures, want the %d views with a drawing", len(pw.figures), len(figures))
	}

	for _, placed := range pw.figures {
		d := figures[placed.view].Drawing
		if placed.page != headingPage[placed.view] {
			t.Errorf("view %s: figure on page %d, heading on page %d", placed.view, placed.page, headingPage[placed.view])
		}

		natural := placed.width >= d.Width*ptToMM-0.01
		fullWidth := placed.width >= pdfBodyWidth-0.01
		below := pdfFigureGap + pdfCaptionLine
		if placed.note {
			below += pdfCaptionLine
		}
		fullHeight := placed.y+placed.height+below >= pdfBottom-pdfCaptionLine
		if !natural && !fullWidth && !fullHeight {
			t.Errorf("view %s: drawn %.0f × %.0f mm at y %.0f mm, which fills neither the %.0f mm width nor the height down to %.0f mm", placed.view, placed.width, placed.height, placed.y, pdfBodyWidth, pdfBottom)
		}

		if placed.labelSize < pdfMinLabelSize && !placed.note {
			t.Errorf("view %s: labels print at %.1f pt without a note", placed.view, placed.labelSize)
		}
		if placed.labelSize >= pdfMinLabelSize && placed.note {
			t.Errorf("view %s: labels print at %.1f pt but the figure has a note", placed.view, placed.labelSize)
		}
	}
}
