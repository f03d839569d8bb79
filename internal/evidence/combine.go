package evidence

import (
	"cmp"
	"fmt"

	"github.com/wardtm/ward/internal/diag"
)

// rank orders statuses from best to worst.
func rank(status string) int {
	switch status {
	case Covered:
		return 0
	case Weak:
		return 1
	}
	return 2
}

// combine assesses the set: each item takes the best status of any
// assessed document. The quotes come from the documents that reached it,
// the first quote of each document before the second of any, so the set
// shows where else the item is documented. A weak or missing item repeats
// the reason of the first document that explains it, and takes the fix of
// a conformance check when one names it.
func combine(docs []*Document) []ItemResult {
	var out []ItemResult
	for _, it := range Items() {
		res := ItemResult{ID: it.ID, Title: it.Title, Clause: it.Clause, Status: Missing,
			Reason: "no assessed document covers it", Add: it.Add}
		var best []ItemResult
		var docsAt []string
		for _, d := range docs {
			if d.State != Assessed {
				continue
			}
			r, ok := findItem(d.Items, it.ID)
			if !ok || rank(r.Status) > rank(res.Status) {
				continue
			}
			if rank(r.Status) < rank(res.Status) {
				res.Status = r.Status
				best, docsAt = nil, nil
			}
			// A missing item explains itself only when a conformance
			// check failed it.
			if r.Status != Missing || r.Check != nil {
				best = append(best, r)
				docsAt = append(docsAt, d.Path)
			}
		}
		res.Evidence = interleave(best)

		switch {
		case res.Status == Covered:
			res.Reason = "covered in " + joinNames(docsAt)
			res.Add = ""
			res.Check = best[0].Check
		case res.Status == Weak:
			res.Reason = fmt.Sprintf("only weak evidence, in %s (%s)", joinNames(docsAt), explain(best, docsAt))
			res.Add, res.Check = fixOf(best, it.Add)
		case len(best) > 0:
			res.Reason = fmt.Sprintf("no assessed document covers it (%s: %s)", docsAt[0], best[0].Reason)
			res.Add, res.Check = fixOf(best, it.Add)
		}
		out = append(out, res)
	}
	return out
}

// explain returns the reason of the first weak result, naming its
// document when the reason follows a list of several.
func explain(results []ItemResult, docs []string) string {
	if len(results) == 1 {
		return results[0].Reason
	}
	return docs[0] + ": " + results[0].Reason
}

// fixOf returns the advice and the check of the first result whose status
// comes from a conformance check, or else def and no check.
func fixOf(results []ItemResult, def string) (string, *Check) {
	for _, r := range results {
		if r.Check != nil && r.Add != "" {
			return r.Add, r.Check
		}
	}
	return cmp.Or(results[0].Add, def), nil
}

// interleave takes the quotes of several results in turns, at most
// maxQuotes.
func interleave(results []ItemResult) []Quote {
	var out []Quote
	for i := 0; len(out) < maxQuotes; i++ {
		added := false
		for _, r := range results {
			if i < len(r.Evidence) && len(out) < maxQuotes {
				out = append(out, r.Evidence[i])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

func findItem(items []ItemResult, id string) (ItemResult, bool) {
	for _, r := range items {
		if r.ID == id {
			return r, true
		}
	}
	return ItemResult{}, false
}

// joinNames lists up to three names and counts the rest.
func joinNames(names []string) string {
	if len(names) <= 3 {
		return joinComma(names)
	}
	return joinComma(names[:3]) + " and " + diag.Count(len(names)-3, "more document", "more documents")
}

func joinComma(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
