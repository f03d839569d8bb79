package evidence

// Limits bound the resources the readers spend on one file, so hostile
// input is rejected in bounded time and memory. Zero fields take the
// defaults below.
type Limits struct {
	// MaxFileSize is the largest file read, in bytes (default 32 MiB).
	// Larger files are skipped and listed.
	MaxFileSize int64
	// MaxExpanded is the most bytes decompressed from one DOCX or PDF
	// file, all streams and entries together (default 64 MiB).
	MaxExpanded int64
	// MaxRatio is the largest compression ratio accepted for a DOCX entry
	// or a PDF stream once it expands past 1 MiB (default 100).
	MaxRatio int64
	// MaxEntries is the most entries a DOCX archive may list (default
	// 10,000).
	MaxEntries int
	// MaxDepth is the deepest nesting of XML elements, of PDF arrays and
	// dictionaries, and of the PDF page tree (default 256).
	MaxDepth int
	// MaxObjects is the most objects read from one PDF (default 200,000).
	MaxObjects int
	// MaxBlocks is the most blocks kept per document (default 100,000).
	MaxBlocks int
}

const (
	defaultMaxFileSize = 32 << 20
	defaultMaxExpanded = 64 << 20
	defaultMaxRatio    = 100
	defaultMaxEntries  = 10_000
	defaultMaxDepth    = 256
	defaultMaxObjects  = 200_000
	defaultMaxBlocks   = 100_000
	// ratioFloor is the expanded size below which the ratio is not
	// checked, because small, highly repetitive XML compresses well.
	ratioFloor = 1 << 20
)

func orDefault[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (l Limits) maxFileSize() int64 { return orDefault(l.MaxFileSize, defaultMaxFileSize) }
func (l Limits) maxExpanded() int64 { return orDefault(l.MaxExpanded, defaultMaxExpanded) }
func (l Limits) maxRatio() int64    { return orDefault(l.MaxRatio, defaultMaxRatio) }
func (l Limits) maxEntries() int    { return orDefault(l.MaxEntries, defaultMaxEntries) }
func (l Limits) maxDepth() int      { return orDefault(l.MaxDepth, defaultMaxDepth) }
func (l Limits) maxObjects() int    { return orDefault(l.MaxObjects, defaultMaxObjects) }
func (l Limits) maxBlocks() int     { return orDefault(l.MaxBlocks, defaultMaxBlocks) }
