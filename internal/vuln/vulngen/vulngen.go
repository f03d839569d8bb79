// Package vulngen writes synthetic OSV databases and CycloneDX SBOMs of a
// chosen size for benchmarks. The output is deterministic for a given size
// and shaped like real data: several ecosystems, a few records per
// package, CVE aliases, CVSS vectors and one to three ranges per entry.
package vulngen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// ecosystems are the generated ecosystems with their purl types.
var ecosystems = []struct{ osv, purl string }{
	{"npm", "npm"}, {"PyPI", "pypi"}, {"Maven", "maven"}, {"Go", "golang"},
}

// RecordsPerPackage is how many records name each generated package.
const RecordsPerPackage = 4

// packageName returns the name of package i in its ecosystem, and the
// purl namespace and name.
func packageName(i int) (eco int, name, ns, short string) {
	eco = i % len(ecosystems)
	short = fmt.Sprintf("pkg%d", i)
	switch ecosystems[eco].osv {
	case "Maven":
		ns = fmt.Sprintf("org.gen%d", i%97)
		return eco, ns + ":" + short, ns, short
	case "Go":
		ns = fmt.Sprintf("example.com/gen%d", i%97)
		return eco, ns + "/" + short, ns, short
	}
	return eco, short, "", short
}

// WriteDatabase writes records OSV records as JSON files into dir, in
// subfolders of at most 1,000 files as osv.dev's archives unpack.
func WriteDatabase(dir string, records int) error {
	for r := range records {
		pkg := r / RecordsPerPackage
		eco, name, _, _ := packageName(pkg)
		n := r % RecordsPerPackage
		// Record n of a package affects [n.0.0, n.5.0) and, for odd n, also
		// [10+n.0.0, 10+n.2.0).
		events := []map[string]string{{"introduced": fmt.Sprintf("%d.0.0", n)}, {"fixed": fmt.Sprintf("%d.5.0", n)}}
		ranges := []map[string]any{{"type": "ECOSYSTEM", "events": events}}
		if n%2 == 1 {
			ranges = append(ranges, map[string]any{"type": "ECOSYSTEM", "events": []map[string]string{
				{"introduced": fmt.Sprintf("%d.0.0", 10+n)}, {"last_affected": fmt.Sprintf("%d.2.0", 10+n)}}})
		}
		rec := map[string]any{
			"schema_version": "1.6.0",
			"id":             fmt.Sprintf("GEN-%07d", r),
			"modified":       fmt.Sprintf("2025-%02d-%02dT00:00:00Z", 1+r%12, 1+r%28),
			"aliases":        []string{fmt.Sprintf("CVE-2025-%07d", r)},
			"summary":        fmt.Sprintf("Generated vulnerability %d in %s", r, name),
			"severity":       []map[string]string{{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:N"}},
			"affected": []map[string]any{{
				"package": map[string]string{"ecosystem": ecosystems[eco].osv, "name": name},
				"ranges":  ranges,
			}},
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		sub := filepath.Join(dir, fmt.Sprintf("%04d", r/1000))
		if r%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("GEN-%07d.json", r)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Component is one generated SBOM component.
type Component struct {
	Name, Version, Purl string
}

// Components returns n components spread over the packages of a database
// of records records. Every second component has a version that records
// affect (n.2.0 is inside [n.0.0, n.5.0)), the others one no record
// affects (n.7.0).
func Components(n, records int) []Component {
	packages := max(records/RecordsPerPackage, 1)
	out := make([]Component, n)
	for i := range out {
		pkg := (i * 7919) % packages // spread over the packages
		eco, name, ns, short := packageName(pkg)
		version := fmt.Sprintf("%d.2.0", i%RecordsPerPackage)
		if i%2 == 1 {
			version = fmt.Sprintf("%d.7.0", i%RecordsPerPackage)
		}
		purl := fmt.Sprintf("pkg:%s/%s@%s", ecosystems[eco].purl, short, version)
		if ns != "" {
			purl = fmt.Sprintf("pkg:%s/%s/%s@%s", ecosystems[eco].purl, ns, short, version)
		}
		out[i] = Component{Name: name, Version: version, Purl: purl}
	}
	return out
}

// WriteSBOM writes the components as a CycloneDX 1.5 JSON SBOM.
func WriteSBOM(path string, comps []Component) error {
	type comp struct {
		Type    string `json:"type"`
		BOMRef  string `json:"bom-ref"`
		Name    string `json:"name"`
		Version string `json:"version"`
		Purl    string `json:"purl"`
	}
	doc := struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Version     int    `json:"version"`
		Components  []comp `json:"components"`
	}{BOMFormat: "CycloneDX", SpecVersion: "1.5", Version: 1}
	for _, c := range comps {
		doc.Components = append(doc.Components, comp{"library", c.Purl, c.Name, c.Version, c.Purl})
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
