package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"

	"github.com/wardtm/ward/internal/diag"
)

// jsonObjectOffsets returns the position of every object in the top-level
// array named key and, when nested is true, of objects in arrays of the same
// name inside those objects, in document order. The decoders of
// cyclonedx-go and tools-golang keep no positions, so this second pass
// supplies them.
func jsonObjectOffsets(li *lineIndex, key string, nested bool) ([]diag.Pos, error) {
	type frame struct {
		object    bool
		wantKey   bool
		key       string // current key of an object, or the key an array sits under
		component bool
	}

	dec := json.NewDecoder(bytes.NewReader(li.data))
	var stack []frame
	var out []diag.Pos
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, jsonError(li, err)
		}

		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if key, ok := tok.(string); ok && top != nil && top.object && top.wantKey {
			top.key = key
			top.wantKey = false
			continue
		}

		switch tok {
		case json.Delim('{'):
			component := false
			if top != nil && !top.object && top.key == key && len(stack) >= 2 {
				parent := stack[len(stack)-2]
				if len(stack) == 2 || nested && parent.component {
					component = true
					out = append(out, li.pos(int(dec.InputOffset())-1))
				}
			}
			stack = append(stack, frame{object: true, wantKey: true, component: component})
		case json.Delim('['):
			k := ""
			if top != nil && top.object {
				k = top.key
			}
			stack = append(stack, frame{key: k})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
		default:
			if top != nil && top.object {
				top.wantKey = true
			}
		}
		if len(stack) > maxDepth {
			return nil, errorf(li.pos(int(dec.InputOffset())), "", "JSON nested deeper than %d levels", maxDepth)
		}
	}
}

// xmlComponentPositions returns the position of every <component> under
// <bom><components> and of components nested in those, in document order.
func xmlComponentPositions(name string, data []byte) ([]diag.Pos, error) {
	li := newLineIndex(name, data)
	dec := xml.NewDecoder(bytes.NewReader(data))
	type frame struct {
		local     string
		component bool
	}
	var stack []frame
	var out []diag.Pos
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line, _ := dec.InputPos()
			return nil, errorf(diag.Pos{File: name, Line: line}, "", "invalid XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			component := false
			if t.Name.Local == "component" && len(stack) >= 2 && stack[len(stack)-1].local == "components" {
				grand := stack[len(stack)-2]
				if len(stack) == 2 && grand.local == "bom" || grand.component {
					component = true
					for start < len(data) && data[start] != '<' {
						start++
					}
					out = append(out, li.pos(start))
				}
			}
			stack = append(stack, frame{local: t.Name.Local, component: component})
			if len(stack) > maxDepth {
				line, _ := dec.InputPos()
				return nil, errorf(diag.Pos{File: name, Line: line}, "", "XML nested deeper than %d levels", maxDepth)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}
