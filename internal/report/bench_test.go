package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/modelgen"
)

// BenchmarkReport measures writing every format, diagram layout included,
// from a finished assessment. Run it on one core:
//
//	go test -run '^$' -bench Report -benchtime 3x -cpu 1 ./internal/report
func BenchmarkReport(b *testing.B) {
	b.Run("insulin-pump", func(b *testing.B) {
		benchmarkRender(b, assessExample(b))
	})
	b.Run("generated-1000-elements", func(b *testing.B) {
		benchmarkRender(b, assessGenerated(b, 1000))
	})
}

// BenchmarkReportFormat measures each format alone on the example.
func BenchmarkReportFormat(b *testing.B) {
	a := assessExample(b)
	for _, f := range Formats {
		b.Run(f, func(b *testing.B) {
			dir := b.TempDir()
			for b.Loop() {
				if _, err := Render(context.Background(), a, dir, Options{Formats: []string{f}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchmarkRender(b *testing.B, a *assessment.Assessment) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Render(context.Background(), a, dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// assessGenerated writes a generated model of n elements and runs the
// pipeline on it.
func assessGenerated(b testing.TB, n int) *assessment.Assessment {
	b.Helper()
	path := filepath.Join(b.TempDir(), "ward.yaml")
	data := modelgen.Generate(modelgen.Params{Elements: n, Flows: n * 3 / 2, Interfaces: n / 5, Seed: 1})
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return assessFile(b, path)
}
