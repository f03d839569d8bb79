package cli

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
)

// editFlags maps each key that an editing command writes to the flag or
// argument its value came from, such as "status" to "--status", so a
// problem in a written value names what the user typed.
type editFlags map[string]string

// saveChecked rejects an edit that adds a problem the model did not have
// before, then saves it and reloads the model to confirm it still loads.
// A refused edit's problems are reported against the user's file as it is
// on disk: a problem in text the edit would have written names the flag
// from flags, and any other problem keeps its position in the file.
func saveChecked(fe *model.FileEditor, main string, opts model.LoadOptions, flags editFlags) error {
	original, err := os.ReadFile(main)
	if err != nil {
		return withCode(ExitInvalid, fmt.Errorf("reading model: %w", err))
	}
	before, err := editProblems(main, original, opts)
	if err != nil {
		return err
	}
	after, err := editProblems(main, fe.Bytes(), opts)
	if err != nil {
		return err
	}
	ed := newEditSpan(main, original, fe.Bytes())
	var added []string
	for key, d := range after {
		if _, ok := before[key]; !ok {
			added = append(added, ed.describe(d, flags))
		}
	}
	if len(added) > 0 {
		slices.Sort(added)
		return withCode(ExitInvalid, fmt.Errorf("the edit was not written because it would make the model invalid:\n%s", strings.Join(added, "\n")))
	}

	if err := fe.Save(); err != nil {
		return withCode(ExitInvalid, err)
	}
	if _, diags, err := model.Load(main, opts); err != nil || diags.HasErrors() {
		return fmt.Errorf("the edited model %s no longer loads; please report this as a bug in Ward: %v%v", main, err, diags.Err())
	}
	return nil
}

// editProblems returns the errors of the main model file on its own, as
// held in src. The errors are keyed by code, field path and summary, so an
// edit that only moves lines adds no problems.
func editProblems(main string, src []byte, opts model.LoadOptions) (map[string]diag.Diagnostic, error) {
	m, diags := model.Parse(main, src, opts)
	if !diags.HasErrors() {
		// Identification finds what parsing cannot, such as a match
		// that names no threat.
		_, more, err := pipeline.Assess(m, pipeline.Options{})
		if err != nil {
			return nil, withCode(ExitInvalid, err)
		}
		diags = append(diags, more...)
	}
	problems := map[string]diag.Diagnostic{}
	for _, d := range diags.Errors() {
		if d.Code == "include-not-read" {
			continue
		}
		problems[d.Code+" "+d.Path+" "+d.Summary] = d
	}
	return problems, nil
}

// editSpan is the one stretch of text where an edited file differs from the
// original: everything before start and everything after the last tail
// bytes is unchanged.
// NOTE: when one command changes several keys of an entry, unchanged text
// between them counts as part of the edit, so a problem there names a flag.
type editSpan struct {
	file             string
	original, edited []byte
	start, tail      int
}

func newEditSpan(file string, original, edited []byte) editSpan {
	n := min(len(original), len(edited))
	start := 0
	for start < n && original[start] == edited[start] {
		start++
	}
	tail := 0
	for tail < n-start && original[len(original)-1-tail] == edited[len(edited)-1-tail] {
		tail++
	}
	return editSpan{file: file, original: original, edited: edited, start: start, tail: tail}
}

// describe formats a diagnostic found in the edited text. Positions
// outside the edit are moved back to where that text is in the original
// file. A diagnostic on text the edit wrote has no position in the user's
// file, so it names the flag the value came from instead.
func (s editSpan) describe(d diag.Diagnostic, flags editFlags) string {
	if d.Pos.File != s.file || !d.Pos.IsValid() {
		return d.Error()
	}
	offset := textOffset(s.edited, d.Pos.Line, d.Pos.Col)
	pos, ok := s.originalPos(offset)
	if !ok {
		return fmt.Sprintf("%s: %s", flagOf(d.Path, flags), strings.TrimPrefix(d.Error(), d.Pos.String()+": "))
	}
	d.Pos = pos
	related := d.Related[:0:0]
	for _, r := range d.Related {
		if r.File != s.file || !r.IsValid() {
			related = append(related, r)
			continue
		}
		if p, ok := s.originalPos(textOffset(s.edited, r.Line, r.Col)); ok {
			related = append(related, p)
		}
	}
	d.Related = related
	return d.Error()
}

// originalPos returns the position in the original file of a byte offset
// in the edited text, or false when the offset is inside the edit.
func (s editSpan) originalPos(offset int) (diag.Pos, bool) {
	switch {
	case offset < s.start:
	case offset >= len(s.edited)-s.tail:
		offset -= len(s.edited) - len(s.original)
	default:
		return diag.Pos{}, false
	}
	return textPos(s.file, s.original, offset), true
}

// flagOf names the flag that wrote the value at a field path such as
// threats[3].controls[0], from the last key of the path.
func flagOf(path string, flags editFlags) string {
	key := path
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	if f, ok := flags[key]; ok {
		return f
	}
	return "the values given on the command line (" + path + ")"
}

// textOffset converts a 1-based line and a column counted in characters,
// as diagnostics give them, to a byte offset in src.
func textOffset(src []byte, line, col int) int {
	offset := 0
	for range line - 1 {
		i := bytes.IndexByte(src[offset:], '\n')
		if i < 0 {
			return len(src)
		}
		offset += i + 1
	}
	for c := 1; c < col && offset < len(src) && src[offset] != '\n'; c++ {
		_, size := utf8.DecodeRune(src[offset:])
		offset += size
	}
	return offset
}

// textPos converts a byte offset in src to a position with the column
// counted in characters.
func textPos(file string, src []byte, offset int) diag.Pos {
	offset = min(offset, len(src))
	lineStart := bytes.LastIndexByte(src[:offset], '\n') + 1
	return diag.Pos{
		File:   file,
		Line:   bytes.Count(src[:lineStart], []byte{'\n'}) + 1,
		Col:    utf8.RuneCount(src[lineStart:offset]) + 1,
		Offset: offset,
	}
}
