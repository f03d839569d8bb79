package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHTMLInBrowser opens the example's HTML report in headless Chromium
// (Debian's chromium package) and checks that it loads without console
// errors, requests nothing from the network, and shows its diagrams. The
// screenshots are kept in the test's artifact folder, which the test logs;
// run go test with -artifacts to keep them after the run.
func TestHTMLInBrowser(t *testing.T) {
	chromium := requireTool(t, "chromium")
	dir := t.ArtifactDir()
	t.Logf("browser screenshots and DOM in %s", dir)

	if _, err := Render(context.Background(), assessExample(t), dir, Options{Formats: []string{"html"}}); err != nil {
		t.Fatalf("Render: %v", err)
	}
	page := filepath.Join(dir, "Threat-Model-tidewater.html")
	url := "file://" + page

	dom, logs := runChromium(t, chromium, "--dump-dom", url)
	if err := os.WriteFile(filepath.Join(dir, "dom.html"), dom, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") || strings.Contains(line, "net::ERR") {
			t.Errorf("browser reported: %s", line)
		}
	}
	if !bytes.Contains(dom, []byte(`<section class="top" id="audit-statement">`)) {
		t.Error("DOM lacks the last section, audit-statement; the page did not load completely")
	}
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:|//)|url\(\s*['"]?https?:`)
	if m := external.Find(dom); m != nil {
		t.Errorf("DOM references the network: %s", m)
	}
	if n := bytes.Count(dom, []byte("<svg")); n < 4 {
		t.Errorf("DOM has %d inline SVG diagrams, want at least 4", n)
	}
	if !bytes.Contains(dom, []byte(`id="figure-global"`)) {
		t.Error("DOM lacks the global system view figure")
	}

	// A screenshot of the top of the page, tall enough to hold the first
	// architecture views, must show the diagrams: the brown dashed trust
	// boundaries and the red DEBUG markers, besides the text.
	shot := filepath.Join(dir, "report.png")
	runChromium(t, chromium, "--screenshot="+shot, url)
	img := decodePNG(t, shot)
	if n := countColor(img, 0x7a, 0x4b, 0x00, 40); n < 200 {
		t.Errorf("screenshot %s has %d pixels of the trust boundary colour, want at least 200: the diagrams are not visible", shot, n)
	}
	if n := countColor(img, 0xa0, 0x00, 0x00, 40); n < 50 {
		t.Errorf("screenshot %s has %d pixels of the debug marker colour, want at least 50", shot, n)
	}
	if n := countColor(img, 0x1a, 0x1a, 0x1a, 60); n < 500 {
		t.Errorf("screenshot %s has %d dark text pixels, want at least 500: the page looks empty", shot, n)
	}
}

// runChromium runs headless Chromium on url with one extra flag and returns
// its standard output and its log.
func runChromium(t *testing.T, chromium, flag, url string) (stdout []byte, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--window-size=1280,5000", "--hide-scrollbars",
		"--enable-logging=stderr", "--v=0",
		flag, url)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", flag, err, errOut.String())
	}
	return out.Bytes(), errOut.String()
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return img
}

// countColor counts the pixels within tolerance of the colour r, g, b on
// each channel.
func countColor(img image.Image, r, g, b uint8, tolerance int) int {
	near := func(a uint32, want uint8) bool {
		d := int(a>>8) - int(want)
		return d <= tolerance && d >= -tolerance
	}
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				n++
			}
		}
	}
	return n
}
