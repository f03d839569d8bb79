package catalog

import (
	"fmt"
	"strings"
)

// FormatCondition renders a condition in one line for people, for example
// "memory_safe = false and parses_external_input = true". It returns
// "every target" for a nil condition.
func FormatCondition(c *Condition) string {
	if c == nil {
		return "every target"
	}
	return formatCondition(c, false)
}

func formatCondition(c *Condition, nested bool) string {
	switch {
	case c.All != nil:
		return joinConditions(c.All, " and ", nested)
	case c.Any != nil:
		return joinConditions(c.Any, " or ", nested)
	case c.Not != nil:
		inner := formatCondition(c.Not, true)
		if !strings.HasPrefix(inner, "(") {
			inner = "(" + inner + ")"
		}
		return "not " + inner
	}
	values := formatValues(c.Values)
	switch c.Op {
	case OpEq:
		return c.Fact + " = " + values
	case OpIn:
		return c.Fact + " in " + values
	case OpNotIn:
		return c.Fact + " not in " + values
	case OpContains:
		return c.Fact + " contains " + values
	case OpAtLeast:
		return c.Fact + " >= " + values
	case OpExists:
		if len(c.Values) == 1 && c.Values[0] == false {
			return c.Fact + " is unset"
		}
		return c.Fact + " is set"
	}
	return c.Fact + " " + c.Op + " " + values
}

func joinConditions(cs []*Condition, sep string, nested bool) string {
	parts := make([]string, len(cs))
	for i, sub := range cs {
		parts[i] = formatCondition(sub, true)
	}
	s := strings.Join(parts, sep)
	if nested && len(cs) > 1 {
		return "(" + s + ")"
	}
	return s
}

func formatValues(vs []any) string {
	if len(vs) == 1 {
		return fmt.Sprint(vs[0])
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// IDs lists the reference IDs in catalog order: CAPEC, CWE,
// ATT&CK, EMB3D.
func (r References) IDs() []string {
	var out []string
	out = append(out, r.CAPEC...)
	out = append(out, r.CWE...)
	out = append(out, r.ATTACK...)
	return append(out, r.EMB3D...)
}
