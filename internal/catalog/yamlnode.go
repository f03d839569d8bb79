package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/wardtm/ward/internal/diag"
)

// Limits on a rule file, which is outside input. The built-in files are
// about 40 KiB each; the limits leave room for large user libraries while
// keeping a hostile file from exhausting memory or time.
const (
	// MaxRuleFileSize is the largest rule file read, in bytes.
	MaxRuleFileSize = 4 << 20
	// maxDepth is the deepest nesting of mappings and sequences accepted,
	// counting alias expansions.
	maxDepth = 64
	// maxNodes is the largest number of nodes one file may expand to,
	// counting every alias expansion again; it stops "billion laughs" files.
	maxNodes = 1_000_000
	// maxFlowNesting bounds the brackets and braces open at once, checked
	// before the YAML parser runs, so that the parser's own recursion stays
	// shallow.
	maxFlowNesting = maxDepth
)

// errTooLarge ends decoding once the node budget is spent.
var errTooLarge = errors.New("too many nodes")

// yamlDoc walks a goccy/go-yaml syntax tree, resolving aliases under a node
// budget and a depth limit, and records every problem as a diagnostic.
type yamlDoc struct {
	file    string
	diags   *diag.List
	anchors map[string]ast.Node
	nodes   int
	// exhausted is set once the node budget is spent, so the budget error is
	// reported once.
	exhausted bool
}

// parseYAML parses src into its first document's body. It returns nil and
// adds a diagnostic when the text is not YAML or is too deep.
func parseYAML(file string, src []byte, diags *diag.List) ast.Node {
	if pos, ok := flowNestingExceeded(src); ok {
		diags.Add(diag.Pos{File: file, Line: pos.Line, Col: pos.Col, Offset: pos.Offset}, "too-deep", "",
			fmt.Sprintf("brackets nest deeper than %d levels", maxFlowNesting),
			"rule files need only a few levels; check for unbalanced [ or {")
		return nil
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		diags.Add(syntaxErrorPos(file, err), "yaml-syntax", "", "invalid YAML: "+firstLine(err.Error()),
			"fix the syntax at this position")
		return nil
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil
	}
	if len(f.Docs) > 1 {
		d := f.Docs[1]
		diags.Add(nodePos(file, d.Body), "multiple-documents", "",
			"the file holds more than one YAML document", "put all rules under one rules: key in one document")
	}
	return f.Docs[0].Body
}

