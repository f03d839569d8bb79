package catalog

// FactType is the type of a fact's value. It is a small integer because
// package threat keeps one in each of hundreds of thousands of values.
type FactType uint8

// Fact types. A fact may also be unset, which only {exists: false} matches.
const (
	String FactType = iota + 1
	Bool
	Level // none, low, medium, high
	List  // of strings
	// Attribute is the type of attributes.KEY facts: any scalar.
	Attribute
)

// String returns the type's name as the documentation writes it.
func (t FactType) String() string {
	switch t {
	case String:
		return "string"
	case Bool:
		return "bool"
	case Level:
		return "level"
	case List:
		return "list"
	case Attribute:
		return "attribute"
	}
	return "unknown"
}

// Fact documents one value that package threat computes for a target and
// that rule conditions may test. Targets lists where the fact is defined.
type Fact struct {
	Name    string
	Type    FactType
	Targets []string
	Doc     string
}

var (
	elements  = []string{"process", "store", "entity"}
	everyKind = []string{"process", "store", "entity", "flow", "interface", "dependency", "boundary", "system"}
)

// Facts is the complete list of facts rule conditions may name. Rule files
// that name any other fact (except attributes.KEY, which reads the target's
// free-form attributes) are rejected when loaded.
var Facts = []Fact{
	// Every target.
	{"id", String, everyKind, "the target's ID"},
	{"name", String, everyKind, "the target's name"},
	{"kind", String, everyKind, "element kind, interface kind, dependency kind or boundary kind"},
	{"tags", List, elements, "the element's tags"},

	// Elements.
	{"role", String, []string{"entity"}, "the external entity's role"},
	{"boundary", String, elements, "ID of the innermost trust boundary"},
	{"boundary_kind", String, elements, "kind of the innermost trust boundary"},
	{"language", String, []string{"process", "store"}, "technology.language, lower case"},
	{"os", String, []string{"process", "store"}, "technology.os, lower case"},
	{"runtime", String, []string{"process", "store"}, "technology.runtime, lower case"},
	{"memory_safe", Bool, []string{"process"}, "attributes.memory_safe if set, else false for c, c++ and assembly, true for other named languages, unset without a language"},
	{"parses_external_input", Bool, []string{"process"}, "attributes.parses_external_input if set, else true when a flow from another trust boundary or an external interface reaches the process"},
	{"encrypted", Bool, []string{"store"}, "the store's encrypted field; unset when not written"},
	{"data_categories", List, []string{"process", "store", "flow", "interface"}, "categories of data the target keeps or carries; for a process, of every flow in or out and of its stores; for an interface, of its element"},
	{"confidentiality", Level, []string{"process", "store", "flow"}, "highest confidentiality need of the data involved"},
	{"integrity", Level, []string{"process", "store", "flow"}, "highest integrity need of the data involved"},
	{"availability", Level, []string{"process", "store", "flow"}, "highest availability need of the data involved"},
	{"patients", String, elements, "one or many, as written"},
	{"inbound_protocols", List, []string{"process", "store"}, "protocol names of flows that reach the element"},
	{"inbound_roles", List, []string{"process", "store"}, "roles of the external entities whose flows reach the element"},
	{"outbound_protocols", List, []string{"process", "entity"}, "protocol names of flows that leave the element"},
	{"interface_kinds", List, elements, "kinds of the interfaces the element exposes"},
	{"has_debug_interface", Bool, elements, "an interface with debug: true belongs to the element"},
	{"internet_facing", Bool, elements, "a flow over a network protocol from another trust boundary reaches the element"},
	{"receives_firmware", Bool, elements, "a flow carrying firmware data reaches the element"},
	{"sends_firmware", Bool, elements, "a flow carrying firmware data leaves the element"},
	{"dependency_count", String, elements, "number of dependencies, as a decimal string"},

	// Flows.
	{"protocol", String, []string{"flow"}, "protocol name, lower case"},
	{"protocol_version", String, []string{"flow"}, "protocol version as written"},
	{"transport", String, []string{"flow"}, "network, adjacent, local or physical, from the protocol"},
	{"authentication", String, []string{"flow", "interface"}, "none, one-way or mutual; unset when not written"},
	{"encryption", Bool, []string{"flow"}, "the flow's encryption field; unset when not written"},
	{"integrity_protected", Bool, []string{"flow"}, "the flow's integrity field, else true when encryption is true and the protocol's encryption authenticates (tls, https, ble secure connections, ...)"},
	{"replay_protection", Bool, []string{"flow"}, "the flow's replay_protection field; unset when not written"},
	{"crosses_boundary", Bool, []string{"flow"}, "source and destination are in different innermost trust boundaries"},
	{"from_kind", String, []string{"flow"}, "kind of the source element"},
	{"to_kind", String, []string{"flow"}, "kind of the destination element"},
	{"from_role", String, []string{"flow"}, "role of the source when it is an entity"},
	{"to_role", String, []string{"flow"}, "role of the destination when it is an entity"},
	{"to_patients", String, []string{"flow"}, "patients of the destination element"},
	{"carries_commands", Bool, []string{"flow"}, "carries therapy, configuration or alarm data"},

	// Interfaces.
	{"exposure", String, []string{"interface"}, "external, enclosure or board"},
	{"debug", Bool, []string{"interface"}, "the interface is a debug port"},
	{"production", String, []string{"interface"}, "state on shipped units; unset when not written"},
	{"protocols", List, []string{"interface"}, "protocols the interface speaks"},
	{"of_kind", String, []string{"interface"}, "kind of the element exposing the interface"},

	// Dependencies.
	{"classification", String, []string{"dependency"}, "maintained, supported or required; unset when not written"},
	{"support_level", String, []string{"dependency"}, "support level; unset when not written"},
	{"support_ended", Bool, []string{"dependency"}, "the end-of-support date is on or before the assessment date"},
	{"supplier", String, []string{"dependency"}, "supplier name; unset when not written"},
	{"purl_type", String, []string{"dependency"}, "package URL type such as npm, pypi, maven, generic"},
	{"has_version", Bool, []string{"dependency"}, "a version is written"},
	{"known_vulnerabilities", String, []string{"dependency"}, "number of unresolved known vulnerabilities matched, as a decimal string"},
	{"used_by", List, []string{"dependency"}, "IDs of the elements that contain the dependency, through the element's dependencies key or the dependency's elements key; unset when none does"},

	// The system as a whole.
	{"lifecycle", String, []string{"system"}, "development, released or end-of-support"},
	{"has_update_path", Bool, []string{"system"}, "some flow carries firmware data"},
	{"has_manufacturing_flow", Bool, []string{"system"}, "some element has the manufacturer role or the tag manufacturing"},
	{"has_service_role", Bool, []string{"system"}, "some entity has the service-technician role"},
	{"has_phi", Bool, []string{"system"}, "some data has category phi or pii"},
}

// FactByName returns the fact called name.
func FactByName(name string) (Fact, bool) {
	for _, f := range Facts {
		if f.Name == name {
			return f, true
		}
	}
	return Fact{}, false
}
