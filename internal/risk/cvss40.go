package risk

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"sync"

	gocvss40 "github.com/pandatix/go-cvss/40"
)

// CVSS v4.0 scoring.
//
// The score of a v4.0 vector is the expert-ranked score of its MacroVector
// (six equivalence-class levels EQ1..EQ6) minus an interpolation towards the
// next lower MacroVectors, rounded to one decimal. go-cvss v0.6.4 computes
// that interpolation in float64 and rounds with math.Round, so a value whose
// exact result is a tie such as 5.65 comes out as 5.6499999... and rounds
// down. The FIRST reference calculator (cvss40.js as maintained by Red Hat
// Product Security) adds 1e-6 before rounding, so exact ties round up. About
// 0.4 % of vectors are affected, among them
// CVSS:4.0/AV:L/AC:H/AT:N/PR:H/UI:N/VC:L/VI:H/VA:N/SC:L/SI:L/SA:L (5.7 in the
// reference, 5.6 in go-cvss).
//
// Ward therefore does the interpolation itself in exact rational arithmetic
// and rounds half up, which is what the reference's epsilon achieves. The
// MacroVector scores come from go-cvss: scoring a MacroVector's highest
// severity vector yields exactly its table score, because that vector's
// distance to itself is zero.

// eqLevels are the metric severity levels in tenths, as the specification's
// severity distances count them: 0 is the most severe value.
var eqLevels = map[string]map[string]int{
	"AV": {"N": 0, "A": 1, "L": 2, "P": 3},
	"PR": {"N": 0, "L": 1, "H": 2},
	"UI": {"N": 0, "P": 1, "A": 2},
	"AC": {"L": 0, "H": 1},
	"AT": {"N": 0, "P": 1},
	"VC": {"H": 0, "L": 1, "N": 2},
	"VI": {"H": 0, "L": 1, "N": 2},
	"VA": {"H": 0, "L": 1, "N": 2},
	"SC": {"H": 1, "L": 2, "N": 3},
	"SI": {"S": 0, "H": 1, "L": 2, "N": 3},
	"SA": {"S": 0, "H": 1, "L": 2, "N": 3},
	"CR": {"H": 0, "M": 1, "L": 2},
	"IR": {"H": 0, "M": 1, "L": 2},
	"AR": {"H": 0, "M": 1, "L": 2},
	"E":  {"A": 0, "P": 1, "U": 2},
}

// eqMetrics lists the metrics whose distances add up per equivalence class.
// EQ5 (exploit maturity) has a single value per level, so its distance is
// always zero and it is left out.
var eqMetrics = [...][]string{
	{"AV", "PR", "UI"},
	{"AC", "AT"},
	{"VC", "VI", "VA", "CR", "IR", "AR"},
	{"SC", "SI", "SA"},
}

