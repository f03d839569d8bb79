package model

// Term is one value of a closed or extensible vocabulary, with the sentence
// that docs/model.md and the JSON Schema show for it.
type Term struct {
	ID  string
	Doc string
}

// Vocabulary is an ordered list of allowed values for one field.
type Vocabulary []Term

// Has reports whether id is in v.
func (v Vocabulary) Has(id string) bool {
	for _, t := range v {
		if t.ID == id {
			return true
		}
	}
	return false
}

// IDs returns the values of v in order.
func (v Vocabulary) IDs() []string {
	ids := make([]string, len(v))
	for i, t := range v {
		ids[i] = t.ID
	}
	return ids
}

// Lifecycles are the states of a product in its life.
var Lifecycles = Vocabulary{
	{"development", "not yet released; yearly review not required"},
	{"released", "on the market; the threat model is reviewed at least yearly"},
	{"end-of-support", "no longer supported; kept for the record"},
}

// ElementKinds are the kinds of data flow diagram element.
var ElementKinds = Vocabulary{
	{"process", "code that runs: firmware, an app, a service"},
	{"store", "data at rest: a database, flash partition, file, log"},
	{"entity", "a person or system outside the product's control"},
}

// DataCategories classify the information flows carry and stores keep.
var DataCategories = Vocabulary{
	{"phi", "protected health information about an identifiable patient"},
	{"pii", "personal information that is not health information"},
	{"diagnostic", "measurements and readings used for diagnosis or dosing"},
	{"therapy", "commands and parameters that change the therapy delivered"},
	{"configuration", "device and system settings"},
	{"alarm", "alarms, alerts and their acknowledgements"},
	{"credential", "passwords, tokens, pairing codes and other secrets that authenticate"},
	{"key", "cryptographic key material"},
	{"firmware", "executable images and update packages"},
	{"audit-log", "security and event logs kept as evidence"},
	{"telemetry", "technical status, diagnostics of the device itself"},
	{"other", "anything else"},
}

// Levels rate confidentiality, integrity and availability needs and impacts.
var Levels = Vocabulary{
	{"none", "no effect"},
	{"low", "limited effect"},
	{"medium", "serious effect"},
	{"high", "severe effect, including harm to a patient"},
}

// BoundaryKinds classify trust boundaries.
var BoundaryKinds = Vocabulary{
	{"physical", "an enclosure, a device, a room"},
	{"network", "a network segment or zone"},
	{"process", "an operating system process, sandbox or privilege level"},
	{"cloud", "a cloud account, tenant or hosting provider"},
	{"organization", "what one organization controls, such as a hospital or the manufacturer"},
}

// Roles name external entities; models may add their own under roles.
var Roles = Vocabulary{
	{"patient", "the person who receives therapy or is monitored"},
	{"caregiver", "a family member or carer who helps the patient"},
	{"clinician", "a physician, nurse or other health professional"},
	{"service-technician", "the manufacturer's or a hospital's service staff"},
	{"manufacturer", "the device maker and its systems"},
	{"hospital-it", "the health delivery organization's IT staff and systems"},
	{"cloud-provider", "a hosting or platform provider"},
	{"third-party-system", "an outside system such as an EHR or a pharmacy"},
	{"attacker", "a modelled adversary"},
	{"other", "anything else"},
}

// Protocols are the built-in protocol names; models may add their own under
// protocols.
var Protocols = Vocabulary{
	{"ble", "Bluetooth Low Energy"},
	{"bluetooth", "Bluetooth Classic (BR/EDR)"},
	{"nfc", "Near-field communication"},
	{"wifi", "IEEE 802.11 wireless LAN"},
	{"zigbee", "IEEE 802.15.4 Zigbee"},
	{"cellular", "LTE, 5G or another mobile network"},
	{"proprietary-rf", "a vendor-specific radio link"},
	{"usb", "Universal Serial Bus"},
	{"serial", "RS-232, RS-485 or another serial line"},
	{"uart", "a logic-level UART on the board"},
	{"spi", "Serial Peripheral Interface bus"},
	{"i2c", "Inter-Integrated Circuit bus"},
	{"can", "Controller Area Network"},
	{"jtag", "IEEE 1149.1 test access port"},
	{"swd", "Arm Serial Wire Debug"},
	{"ethernet", "wired Ethernet"},
	{"tcp", "plain TCP"},
	{"udp", "plain UDP"},
	{"tls", "TLS over TCP"},
	{"dtls", "DTLS over UDP"},
	{"http", "HTTP without TLS"},
	{"https", "HTTP over TLS, including REST APIs"},
	{"websocket", "WebSocket, with or without TLS"},
	{"grpc", "gRPC"},
	{"mqtt", "MQTT publish/subscribe"},
	{"coap", "Constrained Application Protocol"},
	{"amqp", "Advanced Message Queuing Protocol"},
	{"hl7v2-mllp", "HL7 version 2 messages over MLLP"},
	{"fhir", "HL7 FHIR over HTTPS"},
	{"dicom", "DICOM network services"},
	{"ssh", "Secure Shell"},
	{"sftp", "SSH File Transfer Protocol"},
	{"smtp", "e-mail submission and transfer"},
	{"sql", "a database wire protocol"},
	{"ipc", "inter-process communication on one host"},
	{"file", "files exchanged through a file system or removable media"},
	{"in-process", "a function call or shared memory inside one process"},
	{"manual", "a person reading, typing or carrying data"},
	{"other", "anything else"},
}

