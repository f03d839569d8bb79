package threat

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
)

func TestSTRIDEPerElementTable(t *testing.T) {
	reg := identify(t, pumpModel(), nil, Options{Methods: []string{MethodSTRIDE}})

	tests := []struct {
		target string
		want   []string
	}{
		{"pump-fw", []string{Spoofing, Tampering, Repudiation, InformationDisclosure, DenialOfService, ElevationOfPrivilege}},
		{"pump-log", []string{Tampering, Repudiation, InformationDisclosure, DenialOfService}},
		{"patient", []string{Spoofing, Repudiation}},
		// Encrypted, integrity-protected BLE: only denial of service is left.
		{"app-to-pump", []string{DenialOfService}},
		{"pump-to-app", []string{Tampering, InformationDisclosure, DenialOfService}},
		{"pump-swd", nil},
		{"freertos", nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			var got []string
			for _, th := range reg.Threats {
				if th.Target.ID == tt.target {
					got = append(got, th.STRIDE)
				}
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("STRIDE categories on %s diff (-want +got):\n%s", tt.target, diff)
			}
		})
	}
}

func TestSTRIDEPerInteraction(t *testing.T) {
	reg := identify(t, pumpModel(), nil, Options{Methods: []string{MethodInteraction}})

	for _, th := range reg.Threats {
		if th.Target.Kind != TargetFlow && th.Target.Kind != TargetBoundary {
			t.Errorf("per-interaction threat %s targets a %s, want a flow or boundary", th.ID, th.Target.Kind)
		}
		if th.Target.ID == "fw-to-log" {
			t.Errorf("flow inside one boundary got per-interaction threat %s", th.ID)
		}
	}
	// Mutual authentication rules out spoofing of the sender; none on
	// pump-to-app leaves it in.
	if _, ok := findThreat(reg, "stride.spoofing@app-to-pump"); ok {
		t.Error("mutually authenticated flow got a spoofing threat")
	}
	if _, ok := findThreat(reg, "stride.spoofing@pump-to-app"); !ok {
		t.Error("unauthenticated boundary-crossing flow got no spoofing threat")
	}
	if !slices.ContainsFunc(reg.RuledOut, func(r RuledOut) bool {
		return r.ID == "stride.spoofing@app-to-pump" && r.Method == MethodInteraction && strings.Contains(r.Reason, "mutual")
	}) {
		t.Errorf("ruled-out list lacks stride.spoofing@app-to-pump: %+v", reg.RuledOut)
	}

	// The unauthenticated pump-to-app flow enters the phone boundary. Only
	// the mutually authenticated, encrypted BLE flow enters the pump
	// enclosure, so the threat is ruled out there.
	th, ok := findThreat(reg, "stride.elevation-of-privilege@phone")
	if !ok {
		t.Fatal("boundary entered by an unauthenticated flow got no threat")
	}
	if !strings.Contains(th.Description, "pump-to-app") {
		t.Errorf("description does not name the entering flow: %s", th.Description)
	}
	if _, ok := findThreat(reg, "stride.elevation-of-privilege@pump-enclosure"); ok {
		t.Error("boundary entered only by a protected flow got a threat")
	}
	if _, ok := findThreat(reg, "stride.elevation-of-privilege@cloud"); ok {
		t.Error("cloud boundary entered only by mutually authenticated HTTPS got a threat")
	}
}

func TestThreatsHaveVectorAndImpact(t *testing.T) {
	reg := identify(t, pumpModel(), testLibrary(t, testRules()...), Options{})
	for _, th := range reg.Threats {
		if !model.AttackVectors.Has(th.Vector) {
			t.Errorf("%s: vector %q is not an attack vector", th.ID, th.Vector)
		}
		for _, level := range []string{th.Impact.Confidentiality, th.Impact.Integrity, th.Impact.Availability} {
			if !model.Levels.Has(level) {
				t.Errorf("%s: impact level %q is not a level", th.ID, level)
			}
		}
		if th.Title == "" || th.Description == "" || len(th.Findings) == 0 {
			t.Errorf("%s: title, description or findings missing", th.ID)
		}
		if strings.Contains(th.Description, "{") {
			t.Errorf("%s: description has an unfilled placeholder: %s", th.ID, th.Description)
		}
	}
}

