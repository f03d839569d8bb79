package threat

import "github.com/wardtm/ward/internal/model"

// source is the part of a threat that depends only on what raised it (one
// STRIDE table entry, one rule, one LINDDUN category), shared by every
// threat it raises. A candidate keeps a pointer to its source and the
// Threat value is built only for the threats that end up in the register,
// so hundreds of thousands of candidates stay small while they are merged
// and sorted.
type source struct {
	// pattern is shared by every threat of the source; residual replaces
	// it for the weaker variant of a rule, when that has its own title.
	pattern  *Pattern
	residual *Pattern
	// parts is the description template, compiled.
	parts []templatePart
	// needImpact selects how impact reads: as strideEntry.impact specs
	// (a need name, a level, or "" for none) when true, or as fixed levels
	// when false.
	needImpact bool
	impact     [3]string
	// vector is the rule's attack vector, clamped by ruleVector; empty
	// takes the target's.
	vector string

	residualImpact [3]string
}

// newSource returns a source whose threats share p; a non-empty
// residualTitle gives the weaker variant a pattern of its own.
func newSource(p Pattern, residualTitle string) source {
	s := source{pattern: &p, residual: &p}
	if residualTitle != "" {
		r := p
		r.Title = residualTitle
		s.residual = &r
	}
	return s
}

// rule returns the ID of the source's rule.
func (s *source) rule() string { return s.pattern.Rule }

// writeThreat writes the Threat of candidate c, without its disposition,
// into th, which must be the zero Threat. It writes the
// fields one by one because copying a whole Threat into the register costs
// a write barrier per pointer while the garbage collector runs.
func (ix *index) writeThreat(th *Threat, c *candidate) {
	if c.full != nil {
		*th = *c.full
	} else {
		s := c.src
		th.Pattern = s.pattern
		th.Description = fillParts(s.parts, c.t, &ix.strings)
		th.Impact = s.impactOn(c.t, s.impact)
		th.Vector = s.vector
		if th.Vector == "" {
			th.Vector = ix.vectorOf(c.t)
		} else {
			th.Vector = ix.ruleVector(c.t, th.Vector)
		}
		if c.residual {
			th.Residual = true
			th.Impact = s.impactOn(c.t, s.residualImpact)
			th.Pattern = s.residual
		}
	}
	th.ID = c.ID
	th.Target = c.t.Target
	th.Aliases = c.Aliases
	th.Findings = c.Findings
	if k := c.known; k != nil {
		// This threat alone cites the vulnerabilities.
		p := *th.Pattern
		p.References = k.references
		th.Pattern = &p
		if k.impact != nil {
			th.Impact = *k.impact
		}
	}
}

func (s *source) impactOn(t *target, spec [3]string) CIA {
	if !s.needImpact {
		return CIA{Confidentiality: spec[0], Integrity: spec[1], Availability: spec[2]}
	}
	return CIA{
		Confidentiality: impactLevel(t, spec[0]),
		Integrity:       impactLevel(t, spec[1]),
		Availability:    impactLevel(t, spec[2]),
	}
}

// dispositionCache builds the Disposition of each model entry once, so
// every threat an entry matches shares one value, and every open threat
// shares another.
type dispositionCache struct {
	open    *Disposition
	byEntry map[*model.ThreatEntry]*Disposition
	// last and lastEntry short-cut the map: an entry with a glob usually
	// matches several threats in a row.
	last      *Disposition
	lastEntry *model.ThreatEntry
}

func newDispositionCache() *dispositionCache {
	return &dispositionCache{
		open:    &Disposition{Status: StatusOpen},
		byEntry: make(map[*model.ThreatEntry]*Disposition),
	}
}

// of returns the disposition a candidate's entry sets: open when there is
// no entry.
func (dc *dispositionCache) of(c *candidate) *Disposition {
	switch {
	case c.entry == nil:
		return dc.open
	case c.entry == dc.lastEntry:
		return dc.last
	}
	d, ok := dc.byEntry[c.entry]
	if !ok {
		v := dispositionFrom(c.entry)
		d = &v
		dc.byEntry[c.entry] = d
	}
	dc.last, dc.lastEntry = d, c.entry
	return d
}

// dispositioned reports whether the candidate's status is other than open.
func (c *candidate) dispositioned() bool {
	return c.entry != nil && c.entry.Status != "" && c.entry.Status != StatusOpen
}

// rule returns the candidate's rule ID, "" for a hand-written threat.
func (c *candidate) rule() string {
	if c.full != nil {
		return c.full.Rule
	}
	return c.src.pattern.Rule
}

func (c *candidate) stride() string {
	if c.full != nil {
		return c.full.STRIDE
	}
	return c.src.pattern.STRIDE
}

func (c *candidate) also() []string {
	if c.full != nil {
		return c.full.Also
	}
	return c.src.pattern.Also
}

// references returns the candidate's references, which may be shared with
// other candidates and must not be written to.
func (c *candidate) references() []Reference {
	switch {
	case c.known != nil:
		return c.known.references
	case c.full != nil:
		return c.full.References
	}
	return c.src.pattern.References
}

// handWrittenEntry returns the model entry of a hand-written threat with
// the candidate's ID, or nil.
func handWrittenEntry(entries map[string]*model.ThreatEntry, c *candidate) *model.ThreatEntry {
	if !isOnlyMethod(c.Findings, MethodManual) {
		return nil
	}
	return entries[c.ID]
}
