package interop

import (
	"os"
	"strings"
	"testing"
)

func TestDetectCorpus(t *testing.T) {
	tests := []struct {
		file string
		want Format
	}{
		{"threagile/example-threagile.yaml", Threagile},
		{"threagile/stub-threagile.yaml", Threagile},
		{"threat-dragon/v2-threat-model.json", ThreatDragon},
		{"threat-dragon/v1-demo-threat-model.json", ThreatDragon},
		{"threat-dragon/iot-device.json", ThreatDragon},
		{"threat-dragon/three-tier-web-app.json", ThreatDragon},
		{"threat-dragon/mobile-cloud.otm.json", OTM},
		{"otm/EXAMPLE.json", OTM},
		{"otm/EXAMPLE.yaml", OTM},
		{"pytm/input.json", Pytm},
		{"threatcl/tm1.json", Threatcl},
		{"threatcl/tm1.hcl", Threatcl},
		{"threatcl/tm2.hcl", Threatcl},
		{"tmbom/huskyai.tmbom.json", ThreatModelLibrary},
		{"tmbom/tmbom-otm-example.cdx.json", TMBOM},
		{"tmbom/tmbom-pytm-example.cdx.json", TMBOM},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := corpusFile(t, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Detect(path, data)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if got != tt.want {
				t.Errorf("Detect = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestCorpusImportsValidate imports every model file of the corpus and
// loads the written YAML back through the model package's validator.
func TestCorpusImportsValidate(t *testing.T) {
	tests := []struct {
		file                                       string
		processes, stores, entities, flows, bounds int
		threats                                    int
	}{
		{"threagile/example-threagile.yaml", 7, 3, 4, 20, 5, 4},
		{"threagile/stub-threagile.yaml", 2, 0, 0, 1, 1, 1},
		{"threat-dragon/v2-threat-model.json", 2, 4, 1, 9, 5, 13},
		{"threat-dragon/v1-demo-threat-model.json", 2, 4, 1, 10, 5, 14},
		{"threat-dragon/iot-device.json", 9, 1, 1, 14, 3, 4},
		{"threat-dragon/three-tier-web-app.json", 3, 0, 0, 3, 2, 2},
		{"threat-dragon/mobile-cloud.otm.json", 1, 2, 1, 6, 2, 43},
		{"otm/EXAMPLE.json", 2, 1, 1, 2, 2, 2},
		{"otm/EXAMPLE.yaml", 2, 1, 1, 2, 2, 2},
		{"pytm/input.json", 1, 1, 1, 4, 2, 0},
		{"threatcl/tm1.json", 1, 0, 0, 0, 0, 1},
		{"threatcl/tm1.hcl", 1, 0, 0, 0, 0, 1},
		{"threatcl/tm2.hcl", 3, 2, 1, 5, 2, 1},
		{"tmbom/huskyai.tmbom.json", 7, 7, 4, 23, 2, 9},
		{"tmbom/tmbom-otm-example.cdx.json", 1, 1, 1, 2, 2, 0},
		{"tmbom/tmbom-pytm-example.cdx.json", 2, 1, 1, 5, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := importFile(t, corpusFile(t, tt.file))
			m, _ := writeAndParse(t, res)
			kinds := kindCounts(m)
			if kinds["process"] != tt.processes {
				t.Errorf("processes = %d, want %d", kinds["process"], tt.processes)
			}
			if kinds["store"] != tt.stores {
				t.Errorf("stores = %d, want %d", kinds["store"], tt.stores)
			}
			if kinds["entity"] != tt.entities {
				t.Errorf("entities = %d, want %d", kinds["entity"], tt.entities)
			}
			if len(m.Flows) != tt.flows {
				t.Errorf("flows = %d, want %d", len(m.Flows), tt.flows)
			}
			if len(m.Boundaries) != tt.bounds {
				t.Errorf("boundaries = %d, want %d", len(m.Boundaries), tt.bounds)
			}
			if len(m.Threats) != tt.threats {
				t.Errorf("threats = %d, want %d", len(m.Threats), tt.threats)
			}
			if len(res.Report.ToDo) == 0 || !strings.Contains(strings.Join(res.Report.ToDo, "\n"), "no interfaces") {
				t.Errorf("report to-do lacks the interfaces item: %q", res.Report.ToDo)
			}
		})
	}
}

func TestThreagileExampleMapping(t *testing.T) {
	res := importFile(t, corpusFile(t, "threagile/example-threagile.yaml"))
	m, out := writeAndParse(t, res)

	if m.System.Name != "Some Example Application" || m.System.Document.Owner != "John Doe" {
		t.Errorf("system = %q owned by %q", m.System.Name, m.System.Document.Owner)
	}
	if len(m.Elements) != 14 {
		t.Errorf("technical assets imported = %d, want 14", len(m.Elements))
	}
	if len(m.Data) != 12 {
		t.Errorf("data assets imported = %d, want 12", len(m.Data))
	}

	// Nesting from trust_boundaries_nested.
	for _, child := range []string{"web-dmz", "erp-dmz", "auth-env"} {
		if b := boundaryByID(m, child); b == nil || b.Parent != "application-network" {
			t.Errorf("boundary %s parent = %v, want application-network", child, b)
		}
	}
	if b := boundaryByID(m, "dev-network"); b == nil || b.Kind != "network" || b.Parent != "" {
		t.Errorf("dev-network = %+v, want a top-level network boundary", b)
	}
	if b := boundaryByID(m, "auth-env"); b.Kind != "process" {
		t.Errorf("auth-env kind = %s, want process (execution-environment)", b.Kind)
	}

	// Elements placed in their innermost boundary, kinds from type.
	placements := map[string]string{"apache-webserver": "web-dmz", "sql-database": "erp-dmz", "load-balancer": "application-network",
		"ldap-auth-server": "auth-env", "jenkins-build-server": "dev-network", "customer-client": ""}
	for id, want := range placements {
		e := elementByID(m, id)
		if e == nil {
			t.Errorf("element %s missing", id)
			continue
		}
		if e.Boundary != want {
			t.Errorf("element %s boundary = %q, want %q", id, e.Boundary, want)
		}
	}
	if e := elementByID(m, "customer-client"); e.Kind != "entity" || !e.Scope.Out || e.Scope.Reason != "Owned and managed by end-user customer" {
		t.Errorf("customer-client = kind %s scope %+v", e.Kind, e.Scope)
	}
	if e := elementByID(m, "sql-database"); e.Kind != "store" || e.Encrypted == nil {
		t.Errorf("sql-database = kind %s encrypted %v", e.Kind, e.Encrypted)
	}
	if rt, _ := elementByID(m, "erp-system").Attributes["shared_runtime"].([]any); len(rt) != 1 || rt[0] != "webapp-virtualization" {
		t.Errorf("erp-system shared_runtime = %v", elementByID(m, "erp-system").Attributes["shared_runtime"])
	}

	// Merge keys: Customer Operational Data inherits integrity critical
	// from the anchored Customer Contracts and overrides availability.
	if d := dataByID(m, "customer-operational-data"); d == nil || d.Integrity != "high" || d.Availability != "high" || d.Confidentiality != "high" {
		t.Errorf("customer-operational-data = %+v", d)
	}
	if d := dataByID(m, "contract-summaries"); d.Confidentiality != "medium" || d.Integrity != "low" {
		t.Errorf("contract-summaries = %+v, want restricted->medium, operational->low", d)
	}

	// Links: protocols, authentication, data.
	f := flowByID(m, "customer-client-customer-traffic")
	if f == nil {
		t.Fatalf("flow customer-client-customer-traffic missing; flows: %v", listFlowIDs(m))
	}
	if f.From != "customer-client" || f.To != "load-balancer" || f.Protocol.Name != "https" || f.Authentication != "one-way" || f.Encryption == nil || !*f.Encryption {
		t.Errorf("customer traffic flow = %+v", f)
	}
	if !f.Bidirectional || len(f.Data) != 5 {
		t.Errorf("customer traffic flow bidirectional %v data %v", f.Bidirectional, f.Data)
	}
	var added []string
	for _, p := range m.Protocols {
		added = append(added, p.ID)
	}
	if strings.Join(added, ",") != "ldaps,ldap,nfs" {
		t.Errorf("protocols added = %v, want ldaps, ldap, nfs", added)
	}

	// Risk tracking and the individual risk category.
	if th := threatByID(m, "threagile-untrusted-deserialization-erp-system"); th == nil || th.Status != "accepted" || th.Element != "erp-system" || th.Tracker != "XYZ-1234" {
		t.Errorf("risk tracking threat = %+v", th)
	}
	if th := threatByID(m, "threagile-ldap-injection-any-ldap-auth-server"); th == nil || th.Status != "mitigated" || th.Element != "ldap-auth-server" {
		t.Errorf("ldap risk tracking threat = %+v", th)
	}
	if th := threatByID(m, "something-strange-sql-database"); th == nil || th.STRIDE != "repudiation" || th.Element != "sql-database" {
		t.Errorf("individual risk = %+v", th)
	}
	for _, want := range []string{"# inferred: category guessed from the name", "Threagile risk tracking unencrypted-asset@*", "Threagile's rule IDs do not match Ward's"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
