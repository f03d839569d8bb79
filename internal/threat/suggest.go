package threat

// closestID returns the candidate with the smallest edit distance to s, or
// "" when none is within half the length of s. Ties go to the candidate
// that sorts first, so the suggestion is the same on every run.
func closestID(s string, candidates []string) string {
	best, bestDist := "", len(s)/2+1
	for _, c := range candidates {
		if abs(len(c)-len(s)) > bestDist {
			continue
		}
		d := editDistance(s, c, bestDist)
		if d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance returns the Levenshtein distance between a and b, or a value
// above limit as soon as the distance is known to exceed it.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
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
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
