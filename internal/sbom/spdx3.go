package sbom

import (
	"encoding/json"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// spdx3Element is the subset of an SPDX 3.0 JSON-LD graph element that Ward
// reads: packages of the software profile, the agents and creation
// information they point to, relationships and license expressions.
// See https://spdx.github.io/spdx-spec/v3.0.1/ for the model.
type spdx3Element struct {
	Type    string          `json:"type"`
	AtType  string          `json:"@type"`
	SPDXID  string          `json:"spdxId"`
	AtID    string          `json:"@id"`
	Name    string          `json:"name"`
	Created string          `json:"created"`
	By      []string        `json:"createdBy"`
	Using   []string        `json:"createdUsing"`
	Info    json.RawMessage `json:"creationInfo"`

	Version  string          `json:"software_packageVersion"`
	Purl     string          `json:"software_packageUrl"`
	Purpose  string          `json:"software_primaryPurpose"`
	Supplier json.RawMessage `json:"suppliedBy"`
	IDs      []struct {
		Type       string `json:"externalIdentifierType"`
		Identifier string `json:"identifier"`
	} `json:"externalIdentifier"`
	Hashes []struct {
		Algorithm string `json:"algorithm"`
		Value     string `json:"hashValue"`
	} `json:"verifiedUsing"`

	From             string   `json:"from"`
	To               []string `json:"to"`
	RelationshipType string   `json:"relationshipType"`

	LicenseExpression string   `json:"simplelicensing_licenseExpression"`
	RootElement       []string `json:"rootElement"`
}

func (e *spdx3Element) kind() string {
	if e.Type != "" {
		return e.Type
	}
	return e.AtType
}

func (e *spdx3Element) id() string {
	if e.SPDXID != "" {
		return e.SPDXID
	}
	return e.AtID
}

func decodeSPDX3(name string, data []byte) (*Document, error) {
	li := newLineIndex(name, data)
	var top struct {
		Graph []spdx3Element `json:"@graph"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError(li, err)
	}
	if top.Graph == nil {
		return nil, errorf(diag.Pos{File: name}, "@graph", "missing; Ward reads SPDX 3 documents serialized as one JSON-LD @graph")
	}
	positions, err := jsonObjectOffsets(li, "@graph", false)
	if err != nil {
		return nil, err
	}

	byID := make(map[string]*spdx3Element, len(top.Graph))
	for i := range top.Graph {
		if id := top.Graph[i].id(); id != "" {
			byID[id] = &top.Graph[i]
		}
	}

	doc := &Document{}
	compIndex := map[string]int{}
	for i := range top.Graph {
		e := &top.Graph[i]
		switch e.kind() {
		case "CreationInfo":
			spdx3CreationInfo(doc, e, byID)
		case "SpdxDocument", "software_Sbom":
			if len(e.Info) > 0 && e.Info[0] == '{' {
				var info spdx3Element
				if json.Unmarshal(e.Info, &info) == nil {
					spdx3CreationInfo(doc, &info, byID)
				}
			}
			for _, r := range e.RootElement {
				if el, ok := byID[r]; ok && doc.Subject == "" {
					doc.Subject = el.Name
				}
			}
		case "software_Package":
			c := Component{
				BOMRef:   e.id(),
				Type:     strings.ToLower(e.Purpose),
				Name:     e.Name,
				Version:  e.Version,
				Purl:     e.Purl,
				Supplier: spdx3AgentName(e.Supplier, byID),
				Pos:      diag.Pos{File: name},
			}
			if len(positions) == len(top.Graph) {
				c.Pos = positions[i]
			}
			for _, x := range e.IDs {
				switch strings.ToLower(x.Type) {
				case "packageurl":
					if c.Purl == "" {
						c.Purl = x.Identifier
					}
				case "cpe23", "cpe22":
					if c.CPE == "" {
						c.CPE = x.Identifier
					}
				case "swid":
					c.SWID = x.Identifier
				}
			}
			for _, h := range e.Hashes {
				c.Hashes = addHash(c.Hashes, h.Algorithm, h.Value)
			}
			compIndex[c.BOMRef] = len(doc.Components)
			doc.Components = append(doc.Components, c)
		}
	}

	for i := range top.Graph {
		e := &top.Graph[i]
		if e.kind() != "Relationship" {
			continue
		}
		from, ok := compIndex[e.From]
		switch e.RelationshipType {
		case "dependsOn", "contains", "hasStaticLink", "hasDynamicLink":
			doc.HasDependencies = true
			if ok {
				doc.Components[from].InRelationship = true
			}
			for _, to := range e.To {
				j, okTo := compIndex[to]
				if okTo {
					doc.Components[j].InRelationship = true
				}
				if ok && okTo {
					doc.Components[from].DependsOn = appendUnique(doc.Components[from].DependsOn, to)
				}
			}
		case "hasConcludedLicense", "hasDeclaredLicense":
			if !ok {
				continue
			}
			for _, to := range e.To {
				lic, found := byID[to]
				if !found || lic.LicenseExpression == "" {
					continue
				}
				// The concluded license wins over the declared one, as in SPDX 2.
				if doc.Components[from].License == "" || e.RelationshipType == "hasConcludedLicense" {
					doc.Components[from].License = lic.LicenseExpression
				}
			}
		}
	}
	return doc, nil
}

func spdx3CreationInfo(doc *Document, info *spdx3Element, byID map[string]*spdx3Element) {
	if doc.Timestamp == "" {
		doc.Timestamp = info.Created
	}
	for _, id := range info.By {
		if a, ok := byID[id]; ok && a.Name != "" {
			if a.kind() == "SoftwareAgent" || a.kind() == "Tool" {
				doc.Tools = appendUnique(doc.Tools, a.Name)
			} else {
				doc.Authors = appendUnique(doc.Authors, a.Name)
			}
		}
	}
	for _, id := range info.Using {
		if a, ok := byID[id]; ok && a.Name != "" {
			doc.Tools = appendUnique(doc.Tools, a.Name)
		}
	}
}

// spdx3AgentName resolves suppliedBy, which is an agent ID or an inline
// agent object.
func spdx3AgentName(raw json.RawMessage, byID map[string]*spdx3Element) string {
	if len(raw) == 0 {
		return ""
	}
	var id string
	if json.Unmarshal(raw, &id) == nil {
		if a, ok := byID[id]; ok {
			return a.Name
		}
		return ""
	}
	var inline spdx3Element
	if json.Unmarshal(raw, &inline) == nil {
		return inline.Name
	}
	return ""
}
