package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wardtm/ward/internal/model"
)

// schemaVocabularies maps each vocabulary definition in the schema's $defs
// to the Go vocabulary it must list, in the same order.
var schemaVocabularies = map[string]struct {
	name  string
	vocab model.Vocabulary
}{
	"lifecycle":           {"Lifecycles", model.Lifecycles},
	"elementKind":         {"ElementKinds", model.ElementKinds},
	"dataCategory":        {"DataCategories", model.DataCategories},
	"level":               {"Levels", model.Levels},
	"boundaryKind":        {"BoundaryKinds", model.BoundaryKinds},
	"role":                {"Roles", model.Roles},
	"protocol":            {"Protocols", model.Protocols},
	"interfaceKind":       {"InterfaceKinds", model.InterfaceKinds},
	"exposure":            {"Exposures", model.Exposures},
	"productionState":     {"ProductionStates", model.ProductionStates},
	"authentication":      {"Authentications", model.Authentications},
	"dependencyKind":      {"DependencyKinds", model.DependencyKinds},
	"classification":      {"Classifications", model.Classifications},
	"supportLevel":        {"SupportLevels", model.SupportLevels},
	"controlCategory":     {"ControlCategories", model.ControlCategories},
	"controlStatus":       {"ControlStatuses", model.ControlStatuses},
	"threatStatus":        {"ThreatStatuses", model.ThreatStatuses},
	"stride":              {"STRIDECategories", model.STRIDECategories},
	"attackVector":        {"AttackVectors", model.AttackVectors},
	"lifecyclePhase":      {"LifecyclePhases", model.LifecyclePhases},
	"issueSource":         {"IssueSources", model.IssueSources},
	"issueStatus":         {"IssueStatuses", model.IssueStatuses},
	"disclosureDecision":  {"DisclosureDecisions", model.DisclosureDecisions},
	"reviewKind":          {"ReviewKinds", model.ReviewKinds},
	"reviewOutcome":       {"ReviewOutcomes", model.ReviewOutcomes},
	"vulnerabilityStatus": {"VulnerabilityStatuses", model.VulnerabilityStatuses},
	"vexJustification":    {"VEXJustifications", model.VEXJustifications},
	"patientReach":        {"PatientReach", model.PatientReach},
	"viewName":            {"ViewNames", model.ViewNames},
}

// openVocabularies are the vocabularies a model may extend. Their schema
// definitions accept the built-in values and any name in ID form.
var openVocabularies = map[string]bool{"protocol": true, "role": true}

// decodeSchema returns the embedded schema as generic JSON values.
func decodeSchema(t *testing.T) map[string]any {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(model.Schema(), &s); err != nil {
		t.Fatalf("json.Unmarshal(model.Schema()): %v", err)
	}
	return s
}

// compileSchema compiles the embedded schema with an independent validator,
// with format assertions on so that "format": "date" is checked.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(model.Schema()))
	if err != nil {
		t.Fatalf("jsonschema.UnmarshalJSON(model.Schema()): %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(model.SchemaID, doc); err != nil {
		t.Fatalf("AddResource(%s): %v", model.SchemaID, err)
	}
	sch, err := c.Compile(model.SchemaID)
	if err != nil {
		t.Fatalf("Compile(%s): %v", model.SchemaID, err)
	}
	return sch
}

