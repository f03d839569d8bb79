package threat

import (
	"strings"
)

// Relations a description template may follow with a dotted placeholder:
// {of.name} is the name of the element an interface belongs to, {from.name}
// and {to.name} are the ends of a flow, {boundary.name} is an element's
// trust boundary. After the dot comes any fact of the related target.
var templateRelations = []string{"of", "from", "to", "boundary"}

// Fill replaces the placeholders of a description template: {name}, {id},
// any fact name in braces, attributes.KEY, and relation.FACT as listed in
// templateRelations. An unset fact reads "unknown"; a placeholder that names
// no fact stays as written, so a typo shows in the output instead of
// vanishing.
func Fill(tmpl string, f *Facts, related func(relation string) *Facts) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	b.Grow(len(tmpl) + 32)
	rest := tmpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			b.WriteString(rest)
			break
		}
		end += open
		b.WriteString(rest[:open])
		name := rest[open+1 : end]
		if text, ok := placeholder(name, f, related); ok {
			b.WriteString(text)
		} else {
			b.WriteString(rest[open : end+1])
		}
		rest = rest[end+1:]
	}
	return b.String()
}

func placeholder(name string, f *Facts, related func(string) *Facts) (string, bool) {
	if !validPlaceholder(name) {
		return "", false
	}
	if strings.HasPrefix(name, attributePrefix) {
		v, _ := f.Lookup(name)
		return v.String(), true
	}
	if rel, fact, ok := strings.Cut(name, "."); ok {
		if !isRelation(rel) || related == nil {
			return "", false
		}
		rf := related(rel)
		if rf == nil {
			return "unknown", true
		}
		return placeholder(fact, rf, nil)
	}
	if _, known := factIndex[name]; !known {
		return "", false
	}
	v, _ := f.Lookup(name)
	return v.String(), true
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

func isRelation(s string) bool {
	for _, r := range templateRelations {
		if r == s {
			return true
		}
	}
	return false
}

// relatedFacts returns the lookup of a target's relations for Fill.
func (ix *index) relatedFacts(t *target) func(string) *Facts {
	return func(relation string) *Facts {
		var rt *target
		switch {
		case relation == "of" && t.iface != nil:
			rt = ix.elementTarget(t.iface.Of)
		case relation == "from" && t.flow != nil:
			rt = ix.elementTarget(t.flow.From)
		case relation == "to" && t.flow != nil:
			rt = ix.elementTarget(t.flow.To)
		case relation == "boundary" && t.element != nil:
			rt = ix.lookup(TargetBoundary, t.element.Boundary)
		}
		if rt == nil {
			return nil
		}
		return rt.facts
	}
}
