package model

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// LoadOptions configures Load and Parse. The zero value is the safe default.
type LoadOptions struct {
	// MaxFileSize is the largest file read, in bytes, for the main file and
	// each included file; zero means DefaultMaxFileSize.
	MaxFileSize int64
	// AllowOutside lets include: entries name files outside the folder tree
	// of the main model file, through .. or a symbolic link. Without it such
	// entries are rejected, so a model from an untrusted source cannot make
	// Ward read arbitrary files.
	AllowOutside bool
}

func (o LoadOptions) maxFileSize() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

// Load reads the model file at path and the files it includes, merges them
// and validates the result. The diagnostics are the user's mistakes, sorted
// by position; the error is for operational failures such as an unreadable
// main file. The model is nil only when the main file could not be parsed
// at all; otherwise it is returned even when diagnostics contain errors.
func Load(path string, opts LoadOptions) (*Model, diag.List, error) {
	l, err := newLoader(path, opts)
	if err != nil {
		return nil, nil, err
	}
	m, err := l.load(path, nil, diag.Pos{})
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, finish(l.diags, nil), nil
	}
	m.Files = l.files
	l.diags = append(l.diags, Validate(m)...)
	l.diags = append(l.diags, checkListedPaths(m)...)
	return m, finish(l.diags, l.typos), nil
}

// Parse decodes and validates one model file held in memory. Name is used
// in positions. Parse does not read included files: an include: entry is
// reported, because the references into it could not be checked.
func Parse(name string, src []byte, opts LoadOptions) (*Model, diag.List) {
	m, diags, typos := decodeFile(name, src, opts)
	if m == nil {
		return nil, finish(diags, nil)
	}
	if len(m.Include) > 0 {
		diags.Add(m.FieldPos("include"), "include-not-read", "include",
			"included files are not read when the model comes from memory or standard input",
			"load the model from its file so that include: entries can be resolved")
	}
	m.Files = []string{name}
	diags = append(diags, Validate(m)...)
	return m, finish(diags, typos)
}

// decodeFile parses and decodes one file into a Model without validating
// it. As a last line of defence, a panic in the YAML parser or the decoder
// becomes an internal-error diagnostic. Any such panic is a bug to fix.
func decodeFile(name string, src []byte, opts LoadOptions) (m *Model, diags diag.List, typos []string) {
	defer func() {
		if r := recover(); r != nil {
			m = nil
			diags = append(diags, diag.Diagnostic{Code: "internal-error", Pos: diag.Pos{File: name},
				Summary: fmt.Sprintf("the loader failed on this file: %v", r),
				Fix:     "report this as a bug in Ward with the file attached; stack: " + firstFrames(debug.Stack())})
		}
	}()

	s := newSource(name, src)
	root, diags := parseYAML(s, opts.maxFileSize())
	if root == nil {
		return nil, diags, nil
	}
	if root.Kind != mappingNode {
		diags.Add(s.nodePos(root), "wrong-type", "",
			fmt.Sprintf("the model must be a mapping of keys such as ward and system, found %s", kindName(resolve(root))),
			"start the file with ward: 1 on its own line, followed by the other top-level keys")
		return nil, diags, nil
	}
	m = &Model{}
	d := &decoder{s: s, diags: &diags}
	d.decode(root, reflect.ValueOf(m).Elem())
	return m, diags, d.typos
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	return strings.Join(lines[:min(len(lines), 12)], " | ")
}

