package model

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/wardtm/ward/internal/diag"
)

// decoder fills Go values from a YAML node tree. It is driven entirely by
// reflection over the json struct tags of the target types, so fields added
// to the model types are read without changes here. It never stops at the
// first problem: every wrong type, unknown key and duplicate key becomes a
// diagnostic and decoding goes on with the next value.
type decoder struct {
	s     *source
	diags *diag.List
	path  []pathPart // the field path of the value being decoded
	// typos are the paths of valid keys that an unknown key probably
	// misspells, such as flows[2].from for flows[2].form.
	typos []string

	scratch   []pair     // stack of mapping entries that pairs builds on
	fields    []FieldPos // block that fieldArena cuts from
	positions []diag.Pos // block that posArena cuts from
	// mapKeys are the keys and key positions of the Go map decoded last,
	// for decodeStruct to record in the field's FieldPos.
	mapKeys []FieldPos
}

// extensionPrefix starts keys that the decoder ignores in any mapping of the
// format, so users can keep anchors and their own notes next to the model,
// as in x-defaults: &defaults {...}.
const extensionPrefix = "x-"

// pathPart is one step of a field path: a key, or an index when key is "".
type pathPart struct {
	key   string
	index int
}

// pathString renders the current path in the user's key names, for example
// flows[3].protocol.name.
func (d *decoder) pathString() string {
	var b strings.Builder
	for _, p := range d.path {
		if p.key == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p.key)
	}
	return b.String()
}

func (d *decoder) push(key string, index int) { d.path = append(d.path, pathPart{key, index}) }
func (d *decoder) pop()                       { d.path = d.path[:len(d.path)-1] }

func (d *decoder) errorAt(n *node, code, summary, fix string) {
	d.diags.Add(d.s.nodePos(n), code, d.pathString(), summary, fix)
}

// resolve follows aliases to the node they name. checkTree has already
// rejected alias cycles, so the loop ends.
func resolve(n *node) *node {
	for n.Kind == aliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *node) bool {
	return n.Kind == scalarNode && n.Tag == "!!null"
}

// decode stores node n into v.
func (d *decoder) decode(n *node, v reflect.Value) {
	at := n
	n = resolve(n)
	if isNull(n) {
		return // an empty value leaves the zero value; validation reports required fields
	}

	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.decode(at, elem.Elem())
		v.Set(elem)
	case reflect.Struct:
		d.decodeStruct(at, n, v)
	case reflect.Slice:
		d.decodeSlice(at, n, v)
	case reflect.Map:
		d.decodeMap(at, n, v)
	case reflect.Interface:
		v.Set(reflect.ValueOf(d.generic(n)))
	case reflect.String:
		if n.Kind != scalarNode {
			d.typeError(at, n, v.Type())
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, ok := parseBool(n)
		if !ok {
			d.typeError(at, n, v.Type())
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, v.Type().Bits())
		if n.Kind != scalarNode || n.Tag != "!!int" || err != nil {
			d.typeError(at, n, v.Type())
			return
		}
		v.SetInt(i)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(n.Value, v.Type().Bits())
		if n.Kind != scalarNode || (n.Tag != "!!float" && n.Tag != "!!int") || err != nil {
			d.typeError(at, n, v.Type())
			return
		}
		v.SetFloat(f)
	default:
		// A model type with a field kind the loader cannot fill is a bug in
		// Ward, not in the user's file, so it is reported as one.
		d.errorAt(at, "internal-error", fmt.Sprintf("cannot decode into a Go %s", v.Type()),
			"report this as a bug in Ward")
	}
}