func TestVectorDerivation(t *testing.T) {
	ix := newIndex(pumpModel(), Options{})
	tests := []struct{ kind, id, want string }{
		{"flow", "app-to-pump", VectorAdjacent},
		{"flow", "app-to-cloud", VectorNetwork},
		{"flow", "fw-to-log", VectorLocal},
		{"process", "pump-fw", VectorAdjacent},
		{"process", "cloud-api", VectorNetwork},
		{"store", "pump-log", VectorLocal},
		{"entity", "patient", VectorPhysical},
		{"interface", "pump-swd", VectorPhysical},
		{"dependency", "freertos", VectorAdjacent},
		{"boundary", "cloud", VectorNetwork},
		{"system", "dosa", VectorNetwork},
	}
	for _, tt := range tests {
		if got := ix.vectorOf(ix.lookup(tt.kind, tt.id)); got != tt.want {
			t.Errorf("vectorOf(%s %s) = %q, want %q", tt.kind, tt.id, got, tt.want)
		}
	}
}

func TestRuleVectorClampedToExposure(t *testing.T) {
	m := pumpModel()
	m.Elements = append(m.Elements,
		model.Element{ID: "batch-job", Kind: "process", Name: "Batch job", Boundary: "cloud"},
		model.Element{ID: "motor-mcu", Kind: "process", Name: "Motor controller", Boundary: "pump-enclosure"},
		model.Element{ID: "sensor-mcu", Kind: "process", Name: "Sensor controller", Boundary: "pump-enclosure"},
		model.Element{ID: "motor-log", Kind: "store", Name: "Motor log", Boundary: "pump-enclosure"},
	)
	m.Flows = append(m.Flows,
		// The bolus commands came over BLE, so they reach the motor from
		// radio range; the settings came from a local file.
		model.Flow{ID: "fw-to-motor", From: "pump-fw", To: "motor-mcu", Protocol: model.Protocol{Name: "uart"}, Data: []string{"therapy-cmd"}},
		model.Flow{ID: "fw-to-sensor", From: "pump-fw", To: "sensor-mcu", Protocol: model.Protocol{Name: "uart"}, Data: []string{"settings"}},
		// A store keeps its own exposure: relayed data does not make it
		// readable from afar.
		model.Flow{ID: "motor-to-log", From: "motor-mcu", To: "motor-log", Protocol: model.Protocol{Name: "spi"}, Data: []string{"therapy-cmd"}},
	)
	m.Interfaces = append(m.Interfaces,
		model.Interface{ID: "gw-eth", Of: "cloud-api", Kind: "ethernet", Exposure: "external", Protocols: []string{"tcp", "https"}},
		model.Interface{ID: "pump-eth", Of: "pump-fw", Kind: "ethernet", Exposure: "board", Protocols: []string{"tcp"}},
		model.Interface{ID: "pump-nfc", Of: "pump-fw", Kind: "nfc", Exposure: "external"},
	)
	rule := func(id, kind, vector string) *catalog.Rule {
		return &catalog.Rule{ID: id, Title: id, Description: "{name}", AppliesTo: []string{kind},
			When: op("id", catalog.OpExists, true), STRIDE: Tampering, Vector: vector}
	}
	lib := testLibrary(t,
		rule("test.flow-network", "flow", VectorNetwork),
		rule("test.flow-physical", "flow", VectorPhysical),
		rule("test.process-network", "process", VectorNetwork),
		rule("test.store-network", "store", VectorNetwork),
		rule("test.interface-network", "interface", VectorNetwork),
		rule("test.entity-network", "entity", VectorNetwork),
	)
	reg := identify(t, m, lib, Options{Methods: []string{MethodRules}})

	tests := []struct{ id, want string }{
		{"test.flow-network@patient-to-app", VectorPhysical}, // manual input
		{"test.flow-network@settings-to-fw", VectorLocal},    // file
		{"test.flow-network@app-to-pump", VectorAdjacent},    // ble
		{"test.flow-network@app-to-cloud", VectorNetwork},    // https
		{"test.flow-physical@app-to-cloud", VectorPhysical},  // never more remote than the rule
		{"test.process-network@pump-fw", VectorAdjacent},     // ble, a file, board and external ports, nfc
		{"test.process-network@cloud-api", VectorNetwork},    // https
		{"test.process-network@batch-job", VectorNetwork},    // nothing reaches it: the rule's vector
		{"test.store-network@pump-log", VectorLocal},         // in-process
		{"test.flow-network@fw-to-motor", VectorPhysical},    // a UART
		{"test.process-network@motor-mcu", VectorAdjacent},   // BLE data relayed by pump-fw
		{"test.process-network@sensor-mcu", VectorLocal},     // settings relayed from a file
		{"test.store-network@motor-log", VectorPhysical},     // SPI
		{"test.interface-network@pump-usb", VectorPhysical},  // external, no protocols
		{"test.interface-network@gw-eth", VectorNetwork},     // external, network protocols
		{"test.interface-network@pump-eth", VectorPhysical},  // network protocol on the board only
		{"test.interface-network@pump-nfc", VectorAdjacent},  // radio range
		{"test.entity-network@patient", VectorNetwork},       // entities are not clamped
	}
	for _, tt := range tests {
		th, ok := findThreat(reg, tt.id)
		if !ok {
			t.Errorf("%s not found", tt.id)
			continue
		}
		if th.Vector != tt.want {
			t.Errorf("%s vector = %q, want %q", tt.id, th.Vector, tt.want)
		}
	}
}

