package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// cycloneDXNamespace is the XML namespace prefix of every CycloneDX schema
// version; the version follows it ("http://cyclonedx.org/schema/bom/1.4").
const cycloneDXNamespace = "http://cyclonedx.org/schema/bom/"

// cycloneDXVersions are the CycloneDX spec versions Ward decodes. 1.2 and
// 1.3 are accepted because many published SBOMs still use them and their
// component fields are a subset of 1.4.
var cycloneDXVersions = map[string]bool{"1.2": true, "1.3": true, "1.4": true, "1.5": true, "1.6": true}

// Identify names the format, spec version and encoding of an SBOM by looking
// at its top-level structure only. It returns an error wrapping
// ErrUnsupported for a recognized but unsupported document, and a plain
// error naming what is missing for anything else.
//
// name is used only in error messages.
func Identify(name string, data []byte) (Kind, error) {
	body := trimBOM(data)
	if len(body) == 0 {
		return Kind{}, errorf(diag.Pos{File: name}, "", "SBOM is empty")
	}

	switch body[0] {
	case '{':
		return identifyJSON(name, data)
	case '<':
		return identifyXML(name, data)
	default:
		return identifyTagValue(name, body)
	}
}

// topLevel holds the keys that tell JSON SBOM formats apart.
type topLevel struct {
	BOMFormat   json.RawMessage `json:"bomFormat"`
	SpecVersion json.RawMessage `json:"specVersion"`
	SPDXVersion json.RawMessage `json:"spdxVersion"`
	Context     json.RawMessage `json:"@context"`
}

func identifyJSON(name string, data []byte) (Kind, error) {
	var top topLevel
	if err := json.Unmarshal(data, &top); err != nil {
		return Kind{}, jsonError(newLineIndex(name, data), err)
	}
	at := diag.Pos{File: name}

	switch {
	case top.BOMFormat != nil:
		var format, version string
		if json.Unmarshal(top.BOMFormat, &format) != nil || format != "CycloneDX" {
			return Kind{}, errorf(at, "bomFormat", "expected \"CycloneDX\", found %s", top.BOMFormat)
		}
		if top.SpecVersion == nil {
			return Kind{}, errorf(at, "specVersion", "missing; a CycloneDX document must name its spec version")
		}
		if json.Unmarshal(top.SpecVersion, &version) != nil {
			return Kind{}, errorf(at, "specVersion", "expected a string such as \"1.5\", found %s", top.SpecVersion)
		}
		kind := Kind{Format: CycloneDX, SpecVersion: version, Encoding: JSON}
		if !cycloneDXVersions[version] {
			return kind, unsupportedf(at, "specVersion", "CycloneDX spec version %q (Ward reads 1.2 to 1.6)", version)
		}
		return kind, nil

	case top.SPDXVersion != nil:
		var version string
		if json.Unmarshal(top.SPDXVersion, &version) != nil {
			return Kind{}, errorf(at, "spdxVersion", "expected a string such as \"SPDX-2.3\", found %s", top.SPDXVersion)
		}
		return spdx2Kind(at, "spdxVersion", version, JSON)

	case top.Context != nil:
		if bytes.Contains(top.Context, []byte("spdx.org/rdf/3.")) {
			return Kind{Format: SPDX, SpecVersion: "3.0", Encoding: JSONLD}, nil
		}
		return Kind{}, unsupportedf(at, "@context", "JSON-LD document whose @context is not SPDX 3")
	}
	return Kind{}, errorf(at, "", "not an SBOM: a JSON SBOM needs bomFormat (CycloneDX), spdxVersion (SPDX 2) or an SPDX 3 @context at the top level")
}

func spdx2Kind(at diag.Pos, field, version string, enc Encoding) (Kind, error) {
	v := strings.TrimPrefix(version, "SPDX-")
	kind := Kind{Format: SPDX, SpecVersion: v, Encoding: enc}
	if v != "2.2" && v != "2.3" {
		return kind, unsupportedf(at, field, "SPDX version %q (Ward reads SPDX-2.2, SPDX-2.3 and SPDX 3.0 JSON-LD)", version)
	}
	return kind, nil
}

func identifyXML(name string, data []byte) (Kind, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		line, col := dec.InputPos()
		at := diag.Pos{File: name, Line: line, Col: col}
		if err == io.EOF {
			return Kind{}, errorf(at, "", "XML document has no root element")
		}
		if err != nil {
			return Kind{}, errorf(at, "", "invalid XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return Kind{}, errorf(at, "", "XML SBOM declares a DOCTYPE; Ward rejects document type declarations because they can define entities: remove the DOCTYPE line")
			}
		case xml.StartElement:
			ns := t.Name.Space
			if t.Name.Local == "bom" && strings.HasPrefix(ns, cycloneDXNamespace) {
				version := strings.TrimPrefix(ns, cycloneDXNamespace)
				kind := Kind{Format: CycloneDX, SpecVersion: version, Encoding: XML}
				if !cycloneDXVersions[version] {
					return kind, unsupportedf(at, "bom", "CycloneDX spec version %q (Ward reads 1.2 to 1.6)", version)
				}
				return kind, nil
			}
			if t.Name.Local == "RDF" {
				return Kind{Format: SPDX, Encoding: "rdf-xml"}, unsupportedf(at, "", "SPDX RDF/XML; convert it to SPDX JSON or tag-value first")
			}
			return Kind{}, errorf(at, "", "not an SBOM: XML root element <%s> in namespace %q is not a CycloneDX <bom>", t.Name.Local, ns)
		}
	}
}

func identifyTagValue(name string, body []byte) (Kind, error) {
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "SPDXVersion:"); ok {
			return spdx2Kind(diag.Pos{File: name, Line: n, Col: 1}, "SPDXVersion", strings.TrimSpace(v), TagValue)
		}
	}
	return Kind{}, errorf(diag.Pos{File: name}, "", "not an SBOM: the file is neither JSON nor XML and has no SPDXVersion: line of SPDX tag-value")
}

// jsonError turns a decoding error into one that names the line and column
// and, for a type mismatch, the field.
func jsonError(li *lineIndex, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return errorf(li.pos(int(syn.Offset)), "", "invalid JSON: %s", syn.Error())
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return errorf(li.pos(int(typ.Offset)), typ.Field, "expected %s, found JSON %s", typ.Type, typ.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(li.pos(len(li.data)), "", "invalid JSON: the document ends early")
	}
	return errorf(diag.Pos{File: li.name}, "", "invalid JSON: %v", err)
}
