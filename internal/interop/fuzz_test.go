package interop

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

// fuzzImport checks the property every importer promises: no panic, and
// any model it returns is written as YAML that the model package loads
// without errors.
func fuzzImport(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import("fuzz", data, format, Options{ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }})
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteYAML(&buf, res.Model, res.Notes); err != nil {
			t.Fatal(err)
		}
		if _, diags := model.Parse("fuzz.yaml", buf.Bytes(), model.LoadOptions{}); diags.HasErrors() {
			t.Fatalf("imported model does not validate: %v\n%s", diags, buf.Bytes())
		}
	})
}

func corpusSeed(name string) string { return filepath.Join(corpusModels, filepath.FromSlash(name)) }

func FuzzThreagile(f *testing.F) {
	f.Add([]byte("title: x\ntechnical_assets:\n  A: &a {id: a, type: process}\n  B: {<<: *a, id: b}\n"))
	fuzzImport(f, Threagile, corpusSeed("threagile/stub-threagile.yaml"), "testdata/nested.threagile.yaml")
}

func FuzzThreatDragon(f *testing.F) {
	f.Add([]byte(`{"summary":{"title":"t"},"detail":{"diagrams":[{"cells":[{"id":"a","shape":"process","data":{"type":"tm.Process","name":"P"}}]}]}}`))
	fuzzImport(f, ThreatDragon, corpusSeed("threat-dragon/three-tier-web-app.json"))
}

func FuzzOTM(f *testing.F) {
	f.Add([]byte("otmVersion: 0.2.0\nproject: {name: p, id: p}\ncomponents: [{id: c, name: C, type: db, parent: {component: c}}]\n"))
	// A file ward export wrote, so that mutations reach the ward_ attributes.
	if data, _, err := ExportOTM(otmCornersModel()); err == nil {
		f.Add(data)
	}
	fuzzImport(f, OTM, corpusSeed("otm/EXAMPLE.json"), corpusSeed("otm/EXAMPLE.yaml"))
}

func FuzzPytm(f *testing.F) {
	fuzzImport(f, Pytm, corpusSeed("pytm/input.json"), "testdata/unicode.pytm.json")
}

func FuzzThreatcl(f *testing.F) {
	fuzzImport(f, Threatcl, corpusSeed("threatcl/tm1.json"))
}

// FuzzThreatclHCL runs the threatcl importer on HCL input, which goes
// through the HCL parser.
func FuzzThreatclHCL(f *testing.F) {
	f.Add([]byte("threatmodel \"a\" {\n  threat {\n    description = \"x\"\n    control = \"y\"\n  }\n}\n"))
	f.Add([]byte("threatmodel \"a\" {\n  data_flow_diagram_v2 \"d\" {\n    trust_zone \"z\" {\n      process \"p\" {}\n    }\n    flow \"https\" {\n      from = \"p\"\n      to = \"p\"\n    }\n  }\n}\n"))
	fuzzImport(f, Threatcl, corpusSeed("threatcl/tm1.hcl"), corpusSeed("threatcl/tm2.hcl"), "testdata/legacy.threatcl.hcl", "testdata/unresolved.threatcl.hcl")
}

func FuzzThreatModelLibrary(f *testing.F) {
	f.Add([]byte(`{"scope":{"title":"t"},"trust_zones":[{"symbolic_name":"z"}],"components":[{"symbolic_name":"c","trust_zone":"z","parent_component":"c"}],` +
		`"threats":[{"symbolic_name":"t","components_affected":["c","c"]}],"risks":[{"threats":["t"],"likelihood":"certain","impact":"severe"}]}`))
	fuzzImport(f, ThreatModelLibrary, "testdata/corner.tml.json")
}

func FuzzTMBOM(f *testing.F) {
	f.Add([]byte(`{"bomFormat":"CycloneDX","components":[{"type":"threat-model","bom-ref":"a","properties":[{"name":"cdx:model:type","value":"boundary"},` +
		`{"name":"cdx:model:inBoundary","value":"a"}]},{"type":"threat-model","bom-ref":"t","properties":[{"name":"cdx:model:type","value":"threat"},` +
		`{"name":"cdx:model:threat:target","value":"a"}]}],"services":[{"bom-ref":"s","data":[{"flow":"inbound","source":["s","urn:cdx:x#a"]}]}]}`))
	fuzzImport(f, TMBOM, corpusSeed("tmbom/tmbom-otm-example.cdx.json"), "testdata/corner.tmbom.json")
}

func FuzzTM7(f *testing.F) {
	f.Add([]byte(`<ThreatModel><DrawingSurfaceList><DrawingSurfaceModel><Borders><KeyValueOfguidanyType><Key>g</Key><Value><GenericTypeId>GE.P</GenericTypeId><Guid>g</Guid></Value></KeyValueOfguidanyType></Borders></DrawingSurfaceModel></DrawingSurfaceList></ThreatModel>`))
	fuzzImport(f, TM7, "testdata/pump.tm7")
}

// FuzzDetect runs detection and the detected importer on any input.
func FuzzDetect(f *testing.F) {
	f.Add([]byte(`{"otmVersion": "0.1.0"}`))
	f.Add([]byte("threagile_version: 1.0.0"))
	f.Add([]byte("<ThreatModel/>"))
	fuzzImport(f, "")
}
