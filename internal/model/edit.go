package model

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// This file edits a model file surgically. Commands such as `ward threat
// set` and `ward review record` change one entry of the user's file; the
// Editor locates the nodes to change in the goccy/go-yaml syntax tree and
// splices new text into the original bytes at their positions, so that
// comments, key order, blank lines, quoting and flow style everywhere else
// stay byte-identical. After every change the text is parsed again, so an
// edit that would break the file is rejected before anything is written.

// Path addresses a node from the top of the document: a string element is
// a mapping key, an int element an index into a sequence.
type Path []any

func (p Path) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", e)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, e)
		}
	}
	return b.String()
}

// Field is one key and value of a Mapping.
type Field struct {
	Key   string
	Value any
}

// Mapping is a YAML mapping to write, with its keys in the order given.
// Values of a Mapping, and the values the Editor writes, are string, Date,
// bool, int, []string, Mapping or []Mapping; a nil value or empty string
// leaves the field out.
type Mapping []Field

// ErrChanged reports that a file changed on disk between reading it and
// saving the edit.
var ErrChanged = errors.New("file changed on disk since it was read")

// Editor edits the YAML text of one file.
type Editor struct {
	name string
	src  []byte
	body ast.Node // root node of the first document
}

// NewEditor parses src, the text of the file name, for editing. The file
// must hold one YAML document whose top level is a block mapping.
func NewEditor(name string, src []byte) (*Editor, error) {
	e := &Editor{name: name}
	if err := e.reset(src); err != nil {
		return nil, err
	}
	return e, nil
}

// Bytes returns the edited text.
func (e *Editor) Bytes() []byte { return e.src }

// reset replaces the text and parses it again.
func (e *Editor) reset(src []byte) error {
	f, err := parser.ParseBytes(src, parser.ParseComments)
	if err != nil {
		return fmt.Errorf("parsing %s for editing: %w", e.name, err)
	}
	if len(f.Docs) != 1 {
		return fmt.Errorf("editing %s: the file contains %d YAML documents, but Ward edits only files with exactly one", e.name, len(f.Docs))
	}
	body := unwrap(f.Docs[0].Body)
	switch b := body.(type) {
	case *ast.MappingNode:
		if b.IsFlowStyle {
			return fmt.Errorf("editing %s: the top level is a flow mapping {...}; Ward edits block mappings only", e.name)
		}
	case *ast.MappingValueNode:
	default:
		return fmt.Errorf("editing %s: the top level is not a mapping of keys", e.name)
	}
	e.src, e.body = src, body
	return nil
}

// splice replaces src[start:end] with text and parses the result, keeping
// the old text when the result does not parse.
func (e *Editor) splice(start, end int, text string) error {
	next := make([]byte, 0, len(e.src)+len(text))
	next = append(next, e.src[:start]...)
	next = append(next, text...)
	next = append(next, e.src[end:]...)
	if err := e.reset(next); err != nil {
		return fmt.Errorf("the edit would make the file invalid, so it was not made: %w", err)
	}
	return nil
}

// Has reports whether the node at p exists.
func (e *Editor) Has(p Path) bool {
	_, err := e.find(p)
	return err == nil
}

// Len returns the number of items of the sequence at p, or 0 when there is
// no sequence there.
func (e *Editor) Len(p Path) int {
	n, err := e.find(p)
	if err != nil {
		return 0
	}
	if s, ok := unwrap(n).(*ast.SequenceNode); ok {
		return len(s.Values)
	}
	return 0
}

// Set sets the value of the mapping key that ends p, adding the key at the
// end of its mapping when it is missing. The mapping itself must exist. A
// scalar keeps the quoting style it was written in when the new value
// allows it; a block scalar (| or >) keeps its header.
func (e *Editor) Set(p Path, value any) error {
	if len(p) == 0 {
		return fmt.Errorf("editing %s: empty path", e.name)
	}
	key, ok := p[len(p)-1].(string)
	if !ok {
		return fmt.Errorf("editing %s: %s does not end in a mapping key", e.name, p)
	}
	parent, err := e.find(p[:len(p)-1])
	if err != nil {
		return err
	}
	entries, flow, err := e.mappingOf(parent, p[:len(p)-1])
	if err != nil {
		return err
	}
	for _, mv := range entries {
		if keyOf(mv) == key {
			return e.replaceValue(mv, value, p)
		}
	}
	return e.addKey(parent, entries, flow, key, value, p)
}

