package risk

import (
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

func pumpModel() *model.Model {
	f := false
	return &model.Model{
		Data: []model.Data{
			{ID: "cmd", Category: "therapy", Integrity: "high"},
			{ID: "records", Category: "phi", Confidentiality: "high"},
			{ID: "telemetry", Category: "telemetry"},
		},
		Elements: []model.Element{
			{ID: "fw", Kind: "process", Stores: []string{"cmd"}},
			{ID: "db", Kind: "store", Stores: []string{"records"}, Encrypted: &f},
		},
		Flows: []model.Flow{
			{ID: "app-to-pump", From: "app", To: "fw", Data: []string{"cmd"}, Authentication: "mutual"},
			{ID: "open-api", From: "x", To: "db", Data: []string{"records"}, Authentication: "none"},
			{ID: "status", From: "fw", To: "app", Data: []string{"telemetry"}},
		},
		Interfaces: []model.Interface{{ID: "swd", Of: "fw", Kind: "swd", Exposure: "board", Production: "locked"}},
		Controls: []model.Control{
			{ID: "C-OK", Status: "implemented", Verification: "VT-1", Category: "authentication"},
			{ID: "C-OK2", Status: "implemented", Verification: "VT-2", Category: "cryptography"},
			{ID: "C-OK3", Status: "implemented", Verification: "VT-3", Category: "authorization"},
			{ID: "C-RES", Status: "implemented", Verification: "VT-4", Category: "resiliency-recovery"},
			{ID: "C-PLAN", Status: "planned", Verification: "VT-5"},
			{ID: "C-UNVERIFIED", Status: "implemented"},
		},
	}
}

func mk(id, kind, vector string, impact threat.CIA, d threat.Disposition) threat.Threat {
	if d.Status == "" {
		d.Status = "open"
	}
	return threat.Threat{ID: "r@" + id, Pattern: &threat.Pattern{Rule: "r"}, Target: &threat.Target{ID: id, Kind: kind}, Vector: vector, Impact: impact, Disposition: &d}
}

func TestAssess(t *testing.T) {
	high := threat.CIA{Integrity: "high"}
	tests := []struct {
		name          string
		threat        threat.Threat
		before, after Rating
		acceptable    bool
		reason        string
	}{
		{
			name:   "mutual auth lowers adjacent exploitability, therapy data raises severity",
			threat: mk("app-to-pump", "flow", "adjacent", high, threat.Disposition{}),
			before: Rating{Low, Critical, High}, after: Rating{Low, Critical, High},
			reason: "safety-relevant data at stake (cmd)",
		},
		{
			name:   "no authentication on network flow, phi disclosed",
			threat: mk("open-api", "flow", "network", threat.CIA{Confidentiality: "medium"}, threat.Disposition{}),
			before: Rating{Critical, High, Critical}, after: Rating{Critical, High, Critical},
			reason: "no authentication required",
		},
		{
			name:   "two verified controls lower exploitability by two",
			threat: mk("open-api", "flow", "network", threat.CIA{Confidentiality: "medium"}, threat.Disposition{Status: "mitigated", Controls: []string{"C-OK", "C-OK2", "C-OK3"}}),
			before: Rating{Critical, High, Critical}, after: Rating{Medium, High, High},
			reason: "lower exploitability by 2",
		},
		{
			name:   "planned and unverified controls lower nothing",
			threat: mk("status", "flow", "network", threat.CIA{Availability: "low"}, threat.Disposition{Status: "mitigated", Controls: []string{"C-PLAN", "C-UNVERIFIED"}}),
			before: Rating{High, Low, Medium}, after: Rating{High, Low, Medium},
			reason: "lower nothing",
		},
		{
			name:   "resiliency control lowers severity",
			threat: mk("status", "flow", "local", threat.CIA{Availability: "high"}, threat.Disposition{Status: "mitigated", Controls: []string{"C-RES"}}),
			before: Rating{Medium, High, High}, after: Rating{Low, Medium, Low}, acceptable: true,
		},
		{
			name:   "hazard link raises severity",
			threat: mk("swd", "interface", "physical", threat.CIA{Confidentiality: "low"}, threat.Disposition{Hazards: []string{"HAZ-1"}}),
			before: Rating{Low, High, Medium}, after: Rating{Low, High, Medium},
			reason: "linked to hazard HAZ-1",
		},
		{
			name:   "accepted with justification",
			threat: mk("status", "flow", "network", threat.CIA{Integrity: "medium"}, threat.Disposition{Status: "accepted", Justification: "Telemetry only."}),
			before: Rating{High, Medium, High}, after: Rating{High, Medium, High}, acceptable: true,
			reason: "accepted with a justification",
		},
		{
			name:   "accepted without justification",
			threat: mk("status", "flow", "network", threat.CIA{Integrity: "medium"}, threat.Disposition{Status: "accepted"}),
			before: Rating{High, Medium, High}, after: Rating{High, Medium, High},
			reason: "above the accepted level low",
		},
		{
			name: "mitigated with justification above the accepted level",
			threat: mk("open-api", "flow", "network", threat.CIA{Confidentiality: "medium"}, threat.Disposition{Status: "mitigated",
				Controls: []string{"C-OK", "C-OK2"}, Justification: "Accepted at the risk review."}),
			before: Rating{Critical, High, Critical}, after: Rating{Medium, High, High},
			reason: "status mitigated does not accept it",
		},
		{
			name: "transferred with justification above the accepted level",
			threat: mk("status", "flow", "network", threat.CIA{Integrity: "medium"}, threat.Disposition{Status: "transferred",
				Justification: "The hospital network operator runs this link."}),
			before: Rating{High, Medium, High}, after: Rating{High, Medium, High}, acceptable: true,
			reason: "transferred with a justification",
		},
		{
			name:   "avoided",
			threat: mk("status", "flow", "network", high, threat.Disposition{Status: "avoided"}),
			before: Rating{High, High, High}, after: Rating{Low, Low, Low}, acceptable: true,
		},
		{
			name:   "CVSS v3.1 exploitability",
			threat: mk("fw", "process", "network", high, threat.Disposition{CVSS: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}),
			before: Rating{Low, Critical, High}, after: Rating{Low, Critical, High},
			reason: "exploitability sub-score 0.9",
		},
		{
			name:   "CVSS v4.0 exploitability",
			threat: mk("db", "store", "network", threat.CIA{}, threat.Disposition{CVSS: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}),
			before: Rating{Critical, Low, Medium}, after: Rating{Critical, Low, Medium},
		},
		{
			name:   "invalid CVSS ignored with a reason",
			threat: mk("db", "store", "local", threat.CIA{}, threat.Disposition{CVSS: "CVSS:3.1/AV:X"}),
			before: Rating{Medium, Low, Low}, after: Rating{Medium, Low, Low}, acceptable: true,
			reason: "CVSS vector ignored",
		},
		{
			name: "overrides in the threat entry",
			threat: mk("db", "store", "local", threat.CIA{}, threat.Disposition{Entry: &model.ThreatEntry{
				Exploitability: "high", Severity: "critical", ResidualExploitability: "low", ResidualSeverity: "medium"}}),
			before: Rating{High, Critical, Critical}, after: Rating{Low, Medium, Low}, acceptable: true,
			reason: "as set in the threat entry",
		},
	}
	m := pumpModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Assess(m, []threat.Threat{tt.threat}, Options{})[0]
			if got.Before != tt.before {
				t.Errorf("Before = %+v, want %+v (%s)", got.Before, tt.before, got.Reason)
			}
			if got.After != tt.after {
				t.Errorf("After = %+v, want %+v (%s)", got.After, tt.after, got.Reason)
			}
			if got.Acceptable != tt.acceptable {
				t.Errorf("Acceptable = %v, want %v (%s)", got.Acceptable, tt.acceptable, got.Reason)
			}
			if !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to contain %q", got.Reason, tt.reason)
			}
			if got.ThreatID != tt.threat.ID {
				t.Errorf("ThreatID = %q, want %q", got.ThreatID, tt.threat.ID)
			}
		})
	}
}

