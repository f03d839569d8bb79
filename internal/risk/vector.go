package risk

import (
	"fmt"
	"slices"
	"strings"
)

// Metric groups of a CVSS vector.
const (
	groupBase          = "base"
	groupTemporal      = "temporal" // CVSS v3 temporal metrics, CVSS v4 threat metrics
	groupEnvironmental = "environmental"
	groupSupplemental  = "supplemental" // CVSS v4 only; never changes the score
)

// metricDef is one metric of a CVSS version: its abbreviation, the group it
// belongs to and the values the specification allows.
type metricDef struct {
	key    string
	group  string
	values []string
}

// CVSS v3.0 and v3.1 share their metrics; they differ only in formulas.
var metrics3 = []metricDef{
	{"AV", groupBase, []string{"N", "A", "L", "P"}},
	{"AC", groupBase, []string{"L", "H"}},
	{"PR", groupBase, []string{"N", "L", "H"}},
	{"UI", groupBase, []string{"N", "R"}},
	{"S", groupBase, []string{"U", "C"}},
	{"C", groupBase, []string{"H", "L", "N"}},
	{"I", groupBase, []string{"H", "L", "N"}},
	{"A", groupBase, []string{"H", "L", "N"}},
	{"E", groupTemporal, []string{"X", "H", "F", "P", "U"}},
	{"RL", groupTemporal, []string{"X", "U", "W", "T", "O"}},
	{"RC", groupTemporal, []string{"X", "C", "R", "U"}},
	{"CR", groupEnvironmental, []string{"X", "H", "M", "L"}},
	{"IR", groupEnvironmental, []string{"X", "H", "M", "L"}},
	{"AR", groupEnvironmental, []string{"X", "H", "M", "L"}},
	{"MAV", groupEnvironmental, []string{"X", "N", "A", "L", "P"}},
	{"MAC", groupEnvironmental, []string{"X", "L", "H"}},
	{"MPR", groupEnvironmental, []string{"X", "N", "L", "H"}},
	{"MUI", groupEnvironmental, []string{"X", "N", "R"}},
	{"MS", groupEnvironmental, []string{"X", "U", "C"}},
	{"MC", groupEnvironmental, []string{"X", "H", "L", "N"}},
	{"MI", groupEnvironmental, []string{"X", "H", "L", "N"}},
	{"MA", groupEnvironmental, []string{"X", "H", "L", "N"}},
}

// CVSS v4.0 metrics in the order the specification requires them.
var metrics4 = []metricDef{
	{"AV", groupBase, []string{"N", "A", "L", "P"}},
	{"AC", groupBase, []string{"L", "H"}},
	{"AT", groupBase, []string{"N", "P"}},
	{"PR", groupBase, []string{"N", "L", "H"}},
	{"UI", groupBase, []string{"N", "P", "A"}},
	{"VC", groupBase, []string{"H", "L", "N"}},
	{"VI", groupBase, []string{"H", "L", "N"}},
	{"VA", groupBase, []string{"H", "L", "N"}},
	{"SC", groupBase, []string{"H", "L", "N"}},
	{"SI", groupBase, []string{"H", "L", "N"}},
	{"SA", groupBase, []string{"H", "L", "N"}},
	{"E", groupTemporal, []string{"X", "A", "P", "U"}},
	{"CR", groupEnvironmental, []string{"X", "H", "M", "L"}},
	{"IR", groupEnvironmental, []string{"X", "H", "M", "L"}},
	{"AR", groupEnvironmental, []string{"X", "H", "M", "L"}},
	{"MAV", groupEnvironmental, []string{"X", "N", "A", "L", "P"}},
	{"MAC", groupEnvironmental, []string{"X", "L", "H"}},
	{"MAT", groupEnvironmental, []string{"X", "N", "P"}},
	{"MPR", groupEnvironmental, []string{"X", "N", "L", "H"}},
	{"MUI", groupEnvironmental, []string{"X", "N", "P", "A"}},
	{"MVC", groupEnvironmental, []string{"X", "H", "L", "N"}},
	{"MVI", groupEnvironmental, []string{"X", "H", "L", "N"}},
	{"MVA", groupEnvironmental, []string{"X", "H", "L", "N"}},
	{"MSC", groupEnvironmental, []string{"X", "H", "L", "N"}},
	{"MSI", groupEnvironmental, []string{"X", "S", "H", "L", "N"}},
	{"MSA", groupEnvironmental, []string{"X", "S", "H", "L", "N"}},
	{"S", groupSupplemental, []string{"X", "N", "P"}},
	{"AU", groupSupplemental, []string{"X", "N", "Y"}},
	{"R", groupSupplemental, []string{"X", "A", "U", "I"}},
	{"V", groupSupplemental, []string{"X", "D", "C"}},
	{"RE", groupSupplemental, []string{"X", "L", "M", "H"}},
	{"U", groupSupplemental, []string{"X", "Clear", "Green", "Amber", "Red"}},
}

