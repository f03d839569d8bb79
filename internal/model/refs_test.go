package model

import (
	"strings"
	"testing"
)

func TestReferenceSuggestsOnlyValidIDs(t *testing.T) {
	src := includeHeader + `hazards:
  - {id: HAZ 3, name: Over-delivery}
  - {id: HAZ-40, name: Under-delivery}
elements:
  - {id: app, kind: process, name: App}
threats:
  - id: T-1
    title: Replay
    element: app
    stride: tampering
    hazards: [haz 3]
`
	_, diags := Parse("ward.yaml", []byte(src), LoadOptions{})
	var found bool
	for _, d := range diags {
		if d.Code != "unknown-reference" {
			continue
		}
		found = true
		if strings.Contains(d.Fix, `"HAZ 3"`) {
			t.Errorf("fix %q suggests the malformed ID HAZ 3", d.Fix)
		}
	}
	if !found {
		t.Errorf("Parse = %v, want an unknown-reference for haz 3", diags)
	}
}
