package vuln

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// record returns a small valid OSV record for npm package pkg, affected
// from introduced 0 until fixed.
func record(id, pkg, fixed string) string {
	return fmt.Sprintf(`{"id":%q,"modified":"2024-03-01T00:00:00Z","aliases":["CVE-%s"],"summary":"flaw in %s",`+
		`"affected":[{"package":{"ecosystem":"npm","name":%q},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":%q}]}]}]}`,
		id, id, pkg, pkg, fixed)
}

// writeFiles writes name → content into dir, creating subfolders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// zipEntry is one entry of a test archive. A name ending in "/" is a
// folder. claimedSize, when not zero, is written into the header in place
// of the real uncompressed size, as a zip bomb would.
type zipEntry struct {
	name, content string
	claimedSize   uint64
}

// writeZip writes an archive laid out like osv.dev's per-ecosystem
// all.zip: one deflated JSON record per entry at the archive's root.
func writeZip(t *testing.T, path string, entries []zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.claimedSize == 0 {
			w, err := zw.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte(e.content)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var deflated bytes.Buffer
		fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
		fw.Write([]byte(e.content))
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(e.content)),
			CompressedSize64: uint64(deflated.Len()), UncompressedSize64: e.claimedSize,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(deflated.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// open opens the database with the index in a temporary file.
func open(t *testing.T, db string, opts Options) *Index {
	t.Helper()
	if opts.IndexPath == "" && opts.CacheDir == "" {
		opts.IndexPath = filepath.Join(t.TempDir(), "osv.idx")
	}
	ix, err := Open(db, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", db, err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// lookupIDs returns the IDs of the records filed under an npm package.
func lookupIDs(t *testing.T, ix *Index, pkg string) []string {
	t.Helper()
	recs, err := ix.Lookup(Query{Ecosystem: "npm", Name: pkg, Version: "1.0.0"})
	if err != nil {
		t.Fatalf("Lookup(%s): %v", pkg, err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}

// skippedFiles returns the file of each skipped record.
func skippedFiles(info Info) []string {
	var files []string
	for _, s := range info.Skipped {
		files = append(files, s.File)
	}
	return files
}

func TestOpenZipArchives(t *testing.T) {
	if _, err := os.Stat(osvCorpus); os.IsNotExist(err) {
		t.Skip("corpus folder absent:", osvCorpus)
	}
	// Pack each ecosystem folder of the corpus into <ecosystem>/all.zip,
	// with a folder entry and a non-JSON entry that must be ignored.
	db := t.TempDir()
	ecosystems, err := os.ReadDir(osvCorpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, eco := range ecosystems {
		files, _ := filepath.Glob(filepath.Join(osvCorpus, eco.Name(), "*.json"))
		entries := []zipEntry{{name: "notes/"}, {name: "README.txt", content: "not a record"}}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, zipEntry{name: filepath.Base(f), content: string(data)})
		}
		writeZip(t, filepath.Join(db, eco.Name(), "all.zip"), entries)
	}

	fromZip := open(t, db, Options{})
	fromFolder := corpusIndex(t)
	if got, want := fromZip.Info().Records, fromFolder.Info().Records; got != want || got == 0 {
		t.Fatalf("records from archives = %d, from the folder = %d; want equal and not 0", got, want)
	}
	if skipped := fromZip.Info().Skipped; len(skipped) != 0 {
		t.Errorf("archives: skipped %v, want none", skipped)
	}
	queries := []Query{
		{Ecosystem: "npm", Name: "minimist"},
		{Ecosystem: "PyPI", Name: "idna"},
		{Ecosystem: "Maven", Name: "com.google.guava:guava"},
		{Ecosystem: "Go", Name: "golang.org/x/text"},
	}
	for _, q := range queries {
		a, err := fromZip.Lookup(q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fromFolder.Lookup(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 {
			t.Errorf("Lookup(%s) in archives found nothing", q.Key())
		}
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("Lookup(%s) archives vs folder (-folder +archives):\n%s", q.Key(), diff)
		}
	}
}

func TestOpenSingleArchive(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "npm.zip")
	writeZip(t, archive, []zipEntry{
		{name: "GHSA-1.json", content: record("GHSA-1", "left-pad", "1.3.0")},
		{name: "GHSA-2.json", content: record("GHSA-2", "left-pad", "2.0.0")},
	})
	ix := open(t, archive, Options{})
	if got := lookupIDs(t, ix, "left-pad"); !slices.Equal(got, []string{"GHSA-1", "GHSA-2"}) {
		t.Errorf("Lookup(left-pad) = %v, want [GHSA-1 GHSA-2]", got)
	}
}

func TestOpenSkipsBadRecords(t *testing.T) {
	big := record("GHSA-big", "big", "1.0.0")
	big = big[:len(big)-1] + `,"details":"` + strings.Repeat("x", 2<<10) + `"}`
	db := t.TempDir()
	writeFiles(t, db, map[string]string{
		"npm/GHSA-ok.json":       record("GHSA-ok", "ok", "1.0.0"),
		"npm/GHSA-big.json":      big,
		"npm/GHSA-bad-json.json": `{"id": "GHSA-bad-json",`,
		"npm/GHSA-no-intro.json": `{"id":"GHSA-no-intro","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"fixed":"1"}]}]}]}`,
	})
	writeZip(t, filepath.Join(db, "archive", "all.zip"), []zipEntry{
		{name: "GHSA-zip-ok.json", content: record("GHSA-zip-ok", "ok", "2.0.0")},
		// Deflates to a few bytes, decompresses past the limit.
		{name: "GHSA-bomb.json", content: `{"id":"GHSA-bomb","details":"` + strings.Repeat(" ", 4<<10) + `"}`},
		// The same, with a header that claims 100 bytes.
		{name: "GHSA-liar.json", content: `{"id":"GHSA-liar","details":"` + strings.Repeat(" ", 4<<10) + `"}`, claimedSize: 100},
	})

	ix := open(t, db, Options{Limits: Limits{MaxRecordSize: 1 << 10}})
	info := ix.Info()
	if info.Records != 2 {
		t.Errorf("Records = %d, want 2 (GHSA-ok and GHSA-zip-ok)", info.Records)
	}
	if got := lookupIDs(t, ix, "ok"); !slices.Equal(got, []string{"GHSA-zip-ok", "GHSA-ok"}) {
		t.Errorf("Lookup(ok) = %v, want [GHSA-zip-ok GHSA-ok] in listing order", got)
	}

	want := map[string]string{
		filepath.Join(db, "archive", "all.zip") + ":GHSA-bomb.json": "record decompresses to more than 1024 bytes",
		// archive/zip stops reading at the size the header claims.
		filepath.Join(db, "archive", "all.zip") + ":GHSA-liar.json": "cannot decompress zip entry",
		filepath.Join(db, "npm", "GHSA-big.json"):                   "record is larger than 1024 bytes",
		filepath.Join(db, "npm", "GHSA-bad-json.json"):              "invalid JSON",
		filepath.Join(db, "npm", "GHSA-no-intro.json"):              "no introduced event",
	}
	if len(info.Skipped) != len(want) {
		t.Errorf("skipped %d records, want %d: %v", len(info.Skipped), len(want), info.Skipped)
	}
	for _, s := range info.Skipped {
		file := s.File
		if i := strings.Index(file, ".json:"); i >= 0 {
			file = file[:i+len(".json")] // drop the line and column of a JSON error
		}
		msg, ok := want[file]
		if !ok {
			t.Errorf("unexpected skipped record %s", s.Error())
			continue
		}
		if !strings.Contains(s.Error(), msg) {
			t.Errorf("skipped %s: message %q lacks %q", file, s.Error(), msg)
		}
	}
	for _, s := range info.Skipped {
		if strings.HasSuffix(s.File, "GHSA-no-intro.json") && s.Field != "affected[0].ranges[0].events" {
			t.Errorf("GHSA-no-intro skipped with field %q, want affected[0].ranges[0].events", s.Field)
		}
	}
}

func TestOpenLimits(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		want   string
	}{
		{"too many files", Limits{MaxFiles: 3}, " has more than 3 files and zip entries; split it"},
		{"too many bytes", Limits{MaxTotalSize: 1 << 10}, " has more than 1024 bytes of records after decompression; split it"},
	}
	db := t.TempDir()
	var entries []zipEntry
	for i := range 5 {
		id := fmt.Sprintf("GHSA-%d", i)
		entries = append(entries, zipEntry{name: id + ".json", content: record(id, "p", "1.0.0")})
	}
	writeZip(t, filepath.Join(db, "all.zip"), entries)
	writeFiles(t, db, map[string]string{"GHSA-x.json": record("GHSA-x", "p", "1.0.0")})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			index := filepath.Join(t.TempDir(), "osv.idx")
			_, err := Open(db, Options{Limits: tt.limits, IndexPath: index})
			if !errors.Is(err, errLimit) {
				t.Fatalf("Open error = %v, want a limit error", err)
			}
			if !strings.Contains(err.Error(), db+tt.want) {
				t.Errorf("Open error %q lacks %q", err, db+tt.want)
			}
			if _, err := os.Stat(index); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("index written after a limit error: %v", err)
			}
		})
	}
}

