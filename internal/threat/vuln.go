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
	var impact CIA
	kev := false
	var refs []Reference
	var listed []string
	// reach is the most exposed attack vector the records state; a record
	// without one could be reached from anywhere the dependency can.
	reach := ""
	for _, v := range vulns {
		if av, ok := vectorAttackVector(v.Vector); ok {
			reach = moreExposed(reach, av)
		} else {
			reach = moreExposed(reach, ix.vectorOf(t))
		}
		one, ok := vectorImpact(v.Vector)
		if !ok {
			// Without a vector, the severity word is all there is: apply
			// it to all three properties.
			sev := severityLevels[strings.ToLower(v.Severity)]
			if sev == "" {
				sev = "medium"
			}
			if v.KEV {
				sev = "high"
			}
			one = CIA{Confidentiality: sev, Integrity: sev, Availability: sev}
		}
		kev = kev || v.KEV
		impact = CIA{
			Confidentiality: higherLevel(impact.Confidentiality, one.Confidentiality),
			Integrity:       higherLevel(impact.Integrity, one.Integrity),
			Availability:    higherLevel(impact.Availability, one.Availability),
		}
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
	desc := fmt.Sprintf("%s%s has %s with no not-affected or fixed decision in the model: %s.",
		t.Name, version, diag.Count(len(vulns), "known vulnerability", "known vulnerabilities"), strings.Join(listed, "; "))

	return Threat{
		ID: knownVulnerabilityRule + "@" + t.ID,
		Pattern: &Pattern{
			Rule:  knownVulnerabilityRule,
			Title: title,
			// An exploited vulnerability in a component usually lets
			// the attacker run code or act with the component's rights.
			STRIDE:     ElevationOfPrivilege,
			Phase:      "maintenance",
			Controls:   []string{"updatability-patchability"},
			References: refs,
		},
		Description: desc,
		Target:      t.Target,
		Impact:      impact,
		// A vulnerability exploitable only locally stays local in a
		// networked component, and a network one in a component that
		// only a cable reaches needs that cable.
		Vector: lessExposed(reach, ix.vectorOf(t)),
	}
}

// vectorAttackVector reads the attack vector metric (AV) of a CVSS v3.x or
// v4.0 vector. It returns false when the vector has none.
func vectorAttackVector(vector string) (string, bool) {
	if !strings.HasPrefix(vector, "CVSS:3.") && !strings.HasPrefix(vector, "CVSS:4.0/") {
		return "", false
	}
	for _, part := range strings.Split(vector, "/")[1:] {
		if value, ok := strings.CutPrefix(part, "AV:"); ok {
			v, known := cvssAttackVectors[value]
			return v, known
		}
	}
	return "", false
}

// cvssAttackVectors maps CVSS attack vector values to Ward's vectors.
var cvssAttackVectors = map[string]string{"N": VectorNetwork, "A": VectorAdjacent, "L": VectorLocal, "P": VectorPhysical}

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

// vectorImpact reads the confidentiality, integrity and availability
// metrics of a CVSS v3.x vector (C, I, A) or v4.0 vector (VC, VI, VA, the
// vulnerable system's impact). It returns false when the vector has none.
func vectorImpact(vector string) (CIA, bool) {
	keys := [3]string{"C", "I", "A"}
	if strings.HasPrefix(vector, "CVSS:4.0/") {
		keys = [3]string{"VC", "VI", "VA"}
	} else if !strings.HasPrefix(vector, "CVSS:3.") {
		return CIA{}, false
	}

	var values [3]string
	for _, part := range strings.Split(vector, "/")[1:] {
		name, value, _ := strings.Cut(part, ":")
		for i, key := range keys {
			if name == key {
				values[i] = cvssLevels[value]
			}
		}
	}
	if values[0] == "" || values[1] == "" || values[2] == "" {
		return CIA{}, false
	}
	return CIA{Confidentiality: values[0], Integrity: values[1], Availability: values[2]}, true
}

// cvssLevels maps CVSS impact metric values to Ward's levels.
var cvssLevels = map[string]string{"N": "none", "L": "low", "H": "high"}
