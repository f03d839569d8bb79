package interop

// point is a position on a diagram canvas.
type point struct{ x, y float64 }

// rect is an axis-aligned box on a diagram canvas.
type rect struct{ x, y, w, h float64 }

func (r rect) center() point { return point{r.x + r.w/2, r.y + r.h/2} }

func (r rect) area() float64 { return r.w * r.h }

// contains reports whether inner lies inside r. A shape counts as inside
// when its centre is inside r, because diagram tools let shapes overlap a
// box's border by a few pixels.
func (r rect) contains(inner rect) bool {
	c := inner.center()
	return r.w > 0 && r.h > 0 && c.x >= r.x && c.x <= r.x+r.w && c.y >= r.y && c.y <= r.y+r.h
}

// polylinesCross reports whether any segment of a crosses any segment of b.
func polylinesCross(a, b []point) bool {
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if segmentsCross(a[i], a[i+1], b[j], b[j+1]) {
				return true
			}
		}
	}
	return false
}

// segmentsCross reports whether segments p1-p2 and p3-p4 intersect.
func segmentsCross(p1, p2, p3, p4 point) bool {
	d1 := orient(p3, p4, p1)
	d2 := orient(p3, p4, p2)
	d3 := orient(p1, p2, p3)
	d4 := orient(p1, p2, p4)
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

func orient(a, b, c point) float64 { return (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x) }

// zones groups nodes 0..n-1 into connected components over edges, returning
// the component number of each node.
func zones(n int, edges [][2]int) []int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range edges {
		a, b := find(e[0]), find(e[1])
		if a != b {
			parent[a] = b
		}
	}
	comp := make([]int, n)
	for i := range comp {
		comp[i] = find(i)
	}
	return comp
}
