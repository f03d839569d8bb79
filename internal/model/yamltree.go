package model

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	goccy "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/wardtm/ward/internal/diag"
)

// parseFull parses YAML that is outside the fast path's subset with
// github.com/goccy/go-yaml and converts its one document into the loader's
// node tree. It returns nil and a diagnostic when the file has a syntax
// error, flow collections nested deeper than MaxDepth, no document or more
// than one, or an alias to an anchor that is not defined before it.
//
// goccy's parser does not expand aliases, so an alias bomb costs no more
// than its text here; checkTree measures the expansion afterwards.
func parseFull(s *source) (*node, diag.Diagnostic, bool) {
	text := string(s.src)
	if strings.Contains(text, "\r") {
		// goccy v1.19.2 counts some CR LF line breaks as two lines, which
		// moves every position after them. YAML reads CR LF and a lone CR
		// as LF in any case, and newSource counts lines the same way.
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	if !strings.HasSuffix(text, "\n") {
		// goccy v1.19.2 drops a tag on the last line when no line break
		// follows it, and leaves a folded block scalar there unfolded.
		// NOTE: a block scalar on the last line therefore keeps a final
		// line break even though the file has none.
		text += "\n"
	}
	tokens := lexer.Tokenize(text)
	if d, ok := checkFlowCollections(s, tokens); !ok {
		return nil, d, false
	}
	file, err := parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, syntaxDiag(s, err), false
	}

	var docs []*ast.DocumentNode
	for _, doc := range file.Docs {
		if _, ok := doc.Body.(*ast.DirectiveNode); ok {
			continue // a %YAML or %TAG line, which goccy returns as a document of its own
		}
		if doc.Start != nil || doc.Body != nil {
			docs = append(docs, doc)
		}
	}
	if len(docs) == 0 {
		return nil, diag.Diagnostic{Code: "empty-file", Pos: s.pos(1, 1),
			Summary: "file contains no YAML document",
			Fix:     "start the model with ward: 1 and a system: section"}, false
	}
	if len(docs) > 1 {
		at := docs[1].Start
		if at == nil {
			at = docs[1].Body.GetToken()
		}
		return nil, diag.Diagnostic{Code: "multiple-documents", Pos: tokenPos(s, at),
			Summary: "file contains more than one YAML document",
			Fix:     "remove the --- separator and the second document, or move it into its own file and list it under include:"}, false
	}
	if docs[0].Body == nil {
		return nil, diag.Diagnostic{Code: "empty-file", Pos: s.pos(1, 1),
			Summary: "file contains an empty YAML document",
			Fix:     "start the model with ward: 1 and a system: section"}, false
	}

	b := &treeBuilder{s: s, anchors: map[string]*node{}}
	root := b.build(docs[0].Body, properties{})
	if b.failed != nil {
		return nil, *b.failed, false
	}
	return root, diag.Diagnostic{}, true
}

