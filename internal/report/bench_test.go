package report

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/modelgen"
	"github.com/wardtm/ward/internal/pipeline"
)

// BenchmarkReport measures the whole report set: every format, diagram
// layout included. "render" starts from a finished assessment; "command"
// also loads the model and runs the pipeline, as ward report does. Beside
// the wall time it reports cpu-s/op, the user and system CPU time of the
// process and its layout worker processes, because the wall time on a
// shared machine also counts waiting for a core. Run it on one core:
//
//	go test -run '^$' -bench 'Report$' -benchtime 3x -cpu 1 ./internal/report
func BenchmarkReport(b *testing.B) {
	example := filepath.Join("..", "..", "examples", "insulin-pump", "ward.yaml")
	b.Run("insulin-pump/render", func(b *testing.B) {
		benchmarkRender(b, assessFile(b, example))
	})
	b.Run("insulin-pump/command", func(b *testing.B) {
		benchmarkCommand(b, example)
	})

	generated := writeGenerated(b, 1000)
	b.Run("generated-1000-elements/render", func(b *testing.B) {
		benchmarkRender(b, assessFile(b, generated))
	})
	b.Run("generated-1000-elements/command", func(b *testing.B) {
		benchmarkCommand(b, generated)
	})
}

// BenchmarkReportFormat measures each format alone on the example.
func BenchmarkReportFormat(b *testing.B) {
	a := assessExample(b)
	for _, f := range Formats {
		b.Run(f, func(b *testing.B) {
			dir := b.TempDir()
			start := cpuTime()
			for b.Loop() {
				if _, err := Render(context.Background(), a, dir, Options{Formats: []string{f}}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}

func benchmarkRender(b *testing.B, a *assessment.Assessment) {
	dir := b.TempDir()
	start := cpuTime()
	for b.Loop() {
		if _, err := Render(context.Background(), a, dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func benchmarkCommand(b *testing.B, path string) {
	dir := b.TempDir()
	start := cpuTime()
	for b.Loop() {
		a, diags, err := pipeline.Run(path, pipeline.Options{Date: exampleDate, Tool: "bench"})
		if err != nil || diags.HasErrors() {
			b.Fatalf("pipeline.Run: %v\n%v", err, diags)
		}
		if _, err := Render(context.Background(), a, dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// writeGenerated writes a generated model of n elements, 1.5 flows per
// element and one interface per five elements, and returns its path.
func writeGenerated(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "ward.yaml")
	data := modelgen.Generate(modelgen.Params{Elements: n, Flows: n * 3 / 2, Interfaces: n / 5, Seed: 1})
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// cpuTime returns the user and system CPU time so far of the process and
// of its finished child processes, which include the diagram layout
// workers.
func cpuTime() time.Duration {
	var total time.Duration
	for _, scope := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(scope, &ru); err != nil {
			return 0
		}
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return total
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}
