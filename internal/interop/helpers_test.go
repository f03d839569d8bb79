package interop

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

// corpusModels is the folder of real threat models of other tools, shared
// by the project's tests and read at run time.
const corpusModels = "../../../shared/corpus/models"

// corpusFile returns the path of a corpus file, skipping the test when the
// corpus folder is absent.
func corpusFile(t testing.TB, name string) string {
	t.Helper()
	if _, err := os.Stat(corpusModels); err != nil {
		t.Skipf("corpus folder %s not present", corpusModels)
	}
	return filepath.Join(corpusModels, filepath.FromSlash(name))
}

// importFile imports path with the format detected, failing the test on
// an error.
func importFile(t testing.TB, path string) *Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(path, data, "", Options{})
	if err != nil {
		t.Fatalf("Import(%s): %v", path, err)
	}
	return res
}

// importBytes imports data as format under a made-up file name.
func importBytes(t testing.TB, name string, format Format, data string) (*Result, error) {
	t.Helper()
	return Import(name, []byte(data), format, Options{})
}

// writeAndParse writes res as YAML and loads it back with the model
// package's parser, which also validates; it fails on any diagnostic.
func writeAndParse(t testing.TB, res *Result) (*model.Model, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteYAML(&buf, res.Model, res.Notes); err != nil {
		t.Fatal(err)
	}
	m, diags := model.Parse("imported.yaml", buf.Bytes(), model.LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("imported model does not validate:\n%v\n--- model ---\n%s", diags, buf.String())
	}
	return m, buf.Bytes()
}

func elementByID(m *model.Model, id string) *model.Element {
	for i := range m.Elements {
		if m.Elements[i].ID == id {
			return &m.Elements[i]
		}
	}
	return nil
}

func boundaryByID(m *model.Model, id string) *model.Boundary {
	for i := range m.Boundaries {
		if m.Boundaries[i].ID == id {
			return &m.Boundaries[i]
		}
	}
	return nil
}

func flowByID(m *model.Model, id string) *model.Flow {
	for i := range m.Flows {
		if m.Flows[i].ID == id {
			return &m.Flows[i]
		}
	}
	return nil
}

func threatByID(m *model.Model, id string) *model.ThreatEntry {
	for i := range m.Threats {
		if m.Threats[i].ID == id {
			return &m.Threats[i]
		}
	}
	return nil
}

func dataByID(m *model.Model, id string) *model.Data {
	for i := range m.Data {
		if m.Data[i].ID == id {
			return &m.Data[i]
		}
	}
	return nil
}

// kindCounts counts elements per kind.
func kindCounts(m *model.Model) map[string]int {
	out := map[string]int{}
	for _, e := range m.Elements {
		out[e.Kind]++
	}
	return out
}

func listFlowIDs(m *model.Model) []string {
	var ids []string
	for _, f := range m.Flows {
		ids = append(ids, f.ID)
	}
	return ids
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
