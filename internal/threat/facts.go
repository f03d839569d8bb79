package threat

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/catalog"
)

// Value is the value of one fact. Set is false when the fact is unset, which
// is different from false or the empty string: only {exists: false} matches
// an unset fact.
//
// The type and the two booleans come last so that they share one word:
// tens of thousands of targets hold about 15 values each.
type Value struct {
	Str  string   // String and Level facts
	List []string // List facts, sorted and without duplicates
	Type catalog.FactType
	Set  bool
	Bool bool // Bool facts
}

// String formats v for a description template: lists join with ", ", an
// unset value reads "unknown".
func (v Value) String() string {
	if !v.Set {
		return "unknown"
	}
	switch v.Type {
	case catalog.Bool:
		return strconv.FormatBool(v.Bool)
	case catalog.List:
		if len(v.List) == 0 {
			return "none"
		}
		return strings.Join(v.List, ", ")
	}
	return v.Str
}

// factIndex maps a fact name to its slot in Facts.values.
var factIndex = func() map[string]int {
	if len(catalog.Facts) > 255 {
		panic("threat: Facts.slot holds positions up to 255, and catalog.Facts has more facts")
	}
	idx := make(map[string]int, len(catalog.Facts))
	for i, f := range catalog.Facts {
		idx[f.Name] = i
	}
	return idx
}()

// Slots of the facts that identification reads directly.
var (
	factName               = factIndex["name"]
	factID                 = factIndex["id"]
	factCrossesBoundary    = factIndex["crosses_boundary"]
	factAuthentication     = factIndex["authentication"]
	factIntegrityProtected = factIndex["integrity_protected"]
	factEncryption         = factIndex["encryption"]
	factTransport          = factIndex["transport"]
	factProtocol           = factIndex["protocol"]
	factDataCategories     = factIndex["data_categories"]
	factNeeds              = [3]int{factIndex[needC], factIndex[needI], factIndex[needA]}
)

// attributePrefix starts the fact names that read a target's free-form
// attributes, such as attributes.memory_safe.
const attributePrefix = "attributes."

// Facts are the values of the facts of catalog.Facts for one target, plus
// its free-form attributes.
type Facts struct {
	// values holds the set facts only; slot maps each entry of
	// catalog.Facts to its position in values plus one, 0 when unset.
	// A target sets about a third of the facts, so this keeps tens of
	// thousands of targets small.
	values     []Value
	slot       []uint8
	attributes map[string]any
}

// value returns the fact in slot i of catalog.Facts, or the zero Value
// when unset.
func (f *Facts) value(i int) Value {
	if p := f.slot[i]; p > 0 {
		return f.values[p-1]
	}
	return Value{}
}

// Lookup returns the value of the named fact, or of attributes.KEY. The
// boolean is false when the fact is unset or unknown.
func (f *Facts) Lookup(name string) (Value, bool) {
	if key, ok := strings.CutPrefix(name, attributePrefix); ok {
		return attributeValue(f.attributes, key)
	}
	i, ok := factIndex[name]
	if !ok {
		return Value{}, false
	}
	v := f.value(i)
	return v, v.Set
}

// Bool returns a bool fact; ok is false when it is unset.
func (f *Facts) Bool(name string) (value, ok bool) {
	v, ok := f.Lookup(name)
	return v.asBool(ok)
}

// String returns a string or level fact; ok is false when it is unset.
func (f *Facts) String(name string) (string, bool) {
	v, ok := f.Lookup(name)
	return v.asString(ok)
}

// Level returns a level fact (none, low, medium or high); ok is false when
// it is unset.
func (f *Facts) Level(name string) (string, bool) {
	v, ok := f.Lookup(name)
	return v.asLevel(ok)
}

// List returns a list fact; ok is false when it is unset.
func (f *Facts) List(name string) ([]string, bool) {
	v, ok := f.Lookup(name)
	return v.asList(ok)
}

// boolAt, stringAt, levelAt and listAt are Bool, String, Level and List
// for the fact in slot i, without looking up its name.
func (f *Facts) boolAt(i int) (value, ok bool) {
	v := f.value(i)
	return v.asBool(v.Set)
}

func (f *Facts) stringAt(i int) (string, bool) {
	v := f.value(i)
	return v.asString(v.Set)
}

func (f *Facts) levelAt(i int) (string, bool) {
	v := f.value(i)
	return v.asLevel(v.Set)
}

func (f *Facts) listAt(i int) ([]string, bool) {
	v := f.value(i)
	return v.asList(v.Set)
}

func (v *Value) asBool(set bool) (value, ok bool) {
	if !set || v.Type != catalog.Bool {
		return false, false
	}
	return v.Bool, true
}

func (v *Value) asString(set bool) (string, bool) {
	if !set || (v.Type != catalog.String && v.Type != catalog.Level) {
		return "", false
	}
	return v.Str, true
}

func (v *Value) asLevel(set bool) (string, bool) {
	if !set || v.Type != catalog.Level {
		return "", false
	}
	return v.Str, true
}

func (v *Value) asList(set bool) ([]string, bool) {
	if !set || v.Type != catalog.List {
		return nil, false
	}
	return v.List, true
}

// set stores a value under a name from catalog.Facts. A name missing there
// is a programming error in this package, caught by the facts tests.
func (f *Facts) set(name string, v Value) {
	i, ok := factIndex[name]
	if !ok {
		panic("threat: fact " + strconv.Quote(name) + " is not in catalog.Facts")
	}
	v.Set = true
	if p := f.slot[i]; p > 0 {
		f.values[p-1] = v
		return
	}
	f.values = append(f.values, v)
	f.slot[i] = uint8(len(f.values))
}

func (f *Facts) setString(name, s string) { f.set(name, Value{Type: catalog.String, Str: s}) }
func (f *Facts) setBool(name string, b bool) {
	f.set(name, Value{Type: catalog.Bool, Bool: b})
}
func (f *Facts) setList(name string, l []string) {
	f.set(name, Value{Type: catalog.List, List: sortedUnique(slices.Clone(l))})
}
func (f *Facts) setLevel(name, level string) { f.set(name, Value{Type: catalog.Level, Str: level}) }

// setStringIf stores s unless it is empty, which leaves the fact unset.
func (f *Facts) setStringIf(name, s string) {
	if s != "" {
		f.setString(name, s)
	}
}

func (f *Facts) setBoolPtr(name string, b *bool) {
	if b != nil {
		f.setBool(name, *b)
	}
}

// attributeValue converts a free-form attribute to a fact value: booleans
// stay booleans, numbers become decimal strings, lists become lists of
// strings. Nested mappings are not readable by conditions.
func attributeValue(attrs map[string]any, key string) (Value, bool) {
	raw, ok := attrs[key]
	if !ok || raw == nil {
		return Value{}, false
	}
	switch x := raw.(type) {
	case bool:
		return Value{Set: true, Type: catalog.Bool, Bool: x}, true
	case []any:
		l := make([]string, 0, len(x))
		for _, item := range x {
			if s, ok := scalarString(item); ok {
				l = append(l, s)
			}
		}
		return Value{Set: true, Type: catalog.List, List: sortedUnique(l)}, true
	case []string:
		return Value{Set: true, Type: catalog.List, List: sortedUnique(slices.Clone(x))}, true
	}
	if s, ok := scalarString(raw); ok {
		return Value{Set: true, Type: catalog.String, Str: s}, true
	}
	return Value{}, false
}

// scalarString formats a YAML scalar as the string a condition compares.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}
