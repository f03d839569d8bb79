package interop

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseLarge parses inputs of growing size. Position lookups used
// to count from the start of the file for every value, so time grew with
// the square of the size; the per-byte cost should now stay flat as the
// size grows fourfold.
func BenchmarkParseLarge(b *testing.B) {
	for _, n := range []int{25_000, 100_000} {
		oneLine := []byte("[" + strings.Repeat(`{"a":1},`, n) + "1]")
		b.Run(fmt.Sprintf("json-one-line-%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(oneLine)))
			for range b.N {
				if _, err := parseJSON("bench.json", oneLine); err != nil {
					b.Fatal(err)
				}
			}
		})

		var h strings.Builder
		h.WriteString("threatmodel \"big\" {\n")
		for i := range n / 10 {
			fmt.Fprintf(&h, "  threat \"t%d\" {\n    description = \"d\"\n    impacts = [\"Integrity\", [1], {a = 1}]\n  }\n", i)
		}
		h.WriteString("}\n")
		hcl := []byte(h.String())
		b.Run(fmt.Sprintf("hcl-%d", n/10), func(b *testing.B) {
			b.SetBytes(int64(len(hcl)))
			for range b.N {
				if _, err := parseHCL("bench.hcl", hcl); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportHuskyAI imports the largest OWASP Threat Model Library
// file of the corpus.
func BenchmarkImportHuskyAI(b *testing.B) {
	path := corpusFile(b, "tmbom/huskyai.tmbom.json")
	data := readFile(b, path)
	b.SetBytes(int64(len(data)))
	for range b.N {
		if _, err := Import(path, data, "", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
