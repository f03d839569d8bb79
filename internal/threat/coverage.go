package threat

import "github.com/wardtm/ward/internal/model"

// OtherCategory is the coverage column of threats without a STRIDE category,
// such as LINDDUN privacy threats.
const OtherCategory = "other"

// coverage counts, for each in-scope target in model order, the threats
// found and dispositioned per STRIDE category. Targets without threats get
// a row of zeros, which is what a reviewer looks for.
func coverage(ix *index, threats []*candidate) Matrix {
	cats := append(model.STRIDECategories.IDs(), OtherCategory)
	column := make(map[string]int, len(cats))
	for i, c := range cats {
		column[c] = i
	}
	other := column[OtherCategory]

	// Count in fixed arrays first; the maps of the result come last.
	var rows []*target
	for _, t := range ix.targets {
		t.row = -1
		if !t.out {
			t.row = len(rows)
			rows = append(rows, t)
		}
	}
	counts := make([][numColumns]Cell, len(rows))
	for _, th := range threats {
		i := th.t.row
		if i < 0 {
			continue
		}
		var seen [numColumns]bool
		category, also := th.stride(), th.also()
		dispositioned := th.dispositioned()
		for k := -1; k < len(also); k++ {
			c := category
			if k >= 0 {
				c = also[k]
			}
			col, ok := column[c]
			if !ok {
				col = other
			}
			if seen[col] {
				continue
			}
			seen[col] = true
			counts[i][col].Found++
			if dispositioned {
				counts[i][col].Dispositioned++
			}
		}
	}

	mx := Matrix{Categories: cats, Rows: make([]MatrixRow, len(rows))}
	for i, t := range rows {
		cells := make(map[string]Cell, len(cats))
		for col, c := range cats {
			cells[c] = counts[i][col]
		}
		mx.Rows[i] = MatrixRow{Target: t.Target, Cells: cells}
	}
	return mx
}

// numColumns is the number of coverage columns: six STRIDE categories and
// OtherCategory.
const numColumns = 7
