package sbom

import (
	"maps"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/wardtm/ward/internal/model"
)

// purlType returns the type of a package URL ("npm", "maven", ...), or ""
// when s is not a valid package URL.
func purlType(s string) string {
	if s == "" {
		return ""
	}
	p, err := packageurl.FromString(s)
	if err != nil {
		return ""
	}
	return p.Type
}

// packageKey identifies a package regardless of its version: the purl
// without version, qualifiers and subpath when there is one, else the
// lower-case qualified name. Merge uses it to recognize an upgraded
// component as the same dependency.
func packageKey(c Component) string {
	if c.Purl != "" {
		if p, err := packageurl.FromString(c.Purl); err == nil {
			p.Version, p.Qualifiers, p.Subpath = "", nil, ""
			return p.ToString()
		}
	}
	return "name:" + strings.ToLower(c.QualifiedName())
}

// dependencyKey is packageKey for a dependency already in the model.
func dependencyKey(d *model.Dependency) string {
	return packageKey(Component{Name: d.Name, Purl: d.Purl})
}

// baseID returns the preferred model ID of a component: the purl type (or
// "pkg") and the name without its group, lower case. Every run of
// characters other than letters, digits, dots and underscores becomes one
// hyphen, as in npm-lodash or maven-jackson-databind.
func baseID(c Component) string {
	prefix := purlType(c.Purl)
	if prefix == "" {
		prefix = "pkg"
	}
	return slug(prefix + "-" + c.Name)
}

// groupID is the fallback when baseID is taken: the name with its group.
func groupID(c Component) string {
	prefix := purlType(c.Purl)
	if prefix == "" {
		prefix = "pkg"
	}
	return slug(prefix + "-" + c.Group + "-" + c.Name)
}

func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_'
		if !ok {
			if b.Len() > 0 {
				hyphen = true
			}
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// idAllocator hands out model IDs that are unique in a set.
type idAllocator struct {
	taken map[string]bool
}

func newIDAllocator(existing []model.Dependency) *idAllocator {
	a := &idAllocator{taken: make(map[string]bool, len(existing))}
	for _, d := range existing {
		a.taken[d.ID] = true
	}
	return a
}

// allocate tries the base ID, then the ID with the group, then with the
// version, then numbered suffixes. withVersion starts at the versioned ID,
// for a package that occurs in several versions in one SBOM.
func (a *idAllocator) allocate(c Component, withVersion bool) string {
	candidates := []string{baseID(c), groupID(c)}
	if withVersion {
		candidates = nil
	}
	if c.Version != "" {
		candidates = append(candidates, slug(baseID(c)+"-"+c.Version), slug(groupID(c)+"-"+c.Version))
	}
	for _, id := range candidates {
		if id != "" && !a.taken[id] {
			a.taken[id] = true
			return id
		}
	}
	base := candidates[len(candidates)-1]
	if base == "" {
		base = "pkg"
	}
	for n := 2; ; n++ {
		id := base + "-" + itoa(n)
		if !a.taken[id] {
			a.taken[id] = true
			return id
		}
	}
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// dependencyKind maps a component type to a model dependency kind.
func dependencyKind(componentType string) string {
	switch componentType {
	case "operating-system":
		return "os"
	case "device-driver":
		return "driver"
	case "firmware":
		return "firmware"
	case "application", "container", "platform":
		return "application"
	case "device":
		return "hardware"
	case "library", "framework", "file", "source", "archive", "install", "":
		return "library"
	}
	return "library"
}

// setSBOMFields copies what an SBOM states about a component into d. A
// field the SBOM leaves empty keeps its value, so a CPE or supplier the
// user added by hand survives, and fields only the user maintains
// (classification, support, notes, element links, kind once set) are not
// touched.
func setSBOMFields(d *model.Dependency, c Component, sbomPath string, dependsOn []string) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&d.Name, c.QualifiedName())
	set(&d.Version, c.Version)
	set(&d.Purl, c.Purl)
	set(&d.CPE, c.CPE)
	set(&d.Supplier, c.Supplier)
	set(&d.License, c.License)
	set(&d.SBOM, sbomPath)
	if d.Kind == "" {
		d.Kind = dependencyKind(c.Type)
	}
	if len(c.Hashes) > 0 {
		d.Hashes = maps.Clone(c.Hashes)
	}
	if len(dependsOn) > 0 {
		d.DependsOn = dependsOn
	}
}
