package vuln

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Limits bound what reading a database may consume. Zip archives are
// checked entry by entry against the sizes they really decompress to, not
// the sizes their headers claim.
type Limits struct {
	// MaxFiles is the largest number of record files and zip entries.
	MaxFiles int
	// MaxRecordSize is the largest size of one record, in bytes.
	MaxRecordSize int64
	// MaxTotalSize is the largest number of bytes read from all records
	// together, after decompression.
	MaxTotalSize int64
}

// DefaultLimits leave room for every osv.dev ecosystem archive together
// (about a million records and a few GiB of JSON in 2025) while stopping a
// zip bomb early.
var DefaultLimits = Limits{
	MaxFiles:      4_000_000,
	MaxRecordSize: maxRecordSize,
	MaxTotalSize:  16 << 30,
}

// withDefaults returns l with every zero field set from DefaultLimits.
func (l Limits) withDefaults() Limits {
	if l.MaxFiles == 0 {
		l.MaxFiles = DefaultLimits.MaxFiles
	}
	if l.MaxRecordSize == 0 {
		l.MaxRecordSize = DefaultLimits.MaxRecordSize
	}
	if l.MaxTotalSize == 0 {
		l.MaxTotalSize = DefaultLimits.MaxTotalSize
	}
	return l
}

// indexName is the file name of the index kept in a database folder. The
// listing skips it, and the temporary files written next to it.
const indexName = ".ward-osv.idx"

// dbFile is one file of a database: a JSON record or a zip archive.
type dbFile struct {
	path  string
	rel   string
	size  int64
	mtime int64
}

// listing is the set of files of a database and a digest of their names,
// sizes and modification times. The digest decides whether an index is stale.
// NOTE: an edit that keeps a file's size and modification time, such as a
// rewrite within one tick of a coarse file system clock, is not seen. Hashing
// the content of every file on every run would cost seconds.
type listing struct {
	root  string
	files []dbFile
	hash  string
}

// listDatabase lists path: a folder (searched recursively for *.json and
// *.zip files, skipping hidden folders) or a single JSON or zip file. The
// files of a folder are stat'ed by several goroutines, because a database
// unpacked from osv.dev has hundreds of thousands of them and every later
// run lists them all to check the index.
func listDatabase(path string) (*listing, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading OSV database: %w", err)
	}
	l := &listing{root: path}
	if !info.IsDir() {
		l.files = []dbFile{{path: path, rel: filepath.Base(path), size: info.Size(), mtime: info.ModTime().UnixNano()}}
	} else {
		if l.files, err = walkDatabase(path); err != nil {
			return nil, fmt.Errorf("listing OSV database %s: %w", path, err)
		}
		if err := statFiles(l.files); err != nil {
			return nil, fmt.Errorf("listing OSV database %s: %w", path, err)
		}
	}
	slices.SortFunc(l.files, func(a, b dbFile) int { return strings.Compare(a.rel, b.rel) })

	h := sha256.New()
	fmt.Fprintf(h, "ward osv index %d\n", indexVersion)
	var line []byte
	for _, f := range l.files {
		line = append(line[:0], f.rel...)
		line = append(line, '\t')
		line = strconv.AppendInt(line, f.size, 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, f.mtime, 10)
		line = append(line, '\n')
		h.Write(line)
	}
	l.hash = hex.EncodeToString(h.Sum(nil))
	return l, nil
}

// walkDatabase returns the record files and archives under root, without
// their sizes and modification times, in no particular order. It reads
// folders unsorted and builds paths by concatenation, because the sorting
// and cleaning that filepath.WalkDir does took a quarter of the time of
// every run on a database of 200,000 files.
func walkDatabase(root string) ([]dbFile, error) {
	root = filepath.Clean(root)
	prefix := root
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	var files []dbFile
	dirs := []string{root}
	for len(dirs) > 0 {
		dir := dirs[len(dirs)-1]
		dirs = dirs[:len(dirs)-1]
		entries, err := readDirUnsorted(dir)
		if err != nil {
			return nil, err
		}
		if dir != root {
			dir += string(filepath.Separator)
		} else {
			dir = prefix
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() {
				if !strings.HasPrefix(name, ".") {
					dirs = append(dirs, dir+name)
				}
				continue
			}
			if strings.HasPrefix(name, indexName) || !isRecordFile(name) && !isZip(name) {
				continue
			}
			p := dir + name
			files = append(files, dbFile{path: p, rel: filepath.ToSlash(p[len(prefix):])})
		}
	}
	return files, nil
}

func readDirUnsorted(dir string) ([]fs.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// statFiles fills in the size and modification time of every file. It
// follows symbolic links, so that editing a linked record makes the index
// stale.
func statFiles(files []dbFile) error {
	const chunk = 512
	next := make(chan int)
	errs := make([]error, workerCount())
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			ds := newDirStat()
			defer ds.close()
			for start := range next {
				for i := start; i < min(start+chunk, len(files)); i++ {
					if err := ds.stat(&files[i]); err != nil && errs[w] == nil {
						errs[w] = err
					}
				}
			}
		})
	}
	for start := 0; start < len(files); start += chunk {
		next <- start
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

func isRecordFile(name string) bool { return strings.EqualFold(filepath.Ext(name), ".json") }
func isZip(name string) bool        { return strings.EqualFold(filepath.Ext(name), ".zip") }

// workerCount is how many goroutines read database files at once: two per
// CPU that Go may use, so that one parses while another waits on the disk.
func workerCount() int { return min(2*runtime.GOMAXPROCS(0), 32) }
