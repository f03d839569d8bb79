package interop

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/wardtm/ward/internal/model"
)

// OTMVersion is the Open Threat Model version ExportOTM writes.
const OTMVersion = "0.2.0"

// unassignedZone holds elements that have no boundary, because every OTM
// component needs a parent. Import drops it again.
const unassignedZone = "ward-unassigned"

type otmDoc struct {
	OTMVersion  string         `json:"otmVersion"`
	Project     otmProject     `json:"project"`
	Assets      []otmAsset     `json:"assets,omitempty"`
	TrustZones  []otmZone      `json:"trustZones"`
	Components  []otmComponent `json:"components"`
	Dataflows   []otmFlow      `json:"dataflows"`
	Threats     []otmThreat    `json:"threats,omitempty"`
	Mitigations []otmMit       `json:"mitigations,omitempty"`
}

type otmProject struct {
	Name        string         `json:"name"`
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Owner       string         `json:"owner,omitempty"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmAsset struct {
	Name        string         `json:"name"`
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Risk        otmAssetRisk   `json:"risk"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmAssetRisk struct {
	Confidentiality float64 `json:"confidentiality"`
	Integrity       float64 `json:"integrity"`
	Availability    float64 `json:"availability"`
}

type otmParent struct {
	TrustZone string `json:"trustZone"`
}

type otmZone struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Description string         `json:"description,omitempty"`
	Risk        otmTrust       `json:"risk"`
	Parent      *otmParent     `json:"parent,omitempty"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmTrust struct {
	TrustRating float64 `json:"trustRating"`
}

type otmComponent struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Description string            `json:"description,omitempty"`
	Parent      otmParent         `json:"parent"`
	Assets      *otmAssetInstance `json:"assets,omitempty"`
	Threats     []otmThreatInst   `json:"threats,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
	Attributes  map[string]any    `json:"attributes,omitempty"`
}

type otmAssetInstance struct {
	Processed []string `json:"processed,omitempty"`
	Stored    []string `json:"stored,omitempty"`
}

type otmFlow struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Description   string          `json:"description,omitempty"`
	Bidirectional bool            `json:"bidirectional"`
	Source        string          `json:"source"`
	Destination   string          `json:"destination"`
	Assets        []string        `json:"assets,omitempty"`
	Threats       []otmThreatInst `json:"threats,omitempty"`
	Attributes    map[string]any  `json:"attributes,omitempty"`
}

type otmThreatInst struct {
	Threat      string       `json:"threat"`
	State       string       `json:"state"`
	Mitigations []otmMitInst `json:"mitigations,omitempty"`
}

type otmMitInst struct {
	Mitigation string `json:"mitigation"`
	State      string `json:"state"`
}

type otmThreat struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Categories  []string       `json:"categories,omitempty"`
	Risk        otmThreatRisk  `json:"risk"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmThreatRisk struct {
	Likelihood *float64 `json:"likelihood"`
	Impact     float64  `json:"impact"`
}

type otmMit struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description,omitempty"`
	RiskReduction float64        `json:"riskReduction"`
	Attributes    map[string]any `json:"attributes,omitempty"`
}

// levelNumber maps a Ward level to OTM's 0 to 100 scale.
func levelNumber(l string) float64 {
	switch l {
	case "low":
		return 33
	case "medium":
		return 66
	case "high":
		return 100
	}
	return 0
}

