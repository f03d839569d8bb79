package risk

import (
	"math"
	"strings"
)

// ref3 is an independent implementation of the CVSS v3.0 and v3.1 formulas,
// written from the FIRST specifications, used only to compute and check the
// expected scores of testdata/vectors.tsv. It returns the base, temporal and
// environmental scores; temporal and environmental are NaN when the vector
// sets no metric of their group.
func ref3(vector string) (base, temporal, env float64) {
	parts := strings.Split(vector, "/")
	version := strings.TrimPrefix(parts[0], "CVSS:")
	m := map[string]string{}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, ":")
		m[k] = v
	}
	get := func(k, def string) string {
		if v, ok := m[k]; ok && v != "X" {
			return v
		}
		return def
	}
	roundup := func(x float64) float64 {
		if version == "3.0" {
			return math.Ceil(x*10) / 10
		}
		i := math.Round(x * 100000)
		if math.Mod(i, 10000) == 0 {
			return i / 100000
		}
		return (math.Floor(i/10000) + 1) / 10
	}
	av := map[string]float64{"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
	ac := map[string]float64{"L": 0.77, "H": 0.44}
	ui := map[string]float64{"N": 0.85, "R": 0.62}
	cia := map[string]float64{"H": 0.56, "L": 0.22, "N": 0}
	pr := func(v, scope string) float64 {
		switch v {
		case "N":
			return 0.85
		case "L":
			if scope == "C" {
				return 0.68
			}
			return 0.62
		}
		if scope == "C" {
			return 0.5
		}
		return 0.27
	}
	e := map[string]float64{"X": 1, "H": 1, "F": 0.97, "P": 0.94, "U": 0.91}[get("E", "X")]
	rl := map[string]float64{"X": 1, "U": 1, "W": 0.97, "T": 0.96, "O": 0.95}[get("RL", "X")]
	rc := map[string]float64{"X": 1, "C": 1, "R": 0.96, "U": 0.92}[get("RC", "X")]
	req := map[string]float64{"X": 1, "H": 1.5, "M": 1, "L": 0.5}

	scope := m["S"]
	iss := 1 - (1-cia[m["C"]])*(1-cia[m["I"]])*(1-cia[m["A"]])
	var impact float64
	if scope == "U" {
		impact = 6.42 * iss
	} else {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	expl := 8.22 * av[m["AV"]] * ac[m["AC"]] * pr(m["PR"], scope) * ui[m["UI"]]
	switch {
	case impact <= 0:
		base = 0
	case scope == "U":
		base = roundup(math.Min(impact+expl, 10))
	default:
		base = roundup(math.Min(1.08*(impact+expl), 10))
	}

	temporal, env = math.NaN(), math.NaN()
	has := func(keys ...string) bool {
		for _, k := range keys {
			if v, ok := m[k]; ok && v != "X" {
				return true
			}
		}
		return false
	}
	if has("E", "RL", "RC") {
		temporal = roundup(base * e * rl * rc)
	}
	if !has("CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA") {
		return base, temporal, env
	}

	ms := get("MS", scope)
	miss := math.Min(1-(1-req[get("CR", "X")]*cia[get("MC", m["C"])])*
		(1-req[get("IR", "X")]*cia[get("MI", m["I"])])*
		(1-req[get("AR", "X")]*cia[get("MA", m["A"])]), 0.915)
	var mImpact float64
	switch {
	case ms == "U":
		mImpact = 6.42 * miss
	case version == "3.0":
		mImpact = 7.52*(miss-0.029) - 3.25*math.Pow(miss-0.02, 15)
	default:
		mImpact = 7.52*(miss-0.029) - 3.25*math.Pow(miss*0.9731-0.02, 13)
	}
	mExpl := 8.22 * av[get("MAV", m["AV"])] * ac[get("MAC", m["AC"])] * pr(get("MPR", m["PR"]), ms) * ui[get("MUI", m["UI"])]
	switch {
	case mImpact <= 0:
		env = 0
	case ms == "U":
		env = roundup(roundup(math.Min(mImpact+mExpl, 10)) * e * rl * rc)
	default:
		env = roundup(roundup(math.Min(1.08*(mImpact+mExpl), 10)) * e * rl * rc)
	}
	return base, temporal, env
}