func TestAssessSafetyData(t *testing.T) {
	m := &model.Model{
		Data: []model.Data{
			{ID: "cmd", Category: "therapy"},
			{ID: "readings", Category: "diagnostic"},
			{ID: "alarms", Category: "alarm"},
			{ID: "status", Category: "telemetry"},
		},
		Elements: []model.Element{
			{ID: "meter", Kind: "process"},
			{ID: "app", Kind: "process"},
			{ID: "log", Kind: "store", Stores: []string{"readings", "status"}},
		},
		Flows: []model.Flow{
			{ID: "meter-to-app", From: "meter", To: "app", Data: []string{"readings", "status"}},
			{ID: "app-alarms", From: "app", To: "app", Data: []string{"alarms"}},
			{ID: "app-status", From: "app", To: "log", Data: []string{"status"}},
		},
		Interfaces: []model.Interface{{ID: "uart", Of: "meter", Kind: "uart", Exposure: "board"}},
	}
	tests := []struct {
		name     string
		threat   threat.Threat
		want     []string
		severity Level
	}{
		{"diagnostic readings on a flow, integrity high",
			mk("meter-to-app", threat.TargetFlow, "adjacent", threat.CIA{Integrity: "high"}, threat.Disposition{}), []string{"readings"}, Critical},
		{"diagnostic readings on a flow, availability high",
			mk("meter-to-app", threat.TargetFlow, "adjacent", threat.CIA{Availability: "high"}, threat.Disposition{}), []string{"readings"}, Critical},
		{"diagnostic readings on a flow, integrity medium",
			mk("meter-to-app", threat.TargetFlow, "adjacent", threat.CIA{Integrity: "medium"}, threat.Disposition{}), nil, Medium},
		{"confidentiality only",
			mk("meter-to-app", threat.TargetFlow, "adjacent", threat.CIA{Confidentiality: "high"}, threat.Disposition{}), nil, High},
		{"store keeping readings",
			mk("log", "store", "local", threat.CIA{Integrity: "high"}, threat.Disposition{}), []string{"readings"}, Critical},
		{"process that keeps nothing but exchanges readings and alarms",
			mk("app", "process", "local", threat.CIA{Integrity: "high"}, threat.Disposition{}), []string{"readings", "alarms"}, Critical},
		{"interface of the meter",
			mk("uart", threat.TargetInterface, "physical", threat.CIA{Integrity: "high"}, threat.Disposition{}), []string{"readings"}, Critical},
		{"flow with telemetry only",
			mk("app-status", threat.TargetFlow, "local", threat.CIA{Integrity: "high"}, threat.Disposition{}), nil, High},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Assess(m, []threat.Threat{tt.threat}, Options{})[0]
			if !slices.Equal(got.SafetyData, tt.want) {
				t.Errorf("SafetyData = %v, want %v", got.SafetyData, tt.want)
			}
			if got.Before.Severity != tt.severity {
				t.Errorf("severity = %s, want %s (%s)", got.Before.Severity, tt.severity, got.Reason)
			}
		})
	}
}

