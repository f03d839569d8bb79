package evidence

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/interop"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
)

// modelDocument assesses a Ward model (YAML with a top-level ward key)
// through the pipeline, or another tool's model through its importer. It
// returns nil for YAML and JSON files that are neither.
func (s *scanner) modelDocument(rel, path, format string, data []byte) *Document {
	if format == "yaml" && isWardModel(data) {
		return s.wardModel(rel, path)
	}
	if format != "tm7" && !looksLikeModel(data) {
		return nil
	}
	kind, err := interop.Detect(rel, data)
	if err != nil {
		// Most YAML and JSON files in a documentation folder are not
		// threat models, so only a named .tm7 file is reported.
		if p := s.match(filepath.Base(rel)); p != "" && format == "tm7" {
			return &Document{Path: rel, Format: format, Kind: KindImportedModel, Reason: "file name matches " + quote(p), State: Malformed, Problem: err.Error()}
		}
		return nil
	}
	return s.importedModel(rel, path, data, kind)
}

// isWardModel reports whether the YAML document has a top-level ward key.
func isWardModel(data []byte) bool {
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte("ward:")) {
			return true
		}
	}
	return false
}

// looksLikeModel is a cheap test before the importers' detector, which
// parses the whole file: one of the top-level keys that the detector
// checks must occur in the text.
func looksLikeModel(data []byte) bool {
	for _, key := range []string{"otmVersion", "threagile_version", "technical_assets", "diagrams", "threatmodel", "elements", "flows", "ThreatModel"} {
		if bytes.Contains(data, []byte(key)) {
			return true
		}
	}
	return false
}

// wardModel runs the pipeline on a Ward model and maps its conformance
// results to the items.
func (s *scanner) wardModel(rel, path string) *Document {
	doc := &Document{Path: rel, Format: "ward-model", Kind: KindWardModel, Reason: "Ward model (top-level ward key)"}
	a, diags, err := pipeline.Run(path, pipeline.Options{
		Load: model.LoadOptions{MaxFileSize: s.opts.Limits.maxFileSize()},
		Date: s.opts.Date,
		Tool: s.opts.Tool,
	})
	if err != nil {
		doc.State, doc.Problem = Malformed, err.Error()
		return doc
	}
	if diags.HasErrors() || a == nil {
		doc.State = Invalid
		doc.Problem = invalidModel(diags, rel)
		return doc
	}
	doc.Title = a.Model.System.Name
	doc.System = cmp.Or(a.Model.System.Name, a.Model.System.ID)
	doc.State = Assessed
	doc.Items = s.mapResults(rel, a, a.Model)
	return doc
}

// importedModel imports another tool's model, validates it and maps the
// conformance results of the pipeline to the items.
func (s *scanner) importedModel(rel, path string, data []byte, format interop.Format) *Document {
	doc := &Document{Path: rel, Format: string(format), Kind: KindImportedModel, Reason: string(format) + " model, read through the importer"}
	res, err := interop.Import(path, data, format, interop.Options{ReadFile: s.readInside})
	if err != nil {
		doc.State, doc.Problem = Malformed, "import failed: "+firstError(err)
		return doc
	}

	// The importers build a model without source positions, which the
	// validator needs, so the model goes through YAML as in ward import.
	var buf bytes.Buffer
	if err := interop.WriteYAML(&buf, res.Model, res.Notes); err != nil {
		doc.State, doc.Problem = Malformed, "import failed: "+err.Error()
		return doc
	}
	m, diags := model.Parse(rel, buf.Bytes(), model.LoadOptions{})
	if diags.HasErrors() || m == nil {
		doc.State = Invalid
		doc.Problem = invalidModel(diags, rel)
		return doc
	}

	a, more, err := pipeline.Assess(m, pipeline.Options{Date: s.opts.Date, Tool: s.opts.Tool})
	if err != nil || a == nil {
		doc.State, doc.Problem = Invalid, "the imported model cannot be assessed: "+firstError(errors.Join(err, more.Err()))
		return doc
	}
	doc.Title = m.System.Name
	doc.State = Assessed
	doc.Items = s.mapResults(rel, a, m)
	// Lines point into the converted YAML, not into the source file.
	for i := range doc.Items {
		for j := range doc.Items[i].Evidence {
			doc.Items[i].Evidence[j].File = rel
			doc.Items[i].Evidence[j].Line = 0
		}
	}
	return doc
}

