package interop

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// importThreatcl reads the JSON form of a threatcl file. It holds one or
// more threat models keyed by name; Options.Select picks one, and the
// first is taken otherwise. threatcl models have no diagram, so the result
// has data, dependencies, threats and controls but no elements or flows.
func importThreatcl(file string, data []byte, opts Options) (*Result, error) {
	root, err := parseJSON(file, data)
	if err != nil {
		return nil, err
	}
	models := root.get("threatmodel")
	if !models.isMap() || len(models.keys) == 0 {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-threatcl", "threatmodel is missing or empty", "check that the file is threatcl JSON")
	}
	pick := 0
	if opts.Select != "" {
		pick = -1
		for i, k := range models.keys {
			if k == opts.Select {
				pick = i
			}
		}
		if pick < 0 {
			return nil, inputError(models.pos, "unknown-threat-model", fmt.Sprintf("the file has no threat model named %q", opts.Select),
				"pick one of: "+strings.Join(models.keys, ", "))
		}
	}
	name, tm := models.keys[pick], models.vals[pick]
	b := newBuilder(Threatcl, file)
	for i, other := range models.keys {
		if i != pick {
			b.drop("threat model %q: the file holds %d threat models and Ward imports one; pass --select %q to import it", other, len(models.keys), other)
		}
	}
	b.m.System.Document.Owner = tm.get("author").text()
	if uc := tm.get("usecase").get("description").text(); uc != "" {
		b.m.System.IntendedUse = uc
	}

	assets := tm.get("information_asset")
	for i, an := range assets.keysOrNil() {
		a := assets.vals[i]
		id := b.ids.assign("data", an, an, "data")
		d := b.addData(model.Data{ID: id, Name: an, Description: a.get("description").text()})
		if c := a.get("information_classification").text(); c != "" {
			b.note("data", d.ID, "threatcl classification: "+c)
			if strings.EqualFold(c, "confidential") || strings.EqualFold(c, "restricted") {
				d.Confidentiality = "high"
			}
		}
	}
	deps := tm.get("third_party_dependency")
	for i, dn := range deps.keysOrNil() {
		d := deps.vals[i]
		id := b.ids.assign("dependency", dn, dn, "dependency")
		b.m.Dependencies = append(b.m.Dependencies, model.Dependency{ID: id, Name: dn, Kind: "service", Notes: d.get("description").text()})
		b.infer("dependencies", id, "kind", "threatcl third-party dependencies are outside services", "dependency kinds guessed")
		if up := d.get("uptime_dependency").text(); up != "" {
			b.note("dependencies", id, "threatcl uptime dependency: "+up)
		}
	}
	threats := tm.get("threat")
	// threatcl has no diagram, but a hand-written threat needs a target, so
	// one process stands for the whole system.
	systemID := ""
	if len(threats.keysOrNil()) > 0 {
		systemID = b.ids.assign("element", "", name, "system")
		b.m.Elements = append(b.m.Elements, model.Element{ID: systemID, Kind: "process", Name: name, Description: tm.get("description").text()})
		b.note("elements", systemID, "inferred: threatcl models have no diagram; this process stands for the whole system so that its threats have a target. Replace it with the real processes, stores and entities.")
	}
	for i, tn := range threats.keysOrNil() {
		t := threats.vals[i]
		id := b.ids.assign("threat", tn, tn, "threat")
		te := model.ThreatEntry{ID: id, Title: tn, Description: t.get("description").text(), Element: systemID, Status: "open"}
		impact := model.Impact{}
		for _, imp := range t.get("impacts").strings() {
			switch strings.ToLower(imp) {
			case "confidentiality":
				impact.Confidentiality = "high"
			case "integrity":
				impact.Integrity = "high"
			case "availability":
				impact.Availability = "high"
			}
		}
		if impact.Confidentiality != "" || impact.Integrity != "" || impact.Availability != "" {
			te.Impact = impact
			b.infer("threats", id, "impact", "threatcl lists the impacts without a level; each is taken as high", "threat impact levels")
		}
		for _, group := range t.get("expanded_control").list() {
			for j, cn := range group.keysOrNil() {
				c := group.vals[j]
				cid := b.ids.assign("control", "", cn, "control")
				cat, _ := guessControlCategory(cn + " " + c.get("description").text())
				b.m.Controls = append(b.m.Controls, model.Control{ID: cid, Name: cn, Description: c.get("description").text(), Category: cat})
				b.infer("controls", cid, "category", "guessed from words in the name and description; check it", "control categories guessed")
				te.Controls = append(te.Controls, cid)
			}
		}
		b.m.Threats = append(b.m.Threats, te)
	}
	if attrs := tm.get("attributes"); attrs.isMap() {
		for i, k := range attrs.keys {
			b.note("system", "", fmt.Sprintf("threatcl attribute %s: %s", k, attrs.vals[i].text()))
		}
	}
	return b.finish(name, tm.get("description").text()), nil
}