// yamlToInstance converts a YAML document to the value the validator checks.
func yamlToInstance(t *testing.T, src []byte) any {
	t.Helper()
	js, err := yaml.YAMLToJSON(src)
	if err != nil {
		t.Fatalf("yaml.YAMLToJSON: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatalf("jsonschema.UnmarshalJSON(%s): %v", js, err)
	}
	return inst
}

func TestSchemaHeader(t *testing.T) {
	s := decodeSchema(t)
	if got, want := s["$schema"], "https://json-schema.org/draft/2020-12/schema"; got != want {
		t.Errorf("$schema = %v, want %v", got, want)
	}
	if got := s["$id"]; got != model.SchemaID {
		t.Errorf("$id = %v, want %v", got, model.SchemaID)
	}
	compileSchema(t)
}

func TestSchemaReturnsCopy(t *testing.T) {
	a := model.Schema()
	a[0] = 'x'
	if b := model.Schema(); b[0] != '{' {
		t.Errorf("Schema()[0] = %q after the caller changed its copy, want '{'", b[0])
	}
}

// TestSchemaVocabulariesMatchGo is the drift test: every vocabulary in
// vocab.go has a schema definition listing the same values and meanings.
func TestSchemaVocabulariesMatchGo(t *testing.T) {
	defs := decodeSchema(t)["$defs"].(map[string]any)

	for defName, v := range schemaVocabularies {
		t.Run(defName, func(t *testing.T) {
			def, ok := defs[defName].(map[string]any)
			if !ok {
				t.Fatalf("$defs/%s missing, want the values of model.%s", defName, v.name)
			}
			enumHolder := def
			if openVocabularies[defName] {
				anyOf, ok := def["anyOf"].([]any)
				if !ok || len(anyOf) != 2 {
					t.Fatalf("$defs/%s: want anyOf of the built-in enum and a pattern, got %v", defName, def)
				}
				enumHolder = anyOf[0].(map[string]any)
				pattern := anyOf[1].(map[string]any)
				if pattern["type"] != "string" || pattern["pattern"] == nil {
					t.Errorf("$defs/%s: second anyOf branch = %v, want a string with a pattern", defName, pattern)
				}
				if !strings.Contains(def["description"].(string), "open") {
					t.Errorf("$defs/%s: description does not say the list is open", defName)
				}
			}
			if diff := cmp.Diff(v.vocab.IDs(), toStrings(enumHolder["enum"])); diff != "" {
				t.Errorf("$defs/%s enum differs from model.%s (-go +schema):\n%s", defName, v.name, diff)
			}
			var docs []string
			for _, term := range v.vocab {
				docs = append(docs, term.Doc)
			}
			if diff := cmp.Diff(docs, toStrings(enumHolder["enumDescriptions"])); diff != "" {
				t.Errorf("$defs/%s enumDescriptions differ from model.%s (-go +schema):\n%s", defName, v.name, diff)
			}
		})
	}

	// Every enum in the schema must come from a Go vocabulary.
	for defName, def := range defs {
		if _, ok := def.(map[string]any)["enum"]; ok {
			if _, known := schemaVocabularies[defName]; !known {
				t.Errorf("$defs/%s has an enum that no Go vocabulary backs; add it to vocab.go and to schemaVocabularies", defName)
			}
		}
	}
}

// TestSchemaCoversEveryVocabulary parses vocab.go so that a vocabulary
// added there without a schema definition fails this test.
func TestSchemaCoversEveryVocabulary(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "vocab.go", nil, 0)
	if err != nil {
		t.Fatalf("parse vocab.go: %v", err)
	}
	covered := map[string]bool{}
	for _, v := range schemaVocabularies {
		covered[v.name] = true
	}

	var declared []string
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.CompositeLit)
				if !ok {
					continue
				}
				if typ, ok := lit.Type.(*ast.Ident); ok && typ.Name == "Vocabulary" {
					declared = append(declared, name.Name)
				}
			}
		}
	}
	if len(declared) < 20 {
		t.Fatalf("found %d vocabularies in vocab.go, want at least 20: is the parse right?", len(declared))
	}
	for _, name := range declared {
		if !covered[name] {
			t.Errorf("vocab.go declares %s but the schema test maps no $defs entry to it", name)
		}
	}
}

// TestSchemaMatchesGoTypes walks the model's Go types and the schema side
// by side: every json key of a struct is a schema property and the other way
// round, required keys are those without omitempty or omitzero, and the JSON
// types agree.
func TestSchemaMatchesGoTypes(t *testing.T) {
	s := decodeSchema(t)
	w := &schemaWalker{t: t, defs: s["$defs"].(map[string]any), seen: map[reflect.Type]bool{}}
	w.object("$", reflect.TypeFor[model.Model](), s)
	if len(w.seen) < 25 {
		t.Errorf("walked %d struct types, want at least 25: is the walk following references?", len(w.seen))
	}
}

type schemaWalker struct {
	t    *testing.T
	defs map[string]any
	seen map[reflect.Type]bool
}

