package interop

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// firstDiag returns the first diagnostic of an import error.
func firstDiag(t *testing.T, err error) diag.Diagnostic {
	t.Helper()
	var diags diag.List
	if !errors.As(err, &diags) || len(diags) == 0 {
		t.Fatalf("error = %v, want a diagnostic", err)
	}
	return diags[0]
}

func TestTMLHuskyAIMapping(t *testing.T) {
	res := importFile(t, corpusFile(t, "tmbom/huskyai.tmbom.json"))
	m, _ := writeAndParse(t, res)

	if res.Report.Format != ThreatModelLibrary {
		t.Errorf("format = %s", res.Report.Format)
	}
	if m.System.Name != "Husky AI" || m.System.Document.Version != "1.0.1" || m.System.Description != "A machine learning system to classify Huskies vs dogs" {
		t.Errorf("system = %+v", m.System)
	}

	// 4 actors, 6 components plus the process that carries the threats
	// without components_affected, 7 data stores.
	if k := kindCounts(m); k["entity"] != 4 || k["process"] != 7 || k["store"] != 7 {
		t.Errorf("kinds = %v, want 4 entities, 7 processes, 7 stores", k)
	}
	if len(m.Boundaries) != 2 || len(m.Flows) != 23 || len(m.Data) != 7 || len(m.Controls) != 22 || len(m.Threats) != 9 {
		t.Errorf("boundaries %d, flows %d, data %d, controls %d, threats %d; want 2, 23, 7, 22, 9",
			len(m.Boundaries), len(m.Flows), len(m.Data), len(m.Controls), len(m.Threats))
	}
	// One assumption and the two threat personas.
	if len(m.Assumptions) != 3 || !strings.HasPrefix(m.Assumptions[1].Text, "Adversary Ratimir: An expert social engineer") {
		t.Errorf("assumptions = %+v", m.Assumptions)
	}

	if e := elementByID(m, "azure-cognitive-services"); e == nil || e.Kind != "entity" || e.Role != "third-party-system" || e.Name != "Azure Cognitive Services" {
		t.Errorf("azure-cognitive-services = %+v", e)
	}
	if e := elementByID(m, "gather-images"); e == nil || e.Boundary != "experimental-zone" || e.Name != "Gather Images Application (Python)" {
		t.Errorf("gather-images = %+v", e)
	}
	store := elementByID(m, "ml-models-blob")
	if store == nil || store.Boundary != "prod-zone" || !slices.Equal(store.Stores, []string{"stored-ml-models"}) || store.Encrypted == nil || *store.Encrypted {
		t.Errorf("ml-models-blob = %+v", store)
	}
	if d := dataByID(m, "api-keys"); d == nil || d.Category != "credential" {
		t.Errorf("api-keys = %+v", d)
	}

	tests := []struct{ id, from, to, protocol string }{
		{"user-api-gateway", "user", "api-gateway", "https"},
		{"admin-bastion", "infrastructure-admin", "bastion", "ssh"},
		{"engineer-jupyter-notebook", "engineer", "jupyter", "ssh"},
		{"third-party-tools-jupyter-notebook", "third-party-tools", "jupyter", ""},
		{"authorized-keys-bastion", "secret-key-storage", "bastion", ""},
	}
	for _, tt := range tests {
		f := flowByID(m, tt.id)
		if f == nil || f.From != tt.from || f.To != tt.to || f.Protocol.Name != tt.protocol {
			t.Errorf("flow %s = %+v, want %s -> %s over %q", tt.id, f, tt.from, tt.to, tt.protocol)
		}
	}
	if f := flowByID(m, "stored-ml-model-web-server"); !slices.Equal(f.Data, []string{"stored-ml-models"}) || f.Encryption == nil || *f.Encryption {
		t.Errorf("stored-ml-model-web-server = %+v", f)
	}

	th := threatByID(m, "ssh-compromise-vulnerability")
	if th == nil {
		t.Fatal("threat ssh-compromise-vulnerability missing")
	}
	if th.Element != "husky-ai-system" || th.Exploitability != "medium" || th.Severity != "critical" {
		t.Errorf("threat = %+v, want the system process, exploitability medium (possible), severity critical (severe)", th)
	}
	if !slices.Equal(th.Controls, []string{"network-acl-ssh-restrictions", "ssh-access-logging", "bastion-host-patching-hardening"}) {
		t.Errorf("threat controls = %v", th.Controls)
	}
	if notes := res.Notes.ItemNotes("threats", th.ID); !slices.Contains(notes, "CAPEC-300 Port Scanning") || !slices.Contains(notes, "OWASP TML threat persona: ratimir") {
		t.Errorf("threat notes = %q", notes)
	}
	c := controlByID(m, "access-control-for-azure-blobs")
	if c == nil || c.Status != "implemented" || c.Category != "authorization" {
		t.Errorf("control = %+v", c)
	}

	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{
		`trust zone "public", which is not defined`,
		`data set "uploaded-images" is placed on data store "uploaded-images-redis", which is not defined`,
		`reference to data_store "bastion" names a component`,
		"reviewed_at 2025-05-28",
	} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
}

