package model

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// fastParse builds the node tree of a document written in a plain subset of
// YAML, which the loader needs to read a 10,000-element model within its
// time budget. Loading the model of BenchmarkLoad10k takes about 0.3 s of
// CPU time with it and 2.8 s with the full parser, github.com/goccy/go-yaml
// (BenchmarkLoad10kFullParser).
//
// The subset is what generated and most hand-written models use: UTF-8 text
// indented with spaces, keys in ASCII, block mappings and sequences, plain, single- and
// double-quoted one-line scalars without escapes, and one-line flow
// collections. For anything else, fastParse returns false and the caller
// parses the file with the full YAML parser. That covers anchors, aliases,
// tags, block scalars, multi-line scalars, escapes, empty values, document
// markers, non-ASCII characters in keys and flow collections, and every
// syntax error. FuzzFastParse checks that every tree fastParse returns
// equals the full parser's.
func fastParse(src []byte) (*node, bool) {
	p := &fastParser{}
	if !p.split(src) || len(p.lines) == 0 {
		return nil, false
	}
	root, next, ok := p.block(0, p.lines[0].indent)
	if !ok || next != len(p.lines) || root.Kind != mappingNode {
		return nil, false
	}
	return root, true
}

// fastLine is one line with content: its 1-based number, the column of its
// first character and its text without indentation and trailing comment.
type fastLine struct {
	num    int
	indent int // number of leading spaces
	text   string
}

type fastParser struct {
	lines []fastLine
	wide  map[int]string // lines with multi-byte characters, by number
	nodes []node         // block that newNode cuts nodes from
}

// newNode returns a node at a line and a 1-based byte column, which it turns
// into a character column as the full parser counts them.
func (p *fastParser) newNode(kind nodeKind, tag string, line, col int) *node {
	if raw, ok := p.wide[line]; ok && col-1 <= len(raw) {
		col = utf8.RuneCountInString(raw[:col-1]) + 1
	}
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]node, 0, 1024)
	}
	p.nodes = append(p.nodes, node{Kind: kind, Tag: tag, Line: line, Column: col})
	return &p.nodes[len(p.nodes)-1]
}

// split cuts src into content lines, dropping blank and comment lines and
// trailing comments. It fails on control characters (tabs and CR included),
// characters the full parser treats specially, document markers and
// directives.
func (p *fastParser) split(src []byte) bool {
	text := string(src)
	p.lines = make([]fastLine, 0, strings.Count(text, "\n")+1)
	for num := 1; len(text) > 0; num++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		wide := false
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case c >= utf8.RuneSelf:
				wide = true
			case c < 0x20 || c == 0x7F:
				return false
			}
		}
		if wide {
			if !fastText(line) {
				return false
			}
			if p.wide == nil {
				p.wide = map[int]string{}
			}
			p.wide[num] = line
		}
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		content, ok := stripComment(line[indent:])
		if !ok {
			return false
		}
		if content == "" {
			continue
		}
		if num == 1 && strings.HasPrefix(content, "%") || strings.HasPrefix(content, "---") || strings.HasPrefix(content, "...") {
			return false
		}
		p.lines = append(p.lines, fastLine{num: num, indent: indent, text: content})
	}
	return true
}

// fastText reports whether a line with multi-byte characters is valid
// UTF-8 whose characters are all printable in YAML and none a line break.
// U+0085, U+2028 and U+2029 end lines in YAML 1.1, and U+FEFF is a byte
// order mark; the full parser handles those.
func fastText(line string) bool {
	for _, r := range line {
		switch {
		case r == utf8.RuneError, r >= 0x80 && r < 0xA0, r == 0x2028, r == 0x2029,
			r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return utf8.ValidString(line)
}

// stripComment removes a trailing comment and spaces. A # starts a comment
// at the start of the text or after a space, outside quotes.
func stripComment(s string) (string, bool) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				return "", false // escapes are left to the full parser
			}
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return strings.TrimRight(s[:i], " "), true
		}
	}
	return strings.TrimRight(s, " "), true
}

// block parses the block node starting at line i, whose lines are indented
// by indent, and returns it with the index of the first line after it.
func (p *fastParser) block(i, indent int) (*node, int, bool) {
	if isEntry(p.lines[i].text) {
		return p.sequence(i, indent, indent, p.lines[i].text)
	}
	return p.mapping(i, indent, indent, p.lines[i].text)
}

