package catalog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// MaxSTIXSize is the largest STIX bundle ImportSTIX reads, in bytes. The
// ATT&CK Enterprise bundle, the largest MITRE publishes, is about 50 MB.
const MaxSTIXSize = 256 << 20

// stixSizeLimit is the limit ImportSTIX applies; tests lower it to check
// the rejection without producing a quarter gigabyte of input.
var stixSizeLimit int64 = MaxSTIXSize

// Catalog names, the Name of an imported Catalog.
const (
	CatalogCAPEC            = "capec"
	CatalogATTACKEnterprise = "enterprise-attack"
	CatalogATTACKMobile     = "mobile-attack"
	CatalogATTACKICS        = "ics-attack"
	CatalogEMB3D            = "emb3d"
)

// catalogTitles are the display names of the catalogs.
var catalogTitles = map[string]string{
	CatalogCAPEC:            "CAPEC",
	CatalogATTACKEnterprise: "MITRE ATT&CK Enterprise",
	CatalogATTACKMobile:     "MITRE ATT&CK Mobile",
	CatalogATTACKICS:        "MITRE ATT&CK for ICS",
	CatalogEMB3D:            "MITRE EMB3D",
}

// Entry is one entry of an imported catalog.
type Entry struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	// Catalog is the Name of the catalog the entry belongs to.
	Catalog string `json:"-"`
}

// Catalog is a third-party catalog imported from a STIX 2.1 bundle.
type Catalog struct {
	// Name is capec, enterprise-attack, mobile-attack, ics-attack or emb3d.
	Name string `json:"name"`
	// Version is the catalog's release as the bundle states it, such as
	// 3.6 for CAPEC or 18.1 for ATT&CK; empty when the bundle does not say.
	Version string `json:"version,omitempty"`
	// Source is the name of the file the catalog was imported from.
	Source string `json:"source"`
	// Revoked and Deprecated count the objects skipped on import.
	Revoked    int `json:"revoked"`
	Deprecated int `json:"deprecated"`
	// RevokedIDs and DeprecatedIDs are the IDs of the skipped objects, so
	// that a lookup can tell a withdrawn ID from one the catalog never
	// had. Caches written before Ward recorded them leave both empty.
	RevokedIDs    []string `json:"revoked_ids,omitempty"`
	DeprecatedIDs []string `json:"deprecated_ids,omitempty"`
	Entries       []Entry  `json:"entries"`
}

// Title returns the catalog's display name.
func (c *Catalog) Title() string {
	if t, ok := catalogTitles[c.Name]; ok {
		return t
	}
	return c.Name
}

// stixObject holds the fields of a STIX object that ImportSTIX reads; the
// rest of each object is skipped by the decoder.
type stixObject struct {
	Type               string            `json:"type"`
	Name               string            `json:"name"`
	Description        string            `json:"description"`
	Revoked            bool              `json:"revoked"`
	ExternalReferences []stixExternalRef `json:"external_references"`
	MitreDeprecated    bool              `json:"x_mitre_deprecated"`
	MitreDomains       []string          `json:"x_mitre_domains"`
	MitreVersion       string            `json:"x_mitre_version"`
	CAPECStatus        string            `json:"x_capec_status"`
	CAPECVersion       string            `json:"x_capec_version"`
}

type stixExternalRef struct {
	SourceName string `json:"source_name"`
	ExternalID string `json:"external_id"`
	URL        string `json:"url"`
}

var (
	stixCAPECID  = regexp.MustCompile(`^CAPEC-[0-9]+$`)
	stixATTACKID = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)
	stixEMB3DID  = regexp.MustCompile(`^TID-[0-9]+$`)
	citation     = regexp.MustCompile(`\s*\(Citation: [^)]*\)`)
	// xhtmlBreak and xhtmlTag match the XHTML markup CAPEC puts in its
	// descriptions.
	xhtmlBreak = regexp.MustCompile(`</xhtml:(p|li|div)>|<xhtml:br\s*/?>`)
	xhtmlTag   = regexp.MustCompile(`</?xhtml:[a-zA-Z0-9]+[^>]*>`)
)

