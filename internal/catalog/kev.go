package catalog

import (
	"encoding/json"
	"fmt"
	"strings"
)

// MaxKEVSize is the largest KEV file LoadKEV reads, in bytes; the catalog
// was about 1.3 MB in 2025.
const MaxKEVSize = 64 << 20

// KEV is the CISA Known Exploited Vulnerabilities catalog, as published in
// known_exploited_vulnerabilities.json.
type KEV struct {
	Title           string     `json:"title"`
	CatalogVersion  string     `json:"catalogVersion"`
	DateReleased    string     `json:"dateReleased"`
	Count           int        `json:"count"`
	Vulnerabilities []KEVEntry `json:"vulnerabilities"`

	byCVE map[string]int
}

// KEVEntry is one known exploited vulnerability. Dates are YYYY-MM-DD.
type KEVEntry struct {
	CVE               string `json:"cveID"`
	VendorProject     string `json:"vendorProject"`
	Product           string `json:"product"`
	VulnerabilityName string `json:"vulnerabilityName"`
	DateAdded         string `json:"dateAdded"`
	ShortDescription  string `json:"shortDescription"`
	RequiredAction    string `json:"requiredAction"`
	DueDate           string `json:"dueDate"`
	// KnownRansomwareCampaignUse is Known or Unknown.
	KnownRansomwareCampaignUse string   `json:"knownRansomwareCampaignUse"`
	Notes                      string   `json:"notes"`
	CWEs                       []string `json:"cwes"`
}

// LoadKEV reads the KEV catalog from path.
func LoadKEV(path string) (*KEV, error) {
	data, err := readLimited(path, MaxKEVSize)
	if err != nil {
		return nil, fmt.Errorf("reading KEV catalog %s: %w", path, err)
	}
	var k KEV
	if err := json.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("%s is not a KEV catalog: %w", path, err)
	}
	if k.Vulnerabilities == nil {
		return nil, fmt.Errorf("%s has no vulnerabilities array; download known_exploited_vulnerabilities.json from CISA", path)
	}
	k.byCVE = make(map[string]int, len(k.Vulnerabilities))
	for i, v := range k.Vulnerabilities {
		id := strings.ToUpper(strings.TrimSpace(v.CVE))
		if id == "" {
			return nil, fmt.Errorf("%s: vulnerabilities[%d] has no cveID", path, i)
		}
		if _, dup := k.byCVE[id]; !dup {
			k.byCVE[id] = i
		}
	}
	return &k, nil
}

// Lookup returns the entry for a CVE ID, matched without regard to case.
func (k *KEV) Lookup(cve string) (KEVEntry, bool) {
	if k == nil {
		return KEVEntry{}, false
	}
	i, ok := k.byCVE[strings.ToUpper(strings.TrimSpace(cve))]
	if !ok {
		return KEVEntry{}, false
	}
	return k.Vulnerabilities[i], true
}

// Len returns the number of vulnerabilities in the catalog.
func (k *KEV) Len() int {
	if k == nil {
		return 0
	}
	return len(k.Vulnerabilities)
}