func TestPolicyOf(t *testing.T) {
	m := &model.Model{Risk: model.RiskPolicy{Accept: "medium", Matrix: map[string]map[string]string{
		"low": {"critical": "critical", "bogus": "low"}, "high": {"low": "low"},
	}}}
	p := PolicyOf(m)
	if got := p.Matrix.Level(Low, Critical); got != Critical {
		t.Errorf("overridden cell low/critical = %s, want critical", got)
	}
	if got := p.Matrix.Level(High, Low); got != Low {
		t.Errorf("overridden cell high/low = %s, want low", got)
	}
	if got := p.Matrix.Level(Medium, Medium); got != Medium {
		t.Errorf("default cell medium/medium = %s, want medium", got)
	}
	if !p.Acceptable(Medium) || p.Acceptable(High) {
		t.Errorf("accept medium: Acceptable(medium)=%v Acceptable(high)=%v", p.Acceptable(Medium), p.Acceptable(High))
	}
	if none := PolicyOf(&model.Model{Risk: model.RiskPolicy{Accept: "none"}}); none.Acceptable(Low) {
		t.Error("accept none: low residual risk accepted")
	}
	if def := PolicyOf(&model.Model{}); !def.Acceptable(Low) || def.Acceptable(Medium) {
		t.Error("default policy must accept low and nothing above")
	}

	diags := CheckPolicy(m)
	if len(diags) != 1 || diags[0].Path != "risk.matrix.low.bogus" {
		t.Errorf("CheckPolicy = %v, want one diagnostic at risk.matrix.low.bogus", diags)
	}
}

func TestDefaultMatrixIsMonotonic(t *testing.T) {
	for e := range Levels {
		for s := range Levels {
			l := defaultMatrix[e][s].index()
			if e > 0 && defaultMatrix[e-1][s].index() > l || s > 0 && defaultMatrix[e][s-1].index() > l {
				t.Errorf("default matrix decreases at exploitability %s, severity %s", Levels[e], Levels[s])
			}
		}
	}
}

func TestAcceptanceAboveCriterion(t *testing.T) {
	tests := []struct {
		status                   string
		acceptable, needsJustify bool
	}{
		{"accepted", true, true},
		{"transferred", true, true},
		{"avoided", true, false},
		{"not-applicable", true, false},
		{"mitigated", false, false},
		{"open", false, false},
	}
	for _, tt := range tests {
		acceptable, needs := AcceptanceAboveCriterion(tt.status)
		if acceptable != tt.acceptable || needs != tt.needsJustify {
			t.Errorf("AcceptanceAboveCriterion(%s) = %v, %v; want %v, %v", tt.status, acceptable, needs, tt.acceptable, tt.needsJustify)
		}
	}
}
