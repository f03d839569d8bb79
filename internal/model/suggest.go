package model

import "strings"

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
		dist := editDistance(norm, normalizeName(c), bestDist)
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

// editDistance is the optimal string alignment distance between a and b,
// counted in bytes: insertions, deletions, substitutions and swaps of two
// neighbouring characters each cost 1, so "bel" is one edit from "ble". It gives up early and returns limit+1 once the distance is known to
// exceed limit, which keeps did-you-mean searches over thousands of IDs cheap.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1) // row i-2, for swaps
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
