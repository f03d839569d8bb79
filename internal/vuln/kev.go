package vuln

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// KEVEntry is the subset of an entry of CISA's Known Exploited
// Vulnerabilities catalog (known_exploited_vulnerabilities.json) that Ward
// reports.
type KEVEntry struct {
	CVE        string `json:"cveID"`
	Name       string `json:"vulnerabilityName"`
	DateAdded  string `json:"dateAdded"`
	DueDate    string `json:"dueDate"`
	Ransomware string `json:"knownRansomwareCampaignUse"`
}

// KEV is a loaded KEV catalog keyed by upper-case CVE ID.
type KEV struct {
	Version string
	Entries map[string]KEVEntry
}

// maxKEVSize bounds the catalog file; the 2025 catalog is about 1.5 MB.
const maxKEVSize = 64 << 20

// ReadKEV reads a KEV catalog in CISA's JSON format.
func ReadKEV(path string) (*KEV, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading KEV catalog: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKEVSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading KEV catalog %s: %w", path, err)
	}
	if len(data) > maxKEVSize {
		return nil, fmt.Errorf("%s: KEV catalog is larger than %d MiB", path, maxKEVSize>>20)
	}
	var doc struct {
		Version         string     `json:"catalogVersion"`
		Vulnerabilities []KEVEntry `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("KEV catalog: %w", recordJSONError(path, data, err))
	}
	if doc.Vulnerabilities == nil {
		return nil, fmt.Errorf("%s: vulnerabilities: missing; expected CISA's known_exploited_vulnerabilities.json", path)
	}
	k := &KEV{Version: doc.Version, Entries: make(map[string]KEVEntry, len(doc.Vulnerabilities))}
	for i, e := range doc.Vulnerabilities {
		if !strings.HasPrefix(strings.ToUpper(e.CVE), "CVE-") {
			return nil, fmt.Errorf("%s: vulnerabilities[%d].cveID: expected a CVE ID, found %q", path, i, e.CVE)
		}
		k.Entries[strings.ToUpper(e.CVE)] = e
	}
	return k, nil
}

// Lookup returns the KEV entry of the first of ids in the catalog.
func (k *KEV) Lookup(ids []string) (KEVEntry, bool) {
	if k == nil {
		return KEVEntry{}, false
	}
	for _, id := range ids {
		if e, ok := k.Entries[strings.ToUpper(id)]; ok {
			return e, true
		}
	}
	return KEVEntry{}, false
}
