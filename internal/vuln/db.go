package vuln

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
type listing struct {
	root  string
	files []dbFile
	hash  string
}

// listDatabase lists path: a folder (searched recursively for *.json and
// *.zip files) or a single JSON or zip file.
func listDatabase(path string) (*listing, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading OSV database: %w", err)
	}
	l := &listing{root: path}
	if !info.IsDir() {
		l.files = []dbFile{{path: path, rel: filepath.Base(path), size: info.Size(), mtime: info.ModTime().UnixNano()}}
	} else {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if p != path && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, indexName) || !isRecordFile(name) && !isZip(name) {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(path, p)
			l.files = append(l.files, dbFile{path: p, rel: filepath.ToSlash(rel), size: fi.Size(), mtime: fi.ModTime().UnixNano()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("listing OSV database %s: %w", path, err)
		}
	}
	slices.SortFunc(l.files, func(a, b dbFile) int { return strings.Compare(a.rel, b.rel) })

	h := sha256.New()
	fmt.Fprintf(h, "ward osv index %d\n", indexVersion)
	for _, f := range l.files {
		fmt.Fprintf(h, "%s\t%d\t%d\n", f.rel, f.size, f.mtime)
	}
	l.hash = hex.EncodeToString(h.Sum(nil))
	return l, nil
}

func isRecordFile(name string) bool { return strings.EqualFold(filepath.Ext(name), ".json") }
func isZip(name string) bool        { return strings.EqualFold(filepath.Ext(name), ".zip") }

// scanner reads every record of a listing and hands each to a callback.
// Malformed records are collected, not fatal.
type scanner struct {
	limits   Limits
	progress func(done, total int)
	skipped  []RecordError
	total    int64
	files    int
}

// errLimit marks a limit violation, which stops the scan.
var errLimit = errors.New("OSV database exceeds a limit")

func (s *scanner) scan(l *listing, each func(*Record)) error {
	// Open the archives first so the progress total is known.
	type archive struct {
		f  dbFile
		zr *zip.ReadCloser
	}
	var archives []archive
	defer func() {
		for _, a := range archives {
			a.zr.Close()
		}
	}()
	total := 0
	for _, f := range l.files {
		if !isZip(f.rel) {
			total++
			continue
		}
		zr, err := zip.OpenReader(f.path)
		if err != nil {
			return fmt.Errorf("opening OSV archive %s: %w", f.path, err)
		}
		archives = append(archives, archive{f, zr})
		total += len(zr.File)
		if total > s.limits.MaxFiles {
			return fmt.Errorf("%w: more than %d files and zip entries; raise the limit or split the database", errLimit, s.limits.MaxFiles)
		}
	}
	if total > s.limits.MaxFiles {
		return fmt.Errorf("%w: more than %d files and zip entries", errLimit, s.limits.MaxFiles)
	}

	done := 0
	tick := func() {
		done++
		if s.progress != nil && (done%1000 == 0 || done == total) {
			s.progress(done, total)
		}
	}
	if s.progress != nil {
		s.progress(0, total)
	}

	next := 0
	for _, f := range l.files {
		if isZip(f.rel) {
			a := archives[next]
			next++
			for _, zf := range a.zr.File {
				err := s.readZipEntry(a.f.path, zf, each)
				if err != nil {
					return err
				}
				tick()
			}
			continue
		}
		if err := s.readFile(f, each); err != nil {
			return err
		}
		tick()
	}
	return nil
}

func (s *scanner) readFile(f dbFile, each func(*Record)) error {
	if f.size > s.limits.MaxRecordSize {
		s.skip(&RecordError{File: f.path, Msg: fmt.Sprintf("record is larger than %d MiB", s.limits.MaxRecordSize>>20)})
		return nil
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return fmt.Errorf("reading OSV record: %w", err)
	}
	return s.record(f.path, data, each)
}

func (s *scanner) readZipEntry(archive string, zf *zip.File, each func(*Record)) error {
	name := archive + ":" + zf.Name
	if zf.FileInfo().IsDir() || !isRecordFile(zf.Name) {
		return nil
	}
	if zf.UncompressedSize64 > uint64(s.limits.MaxRecordSize) {
		s.skip(&RecordError{File: name, Msg: fmt.Sprintf("record is larger than %d MiB", s.limits.MaxRecordSize>>20)})
		return nil
	}
	rc, err := zf.Open()
	if err != nil {
		s.skip(&RecordError{File: name, Msg: "cannot open zip entry: " + err.Error()})
		return nil
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, s.limits.MaxRecordSize+1))
	if err != nil {
		s.skip(&RecordError{File: name, Msg: "cannot decompress zip entry: " + err.Error()})
		return nil
	}
	if int64(len(data)) > s.limits.MaxRecordSize {
		s.skip(&RecordError{File: name, Msg: fmt.Sprintf("record decompresses to more than %d MiB", s.limits.MaxRecordSize>>20)})
		return nil
	}
	return s.record(name, data, each)
}

func (s *scanner) record(name string, data []byte, each func(*Record)) error {
	s.total += int64(len(data))
	if s.total > s.limits.MaxTotalSize {
		return fmt.Errorf("%w: more than %d MiB of records after decompression", errLimit, s.limits.MaxTotalSize>>20)
	}
	s.files++
	r, err := ParseRecord(name, data)
	if err != nil {
		var re *RecordError
		if errors.As(err, &re) {
			s.skip(re)
			return nil
		}
		return err
	}
	each(r)
	return nil
}

func (s *scanner) skip(e *RecordError) { s.skipped = append(s.skipped, *e) }
