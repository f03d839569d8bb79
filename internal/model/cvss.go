package model

import (
	"fmt"
	"slices"
	"strings"
)

// cvssMetric is one metric of a CVSS vector: its allowed values and whether
// a base vector must contain it.
type cvssMetric struct {
	values   []string
	required bool
}

func cvssMetrics(required bool, values string, names ...string) map[string]cvssMetric {
	m := make(map[string]cvssMetric, len(names))
	for _, n := range names {
		m[n] = cvssMetric{values: strings.Split(values, ","), required: required}
	}
	return m
}

func mergeMetrics(parts ...map[string]cvssMetric) map[string]cvssMetric {
	out := map[string]cvssMetric{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

// The metrics and values of the CVSS v3.x and v4.0 specifications (FIRST),
// base metrics required and the others optional. This is a syntax check
// only: scoring lives with risk assessment.
var (
	cvss3Metrics = mergeMetrics(
		cvssMetrics(true, "N,A,L,P", "AV"),
		cvssMetrics(true, "L,H", "AC"),
		cvssMetrics(true, "N,L,H", "PR"),
		cvssMetrics(true, "N,R", "UI"),
		cvssMetrics(true, "U,C", "S"),
		cvssMetrics(true, "N,L,H", "C", "I", "A"),
		cvssMetrics(false, "X,U,P,F,H", "E"),
		cvssMetrics(false, "X,O,T,W,U", "RL"),
		cvssMetrics(false, "X,U,R,C", "RC"),
		cvssMetrics(false, "X,L,M,H", "CR", "IR", "AR"),
		cvssMetrics(false, "X,N,A,L,P", "MAV"),
		cvssMetrics(false, "X,L,H", "MAC"),
		cvssMetrics(false, "X,N,L,H", "MPR", "MC", "MI", "MA"),
		cvssMetrics(false, "X,N,R", "MUI"),
		cvssMetrics(false, "X,U,C", "MS"),
	)
	cvss4Metrics = mergeMetrics(
		cvssMetrics(true, "N,A,L,P", "AV"),
		cvssMetrics(true, "L,H", "AC"),
		cvssMetrics(true, "N,P", "AT"),
		cvssMetrics(true, "N,L,H", "PR"),
		cvssMetrics(true, "N,P,A", "UI"),
		cvssMetrics(true, "H,L,N", "VC", "VI", "VA", "SC", "SI", "SA"),
		cvssMetrics(false, "X,A,P,U", "E"),
		cvssMetrics(false, "X,H,M,L", "CR", "IR", "AR"),
		cvssMetrics(false, "X,N,A,L,P", "MAV"),
		cvssMetrics(false, "X,L,H", "MAC"),
		cvssMetrics(false, "X,N,P", "MAT"),
		cvssMetrics(false, "X,N,L,H", "MPR"),
		cvssMetrics(false, "X,N,P,A", "MUI"),
		cvssMetrics(false, "X,H,L,N", "MVC", "MVI", "MVA", "MSC"),
		cvssMetrics(false, "X,S,H,L,N", "MSI", "MSA"),
		cvssMetrics(false, "X,N,P", "S"),
		cvssMetrics(false, "X,N,Y", "AU"),
		cvssMetrics(false, "X,A,U,I", "R"),
		cvssMetrics(false, "X,D,C", "V"),
		cvssMetrics(false, "X,L,M,H", "RE"),
		cvssMetrics(false, "X,Clear,Green,Amber,Red", "U"),
	)
)

// checkCVSS returns what is wrong with a CVSS v3.0, v3.1 or v4.0 vector, or
// "" when it is well formed: a known version prefix, known metrics with
// allowed values, each metric at most once and every base metric present.
func checkCVSS(vector string) string {
	version, rest, ok := strings.Cut(vector, "/")
	var metrics map[string]cvssMetric
	switch {
	case !ok || !strings.HasPrefix(version, "CVSS:"):
		return "missing the CVSS:3.1/ or CVSS:4.0/ prefix"
	case version == "CVSS:3.0" || version == "CVSS:3.1":
		metrics = cvss3Metrics
	case version == "CVSS:4.0":
		metrics = cvss4Metrics
	default:
		return fmt.Sprintf("version %s is not supported; use 3.0, 3.1 or 4.0", strings.TrimPrefix(version, "CVSS:"))
	}

	seen := make(map[string]bool, len(metrics))
	for part := range strings.SplitSeq(rest, "/") {
		name, value, ok := strings.Cut(part, ":")
		if !ok {
			return fmt.Sprintf("%q is not a metric:value pair", part)
		}
		metric, known := metrics[name]
		switch {
		case !known:
			return fmt.Sprintf("unknown metric %s", name)
		case seen[name]:
			return fmt.Sprintf("metric %s appears twice", name)
		case !slices.Contains(metric.values, value):
			return fmt.Sprintf("metric %s has value %q; allowed: %s", name, value, strings.Join(metric.values, ", "))
		}
		seen[name] = true
	}

	var missing []string
	for name, metric := range metrics {
		if metric.required && !seen[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return "missing base metric " + strings.Join(missing, ", ")
	}
	return ""
}
