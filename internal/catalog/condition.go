package catalog

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// Condition operators, the values of Condition.Op.
const (
	OpEq       = "eq"
	OpIn       = "in"
	OpExists   = "exists"
	OpContains = "contains"
	OpAtLeast  = "at_least"
	OpNotIn    = "not_in"
)

// AttributePrefix starts fact names that read a target's free-form
// attributes; attributes.memory_safe reads attributes: {memory_safe: ...}.
const AttributePrefix = "attributes."

// attributeTargets are the target kinds that have an attributes mapping.
var attributeTargets = []string{"process", "store", "entity", "flow", "interface"}

// factError explains why a name cannot be used as a fact on some targets.
type factError struct {
	summary string
	fix     string
}

// factFor returns the fact called name if it is defined on every kind in
// targets. The placeholders {name} and {id} are facts too.
func factFor(name string, targets []string) (Fact, *factError) {
	if key, ok := strings.CutPrefix(name, AttributePrefix); ok {
		if key == "" {
			return Fact{}, &factError{"the attribute name is missing", "write attributes.KEY"}
		}
		for _, t := range targets {
			if !slices.Contains(attributeTargets, t) {
				return Fact{}, &factError{
					fmt.Sprintf("%s targets have no attributes", t),
					"attributes exist on " + strings.Join(attributeTargets, ", "),
				}
			}
		}
		return Fact{Name: name, Type: Attribute, Targets: attributeTargets}, nil
	}
	f, ok := FactByName(name)
	if !ok {
		return Fact{}, &factError{fmt.Sprintf("unknown fact %q", name), suggest(name, factNames())}
	}
	for _, t := range targets {
		if !slices.Contains(f.Targets, t) {
			return Fact{}, &factError{
				fmt.Sprintf("fact %s is not defined for %s targets", name, t),
				fmt.Sprintf("%s is defined for %s; remove %s from applies_to or write a separate rule",
					name, strings.Join(f.Targets, ", "), t),
			}
		}
	}
	return f, nil
}

func factNames() []string {
	names := make([]string, len(Facts))
	for i, f := range Facts {
		names[i] = f.Name
	}
	return names
}

// factValues lists the values a fact can take where a vocabulary fixes
// them. Open vocabularies (protocols and roles, which models extend) only
// warn about values they lack.
var factValues = map[string]struct {
	vocab model.Vocabulary
	open  bool
}{
	"role":               {model.Roles, true},
	"from_role":          {model.Roles, true},
	"to_role":            {model.Roles, true},
	"boundary_kind":      {model.BoundaryKinds, false},
	"data_categories":    {model.DataCategories, false},
	"patients":           {model.PatientReach, false},
	"to_patients":        {model.PatientReach, false},
	"inbound_protocols":  {model.Protocols, true},
	"outbound_protocols": {model.Protocols, true},
	"protocols":          {model.Protocols, true},
	"protocol":           {model.Protocols, true},
	"interface_kinds":    {model.InterfaceKinds, false},
	"transport":          {model.AttackVectors, false},
	"authentication":     {model.Authentications, false},
	"from_kind":          {model.ElementKinds, false},
	"to_kind":            {model.ElementKinds, false},
	"of_kind":            {model.ElementKinds, false},
	"exposure":           {model.Exposures, false},
	"production":         {model.ProductionStates, false},
	"classification":     {model.Classifications, false},
	"support_level":      {model.SupportLevels, false},
	"lifecycle":          {model.Lifecycles, false},
	"confidentiality":    {model.Levels, false},
	"integrity":          {model.Levels, false},
	"availability":       {model.Levels, false},
	"kind":               {kindValues(), false},
}

// kindValues is every value the kind fact can take on some target.
func kindValues() model.Vocabulary {
	var v model.Vocabulary
	for _, voc := range []model.Vocabulary{model.ElementKinds, model.InterfaceKinds, model.DependencyKinds, model.BoundaryKinds} {
		for _, t := range voc {
			if !v.Has(t.ID) {
				v = append(v, t)
			}
		}
	}
	return append(v, model.Term{ID: "system", Doc: "the system as a whole"})
}

