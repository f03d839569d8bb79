package threat

import (
	"testing"
	"time"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/modelgen"
)

// BenchmarkIdentify10k identifies threats with every method and the
// built-in rule library on the generated 10,000-element model (30,000
// flows, 2,000 interfaces), the size the model loader is also measured on.
// The budget is under 1 s per run on one core: run it with -cpu 1.
func BenchmarkIdentify10k(b *testing.B) {
	src := modelgen.Generate(modelgen.Params{Elements: 10_000, Flows: 30_000, Interfaces: 2_000, Seed: 1})
	m, diags := model.Parse("gen.yaml", src, model.LoadOptions{})
	if diags.HasErrors() {
		b.Fatalf("generated model is invalid:\n%v", diags)
	}
	lib, err := catalog.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

	var threats int
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		reg, diags := Identify(m, lib, opts)
		if diags.HasErrors() {
			b.Fatalf("Identify returned errors:\n%v", diags.Errors())
		}
		threats = len(reg.Threats)
	}
	b.ReportMetric(float64(threats), "threats")
	// CPU time, unlike ns/op, does not grow when other processes share
	// the machine.
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}
