package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/wardtm/ward/internal/diag"
)

// Limits on hostile input. They apply to every format.
const (
	// MaxInputBytes is the largest file an importer reads. Real threat
	// models of other tools are well under 1 MiB.
	MaxInputBytes = 32 << 20
	// maxDepth is the deepest nesting of mappings and sequences accepted.
	maxDepth = 200
	// maxNodes caps the values built from one file, counting every copy an
	// alias expands to, so a "billion laughs" document fails quickly.
	maxNodes = 2_000_000
)

// nodeKind is the shape of a decoded value.
type nodeKind int

const (
	kindNull nodeKind = iota
	kindScalar
	kindMap
	kindSeq
)

// node is a JSON or YAML value with the position it was written at. Every
// importer reads its format through nodes, so each value it rejects can be
// reported with file, line and column.
type node struct {
	kind   nodeKind
	pos    diag.Pos
	scalar string
	// quoted is true for JSON strings and quoted YAML scalars, which are
	// never numbers or booleans.
	quoted bool
	keys   []string
	vals   []*node
	// index maps the keys of a large mapping to their place in keys, so
	// that files with thousands of keys in one mapping do not make every
	// lookup a scan. keyIndex builds it; setKey keeps it current.
	index map[string]int
}

// indexFrom is the number of keys from which a mapping gets an index.
const indexFrom = 16

// keyIndex returns the place of key in n.keys, or -1.
func (n *node) keyIndex(key string) int {
	if n.index == nil && len(n.keys) >= indexFrom {
		n.index = make(map[string]int, len(n.keys))
		for i, k := range n.keys {
			if _, dup := n.index[k]; !dup {
				n.index[k] = i
			}
		}
	}
	if n.index != nil {
		if i, ok := n.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range n.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// get returns the value of key in a mapping, or nil. It is nil-safe so that
// chains like n.get("a").get("b") need no checks.
func (n *node) get(key string) *node {
	if n == nil || n.kind != kindMap {
		return nil
	}
	if i := n.keyIndex(key); i >= 0 {
		return n.vals[i]
	}
	return nil
}

// str returns a scalar as text; mappings, sequences and null give "".
func (n *node) str() string {
	if n == nil || n.kind != kindScalar {
		return ""
	}
	return n.scalar
}

// text returns the scalar trimmed of surrounding white space.
func (n *node) text() string { return strings.TrimSpace(n.str()) }

// boolean returns true for the scalars true, yes and on in any case.
func (n *node) boolean() bool {
	switch strings.ToLower(n.text()) {
	case "true", "yes", "on":
		return true
	}
	return false
}

// number returns a scalar as a float and whether it was one.
func (n *node) number() (float64, bool) {
	if n == nil || n.kind != kindScalar {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(n.scalar), 64)
	return f, err == nil
}

// list returns the items of a sequence; a single scalar or mapping counts as
// a list of one, and null as an empty list.
func (n *node) list() []*node {
	switch {
	case n == nil || n.kind == kindNull:
		return nil
	case n.kind == kindSeq:
		return n.vals
	default:
		return []*node{n}
	}
}

// strings returns the non-empty scalar items of a sequence.
func (n *node) strings() []string {
	var out []string
	for _, v := range n.list() {
		if s := v.text(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isMap reports whether n is a mapping.
func (n *node) isMap() bool { return n != nil && n.kind == kindMap }

// posOr returns the position of n, or fallback when n is nil.
func (n *node) posOr(fallback diag.Pos) diag.Pos {
	if n == nil {
		return fallback
	}
	return n.pos
}

// toAny converts n into plain Go values (string, float64, bool, nil,
// []any, map[string]any) for attributes kept as they were.
func (n *node) toAny() any {
	switch {
	case n == nil || n.kind == kindNull:
		return nil
	case n.kind == kindScalar:
		if !n.quoted {
			switch strings.ToLower(n.scalar) {
			case "true":
				return true
			case "false":
				return false
			}
			if f, err := strconv.ParseFloat(n.scalar, 64); err == nil {
				return f
			}
		}
		return n.scalar
	case n.kind == kindSeq:
		out := make([]any, len(n.vals))
		for i, v := range n.vals {
			out[i] = v.toAny()
		}
		return out
	default:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			out[k] = n.vals[i].toAny()
		}
		return out
	}
}

// inputError builds the error for a file that cannot be read as its format.
func inputError(pos diag.Pos, code, summary, fix string) error {
	var l diag.List
	l.Add(pos, code, "", summary, fix)
	return l
}

// posAt converts a byte offset of data into a line and column (counted in
// runes) of file.
func posAt(file string, data []byte, offset int) diag.Pos {
	offset = max(0, min(offset, len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCount(before[start:]) + 1
	return diag.Pos{File: file, Line: line, Col: col, Offset: offset}
}

// checkSize rejects inputs over MaxInputBytes.
func checkSize(file string, data []byte) error {
	if len(data) > MaxInputBytes {
		return inputError(diag.Pos{File: file}, "input-too-large",
			fmt.Sprintf("file is %d bytes, over the limit of %d bytes", len(data), MaxInputBytes),
			"split the model or remove embedded images before importing")
	}
	return nil
}

// parseJSON decodes data into a node tree, keeping the position of every
// value. Duplicate keys keep the last value, as encoding/json does.
func parseJSON(file string, data []byte) (*node, error) {
	if err := checkSize(file, data); err != nil {
		return nil, err
	}
	p := &jsonParser{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data)), cur: newCursor(file, data)}
	p.dec.UseNumber()
	root, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, inputError(p.pos(), "invalid-json", "unexpected data after the top-level JSON value", "remove what follows the closing bracket")
	}
	return root, nil
}

type jsonParser struct {
	file  string
	data  []byte
	dec   *json.Decoder
	cur   *cursor
	nodes int
}

// pos returns the position of the next token: the decoder's offset moved
// past white space and separators.
func (p *jsonParser) pos() diag.Pos {
	off := int(p.dec.InputOffset())
	for off < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return p.cur.at(off)
}

func (p *jsonParser) syntaxError(err error) error {
	off := int(p.dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		msg = "unexpected end of file"
	}
	return inputError(p.cur.at(off), "invalid-json", "invalid JSON: "+msg, "fix the JSON syntax at this position")
}

func (p *jsonParser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, inputError(p.pos(), "too-deep", fmt.Sprintf("values nested more than %d levels deep", maxDepth), "flatten the document")
	}
	p.nodes++
	if p.nodes > maxNodes {
		return nil, inputError(p.pos(), "too-many-values", fmt.Sprintf("more than %d values", maxNodes), "split the model")
	}
	pos := p.pos()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntaxError(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: kindMap, pos: pos}
			for p.dec.More() {
				kpos := p.pos()
				ktok, err := p.dec.Token()
				if err != nil {
					return nil, p.syntaxError(err)
				}
				key, ok := ktok.(string)
				if !ok {
					return nil, inputError(kpos, "invalid-json", "object key is not a string", "quote the key")
				}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				setKey(n, key, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.syntaxError(err)
			}
			return n, nil
		case '[':
			n := &node{kind: kindSeq, pos: pos}
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.syntaxError(err)
			}
			return n, nil
		}
		return nil, inputError(pos, "invalid-json", fmt.Sprintf("unexpected %q", string(t)), "fix the JSON syntax at this position")
	case string:
		return &node{kind: kindScalar, pos: pos, scalar: t, quoted: true}, nil
	case json.Number:
		return &node{kind: kindScalar, pos: pos, scalar: t.String()}, nil
	case bool:
		return &node{kind: kindScalar, pos: pos, scalar: strconv.FormatBool(t)}, nil
	default:
		return &node{kind: kindNull, pos: pos}, nil
	}
}

