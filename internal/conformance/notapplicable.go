package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// CheckNotApplicable reports the keys under system.not_applicable that name
// no requirement of the catalog, and the ones without a reason. Either
// would otherwise be ignored: the requirement the user meant is checked as
// usual, and the user never learns why the declaration had no effect. The
// model package cannot check the keys because the catalog lives here, in a
// higher layer. The pipeline runs this after loading, so `ward validate`
// and `ward check` both report the diagnostics.
func CheckNotApplicable(m *model.Model) diag.List {
	var diags diag.List
	s := &m.System
	if len(s.NotApplicable) == 0 {
		return nil
	}
	ids := make([]string, len(requirements))
	for i, r := range requirements {
		ids[i] = r.ID
	}

	keys := make([]string, 0, len(s.NotApplicable))
	for k := range s.NotApplicable {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		pos := s.KeyPos("not_applicable", key)
		path := "system.not_applicable." + key
		if !slices.Contains(ids, key) {
			fix := "use a requirement ID as the key; ward check prints them in its second column"
			if best := closestRequirement(key, ids); best != "" {
				fix = "did you mean " + best + "?"
			}
			diags.Add(pos, "unknown-requirement", path, fmt.Sprintf("%q is not a requirement ID, so the declaration has no effect", key), fix)
			continue
		}
		if strings.TrimSpace(s.NotApplicable[key]) == "" {
			diags.Add(pos, "missing-value", path, fmt.Sprintf("%s is declared not applicable without a reason", key),
				"write why the requirement does not apply to this product; the report shows the reason to the auditor")
		}
	}
	diags.Sort()
	return diags
}

// closestRequirement returns the requirement ID nearest to key: the one
// within a third of its length in edits (three at most, case ignored), or
// the one that key names without its group prefix, as board-connections
// for tm.board-connections. It returns "" when none is close.
func closestRequirement(key string, ids []string) string {
	lower := strings.ToLower(key)
	limit := min(max(len(lower)/3, 1), 3)
	best, bestDist := "", limit+1
	for _, id := range ids {
		if d := diag.EditDistance(lower, id, bestDist); d < bestDist {
			best, bestDist = id, d
		}
	}
	if best != "" {
		return best
	}
	for _, id := range ids {
		if _, rest, ok := strings.Cut(id, "."); ok && rest == lower {
			return id
		}
	}
	return ""
}