// Append adds value as the last item of the sequence at p. When the key
// that ends p is missing or has no value, it is created with a block
// sequence holding value. New block items use the indentation of the
// items already there.
func (e *Editor) Append(p Path, value any) error {
	n, err := e.find(p)
	if err != nil {
		var nf *notFoundError
		if errors.As(err, &nf) && len(nf.at) == len(p) {
			return e.Set(p, []any{value})
		}
		return err
	}

	switch s := unwrap(n).(type) {
	case *ast.NullNode:
		return e.Set(p, []any{value})
	case *ast.SequenceNode:
		if s.IsFlowStyle && len(s.Values) == 0 && needsBlock(value) {
			// An empty [] becomes a block list when the item is a mapping.
			return e.Set(p, []any{value})
		}
		if s.IsFlowStyle {
			return e.appendFlow(s, value, p)
		}
		return e.appendBlock(s, value, p)
	default:
		return fmt.Errorf("editing %s: %s is not a list", e.name, p)
	}
}

// notFoundError reports the longest prefix of a path that does not exist.
type notFoundError struct {
	name string
	at   Path
}

func (e *notFoundError) Error() string {
	return fmt.Sprintf("editing %s: %s not found", e.name, e.at)
}

// find returns the node at p.
func (e *Editor) find(p Path) (ast.Node, error) {
	n := e.body
	for i, elem := range p {
		n = unwrap(n)
		if _, ok := n.(*ast.AliasNode); ok {
			return nil, fmt.Errorf("editing %s: %s is an alias (*name); edit the anchored node instead", e.name, p[:i])
		}
		switch elem := elem.(type) {
		case string:
			entries, _, err := e.mappingOf(n, p[:i])
			if err != nil {
				return nil, err
			}
			var next ast.Node
			for _, mv := range entries {
				if keyOf(mv) == elem {
					next = mv.Value
					break
				}
			}
			if next == nil {
				return nil, &notFoundError{name: e.name, at: p[:i+1]}
			}
			n = next
		case int:
			s, ok := n.(*ast.SequenceNode)
			if !ok {
				return nil, fmt.Errorf("editing %s: %s is not a list", e.name, p[:i])
			}
			if elem < 0 || elem >= len(s.Values) {
				return nil, &notFoundError{name: e.name, at: p[:i+1]}
			}
			n = s.Values[elem]
		default:
			return nil, fmt.Errorf("editing %s: path element %v is neither a key nor an index", e.name, elem)
		}
	}
	return n, nil
}

// mappingOf returns the entries of mapping node n and whether it is a flow
// mapping.
func (e *Editor) mappingOf(n ast.Node, at Path) ([]*ast.MappingValueNode, bool, error) {
	switch m := unwrap(n).(type) {
	case *ast.AliasNode:
		return nil, false, fmt.Errorf("editing %s: %s is an alias (*name); edit the anchored node instead", e.name, at)
	case *ast.MappingNode:
		return m.Values, m.IsFlowStyle, nil
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, m.IsFlowStyle, nil
	}
	location := "the top level"
	if len(at) > 0 {
		location = at.String()
	}
	return nil, false, fmt.Errorf("editing %s: %s is not a mapping", e.name, location)
}

// unwrap returns the node under tags and anchors.
func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		default:
			return n
		}
	}
}

func keyOf(mv *ast.MappingValueNode) string {
	if t := mv.Key.GetToken(); t != nil {
		return t.Value
	}
	return ""
}

// --- positions ---

