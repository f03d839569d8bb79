package sbom

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the shared folder of real SBOMs, relative to this package.
const corpusDir = "../../../shared/corpus/sbom"

func corpusFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(corpusDir, name)
	if _, err := os.Stat(corpusDir); os.IsNotExist(err) {
		t.Skip("corpus folder absent:", corpusDir)
	}
	return path
}

// spot is one component a corpus test checks field by field.
type spot struct {
	name, version, purl string
	line                int
	supplier, license   string
	dependsOn           int // number of DependsOn entries; -1 to skip
}

func TestReadCorpus(t *testing.T) {
	tests := []struct {
		file       string
		kind       Kind
		components int
		hasDeps    bool
		edges      int
		subject    string
		spot       spot
	}{
		{"cyclonedx/cern-lhc-vdm-editor-npm.bom.json", Kind{CycloneDX, "1.2", JSON}, 43, false, 0, "lhc-vdm-editor",
			spot{"debug", "4.1.1", "pkg:npm/debug@4.1.1", 81, "", "MIT", 0}},
		{"cyclonedx/cern-lhc-vdm-editor-npm.bom.xml", Kind{CycloneDX, "1.2", XML}, 43, false, 0, "lhc-vdm-editor",
			spot{"debug", "4.1.1", "pkg:npm/debug@4.1.1", 65, "", "MIT", 0}},
		{"cyclonedx/cisa-case-2.vex.json", Kind{CycloneDX, "1.4", JSON}, 0, false, 0, "ABC", spot{}},
		{"cyclonedx/cyclonedx-py-pipenv-with-extras-pypi.bom.1.6.json", Kind{CycloneDX, "1.6", JSON}, 25, true, 0, "with-extras",
			spot{"idna", "3.6", "pkg:pypi/idna@3.6", 191, "", "", 0}},
		{"cyclonedx/cyclonedx-py-poetry-issue702-pypi.bom.1.6.json", Kind{CycloneDX, "1.6", JSON}, 63, true, 94, "regression-issue702",
			spot{"urllib3", "2.3.0", "pkg:pypi/urllib3@2.3.0", 11497, "", "", -1}},
		{"cyclonedx/dropwizard-1.3.15-maven.bom.json", Kind{CycloneDX, "1.2", JSON}, 167, true, 170, "io.dropwizard:dropwizard-parent",
			spot{"com.fasterxml.jackson.core:jackson-databind", "2.9.10", "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar", 645, "", "Apache-2.0", -1}},
		{"cyclonedx/juice-shop-npm.bom.1.4.json", Kind{CycloneDX, "1.4", JSON}, 1115, true, 1704, "juice-shop",
			spot{"lodash", "2.4.2", "pkg:npm/lodash@2.4.2", 0, "", "MIT", -1}},
		{"cyclonedx/laravel-7.12.0-composer.bom.1.4.json", Kind{CycloneDX, "1.4", JSON}, 62, true, 112, "cyclonedx/cyclonedx-php-composer-demo",
			spot{"league/flysystem", "1.1.10", "pkg:composer/league/flysystem@1.1.10", 0, "", "MIT", -1}},
		{"cyclonedx/proton-bridge-v1.8.0-go.bom.json", Kind{CycloneDX, "1.2", JSON}, 201, true, 176, "github.com/ProtonMail/proton-bridge",
			spot{"golang.org/x/text", "v0.3.5-0.20201125200606-c27b9fd57aec", "pkg:golang/golang.org/x/text@v0.3.5-0.20201125200606-c27b9fd57aec", 5239, "", "BSD-3-Clause", -1}},
		{"spdx/example1.spdx", Kind{SPDX, "2.2", TagValue}, 1, false, 0, "hello",
			spot{"hello", "", "", 13, "", "GPL-3.0-or-later", 0}},
		{"spdx/example11-sbom.spdx.json", Kind{SPDX, "2.3", JSON}, 4, true, 3, "hello-server-src",
			spot{"hyper", "0.14", "pkg:cargo/hyper@0.14", 37, "", "MIT", 0}},
		{"spdx/example14-examplemaven-0.0.1-enriched.spdx.json", Kind{SPDX, "2.3", JSON}, 6, true, 5, "examplemaven",
			spot{"examplemaven", "0.0.1", "", 0, "SPDX", "Apache-2.0", 5}},
		{"spdx/example6-lib.spdx", Kind{SPDX, "2.2", TagValue}, 5, true, 4, "go-1.15",
			spot{"go-1.15", "1.15.4", "", 11, "Canonical Ltd.", "LicenseRef-Golang-BSD-plus-Patents", 4}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			path := corpusFile(t, tt.file)
			doc, err := Read(path)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if doc.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v", doc.Kind, tt.kind)
			}
			if len(doc.Components) != tt.components {
				t.Errorf("%d components, want %d", len(doc.Components), tt.components)
			}
			if doc.HasDependencies != tt.hasDeps {
				t.Errorf("HasDependencies = %v, want %v", doc.HasDependencies, tt.hasDeps)
			}
			edges := 0
			for _, c := range doc.Components {
				edges += len(c.DependsOn)
				if c.Pos.File != path {
					t.Fatalf("component %s has Pos.File %q, want %q", c.Name, c.Pos.File, path)
				}
			}
			if edges != tt.edges {
				t.Errorf("%d dependency edges, want %d", edges, tt.edges)
			}
			if doc.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", doc.Subject, tt.subject)
			}
			if tt.spot.name == "" {
				return
			}
			c, ok := findComponent(doc, tt.spot.name, tt.spot.version)
			if !ok {
				t.Fatalf("no component %s@%s", tt.spot.name, tt.spot.version)
			}
			if c.Purl != tt.spot.purl {
				t.Errorf("%s purl = %q, want %q", tt.spot.name, c.Purl, tt.spot.purl)
			}
			if tt.spot.line > 0 && c.Pos.Line != tt.spot.line {
				t.Errorf("%s line = %d, want %d", tt.spot.name, c.Pos.Line, tt.spot.line)
			}
			if c.Pos.Line == 0 {
				t.Errorf("%s has no line", tt.spot.name)
			}
			if c.Supplier != tt.spot.supplier {
				t.Errorf("%s supplier = %q, want %q", tt.spot.name, c.Supplier, tt.spot.supplier)
			}
			if c.License != tt.spot.license {
				t.Errorf("%s license = %q, want %q", tt.spot.name, c.License, tt.spot.license)
			}
			if tt.spot.dependsOn >= 0 && len(c.DependsOn) != tt.spot.dependsOn {
				t.Errorf("%s depends on %d components, want %d", tt.spot.name, len(c.DependsOn), tt.spot.dependsOn)
			}
		})
	}
}

