package threat

import (
	"fmt"
	"strconv"

	"github.com/wardtm/ward/internal/model"
)

// handWritten turns the model's threats entries that have an id into
// threats. Entries with match: are dispositions, not threats.
type handWritten struct{}

func (handWritten) Name() string { return MethodManual }

// strideImpact is the impact a hand-written threat gets per STRIDE category
// when its entry states none, in the spec form of strideEntry.impact.
var strideImpact = map[string][3]string{
	Spoofing:              {needC, needI, ""},
	Tampering:             {"", needI, ""},
	Repudiation:           {"", "low", ""},
	InformationDisclosure: {needC, "", ""},
	DenialOfService:       {"", "", needA},
	ElevationOfPrivilege:  {needC, needI, needA},
}

func (handWritten) find(ix *index, r *results) {
	for i := range ix.m.Threats {
		e := &ix.m.Threats[i]
		if e.ID == "" || e.Match != "" {
			continue
		}
		path := "threats[" + strconv.Itoa(i) + "]"

		t := ix.systemTarget()
		if e.Element != "" {
			t = ix.findTarget(e.Element)
			if t == nil {
				r.diags.Add(e.FieldPos("element"), "dangling-ref", path+".element",
					fmt.Sprintf("hand-written threat %s names %q, which is no element, flow, interface, dependency or boundary", e.ID, e.Element),
					"write the ID of the item the threat is against, or leave element out for the whole system")
				continue
			}
		}

		th := Threat{
			ID:          e.ID,
			Pattern:     &Pattern{Title: e.Title, STRIDE: e.STRIDE, Phase: e.Phase},
			Description: e.Description,
			Target:      t.Target,
			Vector:      e.Vector,
		}
		if th.Vector == "" {
			th.Vector = ix.vectorOf(t)
		}
		th.Impact = handWrittenImpact(t, e)
		r.addFull(t, th, MethodManual, e.ID)
	}
}

// handWrittenImpact returns the entry's impact, or the usual impact of its
// STRIDE category on the target when the entry states none.
func handWrittenImpact(t *target, e *model.ThreatEntry) CIA {
	i := e.Impact
	if i.Confidentiality == "" && i.Integrity == "" && i.Availability == "" {
		if spec, ok := strideImpact[e.STRIDE]; ok {
			return CIA{
				Confidentiality: impactLevel(t, spec[0]),
				Integrity:       impactLevel(t, spec[1]),
				Availability:    impactLevel(t, spec[2]),
			}
		}
	}
	return CIA{
		Confidentiality: orNone(i.Confidentiality),
		Integrity:       orNone(i.Integrity),
		Availability:    orNone(i.Availability),
	}
}
