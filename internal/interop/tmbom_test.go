package interop

import (
	"slices"
	"strings"
	"testing"
)

func TestTMBOMPytmExample(t *testing.T) {
	res := importFile(t, corpusFile(t, "tmbom/tmbom-pytm-example.cdx.json"))
	m, _ := writeAndParse(t, res)

	if res.Report.Format != TMBOM || m.System.Name != "example-application" || m.System.Document.Owner != "Example Security Architects, Example Dev Team" {
		t.Errorf("format %s, system %+v", res.Report.Format, m.System)
	}
	if b := boundaryByID(m, "user-web"); b == nil || b.Name != "User/Web" {
		t.Errorf("boundary user-web = %+v", b)
	}
	db := elementByID(m, "sql-database")
	if db == nil || db.Kind != "store" || db.Boundary != "web-db" || !db.Scope.Out {
		t.Errorf("sql-database = %+v, want an out-of-scope store in web-db", db)
	}
	if db.Attributes["platform"] != "CentOS" || db.Attributes["datastore_isSql"] != "true" {
		t.Errorf("sql-database attributes = %v", db.Attributes)
	}
	if e := elementByID(m, "cleandbevery6hours"); e == nil || e.Kind != "process" || e.Attributes["tmbom_type"] != "lambda" {
		t.Errorf("lambda = %+v", e)
	}
	if e := elementByID(m, "user"); e == nil || e.Kind != "entity" || e.Boundary != "user-web" {
		t.Errorf("user = %+v", e)
	}

	f := flowByID(m, "user-enters-comments")
	if f == nil || f.From != "user" || f.To != "web-server" || f.Protocol.Name != "http" || f.Protocol.Port != "80" || f.Encryption == nil || *f.Encryption {
		t.Fatalf("user-enters-comments = %+v", f)
	}
	if len(f.Data) != 1 || dataByID(m, f.Data[0]).Name != "Comments in HTML or Markdown" {
		t.Errorf("flow data = %v", f.Data)
	}
	if f := flowByID(m, "insert-query-with-comments"); f == nil || f.Protocol.Name != "mysql" || f.Protocol.Port != "3306" {
		t.Errorf("insert query flow = %+v", f)
	}
	if len(m.Protocols) != 1 || m.Protocols[0].ID != "mysql" {
		t.Errorf("protocols added = %+v", m.Protocols)
	}
}

func TestTMBOMOTMExample(t *testing.T) {
	res := importFile(t, corpusFile(t, "tmbom/tmbom-otm-example.cdx.json"))
	m, _ := writeAndParse(t, res)

	if m.System.Name != "Test application" || m.System.Document.Owner != "John Doe" {
		t.Errorf("system = %+v", m.System)
	}
	cc := dataByID(m, "credit-card-data")
	if cc == nil || cc.Confidentiality != "high" || cc.Integrity != "high" || cc.Availability != "high" {
		t.Errorf("credit card data = %+v", cc)
	}
	if d := dataByID(m, "public-info"); d == nil || d.Confidentiality != "low" || d.Availability != "medium" {
		t.Errorf("public info = %+v", d)
	}
	ws := elementByID(m, "web-service")
	if ws == nil || ws.Boundary != "private" || !slices.Equal(ws.Stores, []string{"credit-card-data", "public-info"}) || !slices.Equal(ws.Tags, []string{"external"}) {
		t.Errorf("web-service = %+v", ws)
	}
	f := flowByID(m, "cc-store-in-db")
	if f == nil || !f.Bidirectional || !slices.Equal(f.Data, []string{"credit-card-data"}) || f.To != "customer-database" {
		t.Errorf("cc-store-in-db = %+v", f)
	}
	if notes := res.Notes.ItemNotes("boundaries", "internet"); !slices.Contains(notes, "TMBOM trust rating: 20") {
		t.Errorf("internet notes = %q", notes)
	}
	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{`repository "Application Code"`, `code "Class CustomerDatabase"`, "cdx:model:shape properties) of 5 items"} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
}

