// Package sbom reads software bills of materials into Ward's own component
// type, reports the NTIA minimum elements each component lacks, derives
// model dependencies from the components and merges them into a model.
//
// Reading happens in two steps: Identify looks at the first structure of a
// document to name its format and spec version, then Decode reads it with
// the matching decoder. Supported: CycloneDX 1.2 to 1.6 in JSON and XML,
// SPDX 2.2 and 2.3 in JSON and tag-value, and the software profile of
// SPDX 3.0 in JSON-LD. The package never edits a model file; the command
// line writes what Merge returns.
package sbom

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/package-url/packageurl-go"

	"github.com/wardtm/ward/internal/diag"
)

// MaxSize is the largest SBOM Read accepts, in bytes. The largest real SBOM
// in Ward's tests is about 2 MB; 256 MiB leaves room for whole-image SBOMs
// while keeping a hostile file from exhausting memory.
const MaxSize = 256 << 20

// maxDepth bounds the nesting of JSON and XML structures that Ward's own
// position scanners follow, so a deeply nested file fails fast.
const maxDepth = 512

// ErrUnsupported matches (through errors.Is) the *Error that Identify and
// Decode return for a document whose format or spec version Ward does not
// read.
var ErrUnsupported = errors.New("unsupported SBOM format")

// Format names an SBOM standard.
type Format string

// The SBOM standards Ward reads.
const (
	CycloneDX Format = "CycloneDX"
	SPDX      Format = "SPDX"
)

// Encoding names how a document is serialized.
type Encoding string

// Serializations of the formats.
const (
	JSON     Encoding = "json"
	XML      Encoding = "xml"
	TagValue Encoding = "tag-value"
	JSONLD   Encoding = "json-ld"
)

// Kind is the result of Identify: a format, its spec version and encoding.
type Kind struct {
	Format      Format
	SpecVersion string // "1.4" for CycloneDX, "2.3" or "3.0" for SPDX
	Encoding    Encoding
}

func (k Kind) String() string {
	return fmt.Sprintf("%s %s %s", k.Format, k.SpecVersion, k.Encoding)
}

// Document is an SBOM decoded into Ward's types.
type Document struct {
	Kind Kind
	// File is the path the document was read from, as given to Read.
	File string
	// Subject names what the SBOM describes (CycloneDX metadata.component,
	// SPDX documentDescribes), empty when the document does not say.
	Subject string
	// Authors are the people and organizations that wrote the SBOM data.
	// Tools are listed separately because NTIA counts only an entity as
	// author.
	Authors []string
	Tools   []string
	// Timestamp is the creation time as written in the document.
	Timestamp string
	// Components lists every component in document order, nested
	// components after their parent. The SBOM's subject itself is not
	// included unless the document also lists it as a component.
	Components []Component
	// HasDependencies is true when the document records any dependency
	// relationship at all (CycloneDX dependencies, SPDX relationships).
	HasDependencies bool
}

// Component is one software component of an SBOM.
type Component struct {
	// BOMRef is the document-local identifier: CycloneDX bom-ref or SPDX
	// SPDXID. Empty when the document gives none.
	BOMRef string
	// Type is the CycloneDX component type or SPDX primary package purpose,
	// lower case (library, application, framework, operating-system, ...).
	Type string
	// Group is the CycloneDX group (a Maven groupId, an npm scope); SPDX has
	// no such field and leaves it empty.
	Group    string
	Name     string
	Version  string
	Purl     string
	CPE      string
	SWID     string
	Supplier string
	// Hashes maps a lower-case algorithm name (sha-256, sha-1, md5, ...) to
	// the lower-case hexadecimal digest.
	Hashes map[string]string
	// License is an SPDX license expression when the document gives one,
	// otherwise the listed licenses joined with " AND ".
	License string
	// DependsOn lists the BOMRefs of the components this one depends on.
	DependsOn []string
	// InRelationship is true when the document names the component in any
	// dependency or containment relationship, including as a dependency of
	// another component or as a nested component.
	InRelationship bool
	// Pos is the start of the component in the file, or zero when unknown.
	Pos diag.Pos
}

