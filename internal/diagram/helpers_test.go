package diagram

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

// loadExample loads the insulin pump example model.
func loadExample(t testing.TB) *model.Model {
	t.Helper()
	path := filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("example model not available: %v", err)
	}
	m, diags, err := model.Load(path, model.LoadOptions{})
	if err != nil {
		t.Fatalf("model.Load(%s): %v", path, err)
	}
	if diags.HasErrors() {
		t.Fatalf("model.Load(%s) diagnostics:\n%v", path, diags)
	}
	return m
}

var (
	sharedRenderer     *Renderer
	sharedRendererErr  error
	sharedRendererOnce sync.Once
)

// renderer returns one Renderer for the whole test binary, because starting
// the WebAssembly Graphviz takes a noticeable fraction of a second.
func renderer(t testing.TB) *Renderer {
	t.Helper()
	sharedRendererOnce.Do(func() {
		sharedRenderer, sharedRendererErr = NewRenderer(context.Background())
	})
	if sharedRendererErr != nil {
		t.Fatalf("NewRenderer: %v", sharedRendererErr)
	}
	return sharedRenderer
}

// hostileModel returns a model whose every name tries to break out of the
// notation it is written in: HTML, DOT, Mermaid and Markdown.
func hostileModel() *model.Model {
	evil := `<script>alert("x")</script> \N \" ]]> ` + "`" + `**bold** [link](http://x) |a|b| #1; "quoted" 'single' & end` + "\x00\x07\n"
	yes := true
	return &model.Model{
		System: model.System{ID: "evil", Name: evil},
		Data: []model.Data{
			{ID: "fw", Name: evil, Category: "firmware"},
			{ID: "d1", Name: evil, Category: evil},
		},
		Boundaries: []model.Boundary{
			{ID: "b1", Name: evil, Kind: "physical", Parent: "b2"},
			{ID: "b2", Name: evil, Kind: evil, Parent: "b1"}, // a parent cycle
			{ID: "b3", Name: evil, Parent: "b3"},
		},
		Elements: []model.Element{
			{ID: "p1", Kind: "process", Name: evil, Boundary: "b1", Technology: model.Technology{Language: evil}, Patients: "many"},
			{ID: "s1", Kind: "store", Name: evil, Boundary: "b3", Stores: []string{"fw"}, Encrypted: &yes},
			{ID: "e1", Kind: "entity", Name: evil, Role: evil},
		},
		Flows: []model.Flow{
			{ID: "f1", Name: evil, From: "e1", To: "p1", Protocol: model.Protocol{Name: evil, Version: evil}, Data: []string{"d1", "fw"}},
			{ID: "f2", From: "p1", To: "s1", Data: []string{"fw"}, Bidirectional: true},
			{ID: "f3", From: "p1", To: "nowhere"},
		},
		Interfaces: []model.Interface{
			{ID: "i1", Name: evil, Of: "p1", Kind: "jtag", Exposure: evil, Production: evil},
		},
		Views: model.Views{UseCases: []model.UseCase{{ID: "uc", Name: evil, Flows: []string{"f1", "f2", "missing"}}}},
	}
}

// syntheticModel returns a model with n elements spread over nested
// boundaries, with about 1.5 flows per element and a debug port on every
// tenth process.
func syntheticModel(n int) *model.Model {
	m := &model.Model{System: model.System{ID: "synthetic", Name: "Synthetic system"}}
	m.Data = []model.Data{{ID: "fw", Name: "Firmware", Category: "firmware"}, {ID: "phi", Name: "Records", Category: "phi"}}
	boundaries := max(1, n/15)
	for i := range boundaries {
		b := model.Boundary{ID: fmt.Sprintf("b%d", i), Name: fmt.Sprintf("Boundary %d", i), Kind: "network"}
		if i%3 != 0 {
			b.Parent = fmt.Sprintf("b%d", i-i%3)
		}
		m.Boundaries = append(m.Boundaries, b)
	}
	kinds := []string{"process", "process", "store", "entity"}
	for i := range n {
		e := model.Element{
			ID:       fmt.Sprintf("el%d", i),
			Kind:     kinds[i%len(kinds)],
			Name:     fmt.Sprintf("Element number %d", i),
			Boundary: fmt.Sprintf("b%d", i%boundaries),
		}
		if i%17 == 0 {
			e.Patients = "many"
		}
		m.Elements = append(m.Elements, e)
		if e.Kind == "process" && i%10 == 0 {
			m.Interfaces = append(m.Interfaces, model.Interface{ID: fmt.Sprintf("jtag%d", i), Of: e.ID, Kind: "jtag", Exposure: "board", Debug: true})
		}
	}
	for i := range n * 3 / 2 {
		from, to := i%n, (i*7+3)%n
		if from == to {
			to = (to + 1) % n
		}
		data := []string{"phi"}
		if i%11 == 0 {
			data = []string{"fw"}
		}
		m.Flows = append(m.Flows, model.Flow{
			ID: fmt.Sprintf("f%d", i), Name: fmt.Sprintf("Flow %d", i),
			From: fmt.Sprintf("el%d", from), To: fmt.Sprintf("el%d", to),
			Protocol: model.Protocol{Name: "https"}, Data: data,
		})
	}
	return m
}