func TestOpenRebuildsStaleIndex(t *testing.T) {
	db := t.TempDir()
	writeFiles(t, db, map[string]string{
		"npm/GHSA-1.json": record("GHSA-1", "left-pad", "1.3.0"),
		"npm/GHSA-2.json": record("GHSA-2", "is-odd", "3.0.1"),
	})
	index := filepath.Join(t.TempDir(), "osv.idx")
	fixedOf := func(ix *Index, pkg string) string {
		t.Helper()
		recs, err := ix.Lookup(Query{Ecosystem: "npm", Name: pkg})
		if err != nil || len(recs) != 1 {
			t.Fatalf("Lookup(%s) = %d records, %v; want 1", pkg, len(recs), err)
		}
		return recs[0].Affected[0].Ranges[0].Events[1].Fixed
	}
	reopen := func(wantBuilt bool) *Index {
		t.Helper()
		ix, err := Open(db, Options{IndexPath: index})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		if ix.Info().Built != wantBuilt {
			t.Fatalf("Open: Built = %v, want %v", ix.Info().Built, wantBuilt)
		}
		return ix
	}

	reopen(true)
	if got := fixedOf(reopen(false), "left-pad"); got != "1.3.0" {
		t.Fatalf("fixed = %s, want 1.3.0", got)
	}

	// An upstream correction changes the fixed version and the size.
	writeFiles(t, db, map[string]string{"npm/GHSA-1.json": record("GHSA-1", "left-pad", "1.3.10")})
	if got := fixedOf(reopen(true), "left-pad"); got != "1.3.10" {
		t.Errorf("after the change: fixed = %s, want 1.3.10", got)
	}

	// The same size with a newer modification time.
	p := filepath.Join(db, "npm", "GHSA-2.json")
	writeFiles(t, db, map[string]string{"npm/GHSA-2.json": record("GHSA-2", "is-odd", "3.0.2")})
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if got := fixedOf(reopen(true), "is-odd"); got != "3.0.2" {
		t.Errorf("after a same-size change: fixed = %s, want 3.0.2", got)
	}

	// A new file and a removed file.
	writeFiles(t, db, map[string]string{"npm/GHSA-3.json": record("GHSA-3", "left-pad", "1.4.0")})
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	ix := reopen(true)
	if got := lookupIDs(t, ix, "left-pad"); !slices.Equal(got, []string{"GHSA-1", "GHSA-3"}) {
		t.Errorf("after adding GHSA-3: Lookup(left-pad) = %v, want [GHSA-1 GHSA-3]", got)
	}
	if got := lookupIDs(t, ix, "is-odd"); len(got) != 0 {
		t.Errorf("after removing GHSA-2: Lookup(is-odd) = %v, want none", got)
	}
}

