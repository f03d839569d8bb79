package assessment

// Section is one part of the threat model document. Conformance results
// name the section that evidences them, and every report format uses these
// IDs as anchors so a result links to its evidence.
type Section struct {
	ID    string
	Title string
}

// Sections of the threat model document, in the order an auditor reads them.
var (
	SectionDocumentControl  = Section{"document-control", "Document control"}
	SectionScope            = Section{"scope", "Scope, intended use and environments"}
	SectionAssumptions      = Section{"assumptions", "Assumptions"}
	SectionMethodology      = Section{"methodology", "Methodology"}
	SectionViews            = Section{"architecture-views", "Architecture views"}
	SectionDataFlows        = Section{"data-flows", "Categorized data and information flows"}
	SectionBoundaries       = Section{"trust-boundaries", "Trust boundaries"}
	SectionProcesses        = Section{"processes", "Processes"}
	SectionStores           = Section{"data-stores", "Data stores"}
	SectionEntities         = Section{"external-entities", "External entities"}
	SectionProtocols        = Section{"protocols", "Internal and external protocols"}
	SectionPhysicalPorts    = Section{"physical-ports", "Physical and debug ports"}
	SectionBoardConnections = Section{"board-connections", "Circuit board connections"}
	SectionAttackVectors    = Section{"attack-vectors", "Attack vectors"}
	SectionDependencies     = Section{"dependencies", "External dependencies"}
	SectionControls         = Section{"controls", "Security controls"}
	SectionThreatRegister   = Section{"threat-register", "Threat register"}
	SectionRisk             = Section{"risk", "Risk assessment"}
	SectionCoverage         = Section{"coverage", "Coverage matrix"}
	SectionVulnerabilities  = Section{"vulnerabilities", "Known vulnerabilities"}
	SectionIssues           = Section{"security-issues", "Security-related issues"}
	SectionReviews          = Section{"reviews", "Review records"}
	SectionConformance      = Section{"conformance", "Conformance matrix"}
	SectionAuditStatement   = Section{"audit-statement", "Audit statement"}
)

// Sections lists every section in document order.
var Sections = []Section{
	SectionDocumentControl, SectionScope, SectionAssumptions, SectionMethodology,
	SectionViews, SectionDataFlows, SectionBoundaries, SectionProcesses, SectionStores,
	SectionEntities, SectionProtocols, SectionPhysicalPorts, SectionBoardConnections,
	SectionAttackVectors, SectionDependencies, SectionControls, SectionThreatRegister,
	SectionRisk, SectionCoverage, SectionVulnerabilities, SectionIssues, SectionReviews,
	SectionConformance, SectionAuditStatement,
}
