package model

import (
	"strings"
	"testing"
)

// fullPath is a line that no fast-path file contains, so a test input that
// starts with it is read by the full YAML parser.
const fullPath = "x-a: &a 1\n"

// TestParseFullPositions checks positions on the full YAML parser where
// goccy/go-yaml v1.19.2 reports them differently from the YAML text:
// plain scalars before trailing spaces, CR LF line breaks and values in
// flow collections.
func TestParseFullPositions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		pos  string // of the first diagnostic
		code string
	}{
		{"trailing spaces after a value", fullPath + "ward: 1\nsystem:  \n  id: x  \n  lifecycle: sometimes   \n", "t.yaml:5:14", "invalid-value"},
		{"trailing tab and space", fullPath + "ward: 1\nsystem:\n  id: x\n  lifecycle:   sometimes\t \n", "t.yaml:5:16", "invalid-value"},
		{"trailing spaces in a folded plain value", fullPath + "ward: 1\nsystem:\n  id: x\n  lifecycle: some  \n    times\n", "t.yaml:5:14", "invalid-value"},
		{"CR LF line breaks", "# comment\r\n" + fullPath + "ward: 1\r\n# more\r\nsystem:\r\n  lifecycel: x\r\n", "t.yaml:6:3", "unknown-key"},
		{"lone CR line breaks", fullPath + "ward: 1\rsystem:\r  lifecycel: x\r", "t.yaml:4:3", "unknown-key"},
		{"value in a flow list", fullPath + "ward: 1\nsystem: {lifecycle: [a  , b]}\n", "t.yaml:3:21", "wrong-type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("t.yaml", []byte(tt.src), LoadOptions{})
			for _, d := range diags {
				if d.Code == tt.code {
					if d.Pos.String() != tt.pos {
						t.Errorf("Parse %s at %s, want %s\nall:\n%v", tt.code, d.Pos, tt.pos, diags)
					}
					return
				}
			}
			t.Errorf("Parse gave no %s diagnostic; all:\n%v", tt.code, diags)
		})
	}
}

// TestParseFullRejects checks YAML that goccy/go-yaml v1.19.2 handles
// differently from the YAML specification, and which the loader reports
// all the same.
func TestParseFullRejects(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		code    string
		pos     string
		summary string
	}{
		{"tag on the last line", fullPath + "ward: 1\nsystem: !pump", "unsupported-tag", "t.yaml:3:9", "tag !pump"},
		{"lone tag without line break", "!thing", "unsupported-tag", "t.yaml:1:1", "tag !thing"},
		{"value not indented under its key", fullPath + "ward:\n1\n", "syntax-error", "t.yaml:3:1", "indented under the key above"},
		{"key over two lines", fullPath + "\"ward\n  x\": 1\n", "syntax-error", "t.yaml:2:1", "invalid YAML"},
		{"key over two lines in a flow mapping", fullPath + "x: {\"a\n  b\": 1}\n", "syntax-error", "t.yaml:2:5", "on one line"},
		{"key longer than 1024 characters", fullPath + strings.Repeat("k", 1025) + ": 1\n", "syntax-error", "t.yaml:2:1", "longer than 1024"},
		{"flow mapping as key", fullPath + "{a: b}: c\n", "invalid-key", "t.yaml:2:1", "mapping key is a mapping"},
		{"flow list as explicit key", fullPath + "? [a, b]\n: c\n", "invalid-key", "t.yaml:2:3", "mapping key is a list"},
		{"alias before its anchor", "ward: *v\nx-v: &v 1\n", "syntax-error", "t.yaml:1:7", "alias *v names no anchor"},
		{"second document after a directive", "%YAML 1.2\n---\nward: 1\n---\nward: 1\n", "multiple-documents", "t.yaml:4:1", "more than one YAML document"},
		{"empty document", "---\n", "empty-file", "t.yaml:1:1", "empty YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("t.yaml", []byte(tt.src), LoadOptions{})
			if len(diags) == 0 {
				t.Fatalf("Parse gave no diagnostics, want %s", tt.code)
			}
			d := diags[0]
			if d.Code != tt.code || d.Pos.String() != tt.pos || !strings.Contains(d.Summary, tt.summary) {
				t.Errorf("Parse first diagnostic = %s [%s], want %s: ...%s... [%s]\nall:\n%v", d.Error(), d.Code, tt.pos, tt.summary, tt.code, diags)
			}
		})
	}
}

// TestParseFullValues checks the values and tags that the full parser
// gives to scalars, which the decoder relies on.
func TestParseFullValues(t *testing.T) {
	src := fullPath + `plain: 3.10
quoted: "3.10"
tagged: !!str 3.10
verbatim: !<tag:yaml.org,2002:str> 3.10
octal: 089
hex: 0x1F
date: 2025-03-01
stamp: 2025-03-01T10:00:00Z
word: yes
empty:
null: ~
literal: |
  line one
  line two
folded: >-
  one
  two
escaped: "tab\there"
`
	want := map[string]struct{ tag, value string }{
		"plain":    {"!!float", "3.10"},
		"quoted":   {"!!str", "3.10"},
		"tagged":   {"!!str", "3.10"},
		"verbatim": {"!!str", "3.10"},
		"octal":    {"!!float", "089"},
		"hex":      {"!!int", "0x1F"},
		"date":     {"!!timestamp", "2025-03-01"},
		"stamp":    {"!!timestamp", "2025-03-01T10:00:00Z"},
		"word":     {"!!str", "yes"},
		"empty":    {"!!null", ""},
		"null":     {"!!null", "~"},
		"literal":  {"!!str", "line one\nline two\n"},
		"folded":   {"!!str", "one two"},
		"escaped":  {"!!str", "tab\there"},
	}
	root, d, ok := parseFull(newSource("v.yaml", []byte(src)))
	if !ok {
		t.Fatalf("parseFull: %s", d.Error())
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, root.Content[i+1]
		w, ok := want[key]
		if !ok {
			continue
		}
		if val.Tag != w.tag || val.Value != w.value {
			t.Errorf("%s: tag %s value %q, want tag %s value %q", key, val.Tag, val.Value, w.tag, w.value)
		}
		delete(want, key)
	}
	for key := range want {
		t.Errorf("key %s missing from the tree", key)
	}
}

// TestParseFullListOfMappings checks that the count of keys per mapping
// starts again for each list item, so a long list of small mappings is
// not mistaken for one wide mapping.
func TestParseFullListOfMappings(t *testing.T) {
	src := fullPath + "ward: 1\nx-list:\n" + strings.Repeat("- id: a\n  name: b\n", 2*MaxMappingKeys)
	_, diags := Parse("l.yaml", []byte(src), LoadOptions{})
	for _, d := range diags {
		if d.Code == "too-many-keys" || d.Code == "syntax-error" {
			t.Errorf("Parse(list of %d mappings) = %s", 2*MaxMappingKeys, d.Error())
		}
	}
}