func TestMergeRuleAndSTRIDE(t *testing.T) {
	reg := identify(t, pumpModel(), testLibrary(t, testRules()...), Options{})

	th, ok := findThreat(reg, "flow.plaintext@pump-to-app")
	if !ok {
		t.Fatal("flow.plaintext@pump-to-app not found")
	}
	if !slices.Contains(th.Aliases, "stride.information-disclosure@pump-to-app") {
		t.Errorf("aliases = %v, want the STRIDE disclosure ID", th.Aliases)
	}
	wantFindings := []Finding{
		{MethodSTRIDE, "stride.information-disclosure"},
		{MethodInteraction, "stride.information-disclosure"},
		{MethodRules, "flow.plaintext"},
	}
	if diff := cmp.Diff(wantFindings, th.Findings); diff != "" {
		t.Errorf("findings diff (-want +got):\n%s", diff)
	}
	// The STRIDE threat is no longer listed separately.
	for _, other := range reg.Threats {
		if other.ID == "stride.information-disclosure@pump-to-app" {
			t.Error("merged STRIDE threat still listed separately")
		}
	}

	// Also categories merge too: the memory-unsafe parser rule lists
	// tampering and denial of service besides elevation of privilege.
	th, _ = findThreat(reg, "proc.memory-unsafe-parser@pump-fw")
	want := []string{"stride.denial-of-service@pump-fw", "stride.elevation-of-privilege@pump-fw", "stride.tampering@pump-fw"}
	if diff := cmp.Diff(want, th.Aliases); diff != "" {
		t.Errorf("aliases of proc.memory-unsafe-parser@pump-fw diff (-want +got):\n%s", diff)
	}

	// A STRIDE finding with no rule of its category stays a threat of its own.
	if th, ok := findThreat(reg, "stride.repudiation@pump-fw"); !ok || th.ID != "stride.repudiation@pump-fw" {
		t.Error("stride.repudiation@pump-fw missing or merged")
	}
}

func TestMergeIntoSeveralRules(t *testing.T) {
	reg := identify(t, pumpModel(), testLibrary(t, testRules()...), Options{})
	// On pump-to-app both flow.weak-authentication (spoofing) and the
	// per-interaction spoofing finding exist; tampering goes to
	// flow.no-integrity.
	th, _ := findThreat(reg, "flow.no-integrity@pump-to-app")
	if !slices.Contains(th.Aliases, "stride.tampering@pump-to-app") {
		t.Errorf("flow.no-integrity@pump-to-app aliases = %v", th.Aliases)
	}
	th, _ = findThreat(reg, "flow.weak-authentication@pump-to-app")
	if !slices.Contains(th.Aliases, "stride.spoofing@pump-to-app") {
		t.Errorf("flow.weak-authentication@pump-to-app aliases = %v", th.Aliases)
	}
}

