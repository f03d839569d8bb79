package interop

import (
	"errors"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
)

func TestThreatDragonV2Mapping(t *testing.T) {
	res := importFile(t, corpusFile(t, "threat-dragon/v2-threat-model.json"))
	m, _ := writeAndParse(t, res)
	if m.System.Name != "Demo Threat Model" || m.System.Document.Owner != "Mike Goodwin" {
		t.Errorf("system = %q owner %q", m.System.Name, m.System.Document.Owner)
	}
	if e := elementByID(m, "web-application"); e == nil || e.Kind != "process" || e.Name != "Web Application" {
		t.Errorf("web-application = %+v", e)
	}
	th := threatByID(m, "worker-config-accessing-db-credentials")
	if th == nil {
		t.Fatal("threat worker-config-accessing-db-credentials missing")
	}
	if th.Element != "worker-config" || th.Status != "open" || th.STRIDE != "information-disclosure" || !strings.Contains(th.Description, "Planned mitigation: Encrypt the DB credentials") {
		t.Errorf("threat = %+v", th)
	}
	if !strings.Contains(strings.Join(res.Report.Dropped, "\n"), `flow "Web Request" is not connected`) {
		t.Errorf("dropped = %q, want the flow to nowhere", res.Report.Dropped)
	}
	// Trust boundary lines become zones; elements joined by flows that
	// cross no line share one.
	if a, b := elementByID(m, "worker-config"), elementByID(m, "background-worker-process"); a.Boundary == "" || a.Boundary != b.Boundary {
		t.Errorf("worker config in %q, worker process in %q; want the same zone", a.Boundary, b.Boundary)
	}
	if a, b := elementByID(m, "web-application"), elementByID(m, "database"); a.Boundary == b.Boundary {
		t.Errorf("web application and database share zone %q across a boundary line", a.Boundary)
	}
}

func TestThreatDragonV1Mapping(t *testing.T) {
	res := importFile(t, corpusFile(t, "threat-dragon/v1-demo-threat-model.json"))
	m, _ := writeAndParse(t, res)
	f := flowByID(m, "web-request")
	if f == nil {
		t.Fatalf("flow web-request missing: %v", listFlowIDs(m))
	}
	if f.From != "browser" || f.To != "web-application" || f.Protocol.Name != "https" || f.Encryption == nil || !*f.Encryption {
		t.Errorf("web-request = %+v", f)
	}
	th := threatByID(m, "web-request-data-flow-should-use-http-s")
	if th == nil || th.Status != "mitigated" || !strings.HasPrefix(th.Justification, "The requests should require HTTP/S") {
		t.Errorf("threat = %+v", th)
	}
	if e := elementByID(m, "background-worker-process"); e == nil || e.Attributes["privilegeLevel"] != "executionContext =Limited" {
		t.Errorf("background worker = %+v", e)
	}
}

func TestThreatDragonBoxes(t *testing.T) {
	res := importFile(t, corpusFile(t, "threat-dragon/three-tier-web-app.json"))
	m, _ := writeAndParse(t, res)
	ui, svc, db := elementByID(m, "web-ui"), elementByID(m, "web-service"), elementByID(m, "postgressql")
	if ui == nil || svc == nil || db == nil {
		t.Fatalf("elements = %+v", m.Elements)
	}
	if ui.Boundary == "" || ui.Boundary == svc.Boundary {
		t.Errorf("web UI in %q, web service in %q; want two different boxes", ui.Boundary, svc.Boundary)
	}
	if svc.Boundary != db.Boundary {
		t.Errorf("web service in %q, database in %q; want the same box", svc.Boundary, db.Boundary)
	}
	if th := threatByID(m, "postgressql-store-sensitive-data"); th == nil || th.Status != "mitigated" {
		t.Errorf("threat = %+v", th)
	}
}