func findComponent(doc *Document, name, version string) (Component, bool) {
	for _, c := range doc.Components {
		if c.QualifiedName() == name && c.Version == version {
			return c, true
		}
	}
	return Component{}, false
}

func TestReadXMLAndJSONAgree(t *testing.T) {
	j, err := Read(corpusFile(t, "cyclonedx/cern-lhc-vdm-editor-npm.bom.json"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Read(corpusFile(t, "cyclonedx/cern-lhc-vdm-editor-npm.bom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range j.Components {
		a, b := j.Components[i], x.Components[i]
		if a.Purl != b.Purl || a.License != b.License || a.Hashes["sha-512"] != b.Hashes["sha-512"] {
			t.Errorf("component %d: JSON %s %s %s, XML %s %s %s", i, a.Purl, a.License, a.Hashes["sha-512"], b.Purl, b.License, b.Hashes["sha-512"])
		}
	}
}

func TestReadDependencyRefs(t *testing.T) {
	doc, err := Read(corpusFile(t, "cyclonedx/dropwizard-1.3.15-maven.bom.json"))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := findComponent(doc, "io.dropwizard:dropwizard-core", "1.3.15")
	if !ok {
		t.Fatal("no dropwizard-core")
	}
	want := "pkg:maven/io.dropwizard/dropwizard-util@1.3.15?type=jar"
	found := false
	for _, ref := range c.DependsOn {
		found = found || ref == want
	}
	if !found {
		t.Errorf("dropwizard-core DependsOn = %v, want it to contain %s", c.DependsOn, want)
	}
}

func TestIdentifyErrors(t *testing.T) {
	tests := []struct {
		name        string
		data        string
		unsupported bool
		want        string // substring of the error
	}{
		{"empty", "  \n", false, "SBOM is empty"},
		{"json syntax", "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": 1.5,,\n}", false, "x.json:3:"},
		{"wrong bomFormat", `{"bomFormat":"SWID","specVersion":"1.5"}`, false, `bomFormat: expected "CycloneDX", found "SWID"`},
		{"missing specVersion", `{"bomFormat":"CycloneDX"}`, false, "specVersion: missing"},
		{"numeric specVersion", `{"bomFormat":"CycloneDX","specVersion":1.5}`, false, "specVersion: expected a string"},
		{"old cyclonedx", `{"bomFormat":"CycloneDX","specVersion":"1.1"}`, true, `CycloneDX spec version "1.1"`},
		{"spdx 2.1", `{"spdxVersion":"SPDX-2.1"}`, true, `SPDX version "SPDX-2.1"`},
		{"other json", `{"name":"x"}`, false, "not an SBOM"},
		{"json-ld other", `{"@context":"https://schema.org"}`, true, "not SPDX 3"},
		{"xml doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>", false, "DOCTYPE"},
		{"xml other root", `<project xmlns="http://maven.apache.org/POM/4.0.0"/>`, false, "not a CycloneDX <bom>"},
		{"cyclonedx xml 1.0", `<bom xmlns="http://cyclonedx.org/schema/bom/1.0"/>`, true, `spec version "1.0"`},
		{"spdx rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>`, true, "RDF/XML"},
		{"plain text", "hello\nworld\n", false, "no SPDXVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("x.json", []byte(tt.data))
			if err == nil {
				t.Fatal("Decode succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "x.json") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", got, tt.unsupported)
			}
		})
	}
}

func TestDecodeFieldErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"components not array", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\n\"components\": {\"name\": 3}}", "x.json:2:"},
		{"component name number", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\n\"components\": [{\"type\":\"library\",\n\"name\": 3}]}", "components.name: expected string"},
		{"spdx packages wrong", "{\"spdxVersion\":\"SPDX-2.3\",\n\"packages\": [{\"name\": true}]}", "packages.name: expected string"},
		{"spdx3 graph missing", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}`, "@graph: missing"},
		{"tag-value bad", "SPDXVersion: SPDX-2.3\nDataLicense CC0-1.0\n", "invalid SPDX document"},
		{"deep nesting", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"x\":" + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "}", "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("x.json", []byte(tt.data))
			if err == nil {
				t.Fatal("Decode succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	_, err := Decode("big.json", make([]byte, MaxSize+1))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Decode of %d bytes: error %v, want a size error", MaxSize+1, err)
	}
}

func TestReadMissingFile(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "none.json"))
	if err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("Read of a missing file: error %v, want one naming the file", err)
	}
}