func parseBool(n *node) (bool, bool) {
	if n.Kind != scalarNode || n.Tag != "!!bool" {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func (d *decoder) decodeStruct(at, n *node, v reflect.Value) {
	info := structInfoOf(v.Type())
	if n.Kind != mappingNode {
		d.typeError(at, n, v.Type())
		return
	}

	var src *Source
	var fields []FieldPos
	if info.source != nil {
		src = v.FieldByIndex(info.source).Addr().Interface().(*Source)
		fields = d.fieldArena(len(n.Content) / 2)
	}
	entries, mark := d.pairs(n)
	defer d.release(mark)
	for _, p := range entries {
		name := p.key.Value
		index, ok := info.byName[name]
		if !ok && strings.HasPrefix(name, extensionPrefix) {
			continue
		}
		if !ok {
			d.unknownKey(p.key, name, info.names)
			continue
		}
		field := v.FieldByIndex(index)
		d.mapKeys = nil
		d.push(name, 0)
		d.decode(p.val, field)
		d.pop()

		if src == nil {
			continue
		}
		fp := FieldPos{Key: name, Pos: d.valuePos(p.key, p.val)}
		if field.Kind() == reflect.Map {
			fp.Keys = d.mapKeys
		}
		if seq := resolve(p.val); seq.Kind == sequenceNode && field.Kind() == reflect.Slice && field.Type().Elem().Kind() != reflect.Struct {
			fp.Items = d.posArena(len(seq.Content))
			for i, item := range seq.Content {
				fp.Items[i] = d.s.nodePos(item)
			}
		}
		fields = append(fields, fp)
	}

	if src != nil {
		src.SetFields(d.s.nodePos(at), fields)
	}
}

// fieldArena returns an empty slice with room for n fields, cut from a
// shared block so that a large model does not allocate once per item.
func (d *decoder) fieldArena(n int) []FieldPos {
	if n > 64 {
		return make([]FieldPos, 0, n)
	}
	if cap(d.fields)-len(d.fields) < n {
		d.fields = make([]FieldPos, 0, 4096)
	}
	start := len(d.fields)
	d.fields = d.fields[:start+n]
	return d.fields[start : start : start+n]
}

// posArena returns a slice of n positions cut from a shared block.
func (d *decoder) posArena(n int) []diag.Pos {
	if n > 64 {
		return make([]diag.Pos, n)
	}
	if cap(d.positions)-len(d.positions) < n {
		d.positions = make([]diag.Pos, 0, 4096)
	}
	start := len(d.positions)
	d.positions = d.positions[:start+n]
	return d.positions[start : start+n : start+n]
}

// valuePos is the position recorded for a field: the start of its value, or
// the key itself when no value was written.
func (d *decoder) valuePos(key, val *node) diag.Pos {
	if isNull(val) && val.Value == "" {
		return d.s.nodePos(key)
	}
	return d.s.nodePos(val)
}

// unknownKey reports a key the type does not have. When the key looks like
// a typo of a valid key, the valid key's path is remembered so that a
// "required key missing" for it is not reported as well.
func (d *decoder) unknownKey(key *node, name string, valid []string) {
	fix := "remove it or use one of: " + strings.Join(valid, ", ")
	if best := diag.Closest(name, valid); best != "" {
		fix = fmt.Sprintf("did you mean %q?", best)
		d.push(best, 0)
		d.typos = append(d.typos, d.pathString())
		d.pop()
	}
	d.push(name, 0)
	d.errorAt(key, "unknown-key", fmt.Sprintf("unknown key %q", name), fix)
	d.pop()
}

func (d *decoder) decodeSlice(at, n *node, v reflect.Value) {
	if n.Kind != sequenceNode {
		d.typeError(at, n, v.Type())
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.push("", i)
		d.decode(item, s.Index(i))
		d.pop()
	}
	v.Set(s)
}

func (d *decoder) decodeMap(at, n *node, v reflect.Value) {
	if n.Kind != mappingNode || v.Type().Key().Kind() != reflect.String {
		d.typeError(at, n, v.Type())
		return
	}
	pairs, mark := d.pairs(n)
	defer d.release(mark)
	m := reflect.MakeMapWithSize(v.Type(), len(pairs))
	elemType := v.Type().Elem()
	keys := make([]FieldPos, 0, len(pairs))
	for _, p := range pairs {
		elem := reflect.New(elemType).Elem()
		d.push(p.key.Value, 0)
		d.decode(p.val, elem)
		d.pop()
		m.SetMapIndex(reflect.ValueOf(p.key.Value).Convert(v.Type().Key()), elem)
		keys = append(keys, FieldPos{Key: p.key.Value, Pos: d.s.nodePos(p.key)})
	}
	v.Set(m)
	// Set after the loop, so that a map nested in the values does not
	// leave its keys in place of this map's.
	d.mapKeys = keys
}

// generic decodes free-form values such as attributes: mappings become
// map[string]any, sequences []any, and scalars string, bool, int, float64
// or nil by their resolved YAML tag.
func (d *decoder) generic(n *node) any {
	n = resolve(n)
	switch n.Kind {
	case mappingNode:
		pairs, mark := d.pairs(n)
		m := make(map[string]any, len(pairs))
		for _, p := range pairs {
			d.push(p.key.Value, 0)
			m[p.key.Value] = d.generic(p.val)
			d.pop()
		}
		d.release(mark)
		return m
	case sequenceNode:
		s := make([]any, len(n.Content))
		for i, item := range n.Content {
			d.push("", i)
			s[i] = d.generic(item)
			d.pop()
		}
		return s
	}

	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		if b, ok := parseBool(n); ok {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil && i >= math.MinInt && i <= math.MaxInt {
			return int(i)
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}

// pair is one key and value of a mapping.
type pair struct{ key, val *node }

// pairs returns the entries of mapping n with merge keys (<<) applied:
// keys written in n win over merged ones, and earlier merged mappings win
// over later ones. Duplicate keys and non-scalar keys are reported and
// skipped, so the first definition is the one used.
//
// The entries are appended to d.scratch, a stack shared by all mappings
// being decoded, which saves an allocation per mapping. The caller calls
// release with the returned mark once it is done with the entries.
func (d *decoder) pairs(n *node) (entries []pair, mark int) {
	start := len(d.scratch)
	var index map[string]int // built only for large mappings
	find := func(key string) int {
		if index != nil {
			if i, ok := index[key]; ok {
				return i
			}
			return -1
		}
		for i, p := range d.scratch[start:] {
			if p.key.Value == key {
				return i
			}
		}
		return -1
	}
	add := func(p pair) {
		d.scratch = append(d.scratch, p)
		count := len(d.scratch) - start
		if index == nil && count > 16 {
			index = make(map[string]int, len(n.Content)/2)
			for i, q := range d.scratch[start:] {
				index[q.key.Value] = i
			}
		} else if index != nil {
			index[p.key.Value] = count - 1
		}
	}

	var merges []*node
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := resolve(n.Content[i]), n.Content[i+1]
		if key.Kind == scalarNode && key.Tag == "!!merge" {
			merges = append(merges, val)
			continue
		}
		if key.Kind != scalarNode {
			d.errorAt(key, "invalid-key", "mapping key is "+kindName(key)+", not a name",
				"write keys as plain names such as id or name")
			continue
		}
		if j := find(key.Value); j >= 0 {
			first := d.scratch[start+j].key
			d.push(key.Value, 0)
			d.diags.Add(d.s.nodePos(key), "duplicate-key", d.pathString(),
				fmt.Sprintf("key %q is written twice in this mapping (first at line %d)", key.Value, first.Line),
				"remove one of them; YAML keeps only one value per key")
			d.pop()
			(*d.diags)[len(*d.diags)-1].Related = []diag.Pos{d.s.nodePos(first)}
			continue
		}
		add(pair{key, val})
	}

	for _, m := range merges {
		m = resolve(m)
		var sources []*node
		switch m.Kind {
		case mappingNode:
			sources = []*node{m}
		case sequenceNode:
			for _, item := range m.Content {
				sources = append(sources, resolve(item))
			}
		}
		for _, src := range sources {
			if src.Kind != mappingNode {
				d.errorAt(src, "invalid-merge", "merge key << needs a mapping or a list of mappings, found "+kindName(src),
					"point << at an anchored mapping, for example <<: *defaults")
				continue
			}
			// The merged mapping's entries land on the stack after ours;
			// copy them out before adding, so ours stay contiguous.
			merged, mergedMark := d.pairs(src)
			merged = slices.Clone(merged)
			d.release(mergedMark)
			for _, p := range merged {
				if find(p.key.Value) < 0 {
					add(p)
				}
			}
		}
	}
	end := len(d.scratch)
	return d.scratch[start:end:end], start
}

// release drops the entries that pairs put on the stack at mark and after.
func (d *decoder) release(mark int) { d.scratch = d.scratch[:mark] }

// typeError reports a value of the wrong shape for type t.
func (d *decoder) typeError(at, n *node, t reflect.Type) {
	want := describeType(t)
	found := kindName(n)
	if n.Kind == scalarNode {
		found = quoteValue(n.Value)
	}
	fix := "write " + want + " here"
	if t.Kind() == reflect.Slice && n.Kind == scalarNode {
		fix = fmt.Sprintf("write a list, for example [%s]", n.Value)
	}
	if t.Kind() == reflect.Struct && n.Kind == scalarNode && hasJSONField(t, "name") {
		// A protocol written as a bare name is the usual case.
		fix = fmt.Sprintf("write a mapping, for example {name: %s}", n.Value)
	}
	d.errorAt(at, "wrong-type", fmt.Sprintf("expected %s, found %s", want, found), fix)
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "a list of mappings"
		}
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(describeType(t.Elem()), "a "), "an ") + "s"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	}
	return "a value"
}

