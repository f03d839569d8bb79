package model

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/wardtm/ward/internal/diag"
)

// Validate checks a decoded model. It checks required keys and values from
// the vocabularies, where the model's own protocols: and roles: lists extend
// the built-in ones. It checks that IDs are unique across the model, that
// references resolve, that boundary nesting has no cycles, and that dates,
// CVSS vectors, package URLs and the format version are valid. It returns every problem it finds, unsorted; Load and Parse sort
// them. Whether a disposition's glob matches an identified threat is checked
// where threats are identified, not here.
func Validate(m *Model) diag.List {
	v := &validator{m: m, ids: make(map[string]idEntry, len(m.Elements)+len(m.Flows)+len(m.Interfaces)+64)}
	v.protocols = extend(protocolIDs, m.Protocols, func(p ProtocolDef) string { return p.ID })
	v.roles = extend(roleIDs, m.Roles, func(r RoleDef) string { return r.ID })

	// IDs first, so that references can point forward and backward.
	v.registerAll()

	v.header()
	v.vocabularies()
	v.dataAndBoundaries()
	v.elements()
	v.flows()
	v.interfaces()
	v.dependencies()
	v.controlsAndHazards()
	v.threats()
	v.issues()
	v.reviews()
	v.vulnerabilities()
	v.policyAndViews()
	v.checkBoundaryCycles()
	return v.diags
}

// validator holds the state of one Validate call.
type validator struct {
	m         *Model
	diags     diag.List
	ids       map[string]idEntry
	byKind    [numKinds][]string // IDs of each kind, for did-you-mean
	protocols []string
	roles     []string
}

func (v *validator) add(pos diag.Pos, code, path, summary, fix string) {
	v.diags.Add(pos, code, path, summary, fix)
}

// Vocabulary IDs, computed once.
var (
	lifecycleIDs      = Lifecycles.IDs()
	elementKindIDs    = ElementKinds.IDs()
	dataCategoryIDs   = DataCategories.IDs()
	levelIDs          = Levels.IDs()
	boundaryKindIDs   = BoundaryKinds.IDs()
	roleIDs           = Roles.IDs()
	protocolIDs       = Protocols.IDs()
	interfaceKindIDs  = InterfaceKinds.IDs()
	exposureIDs       = Exposures.IDs()
	productionIDs     = ProductionStates.IDs()
	authenticationIDs = Authentications.IDs()
	dependencyKindIDs = DependencyKinds.IDs()
	classificationIDs = Classifications.IDs()
	supportLevelIDs   = SupportLevels.IDs()
	controlCatIDs     = ControlCategories.IDs()
	controlStatusIDs  = ControlStatuses.IDs()
	threatStatusIDs   = ThreatStatuses.IDs()
	strideIDs         = STRIDECategories.IDs()
	attackVectorIDs   = AttackVectors.IDs()
	phaseIDs          = LifecyclePhases.IDs()
	issueSourceIDs    = IssueSources.IDs()
	issueStatusIDs    = IssueStatuses.IDs()
	disclosureIDs     = DisclosureDecisions.IDs()
	reviewKindIDs     = ReviewKinds.IDs()
	reviewOutcomeIDs  = ReviewOutcomes.IDs()
	vulnStatusIDs     = VulnerabilityStatuses.IDs()
	vexIDs            = VEXJustifications.IDs()
	patientReachIDs   = PatientReach.IDs()
	viewNameIDs       = ViewNames.IDs()
)