// resolve follows a local $ref.
func (w *schemaWalker) resolve(node map[string]any) map[string]any {
	ref, ok := node["$ref"].(string)
	if !ok {
		return node
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		w.t.Fatalf("$ref %q is not local to $defs", ref)
	}
	def, ok := w.defs[name].(map[string]any)
	if !ok {
		w.t.Fatalf("$ref %q names no definition", ref)
	}
	return w.resolve(def)
}

// jsonType returns the JSON type a schema node accepts, looking through an
// open vocabulary's anyOf.
func (w *schemaWalker) jsonType(node map[string]any) string {
	if typ, ok := node["type"].(string); ok {
		return typ
	}
	if anyOf, ok := node["anyOf"].([]any); ok {
		first := w.jsonType(anyOf[0].(map[string]any))
		for _, branch := range anyOf[1:] {
			if other := w.jsonType(branch.(map[string]any)); other != first {
				return "mixed"
			}
		}
		return first
	}
	if c, ok := node["const"].(float64); ok && c == float64(int(c)) {
		return "integer"
	}
	return ""
}

func (w *schemaWalker) value(path string, typ reflect.Type, node map[string]any) {
	node = w.resolve(node)
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	got := w.jsonType(node)

	var want string
	switch typ.Kind() {
	case reflect.String:
		want = "string"
	case reflect.Bool:
		want = "boolean"
	case reflect.Int:
		want = "integer"
	case reflect.Slice:
		want = "array"
	case reflect.Struct, reflect.Map:
		want = "object"
	default:
		w.t.Errorf("%s: Go kind %s has no JSON mapping in this test", path, typ.Kind())
		return
	}
	if got != want {
		w.t.Errorf("%s: schema type %q, want %q for Go type %s", path, got, want, typ)
		return
	}

	switch typ.Kind() {
	case reflect.Slice:
		items, ok := node["items"].(map[string]any)
		if !ok {
			w.t.Errorf("%s: array without items", path)
			return
		}
		w.value(path+"[]", typ.Elem(), items)
	case reflect.Map:
		if node["additionalProperties"] == false {
			w.t.Errorf("%s: map type %s has additionalProperties false", path, typ)
		}
		if typ.Elem().Kind() != reflect.Interface {
			if values, ok := node["additionalProperties"].(map[string]any); ok {
				w.value(path+".*", typ.Elem(), values)
			} else {
				w.t.Errorf("%s: map of %s has no additionalProperties schema", path, typ.Elem())
			}
		}
	case reflect.Struct:
		w.object(path, typ, node)
	}
}

func (w *schemaWalker) object(path string, typ reflect.Type, node map[string]any) {
	w.seen[typ] = true
	if node["additionalProperties"] != false {
		w.t.Errorf("%s: object for %s does not set additionalProperties false", path, typ)
	}
	props, _ := node["properties"].(map[string]any)

	goKeys, goRequired := []string{}, []string{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		goKeys = append(goKeys, name)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			goRequired = append(goRequired, name)
		}
		prop, ok := props[name].(map[string]any)
		if !ok {
			w.t.Errorf("%s: Go field %s.%s (json %q) has no schema property", path, typ.Name(), f.Name, name)
			continue
		}
		w.value(path+"."+name, f.Type, prop)
	}
	for name := range props {
		if !slices.Contains(goKeys, name) {
			w.t.Errorf("%s: schema property %q has no field in Go type %s", path, name, typ)
		}
	}

	slices.Sort(goRequired)
	schemaRequired := toStrings(node["required"])
	slices.Sort(schemaRequired)
	if diff := cmp.Diff(goRequired, schemaRequired); diff != "" {
		w.t.Errorf("%s: required keys of %s differ (-go +schema):\n%s", path, typ, diff)
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}

// TestExamplesValidateAgainstSchema checks every example model with the
// independent validator.
func TestExamplesValidateAgainstSchema(t *testing.T) {
	sch := compileSchema(t)
	paths, err := filepath.Glob("../../examples/*/ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 2 {
		t.Fatalf("found %d example models, want at least insulin-pump and minimal", len(paths))
	}
	for _, p := range paths {
		t.Run(filepath.Base(filepath.Dir(p)), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(yamlToInstance(t, src)); err != nil {
				t.Errorf("%s does not match the schema:\n%v", p, err)
			}
		})
	}
}

