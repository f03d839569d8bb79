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
