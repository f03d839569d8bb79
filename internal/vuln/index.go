package vuln

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// indexVersion changes whenever the index layout or the Record fields
// change, which makes every older index stale.
const indexVersion = 2

// indexMagic opens and closes every index file.
var indexMagic = []byte("WARDOSVIDX2\n")

// Options configure Open.
type Options struct {
	// Progress, when set, is called while the index is built with the
	// number of files and zip entries read so far and the total: first
	// with done 0, then every 1,000 entries and once with done == total.
	// Calls come from one goroutine at a time. It is not called when a
	// current index is reused.
	Progress func(done, total int)
	// Limits bound what is read; each zero field takes its value from
	// DefaultLimits.
	Limits Limits
	// CacheDir is where the index goes when the database's own folder is
	// read-only; empty means the user cache directory.
	CacheDir string
	// IndexPath, when set, is the only place the index is read from and
	// written to; CacheDir is then not used.
	IndexPath string
}

// Info describes an open database index.
type Info struct {
	// Database is the path given to Open; IndexPath where the index is.
	Database  string
	IndexPath string
	// Built is true when Open built the index, false when it reused one.
	Built   bool
	Records int
	// Newest is the newest modified time of any record: the date the
	// database is current to.
	Newest time.Time
	// Skipped lists the records that could not be read.
	Skipped []RecordError
}

// header is the JSON part of an index file.
type header struct {
	Version int           `json:"version"`
	Hash    string        `json:"hash"`
	Records int           `json:"records"`
	Newest  time.Time     `json:"newest"`
	Skipped []RecordError `json:"skipped,omitempty"`
}

// span locates one record in the index file.
type span struct{ off, n uint64 }

// Index is an OSV database prepared for lookups by package: every record
// stored once, trimmed, with a table from package and repository keys to
// the records that name them. Open reuses the index when the database
// files are unchanged (same names, sizes and modification times) and
// builds it otherwise.
type Index struct {
	info Info
	f    *os.File
	keys map[string][]span
}

// Open returns the index of the OSV database at path (a folder of records
// and archives, or one archive or record), building it when missing or
// stale. The index is kept next to the database (inside a folder, or
// beside a file) and in Options.CacheDir or the user cache directory when
// that place cannot be written. A database that yields no record is a
// *NoRecordsError, and no index is written for it.
func Open(path string, opts Options) (*Index, error) {
	opts.Limits = opts.Limits.withDefaults()
	l, err := listDatabase(path)
	if err != nil {
		return nil, err
	}
	if len(l.files) == 0 {
		return nil, &NoRecordsError{Path: path}
	}
	places := []string{opts.IndexPath}
	if opts.IndexPath == "" {
		places, err = indexPlaces(path, opts.CacheDir)
		if err != nil {
			return nil, err
		}
	}

	for _, p := range places {
		ix, err := openIndex(p, l.hash)
		if err == nil && ix.info.Records == 0 {
			// Ward wrote such indexes before it rejected empty databases.
			ix.Close()
			return nil, &NoRecordsError{Path: path, Files: len(l.files), Skipped: ix.info.Skipped}
		}
		if err == nil {
			ix.info.Database = path
			return ix, nil
		}
		// An index that is missing, stale or unreadable by this user is
		// built (again) in the first place that can be written.
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) && !errors.Is(err, errStale) {
			return nil, err
		}
	}

	var lastErr error
	for _, p := range places {
		err := build(p, l, opts)
		if err == nil {
			ix, err := openIndex(p, l.hash)
			if err != nil {
				return nil, err
			}
			ix.info.Database = path
			ix.info.Built = true
			return ix, nil
		}
		if !errors.Is(err, errIndexWrite) {
			return nil, err
		}
		lastErr = err // this place cannot be written; try the next
	}
	return nil, lastErr
}

