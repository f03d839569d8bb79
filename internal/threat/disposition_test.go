package threat

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// entry returns a disposition written at the given line of ward.yaml.
func entry(line int, e model.ThreatEntry) model.ThreatEntry {
	e.SetPos(at(line), map[string]diag.Pos{"match": {File: "ward.yaml", Line: line, Col: 12}, "id": {File: "ward.yaml", Line: line, Col: 9}})
	return e
}

func TestDispositions(t *testing.T) {
	m := pumpModel()
	m.Threats = []model.ThreatEntry{
		entry(10, model.ThreatEntry{Match: "hw.debug-port-open@pump-uart", Status: "mitigated", Controls: []string{"C-1"}, Justification: "console disabled"}),
		entry(11, model.ThreatEntry{Match: "*@pump-uart", Status: "accepted"}),
		entry(12, model.ThreatEntry{Match: "stride.*@pump-log", Status: "transferred"}),
		entry(13, model.ThreatEntry{Match: "stride.tampering@pump-log", Status: "avoided"}),
		// Matches by alias: the STRIDE ID merged into flow.plaintext.
		entry(14, model.ThreatEntry{Match: "stride.information-disclosure@pump-to-app", Status: "mitigated"}),
		entry(15, model.ThreatEntry{Match: "stride.*", Status: "not-applicable"}),
		entry(16, model.ThreatEntry{Match: "stride.denial-of-service@*", Status: "accepted"}),
	}
	reg := identify(t, m, testLibrary(t, testRules()...), Options{})

	tests := []struct {
		id, status string
		line       int
	}{
		{"hw.debug-port-open@pump-uart", "mitigated", 10},                // exact beats glob
		{"stride.tampering@pump-log", "avoided", 13},                     // exact beats an earlier glob
		{"stride.repudiation@pump-log", "transferred", 12},               // longest literal glob
		{"flow.plaintext@pump-to-app", "mitigated", 14},                  // matched through its alias
		{"stride.denial-of-service@phone-app", "accepted", 16},           // longer literal than stride.*
		{"stride.repudiation@pump-fw", "not-applicable", 15},             // only stride.* matches
		{"proc.memory-unsafe-parser@pump-fw", "accepted", 16},            // through its alias stride.denial-of-service@pump-fw
		{"linddun.linking@pump-log", StatusOpen, 0},                      // nothing matches
		{"proc.internet-authentication@cloud-api", "not-applicable", 15}, // alias stride.spoofing@cloud-api
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			th, ok := findThreat(reg, tt.id)
			if !ok {
				t.Fatalf("%s not found", tt.id)
			}
			if th.Disposition.Status != tt.status {
				t.Errorf("status = %q, want %q", th.Disposition.Status, tt.status)
			}
			if th.Disposition.Pos.Line != tt.line {
				t.Errorf("disposition from line %d, want %d", th.Disposition.Pos.Line, tt.line)
			}
		})
	}
	th, _ := findThreat(reg, "hw.debug-port-open@pump-uart")
	if th.Disposition.Justification != "console disabled" || !slices.Equal(th.Disposition.Controls, []string{"C-1"}) {
		t.Errorf("disposition fields not copied: %+v", th.Disposition)
	}
}

func TestUnmatchedDisposition(t *testing.T) {
	m := pumpModel()
	m.Threats = []model.ThreatEntry{
		entry(20, model.ThreatEntry{Match: "hw.debug-port-opne@pump-uart", Status: "mitigated"}),
		entry(21, model.ThreatEntry{Match: "nothing.like.this@anywhere-at-all-in-this-model", Status: "mitigated"}),
		entry(22, model.ThreatEntry{Match: "hw.*@pump-usb", Status: "mitigated"}),
		entry(23, model.ThreatEntry{Match: "stride.[", Status: "mitigated"}),
		entry(24, model.ThreatEntry{Match: "stride.*@app-to-pmp", Status: "mitigated"}),
		entry(25, model.ThreatEntry{Match: "flow.no-integrty@*", Status: "mitigated"}),
	}
	_, diags := Identify(m, testLibrary(t, testRules()...), Options{})

	want := []struct {
		line          int
		code, summary string
		fix           string
	}{
		{20, "unmatched-disposition", `match "hw.debug-port-opne@pump-uart" matches no identified threat`, "did you mean hw.debug-port-open@pump-uart?"},
		{21, "unmatched-disposition", `match "nothing.like.this@anywhere-at-all-in-this-model" matches no identified threat`, "run ward threats"},
		{22, "unmatched-disposition", `match "hw.*@pump-usb" matches no identified threat`, ""},
		{23, "invalid-glob", `match "stride.[" is not a valid glob`, ""},
		{24, "unmatched-disposition", `match "stride.*@app-to-pmp" matches no identified threat`, "did you mean stride.*@app-to-pump?"},
		{25, "unmatched-disposition", `match "flow.no-integrty@*" matches no identified threat`, "did you mean flow.no-integrity@*?"},
	}
	if len(diags) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%v", len(diags), len(want), diags)
	}
	for i, w := range want {
		d := diags[i]
		if d.Pos.Line != w.line || d.Pos.Col != 12 || d.Code != w.code || d.Severity != diag.Error {
			t.Errorf("diag %d = %s [%s], want line %d col 12 code %s", i, d.Error(), d.Code, w.line, w.code)
		}
		if !strings.HasPrefix(d.Summary, w.summary) {
			t.Errorf("diag %d summary = %q, want prefix %q", i, d.Summary, w.summary)
		}
		if !strings.HasPrefix(d.Fix, w.fix) {
			t.Errorf("diag %d fix = %q, want prefix %q", i, d.Fix, w.fix)
		}
		if d.Path != "threats["+string(rune('0'+i))+"].match" {
			t.Errorf("diag %d path = %q", i, d.Path)
		}
	}
}