// insideAny reports whether path starts with one of the prefixes.
func insideAny(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// finish applies cascade suppression and sorts. Of several diagnostics on
// one line only the first reported is kept, because later ones are usually
// consequences of it (a value of the wrong type is also a missing value).
// Items of a flow sequence such as [a, b] are independent values, so a
// diagnostic on one item does not hide one on another item of that line.
// A missing key that an unknown key probably misspells is dropped, because
// the unknown key's did-you-mean already gives the fix.
func finish(diags diag.List, typos []string) diag.List {
	type lineKey struct {
		file string
		line int
		item string // the path of a sequence item, such as include[1]
	}
	misspelt := make(map[string]bool, len(typos))
	for _, p := range typos {
		misspelt[p] = true
	}
	// A value of the wrong type leaves its keys undecoded, so the keys
	// inside it are missing only as a consequence.
	var wrongType []string
	for _, d := range diags {
		if d.Code == "wrong-type" && d.Path != "" {
			wrongType = append(wrongType, d.Path+".")
		}
	}
	seen := make(map[lineKey]bool, len(diags))
	out := diags[:0]
	for _, d := range diags {
		if d.Code == "missing-key" && misspelt[d.Path] {
			continue
		}
		if (d.Code == "missing-key" || d.Code == "missing-value") && insideAny(d.Path, wrongType) {
			continue
		}
		if d.Pos.IsValid() {
			k := lineKey{d.Pos.File, d.Pos.Line, ""}
			if strings.HasSuffix(d.Path, "]") {
				k.item = d.Path
			}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, d)
	}
	out.Sort()
	return out
}

// loader resolves include: entries across files.
type loader struct {
	opts    LoadOptions
	lexRoot string // absolute path of the main file's folder, as written
	root    string // real path of the main file's folder, links resolved
	diags   diag.List
	files   []string        // display names, in load order
	seen    map[string]bool // real paths of files already loaded
	typos   []string        // see decoder.typos
}

// includeFrame is one step of the include chain, for cycle messages.
type includeFrame struct {
	real, name string
}

func newLoader(path string, opts LoadOptions) (*loader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	root, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	return &loader{opts: opts, lexRoot: filepath.Dir(abs), root: root, seen: map[string]bool{}}, nil
}

// load reads the file name and, recursively, its includes, and returns the
// merged model. chain is the include chain above name; at is the position
// of the include entry that named it, zero for the main file.
func (l *loader) load(name string, chain []includeFrame, at diag.Pos) (*Model, error) {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		real = name
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}

	src, tooBig, err := readCapped(name, l.opts.maxFileSize())
	if err != nil {
		if at.IsValid() && errors.Is(err, fs.ErrNotExist) {
			l.diags.Add(at, "include-not-found", "include", fmt.Sprintf("included file %s does not exist", name),
				"check the path; include: entries are relative to the file that lists them")
			return nil, nil
		}
		return nil, fmt.Errorf("reading model: %w", err)
	}
	if tooBig {
		l.diags.Add(diag.Pos{File: name}, "file-too-large", "",
			fmt.Sprintf("file is larger than the limit of %d bytes", l.opts.maxFileSize()),
			"split the model with include: or raise the limit with --max-file-size")
		return nil, nil
	}

	l.seen[real] = true
	l.files = append(l.files, name)
	m, diags, typos := decodeFile(name, src, l.opts)
	l.diags = append(l.diags, diags...)
	l.typos = append(l.typos, typos...)
	if m == nil {
		return nil, nil
	}

	chain = append(chain, includeFrame{real: real, name: name})
	for i, inc := range m.Include {
		pos := m.ItemPos("include", i)
		target, ok := l.resolveInclude(name, inc, pos, fmt.Sprintf("include[%d]", i))
		if !ok {
			continue
		}
		if cycle := cycleThrough(chain, target.real); cycle != "" {
			l.diags.Add(pos, "include-cycle", fmt.Sprintf("include[%d]", i),
				fmt.Sprintf("include of %s makes a cycle: %s", inc, cycle),
				"remove one of the include: entries in the cycle")
			continue
		}
		if l.seen[target.real] {
			l.diags.Add(pos, "include-twice", fmt.Sprintf("include[%d]", i),
				fmt.Sprintf("file %s is already included", inc),
				"list each file under include: only once in the whole model")
			continue
		}
		sub, err := l.load(target.name, chain, pos)
		if err != nil {
			return nil, err
		}
		if sub != nil {
			l.merge(m, sub)
		}
	}
	return m, nil
}

