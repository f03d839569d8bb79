package sbom

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// bomOf builds a CycloneDX 1.5 JSON SBOM from purls; a component depends on
// the next one in the list.
func bomOf(t *testing.T, purls ...string) *Document {
	t.Helper()
	var comps, deps []string
	for i, p := range purls {
		name := p[strings.LastIndex(p, "/")+1 : strings.LastIndex(p, "@")]
		version := p[strings.LastIndex(p, "@")+1:]
		comps = append(comps, fmt.Sprintf(`{"type":"library","bom-ref":%q,"name":%q,"version":%q,"purl":%q,"licenses":[{"license":{"id":"MIT"}}]}`, p, name, version, p))
		if i+1 < len(purls) {
			deps = append(deps, fmt.Sprintf(`{"ref":%q,"dependsOn":[%q]}`, p, purls[i+1]))
		}
	}
	js := `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[` + strings.Join(comps, ",") + `],"dependencies":[` + strings.Join(deps, ",") + `]}`
	doc, err := Decode("bom.json", []byte(js))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return doc
}

// apply turns changes into the dependency list an import writes.
func apply(existing []model.Dependency, changes []Change) []model.Dependency {
	out := slices.Clone(existing)
	for _, c := range changes {
		if c.Kind == Added {
			out = append(out, c.Dependency)
		} else {
			out[c.Index] = c.Dependency
		}
	}
	return out
}

func kinds(changes []Change) map[string]string {
	m := map[string]string{}
	for _, c := range changes {
		m[c.Dependency.ID] = c.Kind.String()
	}
	return m
}

func TestMergeFirstImport(t *testing.T) {
	doc := bomOf(t, "pkg:npm/express@4.18.2", "pkg:npm/%40types/node@20.1.0", "pkg:npm/lodash@4.17.21")
	changes := Merge(nil, doc, ImportOptions{SBOM: "bom.json", Element: "web"})
	deps := apply(nil, changes)

	var ids []string
	for _, d := range deps {
		ids = append(ids, d.ID)
	}
	if want := []string{"npm-express", "npm-node", "npm-lodash"}; !slices.Equal(ids, want) {
		t.Errorf("IDs = %v, want %v", ids, want)
	}
	express := deps[0]
	want := model.Dependency{
		ID: "npm-express", Name: "express", Version: "4.18.2", Purl: "pkg:npm/express@4.18.2",
		Kind: "library", License: "MIT", Elements: []string{"web"}, DependsOn: []string{"npm-node"}, SBOM: "bom.json",
	}
	if diff := cmp.Diff(want, express, cmp.AllowUnexported(model.Source{})); diff != "" {
		t.Errorf("express (-want +got):\n%s", diff)
	}
	if deps[1].Name != "@types/node" {
		t.Errorf("scoped name = %q, want @types/node", deps[1].Name)
	}
}

func TestMergeReimportKeepsUserFields(t *testing.T) {
	first := apply(nil, Merge(nil, bomOf(t, "pkg:npm/express@4.18.2", "pkg:npm/lodash@4.17.20", "pkg:npm/left-pad@1.3.0"),
		ImportOptions{SBOM: "bom.json", Element: "web"}))

	// The user classifies and annotates the dependencies and links one to
	// a second element.
	for i := range first {
		first[i].Classification = "supported"
		first[i].Support = model.Support{Level: "active", Ends: "2027-01-01"}
		first[i].Notes = "reviewed"
		first[i].Kind = "application"
		first[i].CPE = "cpe:2.3:a:example:" + first[i].ID
	}
	first[0].Elements = append(first[0].Elements, "api")

	// The next SBOM upgrades lodash, drops left-pad and adds ws.
	changes := Merge(first, bomOf(t, "pkg:npm/express@4.18.2", "pkg:npm/lodash@4.17.21", "pkg:npm/ws@8.17.1"),
		ImportOptions{SBOM: "bom.json", Element: "web"})
	got := kinds(changes)
	want := map[string]string{"npm-express": "unchanged", "npm-lodash": "updated", "npm-left-pad": "removed", "npm-ws": "added"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("change kinds (-want +got):\n%s", diff)
	}

	deps := apply(first, changes)
	if len(deps) != 4 {
		t.Fatalf("%d dependencies after re-import, want 4 (left-pad is kept)", len(deps))
	}
	for _, d := range deps[:3] {
		if d.Classification != "supported" || d.Support.Level != "active" || d.Support.Ends != "2027-01-01" ||
			d.Notes != "reviewed" || d.Kind != "application" || !strings.HasPrefix(d.CPE, "cpe:2.3:a:example:") {
			t.Errorf("%s lost a user field: %+v", d.ID, d)
		}
	}
	if !slices.Equal(deps[0].Elements, []string{"web", "api"}) {
		t.Errorf("express elements = %v, want [web api]", deps[0].Elements)
	}
	if deps[1].Version != "4.17.21" || deps[1].Purl != "pkg:npm/lodash@4.17.21" {
		t.Errorf("lodash not upgraded: %+v", deps[1])
	}
	for _, c := range changes {
		if c.Dependency.ID == "npm-lodash" && !slices.Equal(c.Fields, []string{"version", "purl", "depends_on"}) {
			t.Errorf("lodash changed fields = %v, want [version purl depends_on]", c.Fields)
		}
	}
	if deps[3].ID != "npm-ws" || !slices.Equal(deps[3].Elements, []string{"web"}) {
		t.Errorf("added ws = %+v", deps[3])
	}
}