func TestScopeOut(t *testing.T) {
	m := pumpModel()
	m.Elements[0].Scope = model.Scope{Out: true, Reason: "covered by the pump's own threat model"} // pump-fw
	m.Flows[1].Scope = model.Scope{Out: true}                                                      // pump-to-app
	m.Threats = []model.ThreatEntry{
		entry(30, model.ThreatEntry{Match: "hw.debug-port-open@pump-uart", Status: "mitigated"}),
		entry(31, model.ThreatEntry{ID: "TH-1", Title: "pump firmware replaced at the factory", Element: "pump-fw", STRIDE: Tampering}),
	}
	reg, diags := Identify(m, testLibrary(t, testRules()...), Options{})
	if diags.HasErrors() {
		t.Fatalf("errors: %v", diags)
	}

	out := map[string]bool{"pump-fw": true, "pump-to-app": true, "pump-swd": true, "pump-jtag": true, "pump-uart": true, "pump-usb": true}
	for _, th := range reg.Threats {
		if out[th.Target.ID] && th.ID != "TH-1" {
			t.Errorf("out-of-scope %s has threat %s", th.Target.ID, th.ID)
		}
	}
	for _, row := range reg.Coverage.Rows {
		if out[row.Target.ID] {
			t.Errorf("out-of-scope %s has a coverage row", row.Target.ID)
		}
	}
	// Threats of neighbours stay: the flow into the pump is in scope.
	if _, ok := findThreat(reg, "stride.denial-of-service@app-to-pump"); !ok {
		t.Error("in-scope flow to an out-of-scope element lost its threats")
	}
	// freertos is only used by the out-of-scope pump firmware.
	if row := slices.IndexFunc(reg.Coverage.Rows, func(r MatrixRow) bool { return r.Target.ID == "freertos" }); row >= 0 {
		t.Error("dependency of an out-of-scope element only is still in scope")
	}

	codes := map[string]diag.Severity{}
	for _, d := range diags {
		codes[d.Code] = d.Severity
	}
	want := map[string]diag.Severity{"disposition-out-of-scope": diag.Warning, "threat-out-of-scope": diag.Warning}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("diagnostic codes diff (-want +got):\n%s", diff)
	}
}

