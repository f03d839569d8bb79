package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// parseJSON builds the same node tree as the YAML parser from a JSON
// document, with the line and column of every value. JSON is meant to be
// YAML, but a file that is valid JSON is read by encoding/json instead.
// YAML parsers differ in which JSON they accept (some reject the escape
// \/), and encoding/json reads a large file several times faster than the
// full YAML parser. The caller has already checked the bytes with
// json.Valid.
func parseJSON(s *source) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(s.src))
	dec.UseNumber()

	// start returns the position of the next token: the first byte after
	// the previous token that is not white space or a separator.
	start := func() (line, col int) {
		off := int(dec.InputOffset())
		for off < len(s.src) {
			switch s.src[off] {
			case ' ', '\t', '\r', '\n', ',', ':':
				off++
				continue
			}
			break
		}
		p := s.posAt(off)
		return p.Line, p.Col
	}

	var root *node
	var stack []*node
	for {
		line, col := start()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading JSON: %w", err)
		}

		var n *node
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				n = &node{Kind: mappingNode, Tag: tagMap}
			case '[':
				n = &node{Kind: sequenceNode, Tag: tagSeq}
			default: // } or ]
				stack = stack[:len(stack)-1]
				continue
			}
		case string:
			n = &node{Kind: scalarNode, Tag: tagStr, Value: v}
		case json.Number:
			tag := "!!float"
			if _, err := v.Int64(); err == nil {
				tag = "!!int"
			}
			n = &node{Kind: scalarNode, Tag: tag, Value: v.String()}
		case bool:
			n = &node{Kind: scalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}
		case nil:
			n = &node{Kind: scalarNode, Tag: "!!null", Value: "null"}
		}
		n.Line, n.Column = line, col

		if len(stack) == 0 {
			root = n
		} else {
			parent := stack[len(stack)-1]
			parent.Content = append(parent.Content, n)
		}
		if n.Kind != scalarNode {
			stack = append(stack, n)
		}
	}
	return root, nil
}