// checkFlowCollections rejects flow collections such as [[[...]]] nested
// deeper than MaxDepth before goccy's recursive parser sees them. It counts
// only brackets, so it never counts more levels than checkTree would;
// nesting that mixes flow and block collections is left to checkTree.
//
// In a file larger than quickErrorSize without lexical errors, it also
// reports a flow collection that is never closed, as in a truncated file,
// at the innermost open bracket. goccy would spend about twice as long as
// its lexer again grouping and parsing the tokens before it reported an
// error there or, more precisely, at a token inside the collection.
func checkFlowCollections(s *source, tokens token.Tokens) (diag.Diagnostic, bool) {
	var open []*token.Token
	lexical := false
	var keys keyCounter
	for i, tk := range tokens {
		if len(open) == 0 {
			if pos, ok := keys.add(tokens, i); !ok {
				return diag.Diagnostic{Code: "too-many-keys", Pos: tokenPos(s, pos),
					Summary: fmt.Sprintf("mapping has more than %d keys", MaxMappingKeys),
					Fix:     tooManyKeysFix}, false
			}
		}
		switch tk.Type {
		case token.InvalidType:
			lexical = true
		case token.SequenceStartType, token.MappingStartType:
			open = append(open, tk)
			if len(open) > MaxDepth {
				return diag.Diagnostic{Code: "too-deep", Pos: tokenPos(s, tk),
					Summary: fmt.Sprintf("nesting is deeper than %d levels", MaxDepth),
					Fix:     "flatten the structure; the model format needs only a few levels"}, false
			}
		case token.SequenceEndType, token.MappingEndType:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	if len(open) == 0 || lexical || len(s.src) <= quickErrorSize {
		return diag.Diagnostic{}, true
	}

	last := open[len(open)-1]
	summary := "invalid YAML: sequence end token ']' not found"
	if last.Type == token.MappingStartType {
		summary = "invalid YAML: could not find flow mapping end token '}'"
	}
	return diag.Diagnostic{Code: "syntax-error", Pos: tokenPos(s, last), Summary: summary, Fix: syntaxFix}, false
}

// keyCounter counts the keys of the open block mappings from the tokens,
// because goccy v1.19.2 parses a block mapping in time that grows with the
// square of its number of keys: 50,000 keys take it over 20 s. A mapping
// is identified by the column of its keys. A sequence entry "-" ends the
// mappings to its right, and a key ends those deeper than itself.
type keyCounter struct {
	open []openMapping
}

type openMapping struct {
	col, keys int
}

// add looks at tokens[i] and, when it starts a key, counts the key. It
// returns the key's first token and false when the key is one too many.
func (c *keyCounter) add(tokens token.Tokens, i int) (*token.Token, bool) {
	tk := tokens[i]
	var key *token.Token
	switch tk.Type {
	case token.SequenceEntryType:
		c.close(tk.Position.Column)
		return nil, true
	case token.MappingKeyType: // ? key
		key = tk
	case token.MappingValueType:
		key = implicitKeyStart(tokens, i)
	}
	if key == nil {
		return nil, true
	}

	col := key.Position.Column
	c.close(col)
	if n := len(c.open); n > 0 && c.open[n-1].col == col {
		c.open[n-1].keys++
		if c.open[n-1].keys > MaxMappingKeys {
			return key, false
		}
		return nil, true
	}
	c.open = append(c.open, openMapping{col: col, keys: 1})
	return nil, true
}

// close ends the mappings whose keys are to the right of col.
func (c *keyCounter) close(col int) {
	for len(c.open) > 0 && c.open[len(c.open)-1].col > col {
		c.open = c.open[:len(c.open)-1]
	}
}

// implicitKeyStart returns the first token of the key before the colon
// tokens[i], with its anchor and tag, or nil when the colon starts its line
// (the value of a "?" key, counted at the "?").
func implicitKeyStart(tokens token.Tokens, i int) *token.Token {
	j := i - 1
	for j >= 0 && tokens[j].Type == token.CommentType {
		j--
	}
	if j < 0 || tokens[j].Position.Line != tokens[i].Position.Line {
		return nil
	}
	line := tokens[j].Position.Line
	for j > 0 && tokens[j-1].Position.Line == line {
		switch {
		case tokens[j-1].Type == token.TagType:
			j--
			continue
		case j > 1 && tokens[j-1].Type == token.StringType && tokens[j-2].Type == token.AnchorType && tokens[j-2].Position.Line == line:
			j -= 2
			continue
		}
		break
	}
	return tokens[j]
}

// quickErrorSize is the file size, in bytes, above which
// checkFlowCollections reports unclosed flow collections itself: goccy
// takes about 0.1 s of CPU time to parse 256 KiB on one core of a 2-vCPU
// Intel Xeon virtual machine.
const quickErrorSize = 256 << 10

func tokenPos(s *source, tk *token.Token) diag.Pos {
	if tk == nil || tk.Position == nil {
		return s.pos(1, 1)
	}
	return s.pos(tk.Position.Line, tk.Position.Column)
}

const syntaxFix = "check indentation (spaces, not tabs), colons after keys and closing brackets and quotes near this line"

// syntaxDiag turns a goccy parser error into a diagnostic at the line and
// column of the offending token.
func syntaxDiag(s *source, err error) diag.Diagnostic {
	var located goccy.Error
	if !errors.As(err, &located) || located.GetToken() == nil {
		return diag.Diagnostic{Code: "syntax-error", Pos: s.pos(1, 1), Summary: "invalid YAML: " + err.Error(), Fix: syntaxFix}
	}
	tk := located.GetToken()
	if d, ok := collectionKeyDiag(s, tk); ok {
		return d
	}
	return diag.Diagnostic{Code: "syntax-error", Pos: tokenPos(s, tk), Summary: "invalid YAML: " + located.GetMessage(), Fix: syntaxFix}
}

// collectionKeyDiag recognizes a flow collection used as a mapping key, as
// in {a: b}: c or "? [a]" followed by ": c". That is valid YAML, but goccy
// v1.19.2 rejects it at the colon with "found an invalid key for this map".
// The model format has no such keys either, so the error is reported as
// the decoder reports other non-scalar keys: invalid-key at the start of
// the collection.
func collectionKeyDiag(s *source, colon *token.Token) (diag.Diagnostic, bool) {
	if colon.Type != token.MappingValueType {
		return diag.Diagnostic{}, false
	}
	end := colon.Prev
	for end != nil && end.Type == token.CommentType {
		end = end.Prev
	}
	if end == nil || end.Type != token.MappingEndType && end.Type != token.SequenceEndType {
		return diag.Diagnostic{}, false
	}

	// Walk back to the bracket that opens the collection.
	depth := 0
	for start := end; start != nil; start = start.Prev {
		switch start.Type {
		case token.MappingEndType, token.SequenceEndType:
			depth++
		case token.MappingStartType, token.SequenceStartType:
			depth--
		}
		if depth > 0 {
			continue
		}
		kind := "a mapping"
		if start.Type == token.SequenceStartType {
			kind = "a list"
		}
		return diag.Diagnostic{Code: "invalid-key", Pos: tokenPos(s, start),
			Summary: "mapping key is " + kind + ", not a name",
			Fix:     "write keys as plain names such as id or name"}, true
	}
	return diag.Diagnostic{}, false
}

// properties are the anchor and tag written in front of a node, and where
// the first of them starts.
type properties struct {
	anchor    string
	tag       string
	tagged    bool
	line, col int
}

// at records the position of the first property.
func (p *properties) at(tk *token.Token) {
	if p.line == 0 && tk != nil && tk.Position != nil {
		p.line, p.col = tk.Position.Line, tk.Position.Column
	}
}

// treeBuilder converts goccy's syntax tree into the loader's node tree.
type treeBuilder struct {
	s       *source
	anchors map[string]*node // the latest node defined with each anchor name
	nodes   []node           // block that newNode cuts nodes from
	failed  *diag.Diagnostic

	// line and col are the position of the last node built, for a value
	// that goccy leaves out of the tree.
	line, col int
}

// newNode returns a node at tk's position, or at the first property's
// when there is one, and records the node under its anchor name.
func (b *treeBuilder) newNode(kind nodeKind, tag string, tk *token.Token, p properties) *node {
	if len(b.nodes) == cap(b.nodes) {
		b.nodes = make([]node, 0, 256)
	}
	b.nodes = append(b.nodes, node{Kind: kind, Tag: tag, Anchor: p.anchor})
	n := &b.nodes[len(b.nodes)-1]

	switch {
	case p.line > 0:
		n.Line, n.Column = p.line, p.col
	case tk != nil && tk.Position != nil:
		n.Line, n.Column = tk.Position.Line, tk.Position.Column
	default:
		n.Line, n.Column = b.line, b.col
	}
	b.line, b.col = n.Line, n.Column
	if p.tagged {
		n.Tag, n.Tagged = p.tag, true
	}
	if p.anchor != "" {
		b.anchors[p.anchor] = n
	}
	return n
}

// build converts one goccy node; p holds the properties written before it.
func (b *treeBuilder) build(an ast.Node, p properties) *node {
	if b.failed != nil {
		return b.newNode(scalarNode, tagNull, nil, p)
	}

	switch v := an.(type) {
	case nil:
		return b.newNode(scalarNode, tagNull, nil, p)

	case *ast.AnchorNode:
		p.at(v.Start)
		if v.Name != nil {
			p.anchor = v.Name.GetToken().Value
		}
		return b.build(v.Value, p)

	case *ast.TagNode:
		p.at(v.Start)
		p.tag, p.tagged = shortTag(v.Start.Value), true
		return b.build(v.Value, p)

	case *ast.AliasNode:
		name := ""
		if v.Value != nil {
			name = v.Value.GetToken().Value
		}
		n := b.newNode(aliasNode, "", v.Start, p)
		n.Value = name
		n.Alias = b.anchors[name]
		if n.Alias == nil {
			b.failed = &diag.Diagnostic{Code: "syntax-error", Pos: b.s.pos(n.Line, n.Column),
				Summary: fmt.Sprintf("invalid YAML: alias *%s names no anchor", name),
				Fix:     fmt.Sprintf("define the anchor &%s before this alias, or correct the name", name)}
		}
		return n

	case *ast.MappingNode:
		m := b.newNode(mappingNode, tagMap, v.Start, p)
		m.Content = make([]*node, 0, 2*len(v.Values))
		for _, entry := range v.Values {
			b.addPair(m, entry, v.IsFlowStyle)
		}
		b.startAtFirstKey(m, v.IsFlowStyle, p)
		return m

	case *ast.MappingValueNode:
		// A single key and value, as in the flow sequence [a: b].
		m := b.newNode(mappingNode, tagMap, v.GetToken(), p)
		m.Content = make([]*node, 0, 2)
		b.addPair(m, v, true)
		b.startAtFirstKey(m, false, p)
		return m

	case *ast.MappingKeyNode:
		if v.Value == nil {
			p.at(v.Start)
		}
		return b.build(v.Value, p)

	case *ast.SequenceNode:
		seq := b.newNode(sequenceNode, tagSeq, v.Start, p)
		seq.Content = make([]*node, 0, len(v.Values))
		for _, item := range v.Values {
			seq.Content = append(seq.Content, b.build(item, properties{}))
		}
		return seq

	case *ast.LiteralNode:
		n := b.newNode(scalarNode, tagStr, v.Start, p)
		if v.Value != nil {
			n.Value = v.Value.Value
		}
		return n

	case *ast.StringNode:
		n := b.newNode(scalarNode, tagStr, v.Token, p)
		n.Value = v.Value
		if v.Token.Type == token.SingleQuoteType || v.Token.Type == token.DoubleQuoteType {
			return n
		}
		b.fixPlainStart(n, p)
		if !p.tagged {
			n.Tag = resolvePlain(v.Value)
		}
		return n

	case ast.ScalarNode:
		// Plain integers, floats, booleans, nulls, infinities, NaN and the
		// merge key <<. The text decides the tag, as for any plain scalar,
		// so that the full parser and the fast path always agree.
		tk := v.GetToken()
		text := tk.Value
		if tk.Type == token.ImplicitNullType {
			text = ""
		}
		n := b.newNode(scalarNode, "", tk, p)
		n.Value = text
		if text != "" {
			b.fixPlainStart(n, p)
		}
		if !p.tagged {
			n.Tag = resolvePlain(text)
		}
		return n
	}

	tk := an.GetToken()
	b.failed = &diag.Diagnostic{Code: "syntax-error", Pos: tokenPos(b.s, tk),
		Summary: fmt.Sprintf("invalid YAML: unexpected %s", an.Type()),
		Fix:     syntaxFix}
	return b.newNode(scalarNode, tagNull, tk, p)
}

// fixPlainStart corrects the column of a plain scalar n whose first line
// ends in blanks. goccy v1.19.2 places such a scalar as many columns to
// the right as there are trailing spaces, so "a: b  " puts b at column 6
// instead of 4. The true start is at most that many columns to the left:
// the first candidate from the left where the rest of the line, without
// the trailing spaces, begins the scalar's value is taken.
func (b *treeBuilder) fixPlainStart(n *node, p properties) {
	if p.line > 0 || n.Line < 1 || n.Line > len(b.s.lines) {
		return
	}
	src := b.s.src
	start := b.s.lines[n.Line-1]
	end := len(src)
	if n.Line < len(b.s.lines) {
		end = b.s.lines[n.Line]
	}
	for end > start && (src[end-1] == '\n' || src[end-1] == '\r') {
		end--
	}
	content := end
	for content > start && (src[content-1] == ' ' || src[content-1] == '\t') {
		content--
	}
	spaces := end - content
	if spaces == 0 {
		return
	}

	for k := min(spaces, n.Column-1); k > 0; k-- {
		pos := b.s.pos(n.Line, n.Column-k)
		off := pos.Offset
		if off >= content || src[off] == ' ' || src[off] == '\t' {
			continue
		}
		if off > start && src[off-1] != ' ' && src[off-1] != '\t' && !strings.ContainsRune("-?:,[{", rune(src[off-1])) {
			continue
		}
		rest := string(src[off:content])
		if strings.HasPrefix(n.Value, rest) && (len(n.Value) == len(rest) || n.Value[len(rest)] == ' ' || n.Value[len(rest)] == '\n') {
			n.Column -= k
			return
		}
	}
}

// addPair appends a key and its value to the mapping m. It also enforces
// two rules of YAML that goccy v1.19.2 does not. A key written without "?"
// is one line of at most maxImplicitKey characters. In a block mapping, a
// value on the lines after its key is indented deeper than the key unless
// it is a block sequence.
func (b *treeBuilder) addPair(m *node, entry *ast.MappingValueNode, flow bool) {
	key := b.build(entry.Key, properties{})
	val := b.build(entry.Value, properties{})
	m.Content = append(m.Content, key, val)
	if _, explicit := entry.Key.(*ast.MappingKeyNode); explicit || b.failed != nil {
		return
	}

	keyTk := innerToken(entry.Key)
	switch {
	case keyTk != nil && entry.Start != nil && keyTk.Position.Line != entry.Start.Position.Line:
		b.fail(key, "a key without \"?\" must be on one line, together with its colon")
	case key.Kind == scalarNode && utf8.RuneCountInString(key.Value) > maxImplicitKey:
		b.fail(key, fmt.Sprintf("key is longer than %d characters", maxImplicitKey))
	case !flow && val.Line > key.Line && val.Column <= key.Column && !(val.Column == key.Column && isBlockSequence(entry.Value)):
		b.fail(val, "expected a key with a colon, or a value indented under the key above")
	}
}

// maxImplicitKey is the YAML limit on the length of a key written without
// "?", in characters.
const maxImplicitKey = 1024

func (b *treeBuilder) fail(at *node, summary string) {
	b.failed = &diag.Diagnostic{Code: "syntax-error", Pos: b.s.pos(at.Line, at.Column),
		Summary: "invalid YAML: " + summary, Fix: syntaxFix}
}

// innerToken returns the token of the node inside any anchor and tag.
func innerToken(an ast.Node) *token.Token {
	for {
		switch v := an.(type) {
		case nil:
			return nil
		case *ast.AnchorNode:
			an = v.Value
		case *ast.TagNode:
			an = v.Value
		default:
			tk := an.GetToken()
			if tk == nil || tk.Position == nil {
				return nil
			}
			return tk
		}
	}
}

func isBlockSequence(an ast.Node) bool {
	for {
		switch v := an.(type) {
		case *ast.AnchorNode:
			an = v.Value
		case *ast.TagNode:
			an = v.Value
		case *ast.SequenceNode:
			return !v.IsFlowStyle
		default:
			return false
		}
	}
}

// startAtFirstKey moves a block mapping without properties to its first
// key, where YAML places it; goccy's token for it is the first colon.
func (b *treeBuilder) startAtFirstKey(m *node, flow bool, p properties) {
	if flow || p.line > 0 || len(m.Content) == 0 {
		return
	}
	m.Line, m.Column = m.Content[0].Line, m.Content[0].Column
}
