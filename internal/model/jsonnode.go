package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// parseJSON builds the same node tree as the YAML parser from a JSON
// document, with the line and column of every value. JSON is meant to be
// YAML, but go.yaml.in/yaml/v3 rejects some valid JSON (the escape \/ for
// one), so a file that is valid JSON is read by encoding/json instead.
// The caller has already checked the bytes with json.Valid.
func parseJSON(s *source) (*yaml.Node, error) {
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

	var root *yaml.Node
	var stack []*yaml.Node
	for {
		line, col := start()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading JSON: %w", err)
		}

		var n *yaml.Node
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
			case '[':
				n = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
			default: // } or ]
				stack = stack[:len(stack)-1]
				continue
			}
		case string:
			n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.DoubleQuotedStyle}
		case json.Number:
			tag := "!!float"
			if _, err := v.Int64(); err == nil {
				tag = "!!int"
			}
			n = &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.String()}
		case bool:
			n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}
		case nil:
			n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		}
		n.Line, n.Column = line, col

		if len(stack) == 0 {
			root = n
		} else {
			parent := stack[len(stack)-1]
			parent.Content = append(parent.Content, n)
		}
		if n.Kind != yaml.ScalarNode {
			stack = append(stack, n)
		}
	}
	return root, nil
}
