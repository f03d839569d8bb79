package interop

import "strings"

// Notes are the comments the YAML writer puts into an imported model:
// header lines, comments above an item and comments after one field.
// Items are named by their section (the top-level YAML key such as
// elements) and their ID; the system block uses section "system" and no ID.
type Notes struct {
	Header []string
	items  map[string][]string
	fields map[string][]string
}

func newNotes() *Notes {
	return &Notes{items: map[string][]string{}, fields: map[string][]string{}}
}

func noteKey(parts ...string) string { return strings.Join(parts, "\x00") }

// Item adds a comment line above the item id of section.
func (n *Notes) Item(section, id, text string) {
	k := noteKey(section, id)
	n.items[k] = append(n.items[k], text)
}

// Field adds a comment to field (a dotted path such as protocol.name) of the
// item id of section.
func (n *Notes) Field(section, id, field, text string) {
	k := noteKey(section, id, field)
	n.fields[k] = append(n.fields[k], text)
}

// ItemNotes returns the comments above an item.
func (n *Notes) ItemNotes(section, id string) []string {
	if n == nil {
		return nil
	}
	return n.items[noteKey(section, id)]
}

// FieldNotes returns the comments of one field of an item.
func (n *Notes) FieldNotes(section, id, field string) []string {
	if n == nil {
		return nil
	}
	return n.fields[noteKey(section, id, field)]
}

// hasFieldNotesUnder reports whether a field below prefix (such as
// "document.") of an item has notes, which rules out writing it on one line.
func (n *Notes) hasFieldNotesUnder(section, id, prefix string) bool {
	if n == nil {
		return false
	}
	start := noteKey(section, id, prefix)
	for k := range n.fields {
		if strings.HasPrefix(k, start) {
			return true
		}
	}
	return false
}
