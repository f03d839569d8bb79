package catalog

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// CatalogCWE is the Name of the catalog imported from MITRE's CWE list.
const CatalogCWE = "cwe"

// The CWE catalog's display name sits with the other catalog titles.
func init() { catalogTitles[CatalogCWE] = "CWE" }

// MaxCWESize is the largest CWE XML document ImportCWE reads, in bytes,
// counted after unzipping. It is several times the size of MITRE's complete
// list (an estimate for the 4.x releases), so it only stops a runaway or
// hostile file.
const MaxCWESize = 128 << 20

// cweSizeLimit is the limit ImportCWE applies. Tests lower it.
var cweSizeLimit int64 = MaxCWESize

// maxCWEDepth bounds how deeply elements may nest. The schema puts entries
// three levels below the root, and the XHTML in descriptions and examples
// adds a few more.
const maxCWEDepth = 64

// cweURL is the address of an entry's definition page, where %s is the
// number.
const cweURL = "https://cwe.mitre.org/data/definitions/%s.html"

var (
	cweNumber = regexp.MustCompile(`^[1-9][0-9]{0,6}$`)
	// declaredEncoding matches encoding/xml's error for an XML declaration
	// naming an encoding other than UTF-8.
	declaredEncoding = regexp.MustCompile(`encoding "([^"]*)" declared`)
)

// cweKinds maps the list elements under Weakness_Catalog to the entry
// element each holds and the child element whose text becomes the entry's
// description.
var cweKinds = map[string]struct{ entry, text string }{
	"Weaknesses": {"Weakness", "Description"},
	"Categories": {"Category", "Summary"},
	"Views":      {"View", "Objective"},
}

// ImportCWE reads MITRE's CWE list in its XML form (the cwec_vX.Y.xml file
// of the CWE downloads page) and returns its weaknesses, categories and
// views as entries named CWE-<n>, sorted by number. name is the file name
// used in messages and recorded as Source.
//
// The root element must be Weakness_Catalog; its Version attribute becomes
// the catalog's Version. Entries whose Status is Deprecated are counted and
// skipped. Obsolete entries are kept, because their IDs remain valid.
//
// The input is treated as hostile: documents larger than MaxCWESize,
// elements nested deeper than 64 levels and any DOCTYPE or other <!...>
// declaration are rejected, so no entity can be defined, let alone
// expanded. Every error names the file, line and column.
func ImportCWE(r io.Reader, name string) (*Catalog, error) {
	lr := &sizeLimitReader{r: r, left: cweSizeLimit}
	dec := xml.NewDecoder(lr)
	imp := &cweImport{name: name, dec: dec, limit: lr, seen: map[string]int{}}
	if err := imp.decode(); err != nil {
		return nil, err
	}
	return imp.catalog()
}

// errCWETooLarge is the error sizeLimitReader returns past its limit.
var errCWETooLarge = errors.New("size limit exceeded")

// sizeLimitReader returns errCWETooLarge once more than left bytes were asked
// for, unlike io.LimitReader, whose io.EOF would read as a truncated file.
type sizeLimitReader struct {
	r    io.Reader
	left int64
}