func TestMergeSameSBOMTwiceIsUnchanged(t *testing.T) {
	doc := bomOf(t, "pkg:npm/express@4.18.2", "pkg:npm/lodash@4.17.21")
	first := apply(nil, Merge(nil, doc, ImportOptions{SBOM: "bom.json"}))
	for _, c := range Merge(first, doc, ImportOptions{SBOM: "bom.json"}) {
		if c.Kind != Unchanged {
			t.Errorf("%s: %s %v, want unchanged", c.Dependency.ID, c.Kind, c.Fields)
		}
	}
}

func TestMergeSeveralVersionsGetVersionedIDs(t *testing.T) {
	doc := bomOf(t, "pkg:npm/lodash@2.4.2", "pkg:npm/lodash@4.17.21", "pkg:npm/lodash@4.17.21")
	deps := apply(nil, Merge(nil, doc, ImportOptions{SBOM: "bom.json"}))
	var ids []string
	for _, d := range deps {
		ids = append(ids, d.ID)
	}
	if want := []string{"npm-lodash-2.4.2", "npm-lodash-4.17.21"}; !slices.Equal(ids, want) {
		t.Errorf("IDs = %v, want %v (duplicates merged)", ids, want)
	}
}

func TestMergeMatchesHandWrittenDependency(t *testing.T) {
	existing := []model.Dependency{{ID: "express", Name: "Express", Version: "4.17.0", Purl: "pkg:npm/express@4.17.0", Classification: "required"}}
	changes := Merge(existing, bomOf(t, "pkg:npm/express@4.18.2"), ImportOptions{SBOM: "bom.json"})
	if len(changes) != 1 || changes[0].Kind != Updated || changes[0].Dependency.ID != "express" {
		t.Fatalf("changes = %+v, want the hand-written express updated", changes)
	}
	if d := changes[0].Dependency; d.Classification != "required" || d.Version != "4.18.2" {
		t.Errorf("merged = %+v", d)
	}
}