// TestSchemaRejectsMistakes makes sure the schema is strict enough to be
// useful in an editor: each document differs from a valid one in one place.
func TestSchemaRejectsMistakes(t *testing.T) {
	sch := compileSchema(t)
	const head = "ward: 1\nsystem: {id: s, name: S, document: {id: D, version: \"1\"}, lifecycle: development}\n"
	tests := []struct {
		name  string
		doc   string
		valid bool
	}{
		{"minimal", head, true},
		{"user protocol", head + "flows: [{id: f, from: a, to: b, protocol: {name: my-bus}}]\n", true},
		{"user role", head + "elements: [{id: e, kind: entity, name: E, role: pharmacist}]\n", true},
		{"built-in protocol", head + "interfaces: [{id: i, of: e, kind: usb, exposure: external, protocols: [usb]}]\n", true},
		{"disposition", head + "threats: [{match: stride.*@f, status: mitigated}]\n", true},
		{"hand-written threat", head + "threats: [{id: T-1, title: Relay attack, element: e, stride: spoofing}]\n", true},
		{"out of scope with reason", head + "flows: [{id: f, from: a, to: b, scope: {out: true, reason: bench only}}]\n", true},
		{"not affected with justification", head + "vulnerabilities: [{id: CVE-2024-1, status: not-affected, justification: component_not_present}]\n", true},
		{"view omitted", head + "views: {omit: {multi-patient: no element reaches many patients}}\n", true},

		{"wrong format version", strings.Replace(head, "ward: 1", "ward: 2", 1), false},
		{"missing system", "ward: 1\n", false},
		{"unknown top-level key", head + "element: []\n", false},
		{"unknown nested key", head + "data: [{id: d, name: D, category: phi, confidentialty: high}]\n", false},
		{"bad element kind", head + "elements: [{id: e, kind: server, name: E}]\n", false},
		{"bad data category", head + "data: [{id: d, name: D, category: secret}]\n", false},
		{"bad control category", head + "controls: [{id: c, name: C, category: encryption}]\n", false},
		{"protocol with spaces", head + "flows: [{id: f, from: a, to: b, protocol: {name: My Bus}}]\n", false},
		{"malformed date", head + "reviews: [{date: 2026-13-45, kind: periodic}]\n", false},
		{"date as words", head + "reviews: [{date: last tuesday, kind: periodic}]\n", false},
		{"bad cvss", head + "issues: [{id: I, title: T, cvss: \"AV:N/AC:L\"}]\n", false},
		{"bad cwe", head + "issues: [{id: I, title: T, cwe: [\"307\"]}]\n", false},
		{"number for string", head + "dependencies: [{id: d, name: D, version: 1.5}]\n", false},
		{"threat with match and id", head + "threats: [{match: x@y, status: open, id: T-1, title: T, element: e}]\n", false},
		{"threat with neither", head + "threats: [{status: open}]\n", false},
		{"disposition without status", head + "threats: [{match: x@y}]\n", false},
		{"hand-written threat without element", head + "threats: [{id: T-1, title: Relay attack}]\n", false},
		{"out of scope without reason", head + "flows: [{id: f, from: a, to: b, scope: {out: true}}]\n", false},
		{"not affected without justification", head + "vulnerabilities: [{id: CVE-2024-1, status: not-affected}]\n", false},
		{"ID with @", head + "hazards: [{id: H@1, name: H}]\n", false},
		{"unknown view", head + "views: {omit: {fancy: because}}\n", false},
		{"flow without to", head + "flows: [{id: f, from: a}]\n", false},
		{"use case without flows", head + "views: {use_cases: [{id: u, name: U, flows: []}]}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sch.Validate(yamlToInstance(t, []byte(tt.doc)))
			if tt.valid && err != nil {
				t.Errorf("Validate(%q) = %v, want valid", tt.doc, err)
			}
			if !tt.valid && err == nil {
				t.Errorf("Validate(%q) = nil, want an error", tt.doc)
			}
			if err != nil {
				t.Log(err)
			}
		})
	}
}

// readModelDoc returns docs/model.md, the field reference.
func readModelDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/model.md")
	if err != nil {
		t.Fatalf("read field reference: %v", err)
	}
	return string(b)
}