// ExportOTM writes m as OTM 0.2.0 JSON. Ward fields and sections without an
// OTM field (interfaces, dependencies, dispositions, reviews, technology,
// scope and more) travel in attributes whose keys start with ward_, which
// ImportOTM reads back, so a round trip keeps the threat register. The
// returned list names what the file cannot carry at all.
func ExportOTM(m *model.Model) ([]byte, []string, error) {
	doc := otmDoc{OTMVersion: OTMVersion, TrustZones: []otmZone{}, Components: []otmComponent{}, Dataflows: []otmFlow{}}
	s := m.System
	doc.Project = otmProject{Name: s.Name, ID: s.ID, Description: s.Description, Owner: s.Document.Owner,
		Attributes: map[string]any{otmDocID: s.Document.ID, otmDocVersion: s.Document.Version, otmLifecycle: s.Lifecycle}}
	if len(m.Protocols) > 0 {
		var defs []map[string]string
		for _, p := range m.Protocols {
			defs = append(defs, map[string]string{"id": p.ID, "name": p.Name, "description": p.Description, "transport": p.Transport})
		}
		doc.Project.Attributes[otmProtocolDefs] = defs
	}
	carryFields(doc.Project.Attributes, otmPrefix, &m.System, otmCarriedSystem)
	carryFields(doc.Project.Attributes, otmDocumentPrefix, &m.System.Document, otmCarriedDocument)
	carryFields(doc.Project.Attributes, otmPrefix, m, otmCarriedSections)
	if len(m.Threats) > 0 {
		doc.Project.Attributes[otmThreatEntries] = exportThreatEntries(m.Threats)
	}
	if len(m.Roles) > 0 {
		var defs []map[string]string
		for _, r := range m.Roles {
			defs = append(defs, map[string]string{"id": r.ID, "name": r.Name, "description": r.Description})
		}
		doc.Project.Attributes[otmRoleDefs] = defs
	}

	for _, d := range m.Data {
		doc.Assets = append(doc.Assets, otmAsset{ID: d.ID, Name: d.Name, Description: d.Description,
			Risk: otmAssetRisk{levelNumber(d.Confidentiality), levelNumber(d.Integrity), levelNumber(d.Availability)},
			Attributes: map[string]any{otmCategory: d.Category,
				otmLevels: map[string]any{"confidentiality": d.Confidentiality, "integrity": d.Integrity, "availability": d.Availability}}})
	}
	for _, b := range m.Boundaries {
		z := otmZone{ID: b.ID, Name: b.Name, Type: b.Kind, Description: b.Description, Risk: otmTrust{50}, Attributes: map[string]any{otmKind: b.Kind}}
		if b.Parent != "" {
			z.Parent = &otmParent{TrustZone: b.Parent}
		}
		doc.TrustZones = append(doc.TrustZones, z)
	}

	instances := map[string][]otmThreatInst{}
	controlStatus := map[string]string{}
	for _, c := range m.Controls {
		controlStatus[c.ID] = c.Status
		mit := otmMit{ID: c.ID, Name: c.Name, Description: c.Description, RiskReduction: 50,
			Attributes: map[string]any{otmCategory: c.Category, otmStatus: c.Status, otmVerification: c.Verification}}
		carryFields(mit.Attributes, otmPrefix, &c, otmCarriedControl)
		doc.Mitigations = append(doc.Mitigations, mit)
	}
	// OTM attaches threats to components and dataflows only.
	attachable := map[string]bool{}
	for _, e := range m.Elements {
		attachable[e.ID] = true
	}
	for _, f := range m.Flows {
		attachable[f.ID] = true
	}
	for _, t := range m.Threats {
		if t.ID == "" {
			continue
		}
		ot := otmThreat{ID: t.ID, Name: t.Title, Description: t.Description, Risk: otmThreatRisk{Impact: 50},
			Attributes: map[string]any{otmStatus: t.Status, otmJustification: t.Justification, otmTracker: t.Tracker}}
		carryFields(ot.Attributes, otmPrefix, &t, otmCarriedThreat)
		if t.Element != "" && !attachable[t.Element] {
			ot.Attributes[otmElement] = t.Element
		}
		if t.STRIDE != "" {
			ot.Categories = []string{t.STRIDE}
		}
		doc.Threats = append(doc.Threats, ot)
		if attachable[t.Element] {
			inst := otmThreatInst{Threat: t.ID, State: threatStatus(t.Status)}
			for _, c := range t.Controls {
				state := "required"
				if controlStatus[c] == "implemented" {
					state = "implemented"
				}
				inst.Mitigations = append(inst.Mitigations, otmMitInst{Mitigation: c, State: state})
			}
			instances[t.Element] = append(instances[t.Element], inst)
		}
	}

	unassigned := false
	for _, e := range m.Elements {
		c := otmComponent{ID: e.ID, Name: e.Name, Type: e.Kind, Description: e.Description, Parent: otmParent{TrustZone: e.Boundary},
			Tags: e.Tags, Threats: instances[e.ID], Attributes: map[string]any{otmKind: e.Kind}}
		if e.Boundary == "" {
			c.Parent.TrustZone = unassignedZone
			unassigned = true
		}
		if e.Role != "" {
			c.Attributes[otmRole] = e.Role
		}
		if e.Encrypted != nil {
			c.Attributes[otmEncryption] = *e.Encrypted
		}
		if len(e.Attributes) > 0 {
			c.Attributes[otmAttributes] = e.Attributes
		}
		carryFields(c.Attributes, otmPrefix, &e, otmCarriedElement)
		if len(e.Stores) > 0 {
			c.Assets = &otmAssetInstance{}
			if e.Kind == "store" {
				c.Assets.Stored = e.Stores
			} else {
				c.Assets.Processed = e.Stores
			}
		}
		doc.Components = append(doc.Components, c)
	}
	if unassigned {
		doc.TrustZones = append(doc.TrustZones, otmZone{ID: unassignedZone, Name: "Elements without a trust boundary", Type: "unassigned",
			Risk: otmTrust{50}, Attributes: map[string]any{otmUnassigned: true}})
	}
	for _, f := range m.Flows {
		of := otmFlow{ID: f.ID, Name: firstNonEmpty(f.Name, f.ID), Description: f.Description, Bidirectional: f.Bidirectional,
			Source: f.From, Destination: f.To, Assets: f.Data, Threats: instances[f.ID], Attributes: map[string]any{}}
		if p := f.Protocol; p.Name != "" {
			of.Attributes[otmProtocol] = p.Name
			detail := map[string]string{}
			for k, v := range map[string]string{"version": p.Version, "port": p.Port, "channel": p.Channel, "security": p.Security} {
				if v != "" {
					detail[k] = v
				}
			}
			if len(detail) > 0 {
				of.Attributes[otmProtocolDetail] = detail
			}
		}
		if f.Encryption != nil {
			of.Attributes[otmEncryption] = *f.Encryption
		}
		if f.Authentication != "" {
			of.Attributes[otmAuth] = f.Authentication
		}
		if len(f.Attributes) > 0 {
			of.Attributes[otmAttributes] = f.Attributes
		}
		if f.Name == "" {
			of.Attributes[otmUnnamed] = true
		}
		carryFields(of.Attributes, otmPrefix, &f, otmCarriedFlow)
		doc.Dataflows = append(doc.Dataflows, of)
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, nil, fmt.Errorf("encoding OTM: %w", err)
	}
	return buf.Bytes(), otmNotExported(m), nil
}

// threatStatus returns a Ward threat status, open when none is set.
func threatStatus(s string) string {
	if s == "" {
		return "open"
	}
	return s
}
