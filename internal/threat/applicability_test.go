package threat

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

// threatsOn returns the threats against one target.
func threatsOn(reg *Register, id string) []Threat {
	var out []Threat
	for _, th := range reg.Threats {
		if th.Target.ID == id {
			out = append(out, th)
		}
	}
	return out
}

func hasCategory(th Threat, category string) bool {
	return th.STRIDE == category || slices.Contains(th.Also, category)
}

// TestApplicability checks the classes of threat that a rule must not
// raise where the model shows the threat cannot happen, including those
// where other tools are known to raise them anyway.
func TestApplicability(t *testing.T) {
	reg := identify(t, pumpModel(), testLibrary(t, testRules()...), Options{})

	t.Run("encrypted mutually authenticated flow has no eavesdropping", func(t *testing.T) {
		for _, th := range threatsOn(reg, "app-to-pump") {
			if hasCategory(th, InformationDisclosure) {
				t.Errorf("app-to-pump got disclosure threat %s", th.ID)
			}
		}
		// The same rule fires on the plaintext flow next to it.
		if _, ok := findThreat(reg, "flow.plaintext@pump-to-app"); !ok {
			t.Error("plaintext flow got no plaintext threat, so the test proves nothing")
		}
	})

	t.Run("encrypted integrity-protected flow has no tampering in transit", func(t *testing.T) {
		for _, th := range threatsOn(reg, "app-to-pump") {
			if hasCategory(th, Tampering) {
				t.Errorf("app-to-pump got tampering threat %s", th.ID)
			}
		}
		ruled := slices.ContainsFunc(reg.RuledOut, func(r RuledOut) bool { return r.ID == "stride.tampering@app-to-pump" })
		if !ruled {
			t.Error("tampering on app-to-pump is not listed as ruled out")
		}
	})

	t.Run("store without personal data has no privacy threats", func(t *testing.T) {
		for _, th := range threatsOn(reg, "settings-file") {
			if strings.HasPrefix(th.Rule, privacyRulePrefix) {
				t.Errorf("settings-file got privacy threat %s", th.ID)
			}
		}
		if !slices.ContainsFunc(threatsOn(reg, "pump-log"), func(th Threat) bool { return strings.HasPrefix(th.Rule, privacyRulePrefix) }) {
			t.Error("pump-log with PHI got no privacy threat, so the test proves nothing")
		}
	})

	t.Run("local file store has no authentication threats", func(t *testing.T) {
		for _, th := range threatsOn(reg, "settings-file") {
			if hasCategory(th, Spoofing) || strings.Contains(th.Rule, "auth") {
				t.Errorf("settings-file got authentication threat %s", th.ID)
			}
		}
	})

	t.Run("removed debug port has no debug threat", func(t *testing.T) {
		if got := threatsOn(reg, "pump-jtag"); len(got) != 0 {
			t.Errorf("removed JTAG port got threats %v", got)
		}
	})

	t.Run("locked debug port has a weaker residual threat", func(t *testing.T) {
		locked, ok := findThreat(reg, "hw.debug-port-open@pump-swd")
		if !ok {
			t.Fatal("locked SWD port got no threat")
		}
		open, _ := findThreat(reg, "hw.debug-port-open@pump-uart")
		if !locked.Residual || open.Residual {
			t.Errorf("residual flags: locked %v, open %v; want true, false", locked.Residual, open.Residual)
		}
		if locked.Title != "locked debug port bypassed" || locked.Impact.Confidentiality != "medium" || open.Impact.Confidentiality != "high" {
			t.Errorf("locked = %q %+v, open = %+v", locked.Title, locked.Impact, open.Impact)
		}
	})

	t.Run("locked port that is no debug port gets no residual", func(t *testing.T) {
		m := pumpModel()
		m.Interfaces[3].Production = "locked" // pump-usb, debug false
		reg := identify(t, m, testLibrary(t, testRules()...), Options{})
		if got := threatsOn(reg, "pump-usb"); len(got) != 0 {
			t.Errorf("locked USB port got threats %v", got)
		}
	})
}