// resolveInclude checks one include: entry and returns the file it names.
func (l *loader) resolveInclude(from, inc string, pos diag.Pos, path string) (includeFrame, bool) {
	if strings.TrimSpace(inc) == "" {
		l.diags.Add(pos, "missing-value", path, "include entry is empty", "write a path relative to this file")
		return includeFrame{}, false
	}
	name := inc
	if !filepath.IsAbs(inc) {
		name = filepath.Join(filepath.Dir(from), inc)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}

	if !l.opts.AllowOutside && !within(l.lexRoot, abs) {
		l.diags.Add(pos, "include-outside", path,
			fmt.Sprintf("included file %s is outside the model's folder %s", inc, l.lexRoot),
			"move the file into the model's folder, or pass --allow-outside-includes if you trust the model")
		return includeFrame{}, false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			l.diags.Add(pos, "include-not-found", path, fmt.Sprintf("included file %s does not exist", inc),
				"check the path; include: entries are relative to the file that lists them")
			return includeFrame{}, false
		}
		real = abs
	}
	if !l.opts.AllowOutside && !within(l.root, real) {
		l.diags.Add(pos, "include-outside", path,
			fmt.Sprintf("included file %s is a symbolic link to %s, outside the model's folder %s", inc, real, l.root),
			"copy the file into the model's folder, or pass --allow-outside-includes if you trust the model")
		return includeFrame{}, false
	}
	return includeFrame{real: real, name: name}, true
}

// within reports whether path is root or inside it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func cycleThrough(chain []includeFrame, real string) string {
	for i, f := range chain {
		if f.real == real {
			names := make([]string, 0, len(chain)-i+1)
			for _, g := range chain[i:] {
				names = append(names, g.name)
			}
			names = append(names, f.name)
			return strings.Join(names, " -> ")
		}
	}
	return ""
}

// readCapped reads at most max bytes of the file and reports whether it is
// larger, without reading a huge file into memory.
func readCapped(name string, max int64) ([]byte, bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > max {
		return nil, true, nil
	}
	src, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(src)) > max {
		return nil, true, nil
	}
	return src, false, nil
}

// merge adds the included model sub to m. Lists are appended. Any other
// top-level section (system, risk, views, ...) may be written in only one
// file; a second definition is reported with both positions. ward may be
// repeated when it has the same value.
func (l *loader) merge(m, sub *Model) {
	mv, sv := reflect.ValueOf(m).Elem(), reflect.ValueOf(sub).Elem()
	info := structInfoOf(mv.Type())
	for _, key := range info.names {
		if key == "include" || !sub.HasField(key) {
			continue
		}
		index := info.byName[key]
		dst, src := mv.FieldByIndex(index), sv.FieldByIndex(index)

		if dst.Kind() == reflect.Slice {
			if !m.HasField(key) {
				m.setField(key, sub.FieldPos(key))
			}
			m.appendItemPos(key, dst.Len(), &sub.Source, src.Len())
			dst.Set(reflect.AppendSlice(dst, src))
			continue
		}
		if key == "ward" && m.HasField(key) && dst.Equal(src) {
			continue
		}
		if m.HasField(key) {
			first := m.FieldPos(key)
			l.diags = append(l.diags, diag.Diagnostic{Code: "include-conflict", Path: key, Pos: sub.FieldPos(key),
				Summary: fmt.Sprintf("%s is already set in %s", key, first),
				Fix:     fmt.Sprintf("write %s in one file only; lists such as elements may be split, sections may not", key),
				Related: []diag.Pos{first}})
			continue
		}
		dst.Set(src)
		m.setField(key, sub.FieldPos(key))
	}
}

// appendItemPos appends the entry positions of the list under key in sub
// (n entries) to those of the list under key in s (have entries). ItemPos
// then finds the entries of a list split over included files. An entry
// without a recorded position gets its list's position.
func (s *Source) appendItemPos(key string, have int, sub *Source, n int) {
	from := sub.field(key)
	if from == nil || len(from.Items) == 0 {
		return
	}
	to := s.field(key)
	items := make([]diag.Pos, 0, have+n)
	for i := range have {
		items = append(items, s.ItemPos(key, i))
	}
	for i := range n {
		items = append(items, sub.ItemPos(key, i))
	}
	to.Items = items
}

func (s *Source) setField(key string, pos diag.Pos) {
	if f := s.field(key); f != nil {
		f.Pos = pos
		return
	}
	s.fields = append(s.fields, FieldPos{Key: key, Pos: pos})
}
