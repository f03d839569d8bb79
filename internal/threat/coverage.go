package threat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/wardtm/ward/internal/model"
)

// OtherCategory is the coverage column of threats without a STRIDE category,
// such as LINDDUN privacy threats.
const OtherCategory = "other"

// coverage counts, for each in-scope target in model order, the threats
// found and dispositioned per STRIDE category. Targets without threats get
// a row of zeros, which is what a reviewer looks for.
func coverage(ix *index, threats []*candidate) Matrix {
	other := columnOf[OtherCategory]

	var rows []*target
	for _, t := range ix.targets {
		t.row = -1
		if !t.out {
			t.row = len(rows)
			rows = append(rows, t)
		}
	}
	mx := Matrix{Categories: slices.Clone(columns[:]), Rows: make([]MatrixRow, len(rows))}
	for i, t := range rows {
		mx.Rows[i].Target = t.Target
	}
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
			col, ok := columnOf[c]
			if !ok {
				col = other
			}
			if seen[col] {
				continue
			}
			seen[col] = true
			cell := &mx.Rows[i].Cells[col]
			cell.Found++
			if dispositioned {
				cell.Dispositioned++
			}
		}
	}
	return mx
}

// numColumns is the number of coverage columns: six STRIDE categories and
// OtherCategory.
const numColumns = 7

// columns are the coverage columns in order; columnOf is the reverse.
var (
	columns  = [numColumns]string(append(model.STRIDECategories.IDs(), OtherCategory))
	columnOf = func() map[string]int {
		of := make(map[string]int, numColumns)
		for i, c := range columns {
			of[c] = i
		}
		return of
	}()
)

// Cells are the counts of one coverage row, one per column of
// Matrix.Categories. A fixed array rather than a map keeps the matrix of
// a large model to one allocation.
type Cells [numColumns]Cell

// Of returns the cell of a category, the zero Cell for one that is no
// column.
func (c *Cells) Of(category string) Cell {
	if i, ok := columnOf[category]; ok {
		return c[i]
	}
	return Cell{}
}

// MarshalJSON writes the cells as an object keyed by category, in the
// key order encoding/json gives maps, so the file reads the same as when
// the cells were a map.
func (c Cells) MarshalJSON() ([]byte, error) {
	keys := slices.Sorted(slices.Values(columns[:]))
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		cell, err := json.Marshal(c[columnOf[k]])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:%s", k, cell)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the object MarshalJSON writes. Keys that are not
// coverage columns are an error, so a file from an incompatible version
// is not read as zeros.
func (c *Cells) UnmarshalJSON(data []byte) error {
	var byCategory map[string]Cell
	if err := json.Unmarshal(data, &byCategory); err != nil {
		return err
	}
	*c = Cells{}
	for k, cell := range byCategory {
		i, ok := columnOf[k]
		if !ok {
			return fmt.Errorf("coverage cell %q is not a STRIDE category or %q", k, OtherCategory)
		}
		c[i] = cell
	}
	return nil
}