var conditionForms = []string{"all", "any", "not"}

var operatorKeys = map[string]string{
	"exists":   OpExists,
	"contains": OpContains,
	"at_least": OpAtLeast,
	"not":      OpNotIn,
}

// condition decodes a condition. targets are the rule's target kinds; nil
// skips the checks that need them.
func (d *yamlDoc) condition(n ast.Node, path string, depth int, targets []string) *Condition {
	m, ok := d.asMapping(n, path, depth)
	if !ok {
		return nil
	}
	if len(m.keys) == 0 {
		d.diags.Add(nodePos(d.file, m.node), "missing-value", path, "the condition is empty",
			"write FACT: VALUE, all: [...], any: [...] or not: ...; leave when: out to match every target")
		return nil
	}
	var parts []*Condition
	for _, k := range m.keys {
		p := join(path, k)
		pos := m.keyPos[k]
		v := m.values[k]
		var c *Condition
		switch k {
		case "all", "any":
			items, ok := d.asSequence(v, p, depth+1)
			if !ok {
				continue
			}
			if len(items) == 0 {
				d.diags.Add(pos, "missing-value", p, k+" lists no conditions", "add conditions or remove "+k)
				continue
			}
			var subs []*Condition
			for i, it := range items {
				if s := d.condition(it, fmt.Sprintf("%s[%d]", p, i), depth+2, targets); s != nil {
					subs = append(subs, s)
				}
			}
			c = &Condition{Pos: pos}
			if k == "all" {
				c.All = subs
			} else {
				c.Any = subs
			}
		case "not":
			sub := d.condition(v, p, depth+1, targets)
			if sub == nil {
				continue
			}
			c = &Condition{Not: sub, Pos: pos}
		default:
			c = d.factTest(k, v, p, pos, depth+1, targets)
		}
		if c != nil {
			parts = append(parts, c)
		}
	}
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return parts[0]
	default:
		return &Condition{All: parts, Pos: parts[0].Pos}
	}
}

// factTest decodes FACT: VALUE, FACT: [V...] or FACT: {op: V}.
func (d *yamlDoc) factTest(name string, v ast.Node, path string, pos diag.Pos, depth int, targets []string) *Condition {
	var fact Fact
	if targets != nil {
		f, err := factFor(name, targets)
		if err != nil {
			if strings.HasPrefix(err.summary, "unknown fact") && slices.Contains(conditionForms, strings.ToLower(name)) {
				err.fix = "condition forms are lower case: all, any, not"
			}
			d.diags.Add(pos, "unknown-fact", path, err.summary, err.fix)
			return nil
		}
		fact = f
	}
	c := &Condition{Fact: name, Pos: pos}

	r := d.resolve(v, depth)
	if r == nil {
		return nil
	}
	var valueNodes []ast.Node
	switch r.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		m, ok := d.asMapping(r, path, depth)
		if !ok {
			return nil
		}
		if len(m.keys) != 1 {
			d.diags.Add(pos, "invalid-condition", path,
				fmt.Sprintf("a test of %s needs exactly one operator, found %d", name, len(m.keys)),
				"write one of exists, contains, at_least or not")
			return nil
		}
		k := m.keys[0]
		op, ok := operatorKeys[k]
		if !ok {
			d.diags.Add(m.keyPos[k], "unknown-operator", join(path, k), fmt.Sprintf("unknown operator %s", k),
				suggest(k, []string{"exists", "contains", "at_least", "not"}))
			return nil
		}
		c.Op = op
		path = join(path, k)
		if op == OpNotIn {
			items, ok := d.asSequence(m.values[k], path, depth+1)
			if !ok {
				return nil
			}
			valueNodes = items
		} else {
			valueNodes = []ast.Node{m.values[k]}
		}
	case *ast.SequenceNode:
		items, _ := d.asSequence(r, path, depth)
		c.Op = OpIn
		valueNodes = items
	default:
		c.Op = OpEq
		valueNodes = []ast.Node{r}
	}
	if len(valueNodes) == 0 {
		d.diags.Add(pos, "missing-value", path, fmt.Sprintf("the test of %s lists no values", name), "list one or more values")
		return nil
	}
	for i, vn := range valueNodes {
		vp := path
		if len(valueNodes) > 1 || c.Op == OpIn || c.Op == OpNotIn {
			vp = fmt.Sprintf("%s[%d]", path, i)
		}
		val, node, ok := d.scalar(vn, vp, depth+1)
		if !ok {
			return nil
		}
		if targets != nil {
			val, ok = d.checkFactValue(fact, c.Op, val, node, vp)
			if !ok {
				return nil
			}
		}
		c.Values = append(c.Values, val)
	}
	return c
}

