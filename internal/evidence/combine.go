package evidence

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
// assessed document, with the quotes of the documents that reached it.
func combine(docs []*Document) []ItemResult {
	var out []ItemResult
	for _, it := range Items() {
		res := ItemResult{ID: it.ID, Title: it.Title, Clause: it.Clause, Status: Missing,
			Reason: "no assessed document covers it", Add: it.Add}
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
				res.Evidence = nil
				docsAt = nil
			}
			if r.Status == Missing {
				continue
			}
			docsAt = append(docsAt, d.Path)
			for _, q := range r.Evidence {
				if len(res.Evidence) < maxQuotes {
					res.Evidence = append(res.Evidence, q)
				}
			}
			res.Add = r.Add
		}
		switch res.Status {
		case Covered:
			res.Reason = "covered in " + joinNames(docsAt)
			res.Add = ""
		case Weak:
			res.Reason = "only weak evidence, in " + joinNames(docsAt)
			if res.Add == "" {
				res.Add = it.Add
			}
		}
		out = append(out, res)
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
	return joinComma(names[:3]) + " and " + plural(len(names)-3, "more document")
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
