package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/diag"
)

// Limits on what one model file may contain. They keep hostile input
// (alias bombs, pathological nesting, huge files) within bounded time and
// memory; docs/limits.md explains each to users.
const (
	// DefaultMaxFileSize is the largest model file, in bytes, that Load and
	// Parse read when LoadOptions.MaxFileSize is zero: 64 MiB, about eight
	// times the size of a generated model with 10,000 elements, 30,000 flows
	// and 2,000 interfaces.
	DefaultMaxFileSize = 64 << 20

	// MaxDepth is the deepest nesting accepted. The top-level mapping is
	// level 1, and each mapping, list or value inside is one level deeper.
	// The format itself needs about 6 levels; the rest is room for
	// free-form attributes.
	MaxDepth = 64

	// MaxAliasNodes is the largest number of nodes that alias references may
	// add to a file when expanded. A document that reuses an anchor a few
	// thousand times stays far below it. A "billion laughs" alias bomb
	// reaches it while its size is computed, before anything is expanded.
	MaxAliasNodes = 1_000_000

	// MaxMappingKeys is the largest number of keys in one mapping. The
	// format needs a few dozen at most. The full YAML parser's time grows
	// with the square of a mapping's size, so the limit keeps it fast.
	MaxMappingKeys = 1000
)

const tooManyKeysFix = "split the entries over a list of mappings; no mapping in the model format needs this many keys"

// standardTags are the YAML core schema tags the loader honors when written
// explicitly. Any other tag, such as a local !thing, is rejected because the
// format gives tags no meaning and silently dropping one would hide intent.
var standardTags = map[string]bool{
	"!!str": true, "!!int": true, "!!float": true, "!!bool": true,
	"!!null": true, "!!seq": true, "!!map": true, "!!timestamp": true,
}

// source is one file's bytes with a table of line starts, so positions can
// be turned into byte offsets and back.
type source struct {
	name  string
	src   []byte
	lines []int  // byte offset of the start of each line
	wide  []bool // whether each line has a multi-byte character

	// cursor is the last position converted on a line with multi-byte
	// characters. Conversions mostly go forward through a file, so
	// starting from it keeps a minified one-line JSON file linear.
	cursor diag.Pos
}

// newSource indexes the lines of src. As in YAML, a line ends at LF, CR LF
// or a CR alone.
func newSource(name string, src []byte) *source {
	n := bytes.Count(src, []byte{'\n'}) + bytes.Count(src, []byte{'\r'}) + 1 // at least the number of lines
	s := &source{name: name, src: src, lines: make([]int, 1, n), wide: make([]bool, 1, n)}
	for i, b := range src {
		switch {
		case b >= utf8.RuneSelf:
			s.wide[len(s.wide)-1] = true
		case b == '\n' || b == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			s.lines = append(s.lines, i+1)
			s.wide = append(s.wide, false)
		}
	}
	return s
}

// pos returns the position of a 1-based line and column, where the column
// counts characters as the YAML parser does.
func (s *source) pos(line, col int) diag.Pos {
	if line > len(s.lines) {
		// The YAML parser places an empty value at the end of a file on the
		// line after the last one.
		return s.posAt(len(s.src))
	}
	p := diag.Pos{File: s.name, Line: line, Col: col}
	if line < 1 || col < 1 {
		return p
	}
	end := len(s.src)
	if line < len(s.lines) {
		end = s.lines[line]
	}
	if !s.wide[line-1] {
		p.Offset = min(s.lines[line-1]+col-1, end)
		return p
	}

	off, c := s.lines[line-1], 1
	if s.cursor.Line == line && s.cursor.Col <= col {
		off, c = s.cursor.Offset, s.cursor.Col
	}
	for ; c < col && off < end; c++ {
		_, size := utf8.DecodeRune(s.src[off:end])
		off += size
	}
	p.Offset = off
	s.cursor = diag.Pos{Line: line, Col: c, Offset: off}
	return p
}

// posAt returns the position of a byte offset.
func (s *source) posAt(offset int) diag.Pos {
	// line is the number of line starts at or before offset.
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > offset })
	start := s.lines[line-1]
	if !s.wide[line-1] {
		return diag.Pos{File: s.name, Line: line, Col: offset - start + 1, Offset: offset}
	}

	from, col := start, 1
	if s.cursor.Line == line && s.cursor.Offset <= offset {
		from, col = s.cursor.Offset, s.cursor.Col
	}
	col += utf8.RuneCount(s.src[from:offset])
	s.cursor = diag.Pos{Line: line, Col: col, Offset: offset}
	return diag.Pos{File: s.name, Line: line, Col: col, Offset: offset}
}