func isEntry(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

// sequence parses a block sequence whose dashes sit at column indent+1. The
// first entry's text may start inside line i, at column col+1, as in a
// compact "- - x" entry.
func (p *fastParser) sequence(i, indent, col int, first string) (*node, int, bool) {
	seq := p.newNode(sequenceNode, "!!seq", p.lines[i].num, col+1)
	text := first
	for {
		line := p.lines[i]
		if text == "-" {
			return nil, 0, false // an entry on the following lines or an empty one
		}
		rest := strings.TrimLeft(text[2:], " ")
		restCol := col + len(text) - len(rest)

		var entry *node
		var ok bool
		next := i + 1
		switch {
		case isEntry(rest):
			return nil, 0, false // nested compact sequence
		case isMapEntry(rest):
			entry, next, ok = p.mapping(i, restCol, restCol, rest)
		default:
			entry, ok = p.inline(rest, line.num, restCol)
			if ok && next < len(p.lines) && p.lines[next].indent > indent {
				ok = false // a continuation line
			}
		}
		if !ok {
			return nil, 0, false
		}
		seq.Content = append(seq.Content, entry)

		// The sequence ends at a shallower line, or at a key on its own
		// indentation when it is the value of that key's sibling.
		if next == len(p.lines) || p.lines[next].indent < indent ||
			p.lines[next].indent == indent && !isEntry(p.lines[next].text) {
			return seq, next, true
		}
		if p.lines[next].indent > indent {
			return nil, 0, false
		}
		i, col, text = next, indent, p.lines[next].text
	}
}

// maxFastKey is the longest key the fast path reads. YAML limits implicit
// keys to 1024 characters; longer keys are left to the full parser, which
// reports them.
const maxFastKey = 256

// isMapEntry reports whether text starts with a simple key and a colon.
func isMapEntry(text string) bool {
	_, _, ok := splitKey(text)
	return ok
}

// splitKey splits "key: value" or "key:". Keys are restricted to characters
// that need no quoting and cannot start another construct.
func splitKey(text string) (key, value string, ok bool) {
	i := strings.IndexByte(text, ':')
	if i <= 0 || i+1 < len(text) && text[i+1] != ' ' {
		return "", "", false
	}
	key = text[:i]
	if len(key) > maxFastKey {
		return "", "", false
	}
	for j := 0; j < len(key); j++ {
		c := key[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' && j > 0 || c == '.' && j > 0) {
			return "", "", false
		}
	}
	return key, strings.TrimLeft(text[i+1:], " "), true
}

// mapping parses a block mapping whose keys sit at column indent+1. The
// first key may start inside line i, at column col+1, as in "- id: x".
func (p *fastParser) mapping(i, indent, col int, first string) (*node, int, bool) {
	m := p.newNode(mappingNode, "!!map", p.lines[i].num, col+1)
	text := first
	for {
		line := p.lines[i]
		key, value, ok := splitKey(text)
		if !ok {
			return nil, 0, false
		}
		keyNode := p.scalar(key, line.num, col+1)
		if keyNode == nil || keyNode.Tag == "!!merge" {
			return nil, 0, false
		}

		var val *node
		next := i + 1
		if value == "" {
			// The value is the block on the following lines: deeper, or a
			// sequence at the key's own indentation.
			if next == len(p.lines) {
				return nil, 0, false
			}
			n := p.lines[next]
			switch {
			case n.indent > indent:
				val, next, ok = p.block(next, n.indent)
			case n.indent == indent && isEntry(n.text):
				val, next, ok = p.sequence(next, indent, indent, n.text)
			default:
				ok = false // an empty value
			}
		} else {
			val, ok = p.inline(value, line.num, col+len(text)-len(value))
			if ok && next < len(p.lines) && p.lines[next].indent > indent {
				ok = false // a continuation line
			}
		}
		if !ok {
			return nil, 0, false
		}
		m.Content = append(m.Content, keyNode, val)

		if next == len(p.lines) || p.lines[next].indent < indent {
			return m, next, true
		}
		if p.lines[next].indent > indent || isEntry(p.lines[next].text) {
			return nil, 0, false
		}
		i, col, text = next, indent, p.lines[next].text
	}
}

// inline parses a value written on one line: a flow collection or a scalar.
// col is the 0-based column where text starts.
func (p *fastParser) inline(text string, line, col int) (*node, bool) {
	if text[0] == '[' || text[0] == '{' {
		n, rest, ok := p.flow(text, line, col)
		return n, ok && rest == ""
	}
	n := p.scalar(text, line, col+1)
	return n, n != nil
}

// flow parses a flow collection at the start of text and returns the text
// after it.
func (p *fastParser) flow(text string, line, col int) (*node, string, bool) {
	open := text[0]
	closeWith := byte(']')
	n := p.newNode(sequenceNode, "!!seq", line, col+1)
	if open == '{' {
		closeWith = '}'
		n.Kind, n.Tag = mappingNode, "!!map"
	}
	at := 1 // index in text
	skip := func() {
		for at < len(text) && text[at] == ' ' {
			at++
		}
	}

	skip()
	if at < len(text) && text[at] == closeWith {
		return n, strings.TrimLeft(text[at+1:], " "), true
	}
	for {
		skip()
		if open == '{' {
			end := at
			for end < len(text) && text[end] != ':' && !strings.ContainsRune(",[]{}\"' ", rune(text[end])) {
				if !flowSafe(text[end]) {
					return nil, "", false
				}
				end++
			}
			if end == at || end+1 >= len(text) || text[end] != ':' || text[end+1] != ' ' {
				return nil, "", false
			}
			key := p.scalar(text[at:end], line, col+at+1)
			if key == nil || key.Tag == "!!merge" || end-at > maxFastKey {
				return nil, "", false
			}
			n.Content = append(n.Content, key)
			at = end + 1
			skip()
		}

		var item *node
		if at >= len(text) {
			return nil, "", false
		}
		switch text[at] {
		case '[', '{':
			sub, rest, ok := p.flow(text[at:], line, col+at)
			if !ok {
				return nil, "", false
			}
			item = sub
			at = len(text) - len(rest)
		default:
			end := at
			if text[at] == '"' || text[at] == '\'' {
				close := strings.IndexByte(text[at+1:], text[at])
				if close < 0 {
					return nil, "", false
				}
				end = at + close + 2
			} else {
				for end < len(text) && !strings.ContainsRune(",[]{}:\"'", rune(text[end])) {
					if !flowSafe(text[end]) {
						return nil, "", false
					}
					end++
				}
			}
			item = p.scalar(strings.TrimRight(text[at:end], " "), line, col+at+1)
			if item == nil {
				return nil, "", false
			}
			at = end
		}
		n.Content = append(n.Content, item)

		skip()
		if at >= len(text) {
			return nil, "", false
		}
		switch text[at] {
		case ',':
			at++
			skip()
			if at < len(text) && text[at] == closeWith {
				return nil, "", false // a trailing comma
			}
		case closeWith:
			return n, strings.TrimLeft(text[at+1:], " "), true
		default:
			return nil, "", false
		}
	}
}

// flowSafe reports whether c may appear in a plain scalar inside a flow
// collection on the fast path. Flow context gives more characters a special
// meaning than block context does, so the fast path keeps to a plain set.
func flowSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(" ._/@+-", c) >= 0
}