func kindName(n *node) string {
	switch n.Kind {
	case mappingNode:
		return "a mapping"
	case sequenceNode:
		return "a list"
	case scalarNode:
		return "a scalar"
	}
	return "a value"
}

// quoteValue quotes a user value for a message, shortened to 40 characters.
func quoteValue(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:37]) + "..."
	}
	return strconv.Quote(s)
}

// structInfo is the decoder's index of a struct type's keys.
type structInfo struct {
	byName map[string][]int // key name to field index
	names  []string         // valid key names, sorted
	source []int            // index of the embedded Source, or nil
}

var structInfos sync.Map // reflect.Type -> *structInfo

var sourceType = reflect.TypeFor[Source]()

func structInfoOf(t reflect.Type) *structInfo {
	if info, ok := structInfos.Load(t); ok {
		return info.(*structInfo)
	}
	info := &structInfo{byName: map[string][]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type == sourceType {
			info.source = f.Index
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		info.byName[name] = []int{i}
		info.names = append(info.names, name)
	}
	slices.Sort(info.names)
	actual, _ := structInfos.LoadOrStore(t, info)
	return actual.(*structInfo)
}

// hasJSONField reports whether struct type t has a field with the given
// JSON key.
func hasJSONField(t reflect.Type, key string) bool {
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if tag == key {
			return true
		}
	}
	return false
}
