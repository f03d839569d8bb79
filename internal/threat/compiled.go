package threat

import (
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/catalog"
)

// compiledCondition is a catalog.Condition with its fact names resolved to
// slots of Facts, so evaluating a rule on tens of thousands of targets does
// no name lookups. It matches exactly as Match does.
type compiledCondition struct {
	all, any []*compiledCondition
	not      *compiledCondition
	// fact is the slot of the tested fact; factAttribute means attribute
	// names the key, factUnknown a name no target has.
	fact      int
	attribute string
	op        string
	values    []any
	// wants are values converted once for comparison.
	wants []wantValue
	test  bool
}

// wantValue is one value of a condition test as equals compares it: as a
// string (scalarString) and as a boolean (asBool).
type wantValue struct {
	str           string
	b             bool
	strOK, boolOK bool
}

const (
	factAttribute = -1
	factUnknown   = -2
)

func compileCondition(c *catalog.Condition) *compiledCondition {
	if c == nil {
		return nil
	}
	out := &compiledCondition{}
	switch {
	case c.All != nil:
		out.all = make([]*compiledCondition, 0, len(c.All))
		for _, sub := range c.All {
			out.all = append(out.all, compileCondition(sub))
		}
	case c.Any != nil:
		out.any = make([]*compiledCondition, 0, len(c.Any))
		for _, sub := range c.Any {
			out.any = append(out.any, compileCondition(sub))
		}
	case c.Not != nil:
		out.not = compileCondition(c.Not)
	case c.Fact != "":
		out.test, out.op, out.values = true, c.Op, c.Values
		out.wants = make([]wantValue, len(c.Values))
		for i, v := range c.Values {
			w := &out.wants[i]
			w.str, w.strOK = scalarString(v)
			w.b, w.boolOK = asBool(v)
		}
		if key, ok := strings.CutPrefix(c.Fact, attributePrefix); ok {
			out.fact, out.attribute = factAttribute, key
		} else if i, ok := factIndex[c.Fact]; ok {
			out.fact = i
		} else {
			out.fact = factUnknown
		}
	}
	return out
}

func (c *compiledCondition) match(f *Facts) bool {
	switch {
	case c == nil:
		return true
	case c.all != nil:
		for _, sub := range c.all {
			if !sub.match(f) {
				return false
			}
		}
		return true
	case c.any != nil:
		for _, sub := range c.any {
			if sub.match(f) {
				return true
			}
		}
		return false
	case c.not != nil:
		return !c.not.match(f)
	case c.test:
		var v Value
		switch c.fact {
		case factAttribute:
			v, _ = attributeValue(f.attributes, c.attribute)
		case factUnknown:
		default:
			v = f.value(c.fact)
		}
		return c.matchValue(&v)
	}
	return true
}

// matchValue is matchValue for a compiled test.
func (c *compiledCondition) matchValue(v *Value) bool {
	switch c.op {
	case opEq, opIn, opContains, "":
		return v.Set && c.equalsAny(v)
	case opNotIn:
		return v.Set && !c.equalsAny(v)
	}
	return matchValue(c.op, c.values, *v, v.Set)
}

// equalsAny is equalsAny with the wanted values converted in advance.
func (c *compiledCondition) equalsAny(v *Value) bool {
	for i := range c.wants {
		w := &c.wants[i]
		switch v.Type {
		case catalog.Bool:
			if w.boolOK && w.b == v.Bool {
				return true
			}
		case catalog.List:
			if w.strOK && slices.ContainsFunc(v.List, func(item string) bool { return strings.EqualFold(item, w.str) }) {
				return true
			}
		default:
			if w.strOK && strings.EqualFold(v.Str, w.str) {
				return true
			}
		}
	}
	return false
}
