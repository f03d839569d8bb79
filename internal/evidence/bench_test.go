package evidence

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkScan scans a folder with the three test documents in every
// format.
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	files := map[string][]byte{}
	for base, spec := range map[string]docSpec{"Threat-Model-a": completeSpec(), "Threat-Model-b": noHardwareSpec(), "Threat-Model-c": jtagSpec()} {
		files[base+".md"] = toMarkdown(spec)
		files[base+".txt"] = toText(spec)
		files[base+".html"] = toHTML(spec)
		files[base+".docx"] = toDOCX(b, spec)
		files[base+".pdf"] = toPDF(b, spec)
	}
	for name, data := range files {
		writeBenchFile(b, dir, name, data)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Scan(context.Background(), dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadPDF(b *testing.B) {
	data := toPDF(b, completeSpec())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := readPDF(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadDOCX(b *testing.B) {
	data := toDOCX(b, completeSpec())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := readDOCX(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRejectPDFBomb measures how fast a decompression bomb is
// rejected: the ratio check stops it once 1 MiB has expanded.
func BenchmarkRejectPDFBomb(b *testing.B) {
	data := pdfWith(append(onePage(), flateStream(b, make([]byte, 64<<20)), helvetica)...)
	for b.Loop() {
		if _, err := readPDF(data, Limits{}); err == nil {
			b.Fatal("the bomb was accepted")
		}
	}
}

// BenchmarkRejectZIPBomb measures how fast a ZIP bomb is rejected from its
// declared sizes.
func BenchmarkRejectZIPBomb(b *testing.B) {
	data := zipWith(b, "word/document.xml", bodyXML(make([]byte, 64<<20)))
	for b.Loop() {
		if _, err := readDOCX(data, Limits{}); err == nil {
			b.Fatal("the bomb was accepted")
		}
	}
}

// hostileMatrix is a Markdown report at the block limit: headings that all
// share section number 1 and a long common start, then a matrix whose rows
// name such a heading as their evidence section.
func hostileMatrix() []byte {
	var b []byte
	long := strings.Repeat("x", 150)
	for i := range 20_000 {
		b = fmt.Appendf(b, "## 1 %s %d\n\n", long, i)
	}
	b = append(b, "| Requirement | Title | Clause | Result | Evidence | Finding |\n| --- | --- | --- | --- | --- | --- |\n"...)
	for i := range 60_000 {
		b = fmt.Appendf(b, "| tm.cia | t | c | pass | 1 %s | %d data items rated |\n", long, i)
	}
	return b
}

// BenchmarkReadMatrixHostile measures the matrix reader on hostileMatrix.
// The cost per row stays bounded because stripHeading tries at most
// maxSameNumber headings per section number.
func BenchmarkReadMatrixHostile(b *testing.B) {
	txt := readMarkdown(hostileMatrix(), Limits{})
	b.ResetTimer()
	for b.Loop() {
		if _, found := readMatrix("r.md", "line", txt.Blocks); !found {
			b.Fatal("no matrix found")
		}
	}
}

// BenchmarkReadMatrix measures the matrix reader on a report of the
// failing test model.
func BenchmarkReadMatrix(b *testing.B) {
	txt := readMarkdown([]byte(matrixSeed), Limits{})
	for b.Loop() {
		readMatrix("r.md", "line", txt.Blocks)
	}
}