func TestOTMExampleMapping(t *testing.T) {
	for _, name := range []string{"otm/EXAMPLE.json", "otm/EXAMPLE.yaml"} {
		t.Run(name, func(t *testing.T) {
			res := importFile(t, corpusFile(t, name))
			m, _ := writeAndParse(t, res)
			if m.System.ID != "test-project" || m.System.Document.Owner != "John Doe" {
				t.Errorf("system = %+v", m.System)
			}
			if b := boundaryByID(m, "internet"); b == nil || b.Name != "Internet" {
				t.Errorf("trust zone internet = %+v", b)
			}
			if e := elementByID(m, "customer-database"); e == nil || e.Kind != "store" || e.Boundary != "private" {
				t.Errorf("customer-database = %+v", e)
			}
			f := flowByID(m, "cc-store-in-db")
			if f == nil || !f.Bidirectional || len(f.Data) != 1 || f.Data[0] != "cc-data" {
				t.Errorf("flow cc-store-in-db = %+v", f)
			}
			// Threat 1 is instantiated on a component and on a dataflow, so
			// it becomes one hand-written threat per target.
			if th := threatByID(m, "threat-1"); th == nil || th.Element != "web-service" || th.STRIDE != "spoofing" {
				t.Errorf("threat-1 = %+v", th)
			}
			th := threatByID(m, "threat-1-cc-store-in-db")
			if th == nil || th.Element != "cc-store-in-db" || th.Status != "open" || len(th.Controls) != 1 || th.Controls[0] != "this-is-the-name-of-mitigation-1" {
				t.Errorf("threat-1-cc-store-in-db = %+v", th)
			}
			if d := dataByID(m, "public-info"); d.Confidentiality != "low" || d.Integrity != "high" || d.Availability != "medium" {
				t.Errorf("public-info = %+v", d)
			}
			if len(m.Controls) != 2 {
				t.Errorf("controls = %d, want the 2 mitigations", len(m.Controls))
			}
		})
	}
}

func TestPytmMapping(t *testing.T) {
	res := importFile(t, corpusFile(t, "pytm/input.json"))
	m, _ := writeAndParse(t, res)
	if e := elementByID(m, "user"); e == nil || e.Kind != "entity" || e.Boundary != "internet" {
		t.Errorf("user = %+v", e)
	}
	if e := elementByID(m, "sql-database"); e == nil || e.Kind != "store" || e.Boundary != "server-db" {
		t.Errorf("sql-database = %+v", e)
	}
	if f := flowByID(m, "request"); f == nil || f.From != "user" || f.To != "web-server" || len(f.Data) != 1 || f.Description != "bbb" {
		t.Errorf("request = %+v", f)
	}
	if d := dataByID(m, "password"); d == nil || d.Category != "credential" || d.Confidentiality != "high" {
		t.Errorf("password = %+v", d)
	}
}

func TestThreatclMapping(t *testing.T) {
	path := corpusFile(t, "threatcl/tm1.json")
	res := importFile(t, path)
	m, _ := writeAndParse(t, res)
	if m.System.Name != "Tower of London" || len(m.Dependencies) != 1 || len(m.Controls) != 1 {
		t.Errorf("system %q, %d dependencies, %d controls", m.System.Name, len(m.Dependencies), len(m.Controls))
	}
	if th := threatByID(m, "crown-theft"); th == nil || th.Impact.Confidentiality != "high" || th.Element != "tower-of-london" || th.Controls[0] != "guard" {
		t.Errorf("crown-theft = %+v", th)
	}
	if !strings.Contains(strings.Join(res.Report.Dropped, "\n"), `"Fort Knox"`) {
		t.Errorf("dropped = %q, want the second threat model named", res.Report.Dropped)
	}

	data := readFile(t, path)
	other, err := Import(path, data, Threatcl, Options{Select: "Fort Knox"})
	if err != nil {
		t.Fatal(err)
	}
	if other.Model.System.Name != "Fort Knox" {
		t.Errorf("selected system = %q", other.Model.System.Name)
	}
	if _, err := Import(path, data, Threatcl, Options{Select: "Alcatraz"}); err == nil || !strings.Contains(err.Error(), "Tower of London, Fort Knox") {
		t.Errorf("unknown selection error = %v", err)
	}
}