func extend[T any](base []string, defs []T, id func(T) string) []string {
	out := append([]string(nil), base...)
	for _, d := range defs {
		if s := id(d); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (v *validator) at(src *Source, list string, index int) item {
	return item{v: v, src: src, list: list, index: index}
}

func (v *validator) registerAll() {
	m := v.m
	for i := range m.Assumptions {
		v.register(v.at(&m.Assumptions[i].Source, "assumptions", i), kindAssumption, m.Assumptions[i].ID)
	}
	for i := range m.Data {
		v.register(v.at(&m.Data[i].Source, "data", i), kindData, m.Data[i].ID)
	}
	for i := range m.Boundaries {
		v.register(v.at(&m.Boundaries[i].Source, "boundaries", i), kindBoundary, m.Boundaries[i].ID)
	}
	for i := range m.Elements {
		v.register(v.at(&m.Elements[i].Source, "elements", i), kindElement, m.Elements[i].ID)
	}
	for i := range m.Flows {
		v.register(v.at(&m.Flows[i].Source, "flows", i), kindFlow, m.Flows[i].ID)
	}
	for i := range m.Interfaces {
		v.register(v.at(&m.Interfaces[i].Source, "interfaces", i), kindInterface, m.Interfaces[i].ID)
	}
	for i := range m.Dependencies {
		v.register(v.at(&m.Dependencies[i].Source, "dependencies", i), kindDependency, m.Dependencies[i].ID)
	}
	for i := range m.Controls {
		v.register(v.at(&m.Controls[i].Source, "controls", i), kindControl, m.Controls[i].ID)
	}
	for i := range m.Hazards {
		v.register(v.at(&m.Hazards[i].Source, "hazards", i), kindHazard, m.Hazards[i].ID)
	}
	for i := range m.Threats {
		// Dispositions (match:) have no ID of their own.
		if t := &m.Threats[i]; t.ID != "" || t.HasField("id") {
			v.register(v.at(&t.Source, "threats", i), kindThreat, t.ID)
		}
	}
	for i := range m.Issues {
		v.register(v.at(&m.Issues[i].Source, "issues", i), kindIssue, m.Issues[i].ID)
	}
	for i := range m.Views.UseCases {
		v.register(v.at(&m.Views.UseCases[i].Source, "views.use_cases", i), kindUseCase, m.Views.UseCases[i].ID)
	}
}

func (v *validator) header() {
	m := v.m
	switch {
	case !m.HasField("ward"):
		v.add(m.Pos(), "missing-key", "ward", "required key ward is missing",
			fmt.Sprintf("start the file with ward: %d, the format version", FormatVersion))
	case m.Ward != FormatVersion:
		v.add(m.FieldPos("ward"), "unsupported-version", "ward",
			fmt.Sprintf("format version %d is not supported; this Ward reads version %d", m.Ward, FormatVersion),
			fmt.Sprintf("write ward: %d, or use a Ward release that reads version %d", FormatVersion, m.Ward))
	}

	if !m.HasField("system") {
		v.add(m.Pos(), "missing-key", "system", "required key system is missing",
			"add a system: section with id, name, document and lifecycle")
		return
	}
	s := &m.System
	it := v.at(&s.Source, "system", -1)
	it.required("id", s.ID)
	it.required("name", s.Name)
	if it.required("lifecycle", s.Lifecycle) {
		it.oneOf("lifecycle", s.Lifecycle, lifecycleIDs)
	}
	it.date("released", s.Released)
	if s.ReviewInterval < 0 {
		v.add(s.FieldPos("review_interval"), "invalid-value", "system.review_interval",
			fmt.Sprintf("review_interval %d is negative", s.ReviewInterval), "write a number of days, or leave it out for 365")
	}
	if !s.HasField("document") {
		v.add(s.Pos(), "missing-key", "system.document", "required key document is missing",
			"add document: {id: ..., version: ...} with the controlled-document ID and version")
		return
	}
	doc := it.child(&s.Document.Source, "document")
	doc.required("id", s.Document.ID)
	doc.required("version", s.Document.Version)
}

func (v *validator) vocabularies() {
	m := v.m
	seen := map[string]bool{}
	for i := range m.Protocols {
		p := &m.Protocols[i]
		it := v.at(&p.Source, "protocols", i)
		if !it.required("id", p.ID) {
			continue
		}
		if Protocols.Has(p.ID) || seen[p.ID] {
			v.add(p.FieldPos("id"), "duplicate-id", it.path("id"),
				fmt.Sprintf("protocol %q is already defined", p.ID), "remove this entry; the protocol can be used as it is")
		}
		seen[p.ID] = true
		it.oneOf("transport", p.Transport, attackVectorIDs)
	}
	clear(seen)
	for i := range m.Roles {
		r := &m.Roles[i]
		it := v.at(&r.Source, "roles", i)
		if !it.required("id", r.ID) {
			continue
		}
		if Roles.Has(r.ID) || seen[r.ID] {
			v.add(r.FieldPos("id"), "duplicate-id", it.path("id"),
				fmt.Sprintf("role %q is already defined", r.ID), "remove this entry; the role can be used as it is")
		}
		seen[r.ID] = true
	}
	for i := range m.Assumptions {
		a := &m.Assumptions[i]
		v.at(&a.Source, "assumptions", i).required("text", a.Text)
	}
}

func (v *validator) dataAndBoundaries() {
	m := v.m
	for i := range m.Data {
		d := &m.Data[i]
		it := v.at(&d.Source, "data", i)
		it.required("name", d.Name)
		if it.required("category", d.Category) {
			it.oneOf("category", d.Category, dataCategoryIDs)
		}
		it.oneOf("confidentiality", d.Confidentiality, levelIDs)
		it.oneOf("integrity", d.Integrity, levelIDs)
		it.oneOf("availability", d.Availability, levelIDs)
	}
	for i := range m.Boundaries {
		b := &m.Boundaries[i]
		it := v.at(&b.Source, "boundaries", i)
		it.required("name", b.Name)
		if it.required("kind", b.Kind) {
			it.oneOf("kind", b.Kind, boundaryKindIDs)
		}
		it.ref("parent", b.Parent, kindBoundary)
	}
}

func (v *validator) elements() {
	for i := range v.m.Elements {
		e := &v.m.Elements[i]
		it := v.at(&e.Source, "elements", i)
		if it.required("kind", e.Kind) {
			it.oneOf("kind", e.Kind, elementKindIDs)
		}
		it.required("name", e.Name)
		it.ref("boundary", e.Boundary, kindBoundary)
		it.oneOfOpen("role", e.Role, v.roles, "roles")
		it.refs("stores", e.Stores, kindData)
		it.refs("dependencies", e.Dependencies, kindDependency)
		it.oneOf("patients", e.Patients, patientReachIDs)
		v.scope(it, &e.Scope)
		v.suppressions(it, e.Suppress)
	}
}

func (v *validator) flows() {
	for i := range v.m.Flows {
		f := &v.m.Flows[i]
		it := v.at(&f.Source, "flows", i)
		if it.required("from", f.From) {
			it.ref("from", f.From, kindElement)
		}
		if it.required("to", f.To) {
			it.ref("to", f.To, kindElement)
		}
		if f.HasField("protocol") {
			p := it.child(&f.Protocol.Source, "protocol")
			if p.required("name", f.Protocol.Name) {
				p.oneOfOpen("name", f.Protocol.Name, v.protocols, "protocols")
			}
		}
		it.refs("data", f.Data, kindData)
		it.oneOf("authentication", f.Authentication, authenticationIDs)
		v.scope(it, &f.Scope)
		v.suppressions(it, f.Suppress)
	}
}

func (v *validator) interfaces() {
	for i := range v.m.Interfaces {
		f := &v.m.Interfaces[i]
		it := v.at(&f.Source, "interfaces", i)
		if it.required("of", f.Of) {
			it.ref("of", f.Of, kindElement)
		}
		if it.required("kind", f.Kind) {
			it.oneOf("kind", f.Kind, interfaceKindIDs)
		}
		if it.required("exposure", f.Exposure) {
			it.oneOf("exposure", f.Exposure, exposureIDs)
		}
		it.oneOf("production", f.Production, productionIDs)
		it.oneOfEach("protocols", f.Protocols, v.protocols)
		it.oneOf("authentication", f.Authentication, authenticationIDs)
		it.refs("controls", f.Controls, kindControl)
		v.scope(it, &f.Scope)
		v.suppressions(it, f.Suppress)
	}
}

func (v *validator) dependencies() {
	for i := range v.m.Dependencies {
		d := &v.m.Dependencies[i]
		it := v.at(&d.Source, "dependencies", i)
		it.required("name", d.Name)
		it.oneOf("kind", d.Kind, dependencyKindIDs)
		it.oneOf("classification", d.Classification, classificationIDs)
		if d.HasField("support") {
			s := it.child(&d.Support.Source, "support")
			s.oneOf("level", d.Support.Level, supportLevelIDs)
			s.date("ends", d.Support.Ends)
		}
		if d.Purl != "" {
			if _, err := packageurl.FromString(d.Purl); err != nil {
				v.add(d.FieldPos("purl"), "invalid-purl", it.path("purl"),
					fmt.Sprintf("package URL %s is malformed: %v", quoteValue(d.Purl), err),
					"write a package URL such as pkg:github/freertos/freertos-kernel@10.5.1")
			}
		}
		it.refs("elements", d.Elements, kindElement)
		it.refs("depends_on", d.DependsOn, kindDependency)
	}
}

func (v *validator) controlsAndHazards() {
	for i := range v.m.Controls {
		c := &v.m.Controls[i]
		it := v.at(&c.Source, "controls", i)
		it.required("name", c.Name)
		if it.required("category", c.Category) {
			it.oneOf("category", c.Category, controlCatIDs)
		}
		it.oneOf("status", c.Status, controlStatusIDs)
		it.refs("elements", c.Elements, kindElement)
	}
	for i := range v.m.Hazards {
		h := &v.m.Hazards[i]
		v.at(&h.Source, "hazards", i).required("name", h.Name)
	}
}

func (v *validator) threats() {
	for i := range v.m.Threats {
		t := &v.m.Threats[i]
		it := v.at(&t.Source, "threats", i)
		hasMatch, hasID := t.HasField("match"), t.HasField("id")
		switch {
		case hasMatch && hasID:
			v.add(t.FieldPos("match"), "threat-entry-kind", it.path("match"),
				"threat entry has both match and id",
				"use match: to decide about identified threats, or id: to write a threat by hand, not both")
		case !hasMatch && !hasID:
			v.add(t.Pos(), "threat-entry-kind", it.path(""),
				"threat entry has neither match nor id",
				"add match: <rule-id>@<target-id> (globs allowed) to decide about identified threats, or id: to write a threat by hand")
		case hasMatch:
			if it.required("match", t.Match) {
				it.glob("match", t.Match)
			}
			if !t.HasField("status") {
				v.add(t.Pos(), "missing-key", it.path("status"), "required key status is missing",
					"add status: with the disposition, one of: "+strings.Join(threatStatusIDs, ", "))
			}
		default:
			it.required("title", t.Title)
			if it.required("element", t.Element) {
				it.ref("element", t.Element, targetKinds...)
			}
		}

		it.oneOf("stride", t.STRIDE, strideIDs)
		if t.HasField("impact") {
			imp := it.child(&t.Impact.Source, "impact")
			imp.oneOf("confidentiality", t.Impact.Confidentiality, levelIDs)
			imp.oneOf("integrity", t.Impact.Integrity, levelIDs)
			imp.oneOf("availability", t.Impact.Availability, levelIDs)
		}
		it.oneOf("vector", t.Vector, attackVectorIDs)
		it.oneOf("phase", t.Phase, phaseIDs)
		it.oneOf("status", t.Status, threatStatusIDs)
		it.refs("controls", t.Controls, kindControl)
		it.refs("hazards", t.Hazards, kindHazard)
		it.ref("issue", t.Issue, kindIssue)
		it.cvss("cvss", t.CVSS)
	}
}

var (
	cwePattern = regexp.MustCompile(`^CWE-[0-9]+$`)
	cvePattern = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)
)

func (v *validator) issues() {
	for i := range v.m.Issues {
		s := &v.m.Issues[i]
		it := v.at(&s.Source, "issues", i)
		it.required("title", s.Title)
		it.oneOf("source", s.Origin, issueSourceIDs)
		it.date("found", s.Found)
		it.patternEach("cwe", s.CWE, cwePattern, "CWE-<number>, for example CWE-307")
		it.patternEach("cve", s.CVE, cvePattern, "CVE-<year>-<number>, for example CVE-2024-12345")
		it.cvss("cvss", s.CVSS)
		it.oneOf("status", s.Status, issueStatusIDs)
		if s.HasField("disclosure") {
			d := it.child(&s.Disclosure.Source, "disclosure")
			d.oneOf("decision", s.Disclosure.Decision, disclosureIDs)
			d.date("date", s.Disclosure.Date)
		}
		v.threatRef(it, "threats", s.Threats)
		it.refs("dependencies", s.Dependencies, kindDependency)
		it.refs("hazards", s.Hazards, kindHazard)
	}
}

func (v *validator) reviews() {
	for i := range v.m.Reviews {
		r := &v.m.Reviews[i]
		it := v.at(&r.Source, "reviews", i)
		if it.required("date", string(r.Date)) {
			it.date("date", r.Date)
		}
		if it.required("kind", r.Kind) {
			it.oneOf("kind", r.Kind, reviewKindIDs)
		}
		it.oneOf("outcome", r.Outcome, reviewOutcomeIDs)
		for j := range r.Reviewers {
			rv := &r.Reviewers[j]
			item{v: v, src: &rv.Source, list: "reviews", index: i, sub: fmt.Sprintf("reviewers[%d]", j)}.required("name", rv.Name)
		}
	}
}

func (v *validator) vulnerabilities() {
	type key struct{ id, dependency string }
	seen := map[key]diag.Pos{}
	for i := range v.m.Vulnerabilities {
		d := &v.m.Vulnerabilities[i]
		it := v.at(&d.Source, "vulnerabilities", i)
		if it.required("id", d.ID) {
			k := key{d.ID, d.Dependency}
			if first, dup := seen[k]; dup {
				v.diags = append(v.diags, diag.Diagnostic{Code: "duplicate-id", Path: it.path("id"), Pos: d.FieldPos("id"),
					Summary: fmt.Sprintf("vulnerability %q already has a decision at %s", d.ID, first),
					Fix:     "keep one decision per vulnerability and dependency", Related: []diag.Pos{first}})
			} else {
				seen[k] = d.FieldPos("id")
			}
		}
		if it.required("status", d.Status) {
			it.oneOf("status", d.Status, vulnStatusIDs)
		}
		it.oneOf("justification", d.Justification, vexIDs)
		if d.Status == "not-affected" && d.Justification == "" {
			v.add(d.Pos(), "missing-key", it.path("justification"),
				"status not-affected needs a justification",
				"add justification: with one of: "+strings.Join(vexIDs, ", "))
		}
		it.ref("dependency", d.Dependency, kindDependency)
		it.ref("issue", d.Issue, kindIssue)
		it.date("date", d.Date)
	}
}

func (v *validator) policyAndViews() {
	m := v.m
	if m.HasField("risk") {
		v.at(&m.Risk.Source, "risk", -1).oneOf("accept", m.Risk.Accept, levelIDs)
	}
	if !m.HasField("views") {
		return
	}
	views := v.at(&m.Views.Source, "views", -1)
	for name := range m.Views.Omit {
		views.oneOf("omit", name, viewNameIDs)
	}
	for i := range m.Views.UseCases {
		u := &m.Views.UseCases[i]
		it := v.at(&u.Source, "views.use_cases", i)
		it.required("name", u.Name)
		if len(u.Flows) == 0 {
			it.required("flows", "")
		}
		it.refs("flows", u.Flows, kindFlow)
	}
}

// scope requires a reason for taking an item out of the analysis, because
// the auditor reads it.
func (v *validator) scope(it item, s *Scope) {
	if s.Out {
		it.child(&s.Source, "scope").required("reason", s.Reason)
	}
}

func (v *validator) suppressions(it item, list []Suppression) {
	for j := range list {
		s := &list[j]
		sit := item{v: v, src: &s.Source, list: it.list, index: it.index, sub: fmt.Sprintf("suppress[%d]", j)}
		if sit.required("rule", s.Rule) {
			sit.glob("rule", s.Rule)
		}
		sit.required("justification", s.Justification)
	}
}