func TestOpenRebuildsDamagedIndex(t *testing.T) {
	db := t.TempDir()
	writeFiles(t, db, map[string]string{"GHSA-1.json": record("GHSA-1", "left-pad", "1.3.0")})
	index := filepath.Join(t.TempDir(), "osv.idx")
	open(t, db, Options{IndexPath: index}).Close()

	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	for name, damaged := range map[string][]byte{
		"truncated":     data[:len(data)/2],
		"empty":         {},
		"wrong trailer": append(slices.Clone(data[:len(data)-3]), "xyz"...),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(index, damaged, 0o644); err != nil {
				t.Fatal(err)
			}
			ix := open(t, db, Options{IndexPath: index})
			if !ix.Info().Built {
				t.Errorf("Open reused a %s index", name)
			}
			if got := lookupIDs(t, ix, "left-pad"); !slices.Equal(got, []string{"GHSA-1"}) {
				t.Errorf("Lookup(left-pad) = %v, want [GHSA-1]", got)
			}
		})
	}
}

func TestOpenReadOnlyFolder(t *testing.T) {
	db := t.TempDir()
	writeFiles(t, db, map[string]string{"GHSA-1.json": record("GHSA-1", "left-pad", "1.3.0")})
	cache := t.TempDir()

	// Make every attempt to create a file inside the database fail as a
	// read-only folder would.
	createTemp = func(dir, pattern string) (*os.File, error) {
		if strings.HasPrefix(dir, db) {
			return nil, &fs.PathError{Op: "open", Path: filepath.Join(dir, pattern), Err: fs.ErrPermission}
		}
		return os.CreateTemp(dir, pattern)
	}
	t.Cleanup(func() { createTemp = os.CreateTemp })

	ix := open(t, db, Options{CacheDir: cache})
	info := ix.Info()
	if !info.Built || filepath.Dir(info.IndexPath) != cache {
		t.Fatalf("index at %s (built %v), want a new one in %s", info.IndexPath, info.Built, cache)
	}
	if got := lookupIDs(t, ix, "left-pad"); !slices.Equal(got, []string{"GHSA-1"}) {
		t.Errorf("Lookup(left-pad) = %v, want [GHSA-1]", got)
	}
	if _, err := os.Stat(filepath.Join(db, indexName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an index was written into the read-only folder: %v", err)
	}

	again := open(t, db, Options{CacheDir: cache})
	if again.Info().Built || again.Info().IndexPath != info.IndexPath {
		t.Errorf("second Open: built %v at %s, want the cached index %s reused", again.Info().Built, again.Info().IndexPath, info.IndexPath)
	}
}

func TestOpenReadOnlyFolderChmod(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("chmod 0555 does not make a folder read-only on Windows")
	}
	db := t.TempDir()
	writeFiles(t, db, map[string]string{"GHSA-1.json": record("GHSA-1", "left-pad", "1.3.0")})
	if err := os.Chmod(db, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(db, 0o755) })
	probe := filepath.Join(db, "probe")
	if err := os.WriteFile(probe, nil, 0o644); err == nil {
		os.Remove(probe)
		t.Skip("the folder stays writable after chmod 0555 (running as root); TestOpenReadOnlyFolder covers this case")
	}

	cache := t.TempDir()
	ix := open(t, db, Options{CacheDir: cache})
	if dir := filepath.Dir(ix.Info().IndexPath); dir != cache {
		t.Errorf("index in %s, want %s", dir, cache)
	}
}