// lineStart returns the byte offset of the start of line (1-based).
func (e *Editor) lineStart(line int) int {
	if line <= 1 {
		return 0
	}
	n := 1
	for i, b := range e.src {
		if b == '\n' {
			n++
			if n == line {
				return i + 1
			}
		}
	}
	return len(e.src)
}

// lineEnd returns the offset of the newline that ends the line holding
// offset, or len(src).
func (e *Editor) lineEnd(offset int) int {
	if i := bytes.IndexByte(e.src[offset:], '\n'); i >= 0 {
		return offset + i
	}
	return len(e.src)
}

// offsetOf converts a goccy position (1-based line, 1-based column counted
// in characters) to a byte offset. goccy's own Offset field counts
// characters, not bytes, so it cannot be used to slice the text.
func (e *Editor) offsetOf(line, col int) int {
	off := e.lineStart(line)
	for c := 1; c < col && off < len(e.src) && e.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(e.src[off:])
		off += size
	}
	return off
}

func (e *Editor) nodeOffset(n ast.Node) int {
	t := n.GetToken()
	return e.offsetOf(t.Position.Line, t.Position.Column)
}

// indentAt returns the column (0-based) of the first non-blank character of
// the line that starts at offset, and whether the line is blank.
func (e *Editor) indentAt(offset int) (int, bool) {
	i := offset
	for i < len(e.src) && e.src[i] == ' ' {
		i++
	}
	blank := i >= len(e.src) || e.src[i] == '\n' || e.src[i] == '\r'
	return i - offset, blank
}

// blockEnd returns the offset just past the last line that belongs to a
// block entry starting on the line at offset: the following lines that are
// blank or indented deeper than col (0-based), without trailing blank lines.
// Comment lines count by their indentation, so a comment indented under the
// entry belongs to it.
func (e *Editor) blockEnd(offset, col int) int {
	end := e.lineEnd(offset)
	if end < len(e.src) {
		end++
	}
	last := end
	for pos := end; pos < len(e.src); {
		indent, blank := e.indentAt(pos)
		next := e.lineEnd(pos)
		if next < len(e.src) {
			next++
		}
		if !blank {
			if indent <= col {
				break
			}
			last = next
		}
		pos = next
	}
	return last
}

// scalarEnd returns the offset just past the scalar written at start, not
// counting a trailing comment or spaces. In flow context a plain scalar also
// ends at , ] or }.
func (e *Editor) scalarEnd(start int, flow bool) int {
	s := e.src
	switch {
	case start >= len(s):
		return start
	case s[start] == '"':
		for i := start + 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(s)
	case s[start] == '\'':
		for i := start + 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(s)
	}
	end := start
	for i := start; i < len(s) && s[i] != '\n' && s[i] != '\r'; i++ {
		if s[i] == '#' && i > start && (s[i-1] == ' ' || s[i-1] == '\t') {
			break
		}
		if flow && (s[i] == ',' || s[i] == ']' || s[i] == '}') {
			break
		}
		if s[i] != ' ' && s[i] != '\t' {
			end = i + 1
		}
	}
	return end
}

// flowEnd returns the offset just past the bracket that closes the flow
// collection opening at start.
func (e *Editor) flowEnd(start int) int {
	depth := 0
	for i := start; i < len(e.src); i++ {
		switch c := e.src[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '\'':
			i = e.scalarEnd(i, true) - 1
		case '#':
			if i > 0 && (e.src[i-1] == ' ' || e.src[i-1] == '\t') {
				i = e.lineEnd(i) - 1
			}
		}
	}
	return len(e.src)
}

// keyColumn returns the 0-based column of the key of mv.
func keyColumn(mv *ast.MappingValueNode) int {
	return mv.Key.GetToken().Position.Column - 1
}

// --- edits ---