// setKey adds or replaces key in mapping n.
func setKey(n *node, key string, v *node) {
	if i := n.keyIndex(key); i >= 0 {
		n.vals[i] = v
		return
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
	if n.index != nil {
		n.index[key] = len(n.keys) - 1
	}
}

// parseYAML decodes the first document of data into a node tree. It expands
// aliases and merge keys (<<) itself, counting every node an alias copies
// against maxNodes, because the YAML library sets no such limit.
func parseYAML(file string, data []byte) (*node, error) {
	if err := checkSize(file, data); err != nil {
		return nil, err
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		pos := diag.Pos{File: file}
		msg := err.Error()
		var ye interface {
			GetToken() *token.Token
			GetMessage() string
		}
		if errors.As(err, &ye) {
			msg = ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				pos = diag.Pos{File: file, Line: tk.Position.Line, Col: tk.Position.Column, Offset: tk.Position.Offset}
			}
		}
		return nil, inputError(pos, "invalid-yaml", "invalid YAML: "+msg, "fix the YAML syntax at this position")
	}
	c := &yamlConverter{file: file, anchors: map[string]ast.Node{}}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &node{kind: kindNull, pos: diag.Pos{File: file, Line: 1, Col: 1}}, nil
	}
	return c.convert(f.Docs[0].Body, 0)
}

type yamlConverter struct {
	file    string
	anchors map[string]ast.Node
	nodes   int
}

