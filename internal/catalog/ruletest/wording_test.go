package ruletest

import (
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/catalog"
)

// deviceSpecificTerms are words that fit one kind of device only. Built-in
// rules apply to every medical device, so their titles and descriptions use
// neutral terms instead: a dose, a therapy setting, a reading, a paired
// controller.
var deviceSpecificTerms = []string{"bolus", "basal", "insulin", "glucose", "occlusion", "paired phone", "owner's phone"}

func TestBuiltinWordingDeviceNeutral(t *testing.T) {
	lib, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lib.Rules {
		text := strings.ToLower(r.Title + " " + r.Description)
		if r.Residual != nil {
			text += " " + strings.ToLower(r.Residual.Title)
		}
		for _, term := range deviceSpecificTerms {
			if strings.Contains(text, term) {
				t.Errorf("%s (%s) uses the device-specific term %q", r.ID, r.Pos, term)
			}
		}
	}
}
