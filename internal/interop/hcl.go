package interop

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/diag"
)

// This file reads the part of HCL native syntax that threatcl files use:
// attributes (name = value), blocks with quoted or bare labels, strings
// with escapes, heredocs (<<EOF and <<-EOF), numbers, true, false, null,
// lists, objects and the three comment styles. It builds the node tree that
// HCL's JSON form of the same file gives, so one mapping serves threatcl
// JSON and HCL:
//
//	threat "Crown theft" { impacts = ["Confidentiality"] }
//	=> {"threat": {"Crown theft": {"impacts": ["Confidentiality"]}}}
//
// Blocks of one type with the same labels become a list of bodies, as in
// HCL's JSON form. References (var.x, import.control.c.description),
// function calls and string interpolations cannot be evaluated without the
// rest of the threatcl configuration: a reference becomes null, a template
// keeps its text, and each is listed in hclDoc.unresolved for the report.
// Arithmetic, comparisons, conditionals and for expressions are rejected
// with the position of the operator.

// maxLabels is the most labels one block may have. threatcl blocks have
// at most two; the limit keeps a hostile file from building a deep chain
// of label maps.
const maxLabels = 8

// hclDoc is a parsed HCL file.
type hclDoc struct {
	root *node
	// unresolved lists the expressions that were kept as null or as
	// unevaluated template text.
	unresolved []hclUnresolved
}

// hclUnresolved is one expression the parser could not evaluate.
type hclUnresolved struct {
	pos  diag.Pos
	text string
}

// parseHCL decodes data as HCL native syntax. Errors are diag.Lists with the
// file, line and column where parsing stopped.
func parseHCL(file string, data []byte) (*hclDoc, error) {
	if err := checkSize(file, data); err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, inputError(posAt(file, data, off), "invalid-hcl", "file is not valid UTF-8", "save the file as UTF-8")
	}
	trimmed := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &hclParser{
		file:      file,
		data:      trimmed,
		cur:       newCursor(file, trimmed),
		bom:       len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf",
		labelMaps: map[*node]bool{},
		bodies:    map[*node]bool{},
		repeats:   map[*node]bool{},
	}
	root := &node{kind: kindMap, pos: p.pos()}
	p.bodies[root] = true
	if err := p.body(root, 0, false); err != nil {
		return nil, err
	}
	return &hclDoc{root: root, unresolved: p.unresolved}, nil
}

type hclParser struct {
	file string
	data []byte
	// bom is true when a byte order mark was cut off the front, so that
	// byte offsets in positions still count it.
	bom bool
	// cur converts offsets to positions. The parser reads positions in
	// increasing offset order, except when it reports an error.
	cur   *cursor
	off   int
	nodes int
	// labelMaps, bodies and repeats tell the maps and lists the parser
	// made for blocks apart from object values, so that a second block of
	// a type joins the first instead of clashing with it.
	labelMaps  map[*node]bool
	bodies     map[*node]bool
	repeats    map[*node]bool
	unresolved []hclUnresolved
	// nesting counts the strings inside ${ } open at the current offset,
	// which stringLit and interpolation read by calling each other.
	nesting int
}

func (p *hclParser) pos() diag.Pos { return p.posOf(p.off) }

func (p *hclParser) posOf(off int) diag.Pos {
	pos := p.cur.at(off)
	if p.bom {
		pos.Offset += 3
	}
	return pos
}

func (p *hclParser) errorAt(off int, code, summary, fix string) error {
	return inputError(p.posOf(off), code, summary, fix)
}

func (p *hclParser) syntaxError(summary, fix string) error {
	return p.errorAt(p.off, "invalid-hcl", summary, fix)
}

func (p *hclParser) eof() bool { return p.off >= len(p.data) }

func (p *hclParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.data[p.off]
}

func (p *hclParser) peekAt(n int) byte {
	if p.off+n >= len(p.data) {
		return 0
	}
	return p.data[p.off+n]
}

// describe names the next character for an error message.
func (p *hclParser) describe() string {
	if p.eof() {
		return "end of file"
	}
	if p.peek() == '\n' {
		return "end of line"
	}
	r, _ := utf8.DecodeRune(p.data[p.off:])
	return strconv.QuoteRune(r)
}