func (c *yamlConverter) pos(n ast.Node) diag.Pos {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return diag.Pos{File: c.file}
	}
	return diag.Pos{File: c.file, Line: tk.Position.Line, Col: tk.Position.Column, Offset: tk.Position.Offset}
}

func (c *yamlConverter) convert(n ast.Node, depth int) (*node, error) {
	if n == nil {
		return &node{kind: kindNull}, nil
	}
	if depth > maxDepth {
		return nil, inputError(c.pos(n), "too-deep", fmt.Sprintf("values nested more than %d levels deep, counting alias expansions", maxDepth), "flatten the document or remove self-referencing aliases")
	}
	c.nodes++
	if c.nodes > maxNodes {
		return nil, inputError(c.pos(n), "too-many-values", fmt.Sprintf("more than %d values after expanding aliases", maxNodes), "remove aliases that multiply the document")
	}
	switch t := n.(type) {
	case *ast.NullNode:
		return &node{kind: kindNull, pos: c.pos(n)}, nil
	case *ast.StringNode:
		quoted := t.Token != nil && (t.Token.Type == token.DoubleQuoteType || t.Token.Type == token.SingleQuoteType)
		return &node{kind: kindScalar, pos: c.pos(n), scalar: t.Value, quoted: quoted}, nil
	case *ast.LiteralNode:
		return &node{kind: kindScalar, pos: c.pos(n), scalar: t.Value.Value, quoted: true}, nil
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return &node{kind: kindScalar, pos: c.pos(n), scalar: n.GetToken().Value}, nil
	case *ast.TagNode:
		return c.convert(t.Value, depth+1)
	case *ast.AnchorNode:
		if name := t.Name.GetToken().Value; name != "" {
			c.anchors[name] = t.Value
		}
		return c.convert(t.Value, depth+1)
	case *ast.AliasNode:
		name := t.Value.GetToken().Value
		target, ok := c.anchors[name]
		if !ok {
			return nil, inputError(c.pos(n), "unknown-anchor", fmt.Sprintf("alias *%s refers to no anchor defined before it", name), "define &"+name+" before using it")
		}
		return c.convert(target, depth+1)
	case *ast.MappingNode:
		out := &node{kind: kindMap, pos: c.pos(n)}
		if err := c.addPairs(out, t.Values, depth); err != nil {
			return nil, err
		}
		return out, nil
	case *ast.MappingValueNode:
		out := &node{kind: kindMap, pos: c.pos(n)}
		if err := c.addPairs(out, []*ast.MappingValueNode{t}, depth); err != nil {
			return nil, err
		}
		return out, nil
	case *ast.SequenceNode:
		out := &node{kind: kindSeq, pos: c.pos(n)}
		for _, v := range t.Values {
			cv, err := c.convert(v, depth+1)
			if err != nil {
				return nil, err
			}
			out.vals = append(out.vals, cv)
		}
		return out, nil
	case *ast.CommentGroupNode, *ast.CommentNode:
		return &node{kind: kindNull, pos: c.pos(n)}, nil
	default:
		return nil, inputError(c.pos(n), "invalid-yaml", fmt.Sprintf("unsupported YAML node %s", n.Type()), "write plain mappings, sequences and scalars")
	}
}

// addPairs adds mapping entries to out. Keys written in the mapping win over
// keys merged in with <<, whatever their order, as YAML 1.1 merge keys say.
func (c *yamlConverter) addPairs(out *node, pairs []*ast.MappingValueNode, depth int) error {
	var merged []*node
	for _, mv := range pairs {
		if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge {
			v, err := c.convert(mv.Value, depth+1)
			if err != nil {
				return err
			}
			for _, m := range v.list() {
				if m.kind != kindMap {
					return inputError(m.pos, "invalid-merge", "the value of << is not a mapping", "merge only mappings (<<: *anchor)")
				}
				merged = append(merged, m)
			}
			continue
		}
		key, err := c.convert(mv.Key, depth+1)
		if err != nil {
			return err
		}
		if key.kind == kindMap || key.kind == kindSeq {
			return inputError(key.pos, "invalid-key", "mapping key is not a scalar", "use a plain text key")
		}
		val, err := c.convert(mv.Value, depth+1)
		if err != nil {
			return err
		}
		setKey(out, key.scalar, val)
	}
	for _, m := range merged {
		for i, k := range m.keys {
			if !hasKey(out, k) {
				setKey(out, k, m.vals[i])
			}
		}
	}
	return nil
}

func hasKey(n *node, key string) bool { return n != nil && n.keyIndex(key) >= 0 }