// readInside reads a file that an imported model includes, only when it
// lies inside the scanned folder.
func (s *scanner) readInside(name string) ([]byte, error) {
	resolved, err := filepath.EvalSymlinks(name)
	if err != nil {
		return nil, err
	}
	if !within(s.root, resolved) {
		return nil, fmt.Errorf("%s is outside the scanned folder, so it is not read", name)
	}
	return readFile(resolved, s.opts.Limits.maxFileSize())
}

// mapResults turns the conformance results of a model into item results
// with scoreCheck. A failure that names model items is weak, because the
// model documents part of the item. The quotes are those items, or the
// model's section for the item when a passing check names none.
func (s *scanner) mapResults(rel string, a *assessment.Assessment, m *model.Model) []ItemResult {
	byID := map[string]assessment.Result{}
	for _, r := range a.Conformance {
		byID[r.Requirement.ID] = r
	}
	var out []ItemResult
	for _, it := range Items() {
		r, ok := byID[it.ID]
		if !ok {
			out = append(out, ItemResult{ID: it.ID, Title: it.Title, Clause: it.Clause, Status: Missing,
				Reason: "the conformance check did not run", Add: it.Add})
			continue
		}

		check := &Check{Source: SourceCheck, File: rel, Status: r.Status, Message: r.Message, Fix: r.Fix}
		res := scoreCheck(it, check, len(r.Evidence), len(r.Evidence) > 0)
		if res.Status == Missing {
			out = append(out, res)
			continue
		}
		for _, ev := range r.Evidence {
			res.Evidence = append(res.Evidence, s.modelQuote(rel, ev))
			if len(res.Evidence) == maxQuotes {
				break
			}
		}
		if len(res.Evidence) == 0 {
			res.Evidence = []Quote{s.sectionQuote(rel, m, it.Section, r.Message)}
		}
		out = append(out, res)
	}
	return out
}

// modelQuote quotes one piece of conformance evidence.
func (s *scanner) modelQuote(rel string, ev assessment.Evidence) Quote {
	file := rel
	if ev.File != "" {
		file = s.relFile(ev.File)
	}
	text := ev.Kind
	if ev.ID != "" {
		text += " " + ev.ID
	}
	if ev.Note != "" {
		text += ": " + ev.Note
	}
	return Quote{File: file, Line: ev.Line, Text: trimQuote(text, 200)}
}

// sectionQuote points at the model's top-level key for an item whose
// check passed without naming model items. When the model has no such key,
// as when attack vectors come from flows alone, the quote names the file
// without a line.
func (s *scanner) sectionQuote(rel string, m *model.Model, section, message string) Quote {
	q := Quote{File: rel, Text: trimQuote(message, 200)}
	if section == "" || !m.HasField(section) {
		return q
	}
	if pos := m.FieldPos(section); pos.Line > 0 {
		q.Line = pos.Line
		if pos.File != "" {
			q.File = s.relFile(pos.File)
		}
	}
	return q
}

// relFile returns a model file's path relative to the scanned folder.
func (s *scanner) relFile(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	if within(s.root, abs) {
		return s.rel(abs)
	}
	return filepath.ToSlash(file)
}

// invalidModel summarizes validation errors.
func invalidModel(diags diag.List, rel string) string {
	n := 0
	first := ""
	for _, d := range diags {
		if d.Severity == diag.Error {
			if n == 0 {
				first = d.Error()
			}
			n++
		}
	}
	return fmt.Sprintf("%s; first: %s; run ward validate %s for all of them", diag.Count(n, "validation error", "validation errors"), first, rel)
}

// firstError returns the first line of an error, or of the first
// diagnostic of a diag.List.
func firstError(err error) string {
	if err == nil {
		return "unknown error"
	}
	var diags diag.List
	if errors.As(err, &diags) && len(diags) > 0 {
		msg := diags[0].Error()
		if len(diags) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(diags)-1)
		}
		return msg
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
