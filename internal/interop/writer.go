package interop

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/model"
)

// lineWidth is the width under which short lists and small mappings are
// written on one line in flow style.
const lineWidth = 96

// WriteYAML writes m as a Ward model file with the comments of notes. Keys
// come in the order of the model's types (the order docs/model.md shows),
// optional values left empty are omitted, and the same model and notes
// always give the same bytes.
func WriteYAML(w io.Writer, m *model.Model, notes *Notes) error {
	var buf bytes.Buffer
	yw := &yamlWriter{buf: &buf, notes: notes}
	if notes != nil {
		for _, h := range notes.Header {
			yw.comment(0, h)
		}
		if len(notes.Header) > 0 {
			buf.WriteByte('\n')
		}
	}
	yw.topLevel(reflect.ValueOf(m).Elem())
	_, err := w.Write(buf.Bytes())
	return err
}

type yamlWriter struct {
	buf   *bytes.Buffer
	notes *Notes
}

func (yw *yamlWriter) indent(n int) { yw.buf.WriteString(strings.Repeat("  ", n)) }

func (yw *yamlWriter) comment(level int, text string) {
	for _, line := range strings.Split(text, "\n") {
		yw.indent(level)
		yw.buf.WriteString(strings.TrimRight("# "+commentSafe(line), " "))
		yw.buf.WriteByte('\n')
	}
}

// commentSafe writes the characters that a YAML comment line cannot hold
// as Go escapes: line breaks, other control characters but tab, and
// invalid UTF-8. Comments quote names from the source file, and such a
// character would end the comment or make the file binary.
func commentSafe(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r < 0x20 && r != '\t', r >= 0x7f && r <= 0x9f, r == 0xfffe, r == 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// field is one struct field to write.
type field struct {
	name  string
	value reflect.Value
}

// fields returns the fields of struct v that are written: tagged, not
// embedded Source, and not empty when tagged omitempty or omitzero.
func fields(v reflect.Value) []field {
	var out []field
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous || !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" || tag == "" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if (strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")) && isEmpty(fv) {
			continue
		}
		out = append(out, field{name: name, value: fv})
	}
	return out
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Struct:
		// Empty means every field but the embedded source position is
		// zero, so a required key of an unused optional block does not
		// make the block appear.
		for i := range v.NumField() {
			if sf := v.Type().Field(i); sf.IsExported() && !sf.Anonymous && !isEmpty(v.Field(i)) {
				return false
			}
		}
		return true
	default:
		return v.IsZero()
	}
}

// topLevel writes the model's sections with a blank line between them.
func (yw *yamlWriter) topLevel(v reflect.Value) {
	for i, f := range fields(v) {
		if i > 0 && !isScalar(f.value) {
			yw.buf.WriteByte('\n')
		}
		switch {
		case f.name == "system":
			for _, c := range yw.notes.ItemNotes("system", "") {
				yw.comment(0, c)
			}
			yw.buf.WriteString("system:\n")
			yw.structBody(f.value, 1, "system", "", "")
		case f.value.Kind() == reflect.Slice && f.value.Type().Elem().Kind() == reflect.Struct:
			yw.buf.WriteString(f.name + ":\n")
			for j := range f.value.Len() {
				item := f.value.Index(j)
				id := itemID(item)
				for _, c := range yw.notes.ItemNotes(f.name, id) {
					yw.comment(1, c)
				}
				yw.indent(1)
				yw.buf.WriteString("- ")
				yw.structBody(item, 2, f.name, id, "")
			}
		default:
			yw.keyValue(f, 0, "", "", "")
		}
	}
}

// itemID returns the ID (or, for dispositions, the match) of a list item.
func itemID(v reflect.Value) string {
	for _, name := range []string{"ID", "Match"} {
		if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
			return f.String()
		}
	}
	return ""
}

// structBody writes the fields of struct v at level. The first line is
// written without indentation, because it follows "- " or a key on the
// caller's line only when the caller wrote "- ".
func (yw *yamlWriter) structBody(v reflect.Value, level int, section, id, prefix string) {
	fs := fields(v)
	atDash := yw.buf.Len() > 0 && bytes.HasSuffix(yw.buf.Bytes(), []byte("- "))
	for i, f := range fs {
		if i > 0 || !atDash {
			for _, c := range yw.fieldNotesAbove(f, section, id, prefix) {
				yw.comment(level, c)
			}
			yw.indent(level)
		}
		yw.keyValueInline(f, level, section, id, prefix)
	}
	if len(fs) == 0 && atDash {
		yw.buf.WriteString("{}\n")
	}
}

