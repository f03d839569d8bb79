package vuln

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/package-url/packageurl-go"
)

// Query is one package version to look up: an OSV ecosystem, the package
// name as that ecosystem writes it, and the version.
type Query struct {
	// Ecosystem is an OSV ecosystem, with a release suffix where the
	// ecosystem has one (Debian:12, Alpine:v3.19).
	Ecosystem string
	Name      string
	Version   string
	// Repo is the source repository (host/owner/name, lower case) for
	// packages identified by a repository, such as pkg:github purls. It is
	// matched against records whose ranges are GIT only.
	Repo string
}

// purlEcosystems maps purl types to OSV ecosystems. Distribution types
// (deb, apk, rpm) need the distro qualifier as well; see QueryFromPurl.
var purlEcosystems = map[string]string{
	"npm":      "npm",
	"pypi":     "PyPI",
	"maven":    "Maven",
	"golang":   "Go",
	"composer": "Packagist",
	"cargo":    "crates.io",
	"gem":      "RubyGems",
	"nuget":    "NuGet",
	"hex":      "Hex",
	"pub":      "Pub",
	"cran":     "CRAN",
	"hackage":  "Hackage",
	"swift":    "SwiftURL",
	"conan":    "ConanCenter",
	"bitnami":  "Bitnami",
	"deb":      "Debian",
	"apk":      "Alpine",
}

// repoHosts maps the purl types that name a source repository to its host.
var repoHosts = map[string]string{"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}

// QueryFromPurl builds a query from a package URL. The version comes from
// the purl unless version is not empty. It returns an error for a purl that
// does not parse or whose type has no OSV ecosystem.
func QueryFromPurl(purl, version string) (Query, error) {
	p, err := packageurl.FromString(purl)
	if err != nil {
		return Query{}, fmt.Errorf("invalid purl %q: %w", purl, err)
	}
	if version == "" {
		version = p.Version
	}
	q := Query{Version: version}

	switch p.Type {
	case "github", "gitlab", "bitbucket":
		q.Repo = strings.ToLower(repoHosts[p.Type] + "/" + p.Namespace + "/" + p.Name)
		return q, nil
	case "maven":
		q.Name = p.Namespace + ":" + p.Name
	case "npm", "composer", "golang", "swift":
		q.Name = joinPath(p.Namespace, p.Name)
	case "deb", "apk":
		q.Name = p.Name
		q.Ecosystem = distroEcosystem(p)
		if q.Ecosystem == "" {
			return Query{}, fmt.Errorf("purl %q: cannot tell the distribution; add a distro qualifier such as ?distro=debian-12", purl)
		}
		return q, nil
	default:
		q.Name = p.Name
	}

	eco, ok := purlEcosystems[p.Type]
	if !ok {
		return Query{}, fmt.Errorf("purl %q: type %q has no OSV ecosystem", purl, p.Type)
	}
	q.Ecosystem = eco
	if eco == "Go" {
		// Go module versions carry a v prefix; OSV ranges of the Go
		// database do not.
		q.Version = strings.TrimPrefix(q.Version, "v")
	}
	return q, nil
}

func joinPath(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

// distroEcosystem returns the OSV ecosystem of a deb or apk purl from its
// namespace and distro qualifier: Debian:12, Ubuntu:22.04, Alpine:v3.19.
// It returns the bare ecosystem when the release is unknown, which matches
// records of every release.
func distroEcosystem(p packageurl.PackageURL) string {
	distro := p.Qualifiers.Map()["distro"]
	switch {
	case p.Type == "deb" && (p.Namespace == "debian" || p.Namespace == ""):
		if v, ok := strings.CutPrefix(distro, "debian-"); ok {
			if i := strings.IndexByte(v, '.'); i >= 0 {
				v = v[:i]
			}
			return "Debian:" + v
		}
		return "Debian"
	case p.Type == "deb" && p.Namespace == "ubuntu":
		if v, ok := strings.CutPrefix(distro, "ubuntu-"); ok {
			return "Ubuntu:" + v
		}
		return "Ubuntu"
	case p.Type == "apk" && (p.Namespace == "alpine" || p.Namespace == ""):
		v := strings.TrimPrefix(strings.TrimPrefix(distro, "alpine-"), "v")
		if parts := strings.Split(v, "."); len(parts) >= 2 {
			return "Alpine:v" + parts[0] + "." + parts[1]
		}
		return "Alpine"
	}
	return ""
}

var pypiSeparators = regexp.MustCompile(`[-_.]+`)

// NormalizeName returns the form of a package name that the ecosystem
// treats as identical to it: PEP 503 normalization for PyPI, lower case
// for the case-insensitive registries (Packagist, NuGet, crates.io, Hex),
// and the name unchanged elsewhere (npm scopes, Maven group:artifact and Go
// module paths are compared exactly).
func NormalizeName(ecosystem, name string) string {
	switch baseEcosystem(ecosystem) {
	case "PyPI":
		return strings.ToLower(pypiSeparators.ReplaceAllString(name, "-"))
	case "Packagist", "NuGet", "crates.io", "Hex":
		return strings.ToLower(name)
	}
	return name
}

// baseEcosystem drops the release suffix: "Debian:12" becomes "Debian".
func baseEcosystem(ecosystem string) string {
	if i := strings.IndexByte(ecosystem, ':'); i >= 0 {
		return ecosystem[:i]
	}
	return ecosystem
}

// ecosystemMatches reports whether a record's ecosystem covers the query's:
// the base ecosystems must be equal, and when both name a release, the
// releases too. A query without a release matches records of every release.
func ecosystemMatches(record, query string) bool {
	if baseEcosystem(record) != baseEcosystem(query) {
		return false
	}
	if record == baseEcosystem(record) || query == baseEcosystem(query) {
		return true
	}
	return record == query
}

// packageKey is the index key of a package: base ecosystem and normalized
// name.
func packageKey(ecosystem, name string) string {
	return baseEcosystem(ecosystem) + "\x00" + NormalizeName(ecosystem, name)
}

// repoKey is the index key of a GIT range's repository.
func repoKey(repo string) string {
	r := strings.ToLower(strings.TrimSpace(repo))
	for _, prefix := range []string{"https://", "http://", "git://", "ssh://", "git@"} {
		r = strings.TrimPrefix(r, prefix)
	}
	r = strings.Replace(r, ":", "/", 1) // git@github.com:owner/name
	r = strings.TrimSuffix(strings.TrimSuffix(r, "/"), ".git")
	return "git\x00" + r
}

// Key returns the index key of the query.
func (q Query) Key() string {
	if q.Repo != "" {
		return repoKey(q.Repo)
	}
	return packageKey(q.Ecosystem, q.Name)
}