// TestDocsListEveryKeyAndValue keeps docs/model.md in step with the
// schema: every key of every object has a table row, and every value of
// every vocabulary is listed with its meaning.
func TestDocsListEveryKeyAndValue(t *testing.T) {
	doc := readModelDoc(t)
	s := decodeSchema(t)
	defs := s["$defs"].(map[string]any)

	objects := map[string]map[string]any{"(root)": s}
	for name, def := range defs {
		objects[name] = def.(map[string]any)
	}
	for name, obj := range objects {
		props, _ := obj["properties"].(map[string]any)
		for key := range props {
			if !strings.Contains(doc, "| `"+key+"` |") {
				t.Errorf("docs/model.md has no table row for key %q of %s", key, name)
			}
		}
	}

	for defName, v := range schemaVocabularies {
		for _, term := range v.vocab {
			if row := "| `" + term.ID + "` | " + term.Doc + " |"; !strings.Contains(doc, row) {
				t.Errorf("docs/model.md lacks the row %q of $defs/%s", row, defName)
			}
		}
	}
}

// TestDocsExamplesMatchSchema validates every YAML example in
// docs/model.md. Examples show one section, so each is completed with the
// required top-level keys before it is checked.
func TestDocsExamplesMatchSchema(t *testing.T) {
	sch := compileSchema(t)
	doc := readModelDoc(t)
	blocks := strings.Split(doc, "```yaml\n")[1:]
	if len(blocks) < 15 {
		t.Fatalf("found %d YAML examples in docs/model.md, want one per section", len(blocks))
	}
	for i, block := range blocks {
		block, _, _ = strings.Cut(block, "```")
		inst, ok := yamlToInstance(t, []byte(block)).(map[string]any)
		if !ok {
			t.Errorf("example %d is not a mapping:\n%s", i+1, block)
			continue
		}
		if _, ok := inst["ward"]; !ok {
			inst["ward"] = json.Number("1")
		}
		if _, ok := inst["system"]; !ok {
			inst["system"] = map[string]any{
				"id": "s", "name": "S", "lifecycle": "development",
				"document": map[string]any{"id": "D", "version": "1"},
			}
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("example %d of docs/model.md does not match the schema:\n%s\n%v", i+1, block, err)
		}
	}
}

// draft07Keywords are the schema keywords that mean the same in draft-07
// and draft 2020-12. Editors' YAML support validates with draft-07 rules,
// so docs/editors.md promises that the schema uses no others.
// enumDescriptions is VS Code's annotation for the meaning of each value.
var draft07Keywords = map[string]bool{
	"$schema": true, "$id": true, "$ref": true, "$defs": true, "title": true, "description": true,
	"type": true, "properties": true, "additionalProperties": true, "required": true,
	"propertyNames": true, "items": true, "minItems": true, "enum": true, "enumDescriptions": true,
	"const": true, "pattern": true, "minLength": true, "maxLength": true, "minimum": true,
	"format": true, "anyOf": true, "oneOf": true, "if": true, "then": true,
}

// TestSchemaWorksAsDraft07 checks that every schema node uses only keywords
// that draft-07 reads the same way, with nothing but a description beside
// $ref, because draft-07 ignores the siblings of $ref.
func TestSchemaWorksAsDraft07(t *testing.T) {
	var walk func(path string, node map[string]any)
	walk = func(path string, node map[string]any) {
		for key, value := range node {
			if !draft07Keywords[key] {
				t.Errorf("%s: keyword %q is not in the draft-07 compatible set", path, key)
			}
			if _, ok := node["$ref"]; ok && key != "$ref" && key != "description" {
				t.Errorf("%s: %q beside $ref is ignored by draft-07 validators", path, key)
			}
			switch key {
			case "properties", "$defs":
				for name, sub := range value.(map[string]any) {
					walk(path+"/"+key+"/"+name, sub.(map[string]any))
				}
			case "items", "additionalProperties", "propertyNames", "if", "then":
				if sub, ok := value.(map[string]any); ok {
					walk(path+"/"+key, sub)
				}
			case "anyOf", "oneOf":
				for i, sub := range value.([]any) {
					walk(fmt.Sprintf("%s/%s/%d", path, key, i), sub.(map[string]any))
				}
			}
		}
	}
	walk("#", decodeSchema(t))
}
