package model

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// nodeKind is the kind of a node in the loader's document tree.
type nodeKind uint8

const (
	scalarNode nodeKind = iota + 1
	mappingNode
	sequenceNode
	aliasNode
)

// node is one node of a parsed YAML or JSON document. The full YAML parser
// (yamltree.go), the fast path (fastyaml.go) and the JSON reader
// (jsonnode.go) all build this tree, and the decoder reads only this tree.
type node struct {
	Kind nodeKind

	// Tag is the node's tag in short form, such as !!str or !!int. For a
	// node without an explicit tag, it is the tag that resolvePlain gives a
	// plain scalar, !!str for a quoted one, or !!map or !!seq. For a tagged
	// node, it is the tag as written.
	Tag    string
	Tagged bool // whether the tag was written in the file

	// Value is the text of a scalar after unquoting, escapes and line
	// folding, or the anchor name of an alias.
	Value string

	// Anchor is the name of the anchor (&name) on the node, if any.
	Anchor string
	// Alias is the node an alias node refers to.
	Alias *node

	// Content holds a sequence's items, or a mapping's keys and values
	// alternately.
	Content []*node

	// Line and Column give where the node starts, 1-based, with the column
	// counted in characters. A node with an anchor or tag starts at the
	// first of them.
	Line, Column int
}

// Tags of the YAML core schema that the loader resolves plain scalars to.
const (
	tagStr       = "!!str"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagBool      = "!!bool"
	tagNull      = "!!null"
	tagTimestamp = "!!timestamp"
	tagMerge     = "!!merge"
	tagMap       = "!!map"
	tagSeq       = "!!seq"
)

// coreTagPrefix is the prefix that the short !! form of a tag stands for.
const coreTagPrefix = "tag:yaml.org,2002:"

// shortTag writes a verbatim core tag such as !<tag:yaml.org,2002:str> in
// its short form !!str and returns any other tag unchanged.
func shortTag(tag string) string {
	if rest, ok := strings.CutPrefix(tag, "!<"+coreTagPrefix); ok && strings.HasSuffix(rest, ">") {
		return "!!" + strings.TrimSuffix(rest, ">")
	}
	return tag
}

// plainValues are the plain scalars that resolve by their exact text.
var plainValues = map[string]string{
	"": tagNull, "~": tagNull, "null": tagNull, "Null": tagNull, "NULL": tagNull,
	"true": tagBool, "True": tagBool, "TRUE": tagBool,
	"false": tagBool, "False": tagBool, "FALSE": tagBool,
	".nan": tagFloat, ".NaN": tagFloat, ".NAN": tagFloat,
	".inf": tagFloat, ".Inf": tagFloat, ".INF": tagFloat,
	"+.inf": tagFloat, "+.Inf": tagFloat, "+.INF": tagFloat,
	"-.inf": tagFloat, "-.Inf": tagFloat, "-.INF": tagFloat,
	"<<": tagMerge,
}

// yamlFloat matches the decimal floats of the YAML core schema, with the
// underscores already removed.
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// timestampLayouts are the forms of !!timestamp that plain scalars resolve
// to; the date fields may have one or two digits.
var timestampLayouts = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// resolvePlain returns the tag of a plain (unquoted, untagged) scalar. It
// follows the YAML 1.2 core schema with the additions that the loader has
// accepted since its first version, when it resolved scalars with the
// yaml/v3 package. Integers may contain underscores and use the 0x, 0o, 0b
// and leading-zero octal forms. Dates and date-times resolve to
// !!timestamp. Words such as yes, no, on and off stay strings, so boolean
// fields reject them. goccy/go-yaml's own token types are not used,
// because they differ (it reads 089 as a string, for example).
func resolvePlain(text string) string {
	if tag, ok := plainValues[text]; ok {
		return tag
	}
	switch c := text[0]; {
	case c == '.':
		if _, err := strconv.ParseFloat(text, 64); err == nil {
			return tagFloat
		}
		return tagStr
	case c >= '0' && c <= '9' || c == '+' || c == '-':
	default:
		return tagStr
	}

	if isTimestamp(text) {
		return tagTimestamp
	}
	digits := strings.ReplaceAll(text, "_", "")
	if _, err := strconv.ParseInt(digits, 0, 64); err == nil {
		return tagInt
	}
	if _, err := strconv.ParseUint(digits, 0, 64); err == nil {
		return tagInt
	}
	if yamlFloat.MatchString(digits) {
		if _, err := strconv.ParseFloat(digits, 64); err == nil {
			return tagFloat
		}
	}
	for _, form := range []struct {
		prefix, sign string
		base         int
	}{{"0b", "", 2}, {"-0b", "-", 2}, {"0o", "", 8}, {"-0o", "-", 8}} {
		rest, ok := strings.CutPrefix(digits, form.prefix)
		if !ok {
			continue
		}
		if _, err := strconv.ParseInt(form.sign+rest, form.base, 64); err == nil {
			return tagInt
		}
		if _, err := strconv.ParseUint(rest, form.base, 64); err == nil && form.sign == "" {
			return tagInt
		}
	}
	return tagStr
}

// isTimestamp reports whether text is a date or date-time in one of the
// timestampLayouts. All of them start with four digits and a dash.
func isTimestamp(text string) bool {
	if len(text) < 5 || text[4] != '-' || strings.Trim(text[:4], "0123456789") != "" {
		return false
	}
	for _, layout := range timestampLayouts {
		if _, err := time.Parse(layout, text); err == nil {
			return true
		}
	}
	return false
}
