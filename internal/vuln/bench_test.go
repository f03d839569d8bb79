package vuln_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

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

// benchData generates the database and SBOM once per test binary run.
func benchData(b *testing.B) (db, bom string) {
	b.Helper()
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "ward-vuln-bench")
		if benchErr != nil {
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
	for b.Loop() {
		index := filepath.Join(b.TempDir(), "osv.idx")
		if found := scan(b, db, bom, index); found == 0 {
			b.Fatal("no vulnerabilities found")
		}
	}
}

func BenchmarkMatchWarm(b *testing.B) {
	db, bom := benchData(b)
	index := filepath.Join(b.TempDir(), "osv.idx")
	scan(b, db, bom, index) // build the index outside the timing
	for b.Loop() {
		if found := scan(b, db, bom, index); found == 0 {
			b.Fatal("no vulnerabilities found")
		}
	}
}