func TestOpenIndexWriteFails(t *testing.T) {
	db := t.TempDir()
	writeFiles(t, db, map[string]string{"GHSA-1.json": record("GHSA-1", "left-pad", "1.3.0")})
	createTemp = func(dir, pattern string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: filepath.Join(dir, pattern), Err: fs.ErrPermission}
	}
	t.Cleanup(func() { createTemp = os.CreateTemp })

	_, err := Open(db, Options{CacheDir: t.TempDir()})
	if !errors.Is(err, errIndexWrite) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Open error = %v, want a permission error writing the index", err)
	}
}

func TestOpenProgress(t *testing.T) {
	db := t.TempDir()
	files := map[string]string{}
	for i := range 2500 {
		id := fmt.Sprintf("GHSA-%04d", i)
		files[fmt.Sprintf("npm/%s.json", id)] = record(id, fmt.Sprintf("p%d", i%50), "1.0.0")
	}
	writeFiles(t, db, files)
	index := filepath.Join(t.TempDir(), "osv.idx")

	var calls [][2]int
	progress := func(done, total int) { calls = append(calls, [2]int{done, total}) }
	open(t, db, Options{IndexPath: index, Progress: progress})
	want := [][2]int{{0, 2500}, {1000, 2500}, {2000, 2500}, {2500, 2500}}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("progress calls (-want +got):\n%s", diff)
	}

	calls = nil
	open(t, db, Options{IndexPath: index, Progress: progress})
	if len(calls) != 0 {
		t.Errorf("progress called %d times when the index was reused, want 0", len(calls))
	}
}