// TestTMBOMCorners covers threats, mitigations, services and dependencies,
// which the published TMBOM examples do not have, in a file of our own.
func TestTMBOMCorners(t *testing.T) {
	res := importFile(t, "testdata/corner.tmbom.json")
	m, _ := writeAndParse(t, res)

	if m.System.Name != "Insulinpumpe" || m.System.Version != "3.1" {
		t.Errorf("system = %+v", m.System)
	}
	if b := boundaryByID(m, "enclosure"); b == nil || b.Parent != "home" {
		t.Errorf("enclosure = %+v", b)
	}
	if a, b := boundaryByID(m, "loop-a"), boundaryByID(m, "loop-b"); a.Parent != "loop-b" || b.Parent != "" {
		t.Errorf("loop-a parent %q, loop-b parent %q; want the cycle cut at loop-b", a.Parent, b.Parent)
	}
	if e := elementByID(m, "fw"); e == nil || e.Technology.OS != "Zephyr" || e.Boundary != "enclosure" {
		t.Errorf("fw = %+v", e)
	}
	if e := elementByID(m, "log"); e == nil || e.Encrypted == nil || *e.Encrypted || !slices.Equal(e.Stores, []string{"dose"}) {
		t.Errorf("log = %+v", e)
	}

	threats := []struct {
		id, element, status, stride string
		controls                    []string
	}{
		{"t-replay", "fw", "mitigated", "tampering", []string{"m-nonce"}},
		{"t-sniff", "f-ble", "open", "information-disclosure", []string{"m-encrypt"}},
		{"t-vague", "whole-system", "open", "", nil},
	}
	for _, tt := range threats {
		th := threatByID(m, tt.id)
		if th == nil || th.Element != tt.element || th.Status != tt.status || th.STRIDE != tt.stride || !slices.Equal(th.Controls, tt.controls) {
			t.Errorf("threat %s = %+v, want on %s, %s, %s, controls %v", tt.id, th, tt.element, tt.status, tt.stride, tt.controls)
		}
	}
	if c := controlByID(m, "m-nonce"); c == nil || c.Status != "implemented" {
		t.Errorf("m-nonce = %+v", c)
	}
	if c := controlByID(m, "m-encrypt"); c == nil || c.Status != "planned" || c.Category != "cryptography" {
		t.Errorf("m-encrypt = %+v", c)
	}

	ble := flowByID(m, "f-ble")
	if ble == nil || ble.Protocol.Name != "ble" || ble.Authentication != "mutual" || !slices.Equal(ble.Data, []string{"bolus-amount", "dose"}) {
		t.Errorf("f-ble = %+v", ble)
	}

	// Services: the cloud is a process in its trust zone, the EHR an
	// entity because it is marked x-trust-boundary; data entries become
	// flows in their direction.
	if e := elementByID(m, "cloud"); e == nil || e.Kind != "process" || e.Boundary != "vendor-cloud" || len(e.Stores) != 3 {
		t.Errorf("cloud = %+v", e)
	}
	if e := elementByID(m, "ehr"); e == nil || e.Kind != "entity" {
		t.Errorf("ehr = %+v", e)
	}
	flows := []struct {
		id, from, to string
		both         bool
	}{
		{"pump-cloud-therapy-history-inbound", "app", "cloud", false},
		{"pump-cloud-configuration-outbound", "cloud", "fw", false},
		{"pump-cloud-telemetry-bi-directional", "cloud", "ehr", true},
	}
	for _, tt := range flows {
		f := flowByID(m, tt.id)
		if f == nil || f.From != tt.from || f.To != tt.to || f.Bidirectional != tt.both || len(f.Data) != 1 {
			t.Errorf("flow %s = %+v, want %s -> %s", tt.id, f, tt.from, tt.to)
		}
	}

	if len(m.Dependencies) != 1 || m.Dependencies[0].Purl != "pkg:generic/mbedtls@3.5.2" || m.Dependencies[0].License != "Apache-2.0" || m.Dependencies[0].Supplier != "Arm" {
		t.Errorf("dependencies = %+v", m.Dependencies)
	}

	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{
		`boundary "Loop B" in "loop-a" would make a cycle`,
		`element "Phone app" is in boundary "nowhere"`,
		`code "Source"`,
		`processedBy "ghost"`,
		`dataflow "To nowhere"`,
		`"https://elsewhere.example", which is not an element`,
		`targets "gone"`,
		`component "README" of type "file"`,
		"vulnerabilities (1)",
	} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
}

func TestTMBOMInvalid(t *testing.T) {
	_, err := importBytes(t, "not-cdx.json", TMBOM, `{"bomFormat": "SPDX"}`)
	if d := firstDiag(t, err); d.Code != "invalid-tmbom" || d.Pos.Line != 1 {
		t.Errorf("diagnostic = %v", d)
	}
	res, err := importBytes(t, "empty.cdx.json", "", `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "threat-model", "name": "Leer"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := writeAndParse(t, res)
	if len(m.Elements) != 1 || m.Elements[0].Name != "Leer" {
		t.Errorf("elements = %+v, want the lone untyped component as a process", m.Elements)
	}
}