// highestVectors lists, per equivalence class and level, the highest
// severity vectors of the specification's MacroVector tables. EQ3 and EQ6
// are joined because their levels constrain each other; the key is
// eq3*10+eq6.
var highestVectors = struct {
	eq1, eq2, eq4, eq5 [][]string
	eq3eq6             map[int][]string
}{
	eq1: [][]string{
		{"AV:N/PR:N/UI:N"},
		{"AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"},
		{"AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"},
	},
	eq2: [][]string{
		{"AC:L/AT:N"},
		{"AC:H/AT:N", "AC:L/AT:P"},
	},
	eq3eq6: map[int][]string{
		0:  {"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"},
		1:  {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"},
		10: {"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"},
		11: {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"},
		21: {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"},
	},
	eq4: [][]string{
		{"SC:H/SI:S/SA:S"},
		{"SC:H/SI:H/SA:H"},
		{"SC:L/SI:L/SA:L"},
	},
	eq5: [][]string{{"E:A"}, {"E:P"}, {"E:U"}},
}

// Depths are the largest severity distance inside a MacroVector plus one,
// per equivalence class and level, in tenths.
var (
	depthEQ1    = []int{1, 4, 5}
	depthEQ2    = []int{1, 2}
	depthEQ3EQ6 = map[int]int{0: 7, 1: 6, 10: 8, 11: 8, 21: 10}
	depthEQ4    = []int{6, 5, 4}
)

// macroVector is the six equivalence-class levels of a v4.0 vector.
type macroVector [6]int

func (mv macroVector) valid() bool {
	return mv[0] >= 0 && mv[0] <= 2 && mv[1] >= 0 && mv[1] <= 1 &&
		mv[2] >= 0 && mv[2] <= 2 && mv[3] >= 0 && mv[3] <= 2 &&
		mv[4] >= 0 && mv[4] <= 2 && mv[5] >= 0 && mv[5] <= 1 &&
		!(mv[2] == 2 && mv[5] == 0)
}

var (
	macroScoresOnce sync.Once
	macroScores     map[macroVector]int // in tenths
	macroScoresErr  error
)

// macroScore returns the table score of mv in tenths, and false when no
// such MacroVector exists.
func macroScore(mv macroVector) (int, bool, error) {
	macroScoresOnce.Do(loadMacroScores)
	if macroScoresErr != nil {
		return 0, false, macroScoresErr
	}
	s, ok := macroScores[mv]
	return s, ok, nil
}

// loadMacroScores scores the first highest severity vector of each of the
// 270 MacroVectors with go-cvss.
func loadMacroScores() {
	macroScores = make(map[macroVector]int, 270)
	for e1 := range 3 {
		for e2 := range 2 {
			for e3 := range 3 {
				for e4 := range 3 {
					for e5 := range 3 {
						for e6 := range 2 {
							mv := macroVector{e1, e2, e3, e4, e5, e6}
							if !mv.valid() {
								continue
							}
							metrics := parseParts(highestVectors.eq1[e1][0], highestVectors.eq2[e2][0],
								highestVectors.eq3eq6[e3*10+e6][0], highestVectors.eq4[e4][0], highestVectors.eq5[e5][0])
							v, err := gocvss40.ParseVector(highestVectorString(metrics))
							if err != nil {
								macroScoresErr = fmt.Errorf("building the CVSS v4.0 MacroVector table: %w", err)
								return
							}
							macroScores[mv] = int(math.Round(v.Score() * 10))
						}
					}
				}
			}
		}
	}
}

// highestVectorString writes a highest severity vector as a vector go-cvss
// parses. SI:S and SA:S exist only as MSI and MSA values, and the
// requirements only as environmental metrics, so they move there.
func highestVectorString(m map[string]string) string {
	b := strings.Builder{}
	b.WriteString("CVSS:4.0")
	for _, k := range []string{"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC"} {
		b.WriteString("/" + k + ":" + m[k])
	}
	for _, k := range []string{"SI", "SA"} {
		if m[k] == "S" {
			b.WriteString("/" + k + ":H")
		} else {
			b.WriteString("/" + k + ":" + m[k])
		}
	}
	b.WriteString("/E:" + m["E"] + "/CR:" + m["CR"] + "/IR:" + m["IR"] + "/AR:" + m["AR"])
	for _, k := range []string{"SI", "SA"} {
		if m[k] == "S" {
			b.WriteString("/M" + k + ":S")
		}
	}
	return b.String()
}

func parseParts(parts ...string) map[string]string {
	m := map[string]string{}
	for _, p := range parts {
		for kv := range strings.SplitSeq(p, "/") {
			k, v, _ := strings.Cut(kv, ":")
			m[k] = v
		}
	}
	return m
}

// effective returns the value of metric that scoring uses: the modified
// metric when the environmental group sets it, and the worst case for an
// unset exploit maturity or security requirement.
func (v *vector) effective(metric string) string {
	if m, ok := v.values["M"+metric]; ok && m != "X" {
		return m
	}
	val := v.values[metric]
	if val == "" || val == "X" {
		switch metric {
		case "E":
			return "A"
		case "CR", "IR", "AR":
			return "H"
		}
	}
	return val
}

func (v *vector) macroVector() macroVector {
	e := v.effective
	var mv macroVector

	switch {
	case e("AV") == "N" && e("PR") == "N" && e("UI") == "N":
		mv[0] = 0
	case (e("AV") == "N" || e("PR") == "N" || e("UI") == "N") && e("AV") != "P":
		mv[0] = 1
	default:
		mv[0] = 2
	}

	if !(e("AC") == "L" && e("AT") == "N") {
		mv[1] = 1
	}

	switch {
	case e("VC") == "H" && e("VI") == "H":
		mv[2] = 0
	case e("VC") == "H" || e("VI") == "H" || e("VA") == "H":
		mv[2] = 1
	default:
		mv[2] = 2
	}

	switch {
	case e("SI") == "S" || e("SA") == "S":
		mv[3] = 0
	case e("SC") == "H" || e("SI") == "H" || e("SA") == "H":
		mv[3] = 1
	default:
		mv[3] = 2
	}

	mv[4] = map[string]int{"A": 0, "P": 1, "U": 2}[e("E")]

	if !((e("CR") == "H" && e("VC") == "H") || (e("IR") == "H" && e("VI") == "H") || (e("AR") == "H" && e("VA") == "H")) {
		mv[5] = 1
	}
	return mv
}

// score40 computes the CVSS v4.0 score of v in tenths.
func score40(v *vector) (int, error) {
	noImpact := true
	for _, m := range []string{"VC", "VI", "VA", "SC", "SI", "SA"} {
		if v.effective(m) != "N" {
			noImpact = false
		}
	}
	if noImpact {
		return 0, nil
	}

	mv := v.macroVector()
	value, ok, err := macroScore(mv)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("CVSS v4.0 MacroVector %v has no score", mv)
	}

	// The next lower MacroVector of each class; EQ3 and EQ6 move together.
	lower := func(i int) macroVector { l := mv; l[i]++; return l }
	eq3eq6Next := func() (int, bool, error) {
		switch 10*mv[2] + mv[5] {
		case 11, 1:
			return macroScore(lower(2))
		case 10:
			return macroScore(lower(5))
		case 0:
			a, okA, err := macroScore(lower(5))
			if err != nil {
				return 0, false, err
			}
			b, okB, err := macroScore(lower(2))
			return max(a, b), okA && okB, err
		}
		return 0, false, nil
	}

	distances, err := v.severityDistances(mv)
	if err != nil {
		return 0, err
	}
	depth := [4]int{depthEQ1[mv[0]], depthEQ2[mv[1]], depthEQ3EQ6[10*mv[2]+mv[5]], depthEQ4[mv[3]]}

	// Sum the proportional distances; mean = sum / n.
	sum := new(big.Rat)
	n := 0
	for class, next := range []func() (int, bool, error){
		func() (int, bool, error) { return macroScore(lower(0)) },
		func() (int, bool, error) { return macroScore(lower(1)) },
		eq3eq6Next,
		func() (int, bool, error) { return macroScore(lower(3)) },
	} {
		nextScore, exists, err := next()
		if err != nil {
			return 0, err
		}
		if !exists {
			continue
		}
		n++
		// (value - next) * distance / depth, all in tenths.
		term := big.NewRat(int64((value-nextScore)*distances[class]), int64(depth[class]))
		sum.Add(sum, term)
	}
	// EQ5 counts towards n when a lower level exists, but adds nothing.
	if _, exists, err := macroScore(lower(4)); err != nil {
		return 0, err
	} else if exists {
		n++
	}

	result := new(big.Rat).SetInt64(int64(value))
	if n > 0 {
		result.Sub(result, sum.Quo(sum, big.NewRat(int64(n), 1)))
	}
	return roundHalfUp(result), nil
}

// roundHalfUp rounds r (in tenths) to an integer number of tenths, ties
// upwards, within 0 and 100.
func roundHalfUp(r *big.Rat) int {
	r = new(big.Rat).Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom()) // truncates towards zero
	if r.Sign() < 0 {
		return 0
	}
	return min(int(q.Int64()), 100)
}

// severityDistances returns, per equivalence class EQ1..EQ4, the distance
// in tenths from the first highest severity vector of mv that is at least
// as severe as v in every metric.
func (v *vector) severityDistances(mv macroVector) ([4]int, error) {
	for _, a := range highestVectors.eq1[mv[0]] {
		for _, b := range highestVectors.eq2[mv[1]] {
			for _, c := range highestVectors.eq3eq6[10*mv[2]+mv[5]] {
				for _, d := range highestVectors.eq4[mv[3]] {
					highest := parseParts(a, b, c, d, highestVectors.eq5[mv[4]][0])
					var dist [4]int
					ok := true
					for class, ms := range eqMetrics {
						for _, m := range ms {
							delta := eqLevels[m][v.effective(m)] - eqLevels[m][highest[m]]
							if delta < 0 {
								ok = false
							}
							dist[class] += delta
						}
					}
					if ok {
						return dist, nil
					}
				}
			}
		}
	}
	return [4]int{}, fmt.Errorf("CVSS v4.0 vector %s has no highest severity vector in MacroVector %v", v.raw, mv)
}
