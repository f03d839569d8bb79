package interop

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// Detect names the format of data from its content: XML with a ThreatModel
// root is .tm7, HCL with a threatmodel block is threatcl, and JSON or YAML
// is recognised by the top-level keys each format requires. JSON Schema
// documents and CycloneDX BOMs without threat model components are
// rejected with a diagnostic that names what the file is. The file name is
// used only in the error.
func Detect(file string, data []byte) (Format, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return "", inputError(diag.Pos{File: file}, "empty-input", "file is empty", "pass a threat model file")
	}
	if trimmed[0] == '<' {
		if bytes.Contains(data, []byte("ThreatModel")) || bytes.Contains(data, []byte("DrawingSurfaceList")) {
			return TM7, nil
		}
		return "", inputError(diag.Pos{File: file, Line: 1, Col: 1}, "unknown-format",
			"XML file has no ThreatModel element, so it is not a Threat Modeling Tool .tm7 file", "pass --from to name the format")
	}
	if trimmed[0] != '{' && trimmed[0] != '[' && threatclHCL.Match(data) {
		// A file that looks like threatcl HCL but does not parse gets the
		// HCL error, which is more useful than a YAML one.
		if _, err := parseHCL(file, data); err != nil {
			return "", err
		}
		return Threatcl, nil
	}

	var root *node
	var err error
	if trimmed[0] == '{' || trimmed[0] == '[' {
		root, err = parseJSON(file, data)
	} else {
		root, err = parseYAML(file, data)
	}
	if err != nil {
		return "", err
	}
	if err := notAModel(file, root); err != nil {
		return "", err
	}
	if f := formatOf(root); f != "" {
		return f, nil
	}
	return "", inputError(root.posOr(diag.Pos{File: file}), "unknown-format",
		"cannot tell the format from the content: none of the top-level keys of Threagile, Threat Dragon, OTM, pytm, threatcl, OWASP Threat Model Library or TMBOM models is present",
		fmt.Sprintf("pass --from with one of %s", formatList()))
}

// Foreign returns the format of data when it is another tool's threat
// model that Detect recognises and not a Ward model, which has a top-level
// ward or system key. It is meant for a hint after a file failed to load
// as a Ward model, so it reports no errors.
func Foreign(file string, data []byte) (Format, bool) {
	if len(data) > MaxInputBytes {
		return "", false
	}
	f, err := Detect(file, data)
	if err != nil {
		return "", false
	}
	if f == TM7 || f == Threatcl {
		// XML and HCL cannot be Ward models.
		return f, true
	}
	var root *node
	if isJSONText(data) {
		root, err = parseJSON(file, data)
	} else {
		root, err = parseYAML(file, data)
	}
	if err != nil || root.get("ward") != nil || root.get("system") != nil {
		return "", false
	}
	if f == Pytm && !hasPytmClass(root) {
		// A Ward file that others include has elements and boundaries
		// but no ward key. Elements of pytm JSON name their __class__.
		return "", false
	}
	return f, true
}

func hasPytmClass(root *node) bool {
	for _, e := range root.get("elements").list() {
		if e.get("__class__") != nil {
			return true
		}
	}
	return false
}

// threatclHCL matches the start of a threatcl block or the spec_version
// attribute at the start of a line.
var threatclHCL = regexp.MustCompile(`(?m)^[ \t]*(threatmodel[ \t]+("[^"\n]*"|[A-Za-z_][\w-]*)[ \t]*\{|spec_version[ \t]*=)`)

// formatOf recognises a decoded JSON or YAML document by its keys.
func formatOf(root *node) Format {
	switch {
	case !root.isMap():
		return ""
	case root.get("otmVersion") != nil:
		return OTM
	case root.get("threagile_version") != nil || root.get("technical_assets") != nil:
		return Threagile
	case root.get("detail").get("diagrams") != nil:
		return ThreatDragon
	case root.get("threatmodel") != nil && root.get("spec_version") != nil:
		return Threatcl
	case strings.Contains(root.get("$schema").text(), "threat-model-library"),
		root.get("scope").isMap() && (root.get("trust_zones") != nil || root.get("data_flows") != nil):
		return ThreatModelLibrary
	case strings.EqualFold(root.get("bomFormat").text(), "CycloneDX") && hasThreatModelComponent(root.get("components"), 0):
		return TMBOM
	case root.get("elements") != nil || root.get("flows") != nil:
		for _, e := range root.get("elements").list() {
			if e.get("__class__") != nil {
				return Pytm
			}
		}
		if root.get("boundaries") != nil || root.get("onDuplicates") != nil || root.get("isOrdered") != nil {
			return Pytm
		}
	}
	return ""
}

// hasThreatModelComponent reports whether a CycloneDX components list holds
// a component of type threat-model at any depth.
func hasThreatModelComponent(list *node, depth int) bool {
	if depth > maxDepth {
		return false
	}
	for _, c := range list.list() {
		if strings.EqualFold(c.get("type").text(), "threat-model") || hasThreatModelComponent(c.get("components"), depth+1) {
			return true
		}
	}
	return false
}

// notAModel returns a diagnostic for documents that are recognisably not
// threat models: JSON Schema documents, such as the schemas published next
// to OTM, Threat Dragon and OWASP Threat Model Library models, and
// CycloneDX BOMs without threat-model components.
func notAModel(file string, root *node) error {
	if !root.isMap() {
		return nil
	}
	if isJSONSchema(root) {
		title := root.get("title").text()
		kind := "a JSON Schema document"
		if title != "" {
			kind = fmt.Sprintf("a JSON Schema document (%q)", title)
		}
		return inputError(root.pos, "json-schema", fmt.Sprintf("file is %s, which describes a model format, not a threat model", kind),
			"import a model file that follows this schema instead")
	}
	if strings.EqualFold(root.get("bomFormat").text(), "CycloneDX") && !hasThreatModelComponent(root.get("components"), 0) {
		return inputError(root.pos, "not-a-threat-model",
			"file is a CycloneDX BOM without threat-model components, so it lists software, not a threat model",
			"add it to a Ward model with ward sbom import, or pass a threat model BOM (TMBOM)")
	}
	return nil
}

// isJSONSchema reports whether a document is a JSON Schema: it names a
// json-schema.org meta-schema, or it declares an object type with
// properties together with an $id or definitions.
func isJSONSchema(root *node) bool {
	if strings.Contains(root.get("$schema").text(), "json-schema.org") {
		return true
	}
	if typ := root.get("type"); !root.get("properties").isMap() || typ == nil || typ.kind != kindScalar {
		return false
	}
	return root.get("$id") != nil || root.get("$defs") != nil || root.get("definitions") != nil
}

// rejectJSONSchema checks a JSON file that is imported with an explicit
// format, so that --from does not turn a schema into an empty model.
func rejectJSONSchema(file string, data []byte) error {
	if !isJSONText(data) {
		return nil
	}
	root, err := parseJSON(file, data)
	if err != nil {
		// The importer reports the syntax error with its own context.
		return nil
	}
	if isJSONSchema(root) {
		return notAModel(file, root)
	}
	return nil
}
