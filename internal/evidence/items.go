package evidence

import (
	"regexp"
	"strings"

	"github.com/wardtm/ward/internal/conformance"
)

// Item is one thing a clause 7.2 threat model must document, with the
// words that show it in a document.
type Item struct {
	// ID, Title and Clause come from the conformance catalog.
	ID     string
	Title  string
	Clause string
	// Heading matches a heading that names the item. A heading that
	// matches and has content under it covers the item.
	Heading *regexp.Regexp
	// Context matches headings of sections where a single mention of a
	// term documents the item, for example "annual" under "Reviews".
	Context *regexp.Regexp
	// Terms is the item's vocabulary.
	Terms []Term
	// Record is recordApproval or recordReview when a record of an approval
	// or a review covers the item. For recordReview only such a record
	// covers it. Record is empty for other items.
	Record string
	// Section is the top-level key of a Ward model that documents the item.
	Section string
	// Add is the advice for a weak or missing item: what to document and
	// where a Ward model records it.
	Add string
}

// Term is one vocabulary entry: the name shown in docs and the pattern
// matched, case-insensitively and on word boundaries.
type Term struct {
	Name string
	re   *regexp.Regexp
}

// word builds a term from a phrase: spaces and hyphens in the phrase match
// any run of spaces, hyphens or underscores, so "test point" also matches
// "test-point" and "testpoint". Short acronyms such as REST or SPI match
// only in capitals, so "the rest" is no protocol.
func word(phrase string) Term {
	parts := strings.FieldsFunc(phrase, func(r rune) bool { return r == ' ' || r == '-' })
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	expr := strings.Join(parts, `[\s_-]*`)
	if len(phrase) <= 5 && strings.ToUpper(phrase) == phrase {
		return compileTerm(phrase, expr, "")
	}
	return compileTerm(phrase, expr, "(?i)")
}

// pattern builds a case-insensitive term from a regular expression.
func pattern(name, expr string) Term { return compileTerm(name, expr, "(?i)") }

// compileTerm matches expr between word boundaries, with the given flags.
func compileTerm(name, expr, flags string) Term {
	return Term{Name: name, re: regexp.MustCompile(flags + `(?:^|[^\pL\pN])(` + expr + `)(?:$|[^\pL\pN])`)}
}

// find returns the span of the term's first match in s, or nil.
func (t Term) find(s string) []int {
	m := t.re.FindStringSubmatchIndex(s)
	if m == nil {
		return nil
	}
	return m[2:4]
}

func words(phrases ...string) []Term {
	out := make([]Term, len(phrases))
	for i, p := range phrases {
		out[i] = word(p)
	}
	return out
}

func heading(expr string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + expr) }

