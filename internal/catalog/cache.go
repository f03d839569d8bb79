package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// cacheFormat is the version of the cache file layout; Open rejects files
// of another version so that an upgrade asks for a fresh import instead of
// misreading old files.
const cacheFormat = 1

// maxCacheFileSize bounds one cache file. A cache file is smaller than the
// bundle it came from, so MaxSTIXSize is a safe bound.
const maxCacheFileSize = MaxSTIXSize

// cacheFile is the JSON layout of one cached catalog.
type cacheFile struct {
	Format  int      `json:"format"`
	Catalog *Catalog `json:"catalog"`
}

// DefaultCacheDir returns the folder imported catalogs are cached in when
// neither --cache-dir nor WARD_CACHE_DIR names one: ward/catalogs under the
// user cache folder of the operating system.
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache folder: %w", err)
	}
	return filepath.Join(base, "ward", "catalogs"), nil
}

// Save writes c to dir as NAME.json, replacing an earlier import of the same
// catalog. The file is written to a temporary name and renamed, so a
// failed write never leaves a half-written cache. It returns the path.
func (c *Catalog) Save(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating catalog cache %s: %w", dir, err)
	}
	data, err := json.Marshal(cacheFile{Format: cacheFormat, Catalog: c})
	if err != nil {
		return "", fmt.Errorf("encoding catalog %s: %w", c.Name, err)
	}
	path := filepath.Join(dir, c.Name+".json")
	tmp, err := os.CreateTemp(dir, c.Name+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("writing catalog cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing catalog cache %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing catalog cache %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("writing catalog cache %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("writing catalog cache %s: %w", path, err)
	}
	return path, nil
}

// Names looks up public IDs in the imported catalogs. The zero
// value and a nil *Names know no IDs.
type Names struct {
	// Catalogs are the imported catalogs, sorted by name.
	Catalogs []*Catalog
	byID     map[string]Entry
}

// Open loads every catalog cached in dir. A missing folder is an empty
// cache, not an error: Ward works without imported catalogs and shows
// bare IDs.
func Open(dir string) (*Names, error) {
	n := &Names{byID: map[string]Entry{}}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return n, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading catalog cache: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		c, err := readCacheFile(path)
		if err != nil {
			return nil, err
		}
		n.Add(c)
	}
	return n, nil
}

func readCacheFile(path string) (*Catalog, error) {
	data, err := readLimited(path, maxCacheFileSize)
	if err != nil {
		return nil, fmt.Errorf("reading catalog cache %s: %w", path, err)
	}
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("catalog cache %s is damaged (%v); delete it and run ward catalog import again", path, err)
	}
	if f.Format != cacheFormat || f.Catalog == nil || f.Catalog.Name == "" {
		return nil, fmt.Errorf("catalog cache %s was written by another Ward version; delete it and run ward catalog import again", path)
	}
	return f.Catalog, nil
}

// Add makes the entries of c available to Lookup, replacing a catalog of
// the same name. Among catalogs that share an ID, the first by name wins.
func (n *Names) Add(c *Catalog) {
	if n.byID == nil {
		n.byID = map[string]Entry{}
	}
	n.Catalogs = slices.DeleteFunc(n.Catalogs, func(o *Catalog) bool { return o.Name == c.Name })
	n.Catalogs = append(n.Catalogs, c)
	slices.SortFunc(n.Catalogs, func(a, b *Catalog) int { return strings.Compare(a.Name, b.Name) })

	clear(n.byID)
	for i := len(n.Catalogs) - 1; i >= 0; i-- {
		cat := n.Catalogs[i]
		for _, e := range cat.Entries {
			e.Catalog = cat.Name
			n.byID[strings.ToUpper(e.ID)] = e
		}
	}
}

// Lookup returns the entry for a public ID such as CAPEC-94, T0830 or
// TID-119; IDs are matched without regard to case.
func (n *Names) Lookup(id string) (Entry, bool) {
	if n == nil {
		return Entry{}, false
	}
	e, ok := n.byID[strings.ToUpper(strings.TrimSpace(id))]
	return e, ok
}

// Catalog returns the imported catalog called name.
func (n *Names) Catalog(name string) (*Catalog, bool) {
	if n == nil {
		return nil, false
	}
	for _, c := range n.Catalogs {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// CatalogFor returns the name of the catalog an ID belongs to by its form:
// capec, cwe, emb3d or attack (for every ATT&CK domain); empty when the form
// is unknown.
func CatalogFor(id string) string {
	switch {
	case capecPattern.MatchString(id):
		return "capec"
	case cwePattern.MatchString(id):
		return "cwe"
	case emb3dPattern.MatchString(id):
		return "emb3d"
	case attackPattern.MatchString(id):
		return "attack"
	}
	return ""
}
