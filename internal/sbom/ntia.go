package sbom

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// NTIA minimum data fields, as named in "The Minimum Elements For a Software
// Bill of Materials" (NTIA, July 2021). Timestamp and author apply to the
// document; the others to each component.
const (
	ElementSupplier     = "supplier"
	ElementName         = "name"
	ElementVersion      = "version"
	ElementIdentifier   = "unique identifier"
	ElementRelationship = "dependency relationship"
	ElementAuthor       = "author"
	ElementTimestamp    = "timestamp"
)

// Gap lists the NTIA minimum elements one component lacks.
type Gap struct {
	// Index is the component's position in Document.Components.
	Index   int
	Missing []string
}

// NTIA returns the minimum elements each component lacks, in document
// order, and the document-level elements (author, timestamp) the document
// lacks. A component's unique identifier is a purl, a CPE or a SWID tag ID;
// its dependency relationship is any relationship the document records
// for it, including "depends on nothing" and containment.
func (d *Document) NTIA() (components []Gap, document []string) {
	if len(d.Authors) == 0 {
		document = append(document, ElementAuthor)
	}
	if strings.TrimSpace(d.Timestamp) == "" {
		document = append(document, ElementTimestamp)
	}
	for i, c := range d.Components {
		var missing []string
		if strings.TrimSpace(c.Supplier) == "" {
			missing = append(missing, ElementSupplier)
		}
		if strings.TrimSpace(c.Name) == "" {
			missing = append(missing, ElementName)
		}
		if strings.TrimSpace(c.Version) == "" {
			missing = append(missing, ElementVersion)
		}
		if c.Purl == "" && c.CPE == "" && c.SWID == "" {
			missing = append(missing, ElementIdentifier)
		}
		if !c.InRelationship {
			missing = append(missing, ElementRelationship)
		}
		if len(missing) > 0 {
			components = append(components, Gap{Index: i, Missing: missing})
		}
	}
	return components, document
}

// NTIADiagnostics returns the NTIA gaps as warnings, one per component
// that lacks something, with the component's position.
func (d *Document) NTIADiagnostics() diag.List {
	gaps, docMissing := d.NTIA()
	var list diag.List
	at := diag.Pos{File: d.File}
	for _, m := range docMissing {
		switch m {
		case ElementAuthor:
			summary := "the SBOM names no author"
			if len(d.Tools) > 0 {
				summary = fmt.Sprintf("the SBOM names no author, only the tool %q", d.Tools[0])
			}
			list.Warn(at, "ntia-missing-author", d.authorField(), summary,
				"name the person or organization responsible for the SBOM data")
		case ElementTimestamp:
			list.Warn(at, "ntia-missing-timestamp", d.timestampField(), "the SBOM has no creation timestamp",
				"record when the SBOM data was assembled")
		}
	}
	for _, g := range gaps {
		c := d.Components[g.Index]
		label := c.QualifiedName()
		if c.Version != "" {
			label += "@" + c.Version
		}
		if label == "" {
			label = c.BOMRef
		}
		list.Warn(c.Pos, "ntia-missing-element", fmt.Sprintf("%s[%d]", d.componentField(), g.Index),
			fmt.Sprintf("component %q lacks NTIA minimum elements: %s", label, strings.Join(g.Missing, ", ")),
			"add them in the tool that generates the SBOM, or record them on the dependency in the model")
	}
	return list
}

func (d *Document) componentField() string {
	switch {
	case d.Kind.Format == CycloneDX:
		return "components"
	case d.Kind.Encoding == JSONLD:
		return "@graph"
	default:
		return "packages"
	}
}

func (d *Document) authorField() string {
	switch {
	case d.Kind.Format == CycloneDX:
		return "metadata.authors"
	case d.Kind.Encoding == TagValue:
		return "Creator"
	default:
		return "creationInfo.creators"
	}
}

func (d *Document) timestampField() string {
	switch {
	case d.Kind.Format == CycloneDX:
		return "metadata.timestamp"
	case d.Kind.Encoding == TagValue:
		return "Created"
	default:
		return "creationInfo.created"
	}
}
