package risk

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// corpusDir is the shared test corpus, read at run time and never copied.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// vectorRow is one expected scoring result. Empty score strings mean the
// group is not given.
type vectorRow struct {
	line                                   int
	version, vector                        string
	base, temporal, environmental, overall string
	source                                 string
}

// readVectorTable reads a tab-separated table with the columns version,
// vector, base, temporal, environmental, score and an optional source.
func readVectorTable(t *testing.T, path string) []vectorRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var rows []vectorRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 || line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 6 {
			t.Fatalf("%s:%d: want at least 6 tab-separated columns, got %d", path, n, len(f))
		}
		r := vectorRow{line: n, version: f[0], vector: f[1], base: f[2], temporal: f[3], environmental: f[4], overall: f[5]}
		if len(f) > 6 {
			r.source = f[6]
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func checkScore(t *testing.T, where string, r vectorRow) {
	t.Helper()
	s, err := ScoreVector(r.vector)
	if err != nil {
		t.Errorf("%s: ScoreVector(%q): %v", where, r.vector, err)
		return
	}
	if s.Version != r.version {
		t.Errorf("%s: ScoreVector(%q).Version = %s, want %s", where, r.vector, s.Version, r.version)
	}
	check := func(name, want string, got *float64) {
		t.Helper()
		if want == "" {
			return
		}
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			t.Fatalf("%s: bad expected %s %q", where, name, want)
		}
		if got == nil {
			t.Errorf("%s: ScoreVector(%q).%s = nil, want %v", where, r.vector, name, w)
			return
		}
		if *got != w {
			t.Errorf("%s: ScoreVector(%q).%s = %v, want %v", where, r.vector, name, *got, w)
		}
	}
	check("Base", r.base, &s.Base)
	check("Temporal", r.temporal, s.Temporal)
	check("Environmental", r.environmental, s.Environmental)
	check("Overall", r.overall, &s.Overall)
}

func TestScoreVectorReferenceCorpus(t *testing.T) {
	path := filepath.Join(corpusDir, "cvss", "reference-vectors.tsv")
	if _, err := os.Stat(filepath.Dir(path)); errors.Is(err, os.ErrNotExist) {
		t.Skip("shared corpus not present")
	}
	rows := readVectorTable(t, path)
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.version]++
		checkScore(t, path+":"+strconv.Itoa(r.line), r)
	}
	if counts["3.1"] < 300 || counts["4.0"] < 300 {
		t.Errorf("reference corpus has %d v3.1 and %d v4.0 vectors, want 300 each", counts["3.1"], counts["4.0"])
	}
}
