package evidence

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// pdfFont decodes the bytes of shown strings to text.
type pdfFont struct {
	// width is the code length in bytes: 1 for simple fonts, usually 2 for
	// composite (Type0) fonts.
	width int
	// cmap is the ToUnicode map, or nil when the font has none.
	cmap *toUnicode
	// simple is the encoding of a simple font without ToUnicode.
	simple *[256]rune
	// composite marks a Type0 font without ToUnicode, whose codes are
	// glyph IDs that cannot be mapped to text.
	composite bool
}

// decode returns the text of a shown string.
func (ft *pdfFont) decode(s []byte) string {
	var b strings.Builder
	step := max(ft.width, 1)
	for i := 0; i+step <= len(s); i += step {
		code := 0
		for k := range step {
			code = code<<8 | int(s[i+k])
		}
		if ft.cmap != nil {
			if r, ok := ft.cmap.lookup(code); ok {
				b.WriteString(r)
				continue
			}
		}
		switch {
		case ft.composite:
			// No way to map a glyph ID to text.
		case ft.simple != nil && code < 256:
			if r := ft.simple[code]; r != 0 {
				b.WriteRune(r)
			}
		case code < 256:
			b.WriteRune(winAnsi[code])
		}
	}
	return b.String()
}

// font returns the decoder of a font resource, cached by object.
func (f *pdfFile) font(v any) *pdfFont {
	key := v
	if _, ok := v.(pdfRef); !ok {
		key = nil
	}
	if key != nil {
		if ft, ok := f.fonts[key]; ok {
			return ft
		}
	}
	ft := &pdfFont{width: 1}
	d := f.dict(v)
	if d != nil {
		if sub, _ := d["Subtype"].(pdfName); sub == "Type0" {
			ft.width = 2
			ft.composite = true
		}
		if s, ok := f.resolve(d["ToUnicode"]).(*pdfStream); ok {
			if data, err := f.decode(s); err == nil {
				ft.cmap = parseToUnicode(data, f.lim)
				if ft.cmap.width > 0 {
					ft.width = ft.cmap.width
				}
			}
		}
		if !ft.composite {
			ft.simple = f.simpleEncoding(d["Encoding"])
		}
	}
	if key != nil {
		f.fonts[key] = ft
	}
	return ft
}

// simpleEncoding builds the code-to-rune table of a simple font: WinAnsi,
// which matches the standard and Mac encodings for letters and digits,
// changed by a Differences array.
func (f *pdfFile) simpleEncoding(v any) *[256]rune {
	enc := winAnsi
	d := f.dict(v)
	if d == nil {
		return &enc
	}
	diffs, _ := f.resolve(d["Differences"]).(pdfArray)
	code := 0
	for _, x := range diffs {
		switch x := f.resolve(x).(type) {
		case float64:
			code = int(x)
		case pdfName:
			if code >= 0 && code < 256 {
				if r, ok := glyphRune(string(x)); ok {
					enc[code] = r
				}
			}
			code++
		}
	}
	return &enc
}

// toUnicode is a parsed ToUnicode CMap.
type toUnicode struct {
	width  int
	chars  map[int]string
	ranges []cmapRange
}

type cmapRange struct {
	lo, hi int
	// base is the text of lo; later codes increment its last rune.
	base string
	// list, when set, gives the text of each code from lo.
	list []string
}

func (c *toUnicode) lookup(code int) (string, bool) {
	if s, ok := c.chars[code]; ok {
		return s, true
	}
	i := sort.Search(len(c.ranges), func(i int) bool { return c.ranges[i].hi >= code })
	if i < len(c.ranges) && c.ranges[i].lo <= code {
		r := c.ranges[i]
		off := code - r.lo
		if r.list != nil {
			if off < len(r.list) {
				return r.list[off], true
			}
			return "", false
		}
		rs := []rune(r.base)
		if len(rs) == 0 {
			return "", false
		}
		rs[len(rs)-1] += rune(off)
		return string(rs), true
	}
	return "", false
}

// maxCMapEntries bounds the entries kept from one CMap.
const maxCMapEntries = 1 << 16