// count adds one value to the total and fails past maxNodes.
func (p *hclParser) count() error {
	p.nodes++
	if p.nodes > maxNodes {
		return p.errorAt(p.off, "too-many-values", fmt.Sprintf("more than %d values", maxNodes), "split the model")
	}
	return nil
}

// skipSpace skips blanks and comments, and newlines too when newlines is
// true. A comment that runs to the end of the line leaves the newline.
func (p *hclParser) skipSpace(newlines bool) error {
	for !p.eof() {
		c := p.peek()
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			p.off++
		case c == '\n' && newlines:
			p.off++
		case c == '#' || c == '/' && p.peekAt(1) == '/':
			for !p.eof() && p.peek() != '\n' {
				p.off++
			}
		case c == '/' && p.peekAt(1) == '*':
			start := p.off
			end := bytes.Index(p.data[p.off+2:], []byte("*/"))
			if end < 0 {
				return p.errorAt(start, "invalid-hcl", "comment is not closed", "end the comment with */")
			}
			p.off += end + 4
		default:
			return nil
		}
	}
	return nil
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool {
	return r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// ident reads an identifier, or returns "" when none starts here.
func (p *hclParser) ident() string {
	start := p.off
	for !p.eof() {
		r, size := utf8.DecodeRune(p.data[p.off:])
		if p.off == start && !isIdentStart(r) || p.off > start && !isIdentPart(r) {
			break
		}
		p.off += size
	}
	return string(p.data[start:p.off])
}

// body reads attributes and blocks into out until the end of the file, or
// until the closing brace when inBlock is true.
func (p *hclParser) body(out *node, depth int, inBlock bool) error {
	for {
		if err := p.skipSpace(true); err != nil {
			return err
		}
		if p.eof() {
			if inBlock {
				return p.syntaxError("block is not closed: missing }", "add the closing brace")
			}
			return nil
		}
		if p.peek() == '}' {
			if !inBlock {
				return p.syntaxError("unexpected }", "remove the brace or add the block it closes")
			}
			p.off++
			return nil
		}

		start, startPos := p.off, p.pos()
		name := p.ident()
		if name == "" {
			return p.syntaxError(fmt.Sprintf("expected an attribute or block name, found %s", p.describe()),
				"start the line with a name such as description = \"...\" or threat \"name\" {")
		}
		if err := p.skipSpace(false); err != nil {
			return err
		}
		if p.peek() == '=' && p.peekAt(1) != '=' {
			p.off++
			if err := p.attribute(out, name, start, depth); err != nil {
				return err
			}
		} else if err := p.block(out, name, start, startPos, depth); err != nil {
			return err
		}

		if err := p.skipSpace(false); err != nil {
			return err
		}
		switch p.peek() {
		case '\n':
			p.off++
		case '}', 0:
		default:
			return p.syntaxError(fmt.Sprintf("expected a new line after %s, found %s", name, p.describe()),
				"put each attribute and block on its own line")
		}
	}
}

// attribute reads the value of name = and stores it in out.
func (p *hclParser) attribute(out *node, name string, start, depth int) error {
	if prev := out.get(name); prev != nil || hasKey(out, name) {
		return p.errorAt(start, "duplicate-attribute",
			fmt.Sprintf("%s is set twice in this block, first at line %d", name, prev.posOr(p.posOf(start)).Line),
			"keep one of the two")
	}
	v, err := p.expr(depth+1, false)
	if err != nil {
		return err
	}
	setKey(out, name, v)
	return nil
}

// block reads the labels and body of a block of type typ and adds it to
// out in the shape of HCL's JSON form.
func (p *hclParser) block(out *node, typ string, start int, startPos diag.Pos, depth int) error {
	if depth >= maxDepth {
		return p.errorAt(start, "too-deep", fmt.Sprintf("blocks nested more than %d levels deep", maxDepth), "flatten the file")
	}
	var labels []string
	for p.peek() != '{' {
		switch c := p.peek(); {
		case c == '"':
			lpos := p.off
			s, tmpl, err := p.stringLit()
			if err != nil {
				return err
			}
			if tmpl {
				return p.errorAt(lpos, "invalid-hcl", "block label contains ${ } or %{ }", "write the label as plain text")
			}
			labels = append(labels, s)
		default:
			r, _ := utf8.DecodeRune(p.data[p.off:])
			if !isIdentStart(r) {
				return p.syntaxError(fmt.Sprintf("expected = or a block after %s, found %s", typ, p.describe()),
					"write name = value for an attribute or name \"label\" { ... } for a block")
			}
			labels = append(labels, p.ident())
		}
		if len(labels) > maxLabels {
			return p.errorAt(start, "invalid-hcl", fmt.Sprintf("block %s has more than %d labels", typ, maxLabels), "threatcl blocks have one or two labels; remove the others")
		}
		if err := p.skipSpace(false); err != nil {
			return err
		}
	}
	p.off++

	if err := p.count(); err != nil {
		return err
	}
	body := &node{kind: kindMap, pos: startPos}
	p.bodies[body] = true
	if err := p.body(body, depth+1, true); err != nil {
		return err
	}
	return p.place(out, typ, labels, body, start)
}

// place stores a block body under its type and labels.
func (p *hclParser) place(out *node, typ string, labels []string, body *node, start int) error {
	clash := func() error {
		return p.errorAt(start, "invalid-hcl", fmt.Sprintf("%s is used both as an attribute and as a block, or with different numbers of labels", typ),
			"use one form for "+typ)
	}
	cur, key := out, typ
	for _, l := range labels {
		next := cur.get(key)
		switch {
		case next == nil && !hasKey(cur, key):
			next = &node{kind: kindMap, pos: body.pos}
			p.labelMaps[next] = true
			setKey(cur, key, next)
		case !p.labelMaps[next]:
			return clash()
		}
		cur, key = next, l
	}

	prev := cur.get(key)
	switch {
	case prev == nil && !hasKey(cur, key):
		setKey(cur, key, body)
	case p.repeats[prev]:
		prev.vals = append(prev.vals, body)
	case p.bodies[prev]:
		list := &node{kind: kindSeq, pos: prev.pos, vals: []*node{prev, body}}
		p.repeats[list] = true
		setKey(cur, key, list)
	default:
		return clash()
	}
	return nil
}

// expr reads one value. Inside brackets (nested is true) newlines may
// appear between the parts of a value.
func (p *hclParser) expr(depth int, nested bool) (*node, error) {
	if depth > maxDepth {
		return nil, p.errorAt(p.off, "too-deep", fmt.Sprintf("values nested more than %d levels deep", maxDepth), "flatten the file")
	}
	if err := p.count(); err != nil {
		return nil, err
	}
	if err := p.skipSpace(nested); err != nil {
		return nil, err
	}
	start, pos := p.off, p.pos()
	var v *node
	var err error
	switch c := p.peek(); {
	case c == '"':
		var s string
		var tmpl bool
		s, tmpl, err = p.stringLit()
		v = &node{kind: kindScalar, pos: pos, scalar: s, quoted: true}
		if err == nil && tmpl {
			p.unresolved = append(p.unresolved, hclUnresolved{pos: v.pos, text: string(p.data[start:p.off])})
		}
	case c == '<' && p.peekAt(1) == '<':
		v, err = p.heredoc()
	case c == '[':
		v, err = p.tuple(depth)
	case c == '{':
		v, err = p.object(depth)
	case c >= '0' && c <= '9', c == '-' && p.peekAt(1) >= '0' && p.peekAt(1) <= '9', c == '.' && p.peekAt(1) >= '0' && p.peekAt(1) <= '9':
		v, err = p.number()
	default:
		v, err = p.keywordOrReference()
	}
	if err != nil {
		return nil, err
	}
	return v, p.rejectOperator(nested)
}

// rejectOperator fails when an operator follows a value, because the
// parser reads literal values only.
func (p *hclParser) rejectOperator(nested bool) error {
	save := p.off
	if err := p.skipSpace(nested); err != nil {
		return err
	}
	opStart := p.off
	c := p.peek()
	if strings.IndexByte("+-*/%<>?!&|", c) >= 0 || c == '=' && p.peekAt(1) == '=' {
		return p.errorAt(opStart, "unsupported-expression", fmt.Sprintf("operator %q is not supported: Ward reads literal values only", string(c)),
			"replace the expression with its value")
	}
	p.off = save
	return nil
}

// stringLit reads a quoted string. tmpl is true when it holds ${ } or
// %{ } sequences, which are kept as text.
func (p *hclParser) stringLit() (s string, tmpl bool, err error) {
	start := p.off
	p.off++
	var b strings.Builder
	for {
		if p.eof() || p.peek() == '\n' {
			return "", false, p.errorAt(start, "invalid-hcl", "string is not closed", "add the closing quote on the same line, or use a heredoc (<<EOT) for text over several lines")
		}
		c := p.peek()
		switch {
		case c == '"':
			p.off++
			return b.String(), tmpl, nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", false, err
			}
			b.WriteRune(r)
		case (c == '$' || c == '%') && p.peekAt(1) == c && p.peekAt(2) == '{':
			// $${ and %%{ are the escapes for a literal ${ and %{.
			b.WriteByte(c)
			b.WriteByte('{')
			p.off += 3
		case (c == '$' || c == '%') && p.peekAt(1) == '{':
			text, err := p.interpolation()
			if err != nil {
				return "", false, err
			}
			b.WriteString(text)
			tmpl = true
		default:
			r, size := utf8.DecodeRune(p.data[p.off:])
			b.WriteRune(r)
			p.off += size
		}
	}
}