func (s *source) nodePos(n *node) diag.Pos { return s.pos(n.Line, n.Column) }

// parseYAML checks the raw bytes and parses them into the loader's node
// tree. It returns nil and at least one diagnostic when the file cannot be
// used.
func parseYAML(s *source, maxSize int64) (*node, diag.List) {
	var diags diag.List
	if int64(len(s.src)) > maxSize {
		diags.Add(diag.Pos{File: s.name}, "file-too-large", "",
			fmt.Sprintf("file is %d bytes, over the limit of %d bytes", len(s.src), maxSize),
			"split the model with include: or raise the limit with --max-file-size")
		return nil, diags
	}
	if d, ok := checkEncoding(s); !ok {
		diags = append(diags, d)
		return nil, diags
	}

	var root *node
	switch {
	case json.Valid(s.src):
		var err error
		root, err = parseJSON(s)
		if err != nil {
			// json.Valid accepted the bytes, so this is a bug; say so.
			diags.Add(s.pos(1, 1), "internal-error", "", err.Error(), "report this as a bug in Ward with the file attached")
			return nil, diags
		}
	default:
		if d, ok := checkIndentDepth(s); !ok {
			diags = append(diags, d)
			return nil, diags
		}
		var ok bool
		if root, ok = fastParse(s.src); !ok {
			var d diag.Diagnostic
			if root, d, ok = parseFull(s); !ok {
				diags = append(diags, d)
				return nil, diags
			}
		}
	}

	checkTree(s, root, &diags)
	if diags.HasErrors() {
		return nil, diags
	}
	return root, diags
}

// checkEncoding rejects bytes that are not UTF-8 text, naming the first bad
// byte, because the YAML parser's own messages carry no position for them.
func checkEncoding(s *source) (diag.Diagnostic, bool) {
	src := s.src
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		return diag.Diagnostic{Code: "invalid-utf8", Pos: s.posAt(0),
			Summary: "file is UTF-16 encoded; Ward reads UTF-8 only",
			Fix:     "save the file as UTF-8"}, false
	}
	if off := bytes.IndexByte(src, 0); off >= 0 {
		return diag.Diagnostic{Code: "binary-content", Pos: s.posAt(off),
			Summary: "file contains a NUL byte, so it is binary data, not YAML text",
			Fix:     "check that the path names the model file and not a binary file"}, false
	}
	for off := 0; off < len(src); {
		b := src[off]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7F {
				return diag.Diagnostic{Code: "control-character", Pos: s.posAt(off),
					Summary: fmt.Sprintf("control character U+%04X is not allowed in YAML", b),
					Fix:     "remove the character, or write it as an escape such as \"\\x01\" in a double-quoted string"}, false
			}
			off++
			continue
		}
		r, size := utf8.DecodeRune(src[off:])
		if r == utf8.RuneError && size <= 1 {
			return diag.Diagnostic{Code: "invalid-utf8", Pos: s.posAt(off),
				Summary: fmt.Sprintf("invalid UTF-8 byte 0x%02X", src[off]),
				Fix:     "save the file as UTF-8; the byte may come from a Latin-1 or Windows-1252 editor"}, false
		}
		if r == '\uFEFF' && off != 0 {
			return diag.Diagnostic{Code: "control-character", Pos: s.posAt(off),
				Summary: "byte order mark U+FEFF is allowed only at the start of the file",
				Fix:     "remove the character"}, false
		}
		off += size
	}
	return diag.Diagnostic{}, true
}

