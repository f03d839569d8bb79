package interop

import (
	"bytes"
	"unicode/utf8"

	"github.com/wardtm/ward/internal/diag"
)

// cursor converts byte offsets of one file into line and column positions.
// It remembers the last position and moves on from there, so a parser that
// reads positions in increasing offset order pays for each byte once.
// posAt counts from the start of the file on every call, which makes
// parsing quadratic in the number of values.
type cursor struct {
	file string
	data []byte
	// off, line and col are the last position handed out.
	off, line, col int
}

func newCursor(file string, data []byte) *cursor {
	return &cursor{file: file, data: data, line: 1, col: 1}
}

// at returns the position of byte offset off; the column counts runes.
func (c *cursor) at(off int) diag.Pos {
	off = max(0, min(off, len(c.data)))
	if off < c.off {
		c.back(off)
	}
	for c.off < off {
		r, size := utf8.DecodeRune(c.data[c.off:])
		if c.off+size > off {
			// off is inside a multi-byte rune: it belongs to that rune.
			break
		}
		if r == '\n' {
			c.line++
			c.col = 1
		} else {
			c.col++
		}
		c.off += size
	}
	return diag.Pos{File: c.file, Line: c.line, Col: c.col, Offset: off}
}

// back moves the cursor back to off, which costs the distance moved plus
// the length of the line off is on.
func (c *cursor) back(off int) {
	c.line -= bytes.Count(c.data[off:c.off], []byte("\n"))
	start := bytes.LastIndexByte(c.data[:off], '\n') + 1
	c.col = utf8.RuneCount(c.data[start:off]) + 1
	c.off = off
}