// fieldNotesAbove returns the notes of a non-scalar field, which go on
// their own lines above the key.
func (yw *yamlWriter) fieldNotesAbove(f field, section, id, prefix string) []string {
	if isScalar(f.value) || yw.inlineable(f.value) && !yw.notes.hasFieldNotesUnder(section, id, prefix+f.name+".") {
		return nil
	}
	return yw.notes.FieldNotes(section, id, prefix+f.name)
}

func (yw *yamlWriter) keyValue(f field, level int, section, id, prefix string) {
	yw.indent(level)
	yw.keyValueInline(f, level, section, id, prefix)
}

// keyValueInline writes "key: value" from the current column.
func (yw *yamlWriter) keyValueInline(f field, level int, section, id, prefix string) {
	path := prefix + f.name
	notes := yw.notes.FieldNotes(section, id, path)
	yw.buf.WriteString(quoteKey(f.name))
	yw.buf.WriteByte(':')
	v := f.value
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	switch {
	case isScalar(v):
		yw.buf.WriteByte(' ')
		yw.scalarValue(v, level, notes)
	case yw.inlineable(v) && !yw.notes.hasFieldNotesUnder(section, id, path+"."):
		yw.buf.WriteByte(' ')
		yw.buf.WriteString(flowValue(v))
		yw.trailing(notes)
	case v.Kind() == reflect.Struct:
		yw.buf.WriteByte('\n')
		yw.structBodyNested(v, level+1, section, id, path+".")
	case v.Kind() == reflect.Map:
		yw.buf.WriteByte('\n')
		yw.mapBody(v, level+1)
	case v.Kind() == reflect.Slice:
		yw.buf.WriteByte('\n')
		for j := range v.Len() {
			item := v.Index(j)
			if item.Kind() == reflect.Interface {
				item = item.Elem()
			}
			yw.indent(level)
			yw.buf.WriteString("- ")
			switch {
			case item.Kind() == reflect.Struct:
				yw.structBody(item, level+1, section, id, path+".")
			case isScalar(item):
				yw.scalarValue(item, level+1, nil)
			default:
				yw.buf.WriteString(flowValue(item))
				yw.buf.WriteByte('\n')
			}
		}
	}
}

func (yw *yamlWriter) structBodyNested(v reflect.Value, level int, section, id, prefix string) {
	for _, f := range fields(v) {
		for _, c := range yw.fieldNotesAbove(f, section, id, prefix) {
			yw.comment(level, c)
		}
		yw.keyValue(f, level, section, id, prefix)
	}
}

func (yw *yamlWriter) mapBody(v reflect.Value, level int) {
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		yw.keyValue(field{name: k.String(), value: v.MapIndex(k)}, level, "", "", "")
	}
}

func (yw *yamlWriter) trailing(notes []string) {
	for i, n := range notes {
		if i == 0 {
			yw.buf.WriteString("  # " + commentSafe(n))
		} else {
			yw.buf.WriteString("; " + commentSafe(n))
		}
	}
	yw.buf.WriteByte('\n')
}

// scalarValue writes a string, number or boolean and the notes as a line
// comment. Multi-line strings become literal blocks indented one level
// deeper than level, with the comment on the block's header line.
func (yw *yamlWriter) scalarValue(v reflect.Value, level int, notes []string) {
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.String {
		if header, body, ok := literalBlock(v.String(), level); ok {
			yw.buf.WriteString(header)
			yw.trailing(notes)
			yw.buf.WriteString(body)
			return
		}
	}
	yw.buf.WriteString(scalarText(v))
	yw.trailing(notes)
}

func isScalar(v reflect.Value) bool {
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return true
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64, reflect.Float32, reflect.Uint, reflect.Int32:
		return true
	}
	return false
}