// maxVectorLen bounds the input so that a hostile vector cannot make
// parsing expensive. The longest valid vector (CVSS v4.0 with every metric)
// is about 190 bytes.
const maxVectorLen = 512

// VectorError is an invalid CVSS vector. Metric names the offending metric
// abbreviation when one is to blame.
type VectorError struct {
	Vector string
	Metric string
	Msg    string
}

func (e *VectorError) Error() string {
	v := e.Vector
	if len(v) > 80 {
		v = v[:77] + "..."
	}
	if e.Metric != "" {
		return fmt.Sprintf("invalid CVSS vector %q: metric %s: %s", v, e.Metric, e.Msg)
	}
	return fmt.Sprintf("invalid CVSS vector %q: %s", v, e.Msg)
}

// vector is a syntactically valid CVSS vector split into its metrics.
type vector struct {
	raw     string
	version string // "3.0", "3.1" or "4.0"
	defs    []metricDef
	values  map[string]string
}

// parseVector checks v against the metric table of its version: the
// prefix, every metric name and value, duplicates, the order CVSS v4.0
// requires and the presence of every base metric. It reports the first
// problem with the metric it concerns.
func parseVector(v string) (*vector, error) {
	fail := func(metric, format string, args ...any) error {
		return &VectorError{Vector: v, Metric: metric, Msg: fmt.Sprintf(format, args...)}
	}
	if len(v) > maxVectorLen {
		return nil, fail("", "longer than %d bytes", maxVectorLen)
	}
	prefix, rest, ok := strings.Cut(v, "/")
	vec := &vector{raw: v, values: map[string]string{}}
	switch prefix {
	case "CVSS:3.0":
		vec.version, vec.defs = "3.0", metrics3
	case "CVSS:3.1":
		vec.version, vec.defs = "3.1", metrics3
	case "CVSS:4.0":
		vec.version, vec.defs = "4.0", metrics4
	default:
		return nil, fail("", "must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/")
	}
	if !ok || rest == "" {
		return nil, fail("", "no metrics after %s", prefix)
	}

	last := -1
	for part := range strings.SplitSeq(rest, "/") {
		key, value, ok := strings.Cut(part, ":")
		if !ok || key == "" {
			return nil, fail("", "%q is not a metric of the form KEY:VALUE", part)
		}
		i := slices.IndexFunc(vec.defs, func(d metricDef) bool { return d.key == key })
		if i < 0 {
			return nil, fail(key, "unknown in CVSS %s; known metrics are %s", vec.version, strings.Join(metricKeys(vec.defs), ", "))
		}
		if _, dup := vec.values[key]; dup {
			return nil, fail(key, "written more than once")
		}
		def := vec.defs[i]
		if !slices.Contains(def.values, value) {
			return nil, fail(key, "value %q is not one of %s", value, strings.Join(def.values, ", "))
		}
		if vec.version == "4.0" && i < last {
			return nil, fail(key, "out of order; CVSS 4.0 requires the order %s", strings.Join(metricKeys(vec.defs), "/"))
		}
		last = i
		vec.values[key] = value
	}

	for _, d := range vec.defs {
		if d.group != groupBase {
			continue
		}
		if _, ok := vec.values[d.key]; !ok {
			return nil, fail(d.key, "base metric missing; write %s:<%s>", d.key, strings.Join(d.values, "|"))
		}
	}
	return vec, nil
}

// has reports whether any metric of group is written with a value other
// than X (not defined).
func (v *vector) has(group string) bool {
	for _, d := range v.defs {
		if d.group == group {
			if val, ok := v.values[d.key]; ok && val != "X" {
				return true
			}
		}
	}
	return false
}

// only returns the vector restricted to the given groups, in specification
// order, so that the v4.0 base and threat scores can be computed from a
// vector that also carries environmental metrics.
func (v *vector) only(groups ...string) string {
	var b strings.Builder
	b.WriteString("CVSS:" + v.version)
	for _, d := range v.defs {
		val, ok := v.values[d.key]
		if ok && slices.Contains(groups, d.group) {
			b.WriteString("/" + d.key + ":" + val)
		}
	}
	return b.String()
}

func metricKeys(defs []metricDef) []string {
	keys := make([]string, len(defs))
	for i, d := range defs {
		keys[i] = d.key
	}
	return keys
}
