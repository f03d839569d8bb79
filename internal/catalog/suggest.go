package catalog

import (
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// closest returns the candidate nearest to s by edit distance, or "" when
// none is close enough to be a likely typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", max(2, len(s)/3)+1
	lower := strings.ToLower(s)
	for _, c := range candidates {
		if d := diag.EditDistance(lower, c, bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// suggest returns a fix naming the closest candidate, or listing them all
// when there are few.
func suggest(s string, candidates []string) string {
	if near := closest(s, candidates); near != "" {
		return "did you mean " + near + "?"
	}
	if len(candidates) <= 12 {
		return "use one of " + strings.Join(candidates, ", ")
	}
	return "see docs/rules.md for the allowed values"
}