func (l *sizeLimitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// Tell a file of exactly the limit from a larger one.
		var one [1]byte
		if n, _ := io.ReadFull(l.r, one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, errCWETooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// cweImport is the state of one ImportCWE call.
type cweImport struct {
	name    string
	dec     *xml.Decoder
	limit   *sizeLimitReader
	depth   int
	line    int // line where the token last returned by next starts
	col     int
	version string
	entries []Entry
	seen    map[string]int // entry number → line of its element
	depr    int
	deprIDs []string
}

// next returns the next token, tracking depth and the token's position and
// rejecting what a CWE list never contains.
func (imp *cweImport) next() (xml.Token, error) {
	imp.line, imp.col = imp.dec.InputPos()
	tok, err := imp.dec.Token()
	if err != nil {
		return nil, imp.readError(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		imp.depth++
		if imp.depth > maxCWEDepth {
			return nil, imp.errorf("elements nest more than %d levels deep, far deeper than a CWE list does; the file is damaged or was built to exhaust the reader, so download the list again", maxCWEDepth)
		}
	case xml.EndElement:
		imp.depth--
	case xml.Directive:
		kind := "a <!" + strings.SplitN(strings.TrimSpace(string(t)), " ", 2)[0] + "> declaration"
		if strings.HasPrefix(string(t), "DOCTYPE") {
			kind = "a DOCTYPE declaration"
		}
		return nil, imp.errorf("%s is not allowed; MITRE's CWE list has none, so remove it or download the list again", kind)
	}
	return tok, nil
}

func (imp *cweImport) decode() error {
	root, err := imp.root()
	if err != nil {
		return err
	}
	imp.version = attr(root, "Version")
	if imp.version == "" {
		imp.version = attr(root, "Catalog_Version") // schema 5 and older
	}

	for {
		tok, err := imp.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			kind, ok := cweKinds[t.Name.Local]
			if !ok {
				if err := imp.skip(); err != nil {
					return err
				}
				continue
			}
			if err := imp.list(kind.entry, kind.text); err != nil {
				return err
			}
		case xml.EndElement:
			return imp.trailer()
		}
	}
}

// root reads up to the root element and checks it is a Weakness_Catalog.
func (imp *cweImport) root() (xml.StartElement, error) {
	for {
		tok, err := imp.next()
		if errors.Is(err, io.EOF) {
			return xml.StartElement{}, fmt.Errorf("%s has no root element; a CWE list is an XML document whose root is <Weakness_Catalog>", imp.name)
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "Weakness_Catalog" {
				return t, imp.errorf("the root element is <%s>, not <Weakness_Catalog>; import MITRE's CWE list in XML form (cwec_vX.Y.xml, or the .zip that holds it)", t.Name.Local)
			}
			return t, nil
		case xml.CharData:
			if len(strings.TrimSpace(strings.TrimPrefix(string(t), "\ufeff"))) > 0 {
				return xml.StartElement{}, imp.errorf("text before the root element; a CWE list starts with <Weakness_Catalog>")
			}
		}
	}
}

// trailer checks that only comments and white space follow the root
// element.
func (imp *cweImport) trailer() error {
	for {
		tok, err := imp.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return imp.errorf("a second root element <%s> follows </Weakness_Catalog>; an XML document has one root, so remove everything after </Weakness_Catalog>", t.Name.Local)
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return imp.errorf("text follows </Weakness_Catalog>; remove everything after it")
			}
		}
	}
}

// skip reads to the end of the element just started.
func (imp *cweImport) skip() error {
	stop := imp.depth - 1
	for imp.depth > stop {
		if _, err := imp.next(); err != nil {
			return err
		}
	}
	return nil
}

// list reads one Weaknesses, Categories or Views element.
func (imp *cweImport) list(entryElem, textElem string) error {
	stop := imp.depth - 1
	for imp.depth > stop {
		tok, err := imp.next()
		if err != nil {
			return err
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if t.Name.Local != entryElem {
			if err := imp.skip(); err != nil {
				return err
			}
			continue
		}
		if err := imp.entry(t, textElem); err != nil {
			return err
		}
	}
	return nil
}

// entry reads one Weakness, Category or View element and adds it unless it
// is deprecated.
func (imp *cweImport) entry(start xml.StartElement, textElem string) error {
	line, col := imp.line, imp.col
	elem := start.Name.Local
	id := strings.TrimSpace(attr(start, "ID"))
	if !cweNumber.MatchString(id) {
		return imp.errorAt(line, col, "<%s> has ID %q; the ID attribute must be the entry's number without the CWE- prefix, such as ID=\"1191\"", elem, id)
	}
	description, err := imp.entryText(textElem)
	if err != nil {
		return err
	}

	if strings.EqualFold(strings.TrimSpace(attr(start, "Status")), "Deprecated") {
		imp.depr++
		imp.deprIDs = append(imp.deprIDs, "CWE-"+id)
		return nil
	}
	entryName := strings.Join(strings.Fields(attr(start, "Name")), " ")
	if entryName == "" {
		return imp.errorAt(line, col, "<%s ID=\"%s\"> has no Name attribute; every CWE entry has a name", elem, id)
	}
	if first, dup := imp.seen[id]; dup {
		return imp.errorAt(line, col, "CWE-%s is defined again (first at line %d); an ID names one entry, so remove one of them", id, first)
	}
	imp.seen[id] = line
	imp.entries = append(imp.entries, Entry{
		ID:          "CWE-" + id,
		Name:        entryName,
		Description: description,
		URL:         fmt.Sprintf(cweURL, id),
		Catalog:     CatalogCWE,
	})
	return nil
}

// entryText reads the rest of an entry element and returns the plain text
// of its first textElem child, with one line per XHTML paragraph.
func (imp *cweImport) entryText(textElem string) (string, error) {
	entryDepth := imp.depth
	var (
		b         strings.Builder
		in, found bool
	)
	for imp.depth >= entryDepth {
		tok, err := imp.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !found && imp.depth == entryDepth+1 && t.Name.Local == textElem {
				in = true
			}
			if in && t.Name.Local == "Extended_Description" {
				// Schema 5 and older nest it in Description; the short text
				// is the Description_Summary beside it.
				if err := imp.skip(); err != nil {
					return "", err
				}
				continue
			}
			if in && t.Name.Local == "br" {
				b.WriteByte('\n')
			}
		case xml.EndElement:
			if !in {
				continue
			}
			if imp.depth == entryDepth {
				in, found = false, true
			}
			switch t.Name.Local {
			case "p", "li", "div", "ul", "ol":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if in {
				// Line breaks in the file only wrap text. Paragraph
				// breaks come from the XHTML elements above.
				b.WriteString(strings.ReplaceAll(string(t), "\n", " "))
			}
		}
	}
	return collapseLines(b.String()), nil
}

// collapseLines joins the words of each line with single spaces and drops
// empty lines, undoing the indentation and wrapping of the XML file.
func collapseLines(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if words := strings.Fields(line); len(words) > 0 {
			out = append(out, strings.Join(words, " "))
		}
	}
	return strings.Join(out, "\n")
}