// InterfaceKinds are the kinds of physical port, debug port and board
// connection.
var InterfaceKinds = Vocabulary{
	{"usb", "USB port or connector"},
	{"serial", "serial port such as RS-232"},
	{"uart", "UART pins or header"},
	{"jtag", "JTAG port or pads"},
	{"swd", "Serial Wire Debug port or pads"},
	{"debug-header", "a debug connector not covered by another kind"},
	{"test-point", "test points or pads used in manufacturing"},
	{"sd-card", "removable memory card slot"},
	{"ethernet", "wired network port"},
	{"external-flash", "a flash memory chip on the board"},
	{"spi", "an SPI bus between chips"},
	{"i2c", "an I2C bus between chips"},
	{"can", "a CAN bus connector"},
	{"nfc", "an NFC antenna"},
	{"radio", "a radio module or its antenna"},
	{"button", "a physical button or keypad"},
	{"display", "a screen"},
	{"power", "a power or charging connector"},
	{"sim", "a SIM card slot"},
	{"other", "anything else"},
}

// Exposures say who can reach an interface.
var Exposures = Vocabulary{
	{"external", "reachable from outside without opening the device"},
	{"enclosure", "reachable by opening the enclosure"},
	{"board", "on the circuit board, reachable only with the board exposed"},
}

// ProductionStates say what an interface is on shipped units.
var ProductionStates = Vocabulary{
	{"enabled", "works on shipped units as in development"},
	{"disabled", "turned off in software, can be turned on again"},
	{"locked", "protected by a lock such as readout protection"},
	{"fused", "permanently disabled by one-time-programmable fuses"},
	{"authenticated", "usable only after cryptographic authentication"},
	{"removed", "not populated or physically absent on shipped units"},
}

// Authentications describe how the ends of a flow prove who they are.
var Authentications = Vocabulary{
	{"none", "no authentication"},
	{"one-way", "one end authenticates the other"},
	{"mutual", "both ends authenticate each other"},
}

// DependencyKinds classify external dependencies.
var DependencyKinds = Vocabulary{
	{"os", "an operating system or RTOS"},
	{"driver", "a device driver or board support package"},
	{"library", "a library linked into the product"},
	{"application", "a third-party application"},
	{"service", "an outside service the product calls"},
	{"hardware", "a component such as a radio module or secure element"},
	{"firmware", "third-party firmware, such as a radio stack"},
}

// Classifications are the software item classes of IEC 81001-5-1 4.3.
var Classifications = Vocabulary{
	{"maintained", "the manufacturer maintains the item's security itself"},
	{"supported", "a supplier supports the item and the manufacturer monitors it"},
	{"required", "the item is needed but neither maintained nor supported"},
}

// SupportLevels describe a supplier's support of a dependency.
var SupportLevels = Vocabulary{
	{"active", "supported with security fixes"},
	{"security-only", "receives security fixes only"},
	{"end-of-life", "no longer supported by its supplier"},
	{"unknown", "support status not known"},
	{"none", "never supported, for example abandoned open source"},
}

// ControlCategories are the eight security control categories of the FDA
// premarket cybersecurity guidance.
var ControlCategories = Vocabulary{
	{"authentication", "Authentication"},
	{"authorization", "Authorization"},
	{"cryptography", "Cryptography"},
	{"code-data-execution-integrity", "Code, Data and Execution Integrity"},
	{"confidentiality", "Confidentiality"},
	{"event-detection-logging", "Event Detection and Logging"},
	{"resiliency-recovery", "Resiliency and Recovery"},
	{"updatability-patchability", "Firmware and Software Updates"},
}

// ControlStatuses say whether a control is in place.
var ControlStatuses = Vocabulary{
	{"implemented", "in the product and verified"},
	{"planned", "decided but not yet in the product"},
}

