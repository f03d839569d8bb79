package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diagram"
)

// Formats lists every output format in the order Render writes them.
var Formats = []string{"html", "pdf", "md", "xlsx", "json"}

// Renderer writes the document or the assessment in one output format.
type Renderer interface {
	// FileName returns the output file's name for the system ID.
	FileName(systemID string) string
	Render(w io.Writer, in *Input) error
}

// Input is what every renderer gets: the built document and the assessment
// it came from, for the formats that list data rather than prose (XLSX,
// JSON).
type Input struct {
	Doc        *Document
	Assessment *assessment.Assessment
}

// rendererFor returns the renderer of a format name.
func rendererFor(format string) (Renderer, error) {
	switch format {
	case "html":
		return htmlRenderer{}, nil
	case "pdf":
		return pdfRenderer{}, nil
	case "md":
		return markdownRenderer{}, nil
	case "xlsx":
		return xlsxRenderer{}, nil
	case "json":
		return jsonRenderer{}, nil
	}
	return nil, fmt.Errorf("unknown report format %q: use %s", format, strings.Join(Formats, ", "))
}

// ParseFormats splits a comma-separated list of formats, rejecting unknown
// names and removing duplicates. An empty list selects every format.
func ParseFormats(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return slices.Clone(Formats), nil
	}
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if _, err := rendererFor(f); err != nil {
			return nil, err
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Options configure Render.
type Options struct {
	// Formats to write; empty writes every format.
	Formats []string
	// Date is the assessment date as YYYY-MM-DD, printed in the document
	// and stored in the PDF and XLSX properties. Empty uses a.Date.
	Date string
}

// Render builds the document from a and writes one file per format into
// dir, which must exist. It returns the paths written, in format order.
// Each file is written to a temporary name and renamed, so a failed run
// never leaves a half-written report behind.
func Render(ctx context.Context, a *assessment.Assessment, dir string, opts Options) ([]string, error) {
	formats := opts.Formats
	if len(formats) == 0 {
		formats = Formats
	}
	date := opts.Date
	if date == "" && !a.Date.IsZero() {
		date = a.Date.Format("2006-01-02")
	}

	var r *diagram.Renderer
	if slices.ContainsFunc(formats, func(f string) bool { return f == "html" || f == "pdf" }) {
		var err error
		r, err = diagram.NewRenderer(ctx)
		if err != nil {
			return nil, err
		}
		defer r.Close()
	}
	doc, err := Build(ctx, a, r, date)
	if err != nil {
		return nil, err
	}
	in := &Input{Doc: doc, Assessment: a}

	var written []string
	for _, f := range formats {
		rd, err := rendererFor(f)
		if err != nil {
			return written, err
		}
		var buf bytes.Buffer
		if err := rd.Render(&buf, in); err != nil {
			return written, fmt.Errorf("rendering %s: %w", f, err)
		}
		path := filepath.Join(dir, rd.FileName(doc.SystemID))
		if err := writeFile(path, buf.Bytes()); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// writeFile writes data to path through a temporary file in the same
// folder and a rename.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// safeFileName keeps letters, digits, dots, dashes and underscores of a
// system ID, so an ID from the model cannot name a path outside the output
// folder.
func safeFileName(id string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, id)
	s = strings.TrimLeft(s, ".")
	if s == "" {
		return "system"
	}
	return s
}