func TestSuppression(t *testing.T) {
	m := pumpModel()
	s := model.Suppression{Rule: "linddun.*", Justification: "the log holds pseudonymous readings only"}
	s.SetPos(at(40), nil)
	stale := model.Suppression{Rule: "stride.tamperng", Justification: "old"}
	stale.SetPos(at(42), nil)
	m.Elements[1].Suppress = []model.Suppression{s, stale} // pump-log
	sw := model.Suppression{Rule: "stride.tampering", Justification: "covered by flow.no-integrity"}
	m.Flows[1].Suppress = []model.Suppression{sw} // pump-to-app
	m.Threats = []model.ThreatEntry{entry(50, model.ThreatEntry{Match: "linddun.linking@pump-log", Status: "mitigated"})}

	reg, diags := Identify(m, testLibrary(t, testRules()...), Options{})
	if diags.HasErrors() {
		t.Fatalf("errors: %v", diags)
	}
	for _, th := range reg.Threats {
		if th.Target.ID == "pump-log" && strings.HasPrefix(th.Rule, "linddun.") {
			t.Errorf("suppressed %s still listed", th.ID)
		}
	}
	var suppressedIDs []string
	for _, st := range reg.Suppressed {
		suppressedIDs = append(suppressedIDs, st.Threat.ID)
		if st.Threat.Target.ID == "pump-log" && (st.Justification != s.Justification || st.Pos.Line != 40) {
			t.Errorf("suppressed %s lacks its justification or position: %+v", st.Threat.ID, st)
		}
	}
	if !slices.Contains(suppressedIDs, "linddun.linking@pump-log") {
		t.Errorf("suppressed = %v, want linddun.linking@pump-log", suppressedIDs)
	}
	// The rule glob also matches the rule part of an alias.
	if !slices.Contains(suppressedIDs, "flow.no-integrity@pump-to-app") {
		t.Errorf("suppressed = %v, want flow.no-integrity@pump-to-app through its STRIDE alias", suppressedIDs)
	}
	if len(diags) != 1 || diags[0].Code != "unused-suppression" || diags[0].Pos.Line != 42 || diags[0].Severity != diag.Warning {
		t.Fatalf("diags = %v, want one unused-suppression warning at line 42", diags)
	}
	if want := "did you mean stride.tampering?"; !strings.HasPrefix(diags[0].Fix, want) {
		t.Errorf("fix = %q, want it to start with %q", diags[0].Fix, want)
	}
}

func TestHandWritten(t *testing.T) {
	m := pumpModel()
	m.Threats = []model.ThreatEntry{
		entry(60, model.ThreatEntry{ID: "TH-1", Title: "insider leaks the pairing key list", Description: "A factory worker copies keys.",
			Element: "cloud-api", STRIDE: InformationDisclosure, Status: "mitigated", Justification: "keys wrapped by an HSM"}),
		entry(61, model.ThreatEntry{ID: "TH-2", Title: "whole fleet bricked", Vector: "network",
			Impact: model.Impact{Availability: "high"}}),
		entry(62, model.ThreatEntry{ID: "TH-3", Title: "bad target", Element: "no-such-item"}),
		entry(63, model.ThreatEntry{ID: "stride.repudiation@pump-fw", Title: "clash"}),
		entry(64, model.ThreatEntry{Match: "TH-2", Status: "accepted"}),
	}
	reg, diags := Identify(m, nil, Options{Methods: []string{MethodSTRIDE, MethodManual}})

	th1, ok := findThreat(reg, "TH-1")
	if !ok {
		t.Fatal("TH-1 not listed")
	}
	if th1.Target.ID != "cloud-api" || th1.Vector != VectorNetwork || th1.Impact.Confidentiality != "high" || th1.Disposition.Status != "mitigated" {
		t.Errorf("TH-1 = %+v", th1)
	}
	th2, _ := findThreat(reg, "TH-2")
	if th2.Target.Kind != TargetSystem || th2.Impact != (CIA{"none", "none", "high"}) || th2.Disposition.Status != "accepted" {
		t.Errorf("TH-2 = %+v", th2)
	}
	if _, ok := findThreat(reg, "TH-3"); ok {
		t.Error("TH-3 with an unknown element is listed")
	}

	var got []string
	for _, d := range diags {
		got = append(got, d.Code+"@"+d.Pos.String())
	}
	want := []string{"dangling-ref@ward.yaml:62:5", "duplicate-id@ward.yaml:63:9"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics diff (-want +got):\n%s", diff)
	}
}

func TestVulnerabilityDispositionsWithoutData(t *testing.T) {
	tests := []struct {
		name   string
		match  string
		looked bool
		code   string
		sev    diag.Severity
	}{
		{"rule threat, no database", "supply.known-vulnerable@freertos", false, "unchecked-vulnerability-dispositions", diag.Warning},
		{"method threat, no database", "vuln.known@*", false, "unchecked-vulnerability-dispositions", diag.Warning},
		{"database read, nothing matched", "supply.known-vulnerable@freertos", true, "no-matching-vulnerabilities", diag.Warning},
		{"glob over other rules too", "*@freertoss", false, "unmatched-disposition", diag.Error},
		{"other rule", "store.unencrypted@freertos", false, "unmatched-disposition", diag.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pumpModel()
			m.Threats = []model.ThreatEntry{entry(60, model.ThreatEntry{Match: tt.match, Status: "accepted", Justification: "j"})}
			_, diags := Identify(m, testLibrary(t, testRules()...), Options{VulnerabilitiesLooked: tt.looked})
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1:\n%v", len(diags), diags)
			}
			if diags[0].Code != tt.code || diags[0].Severity != tt.sev {
				t.Errorf("got %s (%v), want code %s with severity %v", diags[0].Code, diags[0].Severity, tt.code, tt.sev)
			}
		})
	}
}