// ThreatStatuses are the dispositions a threat can have.
var ThreatStatuses = Vocabulary{
	{"open", "not yet decided"},
	{"mitigated", "reduced by controls"},
	{"accepted", "residual risk accepted, with justification"},
	{"transferred", "handled by another party, with justification"},
	{"avoided", "removed by a design change"},
	{"not-applicable", "cannot happen in this system, with justification"},
}

// STRIDECategories are the six STRIDE threat categories.
var STRIDECategories = Vocabulary{
	{"spoofing", "pretending to be someone or something else"},
	{"tampering", "changing data or code"},
	{"repudiation", "denying an action without the system being able to prove it"},
	{"information-disclosure", "exposing information to someone not allowed to see it"},
	{"denial-of-service", "making a service unavailable or degraded"},
	{"elevation-of-privilege", "gaining capabilities without authorization"},
}

// AttackVectors say from where an attacker acts, as in CVSS.
var AttackVectors = Vocabulary{
	{"network", "from a remote network"},
	{"adjacent", "from a shared local network or radio range"},
	{"local", "with local access to the system, as a user or app"},
	{"physical", "with hands on the device"},
}

// LifecyclePhases are the phases of the product life that threats target.
var LifecyclePhases = Vocabulary{
	{"design", "design and development"},
	{"supply-chain", "components and software from suppliers"},
	{"manufacturing", "production, provisioning and end-of-line test"},
	{"deployment", "installation and commissioning"},
	{"operation", "normal use"},
	{"maintenance", "service, maintenance and updates"},
	{"decommissioning", "end of use, return and disposal"},
}

// IssueSources say how a security-related issue was found.
var IssueSources = Vocabulary{
	{"penetration-test", "a penetration test or security test"},
	{"vulnerability-report", "a report from a researcher, customer or coordinator"},
	{"anomaly", "an anomaly found in development or the field"},
	{"known-vulnerability", "a published vulnerability in a dependency"},
	{"threat-model", "this threat model"},
	{"audit", "an audit or assessment"},
	{"other", "anything else"},
}

// IssueStatuses track an issue through problem resolution.
var IssueStatuses = Vocabulary{
	{"open", "reported, not yet assessed"},
	{"investigating", "being assessed"},
	{"in-progress", "a fix is being made"},
	{"resolved", "fixed or otherwise resolved"},
	{"closed", "closed without a fix, with rationale"},
}

// DisclosureDecisions are the clause 9.5 decisions about telling users.
var DisclosureDecisions = Vocabulary{
	{"advisory", "a security advisory is published"},
	{"customer-notice", "affected customers are told directly"},
	{"coordinated", "disclosed through a coordinator such as CISA"},
	{"none", "no disclosure, with rationale"},
	{"pending", "not yet decided"},
}

// ReviewKinds are the reasons for a review.
var ReviewKinds = Vocabulary{
	{"development-team", "review by the development team"},
	{"periodic", "the at-least-yearly review of a released product"},
	{"change", "review triggered by a change to the product"},
}

// ReviewOutcomes are the results of a review.
var ReviewOutcomes = Vocabulary{
	{"approved", "accepted as it is"},
	{"approved-with-changes", "accepted once the recorded findings are handled"},
	{"rejected", "not accepted"},
}

// VulnerabilityStatuses are the VEX statuses of a known vulnerability.
var VulnerabilityStatuses = Vocabulary{
	{"not-affected", "the product is not affected; justification required"},
	{"affected", "the product is affected and action is needed"},
	{"fixed", "fixed in the product version named by fixed_in"},
	{"accepted", "affected, and the risk is accepted"},
	{"under-investigation", "being assessed"},
}

// VEXJustifications are the CISA VEX justifications for not-affected.
var VEXJustifications = Vocabulary{
	{"component_not_present", "the component is not in the product"},
	{"vulnerable_code_not_present", "the vulnerable code is not included"},
	{"vulnerable_code_not_in_execute_path", "the vulnerable code cannot run"},
	{"vulnerable_code_cannot_be_controlled_by_adversary", "an attacker cannot reach the vulnerable code"},
	{"inline_mitigations_already_exist", "controls in the product block the vulnerability"},
}

// PatientReach says how many patients one compromise can harm.
var PatientReach = Vocabulary{
	{"one", "one patient"},
	{"many", "many patients at once, as with a cloud service or update server"},
}

// ViewNames are the architecture views FDA premarket guidance expects.
var ViewNames = Vocabulary{
	{"global", "global system view"},
	{"multi-patient", "multi-patient harm view"},
	{"update", "updatability and patchability view"},
	{"use-case", "security use case views"},
}