// replaceValue writes value in place of the value of mv.
func (e *Editor) replaceValue(mv *ast.MappingValueNode, value any, p Path) error {
	keyCol := keyColumn(mv)
	colon := e.offsetOf(mv.Start.Position.Line, mv.Start.Position.Column) + 1

	switch old := unwrap(mv.Value).(type) {
	case *ast.NullNode:
		// "key:" with nothing after it, maybe a comment.
		return e.writeAfterColon(colon, colon, keyCol, value, mv.IsFlowStyle)
	case *ast.LiteralNode:
		s, ok := scalarString(value)
		if !ok {
			start := e.nodeOffset(old)
			return e.writeAfterColon(colon, e.blockEnd(start, keyCol), keyCol, value, false)
		}
		return e.replaceBlockScalar(old, s, keyCol)
	case *ast.SequenceNode, *ast.MappingNode:
		start := e.nodeOffset(old)
		if isFlow(old) {
			return e.writeAfterColon(colon, e.flowEnd(start), keyCol, value, mv.IsFlowStyle)
		}
		end := e.blockEnd(start, keyCol)
		if !needsBlock(value) && end > 0 && e.src[end-1] == '\n' {
			end-- // the flow value replaces the lines, not the line break after them
		}
		return e.writeAfterColon(colon, end, keyCol, value, false)
	case *ast.AliasNode:
		return fmt.Errorf("editing %s: %s is an alias (*name); edit the anchored node instead", e.name, p)
	default:
		start := e.nodeOffset(old)
		s, ok := scalarString(value)
		if !ok {
			return e.writeAfterColon(colon, e.scalarEnd(start, mv.IsFlowStyle), keyCol, value, mv.IsFlowStyle)
		}
		end := e.scalarEnd(start, mv.IsFlowStyle)
		if strings.Contains(string(e.src[start:end]), "\n") || e.lineEnd(start) < end {
			// A multi-line quoted scalar: replace it whole.
			return e.splice(start, end, renderScalar(s, mv.IsFlowStyle))
		}
		return e.splice(start, end, renderScalarLike(s, e.src[start], mv.IsFlowStyle))
	}
}

func isFlow(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.SequenceNode:
		return n.IsFlowStyle
	case *ast.MappingNode:
		return n.IsFlowStyle
	}
	return false
}

// writeAfterColon replaces src[from:to], which follows the colon of a key
// at keyCol, with value: inline for scalars and flow collections, on the
// following lines for block collections.
func (e *Editor) writeAfterColon(from, to, keyCol int, value any, flow bool) error {
	if flow || !needsBlock(value) {
		// Keep a comment that followed an empty value.
		if from == to {
			return e.splice(from, to, " "+renderFlow(value))
		}
		return e.splice(from, trimSpaceBefore(e.src, to, from), " "+renderFlow(value))
	}

	// Block collection: drop the old inline text up to the end of its line
	// (keeping a comment), then write the block on the lines after.
	lineEnd := e.lineEnd(from)
	if to <= lineEnd {
		rest := e.src[to:lineEnd]
		text := string(rest) // a comment after the old value stays on the key's line
		if len(bytes.TrimSpace(rest)) == 0 {
			text = ""
		}
		block := renderBlock(value, keyCol+e.sequenceIndent())
		insertAt := lineEnd
		if insertAt < len(e.src) {
			insertAt++
		}
		src := append([]byte{}, e.src[:from]...)
		src = append(src, text...)
		src = append(src, '\n')
		src = append(src, block...)
		src = append(src, e.src[insertAt:]...)
		if insertAt == len(e.src) && !bytes.HasSuffix(e.src, []byte("\n")) {
			src = bytes.TrimSuffix(src, []byte("\n"))
		}
		if err := e.reset(src); err != nil {
			return fmt.Errorf("the edit would make the file invalid, so it was not made: %w", err)
		}
		return nil
	}
	// The old value spans lines (a block collection or block scalar):
	// replace from the colon through its last line.
	block := renderBlock(value, keyCol+e.sequenceIndent())
	return e.splice(from, to, "\n"+strings.TrimSuffix(block, "\n")+"\n")
}

func trimSpaceBefore(src []byte, end, floor int) int {
	for end > floor && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	return end
}

