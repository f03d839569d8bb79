package threat

import "github.com/wardtm/ward/internal/diag"

// closestID returns the candidate with the smallest edit distance to s, or
// "" when none is within half the length of s. Ties go to the candidate
// that sorts first, so the suggestion is the same on every run.
func closestID(s string, candidates []string) string {
	best, bestDist := "", len(s)/2+1
	for _, c := range candidates {
		if abs(len(c)-len(s)) > bestDist {
			continue
		}
		d := diag.EditDistance(s, c, bestDist)
		if d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
