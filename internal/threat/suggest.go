package threat

import (
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

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

// suggestMatch returns what a disposition's match that matches none of the
// threat IDs ids probably meant, or "". A glob is corrected part by part:
// in stride.*@meter-flsh only the target is misspelled, and the whole
// glob is too far from any one ID for closestID to see it.
func suggestMatch(pattern string, ids []string) string {
	rulePart, targetPart, ok := strings.Cut(pattern, "@")
	if !isGlob(pattern) || !ok {
		return closestID(pattern, ids)
	}

	var rules, targets []string
	for _, id := range ids {
		if r, t, ok := strings.Cut(id, "@"); ok {
			rules = append(rules, r)
			targets = append(targets, t)
		}
	}
	fix := func(part string, known []string) string {
		if slices.ContainsFunc(known, func(k string) bool { return globMatch(part, k) }) {
			return part
		}
		return closestID(part, sortedUnique(known))
	}
	rulePart, targetPart = fix(rulePart, rules), fix(targetPart, targets)
	if rulePart == "" || targetPart == "" {
		return ""
	}
	suggestion := rulePart + "@" + targetPart
	if !slices.ContainsFunc(ids, func(id string) bool { return globMatch(suggestion, id) }) {
		return ""
	}
	return suggestion
}

// rulesFound returns the rule IDs of the threats found on a target,
// including those of STRIDE findings merged into rule threats.
func rulesFound(t *target) []string {
	var rules []string
	for c := t.first; c != nil; c = c.next {
		if r := c.rule(); r != "" {
			rules = append(rules, r)
		}
		for _, a := range c.Aliases {
			if r, _, ok := strings.Cut(a, "@"); ok {
				rules = append(rules, r)
			}
		}
	}
	return sortedUnique(rules)
}
