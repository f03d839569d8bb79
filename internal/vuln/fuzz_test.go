package vuln

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParseRecord checks that any input either fails with a *RecordError
// or yields a record that survives the index round trip (appendRecord,
// decodeRecord) unchanged and can be matched without a panic.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}],"versions":["0.5.0"]}]}`))
	f.Add([]byte(`{"id":"X","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1!1.0rc1"},{"limit":"2"}]}]}]}`))
	f.Add([]byte(`{"id":"X","withdrawn":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"0"}]}]}]}`))
	files, _ := filepath.Glob(filepath.Join(osvCorpus, "*", "*.json"))
	for _, p := range files[:min(len(files), 8)] {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRecord("fuzz.json", data)
		if err != nil {
			if _, ok := err.(*RecordError); !ok {
				t.Fatalf("error %T is not a *RecordError: %v", err, err)
			}
			return
		}
		back, err := decodeRecord(appendRecord(nil, r))
		if err != nil {
			t.Fatalf("decodeRecord(appendRecord(r)): %v", err)
		}
		if diff := cmp.Diff(r, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("index round trip (-parsed +decoded):\n%s", diff)
		}
		for _, a := range r.Affected {
			if a.Package == nil {
				continue
			}
			for _, v := range append([]string{"0", "1.0.0", "1!1.0"}, a.Versions...) {
				Group(Match(Query{Ecosystem: a.Package.Ecosystem, Name: a.Package.Name, Version: v}, []*Record{r}))
			}
		}
	})
}

// FuzzVersionOrder compares versions in several ecosystems through a
// one-range record; the comparator must never panic on hostile versions.
func FuzzVersionOrder(f *testing.F) {
	f.Add("PyPI", "1!2.0rc1.post3.dev4", "2.0")
	f.Add("Maven", "1.0-SNAPSHOT", "1.0.Final")
	f.Add("Debian", "1:2.3~rc1-1+deb12u1", "2.3-1")
	f.Add("npm", "1.0.0-beta.1+build", "1.0.0")
	f.Fuzz(func(t *testing.T, eco, v, fixed string) {
		if fixed == "" {
			return
		}
		r := &Record{ID: "X", Affected: []Affected{{
			Package: &Package{Ecosystem: eco, Name: "p"},
			Ranges:  []Range{{Type: RangeEcosystem, Events: []Event{{Introduced: "0"}, {Fixed: fixed}}}},
		}}}
		Match(Query{Ecosystem: eco, Name: "p", Version: v}, []*Record{r})
	})
}

// FuzzDecodeRecord feeds damaged index bytes to decodeRecord, which must
// return errDamaged or a record that encodes and decodes to itself.
func FuzzDecodeRecord(f *testing.F) {
	f.Add(appendRecord(nil, &Record{ID: "X"}))
	f.Add(appendRecord(nil, &Record{
		ID: "GHSA-x", Aliases: []string{"CVE-1"}, Modified: time.Date(2024, 5, 1, 12, 0, 0, 5, time.UTC),
		Severity: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N"}},
		Affected: []Affected{{
			Package:  &Package{Ecosystem: "npm", Name: "a"},
			Ranges:   []Range{{Type: RangeSemver, Events: []Event{{Introduced: "0"}, {Fixed: "1.0.0"}}}},
			Versions: []string{"0.5.0"},
		}},
		DatabaseSpecific: &DatabaseSpecific{Severity: "HIGH"},
	}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeRecord(data)
		if err != nil {
			if err != errDamaged {
				t.Fatalf("decodeRecord error = %v, want errDamaged", err)
			}
			return
		}
		back, err := decodeRecord(appendRecord(nil, r))
		if err != nil {
			t.Fatalf("decodeRecord(appendRecord(r)): %v", err)
		}
		if diff := cmp.Diff(r, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
