package threat

import (
	"strings"
)

// Relations a description template may follow with a dotted placeholder:
// {of.name} is the name of the element an interface belongs to, {from.name}
// and {to.name} are the ends of a flow, {boundary.name} is an element's
// trust boundary. After the dot comes any fact of the related target.
const (
	relationNone = iota
	relationOf
	relationFrom
	relationTo
	relationBoundary
)

var templateRelations = map[string]int{
	"of":       relationOf,
	"from":     relationFrom,
	"to":       relationTo,
	"boundary": relationBoundary,
}

// templatePart is a piece of a compiled template: literal text, or a
// placeholder naming a fact (by index into catalog.Facts) or an attribute,
// possibly of a related target.
type templatePart struct {
	literal   string
	fact      int // -1 for literal text and attributes
	attribute string
	relation  int
}

// compileTemplate splits a template into literal text and placeholders. A
// placeholder that names no fact stays literal, so a typo shows in the
// output instead of vanishing.
func compileTemplate(tmpl string) []templatePart {
	var parts []templatePart
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].fact < 0 && parts[n-1].attribute == "" {
			parts[n-1].literal += s
			return
		}
		parts = append(parts, templatePart{literal: s, fact: -1})
	}
	rest := tmpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			lit(rest)
			return parts
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			lit(rest)
			return parts
		}
		end += open
		lit(rest[:open])
		if p, ok := parsePlaceholder(rest[open+1 : end]); ok {
			parts = append(parts, p)
		} else {
			lit(rest[open : end+1])
		}
		rest = rest[end+1:]
	}
}

func parsePlaceholder(name string) (templatePart, bool) {
	p := templatePart{fact: -1}
	if !validPlaceholder(name) {
		return p, false
	}
	if rel, fact, ok := strings.Cut(name, "."); ok && rel+"." != attributePrefix {
		r, known := templateRelations[rel]
		if !known {
			return p, false
		}
		p.relation = r
		name = fact
	}
	if key, ok := strings.CutPrefix(name, attributePrefix); ok {
		if key == "" {
			return p, false
		}
		p.attribute = key
		return p, true
	}
	i, ok := factIndex[name]
	if !ok {
		return p, false
	}
	p.fact = i
	return p, true
}

// validPlaceholder accepts lower-case names with digits, underscores, dots
// and hyphens, so braces in ordinary prose are left alone.
func validPlaceholder(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
		default:
			return false
		}
	}
	return true
}

// Fill replaces the placeholders of a description template: {name}, {id},
// any fact name in braces, attributes.KEY, and relation.FACT with the
// relations of, from, to and boundary. An unset fact, or a relation the
// target does not have, reads "unknown"; a placeholder that names no fact
// stays as written.
func Fill(tmpl string, f *Facts, related func(relation string) *Facts) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var rel [relationBoundary + 1]*Facts
	if related != nil {
		for name, r := range templateRelations {
			rel[r] = related(name)
		}
	}
	return render(compileTemplate(tmpl), f, &rel)
}

func render(parts []templatePart, f *Facts, related *[relationBoundary + 1]*Facts) string {
	if len(parts) == 1 && parts[0].fact < 0 && parts[0].attribute == "" {
		return parts[0].literal
	}
	size := 0
	for _, p := range parts {
		size += len(p.literal) + 16
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range parts {
		if p.fact < 0 && p.attribute == "" {
			b.WriteString(p.literal)
			continue
		}
		src := f
		if p.relation != relationNone {
			src = related[p.relation]
		}
		if src == nil {
			b.WriteString("unknown")
			continue
		}
		var v Value
		if p.attribute != "" {
			v, _ = attributeValue(src.attributes, p.attribute)
		} else {
			v = src.value(p.fact)
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// fillParts renders a compiled template for a target into a, as render
// does with the target's facts and those of its relations. It reads {name}
// and {id} from the targets themselves, which the name and id facts copy,
// so the common templates touch no facts at all.
func fillParts(parts []templatePart, t *target, a *arena) string {
	if len(parts) == 1 && parts[0].fact < 0 && parts[0].attribute == "" {
		return parts[0].literal
	}

	size := 0
	for _, p := range parts {
		size += len(p.literal)
		switch src := partTarget(p, t); {
		case src != nil && p.fact == factName:
			size += len(src.Name)
		case src != nil && p.fact == factID:
			size += len(src.ID)
		case p.fact >= 0 || p.attribute != "":
			size += 16
		}
	}
	start := a.begin(size)
	b := &a.b
	for _, p := range parts {
		if p.fact < 0 && p.attribute == "" {
			b.WriteString(p.literal)
			continue
		}
		src := partTarget(p, t)
		switch {
		case src == nil:
			b.WriteString("unknown")
		case p.attribute != "":
			v, _ := attributeValue(src.facts.attributes, p.attribute)
			b.WriteString(v.String())
		case p.fact == factName:
			b.WriteString(src.Name)
		case p.fact == factID:
			b.WriteString(src.ID)
		default:
			b.WriteString(src.facts.value(p.fact).String())
		}
	}
	return a.end(start)
}

// partTarget returns the target a placeholder reads: t itself or one of its
// relations, nil when t does not have that relation.
func partTarget(p templatePart, t *target) *target {
	if p.relation == relationNone {
		return t
	}
	return t.relations[p.relation]
}

// relatedFacts returns the lookup of a target's relations for Fill.
func (ix *index) relatedFacts(t *target) func(string) *Facts {
	return func(relation string) *Facts {
		if rt := t.relations[templateRelations[relation]]; rt != nil {
			return rt.facts
		}
		return nil
	}
}