func TestIndexSameForAnyWorkerCount(t *testing.T) {
	db := t.TempDir()
	files := map[string]string{}
	for i := range 600 {
		id := fmt.Sprintf("GHSA-%04d", i)
		files[fmt.Sprintf("%d/%s.json", i%7, id)] = record(id, fmt.Sprintf("p%d", i%13), fmt.Sprintf("1.%d.0", i))
	}
	files["0/broken.json"] = "{"
	writeFiles(t, db, files)

	var indexes [][]byte
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		index := filepath.Join(t.TempDir(), "osv.idx")
		ix, err := Open(db, Options{IndexPath: index})
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
		data, err := os.ReadFile(index)
		if err != nil {
			t.Fatal(err)
		}
		indexes = append(indexes, data)
	}
	if !bytes.Equal(indexes[0], indexes[1]) {
		t.Errorf("index built with GOMAXPROCS 1 differs from the one built with GOMAXPROCS 4")
	}
}

func TestOpenIndexInsideFolder(t *testing.T) {
	db := t.TempDir()
	writeFiles(t, db, map[string]string{
		"npm/GHSA-1.json":  record("GHSA-1", "left-pad", "1.3.0"),
		".git/GHSA-2.json": record("GHSA-2", "left-pad", "2.0.0"),
		"npm/notes.txt":    "not a record",
	})
	ix := open(t, db, Options{CacheDir: t.TempDir()})
	if want := filepath.Join(db, indexName); ix.Info().IndexPath != want {
		t.Errorf("index at %s, want %s", ix.Info().IndexPath, want)
	}
	if got := lookupIDs(t, ix, "left-pad"); !slices.Equal(got, []string{"GHSA-1"}) {
		t.Errorf("Lookup(left-pad) = %v, want [GHSA-1] (hidden folders are not read)", got)
	}
	// The index file itself must not make the listing stale.
	if again := open(t, db, Options{CacheDir: t.TempDir()}); again.Info().Built {
		t.Errorf("second Open rebuilt the index kept inside the database folder")
	}
}

func TestOpenStopsWorkersOnLimit(t *testing.T) {
	db := t.TempDir()
	files := map[string]string{}
	for i := range 3000 {
		id := fmt.Sprintf("GHSA-%04d", i)
		files[fmt.Sprintf("%d/%s.json", i%10, id)] = record(id, "p", "1.0.0")
	}
	writeFiles(t, db, files)
	before := runtime.NumGoroutine()

	// The limit is reached after about 40 of 3,000 records, while the
	// workers are still reading ahead.
	_, err := Open(db, Options{Limits: Limits{MaxTotalSize: 10 << 10}, IndexPath: filepath.Join(t.TempDir(), "osv.idx")})
	if !errors.Is(err, errLimit) {
		t.Fatalf("Open error = %v, want a limit error", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Open returned, %d before: the scan left workers running", n, before)
	}
}

func TestIndexPlacesSkipReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)

	places, err := indexPlaces(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range places {
		if strings.HasPrefix(p, dir+string(os.PathSeparator)) {
			t.Errorf("index place %s is inside the read-only database folder", p)
		}
	}
}

