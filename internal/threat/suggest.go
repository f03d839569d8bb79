package threat

import (
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// closestIDs returns the candidates at the smallest edit distance to s,
// sorted and without repeats, or nil when none is within half the length
// of s. A tie returns all of them, because picking one would be a guess:
// hub-to-fhr is one edit from both hub-to-ehr and hub-to-fhir.
func closestIDs(s string, candidates []string) []string {
	var best []string
	bestDist := len(s)/2 + 1
	for _, c := range candidates {
		if abs(len(c)-len(s)) > bestDist {
			continue
		}
		d := diag.EditDistance(s, c, bestDist)
		switch {
		case d < bestDist:
			best, bestDist = append(best[:0], c), d
		case d == bestDist && best != nil:
			best = append(best, c)
		}
	}
	return sortedUnique(best)
}

// didYouMean returns "did you mean A? " or "did you mean A or B? " for
// suggestions, "" for none. At most three are named.
func didYouMean(suggestions []string) string {
	switch n := len(suggestions); {
	case n == 0:
		return ""
	case n > 3:
		suggestions = suggestions[:3]
	}
	last := len(suggestions) - 1
	list := suggestions[last]
	if last > 0 {
		list = strings.Join(suggestions[:last], ", ") + " or " + list
	}
	return "did you mean " + list + "? "
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// suggestMatch returns what a disposition's match that matches none of the
// threat IDs ids probably meant, nil when nothing is close. A glob is
// corrected part by part: in stride.*@meter-flsh only the target is
// misspelled, and the whole glob is too far from any one ID for
// closestIDs to see it.
func suggestMatch(pattern string, ids []string) []string {
	rulePart, targetPart, ok := strings.Cut(pattern, "@")
	if !isGlob(pattern) || !ok {
		return closestIDs(pattern, ids)
	}

	var rules, targets []string
	for _, id := range ids {
		if r, t, ok := strings.Cut(id, "@"); ok {
			rules = append(rules, r)
			targets = append(targets, t)
		}
	}
	fix := func(part string, known []string) []string {
		if slices.ContainsFunc(known, func(k string) bool { return globMatch(part, k) }) {
			return []string{part}
		}
		return closestIDs(part, sortedUnique(known))
	}
	var out []string
	for _, r := range fix(rulePart, rules) {
		for _, t := range fix(targetPart, targets) {
			suggestion := r + "@" + t
			if slices.ContainsFunc(ids, func(id string) bool { return globMatch(suggestion, id) }) {
				out = append(out, suggestion)
			}
		}
	}
	return out
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
