package interop

import (
	"bytes"
	"fmt"

	"github.com/wardtm/ward/internal/diag"
)

// Detect names the format of data from its content: XML with a ThreatModel
// root is .tm7, and JSON or YAML is recognised by the top-level keys each
// format requires. The file name is used only in the error.
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
	if f := formatOf(root); f != "" {
		return f, nil
	}
	return "", inputError(root.posOr(diag.Pos{File: file}), "unknown-format",
		"cannot tell the format from the content: none of the top-level keys of Threagile, Threat Dragon, OTM, pytm or threatcl models is present",
		fmt.Sprintf("pass --from with one of %s", formatList()))
}

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
