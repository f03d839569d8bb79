package vuln

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// scanner reads every record of a listing. Several workers read, parse and
// encode entries at once, and the results are handed on in listing order,
// so the index is the same byte for byte whatever the timing. Malformed
// records are collected in skipped, not fatal.
type scanner struct {
	limits   Limits
	progress func(done, total int)
	skipped  []RecordError
	total    int64
}

// errLimit marks a limit violation, which stops the scan.
var errLimit = errors.New("OSV database exceeds a limit")

// entry is one unit of work: a record file, or one entry of a zip archive.
type entry struct {
	file *dbFile
	// archive and zf are set for a zip entry.
	archive string
	zf      *zip.File
}

// scanned is the result of reading one entry. At most one of err, skip and
// ignored is set, and when none is, blob, keys and modified describe a
// record.
type scanned struct {
	// err is an operational failure that stops the scan.
	err error
	// skip is a record that cannot be used.
	skip *RecordError
	// ignored is true for a folder or a non-JSON file inside an archive.
	ignored bool
	// size is the number of bytes read, after decompression.
	size     int64
	blob     []byte
	keys     []string
	modified time.Time
}

// job carries an entry to a worker and its result back, in a channel of
// capacity one so that a worker never waits for the consumer.
type job struct {
	entry entry
	done  chan scanned
}

// scan reads every entry of l and calls each for every usable record, in
// listing order and from one goroutine. An error from each, a limit
// violation or a file that cannot be read stops the scan and is returned.
// About 3 × workerCount() entries are held in memory at once: those
// queued for the consumer and those being read.
func (s *scanner) scan(l *listing, each func(*scanned) error) error {
	// Open the archives first so the progress total is known.
	archives := map[string]*zip.ReadCloser{}
	defer func() {
		for _, zr := range archives {
			zr.Close()
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
		archives[f.path] = zr
		total += len(zr.File)
		if total > s.limits.MaxFiles {
			return fmt.Errorf("%w: %s has more than %d files and zip entries; split it into smaller databases", errLimit, l.root, s.limits.MaxFiles)
		}
	}

	workers := workerCount()
	work := make(chan *job, workers)
	order := make(chan *job, 2*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range work {
				select {
				case <-stop:
					j.done <- scanned{}
				default:
					j.done <- s.read(j.entry)
				}
			}
		})
	}
	wg.Go(func() {
		defer close(order)
		defer close(work)
		s.produce(l, archives, order, work, stop)
	})

	err := s.consume(l.root, order, total, each)
	if err != nil {
		close(stop)
		for range order { // let the producer finish
		}
	}
	wg.Wait()
	return err
}

// produce queues every entry of l, in listing order, both for the
// consumer (order) and for the workers (work). It returns early when stop
// is closed.
func (s *scanner) produce(l *listing, archives map[string]*zip.ReadCloser, order, work chan<- *job, stop <-chan struct{}) {
	queue := func(e entry) bool {
		j := &job{entry: e, done: make(chan scanned, 1)}
		select {
		case order <- j:
		case <-stop:
			return false
		}
		select {
		case work <- j:
			return true
		case <-stop:
			return false
		}
	}
	for i := range l.files {
		f := &l.files[i]
		zr, ok := archives[f.path]
		if !ok {
			if !queue(entry{file: f}) {
				return
			}
			continue
		}
		for _, zf := range zr.File {
			if !queue(entry{archive: f.path, zf: zf}) {
				return
			}
		}
	}
}

// consume takes the results in listing order, applies the total size
// limit, collects skipped records and reports progress every 1,000
// entries and at the end.
func (s *scanner) consume(root string, order <-chan *job, total int, each func(*scanned) error) error {
	if s.progress != nil {
		s.progress(0, total)
	}
	done := 0
	for j := range order {
		res := <-j.done
		if res.err != nil {
			return res.err
		}
		s.total += res.size
		if s.total > s.limits.MaxTotalSize {
			return fmt.Errorf("%w: %s has more than %s of records after decompression; split it into smaller databases", errLimit, root, sizeText(s.limits.MaxTotalSize))
		}
		switch {
		case res.skip != nil:
			s.skipped = append(s.skipped, *res.skip)
		case !res.ignored:
			if err := each(&res); err != nil {
				return err
			}
		}

		done++
		if s.progress != nil && (done%1000 == 0 || done == total) {
			s.progress(done, total)
		}
	}
	return nil
}

// read reads, parses and encodes one entry. It runs on a worker.
func (s *scanner) read(e entry) scanned {
	var (
		name string
		data []byte
		res  scanned
	)
	if e.zf != nil {
		name = e.archive + ":" + e.zf.Name
		if e.zf.FileInfo().IsDir() || !isRecordFile(e.zf.Name) {
			return scanned{ignored: true}
		}
		data, res.skip = s.readZipEntry(name, e.zf)
	} else {
		name = e.file.path
		data, res.skip, res.err = s.readFile(e.file)
	}
	if res.skip != nil || res.err != nil {
		return res
	}

	res.size = int64(len(data))
	r, err := ParseRecord(name, data)
	if err != nil {
		var re *RecordError
		if !errors.As(err, &re) {
			res.err = err
			return res
		}
		res.skip = re
		return res
	}
	res.blob = appendRecord(nil, r)
	res.keys = recordKeys(r)
	res.modified = r.Modified
	return res
}

func (s *scanner) readFile(f *dbFile) ([]byte, *RecordError, error) {
	tooLarge := &RecordError{File: f.path, Msg: "record is larger than " + sizeText(s.limits.MaxRecordSize)}
	if f.size > s.limits.MaxRecordSize {
		return nil, tooLarge, nil
	}
	file, err := os.Open(f.path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading OSV record: %w", err)
	}
	defer file.Close()
	data, err := readAtMost(file, s.limits.MaxRecordSize, f.size)
	if err != nil {
		return nil, nil, fmt.Errorf("reading OSV record %s: %w", f.path, err)
	}
	if int64(len(data)) > s.limits.MaxRecordSize {
		return nil, tooLarge, nil // the file grew after it was listed
	}
	return data, nil, nil
}

// readZipEntry decompresses one entry, checking the size it really
// decompresses to rather than the size its header claims.
func (s *scanner) readZipEntry(name string, zf *zip.File) ([]byte, *RecordError) {
	tooLarge := &RecordError{File: name, Msg: "record decompresses to more than " + sizeText(s.limits.MaxRecordSize)}
	if zf.UncompressedSize64 > uint64(s.limits.MaxRecordSize) {
		return nil, tooLarge
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, &RecordError{File: name, Msg: "cannot open zip entry: " + err.Error()}
	}
	defer rc.Close()
	data, err := readAtMost(rc, s.limits.MaxRecordSize, int64(zf.UncompressedSize64))
	if err != nil {
		return nil, &RecordError{File: name, Msg: "cannot decompress zip entry: " + err.Error()}
	}
	if int64(len(data)) > s.limits.MaxRecordSize {
		return nil, tooLarge
	}
	return data, nil
}

// readAtMost reads r to its end or to limit+1 bytes, whichever comes
// first. sizeHint, which may be wrong, presizes the buffer.
func readAtMost(r io.Reader, limit, sizeHint int64) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(max(sizeHint, 0), limit)+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	return buf.Bytes(), err
}

// sizeText formats a size limit in MiB when it is a whole number of MiB,
// and in bytes otherwise.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
