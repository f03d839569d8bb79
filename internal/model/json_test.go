package model

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wardtm/ward/internal/diag"
)

// toJSON converts a YAML document to indented JSON, keeping every scalar's
// text (so 2025-03-01 stays a string and "1.0" stays "1.0") and expanding
// aliases and merge keys the way the decoder does.
func toJSON(t *testing.T, src []byte) []byte {
	t.Helper()
	root, d, ok := parseFull(newSource("", src))
	if !ok {
		t.Fatal(d.Error())
	}
	var b bytes.Buffer
	var write func(n *node, indent string)
	write = func(n *node, indent string) {
		n = resolve(n)
		switch n.Kind {
		case mappingNode:
			d := &decoder{s: newSource("", src), diags: new(diag.List)}
			b.WriteString("{")
			entries, _ := d.pairs(n)
			for i, p := range entries {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString("\n" + indent + "  " + strconv.Quote(p.key.Value) + ": ")
				write(p.val, indent+"  ")
			}
			b.WriteString("\n" + indent + "}")
		case sequenceNode:
			b.WriteString("[")
			for i, item := range n.Content {
				if i > 0 {
					b.WriteString(", ")
				}
				write(item, indent)
			}
			b.WriteString("]")
		default:
			switch n.Tag {
			case "!!int", "!!float", "!!bool", "!!null":
				b.WriteString(n.Value)
			default:
				out, _ := json.Marshal(n.Value)
				b.Write(out)
			}
		}
	}
	write(root, "")
	return b.Bytes()
}

func TestParseJSONMatchesYAML(t *testing.T) {
	src, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	js := toJSON(t, src)
	if !json.Valid(js) {
		t.Fatalf("test helper produced invalid JSON:\n%s", js)
	}

	fromYAML, yamlDiags := Parse("valid.yaml", src, LoadOptions{})
	fromJSON, jsonDiags := Parse("valid.json", js, LoadOptions{})
	if len(yamlDiags) > 0 || len(jsonDiags) > 0 {
		t.Fatalf("diagnostics: YAML %v, JSON %v", yamlDiags, jsonDiags)
	}
	fromYAML.Files, fromJSON.Files = nil, nil
	if diff := cmp.Diff(fromYAML, fromJSON, cmpopts.IgnoreTypes(Source{})); diff != "" {
		t.Errorf("model from JSON differs from model from YAML (-yaml +json):\n%s", diff)
	}
}

func TestParseJSONPositions(t *testing.T) {
	src := `{
  "ward": 1,
  "system": {"id": "j", "name": "JSON", "lifecycle": "development",
             "document": {"id": "TM-J", "version": "1"}},
  "elements": [
    {"id": "a", "kind": "process", "name": "A"},
    {"id": "b", "kind": "store", "nam": "B"}
  ],
  "flows": [{"id": "f", "from": "a", "to": "c"}]
}`
	_, diags := Parse("m.json", []byte(src), LoadOptions{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Pos.String()+" "+d.Code)
	}
	want := []string{"m.json:7:34 unknown-key", "m.json:9:44 unknown-reference"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(JSON) diagnostics (-want +got):\n%s\n%s", diff, strings.Join(got, "\n"))
	}
}