// replaceBlockScalar writes s as the content of a literal or folded block
// scalar, keeping its header and content indentation.
func (e *Editor) replaceBlockScalar(n *ast.LiteralNode, s string, keyCol int) error {
	start := e.nodeOffset(n)
	headerEnd := e.lineEnd(start)
	end := e.blockEnd(start, keyCol)
	indent := keyCol + 2
	if headerEnd+1 < end {
		if col, blank := e.indentAt(headerEnd + 1); !blank {
			indent = col
		}
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line != "" {
			b.WriteString(strings.Repeat(" ", indent))
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
	text := b.String()
	if end == len(e.src) && !bytes.HasSuffix(e.src, []byte("\n")) {
		text = strings.TrimSuffix(text, "\n")
	}
	if headerEnd == len(e.src) {
		return e.splice(headerEnd, end, "\n"+text)
	}
	return e.splice(headerEnd+1, end, text)
}

// addKey adds key: value at the end of a mapping.
func (e *Editor) addKey(parent ast.Node, entries []*ast.MappingValueNode, flow bool, key string, value any, p Path) error {
	if len(entries) == 0 {
		return fmt.Errorf("editing %s: %s is an empty mapping; write one key by hand first", e.name, p[:len(p)-1])
	}
	if flow {
		m, ok := unwrap(parent).(*ast.MappingNode)
		if !ok {
			return fmt.Errorf("editing %s: cannot add %s to %s", e.name, key, p[:len(p)-1])
		}
		closing := e.flowEnd(e.nodeOffset(m)) - 1
		at := trimSpaceBefore(e.src, closing, 0)
		return e.splice(at, at, ", "+renderKey(key)+": "+renderFlow(value))
	}

	last := entries[len(entries)-1]
	col := keyColumn(entries[0])
	at := e.blockEnd(e.nodeOffset(last.Key), col)
	text := renderBlockField(Field{Key: key, Value: value}, col, e.sequenceIndent())
	if at == len(e.src) && at > 0 && e.src[at-1] != '\n' {
		text = "\n" + text
	}
	return e.splice(at, at, text)
}

// appendFlow adds an item before the closing ] of a flow sequence.
func (e *Editor) appendFlow(s *ast.SequenceNode, value any, p Path) error {
	start := e.nodeOffset(s)
	closing := e.flowEnd(start) - 1
	if closing < start || e.src[closing] != ']' {
		return fmt.Errorf("editing %s: cannot find the closing ] of %s", e.name, p)
	}
	if len(s.Values) == 0 {
		return e.splice(start+1, closing, renderFlow(value))
	}
	at := trimSpaceBefore(e.src, closing, start)
	// A trailing comma after the last item is allowed in YAML.
	if e.src[at-1] == ',' {
		return e.splice(at, at, " "+renderFlow(value))
	}
	return e.splice(at, at, ", "+renderFlow(value))
}

// appendBlock adds an item after the last item of a block sequence, at the
// same indentation.
func (e *Editor) appendBlock(s *ast.SequenceNode, value any, p Path) error {
	if len(s.Values) == 0 {
		return fmt.Errorf("editing %s: %s is an empty list", e.name, p)
	}
	dashCol := s.GetToken().Position.Column - 1
	if len(s.Entries) > 0 && s.Entries[len(s.Entries)-1].Start != nil {
		dashCol = s.Entries[len(s.Entries)-1].Start.Position.Column - 1
	}
	lastItem := s.Values[len(s.Values)-1]
	lastStart := e.nodeOffset(lastItem)
	contentCol := dashCol + 2
	if m, ok := unwrap(lastItem).(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 {
		contentCol = keyColumn(m.Values[0])
	} else if mv, ok := unwrap(lastItem).(*ast.MappingValueNode); ok && !mv.IsFlowStyle {
		contentCol = keyColumn(mv)
	}
	at := e.blockEnd(lastStart, dashCol)
	text := renderItem(value, dashCol, contentCol, e.sequenceIndent())
	if at == len(e.src) && at > 0 && e.src[at-1] != '\n' {
		text = "\n" + text
	}
	return e.splice(at, at, text)
}

// sequenceIndent returns how far the file indents the dash of a block
// sequence beyond its key: the first block sequence under a key decides,
// and 2 is the default.
func (e *Editor) sequenceIndent() int {
	indent := -1
	ast.Walk(visitorFunc(func(n ast.Node) bool {
		mv, ok := n.(*ast.MappingValueNode)
		if !ok || indent >= 0 {
			return indent < 0
		}
		if s, ok := unwrap(mv.Value).(*ast.SequenceNode); ok && !s.IsFlowStyle && len(s.Values) > 0 {
			indent = s.GetToken().Position.Column - mv.Key.GetToken().Position.Column
		}
		return true
	}), e.body)
	if indent < 0 {
		return 2
	}
	return indent
}

type visitorFunc func(ast.Node) bool

func (f visitorFunc) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}

// --- rendering ---

// scalarString returns v as a string when it is a scalar.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case Date:
		return string(v), true
	case bool:
		return strconv.FormatBool(v), true
	case int:
		return strconv.Itoa(v), true
	}
	return "", false
}