// escape reads one backslash escape of a quoted string.
func (p *hclParser) escape() (rune, error) {
	start := p.off
	p.off++
	c := p.peek()
	p.off++
	switch c {
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case '"':
		return '"', nil
	case '\\':
		return '\\', nil
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if p.off+n > len(p.data) {
			return 0, p.errorAt(start, "invalid-hcl", "incomplete \\"+string(c)+" escape", fmt.Sprintf("write %d hexadecimal digits after \\%c", n, c))
		}
		v, err := strconv.ParseUint(string(p.data[p.off:p.off+n]), 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return 0, p.errorAt(start, "invalid-hcl", "invalid \\"+string(c)+" escape", fmt.Sprintf("write %d hexadecimal digits of a Unicode code point after \\%c", n, c))
		}
		p.off += n
		return rune(v), nil
	}
	return 0, p.errorAt(start, "invalid-hcl", fmt.Sprintf("unknown escape \\%c", c), `use \n, \r, \t, \", \\, \uNNNN or \UNNNNNNNN`)
}

// interpolation reads a ${ } or %{ } sequence inside a string and returns
// its text, braces included.
func (p *hclParser) interpolation() (string, error) {
	start := p.off
	p.nesting++
	defer func() { p.nesting-- }()
	if p.nesting > maxDepth {
		return "", p.errorAt(start, "too-deep", fmt.Sprintf("strings nested inside ${ } more than %d levels deep", maxDepth), "simplify the expression")
	}
	p.off += 2
	level := 1
	for level > 0 {
		if p.eof() || p.peek() == '\n' {
			return "", p.errorAt(start, "invalid-hcl", "${ or %{ in a string is not closed", "add the closing }")
		}
		switch p.peek() {
		case '{':
			level++
		case '}':
			level--
		case '"':
			// A quoted string inside the interpolation may hold braces.
			if _, _, err := p.stringLit(); err != nil {
				return "", err
			}
			continue
		}
		p.off++
	}
	return string(p.data[start:p.off]), nil
}

