package interop

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/wardtm/ward/internal/model"
)

// maxSlugLen keeps generated IDs readable; longer names are cut at a dash.
const maxSlugLen = 48

// slug turns a name into an ID of lower-case ASCII letters, digits and
// single dashes. Accents are dropped (Ü becomes u); letters with no ASCII
// form are left out, so a name in another script can give "".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case unicode.Is(unicode.Mn, r):
			// A combining accent split off by NFKD.
		default:
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > maxSlugLen {
		s = s[:maxSlugLen]
		if i := strings.LastIndexByte(s, '-'); i > maxSlugLen/2 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	return s
}

// idAllocator hands out IDs that are valid and unique across the whole
// model, because threat IDs name their target by ID alone.
type idAllocator struct {
	used map[string]bool
	// bySource maps a namespace and the source's own ID to the Ward ID.
	bySource map[string]string
	// keepValid makes assign keep a preferred ID that is already a valid
	// Ward ID, case included, for sources whose IDs Ward wrote.
	keepValid bool
}

func newIDAllocator() *idAllocator {
	return &idAllocator{used: map[string]bool{}, bySource: map[string]string{}}
}

// reserve marks id as taken without a source mapping.
func (a *idAllocator) reserve(id string) { a.used[id] = true }

// assign returns a new unique ID for the item that the source calls
// sourceID in namespace ns, built from preferred (or from fallback when
// preferred has no usable characters). The mapping is remembered for lookup.
func (a *idAllocator) assign(ns, sourceID, preferred, fallback string) string {
	base := slug(preferred)
	if a.keepValid && len(preferred) <= model.MaxIDLength && wardID.MatchString(preferred) {
		base = preferred
	}
	if base == "" {
		base = fallback
	}
	id := base
	for n := 2; a.used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	a.used[id] = true
	if sourceID != "" {
		a.bySource[ns+"\x00"+sourceID] = id
	}
	return id
}

// wardID matches the IDs the model accepts, as model.Parse checks them.
var wardID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

// lookup returns the Ward ID given to sourceID in namespace ns.
func (a *idAllocator) lookup(ns, sourceID string) (string, bool) {
	id, ok := a.bySource[ns+"\x00"+sourceID]
	return id, ok
}

// release frees an ID assigned for an item that was then not created.
func (a *idAllocator) release(id string) { delete(a.used, id) }

// uuidLike matches the GUIDs that diagram tools use as IDs.
var uuidLike = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// readableID returns the source ID when a person chose it, and the name
// when the source ID is a GUID or missing.
func readableID(sourceID, name string) string {
	if sourceID == "" || uuidLike.MatchString(sourceID) {
		return firstNonEmpty(name, sourceID)
	}
	return sourceID
}
