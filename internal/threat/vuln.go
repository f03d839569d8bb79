package threat

import (
	"fmt"
	"strings"

	"github.com/wardtm/ward/internal/diag"
)

// knownVulnerabilityRule is the rule ID of the known-vulnerability method:
// its threats are "vuln.known@<dependency-id>".
const knownVulnerabilityRule = "vuln.known"

// maxListedVulnerabilities caps the vulnerabilities a description names one
// by one; the references list all of them.
const maxListedVulnerabilities = 10

// severityLevels maps vulnerability severities to impact levels.
var severityLevels = map[string]string{
	"critical": "high",
	"high":     "high",
	"moderate": "medium",
	"medium":   "medium",
	"low":      "low",
}

// knownVulnerabilities raises one threat per dependency that has known
// vulnerabilities the model has not resolved as not-affected or fixed.
type knownVulnerabilities struct{}

func (knownVulnerabilities) Name() string { return MethodVulnerability }

func (knownVulnerabilities) find(ix *index, r *results) {
	for dep := range ix.vulns {
		if ix.lookup(TargetDependency, dep) == nil {
			r.diags.Warn(diag.Pos{}, "unknown-dependency", "",
				fmt.Sprintf("known vulnerabilities were reported for dependency %q, which the model does not define", dep),
				"add the dependency to the model or check the vulnerability input")
		}
	}
	for _, t := range ix.targets {
		if t.dependency == nil || len(ix.vulns[t.ID]) == 0 {
			continue
		}
		r.addFull(t, ix.vulnerabilityThreat(t, ix.vulns[t.ID]), MethodVulnerability, knownVulnerabilityRule)
	}
}

func (ix *index) vulnerabilityThreat(t *target, vulns []KnownVulnerability) Threat {
	level, kev := "", false
	var refs []Reference
	var listed []string
	for _, v := range vulns {
		sev := severityLevels[strings.ToLower(v.Severity)]
		if sev == "" {
			sev = "medium"
		}
		if v.KEV {
			kev = true
			sev = "high"
		}
		level = higherLevel(level, sev)
		refs = append(refs, Reference{Catalog: "osv", ID: v.ID})
		if len(listed) < maxListedVulnerabilities {
			listed = append(listed, describeVulnerability(v))
		}
	}
	if n := len(vulns) - len(listed); n > 0 {
		listed = append(listed, fmt.Sprintf("and %d more", n))
	}

	title := "known vulnerabilities not resolved"
	if kev {
		title = "known exploited vulnerability not resolved"
	}
	version := ""
	if t.dependency.Version != "" {
		version = " " + t.dependency.Version
	}
	desc := fmt.Sprintf("%s%s has %d known vulnerabilities with no not-affected or fixed decision in the model: %s.",
		t.Name, version, len(vulns), strings.Join(listed, "; "))

	return Threat{
		ID:          knownVulnerabilityRule + "@" + t.ID,
		Rule:        knownVulnerabilityRule,
		Title:       title,
		Description: desc,
		Target:      t.Target,
		// An exploited vulnerability in a component usually lets the
		// attacker run code or act with the component's rights.
		STRIDE:     ElevationOfPrivilege,
		Impact:     CIA{Confidentiality: level, Integrity: level, Availability: level},
		Vector:     ix.vectorOf(t),
		Phase:      "maintenance",
		Controls:   []string{"updatability-patchability"},
		References: refs,
	}
}

// describeVulnerability formats one vulnerability for a description, for
// example "CVE-2024-1234 (high, known exploited, fixed in 1.2.4)".
func describeVulnerability(v KnownVulnerability) string {
	var notes []string
	if v.Severity != "" {
		notes = append(notes, strings.ToLower(v.Severity))
	}
	if v.KEV {
		notes = append(notes, "known exploited")
	}
	if len(v.Fixed) > 0 {
		notes = append(notes, "fixed in "+strings.Join(v.Fixed, ", "))
	}
	if len(notes) == 0 {
		return v.ID
	}
	return v.ID + " (" + strings.Join(notes, ", ") + ")"
}
