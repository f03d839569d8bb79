package vuln

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rec parses a record written in a test, failing the test when it is
// invalid.
func rec(t *testing.T, js string) *Record {
	t.Helper()
	r, err := ParseRecord("test.json", []byte(js))
	if err != nil {
		t.Fatalf("ParseRecord: %v", err)
	}
	return r
}

func TestMatchEvents(t *testing.T) {
	// Each row is a record of one affected entry with the given ranges and
	// versions, and versions that must or must not be affected. Expected
	// results follow the OSV schema's evaluation rules by hand: introduced
	// is inclusive, fixed and limit exclusive, last_affected inclusive,
	// introduced "0" is below every version, and a versions list adds
	// exact versions.
	tests := []struct {
		name       string
		ecosystem  string
		pkg        string
		affected   string // the affected[0] object without package
		yes, no    []string
		unknown    []string // versions that give a not-evaluable finding
		wantFixed  map[string]string
		wantRanges string
	}{
		{
			name: "introduced and fixed", ecosystem: "npm", pkg: "a",
			affected:  `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"fixed":"1.2.3"}]}]`,
			yes:       []string{"1.0.0", "1.2.2", "1.2.3-beta.1"},
			no:        []string{"0.9.9", "1.2.3", "2.0.0"},
			wantFixed: map[string]string{"1.0.0": "1.2.3"}, wantRanges: ">= 1.0.0, < 1.2.3",
		},
		{
			name: "introduced zero", ecosystem: "npm", pkg: "a",
			affected: `"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.0.8"}]}]`,
			yes:      []string{"0.0.1", "0.0.7"},
			no:       []string{"0.0.8", "1.0.0"},
		},
		{
			name: "last_affected inclusive", ecosystem: "npm", pkg: "request",
			affected:   `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"last_affected":"2.88.2"}]}]`,
			yes:        []string{"2.88.2", "2.0.0"},
			no:         []string{"2.88.3", "3.0.0"},
			wantRanges: "<= 2.88.2",
		},
		{
			name: "limit caps an open range", ecosystem: "npm", pkg: "a",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"limit":"1.5.0"}]}]`,
			yes:      []string{"1.0.0", "1.4.9"},
			no:       []string{"0.9.0", "1.5.0", "2.0.0"},
		},
		{
			name: "limit star", ecosystem: "npm", pkg: "a",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0.0"},{"limit":"*"}]}]`,
			yes:      []string{"1.0.0", "99.0.0"},
			no:       []string{"0.1.0"},
		},
		{
			name: "several intervals in one range", ecosystem: "PyPI", pkg: "django",
			affected:  `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.2.24"},{"introduced":"3.0"},{"fixed":"3.1.12"},{"introduced":"3.2"},{"fixed":"3.2.4"}]}]`,
			yes:       []string{"2.2.23", "3.0", "3.1.11", "3.2.3"},
			no:        []string{"2.2.24", "2.9", "3.1.12", "3.2.4", "4.0"},
			wantFixed: map[string]string{"3.0": "3.1.12", "3.2.3": "3.2.4"},
		},
		{
			name: "events out of order are sorted", ecosystem: "npm", pkg: "a",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"fixed":"2.0.0"},{"introduced":"1.0.0"}]}]`,
			yes:      []string{"1.5.0"},
			no:       []string{"0.5.0", "2.0.0"},
		},
		{
			name: "versions list only", ecosystem: "PyPI", pkg: "a",
			affected: `"versions":["1.0","1.1"]`,
			yes:      []string{"1.0", "1.1"},
			no:       []string{"1.0.1", "1.2"},
		},
		{
			name: "PyPI epochs", ecosystem: "PyPI", pkg: "a",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1!1.0"},{"fixed":"1!2.0"}]}]`,
			yes:      []string{"1!1.5"},
			// Without an epoch the epoch is 0, which sorts below 1!1.0.
			no: []string{"1.5", "99.0", "1!2.0"},
		},
		{
			name: "PyPI pre-releases", ecosystem: "PyPI", pkg: "a",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]`,
			// Pre-releases, including rc and dev, sort below the release.
			yes: []string{"2.0.0rc1", "2.0.0a1", "2.0.0.dev3", "1.9.post1"},
			no:  []string{"2.0.0", "2.0.0.post1"},
		},
		{
			name: "PyPI name normalization", ecosystem: "PyPI", pkg: "Flask_Cors",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.9"}]}]`,
			yes:      []string{"3.0.8"},
		},
		{
			name: "Maven qualifiers", ecosystem: "Maven", pkg: "com.google.guava:guava",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"32.0.0-android"}]}]`,
			// Maven orders qualifiers: alpha < beta < milestone < rc <
			// snapshot < release ("" / ga / final) < sp; unknown
			// qualifiers such as jre and android sort after release.
			yes: []string{"24.1.1-jre", "31.1-android", "32.0.0-rc1", "32.0.0-SNAPSHOT", "32.0.0"},
			no:  []string{"32.0.1-jre", "33.0.0"},
		},
		{
			name: "Maven Final and sp", ecosystem: "Maven", pkg: "org.hibernate:hibernate-core",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"5.0.0"},{"fixed":"5.4.24.Final"}]}]`,
			yes:      []string{"5.4.23.Final", "5.4.24.CR1"},
			no:       []string{"5.4.24.Final", "5.4.24", "5.4.24.SP1"},
		},
		{
			name: "Debian tildes", ecosystem: "Debian:12", pkg: "openssl",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]`,
			// A tilde sorts before anything, even the end of the string.
			yes: []string{"3.0.11-1~deb12u1", "3.0.9-1", "3.0.11~rc1-1"},
			no:  []string{"3.0.11-1~deb12u2", "3.0.11-1", "3.0.11-1+deb12u1"},
		},
		{
			name: "GIT only is not evaluable", ecosystem: "OSS-Fuzz", pkg: "boost",
			affected: `"ranges":[{"type":"GIT","repo":"https://github.com/boostorg/boost","events":[{"introduced":"c47cf1c"},{"fixed":"1b085e6"}]}],"versions":["boost-1.69.0"]`,
			yes:      []string{"boost-1.69.0"},
			unknown:  []string{"boost-1.70.0"},
		},
		{
			name: "GIT beside ECOSYSTEM decides by ECOSYSTEM", ecosystem: "PyPI", pkg: "urllib3",
			affected: `"ranges":[{"type":"GIT","repo":"https://github.com/urllib3/urllib3","events":[{"introduced":"0"},{"fixed":"1dd69c5"}]},{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.25.9"}]}]`,
			yes:      []string{"1.25.8"},
			no:       []string{"1.25.9", "2.3.0"},
		},
		{
			name: "unordered ecosystem is not evaluable", ecosystem: "Linux", pkg: "Kernel",
			affected: `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"6.1.2"}]}]`,
			unknown:  []string{"5.10.0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rec(t, `{"id":"TEST-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"`+tt.ecosystem+`","name":"`+tt.pkg+`"},`+tt.affected+`}]}`)
			query := func(v string) Query { return Query{Ecosystem: tt.ecosystem, Name: tt.pkg, Version: v} }
			for _, v := range tt.yes {
				fs := Match(query(v), []*Record{r})
				if len(fs) != 1 || !fs[0].Evaluable {
					t.Errorf("Match(%s) = %+v, want one evaluable finding", v, fs)
					continue
				}
				if want, ok := tt.wantFixed[v]; ok && !slices.Equal(fs[0].Fixed, []string{want}) {
					t.Errorf("Match(%s).Fixed = %v, want [%s]", v, fs[0].Fixed, want)
				}
				if tt.wantRanges != "" && !slices.Contains(fs[0].Affected, tt.wantRanges) {
					t.Errorf("Match(%s).Affected = %v, want %q", v, fs[0].Affected, tt.wantRanges)
				}
			}
			for _, v := range tt.no {
				if fs := Match(query(v), []*Record{r}); len(fs) != 0 {
					t.Errorf("Match(%s) = %+v, want no finding", v, fs)
				}
			}
			for _, v := range tt.unknown {
				fs := Match(query(v), []*Record{r})
				if len(fs) != 1 || fs[0].Evaluable || fs[0].Reason == "" {
					t.Errorf("Match(%s) = %+v, want one not-evaluable finding with a reason", v, fs)
				}
			}
		})
	}
}

func TestMatchWithdrawnIgnored(t *testing.T) {
	r := rec(t, `{"id":"GHSA-x","modified":"2023-01-27T21:51:55Z","withdrawn":"2023-01-27T21:51:55Z",
		"affected":[{"package":{"ecosystem":"npm","name":"jsonwebtoken"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.0.0"}]}]}]}`)
	if fs := Match(Query{Ecosystem: "npm", Name: "jsonwebtoken", Version: "8.0.0"}, []*Record{r}); len(fs) != 0 {
		t.Errorf("withdrawn record matched: %+v", fs)
	}
}

func TestMatchOtherPackageOrEcosystem(t *testing.T) {
	r := rec(t, `{"id":"GHSA-y","modified":"2022-07-06T18:38:49Z","affected":[
		{"package":{"ecosystem":"npm","name":"moment"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.18.0"},{"fixed":"2.29.4"}]}]},
		{"package":{"ecosystem":"NuGet","name":"Moment.js"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.18.0"},{"fixed":"2.29.4"}]}]}]}`)
	tests := []struct {
		q    Query
		want int
	}{
		{Query{Ecosystem: "npm", Name: "moment", Version: "2.20.0"}, 1},
		{Query{Ecosystem: "npm", Name: "Moment", Version: "2.20.0"}, 0}, // npm names are case-sensitive
		{Query{Ecosystem: "NuGet", Name: "moment.js", Version: "2.20.0"}, 1},
		{Query{Ecosystem: "PyPI", Name: "moment", Version: "2.20.0"}, 0},
		{Query{Ecosystem: "npm", Name: "moment-timezone", Version: "2.20.0"}, 0},
	}
	for _, tt := range tests {
		if got := len(Match(tt.q, []*Record{r})); got != tt.want {
			t.Errorf("Match(%+v): %d findings, want %d", tt.q, got, tt.want)
		}
	}
}

func TestEcosystemRelease(t *testing.T) {
	r := rec(t, `{"id":"DSA-1","modified":"2024-01-01T00:00:00Z","affected":[
		{"package":{"ecosystem":"Debian:11","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1.1w-0+deb11u1"}]}]}]}`)
	tests := []struct {
		eco  string
		want int
	}{
		{"Debian:11", 1},
		{"Debian:12", 0},
		{"Debian", 1}, // a query without a release matches every release
	}
	for _, tt := range tests {
		if got := len(Match(Query{Ecosystem: tt.eco, Name: "openssl", Version: "1.1.1n-0+deb11u3"}, []*Record{r})); got != tt.want {
			t.Errorf("ecosystem %s: %d findings, want %d", tt.eco, got, tt.want)
		}
	}
}

func TestGroupMergesAliases(t *testing.T) {
	a := rec(t, `{"id":"GO-2022-1059","modified":"2022-10-01T00:00:00Z","aliases":["CVE-2022-32149","GHSA-69ch-w2m2-3vjp"],"summary":"go summary",
		"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/text"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.3.8"}]}]}]}`)
	b := rec(t, `{"id":"GHSA-69ch-w2m2-3vjp","modified":"2022-10-28T20:11:26Z","aliases":["CVE-2022-32149"],
		"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
		"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/text"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.3.8"}]}]}]}`)
	c := rec(t, `{"id":"GO-2021-0113","modified":"2022-01-01T00:00:00Z","aliases":["CVE-2021-38561"],
		"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/text"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.3.7"}]}]}]}`)
	q := Query{Ecosystem: "Go", Name: "golang.org/x/text", Version: "0.3.5"}
	vs := Group(Match(q, []*Record{a, b, c}))
	if len(vs) != 2 {
		t.Fatalf("Group: %d vulnerabilities, want 2: %+v", len(vs), vs)
	}
	v := vs[1]
	if v.ID != "CVE-2022-32149" {
		t.Errorf("primary ID = %s, want CVE-2022-32149", v.ID)
	}
	if !slices.Equal(v.IDs, []string{"GHSA-69ch-w2m2-3vjp", "GO-2022-1059"}) {
		t.Errorf("IDs = %v", v.IDs)
	}
	if !slices.Equal(v.Aliases, []string{"CVE-2022-32149"}) {
		t.Errorf("Aliases = %v", v.Aliases)
	}
	if v.Score == nil || *v.Score != 7.5 || v.Severity != "high" {
		t.Errorf("score %v severity %q, want 7.5 high", v.Score, v.Severity)
	}
	if !v.Has("ghsa-69ch-w2m2-3vjp") {
		t.Error("Has(lower-case GHSA) = false")
	}
	if !v.Modified.Equal(b.Modified) {
		t.Errorf("Modified = %v, want the newest, %v", v.Modified, b.Modified)
	}
}

func TestQueryFromPurl(t *testing.T) {
	tests := []struct {
		purl string
		want Query
		err  string
	}{
		{"pkg:npm/%40cypress/request@2.88.11", Query{Ecosystem: "npm", Name: "@cypress/request", Version: "2.88.11"}, ""},
		{"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar", Query{Ecosystem: "Maven", Name: "com.fasterxml.jackson.core:jackson-databind", Version: "2.9.10"}, ""},
		{"pkg:golang/golang.org/x/text@v0.3.5-0.20201125200606-c27b9fd57aec", Query{Ecosystem: "Go", Name: "golang.org/x/text", Version: "0.3.5-0.20201125200606-c27b9fd57aec"}, ""},
		{"pkg:pypi/Flask_Cors@3.0.8", Query{Ecosystem: "PyPI", Name: "flask-cors", Version: "3.0.8"}, ""},
		{"pkg:composer/league/flysystem@1.1.10", Query{Ecosystem: "Packagist", Name: "league/flysystem", Version: "1.1.10"}, ""},
		{"pkg:cargo/hyper@0.14", Query{Ecosystem: "crates.io", Name: "hyper", Version: "0.14"}, ""},
		{"pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x&distro=debian-11.6", Query{Ecosystem: "Debian:11", Name: "libselinux1-dev", Version: "3.1-3"}, ""},
		{"pkg:apk/alpine/openssl@3.1.4-r0?distro=3.18.4", Query{Ecosystem: "Alpine:v3.18", Name: "openssl", Version: "3.1.4-r0"}, ""},
		{"pkg:github/Mbed-TLS/mbedtls@v3.6.2", Query{Repo: "github.com/mbed-tls/mbedtls", Version: "v3.6.2"}, ""},
		{"pkg:generic/postgresql@16.4", Query{}, "has no OSV ecosystem"},
		{"not a purl", Query{}, "invalid purl"},
	}
	for _, tt := range tests {
		got, err := QueryFromPurl(tt.purl, "")
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("QueryFromPurl(%q) error = %v, want %q", tt.purl, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("QueryFromPurl(%q) = %+v, %v; want %+v", tt.purl, got, err, tt.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ eco, in, want string }{
		{"PyPI", "Flask_Cors", "flask-cors"},
		{"PyPI", "zope.interface", "zope-interface"},
		{"PyPI", "a-_.b", "a-b"},
		{"npm", "@Scope/Name", "@Scope/Name"},
		{"Packagist", "League/Flysystem", "league/flysystem"},
		{"Maven", "junit:junit", "junit:junit"},
		{"Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.eco, tt.in); got != tt.want {
			t.Errorf("NormalizeName(%s, %q) = %q, want %q", tt.eco, tt.in, got, tt.want)
		}
	}
}

func TestParseRecordErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"syntax", "{\n\"id\": \"X\",,\n}", "x.json:2:"},
		{"no id", `{"modified":"2024-01-01T00:00:00Z"}`, "id: missing"},
		{"bad type", `{"id":"X","aliases":"CVE-1"}`, "aliases: expected []string"},
		{"bad time", `{"id":"X","modified":"yesterday"}`, "invalid timestamp"},
		{"no ecosystem", `{"id":"X","affected":[{"package":{"name":"a"}}]}`, "affected[0].package.ecosystem: missing"},
		{"bad range type", `{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"RANGE","events":[{"introduced":"0"}]}]}]}`, `affected[0].ranges[0].type: unknown range type "RANGE"`},
		{"git without repo", `{"id":"X","affected":[{"ranges":[{"type":"GIT","events":[{"introduced":"0"}]}]}]}`, "ranges[0].repo: missing"},
		{"two keys in event", `{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1.0.0"}]}]}]}`, "events[0]: expected exactly one"},
		{"no introduced", `{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"fixed":"1.0.0"}]}]}]}`, "no introduced event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRecord("x.json", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseRecord error = %v, want it to contain %q", err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "x.json") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

// osvCorpus is the shared folder of real OSV records.
const osvCorpus = "../../../shared/corpus/osv"

func corpusIndex(t *testing.T) *Index {
	t.Helper()
	if _, err := os.Stat(osvCorpus); os.IsNotExist(err) {
		t.Skip("corpus folder absent:", osvCorpus)
	}
	ix, err := Open(osvCorpus, Options{IndexPath: filepath.Join(t.TempDir(), "osv.idx")})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}