func TestTM7Mapping(t *testing.T) {
	res := importFile(t, "testdata/pump.tm7")
	m, _ := writeAndParse(t, res)
	if b := boundaryByID(m, "pump-enclosure"); b == nil || b.Parent != "patient-home" {
		t.Errorf("pump-enclosure = %+v", b)
	}
	if e := elementByID(m, "pump-firmware"); e == nil || e.Boundary != "pump-enclosure" {
		t.Errorf("pump-firmware = %+v", e)
	}
	if e := elementByID(m, "cloud-service"); e == nil || e.Kind != "entity" || e.Boundary != "" {
		t.Errorf("cloud-service = %+v", e)
	}
	if f := flowByID(m, "bolus-command"); f == nil || f.Protocol.Name != "ble" {
		t.Errorf("bolus-command = %+v", f)
	}
	if f := flowByID(m, "upload-history"); f == nil || f.Protocol.Name != "vendor-sync" || len(m.Protocols) != 1 {
		t.Errorf("upload-history = %+v, protocols %+v", f, m.Protocols)
	}
	tests := []struct {
		id, element, status, stride, justification string
	}{
		{"tmt-1-bolus-command", "bolus-command", "mitigated", "spoofing", "BLE LE Secure Connections pairing with out-of-band PIN."},
		{"tmt-2-upload-history", "upload-history", "not-applicable", "information-disclosure", "History is end-to-end encrypted before upload."},
		{"tmt-3-bolus-command", "bolus-command", "open", "tampering", ""},
	}
	for _, tt := range tests {
		th := threatByID(m, tt.id)
		if th == nil {
			t.Errorf("threat %s missing", tt.id)
			continue
		}
		if th.Element != tt.element || th.Status != tt.status || th.STRIDE != tt.stride || th.Justification != tt.justification {
			t.Errorf("threat %s = %+v", tt.id, th)
		}
	}
	if !strings.Contains(strings.Join(res.Report.Dropped, "\n"), `"Dangling flow" is not connected`) {
		t.Errorf("dropped = %q", res.Report.Dropped)
	}
}

// TestMalformedInput checks that broken files give a diagnostic with the
// file, line and column, and never a panic.
func TestMalformedInput(t *testing.T) {
	tests := []struct {
		name     string
		format   Format
		data     string
		code     string
		line     int
		contains string
	}{
		{"json-syntax", ThreatDragon, "{\n  \"summary\": {\n    \"title\": \"x\",,\n  }\n}", "invalid-json", 3, "invalid JSON"},
		{"json-eof", OTM, "{\"otmVersion\": \"0.2.0\",\n \"project\": {", "invalid-json", 2, "unexpected end"},
		{"yaml-syntax", Threagile, "title: x\ntechnical_assets:\n  a: [1, 2\n", "invalid-yaml", 3, "invalid YAML"},
		{"yaml-unknown-alias", Threagile, "title: x\ndata_assets:\n  A: *nope\n", "unknown-anchor", 3, "*nope"},
		{"xml-syntax", TM7, "<ThreatModel>\n<DrawingSurfaceList>\n</ThreatModel>", "invalid-xml", 3, "invalid XML"},
		{"xml-entity", TM7, "<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<ThreatModel>&x;</ThreatModel>", "xml-entity", 2, "entities"},
		{"xml-wrong-root", TM7, "<Model/>", "invalid-tm7", 1, "<Model>"},
		{"otm-no-version", OTM, `{"project": {"name": "x", "id": "x"}}`, "invalid-otm", 1, "otmVersion"},
		{"td-no-diagrams", ThreatDragon, `{"summary": {"title": "x"}, "detail": {}}`, "invalid-threat-dragon", 1, "detail.diagrams"},
		{"pytm-array", Pytm, `[1, 2]`, "invalid-pytm", 1, "not an object"},
		{"threatcl-empty", Threatcl, `{"spec_version": "0.1", "threatmodel": {}}`, "invalid-threatcl", 1, "threatmodel"},
		{"detect-unknown", "", `{"hello": "world"}`, "unknown-format", 1, "--from"},
		{"detect-empty", "", "  \n", "empty-input", 0, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importBytes(t, "bad-"+tt.name, tt.format, tt.data)
			var diags diag.List
			if !errors.As(err, &diags) || len(diags) == 0 {
				t.Fatalf("error = %v, want a diagnostic", err)
			}
			d := diags[0]
			if d.Code != tt.code {
				t.Errorf("code = %s, want %s (%v)", d.Code, tt.code, d)
			}
			if d.Pos.File != "bad-"+tt.name {
				t.Errorf("file = %q", d.Pos.File)
			}
			if d.Pos.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", d.Pos.Line, tt.line, d)
			}
			if !strings.Contains(d.Error(), tt.contains) {
				t.Errorf("message %q lacks %q", d.Error(), tt.contains)
			}
			if d.Fix == "" {
				t.Errorf("diagnostic %v has no fix", d)
			}
		})
	}
}
