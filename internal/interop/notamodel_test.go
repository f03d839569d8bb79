package interop

import (
	"strings"
	"testing"
)

// TestImportRejectsSchemas checks that the JSON Schema documents published
// next to model formats are named as schemas, with or without --from.
func TestImportRejectsSchemas(t *testing.T) {
	tests := []struct {
		file, title string
		format      Format
	}{
		{"tmbom/owasp-threat-model-library.schema.json", "OWASP Threat Model Library Schema", ""},
		{"tmbom/owasp-threat-model-library.schema.json", "OWASP Threat Model Library Schema", ThreatModelLibrary},
		{"otm/otm_schema.json", "Open Threat Model Specification", ""},
		{"otm/otm_schema.json", "Open Threat Model Specification", OTM},
		{"threat-dragon/threat-dragon-v2.schema.json", "Threat Dragon model schema", ""},
		{"threat-dragon/threat-dragon-v2.schema.json", "Threat Dragon model schema", ThreatDragon},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+string(tt.format), func(t *testing.T) {
			path := corpusFile(t, tt.file)
			_, err := Import(path, readFile(t, path), tt.format, Options{})
			d := firstDiag(t, err)
			if d.Code != "json-schema" || d.Pos.File != path || d.Pos.Line != 1 || d.Pos.Col != 1 {
				t.Errorf("diagnostic = %v, want json-schema at %s:1:1", d, path)
			}
			if !strings.Contains(d.Summary, `JSON Schema document ("`+tt.title+`")`) || !strings.Contains(d.Summary, "not a threat model") {
				t.Errorf("summary = %q", d.Summary)
			}
		})
	}
}

func TestImportRejectsSBOM(t *testing.T) {
	sbom := `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "zlib", "version": "1.3"}]}`
	_, err := importBytes(t, "app.cdx.json", "", sbom)
	d := firstDiag(t, err)
	if d.Code != "not-a-threat-model" || !strings.Contains(d.Fix, "ward sbom import") {
		t.Errorf("diagnostic = %v", d)
	}
}

func TestParseFormatAliases(t *testing.T) {
	tests := map[string]Format{
		"threat-model-library": ThreatModelLibrary, "TML": ThreatModelLibrary, "owasp-tml": ThreatModelLibrary,
		"tmbom": TMBOM, "cyclonedx": TMBOM, "hcl": Threatcl, "threatcl": Threatcl,
	}
	for in, want := range tests {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestForeign(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want Format
	}{
		{"otm", `{"otmVersion": "0.2.0", "project": {"name": "x", "id": "x"}}`, OTM},
		{"threagile", "threagile_version: 1.0.0\ntechnical_assets: {}\n", Threagile},
		{"pytm", `{"name": "x", "elements": [{"__class__": "Actor", "name": "User"}]}`, Pytm},
		{"threatcl", "spec_version = \"0.1.10\"\nthreatmodel \"x\" {\n  author = \"a\"\n}\n", Threatcl},
		{"ward model", "ward: 1\nsystem: {id: s}\nelements: []\n", ""},
		{"ward model without ward key", "system: {id: s}\nelements: []\nboundaries: []\n", ""},
		{"included ward file", "elements:\n  - {id: fw, kind: process, name: FW}\nboundaries:\n  - {id: z, kind: network, name: Z}\n", ""},
		{"not a model", "hello: world\n", ""},
		{"malformed", "{", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Foreign("model", []byte(tt.doc))
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Foreign = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
