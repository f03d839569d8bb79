package model

import (
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// closest returns the candidate nearest to name by edit distance, or "" when
// none is near enough to be a plausible typo: at most a third of the
// name's length, and never more than 3 edits. Case and the choice between
// - and _ do not count as differences.
func closest(name string, candidates []string) string {
	limit := min(max(len(name)/3, 1), 3)
	best, bestDist := "", limit+1
	norm := normalizeName(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		dist := diag.EditDistance(norm, normalizeName(c), bestDist)
		if dist < bestDist || dist == bestDist && c < best {
			best, bestDist = c, dist
		}
	}
	if bestDist > limit {
		return prefixed(name, candidates)
	}
	return best
}

// prefixed returns the one candidate that starts with name, such as
// hl7v2-mllp for hl7, or "" when none or several do.
func prefixed(name string, candidates []string) string {
	if len(name) < 3 {
		return ""
	}
	norm := normalizeName(name)
	found := ""
	for _, c := range candidates {
		if strings.HasPrefix(normalizeName(c), norm) {
			if found != "" {
				return ""
			}
			found = c
		}
	}
	return found
}

func normalizeName(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "-", "_")
}
