package conformance

import (
	"github.com/wardtm/ward/internal/assessment"
)

// req builds a catalog entry.
func req(id, title, clause, group string, section assessment.Section, severity string, check func(*checker) outcome) Requirement {
	return Requirement{
		Requirement: assessment.Requirement{ID: id, Title: title, Clause: clause, Group: group, Section: section.ID},
		Severity:    severity,
		check:       check,
	}
}

const (
	iec = "IEC 81001-5-1 7.2"
	fda = "FDA premarket cybersecurity guidance"
)

// requirements is the catalog. Titles paraphrase their sources; IDs are
// stable because models cite them under system.not_applicable.
var requirements = []Requirement{
	// IEC 81001-5-1 clause 7.2, item by item.
	req("tm.exists", "a threat model exists for the product and is a controlled document", iec,
		GroupIEC, assessment.SectionDocumentControl, assessment.Fail, checkModelExists),
	req("tm.cia", "threats and vulnerabilities are identified with their impact on confidentiality, integrity and availability", iec,
		GroupIEC, assessment.SectionThreatRegister, assessment.Fail, checkCIA),
	req("tm.data-flows", "information flows are documented and the data they carry is categorized", iec+" a",
		GroupIEC, assessment.SectionDataFlows, assessment.Fail, checkDataFlows),
	req("tm.trust-boundaries", "trust boundaries are documented and every part of the product sits in one", iec+" b",
		GroupIEC, assessment.SectionBoundaries, assessment.Fail, checkBoundaries),
	req("tm.processes", "the processes of the product are documented", iec+" c",
		GroupIEC, assessment.SectionProcesses, assessment.Fail,
		checkElementKind("process", "process", "processes", "add elements of kind process for firmware, apps and services")),
	req("tm.data-stores", "the data stores are documented", iec+" d",
		GroupIEC, assessment.SectionStores, assessment.Fail,
		checkElementKind("store", "data store", "data stores", "add elements of kind store for databases, files, logs and flash partitions")),
	req("tm.external-entities", "the external entities the product interacts with are documented", iec+" e",
		GroupIEC, assessment.SectionEntities, assessment.Fail,
		checkElementKind("entity", "external entity", "external entities", "add elements of kind entity for people and outside systems")),
	req("tm.protocols", "internal and external communication protocols are documented", iec+" f",
		GroupIEC, assessment.SectionProtocols, assessment.Fail, checkProtocols),
	req("tm.physical-ports", "externally accessible physical ports, debug ports included, are documented", iec+" g",
		GroupIEC, assessment.SectionPhysicalPorts, assessment.Fail, checkPhysicalPorts),
	req("tm.board-connections", "circuit board connections such as JTAG and debug headers are documented", iec+" h",
		GroupIEC, assessment.SectionBoardConnections, assessment.Fail, checkBoardConnections),
	req("tm.attack-vectors", "attack vectors, hardware ones included, are documented", iec+" i",
		GroupIEC, assessment.SectionAttackVectors, assessment.Fail, checkAttackVectors),
	req("tm.threats", "threats are identified and documented", iec+" j",
		GroupIEC, assessment.SectionThreatRegister, assessment.Fail, checkThreats),
	req("tm.security-issues", "security-related issues are documented", iec+" k",
		GroupIEC, assessment.SectionIssues, assessment.Fail, checkIssues),
	req("tm.dependencies", "external dependencies such as drivers and third-party software are documented", iec+" l",
		GroupIEC, assessment.SectionDependencies, assessment.Fail, checkDependencies),
	req("review.team", "the development team has reviewed the threat model", iec,
		GroupIEC, assessment.SectionReviews, assessment.Fail, checkTeamReview),
	req("review.yearly", "a released product's threat model is reviewed at least once a year", iec,
		GroupIEC, assessment.SectionReviews, assessment.Fail, checkYearlyReview),
	req("review.current", "the model has not changed since its last review", iec,
		GroupIEC, assessment.SectionReviews, assessment.Warning, checkReviewCurrent),
	req("issues.handling", "security-related issues go through problem resolution with impact, score, affected versions, root cause, safety impact and a disclosure decision",
		"IEC 81001-5-1 7.2, 9.4, 9.5", GroupIEC, assessment.SectionIssues, assessment.Fail, checkIssueHandling),

	// Method diversity.
	req("method.diversity", "threats come from more than one identification method", "IEC 81001-5-1 7.2; "+fda,
		GroupMethod, assessment.SectionMethodology, assessment.Fail, checkMethodDiversity),
	req("method.rationale", "the reasons for the chosen methods are stated", fda,
		GroupMethod, assessment.SectionMethodology, assessment.Fail, checkMethodRationale),

	// FDA premarket expectations.
	req("fda.assumptions", "the assumptions behind the threat model are stated", fda,
		GroupFDA, assessment.SectionAssumptions, assessment.Fail, checkAssumptions),
	req("fda.lifecycle", "threats cover supply chain, manufacturing, deployment, maintenance and update, and decommissioning", fda,
		GroupFDA, assessment.SectionThreatRegister, assessment.Fail, checkLifecycle),
	req("fda.views", "the global, multi-patient harm, updatability and security use case views can be produced or their omission is justified", fda,
		GroupFDA, assessment.SectionViews, assessment.Fail, checkViews),
	req("fda.hazards", "threats with safety-relevant impact are linked to the ISO 14971 hazard analysis", fda+"; ISO 14971 / AAMI TIR57",
		GroupFDA, assessment.SectionThreatRegister, assessment.Fail, checkHazardLinks),
	req("fda.risk", "every threat's residual risk after controls is acceptable or its acceptance is justified", fda+"; ISO 14971",
		GroupFDA, assessment.SectionRisk, assessment.Fail, checkResidualRisk),
	req("fda.kev", "no vulnerability in CISA's Known Exploited Vulnerabilities catalog remains in the product", fda,
		GroupFDA, assessment.SectionVulnerabilities, assessment.Fail, checkKEV),
	req("fda.vulns-assessed", "every known vulnerability of a dependency is assessed", fda+"; IEC 81001-5-1 7.2",
		GroupFDA, assessment.SectionVulnerabilities, assessment.Fail, checkVulnsAssessed),
	req("fda.end-of-support", "no component is past the end of its support", fda+"; IEC 81001-5-1 4.3",
		GroupFDA, assessment.SectionDependencies, assessment.Fail, checkEndOfSupport),

	// Model quality.
	req("quality.debug-state", "every debug port and board connection states its production state or control", "Ward model quality",
		GroupQuality, assessment.SectionBoardConnections, assessment.Fail, checkDebugPortState),
	req("quality.boundary-flows", "every flow across a trust boundary states its authentication and encryption", "Ward model quality",
		GroupQuality, assessment.SectionDataFlows, assessment.Fail, checkBoundaryFlowDecisions),
	req("quality.dependency-fields", "every dependency has a classification, support level and end-of-support date", "IEC 81001-5-1 4.3; "+fda,
		GroupQuality, assessment.SectionDependencies, assessment.Fail, checkDependencyFields),
	req("quality.dispositions", "every identified threat has a disposition", "Ward model quality",
		GroupQuality, assessment.SectionThreatRegister, assessment.Fail, checkDispositions),
	req("quality.justifications", "accepted, transferred and not-applicable threats are justified", "Ward model quality",
		GroupQuality, assessment.SectionThreatRegister, assessment.Fail, checkJustifications),
	req("quality.trackers", "threats kept open by a threats entry and unresolved issues are linked to a tracker", "IEC 81001-5-1 9.4",
		GroupQuality, assessment.SectionIssues, assessment.Warning, checkTrackerLinks),
	req("quality.controls-verified", "every control names its verification", "Ward model quality",
		GroupQuality, assessment.SectionControls, assessment.Warning, checkControlVerification),
	req("quality.mitigations", "every threat marked mitigated lists at least one implemented control", "Ward model quality; ISO 14971",
		GroupQuality, assessment.SectionThreatRegister, assessment.Warning, checkMitigations),
}