func scalarText(v reflect.Value) string {
	if !v.IsValid() {
		return "null"
	}
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "null"
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return quoteString(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float64, reflect.Float32:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	return quoteString(fmt.Sprint(v.Interface()))
}

// inlineable reports whether v is a list of scalars or a struct or map of
// scalars short enough to write in flow style on one line.
func (yw *yamlWriter) inlineable(v reflect.Value) bool {
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice:
		for i := range v.Len() {
			if !isScalar(v.Index(i)) {
				return false
			}
			if s := v.Index(i); s.Kind() == reflect.String && strings.ContainsAny(s.String(), "\n") {
				return false
			}
		}
	case reflect.Struct:
		for _, f := range fields(v) {
			if !isScalar(f.value) || strings.ContainsRune(scalarText(f.value), '\n') {
				return false
			}
		}
	case reflect.Map:
		return false
	default:
		return false
	}
	return len(flowValue(v)) <= lineWidth
}

// flowValue writes a list or struct of scalars as [a, b] or {k: v}.
func flowValue(v reflect.Value) string {
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	var parts []string
	switch v.Kind() {
	case reflect.Slice:
		for i := range v.Len() {
			parts = append(parts, flowScalar(v.Index(i)))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Struct:
		for _, f := range fields(v) {
			parts = append(parts, quoteKey(f.name)+": "+flowScalar(f.value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			parts = append(parts, quoteKey(k.String())+": "+flowValueOrScalar(v.MapIndex(k)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return scalarText(v)
}

func flowValueOrScalar(v reflect.Value) string {
	if isScalar(v) {
		return flowScalar(v)
	}
	return flowValue(v)
}

// flowScalar quotes a scalar for flow context, where commas and brackets
// end a plain scalar.
func flowScalar(v reflect.Value) string {
	s := scalarText(v)
	if strings.ContainsAny(s, ",[]{}") && !strings.HasPrefix(s, `"`) {
		return strconv.Quote(s)
	}
	return s
}

// plainSafe matches strings that YAML reads back as the same string when
// written without quotes.
var plainSafe = regexp.MustCompile(`^[\p{L}\p{N}_./(][\p{L}\p{N} _./()@+=-]*$`)

// reservedPlain are plain scalars YAML 1.1 or 1.2 reads as something other
// than a string.
var reservedPlain = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true,
	"y": true, "n": true, "null": true, "~": true, ".inf": true, ".nan": true,
}

// quoteString writes s plain when that is safe and double-quoted otherwise.
func quoteString(s string) string {
	if needsQuotes(s) {
		return doubleQuote(s)
	}
	return s
}

func needsQuotes(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || !plainSafe.MatchString(s) {
		return true
	}
	if reservedPlain[strings.ToLower(s)] {
		return true
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
		return true
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0o") {
		return true
	}
	return false
}

// doubleQuote writes a YAML double-quoted scalar. YAML's escapes are a
// superset of JSON's, but \u escapes above the Basic Multilingual Plane
// must be written as \U, so every non-printable rune is escaped by hand.
func doubleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == unicode.ReplacementChar || !unicode.IsPrint(r) && r != ' ':
			if r > 0xFFFF {
				fmt.Fprintf(&b, `\U%08X`, r)
			} else {
				fmt.Fprintf(&b, `\u%04X`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func quoteKey(k string) string { return quoteString(k) }

// literalBlock writes a multi-line string as a literal block scalar when
// YAML reads it back unchanged: printable text, no line starting with a
// space, no trailing spaces, at most one final newline.
func literalBlock(s string, level int) (header, body string, ok bool) {
	if !strings.Contains(s, "\n") {
		return "", "", false
	}
	body = s
	chomp := "|-"
	if strings.HasSuffix(body, "\n") {
		body = strings.TrimSuffix(body, "\n")
		chomp = "|"
		if strings.HasSuffix(body, "\n") {
			return "", "", false
		}
	}
	if strings.TrimSpace(body) == "" {
		return "", "", false
	}
	lines := strings.Split(body, "\n")
	for _, l := range lines {
		// The first non-empty line sets the block's indentation.
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			return "", "", false
		}
		break
	}
	for _, l := range lines {
		if l != strings.TrimRight(l, " \t") || strings.ContainsRune(l, '\r') {
			return "", "", false
		}
		for _, r := range l {
			if !unicode.IsPrint(r) && r != '\t' {
				return "", "", false
			}
		}
	}
	var b strings.Builder
	pad := strings.Repeat("  ", level+1)
	for _, l := range lines {
		if l != "" {
			b.WriteString(pad)
			b.WriteString(l)
		}
		b.WriteByte('\n')
	}
	return chomp, b.String(), true
}
