package sbom

import (
	"strconv"
	"strings"
)

// IsOlderVersion reports whether version a is older than b, comparing the
// leading dotted numbers of each (after an optional v), such as 0.3.5 in
// v0.3.5-0.20201125200606-abc. It returns false when either has no leading
// number or the numbers are equal, so it only flags clear downgrades.
//
// NOTE: this is not any ecosystem's full ordering; pre-release suffixes
// and epochs are ignored.
func IsOlderVersion(a, b string) bool {
	na, nb := leadingNumbers(a), leadingNumbers(b)
	if len(na) == 0 || len(nb) == 0 {
		return false
	}
	for i := 0; i < max(len(na), len(nb)); i++ {
		var x, y int
		if i < len(na) {
			x = na[i]
		}
		if i < len(nb) {
			y = nb[i]
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// leadingNumbers returns the dotted numbers a version starts with.
func leadingNumbers(v string) []int {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	var out []int
	for part := range strings.SplitSeq(v, ".") {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		n, err := strconv.Atoi(part[:end])
		if err != nil {
			break
		}
		out = append(out, n)
		if end < len(part) {
			break
		}
	}
	return out
}
