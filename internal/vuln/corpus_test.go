package vuln

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/sbom"
)

// TestCorpusMatches runs every SBOM of the corpus against every OSV record
// of the corpus. Each expected match below was worked out by hand from the
// record's events, and the list is complete: any other match is a false
// positive.
//
//	SBOM component              record                 why
//	minimist 0.0.8, 0.2.3       GHSA-xvch-5gv4-984h    introduced 0, fixed 0.2.4
//	ws 6.2.1                    GHSA-3h5v-q93c-6h6q    introduced 6.0.0, fixed 6.2.3
//	ws 7.4.6                    GHSA-3h5v-q93c-6h6q    introduced 7.0.0, fixed 7.5.10
//	idna 3.6                    GHSA-jjg7-2v4v-x38h    introduced 0, fixed 3.7
//	guava 24.1.1-jre            GHSA-7g45-4rm6-3mm3    introduced 1.0, fixed 32.0.0
//	jackson-databind 2.9.10     GHSA-57j2-w4cx-62h2    introduced 0, fixed 2.12.6.1
//	snakeyaml 1.23              GHSA-mjmj-j48q-9wg2    introduced 0, fixed 2.0
//	logback-core/classic 1.2.3  GHSA-vmq6-5m68-f53m    introduced 0, fixed 1.2.13
//	junit 4.12                  GHSA-269g-pwp5-87pp    introduced 4.7, fixed 4.13.1
//	semver 5.7.1                GHSA-c2qf-rxjj-qqgw    introduced 0, fixed 5.7.2
//	semver 6.3.0                GHSA-c2qf-rxjj-qqgw    introduced 6.0.0, fixed 6.3.1
//	semver 7.3.8                GHSA-c2qf-rxjj-qqgw    introduced 7.0.0, fixed 7.5.2
//	express 4.18.2              GHSA-rv95-896h-c2vc    introduced 0, fixed 4.19.2
//	request 2.88.2              GHSA-p8p7-x288-28g6    last_affected 2.88.2, inclusive
//	lodash 2.4.2                GHSA-35jh-r3h4-6jhm    introduced 0, fixed 4.17.21
//	socket.io-parser 4.0.5      GHSA-cqmj-92xf-r6r9    introduced 4.0.0, fixed 4.2.3
//	golang.org/x/net 2021-04    GO-2022-0969           fixed at pseudo-version 2022-09
//	golang.org/x/sys 2021-03    GO-2022-0493           fixed at pseudo-version 2022-04
//	golang.org/x/text 0.3.5-0.  GO-2021-0113           fixed 0.3.7 (a pre-release of 0.3.5 is below)
//	golang.org/x/text 0.3.5-0.  GO-2022-1059           fixed 0.3.8
//
// Not affected, on purpose: jsonwebtoken 0.1.0 and 0.4.0 (GHSA-27h2 is
// withdrawn), lodash 4.17.21 (equals fixed), moment 2.0.0 (below
// introduced 2.18.0) and 2.29.4 (equals fixed), minimist 1.2.8, commons-text
// 1.2 (below introduced 1.5), requests 2.32.3, urllib3 2.3.0, idna 3.10,
// league/flysystem 1.1.10 (above fixed 1.1.4, below introduced 2.0.0).
// GHSA-69ch-w2m2-3vjp names the Go package golang.org/x/text/language, not
// the module, so it matches no component; its CVE still shows through the
// aliases of GO-2022-1059.
func TestCorpusMatches(t *testing.T) {
	ix := corpusIndex(t)
	if info := ix.Info(); info.Records != 35 || len(info.Skipped) != 0 {
		t.Fatalf("corpus index: %d records, %d skipped; want 35 and 0", info.Records, len(info.Skipped))
	}

	want := []string{
		"cern-lhc-vdm-editor-npm.bom.json: minimist@0.0.8 CVE-2021-44906",
		"cern-lhc-vdm-editor-npm.bom.json: ws@6.2.1 CVE-2024-37890",
		"cern-lhc-vdm-editor-npm.bom.xml: minimist@0.0.8 CVE-2021-44906",
		"cern-lhc-vdm-editor-npm.bom.xml: ws@6.2.1 CVE-2024-37890",
		"cyclonedx-py-pipenv-with-extras-pypi.bom.1.6.json: idna@3.6 CVE-2024-3651",
		"dropwizard-1.3.15-maven.bom.json: ch.qos.logback:logback-classic@1.2.3 CVE-2023-6378",
		"dropwizard-1.3.15-maven.bom.json: ch.qos.logback:logback-core@1.2.3 CVE-2023-6378",
		"dropwizard-1.3.15-maven.bom.json: com.fasterxml.jackson.core:jackson-databind@2.9.10 CVE-2020-36518",
		"dropwizard-1.3.15-maven.bom.json: com.google.guava:guava@24.1.1-jre CVE-2023-2976",
		"dropwizard-1.3.15-maven.bom.json: junit:junit@4.12 CVE-2020-15250",
		"dropwizard-1.3.15-maven.bom.json: org.yaml:snakeyaml@1.23 CVE-2022-1471",
		"juice-shop-npm.bom.1.4.json: express@4.18.2 CVE-2024-29041",
		"juice-shop-npm.bom.1.4.json: lodash@2.4.2 CVE-2021-23337",
		"juice-shop-npm.bom.1.4.json: minimist@0.2.3 CVE-2021-44906",
		"juice-shop-npm.bom.1.4.json: request@2.88.2 CVE-2023-28155",
		"juice-shop-npm.bom.1.4.json: semver@5.7.1 CVE-2022-25883",
		"juice-shop-npm.bom.1.4.json: semver@6.3.0 CVE-2022-25883",
		"juice-shop-npm.bom.1.4.json: semver@7.3.8 CVE-2022-25883",
		"juice-shop-npm.bom.1.4.json: socket.io-parser@4.0.5 CVE-2023-32695",
		"juice-shop-npm.bom.1.4.json: ws@7.4.6 CVE-2024-37890",
		"proton-bridge-v1.8.0-go.bom.json: golang.org/x/net@0.0.0-20210405180319-a5a99cb37ef4 CVE-2022-27664",
		"proton-bridge-v1.8.0-go.bom.json: golang.org/x/sys@0.0.0-20210330210617-4fbd30eecc44 CVE-2022-29526",
		"proton-bridge-v1.8.0-go.bom.json: golang.org/x/text@0.3.5-0.20201125200606-c27b9fd57aec CVE-2021-38561",
		"proton-bridge-v1.8.0-go.bom.json: golang.org/x/text@0.3.5-0.20201125200606-c27b9fd57aec CVE-2022-32149",
	}

	files, err := filepath.Glob(filepath.Join("../../../shared/corpus/sbom", "*", "*"))
	if err != nil || len(files) != 13 {
		t.Fatalf("found %d corpus SBOMs (%v), want 13", len(files), err)
	}
	var got []string
	for _, f := range files {
		doc, err := sbom.Read(f)
		if err != nil {
			t.Fatalf("sbom.Read: %v", err)
		}
		for _, c := range doc.Components {
			if c.Purl == "" {
				continue
			}
			q, err := QueryFromPurl(c.Purl, c.Version)
			if err != nil {
				continue // no OSV ecosystem, such as pkg:generic
			}
			recs, err := ix.Lookup(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range Group(Match(q, recs)) {
				if !v.Evaluable {
					t.Errorf("%s: %s: not evaluable: %s", f, v.ID, v.Reason)
				}
				got = append(got, filepath.Base(f)+": "+q.Name+"@"+q.Version+" "+v.ID)
			}
		}
	}
	slices.Sort(got)
	got = slices.Compact(got) // juice-shop lists some packages at several paths
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("corpus matches (-want +got):\n%s", diff)
	}
}
