package sbom

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to every reader through Decode. Beyond
// not panicking, a document that decodes must decode again to the same
// number of components, and every component position must lie inside the
// input.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","version":"1","purl":"pkg:npm/a@1"}],"dependencies":[{"ref":"x","dependsOn":["y"]}]}`))
	f.Add([]byte(`<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>a</name></component></components></bom>`))
	f.Add([]byte(`{"spdxVersion":"SPDX-2.3","packages":[{"name":"a","SPDXID":"SPDXRef-a"}]}`))
	f.Add([]byte("SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\nSPDXID: SPDXRef-a\n"))
	f.Add([]byte(`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[{"type":"software_Package","spdxId":"p","name":"a","software_packageVersion":"1"}]}`))
	// Small corpus SBOMs as seeds, when the corpus is present.
	for _, name := range []string{"spdx/example1.spdx", "spdx/example11-sbom.spdx.json", "cyclonedx/cisa-case-2.vex.json"} {
		if data, err := os.ReadFile(filepath.Join(corpusDir, name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Decode("fuzz", data)
		if err != nil {
			return
		}
		again, err := Decode("fuzz", data)
		if err != nil || len(again.Components) != len(doc.Components) {
			t.Fatalf("second decode differs: %v", err)
		}
		for _, c := range doc.Components {
			if c.Pos.Offset < 0 || c.Pos.Offset > len(data) {
				t.Fatalf("component %q at offset %d outside %d bytes", c.Name, c.Pos.Offset, len(data))
			}
		}
		doc.NTIADiagnostics()
	})
}
