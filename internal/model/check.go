package model

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// item is one mapping under check: its Source and the field path that
// leads to it. The path is rendered only when a diagnostic needs it, which
// keeps validating a model of 40,000 items free of string building.
type item struct {
	v     *validator
	src   *Source
	list  string // the top-level key, such as flows
	index int    // index in that list, or -1 for a section that is not a list
	sub   string // a nested key path below the list item, such as protocol
}

func (it item) path(key string) string {
	var b strings.Builder
	b.WriteString(it.list)
	if it.index >= 0 {
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(it.index))
		b.WriteByte(']')
	}
	for _, part := range []string{it.sub, key} {
		if part != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(part)
		}
	}
	return b.String()
}

// child returns the item for a nested mapping under key.
func (it item) child(src *Source, key string) item {
	sub := key
	if it.sub != "" {
		sub = it.sub + "." + key
	}
	return item{v: it.v, src: src, list: it.list, index: it.index, sub: sub}
}

// required reports key when value is empty. A key that is not written at
// all is reported at the mapping that should contain it.
func (it item) required(key, value string) bool {
	if strings.TrimSpace(value) != "" {
		return true
	}
	if it.src.HasField(key) {
		it.v.add(it.src.FieldPos(key), "missing-value", it.path(key),
			fmt.Sprintf("%s is empty", key), fmt.Sprintf("write a value for %s", key))
	} else {
		it.v.add(it.src.Pos(), "missing-key", it.path(key),
			fmt.Sprintf("required key %s is missing", key), fmt.Sprintf("add %s: to this %s", key, it.noun()))
	}
	return false
}

// noun names the item kind for messages: flow, element, system, ...
func (it item) noun() string {
	if it.sub != "" {
		return it.sub[strings.LastIndexByte(it.sub, '.')+1:]
	}
	if it.index >= 0 {
		return singular(it.list)
	}
	if it.list == "" {
		return "model"
	}
	return it.list
}

func singular(list string) string {
	switch list {
	case "data":
		return "data item"
	case "dependencies":
		return "dependency"
	case "boundaries":
		return "boundary"
	case "vulnerabilities":
		return "vulnerability decision"
	case "use_cases":
		return "use case"
	}
	return strings.TrimSuffix(list, "s")
}

// oneOf reports value when it is set and not one of the allowed values.
func (it item) oneOf(key, value string, allowed []string) {
	if value == "" || slices.Contains(allowed, value) {
		return
	}
	fix := "use one of: " + strings.Join(allowed, ", ")
	if best := diag.Closest(value, allowed); best != "" {
		fix = fmt.Sprintf("did you mean %q? (allowed: %s)", best, strings.Join(allowed, ", "))
	}
	it.v.add(it.src.FieldPos(key), "invalid-value", it.path(key),
		fmt.Sprintf("%s %q is not an allowed value", key, value), fix)
}

// oneOfOpen is oneOf for an extensible vocabulary: the fix also says how
// to define a new value under section.
func (it item) oneOfOpen(key, value string, allowed []string, section string) {
	if value == "" || slices.Contains(allowed, value) {
		return
	}
	fix := fmt.Sprintf("use one of: %s; or define %q under %s: with an id", strings.Join(allowed, ", "), value, section)
	if best := diag.Closest(value, allowed); best != "" {
		fix = fmt.Sprintf("did you mean %q? To use %q itself, define it under %s: with an id", best, value, section)
	}
	it.v.add(it.src.FieldPos(key), "invalid-value", it.path(key),
		fmt.Sprintf("%s %q is not a built-in value or one the model defines", key, value), fix)
}

// oneOfEach is oneOf for every entry of a list.
func (it item) oneOfEach(key string, values []string, allowed []string) {
	for i, value := range values {
		if value == "" || slices.Contains(allowed, value) {
			continue
		}
		fix := "use one of: " + strings.Join(allowed, ", ")
		if best := diag.Closest(value, allowed); best != "" {
			fix = fmt.Sprintf("did you mean %q?", best)
		}
		it.v.add(it.src.ItemPos(key, i), "invalid-value", fmt.Sprintf("%s[%d]", it.path(key), i),
			fmt.Sprintf("%s entry %q is not an allowed value", key, value), fix)
	}
}

// ref reports value when it names no item of the given kinds.
func (it item) ref(key, value string, kinds ...idKind) {
	if value == "" {
		return
	}
	it.v.checkRef(it.src.FieldPos(key), func() string { return it.path(key) }, value, kinds)
}

// refs is ref for every entry of a list.
func (it item) refs(key string, values []string, kinds ...idKind) {
	for i, value := range values {
		if value == "" {
			it.v.add(it.src.ItemPos(key, i), "missing-value", fmt.Sprintf("%s[%d]", it.path(key), i),
				fmt.Sprintf("%s entry is empty", key), "write an ID or remove the entry")
			continue
		}
		it.v.checkRef(it.src.ItemPos(key, i), func() string { return fmt.Sprintf("%s[%d]", it.path(key), i) }, value, kinds)
	}
}

// date reports a value that is not a valid YYYY-MM-DD calendar date.
func (it item) date(key string, value Date) {
	if value.IsZero() {
		return
	}
	if problem := DateProblem(string(value)); problem != "" {
		it.v.add(it.src.FieldPos(key), "invalid-date", it.path(key),
			fmt.Sprintf("%s %q is not a valid date", key, string(value)), problem)
	}
}

// cvss reports a malformed CVSS vector.
func (it item) cvss(key, vector string) {
	if vector == "" {
		return
	}
	if problem := checkCVSS(vector); problem != "" {
		it.v.add(it.src.FieldPos(key), "invalid-cvss", it.path(key),
			fmt.Sprintf("CVSS vector %s: %s", quoteValue(vector), problem),
			"write a vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H or CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
	}
}

// glob reports a pattern that path.Match cannot use.
func (it item) glob(key, pattern string) {
	if pattern == "" {
		return
	}
	if _, err := path.Match(pattern, ""); err != nil {
		it.v.add(it.src.FieldPos(key), "invalid-pattern", it.path(key),
			fmt.Sprintf("pattern %q is malformed: %v", pattern, err),
			"use * and ? as wildcards and close every [ with ]")
	}
}

// pattern reports each entry of a list that does not match re.
func (it item) patternEach(key string, values []string, re *regexp.Regexp, example string) {
	for i, value := range values {
		if !re.MatchString(value) {
			it.v.add(it.src.ItemPos(key, i), "invalid-value", fmt.Sprintf("%s[%d]", it.path(key), i),
				fmt.Sprintf("%s entry %q is malformed", key, value), "write it as "+example)
		}
	}
}