// scalar returns the node of a one-line scalar at column col (1-based), or
// nil when it is outside the subset.
func (p *fastParser) scalar(text string, line, col int) *node {
	if text == "" {
		return nil
	}
	switch c := text[0]; {
	case c == '"' || c == '\'':
		if len(text) < 2 || text[len(text)-1] != c || strings.IndexByte(text[1:len(text)-1], c) >= 0 {
			return nil
		}
		n := p.newNode(scalarNode, "!!str", line, col)
		n.Value = text[1 : len(text)-1]
		return n
	case strings.IndexByte("?:,[]{}#&*!|>%@`", c) >= 0, c == '-' && (len(text) == 1 || text[1] == ' '):
		return nil
	}
	if strings.Contains(text, ": ") || strings.Contains(text, " #") || strings.HasSuffix(text, ":") {
		return nil
	}
	tag, ok := plainTag(text)
	if !ok {
		return nil
	}
	n := p.newNode(scalarNode, tag, line, col)
	n.Value = text
	return n
}

// Plain scalars that resolve to something other than a string. plainTag
// decides a subset of what resolvePlain does, independently of it, so that
// FuzzFastParse compares two implementations.
var (
	plainWords = map[string]string{
		"true": "!!bool", "True": "!!bool", "TRUE": "!!bool",
		"false": "!!bool", "False": "!!bool", "FALSE": "!!bool",
		"~": "!!null", "null": "!!null", "Null": "!!null", "NULL": "!!null",
		".nan": "!!float", ".NaN": "!!float", ".NAN": "!!float",
		".inf": "!!float", ".Inf": "!!float", ".INF": "!!float",
		"+.inf": "!!float", "+.Inf": "!!float", "+.INF": "!!float",
		"-.inf": "!!float", "-.Inf": "!!float", "-.INF": "!!float",
		"<<": "!!merge",
	}
	floatPattern = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	datePattern  = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$`)
)

// plainTag returns the tag the full parser resolves a plain scalar to. It
// returns false for forms it does not decide, such as date-times, so the
// caller falls back to the full parser.
func plainTag(s string) (string, bool) {
	if tag, ok := plainWords[s]; ok {
		return tag, true
	}
	switch c := s[0]; {
	case c == '.':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return "!!float", true
		}
		return "!!str", true
	case c >= '0' && c <= '9' || c == '+' || c == '-':
	default:
		return "!!str", true
	}

	// Numbers and dates. Four digits and a dash may start a timestamp.
	if len(s) > 4 && s[4] == '-' && strings.Trim(s[:4], "0123456789") == "" {
		if !datePattern.MatchString(s) {
			return "", false
		}
		if _, err := time.Parse("2006-1-2", s); err == nil {
			return "!!timestamp", true
		}
	}
	digits := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(digits, 0, 64); err == nil {
		return "!!int", true
	}
	if _, err := strconv.ParseUint(digits, 0, 64); err == nil {
		return "!!int", true
	}
	if floatPattern.MatchString(digits) {
		if _, err := strconv.ParseFloat(digits, 64); err == nil {
			return "!!float", true
		}
	}
	for _, prefix := range []string{"0b", "-0b", "0o", "-0o"} {
		if strings.HasPrefix(digits, prefix) {
			return "", false
		}
	}
	return "!!str", true
}