// heredoc reads <<ID or <<-ID, the lines that follow, and the line that
// closes it. The value keeps the final newline, as HCL does; <<- removes
// the indentation the lines share.
func (p *hclParser) heredoc() (*node, error) {
	start, pos := p.off, p.pos()
	p.off += 2
	flush := p.peek() == '-'
	if flush {
		p.off++
	}
	marker := p.ident()
	if marker == "" {
		return nil, p.syntaxError("expected a heredoc marker such as EOT after <<", "write <<EOT, the text on the following lines, and EOT on a line of its own")
	}
	if err := p.skipSpace(false); err != nil {
		return nil, err
	}
	if p.peek() != '\n' {
		return nil, p.syntaxError("heredoc text must start on the line after <<"+marker, "move the text to the next line")
	}
	p.off++

	var lines []string
	for {
		if p.eof() {
			return nil, p.errorAt(start, "invalid-hcl", "heredoc is not closed: no line with "+marker+" alone", "add a line with "+marker)
		}
		end := bytes.IndexByte(p.data[p.off:], '\n')
		var line string
		if end < 0 {
			line = string(p.data[p.off:])
			p.off = len(p.data)
		} else {
			line = string(p.data[p.off : p.off+end])
			p.off += end + 1
		}
		if strings.TrimSpace(line) == marker {
			// Leave the newline after the marker for the body reader.
			if end >= 0 {
				p.off--
			}
			break
		}
		lines = append(lines, strings.TrimSuffix(line, "\r"))
	}
	if flush {
		lines = trimCommonIndent(lines)
	}
	text := strings.Join(lines, "\n")
	if len(lines) > 0 {
		text += "\n"
	}
	return &node{kind: kindScalar, pos: pos, scalar: text, quoted: true}, nil
}

