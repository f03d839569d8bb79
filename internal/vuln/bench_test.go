package vuln_test

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/sbom"
	"github.com/wardtm/ward/internal/vuln"
	"github.com/wardtm/ward/internal/vuln/vulngen"
)

// Budget (docs/benchmarks.md): a 5,000-component SBOM against a generated
// 200,000-record database in under 30 s with the index build, under 2 s
// with the index cached, in under 1 GB of memory.
const (
	benchRecords    = 200_000
	benchComponents = 5_000
)

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchData generates the database and SBOM once per test binary run, in
// a temporary folder, or in $WARD_BENCH_DIR when set, where they are kept
// and reused by later runs.
func benchData(b *testing.B) (db, bom string) {
	b.Helper()
	benchOnce.Do(func() {
		benchDir = os.Getenv("WARD_BENCH_DIR")
		if benchDir == "" {
			benchDir, benchErr = os.MkdirTemp("", "ward-vuln-bench")
			if benchErr != nil {
				return
			}
		} else if _, err := os.Stat(filepath.Join(benchDir, "bom.json")); err == nil {
			return
		}
		if benchErr = vulngen.WriteDatabase(filepath.Join(benchDir, "osv"), benchRecords); benchErr != nil {
			return
		}
		benchErr = vulngen.WriteSBOM(filepath.Join(benchDir, "bom.json"), vulngen.Components(benchComponents, benchRecords))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return filepath.Join(benchDir, "osv"), filepath.Join(benchDir, "bom.json")
}

// scan is what ward vulns does: read the SBOM, open the index, match
// every component. It returns the number of vulnerabilities found.
func scan(b *testing.B, db, bom, index string) int {
	doc, err := sbom.Read(bom)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := vuln.Open(db, vuln.Options{IndexPath: index})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	found := 0
	for _, c := range doc.Components {
		q, err := vuln.QueryFromPurl(c.Purl, "")
		if err != nil {
			b.Fatal(err)
		}
		recs, err := ix.Lookup(q)
		if err != nil {
			b.Fatal(err)
		}
		found += len(vuln.Group(vuln.Match(q, recs)))
	}
	return found
}

func BenchmarkMatchColdIndex(b *testing.B) {
	db, bom := benchData(b)
	peak := startPeakMemory(b)
	for b.Loop() {
		index := filepath.Join(b.TempDir(), "osv.idx")
		if found := scan(b, db, bom, index); found == 0 {
			b.Fatal("no vulnerabilities found")
		}
	}
	peak.report()
}

func BenchmarkMatchWarm(b *testing.B) {
	db, bom := benchData(b)
	index := filepath.Join(b.TempDir(), "osv.idx")
	scan(b, db, bom, index) // build the index outside the timing
	peak := startPeakMemory(b)
	for b.Loop() {
		if found := scan(b, db, bom, index); found == 0 {
			b.Fatal("no vulnerabilities found")
		}
	}
	peak.report()
}

// peakMemory samples the Go runtime's memory every 5 ms while a benchmark
// runs. The budget limits the memory held at once, which B/op does not
// show because it counts every allocation of the run.
type peakMemory struct {
	b    *testing.B
	stop chan struct{}
	done chan struct{}
	// cpu is the process CPU time when sampling started.
	cpu time.Duration
	// heap is the largest size of live and not yet swept heap objects.
	heap uint64
	// mapped is the largest memory the runtime had mapped and not
	// released to the operating system, close to its resident size.
	mapped uint64
}

func startPeakMemory(b *testing.B) *peakMemory {
	runtime.GC() // drop what generating the data left behind
	p := &peakMemory{b: b, stop: make(chan struct{}), done: make(chan struct{}), cpu: processCPU()}
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			p.heap = max(p.heap, samples[0].Value.Uint64())
			p.mapped = max(p.mapped, samples[1].Value.Uint64()-samples[2].Value.Uint64())
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// report stops sampling and adds the peaks to the benchmark's output,
// with the user and system CPU time per run. On a busy machine the CPU
// time shows the work a run does better than the wall time.
func (p *peakMemory) report() {
	close(p.stop)
	<-p.done
	p.b.ReportMetric((processCPU()-p.cpu).Seconds()/float64(p.b.N), "cpu-s/op")
	p.b.ReportMetric(float64(p.heap)/(1<<20), "peak-heap-MiB")
	p.b.ReportMetric(float64(p.mapped)/(1<<20), "peak-mapped-MiB")
}
