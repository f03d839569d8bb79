package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diagram"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
)

// exampleDate dates every test assessment, so outputs can be compared byte
// for byte.
var exampleDate = time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)

// assessExample runs the pipeline on the insulin pump example.
func assessExample(t testing.TB) *assessment.Assessment {
	t.Helper()
	return assessFile(t, filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml"))
}

func assessFile(t testing.TB, path string) *assessment.Assessment {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("model not available: %v", err)
	}
	a, diags, err := pipeline.Run(path, pipeline.Options{Date: exampleDate, Tool: "test"})
	if err != nil {
		t.Fatalf("pipeline.Run(%s): %v", path, err)
	}
	if diags.HasErrors() || a == nil {
		t.Fatalf("pipeline.Run(%s) diagnostics:\n%v", path, diags)
	}
	return a
}

// assessModel runs the pipeline on a model built in Go.
func assessModel(t testing.TB, m *model.Model) *assessment.Assessment {
	t.Helper()
	a, diags, err := pipeline.Assess(m, pipeline.Options{Date: exampleDate, Tool: "test"})
	if err != nil {
		t.Fatalf("pipeline.Assess: %v", err)
	}
	if diags.HasErrors() || a == nil {
		t.Fatalf("pipeline.Assess diagnostics:\n%v", diags)
	}
	return a
}

var (
	sharedRenderer     *diagram.Renderer
	sharedRendererErr  error
	sharedRendererOnce sync.Once
)

func renderer(t testing.TB) *diagram.Renderer {
	t.Helper()
	sharedRendererOnce.Do(func() {
		sharedRenderer, sharedRendererErr = diagram.NewRenderer(context.Background())
	})
	if sharedRendererErr != nil {
		t.Fatalf("diagram.NewRenderer: %v", sharedRendererErr)
	}
	return sharedRenderer
}

// renderAll renders a in every format into a new temporary folder and
// returns the file contents by format.
func renderAll(t testing.TB, a *assessment.Assessment) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	paths, err := Render(context.Background(), a, dir, Options{})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if len(paths) != len(Formats) {
		t.Fatalf("Render wrote %d files, want %d: %v", len(paths), len(Formats), paths)
	}
	out := map[string][]byte{}
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[Formats[i]] = data
	}
	return out
}

// requireTool returns the path of an external program, skipping the test
// when it is missing, or failing it when WARD_REQUIRE_TOOLS is set (CI).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("WARD_REQUIRE_TOOLS") != "" {
		t.Fatalf("%s not found and WARD_REQUIRE_TOOLS is set: %v", name, err)
	}
	t.Skipf("%s not installed: %v", name, err)
	return ""
}

// hostileText tries to break out of every notation the report writes.
const hostileText = `<script>alert("pwned")</script> <img src=x onerror=alert(1)> **bold** _it_ [link](javascript:alert(1)) | cell | ` + "`code`" + ` # heading &amp; =1+1 \N "quoted" 'single'`

// hostileModel returns a valid model whose names and texts are all
// hostileText.
func hostileModel() *model.Model {
	yes := true
	h := hostileText
	return &model.Model{
		Ward: 1,
		System: model.System{
			ID: "evil", Name: h, Description: h, IntendedUse: h, Environments: []string{h}, Methodology: h,
			Lifecycle: "development",
			Document:  model.Document{ID: "TM-" + h, Version: h, Owner: h, Classification: h, Title: h},
		},
		Assumptions: []model.Assumption{{ID: "A-1", Text: h}},
		Data:        []model.Data{{ID: "fw", Name: h, Category: "firmware", Integrity: "high"}, {ID: "phi", Name: h, Category: "phi", Confidentiality: "high"}},
		Boundaries:  []model.Boundary{{ID: "b", Name: h, Kind: "physical", Description: h}},
		Elements: []model.Element{
			{ID: "p", Kind: "process", Name: h, Description: h, Boundary: "b", Patients: "many", Technology: model.Technology{Language: "c"}},
			{ID: "s", Kind: "store", Name: h, Boundary: "b", Stores: []string{"fw", "phi"}, Encrypted: &yes},
			{ID: "e", Kind: "entity", Name: h, Role: "patient"},
		},
		Flows: []model.Flow{
			{ID: "f1", Name: h, From: "e", To: "p", Protocol: model.Protocol{Name: "ble", Version: "5.0"}, Data: []string{"phi", "fw"}, Authentication: "none"},
			{ID: "f2", Name: h, From: "p", To: "s", Protocol: model.Protocol{Name: "spi"}, Data: []string{"fw"}},
		},
		Interfaces:   []model.Interface{{ID: "jtag", Name: h, Of: "p", Kind: "jtag", Exposure: "board", Debug: true, Production: "enabled"}},
		Dependencies: []model.Dependency{{ID: "lib", Name: h, Version: "1.0", Kind: "library", Supplier: h, Notes: h}},
		Controls:     []model.Control{{ID: "C-1", Name: h, Category: "authentication", Description: h}},
		Issues:       []model.Issue{{ID: "SEC-1", Title: h, Description: h, RootCause: h, Status: "open"}},
		Views:        model.Views{UseCases: []model.UseCase{{ID: "uc", Name: h, Description: h, Flows: []string{"f1"}}}},
	}
}
