package risk

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// Level is a rating of exploitability, severity or risk.
type Level string

// Levels, from least to most serious.
const (
	Low      Level = "low"
	Medium   Level = "medium"
	High     Level = "high"
	Critical Level = "critical"
)

// Levels lists the levels in order, least serious first.
var Levels = []Level{Low, Medium, High, Critical}

func (l Level) index() int { return slices.Index(Levels, l) }

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return l.index() >= 0 }

// shift returns the level n steps above l (below for negative n), kept
// within low and critical.
func (l Level) shift(n int) Level {
	i := min(max(l.index()+n, 0), len(Levels)-1)
	return Levels[i]
}

func maxLevel(a, b Level) Level {
	if b.index() > a.index() {
		return b
	}
	return a
}

// DefaultAccept is the highest residual risk level accepted without a
// justification when the model's risk section sets none.
const DefaultAccept = Low

// defaultMatrix maps exploitability (rows) and severity (columns) to risk.
var defaultMatrix = [4][4]Level{
	//            low     medium  high      critical  <- severity
	/* low */ {Low, Low, Medium, High},
	/* medium */ {Low, Medium, High, High},
	/* high */ {Medium, High, High, Critical},
	/* critical */ {Medium, High, Critical, Critical},
}

// Matrix combines exploitability and severity into a risk level.
type Matrix [4][4]Level

// Level returns the risk of a threat with exploitability e and severity s.
func (m Matrix) Level(e, s Level) Level {
	if !e.Valid() || !s.Valid() {
		return Critical
	}
	return m[e.index()][s.index()]
}

// Policy is the risk matrix and acceptance criterion in force.
type Policy struct {
	Matrix Matrix
	// Accept is the highest residual level accepted without a
	// justification; empty means no level is.
	Accept Level
}

// PolicyOf returns the default policy with the model's risk section
// applied. Invalid cells and levels are ignored here; CheckPolicy reports
// them.
func PolicyOf(m *model.Model) Policy {
	p := Policy{Matrix: defaultMatrix, Accept: DefaultAccept}
	for e, row := range m.Risk.Matrix {
		for s, level := range row {
			ei, si, l := Level(e).index(), Level(s).index(), Level(level)
			if ei >= 0 && si >= 0 && l.Valid() {
				p.Matrix[ei][si] = l
			}
		}
	}
	switch a := Level(m.Risk.Accept); {
	case a == "none":
		p.Accept = ""
	case a.Valid():
		p.Accept = a
	}
	return p
}

// Acceptable reports whether residual level l is accepted without a
// justification.
func (p Policy) Acceptable(l Level) bool {
	return p.Accept != "" && l.index() <= p.Accept.index()
}

// CheckPolicy reports invalid levels in the model's risk section and in the
// exploitability and severity overrides of its threats entries.
func CheckPolicy(m *model.Model) diag.List {
	var diags diag.List
	levels := make([]string, len(Levels))
	for i, l := range Levels {
		levels[i] = string(l)
	}
	allowed := strings.Join(levels, ", ")
	bad := func(pos diag.Pos, path, what, value string) {
		diags.Add(pos, "invalid-risk-level", path, fmt.Sprintf("%s %q is not a risk level", what, value),
			"use one of "+allowed)
	}

	if a := m.Risk.Accept; a != "" && a != "none" && !Level(a).Valid() {
		bad(m.Risk.FieldPos("accept"), "risk.accept", "accept", a)
	}
	pos := m.Risk.FieldPos("matrix")
	for _, e := range sortedKeys(m.Risk.Matrix) {
		if !Level(e).Valid() {
			bad(pos, "risk.matrix."+e, "exploitability", e)
			continue
		}
		for _, s := range sortedKeys(m.Risk.Matrix[e]) {
			if !Level(s).Valid() {
				bad(pos, "risk.matrix."+e+"."+s, "severity", s)
			} else if l := m.Risk.Matrix[e][s]; !Level(l).Valid() {
				bad(pos, "risk.matrix."+e+"."+s, "risk", l)
			}
		}
	}
	for i, t := range m.Threats {
		for key, v := range map[string]string{
			"exploitability": t.Exploitability, "severity": t.Severity,
			"residual_exploitability": t.ResidualExploitability, "residual_severity": t.ResidualSeverity,
		} {
			if v != "" && !Level(v).Valid() {
				bad(t.FieldPos(key), fmt.Sprintf("threats[%d].%s", i, key), key, v)
			}
		}
	}
	diags.Sort()
	return diags
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