// TestIDsStable checks that renaming and reordering unrelated items, or
// adding new ones, never changes the IDs of existing threats.
func TestIDsStable(t *testing.T) {
	lib := testLibrary(t, testRules()...)
	base := threatIDs(identify(t, pumpModel(), lib, Options{}))

	t.Run("rename and reorder", func(t *testing.T) {
		m := pumpModel()
		for i := range m.Elements {
			m.Elements[i].Name = "Renamed " + m.Elements[i].Name
		}
		slices.Reverse(m.Elements)
		slices.Reverse(m.Flows)
		slices.Reverse(m.Interfaces)
		slices.Reverse(m.Boundaries)
		slices.Reverse(m.Data)
		got := threatIDs(identify(t, m, lib, Options{}))
		if !slices.Equal(base, got) {
			t.Errorf("IDs changed:\nbefore %v\nafter  %v", base, got)
		}
	})

	t.Run("add unrelated items", func(t *testing.T) {
		m := pumpModel()
		m.Boundaries = append([]model.Boundary{{ID: "clinic", Name: "Clinic", Kind: "organization"}}, m.Boundaries...)
		m.Elements = append([]model.Element{
			{ID: "clinic-portal", Kind: "process", Name: "Clinic portal", Boundary: "clinic", Technology: model.Technology{Language: "java"}},
			{ID: "clinician", Kind: "entity", Name: "Clinician", Role: "clinician", Boundary: "clinic"},
		}, m.Elements...)
		m.Flows = append([]model.Flow{{ID: "clinician-login", From: "clinician", To: "clinic-portal", Protocol: model.Protocol{Name: "https"}}}, m.Flows...)
		got := threatIDs(identify(t, m, lib, Options{}))

		added := map[string]bool{}
		for _, id := range got {
			added[id] = true
		}
		for _, id := range base {
			if !added[id] {
				t.Errorf("threat %s disappeared after adding unrelated items", id)
			}
			delete(added, id)
		}
		for _, id := range slices.Sorted(maps.Keys(added)) {
			_, target, _ := strings.Cut(id, "@")
			if target != "clinic-portal" && target != "clinician" && target != "clinician-login" && target != "clinic" {
				t.Errorf("new threat %s is not against a new item", id)
			}
		}
	})
}

// TestPrivacyTargets checks that LINDDUN threats go only where personal
// data crosses to another party or person or rests in a store, and not to
// links between chips of one device.
func TestPrivacyTargets(t *testing.T) {
	m := pumpModel()
	m.Boundaries = append(m.Boundaries, model.Boundary{ID: "secure-zone", Name: "Secure zone", Kind: "process", Parent: "pump-enclosure"})
	m.Elements = append(m.Elements, model.Element{ID: "secure-fw", Kind: "process", Name: "Secure co-processor", Boundary: "secure-zone"})
	m.Flows = append(m.Flows,
		// Two chips in one enclosure: crosses a boundary, over a board bus.
		model.Flow{ID: "fw-to-secure", From: "pump-fw", To: "secure-fw", Protocol: model.Protocol{Name: "uart"}, Data: []string{"glucose"}},
		// A cable between two devices is physical too, but leaves the pump.
		model.Flow{ID: "pump-to-phone-cable", From: "pump-fw", To: "phone-app", Protocol: model.Protocol{Name: "usb"}, Data: []string{"glucose"}},
	)
	reg := identify(t, m, nil, Options{Methods: []string{MethodPrivacy}})

	tests := []struct {
		target string
		want   bool
	}{
		{"pump-to-app", true},         // BLE from the pump to the phone
		{"app-to-cloud", true},        // to the manufacturer's cloud
		{"pump-to-phone-cable", true}, // cable to another device
		{"fw-to-log", false},          // inside one boundary
		{"fw-to-secure", false},       // board bus inside one device
		{"pump-log", true},            // store of PHI
		{"settings-file", false},      // store without personal data
		{"phone-app", true},           // receives PHI from the pump's boundary
		{"cloud-api", true},           // receives PHI from the phone's boundary
		{"pump-fw", false},            // sends PHI, receives none
		{"secure-fw", false},          // receives PHI only from a chip next to it
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got := slices.ContainsFunc(threatsOn(reg, tt.target), func(th Threat) bool { return strings.HasPrefix(th.Rule, privacyRulePrefix) })
			if got != tt.want {
				t.Errorf("LINDDUN threats on %s = %v, want %v", tt.target, got, tt.want)
			}
		})
	}
}