func TestMergeCorpusIDsUnique(t *testing.T) {
	doc, err := Read(corpusFile(t, "cyclonedx/juice-shop-npm.bom.1.4.json"))
	if err != nil {
		t.Fatal(err)
	}
	deps := apply(nil, Merge(nil, doc, ImportOptions{SBOM: "bom.json"}))
	seen := map[string]bool{}
	for _, d := range deps {
		if seen[d.ID] {
			t.Errorf("duplicate ID %s", d.ID)
		}
		seen[d.ID] = true
		if d.ID == "" || strings.Trim(d.ID, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "" {
			t.Errorf("ID %q has characters outside [a-z0-9._-]", d.ID)
		}
	}
	if !seen["npm-lodash-2.4.2"] || !seen["npm-lodash-4.17.21"] || !seen["npm-express"] {
		t.Errorf("expected IDs missing among %d dependencies", len(deps))
	}
	// Re-importing the same file changes nothing.
	for _, c := range Merge(deps, doc, ImportOptions{SBOM: "bom.json"}) {
		if c.Kind != Unchanged {
			t.Fatalf("re-import: %s is %s (%v)", c.Dependency.ID, c.Kind, c.Fields)
		}
	}
}

func TestResolve(t *testing.T) {
	dir := corpusFile(t, "")
	m := &model.Model{
		SBOMs:        []string{"cyclonedx/cern-lhc-vdm-editor-npm.bom.json", "missing.json"},
		Dependencies: []model.Dependency{{ID: "ws", Name: "ws", Purl: "pkg:npm/ws@6.2.1", Classification: "supported"}},
	}
	entries := []diag.Pos{{File: "ward.yaml", Line: 9, Col: 5}, {File: "ward.yaml", Line: 10, Col: 5}}
	m.SetFields(diag.Pos{File: "ward.yaml", Line: 1, Col: 1}, []model.FieldPos{{Key: "sboms", Pos: diag.Pos{File: "ward.yaml", Line: 8, Col: 7}, Items: entries}})
	deps, diags := Resolve(m, dir)
	if len(deps) != 43 {
		t.Errorf("Resolve: %d dependencies, want 43 (the hand-written ws merged with the SBOM's)", len(deps))
	}
	if deps[0].ID != "ws" || deps[0].Classification != "supported" || deps[0].SBOM == "" {
		t.Errorf("ws = %+v, want the model's entry with the SBOM recorded", deps[0])
	}
	if len(diags) != 1 || diags[0].Code != "sbom-unreadable" || !strings.Contains(diags[0].Summary, "missing.json") {
		t.Errorf("diags = %v, want one sbom-unreadable naming missing.json", diags)
	}
	if len(diags) == 1 && diags[0].Pos != entries[1] {
		t.Errorf("sbom-unreadable at %s, want the entry's position %s", diags[0].Pos, entries[1])
	}
	if len(m.Dependencies) != 1 {
		t.Error("Resolve changed the model")
	}
}

func TestNTIA(t *testing.T) {
	doc, err := Read(corpusFile(t, "spdx/example6-lib.spdx"))
	if err != nil {
		t.Fatal(err)
	}
	gaps, docMissing := doc.NTIA()
	if len(docMissing) != 0 {
		t.Errorf("document missing %v, want nothing", docMissing)
	}
	if len(gaps) != 5 {
		t.Fatalf("%d components with gaps, want 5", len(gaps))
	}
	// go-1.15 has a supplier but no purl; the others lack both.
	if want := []string{ElementIdentifier}; !slices.Equal(gaps[0].Missing, want) {
		t.Errorf("go-1.15 missing %v, want %v", gaps[0].Missing, want)
	}
	if want := []string{ElementSupplier, ElementIdentifier}; !slices.Equal(gaps[1].Missing, want) {
		t.Errorf("go compiler missing %v, want %v", gaps[1].Missing, want)
	}
	list := doc.NTIADiagnostics()
	if len(list) != 5 || list[0].Pos.Line != 11 || list[0].Code != "ntia-missing-element" || list[0].Path != "packages[0]" {
		t.Errorf("diagnostics = %v", list)
	}

	cern, err := Read(corpusFile(t, "cyclonedx/cern-lhc-vdm-editor-npm.bom.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, docMissing = cern.NTIA()
	if !slices.Equal(docMissing, []string{ElementAuthor}) {
		t.Errorf("cern document missing %v, want [author] (it names only a tool)", docMissing)
	}
	if d := cern.NTIADiagnostics(); !strings.Contains(d[0].Summary, "only the tool") {
		t.Errorf("first diagnostic %q does not mention the tool", d[0].Summary)
	}
}

func TestMergeFillsMissingSupportFields(t *testing.T) {
	existing := []model.Dependency{
		{ID: "npm-express", Name: "express", Version: "4.18.2", Purl: "pkg:npm/express@4.18.2", Kind: "library",
			License: "MIT", DependsOn: []string{"npm-lodash"}, SBOM: "bom.json",
			Classification: "maintained", Support: model.Support{Level: "security-only"}},
	}
	doc := bomOf(t, "pkg:npm/express@4.18.2", "pkg:npm/lodash@4.17.21")
	opts := ImportOptions{SBOM: "bom.json", Classification: "supported",
		Support: model.Support{Level: "active", Ends: "2028-12-31"}}
	changes := Merge(existing, doc, opts)
	deps := apply(existing, changes)

	express, lodash := deps[0], deps[1]
	if express.Classification != "maintained" || express.Support.Level != "security-only" {
		t.Errorf("express classification %q, support %q: the import replaced values the model had",
			express.Classification, express.Support.Level)
	}
	if express.Support.Ends != "2028-12-31" {
		t.Errorf("express support ends %q, want the missing date filled in", express.Support.Ends)
	}
	if want := []string{"support"}; !slices.Equal(changes[0].Fields, want) {
		t.Errorf("express changed fields %v, want %v", changes[0].Fields, want)
	}
	if lodash.Classification != "supported" || lodash.Support.Level != "active" || lodash.Support.Ends != "2028-12-31" {
		t.Errorf("added lodash classification %q, support %+v", lodash.Classification, lodash.Support)
	}

	// Without the options, a reimport changes nothing.
	again := Merge(deps, doc, ImportOptions{SBOM: "bom.json"})
	if got := kinds(again); got["npm-express"] != "unchanged" || got["npm-lodash"] != "unchanged" {
		t.Errorf("second import kinds = %v, want both unchanged", got)
	}
}

func TestMergeFlagsDowngrade(t *testing.T) {
	first := apply(nil, Merge(nil, bomOf(t, "pkg:npm/lodash@4.17.21", "pkg:npm/express@4.18.2"), ImportOptions{SBOM: "bom.json"}))
	changes := Merge(first, bomOf(t, "pkg:npm/lodash@4.17.20", "pkg:npm/express@4.19.0"), ImportOptions{SBOM: "bom.json"})
	old := map[string]string{}
	for _, c := range changes {
		old[c.Dependency.ID] = c.OldVersion
	}
	if old["npm-lodash"] != "4.17.21" {
		t.Errorf("lodash OldVersion = %q, want 4.17.21 for the downgrade", old["npm-lodash"])
	}
	if old["npm-express"] != "" {
		t.Errorf("express OldVersion = %q, want none for an upgrade", old["npm-express"])
	}
}
