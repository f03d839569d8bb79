package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/risk"
)

// acceptanceText states when a residual risk counts as acceptable, with
// accept the highest level accepted without a justification ("" for
// none). The statuses it names come from risk.AcceptanceAboveCriterion,
// so the sentence follows the rule that risk.Assess applies.
func acceptanceText(accept risk.Level) string {
	var always, justified []string
	for _, st := range model.ThreatStatuses {
		acceptable, needsJustification := risk.AcceptanceAboveCriterion(st.ID)
		switch {
		case acceptable && !needsJustification:
			always = append(always, st.ID)
		case acceptable:
			justified = append(justified, st.ID)
		}
	}

	var cases []string
	if accept != "" {
		cases = append(cases, fmt.Sprintf("when its residual level is %s or lower (risk.accept in the model)", accept))
	}
	if len(justified) > 0 {
		cases = append(cases, "when its status is "+orList(justified)+" and the model gives a justification for it")
	}
	if len(always) > 0 {
		cases = append(cases, "when its status is "+orList(always))
	}
	if len(cases) == 0 {
		return "No residual risk counts as acceptable."
	}
	text := "A threat's residual risk counts as acceptable " + strings.Join(cases, "; or ") + ". Any other residual risk is not acceptable."
	if accept != "" {
		if slices.Contains(justified, "mitigated") {
			text += " A mitigated threat whose residual risk is above " + string(accept) + " is therefore acceptable only through its justification, which records why the risk that remains after the controls was accepted."
		} else {
			text += " A mitigated threat whose residual risk is above " + string(accept) + " is not acceptable, whatever its justification says."
		}
	}
	return text + " The table of decisions at the end of this section gives each justification."
}

// orList joins items as "a", "a or b" or "a, b or c".
func orList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
