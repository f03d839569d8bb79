package threat

import "github.com/wardtm/ward/internal/model"

// OtherCategory is the coverage column of threats without a STRIDE category,
// such as LINDDUN privacy threats.
const OtherCategory = "other"

// coverage counts, for each in-scope target in model order, the threats
// found and dispositioned per STRIDE category. Targets without threats get
// a row of zeros, which is what a reviewer looks for.
func coverage(ix *index, threats []Threat) Matrix {
	cats := append(model.STRIDECategories.IDs(), OtherCategory)
	mx := Matrix{Categories: cats}

	rows := make(map[targetKey]int)
	for _, t := range ix.targets {
		if t.out {
			continue
		}
		cells := make(map[string]Cell, len(cats))
		for _, c := range cats {
			cells[c] = Cell{}
		}
		rows[targetKey{t.Kind, t.ID}] = len(mx.Rows)
		mx.Rows = append(mx.Rows, MatrixRow{Target: t.Target, Cells: cells})
	}

	for _, th := range threats {
		i, ok := rows[targetKey{th.Target.Kind, th.Target.ID}]
		if !ok {
			continue
		}
		categories := append([]string{th.STRIDE}, th.Also...)
		seen := make(map[string]bool, len(categories))
		for _, c := range categories {
			if c == "" || !model.STRIDECategories.Has(c) {
				c = OtherCategory
			}
			if seen[c] {
				continue
			}
			seen[c] = true
			cell := mx.Rows[i].Cells[c]
			cell.Found++
			if th.Disposition.Status != StatusOpen && th.Disposition.Status != "" {
				cell.Dispositioned++
			}
			mx.Rows[i].Cells[c] = cell
		}
	}
	return mx
}
