package conformance_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/conformance"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
)

const corpus = "../../../shared/corpus"

// assessSource parses a model written inline and runs the pipeline on it.
func assessSource(t *testing.T, src string, opts pipeline.Options) *assessment.Assessment {
	t.Helper()
	m, diags := model.Parse("ward.yaml", []byte(src), model.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}
	opts.Date = checkDate
	a, diags, err := pipeline.Assess(m, opts)
	if err != nil || a == nil {
		t.Fatalf("Assess: %v %v", err, diags)
	}
	return a
}

// glucoseMeter is a glucose meter that sends readings, used for diagnosis
// and dosing, to a phone app over an unprotected BLE link. The rule
// safety.readings-falsified fires on that flow.
const glucoseMeter = `ward: 1
system:
  id: meter
  name: Glucose meter
  document: {id: TM-G, version: "1"}
  lifecycle: development
data:
  - id: readings
    name: Glucose readings
    category: diagnostic
    confidentiality: medium
    integrity: high
    availability: medium
boundaries:
  - {id: device, name: Meter enclosure, kind: physical}
  - {id: phone, name: Patient phone, kind: physical}
elements:
  - {id: meter-fw, kind: process, name: Meter firmware, boundary: device}
  - {id: app, kind: process, name: Phone app, boundary: phone}
flows:
  - id: meter-to-app
    from: meter-fw
    to: app
    protocol: {name: ble}
    data: [readings]
    authentication: none
    encryption: false
hazards:
  - id: HAZ-1
    name: Wrong dose taken on a wrong reading
`

func TestHazardLinksDiagnosticData(t *testing.T) {
	a := assessSource(t, glucoseMeter, pipeline.Options{})

	r := resultOf(t, a, "fda.hazards")
	if r.Status != assessment.Fail {
		t.Fatalf("fda.hazards = %s %q, want fail: falsified readings lead to a wrong dose", r.Status, r.Message)
	}
	ids := evidenceIDs(r)
	if !slices.Contains(ids, "safety.readings-falsified@meter-to-app") {
		t.Errorf("fda.hazards evidence %v, want safety.readings-falsified@meter-to-app", ids)
	}
	if !strings.Contains(r.Message, "diagnostic") {
		t.Errorf("fda.hazards message %q, want it to name diagnostic data", r.Message)
	}

	// The risk assessment and fda.hazards must agree threat by threat.
	for _, rr := range a.Risks {
		if len(rr.SafetyData) > 0 && !slices.Contains(ids, rr.ThreatID) {
			t.Errorf("risk marks %s safety-relevant (%v), but fda.hazards does not list it", rr.ThreatID, rr.SafetyData)
		}
	}
	falsified, ok := a.Risk("safety.readings-falsified@meter-to-app")
	if !ok || !slices.Equal(falsified.SafetyData, []string{"readings"}) || !strings.Contains(falsified.Reason, "safety-relevant data at stake") {
		t.Errorf("risk of the falsified readings = %+v, want safety data [readings] raising severity", falsified)
	}

	linked := assessSource(t, glucoseMeter+`threats:
  - match: "*@meter-to-app"
    status: open
    hazards: [HAZ-1]
  - match: "*@meter-fw"
    status: open
    hazards: [HAZ-1]
  - match: "*@app"
    status: open
    hazards: [HAZ-1]
`, pipeline.Options{})
	r = resultOf(t, linked, "fda.hazards")
	if r.Status != assessment.Pass || strings.HasPrefix(r.Message, "0 ") || len(r.Evidence) == 0 {
		t.Errorf("fda.hazards with links = %s %q with %d evidence, want a pass that counts and lists the linked threats", r.Status, r.Message, len(r.Evidence))
	}
}

func evidenceIDs(r assessment.Result) []string {
	ids := make([]string, len(r.Evidence))
	for i, ev := range r.Evidence {
		ids[i] = ev.ID
	}
	return ids
}