// itemDefs is the vocabulary of each item, keyed by conformance ID.
// docs/evidence.md lists the same terms; a test keeps the two in step.
var itemDefs = map[string]Item{
	"tm.exists": {
		Heading: heading(`document control|revision history|change history|version history|document history|document information|approvals?\b`),
		Terms: append(words("revision history", "document control", "approved by", "approval", "effective date", "document number", "document ID"),
			pattern("version N", `version:?\s*v?\d+(\.\d+)*`), pattern("rev. N", `rev\.?\s*[a-z0-9]+`)),
		Record:  recordApproval,
		Section: "system",
		Add:     "identify the threat model as a controlled document with an ID, a version and an approval record; in a Ward model: system.document (id, version)",
	},
	"tm.cia": {
		Heading: heading(`\bCIA\b|confidentiality|security objectives|impact (assessment|analysis|ratings?)|security impact`),
		Terms:   words("confidentiality", "integrity", "availability", "CIA"),
		Section: "data",
		Add:     "state the impact of each threat on confidentiality, integrity and availability, and rate each kind of data; in a Ward model: data[].confidentiality, integrity, availability and threats[].impact",
	},
	"tm.data-flows": {
		Heading: heading(`data ?flows?|information flows?|\bDFDs?\b|flows? of (data|information)`),
		Context: heading(`architecture|system (overview|description)|data|assets?`),
		Terms: words("data flow", "information flow", "DFD", "data flow diagram", "PHI", "ePHI", "PII", "personal data",
			"patient data", "health data", "data category", "data categories", "data classification", "sensitive data"),
		Section: "flows",
		Add:     "document every information flow with the categories of data it carries, ideally as a data flow diagram with a flow table; in a Ward model: data and flows[].data",
	},
	"tm.trust-boundaries": {
		Heading: heading(`trust boundar|trust zones?|security (zones?|domains?|perimeter)|zones? and conduits`),
		Context: heading(`architecture|data ?flow|\bDFD`),
		Terms:   words("trust boundary", "trust boundaries", "trust zone", "security zone", "security domain", "DMZ", "perimeter", "untrusted", "conduit"),
		Section: "boundaries",
		Add:     "name the trust boundaries and say which part of the product sits in which; in a Ward model: boundaries and elements[].boundary",
	},
	"tm.processes": {
		Heading: heading(`\bprocesses\b|software (components|architecture|items)|\bservices\b|applications\b`),
		Terms:   words("process", "processes", "service", "daemon", "firmware", "application", "mobile app", "web app", "microservice", "task", "server process"),
		Section: "elements",
		Add:     "list the processes (firmware, apps, services) with what each does; in a Ward model: elements of kind process",
	},
	"tm.data-stores": {
		Heading: heading(`data ?stores?|\bstorage\b|databases?|persistence|data at rest`),
		Terms: words("data store", "database", "SQLite", "flash", "EEPROM", "file system", "log file", "audit log", "storage",
			"keystore", "key store", "NVRAM", "NVM", "S3 bucket", "blob storage", "cache"),
		Section: "elements",
		Add:     "list the data stores (databases, files, logs, flash partitions) with the data they hold; in a Ward model: elements of kind store",
	},
	"tm.external-entities": {
		Heading: heading(`external entit|\bactors?\b|users and roles|\broles\b|interacting (systems|entities|parties)|external (systems|interfaces)|stakeholders`),
		Terms: words("external entity", "external entities", "actor", "patient", "clinician", "caregiver", "physician", "nurse",
			"administrator", "service technician", "EHR", "EMR", "hospital network", "third-party service", "cloud service", "operator"),
		Section: "elements",
		Add:     "list the people and outside systems the product interacts with; in a Ward model: elements of kind entity",
	},
	"tm.protocols": {
		Heading: heading(`protocols?|communication (interfaces|channels|links)|\bcommunications?\b|network interfaces|wireless interfaces`),
		Context: heading(`data ?flow|interfaces?|\bDFD`),
		Terms: append(words("TLS", "DTLS", "SSL", "BLE", "Bluetooth", "Bluetooth Low Energy", "HTTP", "HTTPS", "MQTT", "HL7", "FHIR",
			"DICOM", "TCP", "UDP", "Wi-Fi", "WLAN", "Zigbee", "NFC", "CoAP", "REST", "gRPC", "SSH", "SFTP", "FTP", "SMB",
			"WebSocket", "AMQP", "Modbus", "LoRa", "LTE", "cellular", "IEEE 11073", "802.11", "802.15.4"),
			pattern("TLS n", `TLS\s*1\.[0-3]`)),
		Section: "flows",
		Add:     "list the internal and external communication protocols with their versions and security settings; in a Ward model: flows[].protocol and interfaces[].protocols",
	},
	"tm.physical-ports": {
		Heading: heading(`physical (ports?|interfaces?|access)|external ports?|ports and connectors|\bconnectors\b|debug ports?|hardware interfaces|\bports\b`),
		Terms: words("USB", "USB-C", "micro-USB", "serial port", "service port", "maintenance port", "debug port", "Ethernet",
			"RJ-45", "RJ45", "SD card", "microSD", "RS-232", "RS-485", "charging port", "docking station", "docking connector",
			"HDMI", "DB-9", "infrared port", "connector"),
		Section: "interfaces",
		Add:     "list every externally accessible physical port, debug and service ports included, with its state in production; in a Ward model: interfaces with exposure external (kinds usb, serial, ethernet, sd-card, debug)",
	},
	"tm.board-connections": {
		Heading: heading(`board(-level)? (connections?|interfaces?)|circuit board|\bPCBA?\b|\bJTAG\b|\bSWD\b|debug (interfaces?|headers?)|test points?|hardware debug`),
		Context: heading(`hardware|physical|debug`),
		Terms: words("JTAG", "SWD", "serial wire debug", "UART", "debug header", "test point", "test pad", "boundary scan",
			"SPI", "I2C", "I²C", "programming header", "ISP", "ICSP", "SWO", "eMMC", "flash chip", "bootloader pins", "PCB", "PCBA"),
		Section: "interfaces",
		Add:     "list the circuit board connections (JTAG, SWD, UART, debug headers, test points) with their state in production; in a Ward model: interfaces with exposure board",
	},
	"tm.attack-vectors": {
		Heading: heading(`attack (vectors?|surfaces?|paths?|trees?|scenarios)|entry points?|attack-surface`),
		Context: heading(`threat|\bSTRIDE\b|risk`),
		Terms: words("attack vector", "attack surface", "entry point", "attack path", "attack tree", "physical access",
			"adjacent network", "remote attacker", "local attacker", "fault injection", "side channel", "side-channel",
			"glitching", "tampering with hardware", "malicious firmware", "supply chain attack", "CAPEC"),
		Section: "interfaces",
		Add:     "describe the attack vectors, hardware ones included (physical access, debug ports, fault injection); in a Ward model: interfaces with their exposure, which the hardware rules turn into threats",
	},
	"tm.threats": {
		Heading: heading(`\bthreats\b|threat (register|list|catalog|catalogue|analysis|identification|scenarios|table|assessment)|\bSTRIDE\b|misuse cases`),
		Context: heading(`risk`),
		Terms: append(words("spoofing", "tampering", "repudiation", "information disclosure", "denial of service",
			"elevation of privilege", "threat", "threat scenario", "STRIDE", "likelihood", "severity"),
			pattern("CAPEC-n", `CAPEC-\d+`), compileTerm("ATT&CK Tnnnn", `T0?\d{4}(\.\d{3})?`, "")),
		Section: "threats",
		Add:     "list the identified threats with their severity and how each is handled; in a Ward model: the identification methods and threats",
	},
	"tm.security-issues": {
		Heading: heading(`security(-related)? issues|known (issues|vulnerabilit)|vulnerabilit(y|ies)|open issues|anomalies|security findings`),
		Context: heading(`issues?|findings?`),
		Terms: append(words("vulnerability", "vulnerabilities", "security issue", "security-related issue", "weakness", "anomaly", "defect", "finding"),
			pattern("CVE-nnnn-n", `CVE-\d{4}-\d+`), pattern("CWE-n", `CWE-\d+`)),
		Section: "issues",
		Add:     "record the known security-related issues with their status; in a Ward model: issues",
	},
	"tm.dependencies": {
		Heading: heading(`dependenc|\bSBOM\b|\bSOUP\b|\bOTS\b|off[- ]the[- ]shelf|third[- ]party (software|components|libraries)|\bdrivers\b|libraries|bill of materials`),
		Terms: words("SBOM", "SOUP", "OTS software", "third-party", "third party", "open source", "open-source", "library", "libraries",
			"driver", "drivers", "RTOS", "FreeRTOS", "Zephyr", "Linux kernel", "OpenSSL", "mbedTLS", "wolfSSL", "SDK",
			"end of support", "end-of-life", "EOL", "supplier"),
		Section: "dependencies",
		Add:     "list the external dependencies (drivers, operating system, libraries, third-party applications) with versions, suppliers and end of support; in a Ward model: dependencies or an SBOM under sboms",
	},
	"review.team": {
		Heading: heading(`\breviews?\b|review (records?|history|log)|approvals?|sign[- ]?off`),
		Terms: words("reviewed by", "review", "reviewer", "reviewers", "approved by", "sign-off", "signed off", "development team",
			"review meeting", "attendees", "participants"),
		Section: "reviews",
		Add:     "record each review of the threat model by the development team with date, participants and outcome; in a Ward model: reviews",
	},
	"review.yearly": {
		Heading: heading(`periodic review|annual review|yearly review|review (schedule|cycle|frequency|interval|cadence)|maintenance of the threat model|threat model maintenance`),
		Context: heading(`reviews?|maintenance|document control|approvals?`),
		Terms: append(words("annual", "annually", "yearly", "every year", "once a year", "once per year", "twelve months", "12 months",
			"periodic review", "review interval"),
			pattern("every N days", `every\s+\d+\s+days`)),
		Record:  recordReview,
		Section: "reviews",
		Add:     "state that the threat model of a released product is reviewed at least once a year and record those reviews; in a Ward model: reviews of kind periodic and system.review_interval",
	},
	"issues.handling": {
		Heading: heading(`(issue|problem|vulnerability|defect) (handling|management|resolution|response)|coordinated (vulnerability )?disclosure|incident response|problem resolution|vulnerability disclosure`),
		Context: heading(`issues?|vulnerabilit|findings?`),
		// "disclosure" alone would match the STRIDE category information
		// disclosure, so only disclosure phrases count.
		Terms: words("root cause", "disclosure decision", "disclosure policy", "coordinated disclosure", "vulnerability disclosure",
			"public disclosure", "disclosure date", "CVSS", "affected versions", "fixed in", "safety impact", "triage", "remediation",
			"security advisory", "problem resolution", "patch", "tracker", "issue tracker"),
		Section: "issues",
		Add:     "describe how security-related issues are handled: impact and CVSS score, affected versions, root cause, safety impact and the disclosure decision; in a Ward model: issues with those fields",
	},
}

// Items returns the assessed items in the order of the conformance catalog,
// each with its ID, title and clause from there.
func Items() []Item {
	var out []Item
	for _, r := range conformance.Catalog() {
		def, ok := itemDefs[r.ID]
		if !ok {
			continue
		}
		def.ID = r.ID
		def.Title = r.Title
		def.Clause = r.Clause
		out = append(out, def)
	}
	return out
}