// trimCommonIndent removes the spaces and tabs that every non-blank line
// starts with.
func trimCommonIndent(lines []string) []string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= common {
			out[i] = l[common:]
		} else {
			out[i] = strings.TrimLeft(l, " \t")
		}
	}
	return out
}

// tuple reads [a, b, ...]; a trailing comma is allowed.
func (p *hclParser) tuple(depth int) (*node, error) {
	start := p.off
	out := &node{kind: kindSeq, pos: p.pos()}
	p.off++
	for {
		if err := p.skipSpace(true); err != nil {
			return nil, err
		}
		if p.eof() {
			return nil, p.errorAt(start, "invalid-hcl", "list is not closed: missing ]", "add the closing bracket")
		}
		if p.peek() == ']' {
			p.off++
			return out, nil
		}
		v, err := p.expr(depth+1, true)
		if err != nil {
			return nil, err
		}
		out.vals = append(out.vals, v)
		if err := p.skipSpace(true); err != nil {
			return nil, err
		}
		if p.eof() {
			return nil, p.errorAt(start, "invalid-hcl", "list is not closed: missing ]", "add the closing bracket")
		}
		switch p.peek() {
		case ',':
			p.off++
		case ']':
		default:
			return nil, p.syntaxError(fmt.Sprintf("expected , or ] in a list, found %s", p.describe()), "separate list items with commas")
		}
	}
}

// object reads { key = value, key: value, ... }; items are separated by
// commas or newlines.
func (p *hclParser) object(depth int) (*node, error) {
	start := p.off
	out := &node{kind: kindMap, pos: p.pos()}
	p.off++
	for {
		if err := p.skipSpace(true); err != nil {
			return nil, err
		}
		if p.eof() {
			return nil, p.errorAt(start, "invalid-hcl", "object is not closed: missing }", "add the closing brace")
		}
		if p.peek() == '}' {
			p.off++
			return out, nil
		}
		keyStart := p.off
		var key string
		if p.peek() == '"' {
			k, tmpl, err := p.stringLit()
			if err != nil {
				return nil, err
			}
			if tmpl {
				return nil, p.errorAt(keyStart, "unsupported-expression", "object key contains ${ } or %{ }", "write the key as plain text")
			}
			key = k
		} else if key = p.ident(); key == "" {
			return nil, p.syntaxError(fmt.Sprintf("expected an object key, found %s", p.describe()), "write key = value")
		}
		if err := p.skipSpace(false); err != nil {
			return nil, err
		}
		if c := p.peek(); c != '=' && c != ':' {
			return nil, p.syntaxError(fmt.Sprintf("expected = or : after object key %q, found %s", key, p.describe()), "write key = value")
		}
		p.off++
		if hasKey(out, key) {
			return nil, p.errorAt(keyStart, "duplicate-attribute", fmt.Sprintf("object key %q appears twice", key), "keep one of the two")
		}
		v, err := p.expr(depth+1, true)
		if err != nil {
			return nil, err
		}
		setKey(out, key, v)
		if err := p.skipSpace(false); err != nil {
			return nil, err
		}
		if p.eof() {
			return nil, p.errorAt(start, "invalid-hcl", "object is not closed: missing }", "add the closing brace")
		}
		switch p.peek() {
		case ',', '\n':
			p.off++
		case '}':
		default:
			return nil, p.syntaxError(fmt.Sprintf("expected , or } in an object, found %s", p.describe()), "separate object items with commas or new lines")
		}
	}
}