// indexPlaces returns where the index of the database at path may be,
// in order of preference.
func indexPlaces(path, cacheDir string) ([]string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolving OSV database path: %w", err)
	}
	var next string
	if info, err := os.Stat(abs); err == nil && info.IsDir() {
		next = filepath.Join(abs, indexName)
	} else {
		next = abs + indexName
	}
	if cacheDir == "" {
		cacheDir, err = os.UserCacheDir()
		if err != nil {
			return []string{next}, nil
		}
		cacheDir = filepath.Join(cacheDir, "ward", "osv-index")
	}
	sum := sha256.Sum256([]byte(abs))
	cached := filepath.Join(cacheDir, hex.EncodeToString(sum[:8])+".idx")
	if readOnly(filepath.Dir(next)) {
		// A folder whose mode grants no write permission is read-only by
		// intent, even for root, who could write it anyway: keep the index
		// out of it.
		return []string{cached}, nil
	}
	return []string{next, cached}, nil
}

// readOnly reports whether dir's permission bits grant nobody write access.
func readOnly(dir string) bool {
	info, err := os.Stat(dir)
	return err == nil && info.Mode().Perm()&0o222 == 0
}

var errStale = errors.New("OSV index is stale")

// trailerSize is the fixed end of an index file: table offset, header
// offset and the magic.
var trailerSize = 16 + len(indexMagic)

func openIndex(path, hash string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	ix, err := readIndex(f, hash)
	if err != nil {
		f.Close()
		if errors.Is(err, errStale) {
			return nil, err
		}
		// A damaged index is rebuilt like a stale one.
		return nil, fmt.Errorf("%w: %s: %v", errStale, path, err)
	}
	ix.info.IndexPath = path
	return ix, nil
}

func readIndex(f *os.File, hash string) (*Index, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < int64(len(indexMagic)+trailerSize) {
		return nil, errors.New("index file is truncated")
	}
	trailer := make([]byte, trailerSize)
	if _, err := f.ReadAt(trailer, size-int64(trailerSize)); err != nil {
		return nil, err
	}
	if !bytes.Equal(trailer[16:], indexMagic) {
		return nil, errors.New("not a Ward OSV index")
	}
	tableOff := binary.LittleEndian.Uint64(trailer[0:8])
	headerOff := binary.LittleEndian.Uint64(trailer[8:16])
	end := uint64(size) - uint64(trailerSize)
	if tableOff > headerOff || headerOff > end {
		return nil, errors.New("index offsets out of range")
	}

	hdrBytes := make([]byte, end-headerOff)
	if _, err := f.ReadAt(hdrBytes, int64(headerOff)); err != nil {
		return nil, err
	}
	var h header
	if err := json.Unmarshal(hdrBytes, &h); err != nil {
		return nil, fmt.Errorf("index header: %w", err)
	}
	if h.Version != indexVersion || h.Hash != hash {
		return nil, errStale
	}

	table := make([]byte, headerOff-tableOff)
	if _, err := f.ReadAt(table, int64(tableOff)); err != nil {
		return nil, err
	}
	keys, err := decodeTable(table, tableOff)
	if err != nil {
		return nil, err
	}
	return &Index{
		f:    f,
		keys: keys,
		info: Info{Records: h.Records, Newest: h.Newest, Skipped: h.Skipped},
	}, nil
}

func decodeTable(b []byte, limit uint64) (map[string][]span, error) {
	r := bytes.NewReader(b)
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(b)) {
		return nil, errors.New("index table is damaged")
	}
	keys := make(map[string][]span, n)
	for range n {
		klen, err := binary.ReadUvarint(r)
		if err != nil || klen > uint64(r.Len()) {
			return nil, errors.New("index table is damaged")
		}
		key := make([]byte, klen)
		if _, err := io.ReadFull(r, key); err != nil {
			return nil, err
		}
		count, err := binary.ReadUvarint(r)
		if err != nil || count > uint64(r.Len()) {
			return nil, errors.New("index table is damaged")
		}
		spans := make([]span, count)
		for i := range spans {
			off, err1 := binary.ReadUvarint(r)
			ln, err2 := binary.ReadUvarint(r)
			if err1 != nil || err2 != nil || off+ln > limit {
				return nil, errors.New("index table is damaged")
			}
			spans[i] = span{off, ln}
		}
		keys[string(key)] = spans
	}
	return keys, nil
}

// errIndexWrite marks a failure to write an index file, after which Open
// tries the next place for the index.
var errIndexWrite = errors.New("writing OSV index")