func TestOpenRejectsDatabaseWithoutRecords(t *testing.T) {
	kev := `{"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2025.08.25",
		"vulnerabilities": [{"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2"}]}`
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string
		// want are parts of the error message besides the path and the
		// description of a database.
		want []string
	}{
		{"empty folder", func(t *testing.T, dir string) string { return dir },
			[]string{"contains no .json or .zip file"}},
		{"folder of other files", func(t *testing.T, dir string) string {
			writeFiles(t, dir, map[string]string{"README.md": "records go here", "npm/notes.txt": "x"})
			return dir
		}, []string{"contains no .json or .zip file"}},
		{"KEV catalog given as database", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "known_exploited_vulnerabilities.json")
			writeFiles(t, dir, map[string]string{filepath.Base(p): kev})
			return p
		}, []string{"1 record skipped as malformed", "known_exploited_vulnerabilities.json: id: missing"}},
		{"folder of malformed records", func(t *testing.T, dir string) string {
			writeFiles(t, dir, map[string]string{"a.json": `{"id": "GHSA-a",`, "b.json": `[]`})
			return dir
		}, []string{"2 records skipped as malformed", "invalid JSON"}},
		{"archive without JSON entries", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "all.zip")
			writeZip(t, p, []zipEntry{{name: "README.txt", content: "nothing"}, {name: "npm/", content: ""}})
			return p
		}, []string{"its 1 file hold no JSON record"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := tt.setup(t, t.TempDir())
			idx := filepath.Join(t.TempDir(), "osv.idx")
			ix, err := Open(db, Options{IndexPath: idx})
			if err == nil {
				ix.Close()
				t.Fatalf("Open(%s) = %d records, want an error", tt.name, ix.Info().Records)
			}
			var nr *NoRecordsError
			if !errors.As(err, &nr) || !errors.Is(err, ErrNoRecords) {
				t.Fatalf("Open error %v (%T), want a *NoRecordsError wrapping ErrNoRecords", err, err)
			}
			msg := err.Error()
			for _, want := range append(tt.want, "reading OSV database "+db+":", "folder of OSV JSON records", "docs/vulnerabilities.md") {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
			if _, err := os.Stat(idx); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("index %s written for a database without records (stat: %v)", idx, err)
			}
		})
	}
}

// TestOpenRejectsEmptyIndex covers an index of zero records that an older
// Ward wrote: reusing it would report every dependency free of known
// vulnerabilities.
func TestOpenRejectsEmptyIndex(t *testing.T) {
	db := t.TempDir()
	writeFiles(t, db, map[string]string{"kev.json": `{"catalogVersion": "1"}`})
	l, err := listDatabase(db)
	if err != nil {
		t.Fatal(err)
	}
	hb, err := json.Marshal(header{Version: indexVersion, Hash: l.hash,
		Skipped: []RecordError{{File: filepath.Join(db, "kev.json"), Field: "id", Msg: "missing"}}})
	if err != nil {
		t.Fatal(err)
	}
	table := encodeTable(map[string][]span{})
	var b []byte
	b = append(b, indexMagic...)
	b = append(b, table...)
	b = append(b, hb...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(indexMagic)))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(indexMagic)+len(table)))
	b = append(b, indexMagic...)
	idx := filepath.Join(t.TempDir(), "osv.idx")
	if err := os.WriteFile(idx, b, 0o644); err != nil {
		t.Fatal(err)
	}

	_, err = Open(db, Options{IndexPath: idx})
	if !errors.Is(err, ErrNoRecords) || !strings.Contains(err.Error(), "kev.json: id: missing") {
		t.Errorf("Open with an index of zero records = %v, want ErrNoRecords naming the skipped record", err)
	}
}
