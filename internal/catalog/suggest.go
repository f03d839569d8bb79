package catalog

import "strings"

// closest returns the candidate nearest to s by edit distance, or "" when
// none is close enough to be a likely typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", max(2, len(s)/3)+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), c); d < bestDist {
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

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		// Long strings are never typos of short names; skip the quadratic work.
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