// checkIndentDepth rejects block nesting deeper than MaxDepth before the
// YAML parser sees it, because the parser's time grows with the depth and
// goccy/go-yaml parses nested blocks recursively. It counts the levels of
// indentation open at each line, including compact "- - -" sequences, and
// errs on the side of counting fewer levels than the parser would; deep
// flow nesting such as [[[...]]] is checked by checkFlowCollections.
func checkIndentDepth(s *source) (diag.Diagnostic, bool) {
	var open []int // indentation column of each open level
	for line, start := range s.lines {
		end := len(s.src)
		if line+1 < len(s.lines) {
			end = s.lines[line+1]
		}
		text := s.src[start:end]
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		rest := text[indent:]
		if len(bytes.TrimSpace(rest)) == 0 || rest[0] == '#' {
			continue
		}
		for {
			for len(open) > 0 && open[len(open)-1] >= indent {
				open = open[:len(open)-1]
			}
			open = append(open, indent)
			if len(open) > MaxDepth {
				return diag.Diagnostic{Code: "too-deep", Pos: s.pos(line+1, indent+1),
					Summary: fmt.Sprintf("nesting is deeper than %d levels", MaxDepth),
					Fix:     "flatten the structure; the model format needs only a few levels"}, false
			}
			// A sequence entry "- " opens a level for its content.
			if len(rest) < 2 || rest[0] != '-' || rest[1] != ' ' {
				break
			}
			n := 1
			for n < len(rest) && rest[n] == ' ' {
				n++
			}
			indent += n
			rest = rest[n:]
		}
	}
	return diag.Diagnostic{}, true
}

// treeStats is what checkTree computes for an anchored node: its size and
// height with every alias inside it expanded.
type treeStats struct {
	size, height int
	done         bool
}

// checkTree enforces MaxDepth, MaxAliasNodes and the tag policy. It walks
// each anchored node once and remembers its expanded size, so an alias bomb
// is measured in time linear in the file, never expanded.
func checkTree(s *source, root *node, diags *diag.List) {
	c := treeChecker{s: s, diags: diags, anchors: map[*node]*treeStats{}}
	c.walk(root, 1)
}

type treeChecker struct {
	s          *source
	diags      *diag.List
	anchors    map[*node]*treeStats
	aliasNodes int
	failed     bool
}

// walk returns the expanded size and height of n.
func (c *treeChecker) walk(n *node, depth int) (size, height int) {
	if c.failed {
		return 0, 0
	}
	if depth > MaxDepth {
		c.fail(n, "too-deep", fmt.Sprintf("nesting is deeper than %d levels", MaxDepth),
			"flatten the structure; the model format needs only a few levels")
		return 0, 0
	}

	if n.Kind == aliasNode {
		st := c.anchors[n.Alias]
		if st != nil && !st.done {
			c.fail(n, "alias-cycle", fmt.Sprintf("alias *%s refers to its own anchor", n.Value),
				"an alias cannot appear inside the node it names; copy the content instead")
			return 0, 0
		}
		if st == nil {
			s, h := c.walk(n.Alias, depth)
			st = c.anchors[n.Alias]
			if st == nil { // the target had no anchor entry (should not happen)
				st = &treeStats{size: s, height: h, done: true}
			}
		}
		if depth+st.height-1 > MaxDepth {
			c.fail(n, "too-deep", fmt.Sprintf("alias *%s makes the nesting deeper than %d levels", n.Value, MaxDepth),
				"flatten the structure or copy a smaller part")
			return 0, 0
		}
		c.aliasNodes += st.size
		if c.aliasNodes > MaxAliasNodes {
			c.fail(n, "alias-limit", fmt.Sprintf("alias expansion exceeds %d nodes at alias *%s", MaxAliasNodes, n.Value),
				"the file reuses anchors so often that it expands to an enormous document; write the content out or reuse less")
			return 0, 0
		}
		return st.size, st.height
	}

	var st *treeStats
	if n.Anchor != "" {
		st = &treeStats{}
		c.anchors[n] = st
	}
	if n.Tagged && !standardTags[n.Tag] {
		c.fail(n, "unsupported-tag", fmt.Sprintf("tag %s is not supported", n.Tag),
			"remove the tag; Ward accepts only the core YAML tags such as !!str")
		return 0, 0
	}
	if n.Kind == mappingNode && len(n.Content) > 2*MaxMappingKeys {
		c.fail(n.Content[2*MaxMappingKeys], "too-many-keys", fmt.Sprintf("mapping has more than %d keys", MaxMappingKeys), tooManyKeysFix)
		return 0, 0
	}
	size, height = 1, 0
	for _, child := range n.Content {
		s, h := c.walk(child, depth+1)
		size += s
		height = max(height, h)
	}
	height++
	if st != nil {
		st.size, st.height, st.done = size, height, true
	}
	return size, height
}

func (c *treeChecker) fail(n *node, code, summary, fix string) {
	c.failed = true
	c.diags.Add(c.s.nodePos(n), code, "", summary, fix)
}
