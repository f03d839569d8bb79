package conformance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
	"github.com/wardtm/ward/internal/threat"
)

// checker holds the assessment and the indexes the checks share.
type checker struct {
	a       *assessment.Assessment
	m       *model.Model
	threats []threat.Threat
	today   time.Time

	data     map[string]*model.Data
	elements map[string]*model.Element
	// risks holds the risk result of each threat by threat ID.
	risks map[string]*risk.Result
}

func newChecker(a *assessment.Assessment) *checker {
	c := &checker{
		a:        a,
		m:        a.Model,
		today:    a.Date,
		data:     map[string]*model.Data{},
		elements: map[string]*model.Element{},
		risks:    make(map[string]*risk.Result, len(a.Risks)),
	}
	for i := range a.Risks {
		c.risks[a.Risks[i].ThreatID] = &a.Risks[i]
	}
	if a.Register != nil {
		c.threats = a.Register.Threats
	}
	for i := range c.m.Data {
		c.data[c.m.Data[i].ID] = &c.m.Data[i]
	}
	for i := range c.m.Elements {
		c.elements[c.m.Elements[i].ID] = &c.m.Elements[i]
	}
	return c
}

// at builds evidence for a model item.
func (c *checker) at(kind, id string, pos diag.Pos, note string) assessment.Evidence {
	return evidence(kind, id, pos, note)
}

// pass returns a passing outcome.
func pass(message string, ev []assessment.Evidence) outcome {
	return outcome{message: message, evidence: ev}
}

// notChecked returns the outcome of a check that examined nothing, with
// the fix that names the input or model items it needs.
func notChecked(message, fix string) outcome {
	return outcome{unchecked: true, message: message, fix: fix}
}

// notApplicable returns the outcome of a check that the model shows does
// not apply, with a message saying why and what was therefore not examined.
func notApplicable(message string, ev []assessment.Evidence) outcome {
	return outcome{inapplicable: true, message: message, evidence: ev}
}

// warn returns a failing outcome reported as a warning: the check found a
// gap that does not by itself break the requirement.
func warn(message, fix string, ev []assessment.Evidence) outcome {
	return outcome{failed: true, warn: true, message: message, fix: fix, evidence: ev}
}

// fail returns a failing outcome.
func fail(message, fix string, ev []assessment.Evidence) outcome {
	return outcome{failed: true, message: message, fix: fix, evidence: ev}
}

// boundaryOf returns the innermost boundary of an element, or "".
func (c *checker) boundaryOf(id string) string {
	if e, ok := c.elements[id]; ok {
		return e.Boundary
	}
	return ""
}

// crossesBoundary reports whether a flow's ends sit in different innermost
// trust boundaries.
func (c *checker) crossesBoundary(f *model.Flow) bool {
	return c.boundaryOf(f.From) != c.boundaryOf(f.To)
}

// released reports whether the product is on the market, which makes the
// yearly review and complete dispositions mandatory.
func (c *checker) released() bool {
	return c.m.System.Lifecycle == "released"
}

// threatsWhere returns the threats that satisfy keep.
func (c *checker) threatsWhere(keep func(t *threat.Threat) bool) []*threat.Threat {
	var out []*threat.Threat
	for i := range c.threats {
		if keep(&c.threats[i]) {
			out = append(out, &c.threats[i])
		}
	}
	return out
}

// threatEvidence lists threats as evidence, pointing at their disposition
// when one exists and at their target otherwise.
func threatEvidence(ts []*threat.Threat, note func(t *threat.Threat) string) []assessment.Evidence {
	ev := make([]assessment.Evidence, 0, len(ts))
	for _, t := range ts {
		pos := t.Target.Pos
		if t.Disposition.Pos.IsValid() {
			pos = t.Disposition.Pos
		}
		n := ""
		if note != nil {
			n = note(t)
		}
		ev = append(ev, evidence("threat", t.ID, pos, n))
	}
	return ev
}

// countKinds formats a map of counts as "3 network, 2 physical".
func countKinds(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

// listIDs joins up to five IDs and adds the count of the rest.
func listIDs(ids []string) string {
	const shown = 5
	if len(ids) <= shown {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:shown], ", "), len(ids)-shown)
}

// joinAnd joins words as "a", "a and b" or "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
