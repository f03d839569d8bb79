package threat

import (
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/catalog"
)

func TestMatch(t *testing.T) {
	ix := newIndex(pumpModel(), Options{})
	store := factsOfTarget(t, ix, "store", "settings-file") // encrypted unset
	log := factsOfTarget(t, ix, "store", "pump-log")        // encrypted false, phi
	flow := factsOfTarget(t, ix, "flow", "app-to-pump")
	proc := factsOfTarget(t, ix, "process", "pump-fw")

	tests := []struct {
		name  string
		cond  *catalog.Condition
		facts *Facts
		want  bool
	}{
		{"nil matches", nil, store, true},
		{"bool equal", is("encrypted", false), log, true},
		{"bool differs", is("encrypted", true), log, false},
		{"quoted bool", is("encrypted", "false"), log, true},
		{"unset fails eq", is("encrypted", false), store, false},
		{"unset fails not_in", op("encrypted", catalog.OpNotIn, true), store, false},
		{"not over unset matches", not(is("encrypted", true)), store, true},
		{"exists false on unset", op("encrypted", catalog.OpExists, false), store, true},
		{"exists true on unset", op("encrypted", catalog.OpExists, true), store, false},
		{"exists true on set", op("encrypted", catalog.OpExists, true), log, true},
		{"string in", is("protocol", "wifi", "ble"), flow, true},
		{"string case ignored", is("protocol", "BLE"), flow, true},
		{"string not in", op("protocol", catalog.OpNotIn, "wifi", "usb"), flow, true},
		{"list contains", op("data_categories", catalog.OpContains, "phi"), log, true},
		{"list contains missing", op("data_categories", catalog.OpContains, "key"), log, false},
		{"list in any", is("data_categories", "key", "phi"), log, true},
		{"list not_in", op("data_categories", catalog.OpNotIn, "key", "credential"), log, true},
		{"level at_least equal", op("confidentiality", catalog.OpAtLeast, "high"), log, true},
		{"level at_least higher", op("integrity", catalog.OpAtLeast, "low"), log, true},
		{"level at_least lower", op("integrity", catalog.OpAtLeast, "high"), log, false},
		{"all holds", all(is("debug", true), is("kind", "store")), log, false},
		{"all of two", all(is("kind", "store"), is("encrypted", false)), log, true},
		{"any of two", anyOf(is("kind", "process"), is("encrypted", false)), log, true},
		{"any empty fails", &catalog.Condition{Any: []*catalog.Condition{}}, log, false},
		{"all empty holds", &catalog.Condition{All: []*catalog.Condition{}}, log, true},
		{"number as decimal", is("dependency_count", int64(1)), proc, true},
		{"unknown fact fails", is("no_such_fact", true), proc, false},
		{"unknown operator fails", op("language", "matches", "c"), proc, false},
		{"attribute unset", is("attributes.secure_boot", true), proc, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(tt.cond, tt.facts); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
			if got := compileCondition(tt.cond).match(tt.facts); got != tt.want {
				t.Errorf("compiled match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchExcept(t *testing.T) {
	ix := newIndex(pumpModel(), Options{})
	swd := factsOfTarget(t, ix, "interface", "pump-swd") // debug, locked
	usb := factsOfTarget(t, ix, "interface", "pump-usb") // not debug, enabled
	open := all(is("debug", true), is("production", "enabled", "disabled"))
	skip := map[string]bool{"production": true}

	if !matchExcept(open, swd, skip, true) {
		t.Error("locked debug port fails the open-port condition with production skipped")
	}
	if matchExcept(open, usb, skip, true) {
		t.Error("USB port that is no debug port passes the open-port condition with production skipped")
	}
	// A skipped test under not must not make the condition fail either.
	negated := all(is("debug", true), not(is("production", "locked")))
	if !matchExcept(negated, swd, skip, true) {
		t.Error("skipped test under not made the condition fail")
	}
}

func TestFill(t *testing.T) {
	ix := newIndex(pumpModel(), Options{})
	swd := ix.lookup("interface", "pump-swd")
	flow := ix.lookup("flow", "app-to-pump")

	tests := []struct {
		tmpl string
		t    *target
		want string
	}{
		{"{name} on {of.name} is {production}", swd, "pump-swd on Pump firmware is locked"},
		{"{id} carries {data_categories}", flow, "app-to-pump carries therapy"},
		{"from {from.name} to {to.name}", flow, "from Phone app to Pump firmware"},
		{"{from.language} to {to.language}", flow, "kotlin to c"},
		{"{replay_protection} and {encryption}", flow, "true and true"},
		{"unset {attributes.secure_boot}", flow, "unset unknown"},
		{"typo {nmae} stays", flow, "typo {nmae} stays"},
		{"prose {With Spaces} stays", flow, "prose {With Spaces} stays"},
		{"unclosed {name", flow, "unclosed {name"},
		{"no placeholders", flow, "no placeholders"},
		{"relation of a flow {of.name}", flow, "relation of a flow unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			if got := Fill(tt.tmpl, tt.t.facts, ix.relatedFacts(tt.t)); got != tt.want {
				t.Errorf("Fill(%q) = %q, want %q", tt.tmpl, got, tt.want)
			}
		})
	}
}

// FuzzFill feeds arbitrary description templates, as users' rule files may
// contain, to Fill. It must not panic, must not grow the text without bound,
// and must leave text without braces unchanged.
func FuzzFill(f *testing.F) {
	for _, seed := range []string{"{name}", "{of.name} {", "}{", "{{name}}", "{attributes.}", "{from.to.name}", "plain"} {
		f.Add(seed)
	}
	ix := newIndex(pumpModel(), Options{})
	tg := ix.lookup("flow", "app-to-pump")
	f.Fuzz(func(t *testing.T, tmpl string) {
		got := Fill(tmpl, tg.facts, ix.relatedFacts(tg))
		if !strings.Contains(tmpl, "{") && got != tmpl {
			t.Fatalf("Fill changed text without placeholders: %q -> %q", tmpl, got)
		}
		// Each placeholder is at least 3 bytes and expands to one fact value,
		// which for this fixture is under 64 bytes.
		if len(got) > len(tmpl)*32+64 {
			t.Fatalf("Fill grew %d bytes to %d", len(tmpl), len(got))
		}
	})
}
