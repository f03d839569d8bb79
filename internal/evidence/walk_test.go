package evidence

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func skippedReason(res *Result, path string) string {
	for _, s := range res.Skipped {
		if s.Path == path {
			return s.Reason
		}
	}
	return ""
}

func TestScanWalk(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string][]byte{"Threat-Model-outside.md": toMarkdown(completeSpec())})

	dir := t.TempDir()
	complete := toMarkdown(completeSpec())
	writeFiles(t, dir, map[string][]byte{
		"docs/README.md":                     []byte("# Security Architecture of the pump\n\n## Trust boundaries\n\nThe pump and the phone are separate zones.\n"),
		"docs/notes.md":                      []byte("# Meeting notes\n\nNothing about threats here.\n"),
		"docs/Threat-Model-big.md":           append([]byte("# Threat model\n\n"), make([]byte, 4096)...),
		".git/Threat-Model.md":               complete,
		"node_modules/pkg/Threat-Model.md":   complete,
		"vendor/lib/STRIDE.md":               complete,
		"archive/Threat-Model-scan.pdf":      scannedPDF(t),
		"archive/Threat-Model-locked.pdf":    encryptedPDF(t),
		"archive/Threat-Model-broken.docx":   []byte("PK\x03\x04 this is not really a zip archive"),
		"archive/Threat-Model-truncated.pdf": toPDF(t, completeSpec())[:400],
		"archive/Data-Flow-Diagram.html":     []byte("<html><head><title>DFD</title></head><body><h1>Data flow diagram</h1><p>Pump to app: therapy data over BLE.</p></body></html>"),
		"archive/unrelated.pdf":              []byte("%PDF-1.4 garbage without objects"),
		"docs/Attack-Surface.txt":            []byte("ATTACK SURFACE\n\nThe pump exposes a USB port.\n"),
		"docs/package.json":                  []byte(`{"name": "docs-site", "version": "1.0.0"}`),
		"docs/config.yaml":                   []byte("title: docs\n"),
	})
	mustSymlink(t, filepath.Join(outside, "Threat-Model-outside.md"), filepath.Join(dir, "docs", "Threat-Model-link-out.md"))
	mustSymlink(t, filepath.Join(dir, "docs", "README.md"), filepath.Join(dir, "Security-Architecture-link.md"))
	mustSymlink(t, outside, filepath.Join(dir, "outside-folder"))

	res := scanDir(t, dir, Options{Limits: Limits{MaxFileSize: 2048}})

	var paths []string
	for _, d := range res.Documents {
		paths = append(paths, d.Path)
	}
	want := []string{
		"Security-Architecture-link.md",
		"archive/Data-Flow-Diagram.html",
		"archive/Threat-Model-broken.docx",
		"archive/Threat-Model-locked.pdf",
		"archive/Threat-Model-scan.pdf",
		"archive/Threat-Model-truncated.pdf",
		"docs/Attack-Surface.txt",
		"docs/README.md",
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("documents:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}

	states := map[string]string{
		"archive/Threat-Model-scan.pdf":      NoTextLayer,
		"archive/Threat-Model-locked.pdf":    Unsupported,
		"archive/Threat-Model-broken.docx":   Malformed,
		"docs/README.md":                     Assessed,
		"archive/Data-Flow-Diagram.html":     Assessed,
		"archive/Threat-Model-truncated.pdf": Malformed,
	}
	for path, state := range states {
		d := documentAt(t, res, path)
		if d.State != state {
			t.Errorf("%s: state %s (%s), want %s", path, d.State, d.Problem, state)
		}
		if state != Assessed && (d.Problem == "" || len(d.Items) > 0) {
			t.Errorf("%s: problem %q with %d items, want a problem and no items", path, d.Problem, len(d.Items))
		}
	}
	if d := documentAt(t, res, "docs/README.md"); !strings.HasPrefix(d.Reason, "title matches") {
		t.Errorf("docs/README.md reason = %q, want a title match", d.Reason)
	}

	for path, reason := range map[string]string{
		".git":                          "vendored",
		"node_modules":                  "vendored",
		"vendor":                        "vendored",
		"docs/Threat-Model-big.md":      "size limit",
		"docs/Threat-Model-link-out.md": "outside the scanned folder",
		"archive/unrelated.pdf":         "cannot be read as pdf",
	} {
		if got := skippedReason(res, path); !strings.Contains(got, reason) {
			t.Errorf("skipped %s: reason %q, want one containing %q", path, got, reason)
		}
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

func TestScanPatterns(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"Threat-Model.md": toMarkdown(completeSpec()),
		"Risk-File.md":    []byte("# Risk file\n\n## Threats\n\nSpoofing of the app.\n"),
	})
	res := scanDir(t, dir, Options{Patterns: []string{`risk.file`}})
	if len(res.Documents) != 1 || res.Documents[0].Path != "Risk-File.md" {
		t.Fatalf("documents = %+v, want only Risk-File.md", res.Documents)
	}
	if _, err := compilePatterns([]string{"("}); err == nil {
		t.Error("compilePatterns accepted an invalid expression")
	}
}

func TestScanImportedModel(t *testing.T) {
	src, err := os.ReadFile("../../../shared/corpus/models/threat-dragon/v2-threat-model.json")
	if os.IsNotExist(err) {
		t.Skip("the corpus folder is absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"models/demo.json": src})
	res := scanDir(t, dir, Options{Date: assessmentDate})
	d := documentAt(t, res, "models/demo.json")
	if d.Kind != KindImportedModel || d.Format != "threat-dragon" {
		t.Fatalf("kind %s format %s, want an imported threat-dragon model", d.Kind, d.Format)
	}
	if d.State != Assessed {
		t.Fatalf("state %s (%s), want assessed", d.State, d.Problem)
	}
	if got := itemOf(t, d.Items, "tm.processes"); got.Status != Covered {
		t.Errorf("tm.processes = %s (%s), want covered", got.Status, got.Reason)
	}
	if got := itemOf(t, d.Items, "tm.board-connections"); got.Status != Missing {
		t.Errorf("tm.board-connections = %s (%s), want missing: Threat Dragon has no board connections", got.Status, got.Reason)
	}
	// The model has no issues, so the check of their fields passes on
	// nothing.
	if got := itemOf(t, d.Items, "issues.handling"); got.Status != Missing || !strings.Contains(got.Reason, "nothing was examined") {
		t.Errorf("issues.handling = %s (%s), want missing because the check examined no issue", got.Status, got.Reason)
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	writeFiles(t, dir, map[string][]byte{
		"good.yaml": []byte("patterns: ['risk.*file']\nskip: [drafts]\nmax_file_size: 1000\n"),
		"bad.yaml":  []byte("pattern: ['x']\n"),
	})
	var opts Options
	if err := LoadConfig(good, &opts); err != nil {
		t.Fatalf("LoadConfig(good): %v", err)
	}
	if len(opts.Patterns) != 1 || opts.Skip[0] != "drafts" || opts.Limits.MaxFileSize != 1000 {
		t.Errorf("options = %+v, want the file's patterns, skip and size", opts)
	}
	if err := LoadConfig(bad, &Options{}); err == nil || !strings.Contains(err.Error(), "patterns, skip and max_file_size") {
		t.Errorf("LoadConfig(bad) = %v, want an error naming the known keys", err)
	}
}
