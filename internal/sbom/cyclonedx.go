package sbom

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/wardtm/ward/internal/diag"
)

func decodeCycloneDXJSON(name string, data []byte) (*Document, error) {
	li := newLineIndex(name, data)
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		return nil, jsonError(li, err)
	}
	offsets, err := jsonObjectOffsets(li, "components", true)
	if err != nil {
		return nil, err
	}
	return fromCycloneDX(li, &bom, offsets, "components")
}

func decodeCycloneDXXML(name string, data []byte) (*Document, error) {
	// encoding/xml neither loads external entities nor expands entities a
	// document defines; Identify has already rejected any DOCTYPE as well.
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatXML).Decode(&bom); err != nil {
		var syn *xml.SyntaxError
		if errors.As(err, &syn) {
			return nil, errorf(diag.Pos{File: name, Line: syn.Line}, "", "invalid XML: %s", syn.Msg)
		}
		return nil, errorf(diag.Pos{File: name}, "", "invalid CycloneDX XML: %v", err)
	}
	positions, err := xmlComponentPositions(name, data)
	if err != nil {
		return nil, err
	}
	return fromCycloneDX(newLineIndex(name, data), &bom, positions, "components")
}

// fromCycloneDX converts a decoded BOM. positions holds the start of each
// component in document order, or nil when unknown.
func fromCycloneDX(li *lineIndex, bom *cdx.BOM, positions []diag.Pos, field string) (*Document, error) {
	doc := &Document{}
	if md := bom.Metadata; md != nil {
		doc.Timestamp = md.Timestamp
		if md.Authors != nil {
			for _, a := range *md.Authors {
				doc.Authors = appendNonEmpty(doc.Authors, contactName(a))
			}
		}
		for _, org := range []*cdx.OrganizationalEntity{md.Manufacture, md.Manufacturer, md.Supplier} {
			if org != nil {
				doc.Authors = appendNonEmpty(doc.Authors, org.Name)
			}
		}
		doc.Tools = toolNames(md.Tools)
		if md.Component != nil {
			doc.Subject = qualified(md.Component.Group, md.Component.Name, md.Component.PackageURL)
		}
	}

	// Flatten nested components depth-first, which is document order.
	var walk func(list []cdx.Component, nested bool)
	walk = func(list []cdx.Component, nested bool) {
		for i := range list {
			c := &list[i]
			doc.Components = append(doc.Components, fromCycloneDXComponent(c, nested || c.Components != nil && len(*c.Components) > 0))
			if c.Components != nil {
				walk(*c.Components, true)
			}
		}
	}
	if bom.Components != nil {
		walk(*bom.Components, false)
	}
	if len(positions) == len(doc.Components) {
		for i := range doc.Components {
			doc.Components[i].Pos = positions[i]
		}
	} else {
		for i := range doc.Components {
			doc.Components[i].Pos = diag.Pos{File: li.name}
		}
	}

	if bom.Dependencies != nil {
		doc.HasDependencies = len(*bom.Dependencies) > 0
		applyCycloneDXDependencies(doc, *bom.Dependencies)
	}
	return doc, nil
}

func fromCycloneDXComponent(c *cdx.Component, nested bool) Component {
	out := Component{
		BOMRef:         c.BOMRef,
		Type:           string(c.Type),
		Group:          c.Group,
		Name:           c.Name,
		Version:        c.Version,
		Purl:           c.PackageURL,
		CPE:            c.CPE,
		InRelationship: nested,
	}
	if c.SWID != nil {
		out.SWID = c.SWID.TagID
	}
	if c.Supplier != nil {
		out.Supplier = c.Supplier.Name
	}
	if c.Hashes != nil {
		for _, h := range *c.Hashes {
			out.Hashes = addHash(out.Hashes, string(h.Algorithm), h.Value)
		}
	}
	if c.Licenses != nil {
		out.License = cycloneDXLicense(*c.Licenses)
	}
	return out
}

func applyCycloneDXDependencies(doc *Document, deps []cdx.Dependency) {
	byRef := make(map[string]int, len(doc.Components))
	for i, c := range doc.Components {
		if c.BOMRef != "" {
			byRef[c.BOMRef] = i
		}
	}
	for _, d := range deps {
		i, ok := byRef[d.Ref]
		if ok {
			// A dependency entry, even with an empty dependsOn, states the
			// component's relationships: "depends on nothing" is a fact.
			doc.Components[i].InRelationship = true
		}
		if d.Dependencies == nil {
			continue
		}
		for _, ref := range *d.Dependencies {
			if j, ok := byRef[ref]; ok {
				doc.Components[j].InRelationship = true
			}
			if ok {
				doc.Components[i].DependsOn = appendUnique(doc.Components[i].DependsOn, ref)
			}
		}
	}
}

func cycloneDXLicense(ls cdx.Licenses) string {
	var parts []string
	for _, l := range ls {
		switch {
		case l.Expression != "":
			parts = appendNonEmpty(parts, l.Expression)
		case l.License != nil && l.License.ID != "":
			parts = appendNonEmpty(parts, l.License.ID)
		case l.License != nil:
			parts = appendNonEmpty(parts, l.License.Name)
		}
	}
	if len(parts) > 1 {
		for i, p := range parts {
			if strings.ContainsAny(p, " ") {
				parts[i] = "(" + p + ")"
			}
		}
	}
	return strings.Join(parts, " AND ")
}

func toolNames(tc *cdx.ToolsChoice) []string {
	if tc == nil {
		return nil
	}
	var names []string
	if tc.Tools != nil {
		for _, t := range *tc.Tools {
			names = appendNonEmpty(names, strings.TrimSpace(t.Vendor+" "+t.Name+" "+t.Version))
		}
	}
	if tc.Components != nil {
		for _, c := range *tc.Components {
			names = appendNonEmpty(names, strings.TrimSpace(c.Group+" "+c.Name+" "+c.Version))
		}
	}
	if tc.Services != nil {
		for _, s := range *tc.Services {
			names = appendNonEmpty(names, strings.TrimSpace(s.Name+" "+s.Version))
		}
	}
	return names
}

func contactName(c cdx.OrganizationalContact) string {
	if c.Name != "" {
		return c.Name
	}
	return c.Email
}

func qualified(group, name, purl string) string {
	return Component{Group: group, Name: name, Purl: purl}.QualifiedName()
}

// addHash stores a digest under a normalized algorithm name: lower case,
// hyphens for underscores, and a hyphen after "sha" when a size follows, so
// CycloneDX SHA-256 and SPDX SHA256 both become sha-256 (sha3-256 stays).
func addHash(m map[string]string, alg, value string) map[string]string {
	alg = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(alg)), "_", "-")
	value = strings.ToLower(strings.TrimSpace(value))
	if alg == "" || value == "" {
		return m
	}
	if rest, ok := strings.CutPrefix(alg, "sha"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' && !strings.HasPrefix(rest, "3-") {
		alg = "sha-" + rest
	}
	if m == nil {
		m = make(map[string]string)
	}
	m[alg] = value
	return m
}

func appendNonEmpty(list []string, s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return list
	}
	return append(list, s)
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
