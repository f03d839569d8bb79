package interop

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// pytmKinds maps pytm element classes to element kinds.
var pytmKinds = map[string]string{
	"actor": "entity", "externalentity": "entity",
	"process": "process", "server": "process", "lambda": "process", "setofprocesses": "process", "element": "process", "asset": "process",
	"datastore": "store",
}

// pytmLevels maps pytm data classifications to a confidentiality level.
var pytmLevels = map[string]string{
	"public": "low", "unknown": "", "restricted": "medium", "sensitive": "high", "secret": "high", "top_secret": "high",
}

// importPytm reads the JSON input format of OWASP pytm (pytm --json
// input), where items refer to each other by name.
func importPytm(file string, data []byte) (*Result, error) {
	root, err := parseJSON(file, data)
	if err != nil {
		return nil, err
	}
	if !root.isMap() {
		return nil, inputError(root.posOr(diag.Pos{File: file}), "invalid-pytm", "top level of the pytm model is not an object", "export the model with pytm's JSON format")
	}
	b := newBuilder(Pytm, file)

	for _, bd := range root.get("boundaries").list() {
		name := bd.get("name").text()
		id := b.ids.assign("boundary", name, name, "boundary")
		b.m.Boundaries = append(b.m.Boundaries, model.Boundary{ID: id, Name: firstNonEmpty(name, id), Description: bd.get("description").text(), Kind: "network"})
		b.infer("boundaries", id, "kind", "pytm boundaries have no kind", "boundary kinds guessed")
	}
	for i, bd := range root.get("boundaries").list() {
		if parent := bd.get("inBoundary").text(); parent != "" {
			if pid, ok := b.ids.lookup("boundary", parent); ok && pid != b.m.Boundaries[i].ID {
				b.m.Boundaries[i].Parent = pid
			} else {
				b.drop("%s: boundary %q is in boundary %q, which is not defined", bd.get("inBoundary").pos, bd.get("name").text(), parent)
			}
		}
	}

	for _, d := range root.get("data").list() {
		name := d.get("name").text()
		id := b.ids.assign("data", name, name, "data")
		class := strings.ToLower(d.get("classification").text())
		item := b.addData(model.Data{ID: id, Name: firstNonEmpty(name, id), Description: d.get("description").text(), Confidentiality: pytmLevels[class]})
		if class != "" {
			b.note("data", item.ID, "pytm classification: "+d.get("classification").text())
		}
	}

	for _, e := range root.get("elements").list() {
		class := e.get("__class__").text()
		name := e.get("name").text()
		kind, ok := pytmKinds[strings.ToLower(class)]
		if !ok {
			kind = "process"
		}
		id := b.ids.assign("element", name, name, kind)
		el := model.Element{ID: id, Kind: kind, Name: firstNonEmpty(name, id), Description: e.get("description").text()}
		if !ok {
			b.infer("elements", id, "kind", fmt.Sprintf("pytm class %q is unknown; taken as a process", class), "element kinds guessed")
		} else if class != "" && !strings.EqualFold(class, kind) {
			el.Attributes = map[string]any{"pytm_class": class}
		}
		if bd := e.get("inBoundary").text(); bd != "" {
			if bid, ok := b.ids.lookup("boundary", bd); ok {
				el.Boundary = bid
			} else {
				b.drop("%s: element %q is in boundary %q, which is not defined", e.get("inBoundary").pos, name, bd)
			}
		}
		if kind == "store" && e.get("isEncrypted") != nil {
			el.Encrypted = boolPtr(e.get("isEncrypted").boolean())
		}
		if e.get("inScope") != nil && !e.get("inScope").boolean() {
			el.Scope = model.Scope{Out: true, Reason: "out of scope in the pytm model"}
		}
		b.m.Elements = append(b.m.Elements, el)
	}

	for _, f := range root.get("flows").list() {
		name := f.get("name").text()
		src, dst := f.get("source").text(), f.get("sink").text()
		from, ok1 := b.ids.lookup("element", src)
		to, ok2 := b.ids.lookup("element", dst)
		if !ok1 || !ok2 {
			b.drop("%s: flow %q goes from %q to %q, which are not both elements (a flow to nowhere)", f.pos, name, src, dst)
			continue
		}
		id := b.ids.assign("flow", "", firstNonEmpty(name, from+"-to-"+to), "flow")
		fl := model.Flow{ID: id, Name: name, Description: firstNonEmpty(f.get("description").text(), f.get("note").text()), From: from, To: to}
		if p := f.get("protocol").text(); p != "" {
			fl.Protocol.Name = b.protocol(p)
		}
		if port := f.get("dstPort").text(); port != "" && port != "-1" {
			fl.Protocol.Port = port
		}
		if f.get("isEncrypted") != nil {
			fl.Encryption = boolPtr(f.get("isEncrypted").boolean())
		}
		for _, d := range f.get("data").strings() {
			if did, ok := b.ids.lookup("data", d); ok {
				fl.Data = append(fl.Data, did)
			} else {
				b.drop("%s: flow %q carries data %q, which is not defined", f.get("data").pos, name, d)
			}
		}
		b.m.Flows = append(b.m.Flows, fl)
	}
	for _, k := range []string{"assumptions", "threatsFile", "findings"} {
		if v := root.get(k); v != nil && v.kind != kindNull && len(v.list()) > 0 {
			b.drop("%s: pytm %s are not imported; Ward identifies threats itself", k, k)
		}
	}
	return b.finish(root.get("name").text(), root.get("description").text()), nil
}