// number reads an integer or decimal number with an optional exponent.
func (p *hclParser) number() (*node, error) {
	start, pos := p.off, p.pos()
	if p.peek() == '-' {
		p.off++
	}
	digits := func() int {
		n := 0
		for c := p.peek(); c >= '0' && c <= '9'; c = p.peek() {
			p.off++
			n++
		}
		return n
	}
	digits()
	if p.peek() == '.' {
		p.off++
		if digits() == 0 {
			return nil, p.syntaxError("expected digits after the decimal point", "write a number such as 0.5")
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.off++
		if c := p.peek(); c == '+' || c == '-' {
			p.off++
		}
		if digits() == 0 {
			return nil, p.syntaxError("expected digits in the exponent", "write a number such as 1e3")
		}
	}
	text := string(p.data[start:p.off])
	if _, err := strconv.ParseFloat(text, 64); err != nil {
		return nil, p.errorAt(start, "invalid-hcl", fmt.Sprintf("number %s is out of range", text), "write a smaller number")
	}
	return &node{kind: kindScalar, pos: pos, scalar: text}, nil
}

// keywordOrReference reads true, false, null, or a reference such as
// var.name or import.control.x.description, possibly a function call.
// References are kept as null and listed as unresolved.
func (p *hclParser) keywordOrReference() (*node, error) {
	start, pos := p.off, p.pos()
	name := p.ident()
	if name == "" {
		return nil, p.syntaxError(fmt.Sprintf("expected a value, found %s", p.describe()),
			`write a string in double quotes, a number, true, false, a list [...] or a block`)
	}
	switch name {
	case "true", "false":
		return &node{kind: kindScalar, pos: pos, scalar: name}, nil
	case "null":
		return &node{kind: kindNull, pos: pos}, nil
	case "for", "if":
		return nil, p.errorAt(start, "unsupported-expression", name+" expressions are not supported: Ward reads literal values only", "replace the expression with its value")
	}

	for {
		switch p.peek() {
		case '.':
			p.off++
			if p.peek() == '*' {
				p.off++
				continue
			}
			if p.ident() == "" && p.digitsOnly() == 0 {
				return nil, p.syntaxError("expected a name after . in a reference", "write a reference such as var.name")
			}
			continue
		case '[':
			if err := p.skipBalanced('[', ']'); err != nil {
				return nil, err
			}
			continue
		case '(':
			if err := p.skipBalanced('(', ')'); err != nil {
				return nil, err
			}
			continue
		}
		break
	}
	p.unresolved = append(p.unresolved, hclUnresolved{pos: pos, text: string(p.data[start:p.off])})
	return &node{kind: kindNull, pos: pos}, nil
}

func (p *hclParser) digitsOnly() int {
	n := 0
	for c := p.peek(); c >= '0' && c <= '9'; c = p.peek() {
		p.off++
		n++
	}
	return n
}

// skipBalanced skips from an opening bracket to its match, stepping over
// quoted strings, for the index and argument lists of references.
func (p *hclParser) skipBalanced(open, closing byte) error {
	start := p.off
	level := 0
	for {
		if p.eof() {
			return p.errorAt(start, "invalid-hcl", fmt.Sprintf("%c is not closed", open), fmt.Sprintf("add the closing %c", closing))
		}
		switch p.peek() {
		case open:
			level++
		case closing:
			level--
			if level == 0 {
				p.off++
				return nil
			}
		case '"':
			if _, _, err := p.stringLit(); err != nil {
				return err
			}
			continue
		}
		p.off++
	}
}
