package threat

import "strings"

// arenaChunk is the size in bytes of the buffers an arena carves strings
// from.
const arenaChunk = 64 << 10

// arena builds many short strings, such as threat IDs and descriptions,
// in a few large buffers instead of one allocation each. It relies on
// strings.Builder only ever appending: the strings that String returned
// earlier never change, even when the builder grows into a new buffer.
// A string from an arena keeps its whole buffer alive, which suits the
// register, whose strings all live as long as it does.
type arena struct {
	b strings.Builder
}

// begin makes room for a string of about size bytes and returns where it
// starts. Write its bytes to a.b, then call end.
func (a *arena) begin(size int) int {
	if a.b.Cap()-a.b.Len() < size {
		a.b = strings.Builder{}
		a.b.Grow(max(arenaChunk, size))
	}
	return a.b.Len()
}

// end returns the string written since begin returned start.
func (a *arena) end(start int) string {
	return a.b.String()[start:]
}

// join returns s1 + s2 + s3.
func (a *arena) join(s1, s2, s3 string) string {
	start := a.begin(len(s1) + len(s2) + len(s3))
	a.b.WriteString(s1)
	a.b.WriteString(s2)
	a.b.WriteString(s3)
	return a.end(start)
}