func TestTMLCorners(t *testing.T) {
	res := importFile(t, "testdata/corner.tml.json")
	m, _ := writeAndParse(t, res)

	if m.System.Name != "Glukose-Monitor" || m.System.Document.Version != "2.3" {
		t.Errorf("system = %+v", m.System)
	}
	// A threat with two affected components becomes two entries.
	for _, tt := range []struct{ id, element string }{{"spoofed-sensor", "api"}, {"spoofed-sensor-sensor", "sensor"}} {
		th := threatByID(m, tt.id)
		if th == nil || th.Element != tt.element {
			t.Errorf("threat %s = %+v, want element %s", tt.id, th, tt.element)
			continue
		}
		// Two risks: possible/major and likely/moderate; the highest of
		// each axis wins.
		if th.Exploitability != "high" || th.Severity != "high" {
			t.Errorf("threat %s exploitability %s severity %s, want high, high", tt.id, th.Exploitability, th.Severity)
		}
		// The retired control is not linked.
		if !slices.Equal(th.Controls, []string{"mutual-tls"}) {
			t.Errorf("threat %s controls = %v", tt.id, th.Controls)
		}
	}
	if th := threatByID(m, "db-leak"); th == nil || th.Element != "glukose-monitor-system" || th.Exploitability != "" {
		t.Errorf("db-leak = %+v", th)
	}
	if c := controlByID(m, "old-filter"); c == nil || c.Status != "" {
		t.Errorf("retired control = %+v", c)
	}
	if c := controlByID(m, "db-encryption"); c == nil || c.Status != "planned" {
		t.Errorf("scheduled control = %+v", c)
	}
	if e := elementByID(m, "sensor-crypto"); e == nil || e.Boundary != "body" {
		t.Errorf("sensor-crypto = %+v, want the zone of its parent component", e)
	}
	if e := elementByID(m, "readings-db"); e == nil || e.Encrypted == nil || *e.Encrypted || !slices.Equal(e.Stores, []string{"readings", "audit"}) {
		t.Errorf("readings-db = %+v, want not encrypted because the audit trail is not", e)
	}
	if d := dataByID(m, "readings"); d == nil || d.Category != "phi" {
		t.Errorf("readings = %+v, want phi before pii", d)
	}
	if d := dataByID(m, "audit"); d == nil || d.Category != "other" {
		t.Errorf("audit = %+v", d)
	}
	if len(m.Assumptions) != 2 || m.Assumptions[1].Text != "Adversary Botnet (an automated system; skill level script_kid; access level anonymous; applicability to org high)" {
		t.Errorf("assumptions = %+v", m.Assumptions)
	}
	if f := flowByID(m, "upload"); f == nil || f.Protocol.Name != "mqtt" || f.Encryption == nil || !*f.Encryption {
		t.Errorf("upload = %+v", f)
	}

	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{
		`trust boundary between "internet" and "phone"`,
		`EHR is in trust zone "hospital"`,
		`data store "gone"`,
		`data flow "ghost"`,
		`assumption "Radio range is short" is marked rejected`,
		`affects "unknown-part"`,
		"diagrams (1)",
		"extensions example.com/ward",
	} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
	if notes := res.Notes.ItemNotes("boundaries", "cloud"); !slices.Contains(notes, "OWASP TML trust boundary to body: authentication public_key") {
		t.Errorf("cloud notes = %q", notes)
	}
}

func TestTMLEmptyAndInvalid(t *testing.T) {
	res, err := importBytes(t, "empty.tml.json", "", `{"version": "1", "scope": {"title": "Leer"}, "trust_zones": [], "data_flows": []}`)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := writeAndParse(t, res)
	if m.System.Name != "Leer" || len(m.Elements) != 0 || res.Report.Format != ThreatModelLibrary {
		t.Errorf("empty model = %+v", m.System)
	}

	_, err = importBytes(t, "list.json", ThreatModelLibrary, `[1, 2]`)
	if d := firstDiag(t, err); d.Code != "invalid-tml" || d.Pos.Line != 1 {
		t.Errorf("diagnostic = %v", d)
	}
	_, err = importBytes(t, "broken.json", ThreatModelLibrary, "{\n \"scope\": {\n")
	if d := firstDiag(t, err); d.Code != "invalid-json" || d.Pos.Line != 2 {
		t.Errorf("diagnostic = %v", d)
	}
}

func controlByID(m *model.Model, id string) *model.Control {
	for i := range m.Controls {
		if m.Controls[i].ID == id {
			return &m.Controls[i]
		}
	}
	return nil
}