func TestIssueHandlingWithoutIssues(t *testing.T) {
	a := assessSource(t, glucoseMeter, pipeline.Options{})
	r := resultOf(t, a, "issues.handling")
	if r.Status != assessment.NotChecked {
		t.Fatalf("issues.handling without issues = %s %q, want not-checked", r.Status, r.Message)
	}
	if !strings.Contains(r.Message, "no security-related issues are recorded") || !strings.Contains(r.Message, "examined") {
		t.Errorf("message %q, want it to say that no issue was examined", r.Message)
	}
	if !strings.Contains(r.Fix, "issues.handling") {
		t.Errorf("fix %q, want the not_applicable key to use when there are none", r.Fix)
	}
}

// vulnModel writes a model whose dependencies come from a corpus SBOM with
// npm packages that the corpus OSV records match (minimist and ws).
func vulnModel(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus folder %s not found", corpus)
	}
	sbom, err := os.ReadFile(filepath.Join(corpus, "sbom", "cyclonedx", "cern-lhc-vdm-editor-npm.bom.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.bom.json"), sbom, 0o644); err != nil {
		t.Fatal(err)
	}
	src := `ward: 1
system:
  id: web
  name: Web tool
  document: {id: TM-W, version: "1"}
  lifecycle: development
elements:
  - id: app
    kind: process
    name: App
sboms: [app.bom.json]
`
	path := filepath.Join(dir, "ward.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVulnerabilityChecksNeedTheirInputs(t *testing.T) {
	path := vulnModel(t)
	dir := filepath.Dir(path)
	listed := filepath.Join(dir, "kev-listed.json")
	if err := os.WriteFile(listed, []byte(`{"catalogVersion": "2025.01.01", "vulnerabilities": [{"cveID": "CVE-2021-44906",
		"vulnerabilityName": "minimist prototype pollution", "dateAdded": "2025-01-01"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	unlisted := filepath.Join(dir, "kev-other.json")
	if err := os.WriteFile(unlisted, []byte(`{"catalogVersion": "2026.11.20", "vulnerabilities": [{"cveID": "CVE-1999-0001",
		"vulnerabilityName": "unrelated", "dateAdded": "2025-01-01"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(corpus, "osv")

	tests := []struct {
		name          string
		opts          pipeline.Options
		kev, assessed string
		kevFix        string
	}{
		{"no database", pipeline.Options{}, assessment.NotChecked, assessment.NotChecked, "--db"},
		{"database without KEV catalog", pipeline.Options{VulnDB: db}, assessment.NotChecked, assessment.Fail, "--kev"},
		{"KEV catalog listing a match", pipeline.Options{VulnDB: db, KEV: listed}, assessment.Fail, assessment.Fail, ""},
		{"KEV catalog listing no match", pipeline.Options{VulnDB: db, KEV: unlisted}, assessment.Pass, assessment.Fail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Date = checkDate
			tt.opts.VulnIndex = filepath.Join(t.TempDir(), "osv.idx")
			a, diags, err := pipeline.Run(path, tt.opts)
			if err != nil || a == nil {
				t.Fatalf("Run: %v %v", err, diags)
			}
			kev := resultOf(t, a, "fda.kev")
			if kev.Status != tt.kev {
				t.Errorf("fda.kev = %s %q, want %s", kev.Status, kev.Message, tt.kev)
			}
			if tt.kevFix != "" && !strings.Contains(kev.Fix, tt.kevFix) {
				t.Errorf("fda.kev fix %q, want it to name %s", kev.Fix, tt.kevFix)
			}
			if kev.Status == assessment.Pass && !strings.Contains(kev.Message, "2026.11.20") {
				t.Errorf("fda.kev pass %q, want it to name the catalog version read", kev.Message)
			}
			if got := resultOf(t, a, "fda.vulns-assessed"); got.Status != tt.assessed {
				t.Errorf("fda.vulns-assessed = %s %q, want %s", got.Status, got.Message, tt.assessed)
			}
		})
	}
}

func TestVulnerabilityChecksWithoutPurls(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus folder %s not found", corpus)
	}
	a := assessSource(t, glucoseMeter+`dependencies:
  - {id: rtos, name: Some RTOS, version: "1.0", kind: os}
`, pipeline.Options{VulnDB: filepath.Join(corpus, "osv"), VulnIndex: filepath.Join(t.TempDir(), "osv.idx")})
	for _, id := range []string{"fda.kev", "fda.vulns-assessed"} {
		r := resultOf(t, a, id)
		if r.Status != assessment.NotChecked || !strings.Contains(r.Fix, "purl") {
			t.Errorf("%s with no matchable dependency = %s %q, fix %q; want not-checked asking for purls", id, r.Status, r.Message, r.Fix)
		}
	}
}

func TestFailuresSkipNotChecked(t *testing.T) {
	results := []assessment.Result{{Status: assessment.NotChecked}, {Status: assessment.Fail}, {Status: assessment.Warning}, {Status: assessment.Pass}}
	if f, w := conformance.Failures(results); f != 1 || w != 1 {
		t.Errorf("Failures = %d, %d; want 1, 1", f, w)
	}
}

func TestTrackersNameWhatWasExamined(t *testing.T) {
	src := glucoseMeter + `threats:
  - id: T-1
    title: Readings replayed from an old session
    element: meter-to-app
    stride: tampering
    impact: {integrity: high}
    vector: adjacent
    status: open
    hazards: [HAZ-1]
  - id: T-2
    title: Meter firmware replaced over the air
    element: meter-fw
    stride: tampering
    impact: {integrity: high}
    vector: adjacent
    status: open
    hazards: [HAZ-1]
    tracker: https://tracker.example/SEC-2
`
	a := assessSource(t, src, pipeline.Options{})
	r := resultOf(t, a, "quality.trackers")
	if r.Status != assessment.Warning {
		t.Fatalf("quality.trackers = %s %q, want warning for T-1", r.Status, r.Message)
	}
	if ids := evidenceIDs(r); !slices.Equal(ids, []string{"T-1"}) {
		t.Errorf("evidence %v, want only T-1", ids)
	}
	if !strings.Contains(r.Message, "without a threats entry") || !strings.Contains(r.Message, "not examined") {
		t.Errorf("message %q, want it to say that threats without an entry were not examined", r.Message)
	}

	a = assessSource(t, strings.Replace(src, "    status: open\n    hazards: [HAZ-1]\n  - id: T-2",
		"    status: open\n    hazards: [HAZ-1]\n    tracker: SEC-1\n  - id: T-2", 1), pipeline.Options{})
	r = resultOf(t, a, "quality.trackers")
	if r.Status != assessment.Pass {
		t.Fatalf("quality.trackers with both tracked = %s %q, want pass", r.Status, r.Message)
	}
	if !strings.HasPrefix(r.Message, "2 threats kept open by their threats entry are linked") || strings.Contains(r.Message, "every open threat") {
		t.Errorf("pass message %q, want it to count the threats entries it examined", r.Message)
	}
	if len(r.Evidence) != 2 {
		t.Errorf("pass evidence %v, want T-1 and T-2 with their trackers", r.Evidence)
	}
}

func TestResidualRiskFixNamesTheStep(t *testing.T) {
	src := glucoseMeter + `threats:
  - id: T-LOW
    title: Readings changed with a bench probe on the meter board
    element: meter-fw
    stride: tampering
    impact: {integrity: high}
    vector: physical
    exploitability: low
    severity: critical
    status: open
    hazards: [HAZ-1]
    tracker: SEC-1
  - id: T-HIGH
    title: Readings changed by a nearby radio
    element: meter-to-app
    stride: tampering
    impact: {integrity: high}
    vector: adjacent
    exploitability: high
    severity: critical
    status: open
    hazards: [HAZ-1]
    tracker: SEC-2
`
	a := assessSource(t, src, pipeline.Options{})
	r := resultOf(t, a, "fda.risk")
	if r.Status != assessment.Fail {
		t.Fatalf("fda.risk = %s %q, want fail", r.Status, r.Message)
	}
	notes := map[string]string{}
	for _, ev := range r.Evidence {
		notes[ev.ID] = ev.Note
	}
	low := notes["T-LOW"]
	if !strings.Contains(low, "exploitability is already low") || strings.Contains(low, "add implemented, verified controls") ||
		!strings.Contains(low, "justification") || !strings.Contains(low, "resiliency-recovery") {
		t.Errorf("T-LOW note %q, want: exploitability already low, so justify the acceptance or lower severity with a resiliency-recovery control", low)
	}
	if high := notes["T-HIGH"]; !strings.Contains(high, "add implemented, verified controls") {
		t.Errorf("T-HIGH note %q, want it to ask for verified controls", high)
	}
	for _, want := range []string{"for T-LOW", "its residual exploitability is already low", "for T-HIGH", "add implemented, verified controls"} {
		if !strings.Contains(r.Fix, want) {
			t.Errorf("fix %q, want it to contain %q", r.Fix, want)
		}
	}
}

func TestNotApplicableUnknownKey(t *testing.T) {
	src := `ward: 1
system:
  id: app
  name: Health app
  document: {id: TM-1, version: "1"}
  lifecycle: development
  not_applicable:
    tm.board-connections: Software-only product with no circuit board of its own.
    tm.securty-issues: No issues are known yet.
    board-connections: Same, without the prefix.
    tm.physical-ports: "  "
`
	path := filepath.Join(t.TempDir(), "ward.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, diags, err := model.Load(path, model.LoadOptions{})
	if err != nil || diags.HasErrors() {
		t.Fatalf("Load: %v %v", err, diags)
	}

	got := conformance.CheckNotApplicable(m)
	want := []struct {
		line, col int
		code      string
		text      string
	}{
		{9, 5, "unknown-requirement", "did you mean tm.security-issues?"},
		{10, 5, "unknown-requirement", "did you mean tm.board-connections?"},
		{11, 5, "missing-value", "without a reason"},
	}
	if len(got) != len(want) {
		t.Fatalf("CheckNotApplicable = %d diagnostics, want %d:\n%v", len(got), len(want), got)
	}
	for i, w := range want {
		d := got[i]
		if d.Pos.File != path || d.Pos.Line != w.line || d.Pos.Col != w.col {
			t.Errorf("diagnostic %d at %s, want %s:%d:%d", i, d.Pos, path, w.line, w.col)
		}
		if d.Code != w.code || d.Severity != diag.Error {
			t.Errorf("diagnostic %d = %s %s, want error %s", i, d.Severity, d.Code, w.code)
		}
		if !strings.Contains(d.Summary+"; "+d.Fix, w.text) {
			t.Errorf("diagnostic %d = %q / %q, want %q", i, d.Summary, d.Fix, w.text)
		}
	}
	if !strings.HasPrefix(got[0].Path, "system.not_applicable.tm.securty-issues") {
		t.Errorf("path %q, want the key as the user wrote it", got[0].Path)
	}

	// The pipeline, and so ward check and ward validate, report them.
	if _, diags, _ := pipeline.Assess(m, pipeline.Options{Date: checkDate}); !slices.ContainsFunc(diags, func(d diag.Diagnostic) bool {
		return d.Code == "unknown-requirement"
	}) {
		t.Errorf("pipeline.Assess diagnostics %v, want unknown-requirement", diags)
	}
}

func TestNotApplicableEvidencePointsAtKey(t *testing.T) {
	m, diags := model.Parse("na.yaml", []byte(`ward: 1
system:
  id: app
  name: Health app
  document: {id: TM-1, version: "1"}
  lifecycle: development
  not_applicable:
    tm.physical-ports: The app has no hardware.
    tm.board-connections: The app has no hardware.
`), model.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}
	a, _, err := pipeline.Assess(m, pipeline.Options{Date: checkDate})
	if err != nil {
		t.Fatal(err)
	}
	r := resultOf(t, a, "tm.board-connections")
	if len(r.Evidence) != 1 || r.Evidence[0].Line != 9 {
		t.Errorf("tm.board-connections evidence %+v, want line 9, where its key is", r.Evidence)
	}
}

func TestClausesRenderInParentheses(t *testing.T) {
	for _, r := range conformance.Catalog() {
		if strings.HasSuffix(r.Clause, ")") {
			t.Errorf("%s: clause %q ends in a parenthesis, so %q doubles it", r.ID, r.Clause, "("+r.Clause+")")
		}
	}
}

func TestVulnerabilityChecksNameDependenciesNotLookedUp(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus folder %s not found", corpus)
	}
	kev := filepath.Join(t.TempDir(), "kev.json")
	if err := os.WriteFile(kev, []byte(`{"catalogVersion": "2026.11.20", "vulnerabilities": [{"cveID": "CVE-1999-0001",
		"vulnerabilityName": "unrelated", "dateAdded": "2025-01-01"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	src := glucoseMeter + `dependencies:
  - {id: minimist, name: minimist, version: 1.2.5, purl: pkg:npm/minimist@1.2.5, kind: library}
  - {id: rtos, name: Some RTOS, version: "10.5", kind: os}
  - {id: radio, name: Radio driver, version: "2.0", purl: pkg:generic/acme/radio@2.0, kind: driver}
vulnerabilities:
  - {id: CVE-2021-44906, dependency: minimist, status: not-affected, justification: vulnerable_code_not_in_execute_path}
`
	// The assessment date is 2026-12-04, so a current database date keeps
	// the staleness warning out of this test.
	a := assessSource(t, src, pipeline.Options{VulnDB: filepath.Join(corpus, "osv"), KEV: kev, VulnIndex: filepath.Join(t.TempDir(), "osv.idx"), DBDate: "2026-12-01"})

	tests := []struct {
		requirement string
		want        []string
	}{
		{"fda.kev", []string{"among 1 match of 1 dependency looked up", "2 of 3 dependencies were not looked up",
			"1 without a purl (rtos)", "1 whose purl names no OSV ecosystem or distribution (radio)"}},
		{"fda.vulns-assessed", []string{"of 1 dependency looked up", "2 of 3 dependencies were not looked up", "(rtos)", "(radio)"}},
	}
	for _, tt := range tests {
		r := resultOf(t, a, tt.requirement)
		if r.Status != assessment.Pass {
			t.Errorf("%s = %s %q, want pass", tt.requirement, r.Status, r.Message)
		}
		for _, want := range tt.want {
			if !strings.Contains(r.Message, want) {
				t.Errorf("%s message %q lacks %q", tt.requirement, r.Message, want)
			}
		}
	}
}

func TestYearlyReviewNamesTheKindCounted(t *testing.T) {
	src := strings.Replace(glucoseMeter, "lifecycle: development", "lifecycle: released", 1) + `reviews:
  - date: 2026-03-02
    kind: periodic
    reviewers: [{name: A. Reviewer, role: security}]
    outcome: approved
  - date: 2026-06-15
    kind: change
    reviewers: [{name: A. Reviewer, role: security}]
    outcome: approved
`
	a := assessSource(t, src, pipeline.Options{})
	r := resultOf(t, a, "review.yearly")
	if r.Status != assessment.Pass {
		t.Fatalf("review.yearly = %s %q, want pass", r.Status, r.Message)
	}
	for _, want := range []string{"last periodic review on 2026-03-02", "not the change review on 2026-06-15", "next due by 2027-03-02"} {
		if !strings.Contains(r.Message, want) {
			t.Errorf("review.yearly message %q, want it to contain %q", r.Message, want)
		}
	}
}

func TestResidualRiskMitigatedIsNotAccepted(t *testing.T) {
	src := glucoseMeter + `threats:
  - id: T-MIT
    title: Readings changed with a bench probe on the meter board
    element: meter-fw
    stride: tampering
    impact: {integrity: high}
    vector: physical
    exploitability: low
    severity: critical
    status: mitigated
    hazards: [HAZ-1]
    justification: The board is potted. Accepted at risk review RR-1.
`
	a := assessSource(t, src, pipeline.Options{})
	r := resultOf(t, a, "fda.risk")
	if r.Status != assessment.Fail {
		t.Fatalf("fda.risk = %s %q, want fail: mitigated does not accept a high residual risk", r.Status, r.Message)
	}
	note := ""
	for _, ev := range r.Evidence {
		if ev.ID == "T-MIT" {
			note = ev.Note
		}
	}
	if !strings.Contains(note, "set status accepted") {
		t.Errorf("fda.risk note on T-MIT %q, want it to ask for status accepted", note)
	}

	a = assessSource(t, strings.Replace(src, "status: mitigated", "status: accepted", 1), pipeline.Options{})
	if ids := evidenceIDs(resultOf(t, a, "fda.risk")); slices.Contains(ids, "T-MIT") {
		t.Errorf("fda.risk with status accepted lists T-MIT in %v, want it acceptable", ids)
	}
}

func TestMitigationsNeedImplementedControl(t *testing.T) {
	src := glucoseMeter + `controls:
  - {id: C-SIGN, name: Signed readings, category: authentication, status: planned, verification: VT-1}
  - {id: C-LOCK, name: Locked debug port, category: authorization, status: implemented, verification: VT-2}
threats:
  - id: T-PLANNED
    title: Readings forged by a nearby radio
    element: meter-to-app
    stride: tampering
    impact: {integrity: high}
    vector: adjacent
    status: mitigated
    controls: [C-SIGN]
    hazards: [HAZ-1]
  - id: T-NONE
    title: Readings altered in meter memory
    element: meter-fw
    stride: tampering
    impact: {integrity: high}
    vector: physical
    status: mitigated
    hazards: [HAZ-1]
  - id: T-DONE
    title: Firmware read out through the debug port
    element: meter-fw
    stride: information-disclosure
    impact: {confidentiality: low}
    vector: physical
    status: mitigated
    controls: [C-SIGN, C-LOCK]
`
	a := assessSource(t, src, pipeline.Options{})
	r := resultOf(t, a, "quality.mitigations")
	if r.Status != assessment.Warning {
		t.Fatalf("quality.mitigations = %s %q, want warning", r.Status, r.Message)
	}
	if ids := evidenceIDs(r); !slices.Equal(ids, []string{"T-NONE", "T-PLANNED"}) {
		t.Errorf("evidence %v, want T-NONE and T-PLANNED", ids)
	}
	for _, ev := range r.Evidence {
		if ev.Line == 0 {
			t.Errorf("evidence %s has no position", ev.ID)
		}
	}
	notes := map[string]string{}
	for _, ev := range r.Evidence {
		notes[ev.ID] = ev.Note
	}
	if notes["T-PLANNED"] != "C-SIGN planned" {
		t.Errorf("T-PLANNED note %q, want %q", notes["T-PLANNED"], "C-SIGN planned")
	}
	if notes["T-NONE"] != "no controls listed" {
		t.Errorf("T-NONE note %q, want %q", notes["T-NONE"], "no controls listed")
	}
	if !strings.Contains(r.Message, "2 threats marked mitigated list no implemented control") {
		t.Errorf("message %q, want it to count the two threats", r.Message)
	}

	a = assessSource(t, strings.ReplaceAll(src, "status: planned", "status: implemented"), pipeline.Options{})
	if r := resultOf(t, a, "quality.mitigations"); r.Status != assessment.Warning || !slices.Equal(evidenceIDs(r), []string{"T-NONE"}) {
		t.Errorf("quality.mitigations with C-SIGN implemented = %s %v, want a warning for T-NONE only", r.Status, evidenceIDs(r))
	}
}

func TestVulnsAssessedWarnsOnStaleDatabase(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus folder %s not found", corpus)
	}
	src := glucoseMeter + `dependencies:
  - {id: helper, name: helper, version: "1.0.0", kind: library, purl: "pkg:npm/ward-test-helper-without-advisories@1.0.0"}
`
	tests := []struct {
		name   string
		dbDate string
		status string
		dates  []string
	}{
		{"within 30 days", "2026-11-04", assessment.Pass, nil},
		{"31 days old", "2026-11-03", assessment.Warning, []string{"2026-11-03", "31 days before the assessment date 2026-12-04"}},
		{"newest record date", "", assessment.Warning, []string{"dated 2026-07-15", "2026-12-04"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := assessSource(t, src, pipeline.Options{VulnDB: filepath.Join(corpus, "osv"), VulnIndex: filepath.Join(t.TempDir(), "osv.idx"), DBDate: tt.dbDate})
			r := resultOf(t, a, "fda.vulns-assessed")
			if r.Status != tt.status {
				t.Fatalf("fda.vulns-assessed = %s %q, want %s", r.Status, r.Message, tt.status)
			}
			for _, want := range tt.dates {
				if !strings.Contains(r.Message, want) {
					t.Errorf("message %q, want it to contain %q", r.Message, want)
				}
			}
			if tt.status == assessment.Warning && !strings.Contains(r.Fix, "--db-date") {
				t.Errorf("fix %q, want it to name --db-date", r.Fix)
			}
		})
	}
}