func TestKnownVulnerabilities(t *testing.T) {
	m := pumpModel()
	m.Vulnerabilities = []model.VulnerabilityDecision{
		{ID: "CVE-2024-0002", Dependency: "freertos", Status: "not-affected"},
		{ID: "GHSA-aaaa", Status: "fixed"},
	}
	known := []KnownVulnerability{
		{Dependency: "freertos", ID: "OSV-1", Aliases: []string{"CVE-2024-0001"}, Severity: "medium", Fixed: []string{"10.6.0"}},
		{Dependency: "freertos", ID: "OSV-2", Aliases: []string{"CVE-2024-0002"}, Severity: "critical"},
		{Dependency: "freertos", ID: "OSV-3", Aliases: []string{"GHSA-aaaa"}, Severity: "critical"},
		{Dependency: "freertos", ID: "OSV-4", Severity: "low", KEV: true},
	}

	t.Run("own threat without a rule", func(t *testing.T) {
		reg := identify(t, m, nil, Options{Known: known})
		th, ok := findThreat(reg, "vuln.known@freertos")
		if !ok {
			t.Fatal("vuln.known@freertos not found")
		}
		var ids []string
		for _, r := range th.References {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff([]string{"OSV-1", "OSV-4"}, ids); diff != "" {
			t.Errorf("unresolved vulnerabilities diff (-want +got):\n%s", diff)
		}
		if th.Impact.Integrity != "high" || th.Title != "known exploited vulnerability not resolved" {
			t.Errorf("KEV entry did not raise the threat: %+v", th)
		}
		if !strings.Contains(th.Description, "OSV-1 (medium, fixed in 10.6.0)") {
			t.Errorf("description = %q", th.Description)
		}
	})

	t.Run("merged into a rule that tests the fact", func(t *testing.T) {
		reg := identify(t, m, testLibrary(t, testRules()...), Options{Known: known})
		th, ok := findThreat(reg, "supply.known-vulnerable@freertos")
		if !ok {
			t.Fatal("supply.known-vulnerable@freertos not found")
		}
		if !slices.Contains(th.Aliases, "vuln.known@freertos") {
			t.Errorf("aliases = %v, want vuln.known@freertos", th.Aliases)
		}
		if !strings.Contains(th.Description, "has 2 unresolved") {
			t.Errorf("description = %q, want the count of unresolved vulnerabilities", th.Description)
		}
	})

	t.Run("all resolved", func(t *testing.T) {
		reg := identify(t, m, testLibrary(t, testRules()...), Options{Known: known[1:3]})
		if _, ok := findThreat(reg, "vuln.known@freertos"); ok {
			t.Error("resolved vulnerabilities still raise a threat")
		}
		if _, ok := findThreat(reg, "supply.known-vulnerable@freertos"); ok {
			t.Error("rule on known_vulnerabilities fired with none unresolved")
		}
	})
}

func TestSupportEnded(t *testing.T) {
	lib := testLibrary(t, testRules()...)
	before := identify(t, pumpModel(), lib, Options{Date: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)})
	after := identify(t, pumpModel(), lib, Options{Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if _, ok := findThreat(before, "supply.unsupported@freertos"); ok {
		t.Error("support ended before its end date")
	}
	if _, ok := findThreat(after, "supply.unsupported@freertos"); !ok {
		t.Error("support has not ended on its end date")
	}
}

func TestValidateMethods(t *testing.T) {
	tests := []struct {
		name    string
		methods []string
		wantErr string
	}{
		{"none", nil, ""},
		{"all", MethodNames(), ""},
		{"one", []string{MethodRules}, ""},
		{"misspelt", []string{MethodSTRIDE, "stride-per-elemnt"}, `unknown identification method "stride-per-elemnt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateMethods(tt.methods)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateMethods(%q) = %v, want nil", tt.methods, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ValidateMethods(%q) = %v, want an error containing %q", tt.methods, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), MethodRules) {
				t.Errorf("ValidateMethods(%q) = %v, want the list of method names", tt.methods, err)
			}
		})
	}
}

func TestUnknownMethodNoDiagnostic(t *testing.T) {
	reg, diags := Identify(pumpModel(), nil, Options{Methods: []string{MethodSTRIDE, "stride-per-elemnt"}})
	if len(diags) != 0 {
		t.Errorf("Identify diagnostics = %v, want none: ValidateMethods reports unknown methods", diags)
	}
	if len(reg.Threats) == 0 {
		t.Error("the known method in the list ran nothing")
	}
}

func TestRestrictedMethodsDispositions(t *testing.T) {
	m := pumpModel()
	m.Threats = []model.ThreatEntry{
		// Found only by LINDDUN, which does not run.
		entry(70, model.ThreatEntry{Match: "linddun.linking@pump-log", Status: "accepted"}),
		entry(71, model.ThreatEntry{Match: "linddun.*@cloud-api", Status: "accepted"}),
		// Found by the rule library, which runs.
		entry(72, model.ThreatEntry{Match: "hw.debug-port-open@pump-uart", Status: "mitigated"}),
		// A typo: it would match nothing with every method either.
		entry(73, model.ThreatEntry{Match: "hw.debug-port-opne@pump-uart", Status: "mitigated"}),
		// Still a syntax error whatever runs.
		entry(74, model.ThreatEntry{Match: "stride.[", Status: "mitigated"}),
	}
	lib := testLibrary(t, testRules()...)

	reg, diags := Identify(m, lib, Options{Methods: []string{MethodRules}})
	th, ok := findThreat(reg, "hw.debug-port-open@pump-uart")
	if !ok || th.Disposition.Status != "mitigated" {
		t.Errorf("hw.debug-port-open@pump-uart = %+v, want it mitigated by line 72", th)
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.Code+"@"+d.Pos.String()+"/"+d.Severity.String())
	}
	want := []string{"unchecked-dispositions@ward.yaml:70:12/warning", "invalid-glob@ward.yaml:74:12/error"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Identify with --methods %s diagnostics diff (-want +got):\n%s", MethodRules, diff)
	}
	if len(diags) > 0 && !strings.Contains(diags[0].Summary, "3 entries under threats") {
		t.Errorf("warning summary = %q, want the count of unchecked entries", diags[0].Summary)
	}

	// Every method named explicitly is no restriction: the typo is an error.
	_, diags = Identify(m, lib, Options{Methods: MethodNames()})
	var codes []string
	for _, d := range diags {
		codes = append(codes, d.Code+"@"+d.Pos.String())
	}
	want = []string{"unmatched-disposition@ward.yaml:73:12", "invalid-glob@ward.yaml:74:12"}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("Identify with every method diagnostics diff (-want +got):\n%s", diff)
	}
}

func TestMethodSelection(t *testing.T) {
	reg := identify(t, pumpModel(), testLibrary(t, testRules()...), Options{Methods: []string{MethodPrivacy}})
	if len(reg.Threats) == 0 {
		t.Fatal("privacy method found nothing")
	}
	for _, th := range reg.Threats {
		if !isOnlyMethod(th.Findings, MethodPrivacy) {
			t.Errorf("%s found by %v with only the privacy method selected", th.ID, th.Findings)
		}
	}
}

func TestCoverageMatrix(t *testing.T) {
	m := pumpModel()
	m.Threats = []model.ThreatEntry{{Match: "stride.*@pump-log", Status: "mitigated"}}
	reg := identify(t, m, nil, Options{Methods: []string{MethodSTRIDE}})

	var row *MatrixRow
	for i := range reg.Coverage.Rows {
		if reg.Coverage.Rows[i].Target.ID == "pump-log" {
			row = &reg.Coverage.Rows[i]
		}
	}
	if row == nil {
		t.Fatal("no coverage row for pump-log")
	}
	want := map[string]Cell{
		Spoofing: {}, Tampering: {1, 1}, Repudiation: {1, 1}, InformationDisclosure: {1, 1},
		DenialOfService: {1, 1}, ElevationOfPrivilege: {}, OtherCategory: {},
	}
	got := map[string]Cell{}
	for _, c := range reg.Coverage.Categories {
		got[c] = row.Cells.Of(c)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pump-log cells diff (-want +got):\n%s", diff)
	}
	if len(reg.Coverage.Rows) != 1+4+6+7+4+1 {
		t.Errorf("coverage has %d rows, want one per in-scope target (23)", len(reg.Coverage.Rows))
	}
}

func TestRegisterSortedByID(t *testing.T) {
	reg := identify(t, pumpModel(), testLibrary(t, testRules()...), Options{})
	ids := threatIDs(reg)
	if !slices.IsSorted(ids) {
		t.Errorf("threat IDs are not sorted: %v", ids)
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Error("threat IDs are not unique")
	}
}

// TestRegisterOrder checks the grouped sort against a plain string sort,
// with rule IDs where one is a prefix of another and hand-written IDs
// between.
func TestRegisterOrder(t *testing.T) {
	ix := newIndex(pumpModel(), Options{})
	var identified, manual []*candidate
	for _, rule := range []string{"a.b", "a.b-c", "a.b.c", "hw.x", "z.y"} {
		for _, id := range []string{"pump-fw", "phone-app", "app-to-pump", "pump-swd"} {
			tg := ix.byKey[targetKey{"process", id}]
			if tg == nil {
				tg = ix.byKey[targetKey{"flow", id}]
			}
			if tg == nil {
				tg = ix.byKey[targetKey{"interface", id}]
			}
			identified = append(identified, &candidate{ID: rule + "@" + id, src: &source{pattern: &Pattern{Rule: rule}}, t: tg})
		}
	}
	for _, id := range []string{"TH-9", "a.b", "hw.x@a", "zz"} {
		manual = append(manual, &candidate{ID: id, full: &Threat{ID: id, Pattern: &Pattern{}}, t: ix.systemTarget()})
	}

	list := append(slices.Clone(identified), manual...)
	var want []string
	for _, c := range list {
		want = append(want, c.ID)
	}
	slices.Sort(want)
	got := make([]string, len(list))
	for i, p := range registerOrder(list) {
		got[p] = list[i].ID
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("registerOrder diff (-want +got):\n%s", diff)
	}
}

func TestKnownVulnerabilityImpactFromVector(t *testing.T) {
	m := pumpModel()
	known := []KnownVulnerability{
		{Dependency: "freertos", ID: "OSV-9", Severity: "medium", Vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
		{Dependency: "freertos", ID: "OSV-10", Severity: "low", Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N"},
	}
	reg := identify(t, m, nil, Options{Known: known})
	th, ok := findThreat(reg, "vuln.known@freertos")
	if !ok {
		t.Fatal("vuln.known@freertos not found")
	}
	want := CIA{Confidentiality: "high", Integrity: "low", Availability: "none"}
	if th.Impact != want {
		t.Errorf("impact = %+v, want %+v from the vectors' C, I and A metrics", th.Impact, want)
	}

	// A rule that absorbs the finding takes the same impact.
	reg = identify(t, m, testLibrary(t, testRules()...), Options{Known: known})
	th, ok = findThreat(reg, "supply.known-vulnerable@freertos")
	if !ok {
		t.Fatal("supply.known-vulnerable@freertos not found")
	}
	if th.Impact != want {
		t.Errorf("merged rule impact = %+v, want %+v", th.Impact, want)
	}
}

func TestKnownVulnerabilityVectorFromRecords(t *testing.T) {
	m := pumpModel()
	vectorWith := func(known ...KnownVulnerability) string {
		t.Helper()
		for i := range known {
			known[i].Dependency, known[i].ID = "freertos", fmt.Sprintf("OSV-%d", i)
		}
		th, ok := findThreat(identify(t, m, nil, Options{Known: known}), "vuln.known@freertos")
		if !ok {
			t.Fatal("vuln.known@freertos not found")
		}
		return th.Vector
	}
	// Without CVSS vectors the dependency's own vector applies.
	dependency := vectorWith(KnownVulnerability{Severity: "high"})
	if dependency == VectorPhysical {
		t.Fatal("the fixture's freertos is physical, so the cases below cannot tell vectors apart")
	}

	tests := []struct {
		name  string
		known []KnownVulnerability
		want  string
	}{
		{"physical record", []KnownVulnerability{{Vector: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}, VectorPhysical},
		{"network record is bounded by the dependency", []KnownVulnerability{{Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}, dependency},
		{"most exposed record wins", []KnownVulnerability{
			{Vector: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
			{Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
		}, dependency},
		{"record without a vector counts as the dependency", []KnownVulnerability{
			{Vector: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
			{Severity: "low"},
		}, dependency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := vectorWith(tt.known...); got != tt.want {
				t.Errorf("vector = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVectorImpactRejectsOtherText(t *testing.T) {
	for _, v := range []string{"", "CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L", "high"} {
		if _, ok := vectorImpact(v); ok {
			t.Errorf("vectorImpact(%q) reported an impact", v)
		}
	}
}

func TestCellsJSONRoundTrip(t *testing.T) {
	var in Cells
	in[columnOf[Tampering]] = Cell{Found: 3, Dispositioned: 1}
	in[columnOf[OtherCategory]] = Cell{Found: 2}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Cells
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip of %s gave %v, want %v", data, out, in)
	}
	if err := json.Unmarshal([]byte(`{"lateral-movement":{"found":1}}`), &out); err == nil {
		t.Error("a cell keyed by an unknown category was read without error")
	}
}