// createTemp creates the temporary index file; tests replace it to
// simulate a read-only folder, because chmod does not stop root.
var createTemp = os.CreateTemp

// build reads the database and writes its index to path. The index is
// written to a temporary file in the same folder, synced once and renamed
// over path, so a reader sees either the old index or the whole new one.
// Failures to write are wrapped in errIndexWrite, and failures to read the
// database are not.
func build(path string, l *listing, opts Options) error {
	writeErr := func(err error) error { return fmt.Errorf("%w %s: %w", errIndexWrite, path, err) }
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return writeErr(err)
	}
	tmp, err := createTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return writeErr(err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	w := bufio.NewWriterSize(tmp, 1<<20)
	var off uint64
	write := func(b []byte) error {
		_, err := w.Write(b)
		off += uint64(len(b))
		if err != nil {
			return writeErr(err)
		}
		return nil
	}
	if err := write(indexMagic); err != nil {
		return err
	}

	keys := map[string][]span{}
	h := header{Version: indexVersion, Hash: l.hash}
	s := &scanner{limits: opts.Limits, progress: opts.Progress}
	err = s.scan(l, func(rec *scanned) error {
		sp := span{off, uint64(len(rec.blob))}
		if err := write(rec.blob); err != nil {
			return err
		}
		for _, k := range rec.keys {
			keys[k] = append(keys[k], sp)
		}
		h.Records++
		if rec.modified.After(h.Newest) {
			h.Newest = rec.modified
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.Skipped = s.skipped
	if h.Records == 0 {
		return &NoRecordsError{Path: l.root, Files: len(l.files), Skipped: h.Skipped}
	}

	tableOff := off
	if err := write(encodeTable(keys)); err != nil {
		return err
	}
	headerOff := off
	hb, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := write(hb); err != nil {
		return err
	}
	trailer := make([]byte, 16)
	binary.LittleEndian.PutUint64(trailer[0:8], tableOff)
	binary.LittleEndian.PutUint64(trailer[8:16], headerOff)
	if err := write(append(trailer, indexMagic...)); err != nil {
		return err
	}

	if err := w.Flush(); err != nil {
		return writeErr(err)
	}
	// CreateTemp makes the file readable by its owner only; the index
	// holds public data, and other users of a shared database reuse it.
	if err := tmp.Chmod(0o644); err != nil {
		return writeErr(err)
	}
	if err := tmp.Sync(); err != nil {
		return writeErr(err)
	}
	if err := tmp.Close(); err != nil {
		return writeErr(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return writeErr(err)
	}
	return nil
}

// recordKeys returns the package and repository keys a record is found by.
func recordKeys(r *Record) []string {
	var keys []string
	for _, a := range r.Affected {
		if a.Package != nil {
			keys = append(keys, packageKey(a.Package.Ecosystem, a.Package.Name))
		}
		for _, rg := range a.Ranges {
			if rg.Type == RangeGit {
				keys = append(keys, repoKey(rg.Repo))
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

func encodeTable(keys map[string][]span) []byte {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, k := range names {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(keys[k])))
		for _, sp := range keys[k] {
			b = binary.AppendUvarint(b, sp.off)
			b = binary.AppendUvarint(b, sp.n)
		}
	}
	return b
}

// Info describes the index.
func (ix *Index) Info() Info { return ix.info }

// Lookup returns the records filed under the query's package or
// repository key. The result still has to go through Match.
func (ix *Index) Lookup(q Query) ([]*Record, error) {
	spans := ix.keys[q.Key()]
	out := make([]*Record, 0, len(spans))
	for _, sp := range spans {
		buf := make([]byte, sp.n)
		if _, err := ix.f.ReadAt(buf, int64(sp.off)); err != nil {
			return nil, fmt.Errorf("reading OSV index %s: %w", ix.info.IndexPath, err)
		}
		r, err := decodeRecord(buf)
		if err != nil {
			return nil, fmt.Errorf("reading OSV index %s: %w at byte %d; delete the index to rebuild it", ix.info.IndexPath, err, sp.off)
		}
		out = append(out, r)
	}
	return out, nil
}

// Close closes the index file.
func (ix *Index) Close() error { return ix.f.Close() }