// checkFactValue checks that op and val suit fact and returns the value in
// the form the matcher compares: strings for string, level and list facts,
// bools for bool facts and exists.
func (d *yamlDoc) checkFactValue(f Fact, op string, val any, node ast.Node, path string) (any, bool) {
	pos := nodePos(d.file, node)
	bad := func(summary, fix string) (any, bool) {
		d.diags.Add(pos, "wrong-type", path, summary, fix)
		return nil, false
	}

	if op == OpExists {
		b, ok := val.(bool)
		if !ok {
			return bad(fmt.Sprintf("exists takes true or false, found %s", describe(node)), "write exists: true or exists: false")
		}
		return b, true
	}

	switch f.Type {
	case Bool:
		if op == OpContains || op == OpAtLeast {
			return bad(fmt.Sprintf("%s is a boolean fact; %s does not apply", f.Name, op), "write "+f.Name+": true or false")
		}
		b, ok := val.(bool)
		if !ok {
			return bad(fmt.Sprintf("%s is a boolean fact, found %s", f.Name, describe(node)), "write true or false")
		}
		return b, true
	case Attribute:
		if val == nil {
			return bad(fmt.Sprintf("the test of %s has an empty value", f.Name), "write a value or use exists: false")
		}
		if op == OpAtLeast {
			s, _ := val.(string)
			if !model.Levels.Has(s) {
				return bad(fmt.Sprintf("at_least needs a level, found %s", describe(node)), "write none, low, medium or high")
			}
		}
		return normalizeNumber(val), true
	}

	s, ok := val.(string)
	if !ok {
		switch val.(type) {
		case int64, uint64:
			if f.Type == String {
				s, ok = fmt.Sprint(val), true
			}
		}
	}
	if !ok {
		return bad(fmt.Sprintf("%s takes text, found %s", f.Name, describe(node)), "quote the value")
	}
	switch {
	case op == OpContains && f.Type != List:
		return bad(fmt.Sprintf("contains applies to list facts, and %s is a %s fact", f.Name, f.Type),
			"write "+f.Name+": VALUE")
	case op == OpAtLeast && f.Type != Level:
		return bad(fmt.Sprintf("at_least applies to level facts, and %s is a %s fact", f.Name, f.Type),
			"write "+f.Name+": VALUE")
	}
	if fv, ok := factValues[f.Name]; ok && fv.vocab != nil && !fv.vocab.Has(s) {
		fix := suggest(s, fv.vocab.IDs())
		if fv.open {
			d.diags.Warn(pos, "unknown-value", path,
				fmt.Sprintf("%q is not a built-in value of %s", s, f.Name), "it matches only models that define it; "+fix)
		} else {
			d.diags.Add(pos, "unknown-value", path, fmt.Sprintf("%q is not a value of %s", s, f.Name), fix)
			return nil, false
		}
	}
	if f.Type == Level && !model.Levels.Has(s) {
		d.diags.Add(pos, "unknown-value", path, fmt.Sprintf("%q is not a level", s), "write none, low, medium or high")
		return nil, false
	}
	return s, true
}

// normalizeNumber turns YAML integers into int64 where they fit, so that
// attribute tests compare numbers of one type.
func normalizeNumber(v any) any {
	switch n := v.(type) {
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n)
		}
		return strconv.FormatUint(n, 10)
	}
	return v
}
