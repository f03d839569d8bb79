package threat

// privacyRulePrefix starts the rule IDs of LINDDUN findings.
const privacyRulePrefix = "linddun."

// privacyCategory is one of the seven LINDDUN privacy threat categories, in
// Ward's own wording, with the target kinds it applies to.
type privacyCategory struct {
	id          string
	title       string
	description string
	kinds       []string
	controls    []string
	// parts is description compiled, filled in by init.
	parts []templatePart
}

// privacyCategories follow LINDDUN's mapping of categories to diagram
// elements: unawareness concerns what a process does with a person's data,
// non-compliance concerns processing and retention, so flows get neither.
var privacyCategories = []privacyCategory{
	{"linking", "records about one person linked across contexts",
		"Data in {name} carries identifiers or patterns that let someone join records about the same person from different sources or sessions.",
		[]string{"process", "store", TargetFlow}, []string{"confidentiality"}, nil},
	{"identifying", "person identified from the data",
		"Someone can tell which person the data in {name} is about, even where names are removed, from device serials, timestamps or rare values.",
		[]string{"process", "store", TargetFlow}, []string{"confidentiality", "cryptography"}, nil},
	{"non-repudiation", "person cannot deny what the data records",
		"{name} keeps signed or detailed records that prove a person's condition or actions when the person has a legitimate interest in not having them proven.",
		[]string{"process", "store", TargetFlow}, []string{"confidentiality"}, nil},
	{"detecting", "use of the product revealed to others",
		"Someone who observes {name}, without reading its content, can tell that a person uses the product or has a given condition.",
		[]string{"process", "store", TargetFlow}, []string{"confidentiality"}, nil},
	{"data-disclosure", "more personal data collected or shared than needed",
		"{name} collects, keeps or passes on more personal data, in more detail or for longer, than its purpose needs.",
		[]string{"process", "store", TargetFlow}, []string{"confidentiality", "authorization"}, nil},
	{"unawareness", "person not informed or in control of their data",
		"The person whose data {name} handles is not told what is collected and why, and cannot review, correct or withdraw it.",
		[]string{"process"}, []string{"event-detection-logging"}, nil},
	{"non-compliance", "processing not in line with privacy law or policy",
		"{name} handles personal data without a documented legal basis, retention limit or consent record, against privacy law such as HIPAA or GDPR or the manufacturer's policy.",
		[]string{"process", "store"}, []string{"authorization", "event-detection-logging"}, nil},
}

// privacy is the LINDDUN method: privacy threats for processes, stores and
// flows where protected health information or other personal data passes
// to another party or a person, or rests (see sharesPersonalData).
type privacy struct{}

func (privacy) Name() string { return MethodPrivacy }

func (privacy) find(ix *index, r *results) {
	// The sources, and so their references, are made per call because
	// callers may fill in reference names in the register.
	srcs := make([]source, len(privacyCategories))
	for i := range privacyCategories {
		c := &privacyCategories[i]
		srcs[i] = newSource(Pattern{
			Rule:       privacyRulePrefix + c.id,
			Title:      c.title,
			Phase:      "operation",
			Controls:   c.controls,
			References: []Reference{{Catalog: "linddun", ID: c.id}},
		}, "")
		srcs[i].parts = c.parts
		srcs[i].needImpact = true
		srcs[i].impact = [3]string{needC, "", ""}
	}

	for _, t := range ix.targets {
		if !ix.sharesPersonalData(t) {
			continue
		}
		for i := range privacyCategories {
			if containsAny(privacyCategories[i].kinds, t.Kind) {
				r.add(t, &srcs[i], MethodPrivacy, false)
			}
		}
	}
}

// sharesPersonalData reports whether a target gets LINDDUN threats: a store
// that keeps personal data, a flow that carries it to another trust
// boundary, or a process that receives it over such a flow. A flow over a
// physical link between two elements in the same innermost physical
// boundary, such as a UART between two chips of one device, does not
// count: the data stays in the device, and the device's stores and outside
// links carry its privacy threats.
func (ix *index) sharesPersonalData(t *target) bool {
	switch {
	case t.flow != nil:
		return t.carriesPersonalData() && ix.leavesDevice(t)
	case t.element == nil:
		return false
	case t.element.Kind == "store":
		cats, _ := t.facts.listAt(factDataCategories)
		return containsAny(cats, "phi", "pii")
	case t.element.Kind == "process":
		for _, ft := range t.flowsIn {
			if ft.carriesPersonalData() && ix.leavesDevice(ft) {
				return true
			}
		}
	}
	return false
}

// leavesDevice reports whether a flow target crosses a trust boundary and
// is not a physical link inside one device.
func (ix *index) leavesDevice(t *target) bool {
	if crosses, _ := t.facts.boolAt(factCrossesBoundary); !crosses {
		return false
	}
	if ix.vectorOf(t) != VectorPhysical {
		return true
	}
	from, to := ix.innermostPhysical(t.from()), ix.innermostPhysical(t.to())
	return from == "" || from != to
}

// innermostPhysical returns the ID of the innermost boundary of kind
// physical around an element target, "" when there is none or e is nil.
func (ix *index) innermostPhysical(e *target) string {
	if e == nil {
		return ""
	}
	for _, id := range e.chain {
		if b := ix.boundaries[id]; b != nil && b.Kind == "physical" {
			return id
		}
	}
	return ""
}

func containsAny(list []string, values ...string) bool {
	for _, x := range list {
		for _, v := range values {
			if x == v {
				return true
			}
		}
	}
	return false
}
