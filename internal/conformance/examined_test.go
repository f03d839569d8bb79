package conformance_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/pipeline"
)

// bareDevice is a model with one process and nothing else: no data, no
// flows, no interfaces, no dependencies and no controls.
const bareDevice = `ward: 1
system:
  id: bare
  name: Bare device
  document: {id: TM-B, version: "1"}
  lifecycle: development
elements:
  - {id: fw, kind: process, name: Firmware}
`

// noThreats is a model in which STRIDE per element identifies no threat:
// its one process is out of scope. Run with only that method, because
// rules on the whole system still fire.
const noThreats = `ward: 1
system:
  id: bare
  name: Bare device
  document: {id: TM-B, version: "1"}
  lifecycle: development
elements:
  - id: fw
    kind: process
    name: Firmware
    scope: {out: true, reason: Analysed in another model.}
`

// withSystem adds lines to the system section of glucoseMeter, after its
// lifecycle line.
func withSystem(lines string) string {
	return strings.Replace(glucoseMeter, "  lifecycle: development\n", "  lifecycle: development\n"+lines, 1)
}

// withDependencies appends a dependencies section to glucoseMeter.
func withDependencies(deps string) string {
	return glucoseMeter + "dependencies:\n" + deps
}

// TestChecksNameWhatWasExamined covers checks that have nothing to examine
// in a model: they report not-checked or not-applicable, never pass, and
// their message names what was not examined.
func TestChecksNameWhatWasExamined(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		requirement string
		status      string
		// message and fix list parts that the message and the fix must
		// contain.
		message []string
		fix     []string
		// evidence lists the IDs the evidence must name, in order.
		evidence []string
		// note is part of an evidence note.
		note string
		// methods restricts the identification methods; nil runs all.
		methods []string
	}{
		{
			name: "yearly review in development", src: glucoseMeter, requirement: "review.yearly",
			status:   assessment.NotApplicable,
			message:  []string{`system.lifecycle is "development"`, "applies to released products only"},
			evidence: []string{"lifecycle"},
		},
		{
			name:        "yearly review after end of support",
			src:         strings.Replace(glucoseMeter, "lifecycle: development", "lifecycle: end-of-support", 1),
			requirement: "review.yearly", status: assessment.NotApplicable,
			message: []string{`system.lifecycle is "end-of-support"`},
		},
		{
			name: "justifications without accepted threats", src: glucoseMeter, requirement: "quality.justifications",
			status:  assessment.NotApplicable,
			message: []string{"no threat is accepted, transferred or not-applicable", "no justification was examined"},
		},
		{
			name: "trackers with nothing open", src: glucoseMeter, requirement: "quality.trackers",
			status:  assessment.NotApplicable,
			message: []string{"no threats entry has status open", "no issue is unresolved", "no tracker link was examined"},
		},
		{
			name: "dependency fields without dependencies", src: glucoseMeter, requirement: "quality.dependency-fields",
			status:  assessment.NotChecked,
			message: []string{"no dependencies are listed", "no classification, support level or end-of-support date was examined"},
			fix:     []string{"dependencies", "SBOM"},
		},
		{
			name: "control verification without controls", src: glucoseMeter, requirement: "quality.controls-verified",
			status:  assessment.NotChecked,
			message: []string{"no controls are listed", "no verification was examined"},
			fix:     []string{"controls"},
		},
		{
			name: "debug state without hardware interfaces", src: glucoseMeter, requirement: "quality.debug-state",
			status:  assessment.NotChecked,
			message: []string{"no interface is a debug port or a board or enclosure connection", "no production state was examined"},
			fix:     []string{"exposure: board", "tm.board-connections"},
		},
		{
			name:        "debug state of a software-only product",
			src:         withSystem("  not_applicable:\n    tm.board-connections: The app runs on the patient's own phone.\n"),
			requirement: "quality.debug-state", status: assessment.NotApplicable,
			message:  []string{"tm.board-connections is declared not applicable", "the patient's own phone"},
			evidence: []string{"not_applicable"},
		},
		{
			name: "end of support without dependencies", src: glucoseMeter, requirement: "fda.end-of-support",
			status:  assessment.NotChecked,
			message: []string{"no dependencies are listed", "no end of support was compared"},
			fix:     []string{"dependencies"},
		},
		{
			name: "end of support without dates",
			src: withDependencies(`  - {id: rtos, name: RTOS, kind: os, support: {level: active}}
  - {id: ble, name: BLE stack, kind: library}
`),
			requirement: "fda.end-of-support", status: assessment.NotChecked,
			message: []string{"none of 2 dependencies has support.ends", "none was compared with 2026-12-04"},
			fix:     []string{"support.ends"},
		},
		{
			name: "end of support with some dates missing",
			src: withDependencies(`  - {id: rtos, name: RTOS, kind: os, support: {level: active, ends: 2030-01-01}}
  - {id: ble, name: BLE stack, kind: library}
  - {id: crypto, name: Crypto library, kind: library, support: {level: active}}
`),
			requirement: "fda.end-of-support", status: assessment.Warning,
			message:  []string{"1 of 3 dependencies has an end-of-support date", "none past 2026-12-04", "2 without one were not compared: ble, crypto"},
			fix:      []string{"support.ends"},
			evidence: []string{"ble", "crypto"},
		},
		{
			name: "end of support past and undated",
			src: withDependencies(`  - {id: rtos, name: RTOS, kind: os, support: {level: active, ends: 2025-01-01}}
  - {id: ble, name: BLE stack, kind: library}
`),
			requirement: "fda.end-of-support", status: assessment.Fail,
			message:  []string{"1 dependency past the end of support: rtos", "1 without an end-of-support date was not compared: ble"},
			evidence: []string{"rtos"},
		},
		{
			name: "end of support all dated",
			src: withDependencies(`  - {id: rtos, name: RTOS, kind: os, support: {level: active, ends: 2030-01-01}}
  - {id: ble, name: BLE stack, kind: library, support: {level: security-only, ends: 2028-06-30}}
`),
			requirement: "fda.end-of-support", status: assessment.Pass,
			message:  []string{"all 2 dependencies have an end-of-support date after 2026-12-04"},
			evidence: []string{"rtos", "ble"},
		},
		{
			name: "hazards without data", src: bareDevice, requirement: "fda.hazards",
			status:  assessment.NotChecked,
			message: []string{"the model lists no data", "no threat was examined for safety-relevant impact"},
			fix:     []string{"data"},
		},
		{
			name:        "hazards without safety data",
			src:         strings.Replace(glucoseMeter, "category: diagnostic", "category: pii", 1),
			requirement: "fda.hazards", status: assessment.NotApplicable,
			message: []string{"no data item is of category therapy, alarm, configuration or diagnostic", "1 pii"},
		},
		{
			name: "method diversity counts threats and methods not run", src: glucoseMeter, requirement: "method.diversity",
			status: assessment.Pass,
			message: []string{"threats per identification method, a threat found by several methods counted under each: ",
				"not run for lack of input: known-vulnerability, because no vulnerability database was given"},
		},
		{
			name: "boundary flows without flows", src: bareDevice, requirement: "quality.boundary-flows",
			status:  assessment.NotChecked,
			message: []string{"no flows are listed", "no authentication or encryption decision was examined"},
			fix:     []string{"flows"},
		},
		{
			name:        "boundary flows without boundaries",
			src:         strings.NewReplacer(", boundary: device", "", ", boundary: phone", "").Replace(glucoseMeter),
			requirement: "quality.boundary-flows", status: assessment.NotChecked,
			message: []string{"no element is placed in a trust boundary", "no flow was examined"},
			fix:     []string{"boundary"},
		},
		{
			name:        "boundary flows inside one boundary",
			src:         strings.Replace(glucoseMeter, "boundary: phone}", "boundary: device}", 1),
			requirement: "quality.boundary-flows", status: assessment.NotApplicable,
			message: []string{"none of 1 flow crosses a trust boundary", "no authentication or encryption decision was examined"},
		},
		{
			name:        "protocols inside one boundary",
			src:         strings.Replace(glucoseMeter, "boundary: phone}", "boundary: device}", 1),
			requirement: "tm.protocols", status: assessment.Pass,
			message: []string{"no flow crosses a trust boundary; protocols inside boundaries: 1 ble"},
		},
		{
			name: "dispositions without threats", src: noThreats, requirement: "quality.dispositions",
			status:  assessment.NotChecked,
			message: []string{"no threats are identified, so no disposition was examined"},
			fix:     []string{"tm.threats"},
			methods: []string{"stride-per-element"},
		},
		{
			name: "residual risk without threats", src: noThreats, requirement: "fda.risk",
			status:  assessment.NotChecked,
			message: []string{"no threats are identified, so no residual risk was examined"},
			fix:     []string{"tm.threats"},
			methods: []string{"stride-per-element"},
		},
		{
			name: "CIA rating names the missing levels",
			src: strings.Replace(glucoseMeter, "boundaries:\n", `  - id: settings
    name: Pump settings
    category: configuration
    confidentiality: low
boundaries:
`, 1),
			requirement: "tm.cia", status: assessment.Fail,
			message:  []string{"1 data item without a complete CIA rating: settings (integrity and availability)"},
			evidence: []string{"settings"},
			note:     "integrity and availability not rated",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := assessSource(t, tt.src, pipeline.Options{Methods: tt.methods})
			r := resultOf(t, a, tt.requirement)
			if r.Status != tt.status {
				t.Errorf("%s = %s %q, want %s", tt.requirement, r.Status, r.Message, tt.status)
			}
			for _, want := range tt.message {
				if !strings.Contains(r.Message, want) {
					t.Errorf("%s message %q lacks %q", tt.requirement, r.Message, want)
				}
			}
			for _, want := range tt.fix {
				if !strings.Contains(r.Fix, want) {
					t.Errorf("%s fix %q lacks %q", tt.requirement, r.Fix, want)
				}
			}
			if tt.evidence != nil && !slices.Equal(evidenceIDs(r), tt.evidence) {
				t.Errorf("%s evidence %v, want %v", tt.requirement, evidenceIDs(r), tt.evidence)
			}
			if tt.note != "" && !slices.ContainsFunc(r.Evidence, func(ev assessment.Evidence) bool { return strings.Contains(ev.Note, tt.note) }) {
				t.Errorf("%s evidence %+v, want a note containing %q", tt.requirement, r.Evidence, tt.note)
			}
		})
	}
}
