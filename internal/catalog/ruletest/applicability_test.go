// Package ruletest checks the built-in rules against fixture models with the
// threat engine. It is separate from package catalog so that the catalog
// tests build without the engine.
package ruletest

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// expectation is one "# want:" or "# not:" mark in the fixture.
type expectation struct {
	threatID string
	present  bool
	line     int
}

var (
	itemIDPattern = regexp.MustCompile(`(?:^\s*-\s*(?:\{\s*)?id:\s*)([a-z0-9-]+)`)
	markPattern   = regexp.MustCompile(`#\s*(.*)$`)
)

// readExpectations collects the marks of a fixture model.
func readExpectations(t *testing.T, path string) []expectation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		id := itemIDPattern.FindStringSubmatch(text)
		mark := markPattern.FindStringSubmatch(text)
		if id == nil || mark == nil {
			continue
		}
		for _, clause := range strings.Split(mark[1], ";") {
			kind, rules, ok := strings.Cut(strings.TrimSpace(clause), ":")
			if !ok || (kind != "want" && kind != "not") {
				continue
			}
			for _, rule := range strings.Split(rules, ",") {
				out = append(out, expectation{strings.TrimSpace(rule) + "@" + id[1], kind == "want", line})
			}
		}
	}
	return out
}

// TestBuiltinApplicability runs the built-in rules on a fixture model and
// checks the marks on its lines: threats that must appear and threats the
// model shows cannot happen.
func TestBuiltinApplicability(t *testing.T) {
	path := filepath.Join("testdata", "ward.yaml")
	m, diags, err := model.Load(path, model.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("fixture model is invalid:\n%v", diags.Errors())
	}
	lib, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := threat.Identify(m, lib, threat.Options{Methods: []string{threat.MethodRules}})
	found := map[string]threat.Threat{}
	for _, th := range reg.Threats {
		found[th.ID] = th
	}

	marks := readExpectations(t, path)
	if len(marks) < 20 {
		t.Fatalf("read %d marks from %s, expected more", len(marks), path)
	}
	for _, e := range marks {
		rule, _, _ := strings.Cut(e.threatID, "@")
		if _, ok := lib.Rule(rule); !ok {
			t.Errorf("%s:%d names unknown rule %s", path, e.line, rule)
			continue
		}
		if _, ok := found[e.threatID]; ok != e.present {
			if e.present {
				t.Errorf("%s:%d: threat %s was not identified", path, e.line, e.threatID)
			} else {
				t.Errorf("%s:%d: threat %s was identified, but the model shows it cannot happen", path, e.line, e.threatID)
			}
		}
	}

	// Partly controlled debug ports get the residual variant.
	for id, residual := range map[string]bool{
		"hw.debug-port-open@swd-open":    false,
		"hw.debug-port-open@swd-locked":  true,
		"hw.debug-port-open@swd-unknown": false,
	} {
		if th, ok := found[id]; ok && th.Residual != residual {
			t.Errorf("%s residual = %v, want %v", id, th.Residual, residual)
		}
	}

	// Rules split by where the attacker must be, or by the data at stake,
	// carry the vector and impact of their own variant.
	for _, tc := range []struct {
		id              string
		vector          string
		confidentiality string
	}{
		{"proc.pin-guessing-local@keypad-unit", "physical", "medium"},
		{"proc.pairing-code-guessing@ble-lock", "adjacent", "medium"},
		{"hw.device-key-extraction@comms", "physical", "high"},
		{"proto.hl7-mllp-cleartext@hl7-orders", "network", "high"},
		{"proto.hl7-mllp-cleartext-operational@hl7-status", "network", "medium"},
	} {
		th, ok := found[tc.id]
		if !ok {
			t.Errorf("threat %s was not identified", tc.id)
			continue
		}
		if th.Vector != tc.vector {
			t.Errorf("%s vector = %s, want %s", tc.id, th.Vector, tc.vector)
		}
		if th.Impact.Confidentiality != tc.confidentiality {
			t.Errorf("%s confidentiality impact = %s, want %s", tc.id, th.Impact.Confidentiality, tc.confidentiality)
		}
	}
}