func (imp *cweImport) catalog() (*Catalog, error) {
	if len(imp.entries) == 0 {
		return nil, fmt.Errorf("%s contains no current CWE weaknesses, categories or views (%d deprecated skipped); check that it is MITRE's CWE list in XML form", imp.name, imp.depr)
	}
	slices.SortFunc(imp.entries, func(a, b Entry) int { return compareIDs(a.ID, b.ID) })
	return &Catalog{
		Name:          CatalogCWE,
		Version:       strings.TrimSpace(imp.version),
		Source:        imp.name,
		Deprecated:    imp.depr,
		DeprecatedIDs: sortedIDs(imp.deprIDs),
		Entries:       imp.entries,
	}, nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// readError turns a decoder or reader failure into a message with the
// position and, where one exists, a fix.
func (imp *cweImport) readError(err error) error {
	if errors.Is(err, errCWETooLarge) {
		return fmt.Errorf("%s is larger than %d bytes, the limit for a CWE list; check that it is MITRE's CWE list", imp.name, cweSizeLimit)
	}
	if errors.Is(err, io.EOF) {
		// The decoder returns io.EOF only between elements, because
		// inside one it reports a syntax error instead.
		return io.EOF
	}
	line, col := imp.dec.InputPos()
	if m := declaredEncoding.FindStringSubmatch(err.Error()); m != nil {
		return imp.errorAt(line, col, "the file declares encoding %q, but Ward reads only UTF-8, the encoding MITRE publishes; convert the file to UTF-8", m[1])
	}
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		return fmt.Errorf("reading %s: %w", imp.name, err)
	}
	switch msg := se.Msg; {
	case strings.HasPrefix(msg, "unexpected EOF"):
		return imp.errorAt(line, col, "unexpected end of file; the file is truncated, so download it again")
	case strings.HasPrefix(msg, "invalid character entity"):
		// Without a DOCTYPE only the five predefined entities exist.
		return imp.errorAt(line, col, "%s (XML predefines only &amp; &lt; &gt; &quot; &apos; and numeric references, and a CWE list defines no others); write the character itself", msg)
	default:
		return imp.errorAt(line, col, "%s; the file is not well-formed XML, so download the CWE list again", msg)
	}
}

func (imp *cweImport) errorf(format string, args ...any) error {
	return imp.errorAt(imp.line, imp.col, format, args...)
}

func (imp *cweImport) errorAt(line, col int, format string, args ...any) error {
	return fmt.Errorf("%s:%d:%d: invalid CWE XML: %s", imp.name, line, col, fmt.Sprintf(format, args...))
}
