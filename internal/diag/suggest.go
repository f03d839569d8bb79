package diag

import (
	"strconv"
	"strings"
)

// EditDistance returns the optimal string alignment distance between a and
// b, counted in bytes. Insertions, deletions, substitutions and swaps of two
// neighbouring characters each cost 1, so "bel" is one edit from "ble".
// It returns limit+1 as soon as the distance is known to exceed limit,
// which keeps did-you-mean searches over thousands of IDs cheap.
func EditDistance(a, b string, limit int) int {
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

// Closest returns the candidate a mistyped value most likely meant, or ""
// when none is close enough to be a typo. Close enough is at most a third
// of the value's length in edits, and never more than 3; case and the
// choice between - and _ do not count. When no candidate is that close,
// the one candidate that starts with the value (of at least 3 characters)
// is returned, so "accept" finds "accepted". Ties go to the candidate that
// sorts first, so the suggestion is the same on every run.
func Closest(value string, candidates []string) string {
	limit := min(max(len(value)/3, 1), 3)
	norm := normalizeSpelling(value)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if c == value {
			continue
		}
		d := EditDistance(norm, normalizeSpelling(c), bestDist)
		if d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	if bestDist <= limit {
		return best
	}
	return onlyPrefixed(value, candidates)
}

// onlyPrefixed returns the one candidate that starts with value, such as
// hl7v2-mllp for hl7, or "" when none or several do or value is shorter
// than 3 characters.
func onlyPrefixed(value string, candidates []string) string {
	if len(value) < 3 {
		return ""
	}
	norm := normalizeSpelling(value)
	found := ""
	for _, c := range candidates {
		if c == value {
			continue // the value itself is no suggestion
		}
		if strings.HasPrefix(normalizeSpelling(c), norm) {
			if found != "" {
				return ""
			}
			found = c
		}
	}
	return found
}

// normalizeSpelling folds case and writes _ as -.
func normalizeSpelling(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "_", "-")
}

// Count returns n with the singular or the plural noun, such as "1 entry"
// or "3 entries", for messages that count things. The plural is passed,
// not derived, because English plurals are irregular.
func Count(n int, singular, plural string) string {
	return strconv.Itoa(n) + " " + Agree(n, singular, plural)
}

// Agree returns the singular or plural form of a word or phrase for n
// subjects, such as Agree(n, "lacks", "lack").
func Agree(n int, singular, plural string) string {
	if n == 1 {
		return singular
	}
	return plural
}