// QualifiedName returns the name with its group: "group:name" for Maven,
// "group/name" otherwise, or the bare name when there is no group. When
// the document gives no group but the purl has a namespace (an npm scope
// written only in the purl), the namespace serves as the group.
func (c Component) QualifiedName() string {
	group := c.Group
	if group == "" && c.Purl != "" {
		if p, err := packageurl.FromString(c.Purl); err == nil && p.Namespace != "" && p.Name == c.Name {
			group = p.Namespace
		}
	}
	switch {
	case group == "":
		return c.Name
	case purlType(c.Purl) == "maven":
		return group + ":" + c.Name
	default:
		return group + "/" + c.Name
	}
}

// Read reads and decodes the SBOM at path.
func Read(path string) (*Document, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("SBOM %s not found; check the path, which is relative to the current folder", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading SBOM: %w", err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading SBOM %s: %w", path, err)
	}
	return Decode(path, data)
}

// Decode identifies data and decodes it. name is used in positions and
// error messages.
func Decode(name string, data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, errorf(diag.Pos{File: name}, "", "SBOM is larger than %d MiB; split it or remove embedded file contents", MaxSize>>20)
	}
	kind, err := Identify(name, data)
	if err != nil {
		return nil, err
	}

	var doc *Document
	switch {
	case kind.Format == CycloneDX && kind.Encoding == JSON:
		doc, err = decodeCycloneDXJSON(name, data)
	case kind.Format == CycloneDX && kind.Encoding == XML:
		doc, err = decodeCycloneDXXML(name, data)
	case kind.Format == SPDX && kind.Encoding == JSON:
		doc, err = decodeSPDXJSON(name, data)
	case kind.Format == SPDX && kind.Encoding == TagValue:
		doc, err = decodeSPDXTagValue(name, data)
	case kind.Format == SPDX && kind.Encoding == JSONLD:
		doc, err = decodeSPDX3(name, data)
	default:
		err = unsupportedf(diag.Pos{File: name}, "", "%s", kind)
	}
	if err != nil {
		return nil, err
	}
	doc.Kind = kind
	doc.File = name
	return doc, nil
}

// lineIndex converts byte offsets into line and column numbers.
type lineIndex struct {
	name  string
	data  []byte
	lines []int // offset of the first byte of each line
}

func newLineIndex(name string, data []byte) *lineIndex {
	lines := []int{0}
	for i, b := range data {
		if b == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &lineIndex{name: name, data: data, lines: lines}
}

// pos returns the position of the byte at offset.
func (li *lineIndex) pos(offset int) diag.Pos {
	lo, hi := 0, len(li.lines)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if li.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid
		}
	}
	return diag.Pos{File: li.name, Line: lo + 1, Col: offset - li.lines[lo] + 1, Offset: offset}
}

// trimBOM drops a UTF-8 byte order mark and leading white space.
func trimBOM(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(data, " \t\r\n")
}

// Error is a problem that makes an SBOM unreadable, with the position and
// the field it concerns.
type Error struct {
	Pos diag.Pos
	// Field is the key or tag in the document's own terms, such as
	// components[3].purl or PackageName; empty when no field is to blame.
	Field string
	Msg   string
	// Unsupported is true when the document is valid but in a format or
	// version Ward does not read; errors.Is(err, ErrUnsupported) then holds.
	Unsupported bool
}

func (e *Error) Error() string {
	var b bytes.Buffer
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Unsupported {
		b.WriteString("unsupported SBOM format: ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Is makes errors.Is(err, ErrUnsupported) true for unsupported documents.
func (e *Error) Is(target error) bool { return e.Unsupported && target == ErrUnsupported }

func errorf(pos diag.Pos, field, format string, args ...any) error {
	return &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func unsupportedf(pos diag.Pos, field, format string, args ...any) error {
	return &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...), Unsupported: true}
}