// parseToUnicode reads the codespace ranges, bfchar and bfrange sections
// of a ToUnicode CMap and ignores the rest.
func parseToUnicode(data []byte, lim Limits) *toUnicode {
	c := &toUnicode{chars: map[int]string{}}
	lx := &pdfLexer{data: data, maxDepth: lim.maxDepth()}
	var ops []any
	entries := 0
	for {
		v, err := lx.object(0)
		if err != nil {
			break
		}
		kw, ok := v.(pdfKeyword)
		if !ok {
			if len(ops) < 3*maxCMapEntries {
				ops = append(ops, v)
			}
			continue
		}
		switch kw {
		case "endcodespacerange":
			if len(ops) > 0 {
				if s, ok := ops[0].(pdfString); ok && len(s) > 0 && len(s) <= 4 {
					c.width = len(s)
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops) && entries < maxCMapEntries; i += 2 {
				src, ok1 := ops[i].(pdfString)
				dst, ok2 := ops[i+1].(pdfString)
				if ok1 && ok2 {
					c.chars[bytesCode(src)] = utf16BE(dst)
					entries++
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops) && entries < maxCMapEntries; i += 3 {
				lo, ok1 := ops[i].(pdfString)
				hi, ok2 := ops[i+1].(pdfString)
				if !ok1 || !ok2 {
					continue
				}
				r := cmapRange{lo: bytesCode(lo), hi: bytesCode(hi)}
				if r.hi < r.lo {
					continue
				}
				switch dst := ops[i+2].(type) {
				case pdfString:
					r.base = utf16BE(dst)
				case pdfArray:
					for _, x := range dst {
						if s, ok := x.(pdfString); ok {
							r.list = append(r.list, utf16BE(s))
						}
					}
				}
				c.ranges = append(c.ranges, r)
				entries++
			}
		}
		ops = ops[:0]
	}
	sort.Slice(c.ranges, func(i, j int) bool { return c.ranges[i].lo < c.ranges[j].lo })
	return c
}

func bytesCode(s []byte) int {
	code := 0
	for _, b := range s[:min(len(s), 4)] {
		code = code<<8 | int(b)
	}
	return code
}

func utf16BE(s []byte) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

// winAnsi maps WinAnsiEncoding (Windows code page 1252) codes to runes.
var winAnsi = func() [256]rune {
	var t [256]rune
	for i := range t {
		t[i] = rune(i)
	}
	high := []rune{'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
		0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ'}
	copy(t[0x80:], high)
	return t
}()

// glyphNames maps the glyph names common in Differences arrays that are
// not a single letter.
var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "quoteright": '’', "quoteleft": '‘', "parenleft": '(',
	"parenright": ')', "asterisk": '*', "plus": '+', "comma": ',', "hyphen": '-', "minus": '-',
	"period": '.', "slash": '/', "zero": '0', "one": '1', "two": '2', "three": '3', "four": '4',
	"five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9', "colon": ':', "semicolon": ';',
	"less": '<', "equal": '=', "greater": '>', "question": '?', "at": '@', "bracketleft": '[',
	"backslash": '\\', "bracketright": ']', "underscore": '_', "braceleft": '{', "bar": '|',
	"braceright": '}', "bullet": '•', "endash": '–', "emdash": '—', "quotedblleft": '“',
	"quotedblright": '”', "ellipsis": '…', "degree": '°', "registered": '®', "copyright": '©',
	"trademark": '™', "section": '§', "paragraph": '¶', "fi": 'ﬁ', "fl": 'ﬂ',
}

// glyphRune returns the rune of a glyph name: a single letter, a known
// name, or uniXXXX / uXXXX.
func glyphRune(name string) (rune, bool) {
	if len(name) == 1 {
		return rune(name[0]), true
	}
	if r, ok := glyphNames[name]; ok {
		return r, true
	}
	for _, prefix := range []string{"uni", "u"} {
		if hex, ok := strings.CutPrefix(name, prefix); ok && len(hex) >= 4 && len(hex) <= 6 {
			if v, err := strconv.ParseUint(hex[:4], 16, 32); err == nil {
				return rune(v), true
			}
		}
	}
	return 0, false
}
