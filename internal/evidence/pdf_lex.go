package evidence

import (
	"bytes"
	"fmt"
	"strconv"
)

// PDF object values. Numbers are float64, booleans bool, null nil.
type (
	pdfName    string
	pdfString  []byte
	pdfKeyword string
	pdfArray   []any
	pdfDict    map[pdfName]any
	pdfRef     struct{ num, gen int }
	pdfStream  struct {
		dict pdfDict
		raw  []byte
	}
)

// pdfLexer reads PDF tokens and objects from a byte slice. Every loop
// consumes at least one byte, and nesting is bounded by maxDepth, so any
// input ends in time linear in its size.
type pdfLexer struct {
	data     []byte
	pos      int
	maxDepth int
}

func isPDFSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isPDFDelim(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

// skipSpace skips white space and comments.
func (l *pdfLexer) skipSpace() {
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		switch {
		case isPDFSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.data) && l.data[l.pos] != '\n' && l.data[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// object reads the next object. Keywords (obj, stream, R, operators) come
// back as pdfKeyword; references "n g R" are combined into pdfRef.
func (l *pdfLexer) object(depth int) (any, error) {
	if depth > l.maxDepth {
		return nil, fmt.Errorf("%w: arrays and dictionaries nest deeper than %d at byte %d", errLimit, l.maxDepth, l.pos)
	}
	l.skipSpace()
	if l.pos >= len(l.data) {
		return nil, errPDFEnd
	}
	c := l.data[l.pos]
	switch {
	case c == '/':
		return l.name(), nil
	case c == '(':
		return l.literal(), nil
	case c == '<' && l.pos+1 < len(l.data) && l.data[l.pos+1] == '<':
		return l.dict(depth)
	case c == '<':
		return l.hex(), nil
	case c == '[':
		l.pos++
		var arr pdfArray
		for {
			l.skipSpace()
			if l.pos >= len(l.data) {
				return arr, nil
			}
			if l.data[l.pos] == ']' {
				l.pos++
				return arr, nil
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	case c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9':
		return l.number(), nil
	case c == ')' || c == '>' || c == ']' || c == '{' || c == '}':
		l.pos++
		return pdfKeyword(string(c)), nil
	}
	start := l.pos
	for l.pos < len(l.data) && !isPDFSpace(l.data[l.pos]) && !isPDFDelim(l.data[l.pos]) {
		l.pos++
	}
	switch kw := string(l.data[start:l.pos]); kw {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	default:
		return pdfKeyword(kw), nil
	}
}

var errPDFEnd = fmt.Errorf("unexpected end of data")

func (l *pdfLexer) dict(depth int) (any, error) {
	l.pos += 2
	d := pdfDict{}
	for {
		l.skipSpace()
		if l.pos >= len(l.data) {
			return d, nil
		}
		if bytes.HasPrefix(l.data[l.pos:], []byte(">>")) {
			l.pos += 2
			return d, nil
		}
		k, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		key, ok := k.(pdfName)
		if !ok {
			// A malformed key: skip it and go on, as viewers do.
			continue
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		if kw, ok := v.(pdfKeyword); ok && kw == ">" {
			return d, nil
		}
		d[key] = v
	}
}

// number reads a number and, when it is followed by "gen R", a reference.
func (l *pdfLexer) number() any {
	start := l.pos
	l.pos++
	for l.pos < len(l.data) && (l.data[l.pos] >= '0' && l.data[l.pos] <= '9' || l.data[l.pos] == '.') {
		l.pos++
	}
	f, err := strconv.ParseFloat(string(l.data[start:l.pos]), 64)
	if err != nil {
		f = 0
	}

	// Look ahead for "gen R".
	save := l.pos
	l.skipSpace()
	genStart := l.pos
	for l.pos < len(l.data) && l.data[l.pos] >= '0' && l.data[l.pos] <= '9' {
		l.pos++
	}
	if l.pos > genStart && l.pos-genStart < 7 {
		gen, _ := strconv.Atoi(string(l.data[genStart:l.pos]))
		l.skipSpace()
		if l.pos < len(l.data) && l.data[l.pos] == 'R' && (l.pos+1 == len(l.data) || isPDFSpace(l.data[l.pos+1]) || isPDFDelim(l.data[l.pos+1])) {
			l.pos++
			return pdfRef{num: int(f), gen: gen}
		}
	}
	l.pos = save
	return f
}

func (l *pdfLexer) name() pdfName {
	l.pos++
	var b []byte
	for l.pos < len(l.data) && !isPDFSpace(l.data[l.pos]) && !isPDFDelim(l.data[l.pos]) {
		c := l.data[l.pos]
		if c == '#' && l.pos+2 < len(l.data) {
			if v, err := strconv.ParseUint(string(l.data[l.pos+1:l.pos+3]), 16, 8); err == nil {
				b = append(b, byte(v))
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return pdfName(b)
}

// literal reads a (string) with its escapes and balanced parentheses.
func (l *pdfLexer) literal() pdfString {
	l.pos++
	var b []byte
	nest := 0
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		switch c {
		case '(':
			nest++
			b = append(b, c)
		case ')':
			if nest == 0 {
				return b
			}
			nest--
			b = append(b, c)
		case '\\':
			if l.pos >= len(l.data) {
				return b
			}
			e := l.data[l.pos]
			l.pos++
			switch e {
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case '\r':
				if l.pos < len(l.data) && l.data[l.pos] == '\n' {
					l.pos++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.data) && l.data[l.pos] >= '0' && l.data[l.pos] <= '7'; k++ {
						v = v*8 + int(l.data[l.pos]-'0')
						l.pos++
					}
					b = append(b, byte(v))
				} else {
					b = append(b, e)
				}
			}
		default:
			b = append(b, c)
		}
	}
	return b
}

func (l *pdfLexer) hex() pdfString {
	l.pos++
	var b []byte
	var hi byte
	half := false
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v, ok := hexValue(c)
		if !ok {
			continue
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return b
}

func hexValue(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// num returns v as a number, resolving nothing.
func num(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok
}
