package model_test

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/modelgen"
)

// BenchmarkLoad10k loads and validates a generated model of 10,000
// elements, 30,000 flows and 2,000 interfaces from a file. The budget is
// under 1 s per operation on one core (-cpu 1) and under 500 MB of memory;
// the benchmark reports the peak heap it saw as peak-heap-MB.
func BenchmarkLoad10k(b *testing.B) {
	src := modelgen.Generate(modelgen.Params{Elements: 10_000, Flows: 30_000, Interfaces: 2_000, Seed: 1})
	path := filepath.Join(b.TempDir(), "ward.yaml")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()

	var peak uint64
	var cpu time.Duration // process CPU time spent inside the timed loads
	stop := make(chan struct{})
	done := make(chan struct{})
	runtime.GC()
	go sampleHeap(&peak, stop, done)

	for b.Loop() {
		// Start each load from a collected heap, so that the peak is that
		// of one load and not of garbage left by the previous one.
		b.StopTimer()
		runtime.GC()
		before := cpuTime()
		b.StartTimer()

		m, diags, err := model.Load(path, model.LoadOptions{})
		cpu += cpuTime() - before
		if err != nil || diags.HasErrors() || len(m.Flows) != 30_000 {
			b.Fatalf("Load: err=%v, %d diagnostics, first: %v", err, len(diags), diags)
		}
	}
	close(stop)
	<-done
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkLoad10kFullParser loads the model of BenchmarkLoad10k with one
// anchor added, which is outside the fast path's subset, so the whole file
// goes through the full YAML parser (github.com/goccy/go-yaml). It has no
// budget; it shows what a large model that uses anchors, block scalars or
// other YAML features costs.
func BenchmarkLoad10kFullParser(b *testing.B) {
	src := modelgen.Generate(modelgen.Params{Elements: 10_000, Flows: 30_000, Interfaces: 2_000, Seed: 1})
	src = append(src, "x-full-parser: &full 1\n"...)
	path := filepath.Join(b.TempDir(), "ward.yaml")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()

	var cpu time.Duration
	for b.Loop() {
		before := cpuTime()
		m, diags, err := model.Load(path, model.LoadOptions{})
		cpu += cpuTime() - before
		if err != nil || diags.HasErrors() || len(m.Flows) != 30_000 {
			b.Fatalf("Load: err=%v, %d diagnostics, first: %v", err, len(diags), diags)
		}
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime returns the user and system CPU time of the process so far. It
// tells the cost of a load apart from waiting for a busy machine, which the
// wall-clock ns/op includes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sampleHeap records the largest heap (objects in use, including garbage
// not yet collected) every millisecond until stop is closed. It sleeps
// between samples so that with -cpu 1 it takes almost no time from the
// code being measured. sys-MB, the memory the runtime obtained from the
// operating system, bounds the peak from above.
func sampleHeap(peak *uint64, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(sample)
		*peak = max(*peak, sample[0].Value.Uint64())
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// TestGenerateFastPath checks that generated models take the loader's fast
// YAML path, which BenchmarkLoad10k relies on, and that the fast path builds
// the same tree as the full parser.
func TestGenerateFastPath(t *testing.T) {
	src := modelgen.Generate(modelgen.Params{Elements: 300, Flows: 900, Interfaces: 60, Seed: 9})
	if !model.CheckFastParse(t, src) {
		t.Error("the generated model is outside the fast parser's subset")
	}
}