// plainText removes citation markers and XHTML markup from a description,
// keeping paragraph breaks as newlines.
func plainText(s string) string {
	s = citation.ReplaceAllString(s, "")
	s = xhtmlBreak.ReplaceAllString(s, "\n")
	s = xhtmlTag.ReplaceAllString(s, "")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// ImportSTIX reads a STIX 2.1 bundle of CAPEC, MITRE ATT&CK (Enterprise,
// Mobile or ICS) or MITRE EMB3D and returns its entries, sorted by ID.
// name is the file name used in messages and recorded as Source.
//
// Objects are decoded one at a time from the bundle's objects array. An
// object becomes an entry when one of its external references is a CAPEC,
// ATT&CK technique or EMB3D threat ID; revoked and deprecated objects are
// counted and skipped. Bundles larger than MaxSTIXSize are rejected.
func ImportSTIX(r io.Reader, name string) (*Catalog, error) {
	data, err := io.ReadAll(io.LimitReader(r, stixSizeLimit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > stixSizeLimit {
		return nil, fmt.Errorf("%s is larger than %d bytes, the limit for a STIX bundle", name, stixSizeLimit)
	}

	imp := &stixImport{name: name, data: data, counts: map[string]int{}, versions: map[string]int{}}
	if err := imp.decode(); err != nil {
		return nil, err
	}
	return imp.catalog()
}

// stixImport is the state of one ImportSTIX call.
type stixImport struct {
	name     string
	data     []byte
	entries  []Entry
	counts   map[string]int // entries per catalog name
	versions map[string]int // versions seen, by count
	revoked  int
	depr     int
	// revokedIDs and deprIDs are the IDs of the skipped objects.
	revokedIDs, deprIDs []string
	seenType            bool
}

func (imp *stixImport) decode() error {
	dec := json.NewDecoder(bytes.NewReader(imp.data))
	if err := expectDelim(dec, '{'); err != nil {
		return imp.syntaxError(dec, err, "a STIX bundle is a JSON object with type bundle and an objects array")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return imp.syntaxError(dec, err, "")
		}
		switch key {
		case "type":
			var typ string
			if err := dec.Decode(&typ); err != nil {
				return imp.syntaxError(dec, err, "")
			}
			if typ != "bundle" {
				return fmt.Errorf("%s is a STIX %q object, not a bundle; export the catalog as a STIX 2.1 bundle", imp.name, typ)
			}
			imp.seenType = true
		case "objects":
			if err := imp.decodeObjects(dec); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return imp.syntaxError(dec, err, "")
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return imp.syntaxError(dec, err, "")
	}
	if !imp.seenType {
		return fmt.Errorf("%s has no \"type\": \"bundle\" key; it is not a STIX bundle", imp.name)
	}
	return nil
}

func (imp *stixImport) decodeObjects(dec *json.Decoder) error {
	if err := expectDelim(dec, '['); err != nil {
		return imp.syntaxError(dec, err, "objects must be an array")
	}
	for i := 0; dec.More(); i++ {
		start := skipSpace(imp.data, dec.InputOffset())
		var o stixObject
		if err := dec.Decode(&o); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				line, col := lineCol(imp.data, start+te.Offset-1)
				return fmt.Errorf("%s:%d:%d: invalid STIX bundle: objects[%d].%s must be %s, found %s",
					imp.name, line, col, i, te.Field, jsonKind(te.Type.Kind().String()), te.Value)
			}
			return imp.syntaxError(dec, err, "")
		}
		imp.add(&o)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return imp.syntaxError(dec, err, "")
	}
	return nil
}

// add turns one object into an entry when it is a catalog entry.
func (imp *stixImport) add(o *stixObject) {
	switch o.Type {
	case "relationship", "marking-definition", "identity", "course-of-action", "x-mitre-matrix", "x-mitre-tactic":
		return
	case "x-mitre-collection":
		if o.MitreVersion != "" {
			imp.versions[o.MitreVersion] += 1000 // the collection's version wins
		}
		return
	}
	catalog, ref, ok := classify(o)
	if !ok {
		return
	}
	if o.Revoked {
		imp.revoked++
		imp.revokedIDs = append(imp.revokedIDs, ref.ExternalID)
		return
	}
	if o.MitreDeprecated || strings.EqualFold(o.CAPECStatus, "deprecated") {
		imp.depr++
		imp.deprIDs = append(imp.deprIDs, ref.ExternalID)
		return
	}
	imp.counts[catalog]++
	if o.CAPECVersion != "" {
		imp.versions[o.CAPECVersion]++
	}
	imp.entries = append(imp.entries, Entry{
		ID:          ref.ExternalID,
		Name:        strings.TrimSpace(o.Name),
		Description: plainText(o.Description),
		URL:         ref.URL,
		Catalog:     catalog,
	})
}

// classify returns the catalog an object belongs to and the external
// reference that names it.
func classify(o *stixObject) (string, stixExternalRef, bool) {
	for _, ref := range o.ExternalReferences {
		src := strings.ToLower(ref.SourceName)
		switch {
		case src == "capec" && stixCAPECID.MatchString(ref.ExternalID):
			return CatalogCAPEC, ref, true
		case (src == "mitre-attack" || src == "mitre-ics-attack" || src == "mitre-mobile-attack") &&
			stixATTACKID.MatchString(ref.ExternalID):
			return attackDomain(src, o.MitreDomains), ref, true
		case stixEMB3DID.MatchString(ref.ExternalID):
			// EMB3D bundles have used several source names; the TID-nnn form
			// is what identifies them.
			return CatalogEMB3D, ref, true
		}
	}
	return "", stixExternalRef{}, false
}

func attackDomain(source string, domains []string) string {
	switch source {
	case "mitre-ics-attack":
		return CatalogATTACKICS
	case "mitre-mobile-attack":
		return CatalogATTACKMobile
	}
	for _, d := range domains {
		switch d {
		case CatalogATTACKICS, CatalogATTACKMobile, CatalogATTACKEnterprise:
			return d
		}
	}
	return CatalogATTACKEnterprise
}

// catalog assembles the result: the catalog is named after the kind most
// of its entries have.
func (imp *stixImport) catalog() (*Catalog, error) {
	if len(imp.entries) == 0 {
		return nil, fmt.Errorf("%s contains no CAPEC, ATT&CK or EMB3D entries (%d revoked or deprecated skipped); check that it is one of those bundles",
			imp.name, imp.revoked+imp.depr)
	}
	name, best := "", -1
	for k, n := range imp.counts {
		if n > best || (n == best && k < name) {
			name, best = k, n
		}
	}
	version, vbest := "", 0
	for v, n := range imp.versions {
		if n > vbest || (n == vbest && v < version) {
			version, vbest = v, n
		}
	}

	slices.SortFunc(imp.entries, func(a, b Entry) int { return compareIDs(a.ID, b.ID) })
	entries := slices.CompactFunc(imp.entries, func(a, b Entry) bool { return a.ID == b.ID })
	return &Catalog{
		Name:          name,
		Version:       version,
		Source:        imp.name,
		Revoked:       imp.revoked,
		Deprecated:    imp.depr,
		RevokedIDs:    sortedIDs(imp.revokedIDs),
		DeprecatedIDs: sortedIDs(imp.deprIDs),
		Entries:       entries,
	}, nil
}

// sortedIDs sorts ids as compareIDs does and drops repeats.
func sortedIDs(ids []string) []string {
	slices.SortFunc(ids, compareIDs)
	return slices.Compact(ids)
}

// compareIDs orders IDs by prefix and then numerically, so CAPEC-9 comes
// before CAPEC-10.
func compareIDs(a, b string) int {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	return cmp.Or(strings.Compare(pa, pb), cmp.Compare(len(na), len(nb)), strings.Compare(na, nb), strings.Compare(a, b))
}

func splitID(id string) (prefix, number string) {
	i := strings.IndexFunc(id, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return id, ""
	}
	number = id[i:]
	if dot := strings.IndexByte(number, '.'); dot >= 0 {
		number = number[:dot]
	}
	return id[:i], number
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}

// syntaxError reports a decoding failure with the line and column where it
// happened.
func (imp *stixImport) syntaxError(dec *json.Decoder, err error, hint string) error {
	offset := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// The offending byte is the last one read.
		offset = se.Offset - 1
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of file")
		offset = int64(len(imp.data))
	}
	line, col := lineCol(imp.data, offset)
	msg := fmt.Sprintf("%s:%d:%d: invalid STIX bundle: %v", imp.name, line, col, err)
	if hint != "" {
		msg += "; " + hint
	}
	return errors.New(msg)
}

// skipSpace returns the offset of the first byte at or after offset that is
// neither white space nor a comma, where the next JSON value starts.
func skipSpace(data []byte, offset int64) int64 {
	for offset < int64(len(data)) {
		switch data[offset] {
		case ' ', '\t', '\r', '\n', ',':
			offset++
		default:
			return offset
		}
	}
	return offset
}

// jsonKind names a Go kind in JSON terms for messages.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "a " + kind
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data []byte, offset int64) (int, int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}
