package catalog

import (
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// suggest returns a fix naming the closest candidate, or listing them all
// when there are few.
func suggest(s string, candidates []string) string {
	if near := diag.Closest(s, candidates); near != "" {
		return "did you mean " + near + "?"
	}
	if len(candidates) <= 12 {
		return "use one of " + strings.Join(candidates, ", ")
	}
	return "see docs/rules.md for the allowed values"
}
