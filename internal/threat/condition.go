package threat

import (
	"strings"

	"github.com/wardtm/ward/internal/catalog"
)

// Condition operators of catalog.Condition.Op.
const (
	opEq       = "eq"
	opIn       = "in"
	opExists   = "exists"
	opContains = "contains"
	opAtLeast  = "at_least"
	opNotIn    = "not_in"
)

// Match reports whether the facts satisfy the condition. A nil condition
// matches everything. Matching only compares values: no part of a condition
// is ever run as code.
//
// An unset fact fails every test except {exists: false}, so "not encrypted"
// must be written as not: {encryption: true} to include stores whose
// encryption is unknown. String comparisons ignore case.
func Match(c *catalog.Condition, f *Facts) bool {
	if c == nil {
		return true
	}
	switch {
	case c.All != nil:
		for _, sub := range c.All {
			if !Match(sub, f) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, sub := range c.Any {
			if Match(sub, f) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !Match(c.Not, f)
	case c.Fact != "":
		return matchFact(c, f)
	}
	return true
}

func matchFact(c *catalog.Condition, f *Facts) bool {
	v, set := f.Lookup(c.Fact)
	return matchValue(c.Op, c.Values, v, set)
}

// matchValue applies one fact test to a fact's value.
func matchValue(op string, values []any, v Value, set bool) bool {
	if op == "" {
		op = opIn
	}

	if op == opExists {
		want := true
		if len(values) > 0 {
			want = truthy(values[0])
		}
		return set == want
	}
	if !set {
		return false
	}

	switch op {
	case opEq, opIn:
		return equalsAny(v, values)
	case opNotIn:
		return !equalsAny(v, values)
	case opContains:
		return equalsAny(v, values)
	case opAtLeast:
		if len(values) == 0 {
			return false
		}
		want, ok := scalarString(values[0])
		have, okHave := levelRank[strings.ToLower(v.Str)]
		need, okNeed := levelRank[strings.ToLower(want)]
		return ok && okHave && okNeed && have >= need
	}
	return false
}

// equalsAny reports whether the value equals one of wants; a list value
// matches when it contains one of them.
func equalsAny(v Value, wants []any) bool {
	for _, w := range wants {
		if equals(v, w) {
			return true
		}
	}
	return false
}

func equals(v Value, want any) bool {
	switch v.Type {
	case catalog.Bool:
		b, ok := asBool(want)
		return ok && b == v.Bool
	case catalog.List:
		s, ok := scalarString(want)
		if !ok {
			return false
		}
		for _, item := range v.List {
			if strings.EqualFold(item, s) {
				return true
			}
		}
		return false
	}
	s, ok := scalarString(want)
	return ok && strings.EqualFold(v.Str, s)
}

// asBool accepts a YAML boolean, or the strings true and false that a rule
// author may have quoted.
func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func truthy(v any) bool {
	b, ok := asBool(v)
	return ok && b
}

// mentionsFact reports whether a condition tests the named fact anywhere.
func mentionsFact(c *catalog.Condition, fact string) bool {
	if c == nil {
		return false
	}
	if c.Fact == fact {
		return true
	}
	for _, sub := range c.All {
		if mentionsFact(sub, fact) {
			return true
		}
	}
	for _, sub := range c.Any {
		if mentionsFact(sub, fact) {
			return true
		}
	}
	return mentionsFact(c.Not, fact)
}

// matchExcept is Match with the tests of the skipped facts counted as
// passing: true where the test stands under an even number of not, false
// under an odd number, so that skipping a test never makes the condition
// fail. positive is true at the top.
func matchExcept(c *catalog.Condition, f *Facts, skipped map[string]bool, positive bool) bool {
	if c == nil {
		return true
	}
	switch {
	case c.All != nil:
		for _, sub := range c.All {
			if !matchExcept(sub, f, skipped, positive) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, sub := range c.Any {
			if matchExcept(sub, f, skipped, positive) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !matchExcept(c.Not, f, skipped, !positive)
	case c.Fact != "":
		if skipped[c.Fact] {
			return positive
		}
		return matchFact(c, f)
	}
	return true
}

// factsOf returns the names of the facts a condition tests.
func factsOf(c *catalog.Condition) map[string]bool {
	names := make(map[string]bool)
	var walk func(*catalog.Condition)
	walk = func(c *catalog.Condition) {
		if c == nil {
			return
		}
		if c.Fact != "" {
			names[c.Fact] = true
		}
		for _, sub := range c.All {
			walk(sub)
		}
		for _, sub := range c.Any {
			walk(sub)
		}
		walk(c.Not)
	}
	walk(c)
	return names
}