// needsBlock reports whether v is written as a block collection: mappings
// and lists holding mappings are, lists of scalars are written [a, b].
func needsBlock(v any) bool {
	switch v := v.(type) {
	case Mapping, []Mapping:
		return true
	case []any:
		for _, item := range v {
			if needsBlock(item) {
				return true
			}
		}
	}
	return false
}

// renderFlow writes v on one line.
func renderFlow(v any) string {
	switch v := v.(type) {
	case string:
		return renderScalar(v, true)
	case Date:
		return renderScalar(string(v), true)
	case bool, int:
		s, _ := scalarString(v)
		return s
	case []string:
		items := make([]string, len(v))
		for i, s := range v {
			items[i] = renderScalar(s, true)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case []any:
		items := make([]string, len(v))
		for i, s := range v {
			items[i] = renderFlow(s)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case Mapping:
		var items []string
		for _, f := range v {
			if omitted(f.Value) {
				continue
			}
			items = append(items, renderKey(f.Key)+": "+renderFlow(f.Value))
		}
		return "{" + strings.Join(items, ", ") + "}"
	case []Mapping:
		items := make([]string, len(v))
		for i, m := range v {
			items[i] = renderFlow(m)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case nil:
		return "null"
	}
	return renderScalar(fmt.Sprint(v), true)
}

func omitted(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case Date:
		return v == ""
	case []string:
		return len(v) == 0
	case Mapping:
		return len(v) == 0
	case []Mapping:
		return len(v) == 0
	}
	return false
}

// renderBlock writes a block collection whose items start at column indent.
func renderBlock(v any, indent int) string {
	switch v := v.(type) {
	case Mapping:
		var b strings.Builder
		for _, f := range v {
			b.WriteString(renderBlockField(f, indent, 2))
		}
		return b.String()
	case []Mapping:
		items := make([]any, len(v))
		for i, m := range v {
			items[i] = m
		}
		return renderBlock(items, indent)
	case []any:
		var b strings.Builder
		for _, item := range v {
			b.WriteString(renderItem(item, indent, indent+2, 2))
		}
		return b.String()
	}
	return strings.Repeat(" ", indent) + renderFlow(v) + "\n"
}

// renderBlockField writes "key: value" at column col, with nested blocks
// below it; seqIndent is how far a nested sequence's dash is indented.
func renderBlockField(f Field, col, seqIndent int) string {
	if omitted(f.Value) {
		return ""
	}
	pad := strings.Repeat(" ", col)
	if !needsBlock(f.Value) {
		return pad + renderKey(f.Key) + ": " + renderFlow(f.Value) + "\n"
	}
	if _, ok := f.Value.(Mapping); ok {
		return pad + renderKey(f.Key) + ":\n" + renderBlock(f.Value, col+2)
	}
	return pad + renderKey(f.Key) + ":\n" + renderBlock(f.Value, col+seqIndent)
}

// renderItem writes one block sequence item with its dash at dashCol and a
// mapping's keys at contentCol.
func renderItem(v any, dashCol, contentCol, seqIndent int) string {
	m, ok := v.(Mapping)
	if !ok || len(m) == 0 {
		return strings.Repeat(" ", dashCol) + "- " + renderFlow(v) + "\n"
	}
	var b strings.Builder
	first := true
	for _, f := range m {
		field := renderBlockField(f, contentCol, seqIndent)
		if field == "" {
			continue
		}
		if first {
			// The first key goes on the dash line.
			field = strings.Repeat(" ", dashCol) + "-" + strings.Repeat(" ", max(1, contentCol-dashCol-1)) + field[contentCol:]
			first = false
		}
		b.WriteString(field)
	}
	return b.String()
}

func renderKey(k string) string { return renderScalar(k, true) }

// plainUnsafe matches strings that YAML would read as something other than
// the same string when written plain: booleans, nulls and numbers of YAML
// 1.1 and 1.2.
var plainUnsafe = regexp.MustCompile(`^(?i:y|yes|n|no|true|false|on|off|null|~|[-+]?(\.inf|\.nan)|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|0x[0-9a-f_]+|0o?[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$`)

// isPlainSafe reports whether s can be written as a plain scalar.
func isPlainSafe(s string, flow bool) bool {
	if s == "" || s != strings.TrimSpace(s) || plainUnsafe.MatchString(s) {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") {
		// "-x" and ":x" are plain in YAML 1.2, but not in every parser.
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == 0xfeff {
			return false
		}
	}
	return true
}

// renderScalar writes s plain when that reads back as the same string, and
// double-quoted otherwise.
func renderScalar(s string, flow bool) string {
	if isPlainSafe(s, flow) {
		return s
	}
	return strconv.Quote(s)
}

// renderScalarLike writes s in the quoting style of the scalar it replaces,
// whose first byte is first, falling back to renderScalar.
func renderScalarLike(s string, first byte, flow bool) string {
	switch first {
	case '"':
		return strconv.Quote(s)
	case '\'':
		if !strings.ContainsAny(s, "\n\r") {
			return "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
	}
	return renderScalar(s, flow)
}

// --- files ---

// FileEditor is an Editor over a file on disk that remembers what the file
// held when it was read, so Save can detect a concurrent change.
type FileEditor struct {
	*Editor
	path string
	read [sha256.Size]byte
	mode os.FileMode
}

// OpenEdit reads the file at path for editing.
func OpenEdit(path string) (*FileEditor, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading model for editing: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading model for editing: %w", err)
	}
	ed, err := NewEditor(path, src)
	if err != nil {
		return nil, err
	}
	return &FileEditor{Editor: ed, path: path, read: sha256.Sum256(src), mode: info.Mode().Perm()}, nil
}

// Hooks replaced by tests to simulate failures during Save.
var (
	renameFile = os.Rename
	writeTemp  = func(f *os.File, data []byte) error {
		_, err := f.Write(data)
		return err
	}
)

// Save writes the edited text back atomically: to a temporary file in the
// same folder, synced, renamed over the original, and the folder synced.
// It returns an error wrapping ErrChanged, and writes nothing, when the
// file's content differs from what OpenEdit read. If anything fails before
// the rename, the original file is left as it was.
func (f *FileEditor) Save() error {
	current, err := os.ReadFile(f.path)
	if err != nil {
		return fmt.Errorf("saving %s: %w", f.path, err)
	}
	if sha256.Sum256(current) != f.read {
		return fmt.Errorf("saving %s: %w; run the command again", f.path, ErrChanged)
	}
	if err := writeAtomic(f.path, f.src, f.mode); err != nil {
		return fmt.Errorf("saving %s: %w", f.path, err)
	}
	f.read = sha256.Sum256(f.src)
	return nil
}

func writeAtomic(path string, data []byte, mode os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	if err = writeTemp(tmp, data); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = renameFile(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. File systems that cannot sync a
// folder return EINVAL, which is ignored.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}
