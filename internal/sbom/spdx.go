package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/tagvalue"

	"github.com/wardtm/ward/internal/diag"
)

func decodeSPDXJSON(name string, data []byte) (*Document, error) {
	li := newLineIndex(name, data)
	sd, err := spdxjson.Read(bytes.NewReader(data))
	if err != nil {
		return nil, spdxError(li, err)
	}
	positions, err := jsonObjectOffsets(li, "packages", false)
	if err != nil {
		return nil, err
	}
	return fromSPDX(li, sd, positions), nil
}

func decodeSPDXTagValue(name string, data []byte) (*Document, error) {
	li := newLineIndex(name, data)
	sd, err := tagvalue.Read(bytes.NewReader(data))
	if err != nil {
		return nil, spdxError(li, err)
	}
	return fromSPDX(li, sd, tagValuePackagePositions(name, data)), nil
}

// spdxError wraps an error of tools-golang. Its JSON reader returns the
// errors of encoding/json, which carry an offset; its tag-value reader
// returns plain text that usually names the tag.
func spdxError(li *lineIndex, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) {
		return jsonError(li, err)
	}
	return errorf(diag.Pos{File: li.name}, "", "invalid SPDX document: %v", err)
}

func fromSPDX(li *lineIndex, sd *spdx.Document, positions []diag.Pos) *Document {
	doc := &Document{}
	if ci := sd.CreationInfo; ci != nil {
		doc.Timestamp = ci.Created
		for _, c := range ci.Creators {
			if c.CreatorType == "Tool" {
				doc.Tools = appendNonEmpty(doc.Tools, c.Creator)
			} else {
				doc.Authors = appendNonEmpty(doc.Authors, c.Creator)
			}
		}
	}

	byID := make(map[string]int, len(sd.Packages))
	for i, p := range sd.Packages {
		c := Component{
			BOMRef:  string(p.PackageSPDXIdentifier),
			Type:    strings.ToLower(strings.ReplaceAll(p.PrimaryPackagePurpose, "_", "-")),
			Name:    p.PackageName,
			Version: noAssertion(p.PackageVersion),
			License: noAssertion(p.PackageLicenseConcluded),
			Pos:     diag.Pos{File: li.name},
		}
		if c.License == "" {
			c.License = noAssertion(p.PackageLicenseDeclared)
		}
		if p.PackageSupplier != nil {
			c.Supplier = noAssertion(p.PackageSupplier.Supplier)
		}
		for _, cs := range p.PackageChecksums {
			c.Hashes = addHash(c.Hashes, string(cs.Algorithm), cs.Value)
		}
		for _, ref := range p.PackageExternalReferences {
			switch strings.ToLower(ref.RefType) {
			case "purl":
				if c.Purl == "" {
					c.Purl = ref.Locator
				}
			case "cpe23type", "cpe22type":
				if c.CPE == "" {
					c.CPE = ref.Locator
				}
			case "swid":
				c.SWID = ref.Locator
			}
		}
		if len(positions) == len(sd.Packages) {
			c.Pos = positions[i]
		}
		byID[c.BOMRef] = i
		doc.Components = append(doc.Components, c)
	}

	var described []string
	for _, r := range sd.Relationships {
		if r == nil {
			continue
		}
		a, b := string(r.RefA.ElementRefID), string(r.RefB.ElementRefID)
		rel := strings.ToUpper(r.Relationship)
		if rel == "DESCRIBES" && r.RefA.ElementRefID == "DOCUMENT" {
			if i, ok := byID[b]; ok {
				described = append(described, doc.Components[i].Name)
			}
			continue
		}
		from, to, ok := spdxDependency(rel, a, b)
		if !ok {
			continue
		}
		doc.HasDependencies = true
		i, okFrom := byID[from]
		j, okTo := byID[to]
		if okFrom {
			doc.Components[i].InRelationship = true
		}
		if okTo {
			doc.Components[j].InRelationship = true
		}
		if okFrom && okTo {
			doc.Components[i].DependsOn = appendUnique(doc.Components[i].DependsOn, to)
		}
	}
	doc.Subject = strings.Join(described, ", ")
	return doc
}

// spdxDependency reads a relationship as "from depends on to". Containment
// counts as a dependency because a package that contains another ships it,
// and with it that package's vulnerabilities.
func spdxDependency(rel, a, b string) (from, to string, ok bool) {
	switch {
	case rel == "DEPENDS_ON" || rel == "CONTAINS" || rel == "STATIC_LINK" || rel == "DYNAMIC_LINK":
		return a, b, true
	case rel == "CONTAINED_BY" || strings.HasSuffix(rel, "DEPENDENCY_OF"):
		return b, a, true
	}
	return "", "", false
}

// noAssertion maps the SPDX placeholders NOASSERTION and NONE to empty.
func noAssertion(s string) string {
	s = strings.TrimSpace(s)
	if s == "NOASSERTION" || s == "NONE" {
		return ""
	}
	return s
}

// tagValuePackagePositions returns the line of each PackageName tag in
// order, which is the order tools-golang lists the packages in.
func tagValuePackagePositions(name string, data []byte) []diag.Pos {
	var out []diag.Pos
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxSize)
	n := 0
	for sc.Scan() {
		n++
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), "PackageName:") {
			out = append(out, diag.Pos{File: name, Line: n, Col: 1})
		}
	}
	return out
}