// flowNestingExceeded reports the position of the first bracket or brace
// that opens more than maxFlowNesting levels, ignoring quoted text and
// comments.
func flowNestingExceeded(src []byte) (diag.Pos, bool) {
	depth, line, col := 0, 1, 0
	var quote byte
	comment := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		col++
		if c == '\n' {
			line, col, comment = line+1, 0, false
			continue
		}
		switch {
		case comment:
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
				col++
			}
		case c == '#' && (i == 0 || src[i-1] == ' ' || src[i-1] == '\t'):
			comment = true
		case c == '"' || c == '\'':
			if i == 0 || strings.ContainsRune(" \t[{,:-", rune(src[i-1])) {
				quote = c
			}
		case c == '[' || c == '{':
			depth++
			if depth > maxFlowNesting {
				return diag.Pos{Line: line, Col: col, Offset: i}, true
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return diag.Pos{}, false
}

// syntaxErrorPos extracts the "[line:col]" prefix goccy/go-yaml puts on its
// syntax errors.
func syntaxErrorPos(file string, err error) diag.Pos {
	msg := err.Error()
	pos := diag.Pos{File: file}
	if !strings.HasPrefix(msg, "[") {
		return pos
	}
	end := strings.IndexByte(msg, ']')
	if end < 0 {
		return pos
	}
	parts := strings.SplitN(msg[1:end], ":", 2)
	if len(parts) == 2 {
		pos.Line, _ = strconv.Atoi(parts[0])
		pos.Col, _ = strconv.Atoi(parts[1])
	}
	return pos
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if strings.HasPrefix(s, "[") {
		if end := strings.IndexByte(s, ']'); end >= 0 {
			s = strings.TrimSpace(s[end+1:])
		}
	}
	return s
}

// nodePos returns the position of n in file.
func nodePos(file string, n ast.Node) diag.Pos {
	if n == nil {
		return diag.Pos{File: file}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return diag.Pos{File: file}
	}
	return diag.Pos{File: file, Line: tk.Position.Line, Col: tk.Position.Column, Offset: tk.Position.Offset}
}

// collectAnchors records every anchor of the tree under root, so that an
// alias resolves even when its anchor sits under a key the decoder skips.
// It walks the tree without following aliases, with an explicit stack, and
// reports a tree deeper than maxDepth.
func (d *yamlDoc) collectAnchors(root ast.Node) bool {
	type item struct {
		n     ast.Node
		depth int
	}
	stack := []item{{root, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n == nil {
			continue
		}
		if it.depth > 2*maxDepth {
			d.diags.Add(nodePos(d.file, it.n), "too-deep", "",
				fmt.Sprintf("the file nests deeper than %d levels", maxDepth),
				"rule files need only a few levels")
			return false
		}
		next := it.depth + 1
		switch v := it.n.(type) {
		case *ast.AnchorNode:
			if v.Name != nil {
				d.anchors[v.Name.String()] = v.Value
			}
			stack = append(stack, item{v.Value, next})
		case *ast.TagNode:
			stack = append(stack, item{v.Value, next})
		case *ast.MappingNode:
			for i := len(v.Values) - 1; i >= 0; i-- {
				stack = append(stack, item{v.Values[i], next})
			}
		case *ast.MappingValueNode:
			stack = append(stack, item{v.Value, next}, item{v.Key, next})
		case *ast.SequenceNode:
			for i := len(v.Values) - 1; i >= 0; i-- {
				stack = append(stack, item{v.Values[i], next})
			}
		}
	}
	return true
}

// resolve strips anchors, tags and comments and follows aliases, charging
// the node budget. It returns nil when the budget is spent or an alias is
// unknown (both reported).
func (d *yamlDoc) resolve(n ast.Node, depth int) ast.Node {
	for hops := 0; n != nil; hops++ {
		if depth > maxDepth || hops > maxDepth {
			d.diags.Add(nodePos(d.file, n), "too-deep", "",
				fmt.Sprintf("the value nests deeper than %d levels", maxDepth),
				"rule files need only a few levels; check for an alias that refers to itself")
			return nil
		}
		d.nodes++
		if d.nodes > maxNodes {
			if !d.exhausted {
				d.exhausted = true
				d.diags.Add(nodePos(d.file, n), "too-large", "",
					fmt.Sprintf("the file expands to more than %d values", maxNodes),
					"use fewer aliases or split the file")
			}
			return nil
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if v.Value != nil {
				name = v.Value.String()
			}
			target, ok := d.anchors[name]
			if !ok {
				d.diags.Add(nodePos(d.file, v), "unknown-alias", "",
					fmt.Sprintf("alias *%s names no anchor", name),
					"define the anchor with &"+name+" earlier in the file")
				return nil
			}
			n = target
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
	return nil
}

// mapping is one resolved YAML mapping: its keys in order with their value
// nodes.
type mapping struct {
	node   ast.Node
	keys   []string
	keyPos map[string]diag.Pos
	values map[string]ast.Node
}

// asMapping returns n as a mapping, or reports that path must be one.
func (d *yamlDoc) asMapping(n ast.Node, path string, depth int) (*mapping, bool) {
	n = d.resolve(n, depth)
	if n == nil {
		return nil, false
	}
	m := &mapping{node: n, keyPos: map[string]diag.Pos{}, values: map[string]ast.Node{}}
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.addPair(m, mv, path)
		}
	case *ast.MappingValueNode:
		d.addPair(m, v, path)
	case *ast.NullNode:
		// An empty value is an empty mapping; missing keys are reported by
		// the caller.
	default:
		d.diags.Add(nodePos(d.file, n), "wrong-type", path,
			fmt.Sprintf("%s must be a mapping, found %s", pathOr(path), describe(n)), "write key: value pairs")
		return nil, false
	}
	return m, true
}

func (d *yamlDoc) addPair(m *mapping, mv *ast.MappingValueNode, path string) {
	if mv.Key == nil {
		return
	}
	if mv.Key.IsMergeKey() {
		d.diags.Add(nodePos(d.file, mv.Key), "merge-key", path,
			"merge keys (<<) are not supported in rule files", "write the keys out")
		return
	}
	key := mv.Key.String()
	if s, ok := mv.Key.(*ast.StringNode); ok {
		key = s.Value
	}
	pos := nodePos(d.file, mv.Key)
	if first, dup := m.keyPos[key]; dup {
		d.diags.Add(pos, "duplicate-key", join(path, key),
			fmt.Sprintf("key %s is written twice (first at %s)", key, first), "remove one of them")
		return
	}
	m.keys = append(m.keys, key)
	m.keyPos[key] = pos
	m.values[key] = mv.Value
}

// asSequence returns the items of n, or reports that path must be a list.
// A single scalar is accepted as a one-item list.
func (d *yamlDoc) asSequence(n ast.Node, path string, depth int) ([]ast.Node, bool) {
	r := d.resolve(n, depth)
	if r == nil {
		return nil, false
	}
	switch v := r.(type) {
	case *ast.SequenceNode:
		return v.Values, true
	case *ast.NullNode:
		return nil, true
	case *ast.MappingNode, *ast.MappingValueNode:
		d.diags.Add(nodePos(d.file, r), "wrong-type", path,
			fmt.Sprintf("%s must be a list, found a mapping", pathOr(path)), "write [a, b] or one item per line after -")
		return nil, false
	default:
		return []ast.Node{n}, true
	}
}

// scalar returns the value of a scalar node as string, bool, int64, uint64
// or float64; nil for null. It reports mappings and lists.
func (d *yamlDoc) scalar(n ast.Node, path string, depth int) (any, ast.Node, bool) {
	r := d.resolve(n, depth)
	if r == nil {
		return nil, n, false
	}
	switch v := r.(type) {
	case *ast.StringNode:
		return v.Value, r, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", r, true
		}
		return v.Value.Value, r, true
	case *ast.BoolNode:
		return v.Value, r, true
	case *ast.IntegerNode:
		return v.Value, r, true
	case *ast.FloatNode:
		return v.Value, r, true
	case *ast.NullNode:
		return nil, r, true
	case *ast.InfinityNode, *ast.NanNode:
		return r.String(), r, true
	default:
		d.diags.Add(nodePos(d.file, r), "wrong-type", path,
			fmt.Sprintf("%s must be a single value, found %s", pathOr(path), describe(r)), "write one value")
		return nil, r, false
	}
}

// str returns a scalar that must be a string.
func (d *yamlDoc) str(n ast.Node, path string, depth int) (string, diag.Pos, bool) {
	v, r, ok := d.scalar(n, path, depth)
	pos := nodePos(d.file, r)
	if !ok {
		return "", pos, false
	}
	s, isStr := v.(string)
	if !isStr {
		d.diags.Add(pos, "wrong-type", path,
			fmt.Sprintf("%s must be text, found %s", pathOr(path), describe(r)), "quote the value")
		return "", pos, false
	}
	return s, pos, true
}

// strList returns a list of strings.
func (d *yamlDoc) strList(n ast.Node, path string, depth int) ([]string, []diag.Pos) {
	items, ok := d.asSequence(n, path, depth)
	if !ok {
		return nil, nil
	}
	var out []string
	var pos []diag.Pos
	for i, it := range items {
		s, p, ok := d.str(it, fmt.Sprintf("%s[%d]", path, i), depth+1)
		if ok {
			out = append(out, s)
			pos = append(pos, p)
		}
	}
	return out, pos
}

// describe names the YAML type of n for messages.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.BoolNode:
		return fmt.Sprintf("the boolean %v", v.Value)
	case *ast.IntegerNode, *ast.FloatNode:
		return "the number " + n.String()
	case *ast.NullNode:
		return "an empty value"
	case *ast.StringNode:
		return fmt.Sprintf("the text %q", v.Value)
	default:
		return "a " + strings.ToLower(n.Type().String())
	}
}

func pathOr(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
