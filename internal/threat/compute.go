package threat

import (
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
)

// levelRank orders the levels of confidentiality, integrity and availability.
var levelRank = map[string]int{"none": 0, "low": 1, "medium": 2, "high": 3}

// rankOfLevel returns levelRank[level] without hashing the level.
func rankOfLevel(level string) (int, bool) {
	switch level {
	case "none":
		return 0, true
	case "low":
		return 1, true
	case "medium":
		return 2, true
	case "high":
		return 3, true
	}
	return 0, false
}

// higherLevel returns the higher of two levels; an empty or unknown level
// loses to any known one.
func higherLevel(a, b string) string {
	ra, okA := rankOfLevel(a)
	rb, okB := rankOfLevel(b)
	switch {
	case !okA:
		if okB {
			return b
		}
		return ""
	case okB && rb > ra:
		return b
	}
	return a
}

// memoryUnsafeLanguages are the languages without memory safety; every other
// named language counts as memory safe.
var memoryUnsafeLanguages = map[string]bool{
	"c": true, "c++": true, "cpp": true, "assembly": true, "asm": true,
	"objective-c": true, "objc": true,
}

// commandCategories are the data categories whose change alters what the
// device does: therapy, settings and alarms.
var commandCategories = map[string]bool{"therapy": true, "configuration": true, "alarm": true}

// computeFacts computes into f every fact of catalog.Facts that is defined
// for the target's kind. f has its slots, all unset, and room for a value
// of every fact.
func (ix *index) computeFacts(t *target, f *Facts) {
	switch {
	case t.element != nil:
		f.attributes = t.element.Attributes
	case t.flow != nil:
		f.attributes = t.flow.Attributes
	case t.iface != nil:
		f.attributes = t.iface.Attributes
	}
	f.setString("id", t.ID)
	f.setString("name", t.Name)

	switch {
	case t.element != nil:
		ix.elementFacts(f, t)
	case t.flow != nil:
		ix.flowFacts(f, t)
	case t.iface != nil:
		ix.interfaceFacts(f, t)
	case t.dependency != nil:
		ix.dependencyFacts(f, t.dependency)
	case t.boundary != nil:
		f.setStringIf("kind", t.boundary.Kind)
	default:
		ix.systemFacts(f)
	}
}

func (ix *index) elementFacts(f *Facts, t *target) {
	e := t.element
	f.setStringIf("kind", e.Kind)
	f.setList("tags", e.Tags)
	f.setStringIf("patients", e.Patients)
	if e.Boundary != "" {
		f.setString("boundary", e.Boundary)
		if b := ix.boundaries[e.Boundary]; b != nil {
			f.setStringIf("boundary_kind", b.Kind)
		}
	}

	in, out := t.flowsIn, t.flowsOut

	// Interfaces, firmware and exposure, defined for every element kind.
	var kinds []string
	debug, external := false, false
	for _, it := range t.ifaces {
		ifc := it.iface
		kinds = append(kinds, ifc.Kind)
		debug = debug || ifc.IsDebug()
		external = external || ifc.Exposure == "external"
	}
	f.setList("interface_kinds", kinds)
	f.setBool("has_debug_interface", debug)
	f.setBool("receives_firmware", anyCarries(in, "firmware"))
	f.setBool("sends_firmware", anyCarries(out, "firmware"))
	f.setString("dependency_count", strconv.Itoa(len(ix.depsOf[e.ID])))

	fromOutside, internet := false, false
	for _, ft := range in {
		if ft.peer(t).innermost() != e.Boundary {
			fromOutside = true
			if ix.transport(ft.flow.Protocol.Name) == VectorNetwork {
				internet = true
			}
		}
	}
	f.setBool("internet_facing", internet)

	if e.Kind == "entity" {
		f.setStringIf("role", e.Role)
		f.setList("outbound_protocols", ix.protocols(out))
		return
	}

	// Processes and stores.
	f.setStringIf("language", strings.ToLower(e.Technology.Language))
	f.setStringIf("os", strings.ToLower(e.Technology.OS))
	f.setStringIf("runtime", strings.ToLower(e.Technology.Runtime))
	f.setList("inbound_protocols", ix.protocols(in))
	f.setList("inbound_roles", senderRoles(t))

	dataIDs := append([]string(nil), e.Stores...)
	for _, ft := range in {
		dataIDs = append(dataIDs, ft.flow.Data...)
	}
	for _, ft := range out {
		dataIDs = append(dataIDs, ft.flow.Data...)
	}
	ix.dataFacts(f, dataIDs)

	if e.Kind == "store" {
		f.setBoolPtr("encrypted", e.Encrypted)
		return
	}

	f.setList("outbound_protocols", ix.protocols(out))
	if v, ok := attributeValue(e.Attributes, "memory_safe"); ok && v.Type == catalog.Bool {
		f.setBool("memory_safe", v.Bool)
	} else if lang := strings.ToLower(e.Technology.Language); lang != "" {
		f.setBool("memory_safe", !memoryUnsafeLanguages[lang])
	}
	if v, ok := attributeValue(e.Attributes, "parses_external_input"); ok && v.Type == catalog.Bool {
		f.setBool("parses_external_input", v.Bool)
	} else {
		f.setBool("parses_external_input", fromOutside || external)
	}
}

func (ix *index) flowFacts(f *Facts, t *target) {
	fl := t.flow
	proto := strings.ToLower(fl.Protocol.Name)
	f.setStringIf("protocol", proto)
	f.setStringIf("protocol_version", fl.Protocol.Version)
	f.setStringIf("transport", ix.transport(proto))
	f.setStringIf("authentication", fl.Authentication)
	f.setBoolPtr("encryption", fl.Encryption)
	f.setBoolPtr("replay_protection", fl.ReplayProtection)

	switch {
	case fl.Integrity != nil:
		f.setBool("integrity_protected", *fl.Integrity)
	case fl.Encryption != nil:
		f.setBool("integrity_protected", *fl.Encryption && authenticatedEncryption[proto])
	}

	f.setBool("crosses_boundary", t.from().innermost() != t.to().innermost())
	if from := elementOf(t.from()); from != nil {
		f.setStringIf("from_kind", from.Kind)
		if from.Kind == "entity" {
			f.setStringIf("from_role", from.Role)
		}
	}
	if to := elementOf(t.to()); to != nil {
		f.setStringIf("to_kind", to.Kind)
		if to.Kind == "entity" {
			f.setStringIf("to_role", to.Role)
		}
		f.setStringIf("to_patients", to.Patients)
	}

	commands := false
	for _, id := range fl.Data {
		if d := ix.data[id]; d != nil && commandCategories[d.Category] {
			commands = true
		}
	}
	f.setBool("carries_commands", commands)
	ix.dataFacts(f, fl.Data)
}

func (ix *index) interfaceFacts(f *Facts, t *target) {
	ifc := t.iface
	f.setStringIf("kind", ifc.Kind)
	f.setStringIf("exposure", ifc.Exposure)
	f.setBool("debug", ifc.IsDebug())
	f.setStringIf("production", ifc.Production)
	f.setStringIf("authentication", ifc.Authentication)
	protos := make([]string, len(ifc.Protocols))
	for i, p := range ifc.Protocols {
		protos[i] = strings.ToLower(p)
	}
	f.setList("protocols", protos)
	if owner := t.relations[relationOf]; owner != nil {
		f.setStringIf("of_kind", owner.Kind)
		if v, ok := owner.facts.listAt(factDataCategories); ok {
			f.setList("data_categories", v)
		}
	}
}

func (ix *index) dependencyFacts(f *Facts, d *model.Dependency) {
	f.setStringIf("kind", d.Kind)
	f.setStringIf("classification", d.Classification)
	f.setStringIf("support_level", d.Support.Level)
	f.setStringIf("supplier", d.Supplier)
	f.setBool("has_version", d.Version != "")
	f.setString("known_vulnerabilities", strconv.Itoa(len(ix.vulns[d.ID])))
	if users := ix.usersOf[d.ID]; len(users) > 0 {
		f.setList("used_by", users)
	}
	if typ := purlType(d.Purl); typ != "" {
		f.setString("purl_type", typ)
	}
	if ends, ok := d.Support.Ends.Time(); ok && !ix.opts.Date.IsZero() {
		f.setBool("support_ended", !ends.After(ix.opts.Date))
	}
}

func (ix *index) systemFacts(f *Facts) {
	m := ix.m
	f.setString("kind", TargetSystem)
	f.setStringIf("lifecycle", m.System.Lifecycle)

	update := false
	for _, t := range ix.targets {
		if t.flow != nil && t.carries("firmware") {
			update = true
			break
		}
	}
	f.setBool("has_update_path", update)

	manufacturing, service := false, false
	for _, e := range m.Elements {
		if e.Role == "manufacturer" || containsFold(e.Tags, "manufacturing") {
			manufacturing = true
		}
		if e.Kind == "entity" && e.Role == "service-technician" {
			service = true
		}
	}
	f.setBool("has_manufacturing_flow", manufacturing)
	f.setBool("has_service_role", service)

	phi := false
	for _, d := range m.Data {
		if d.Category == "phi" || d.Category == "pii" {
			phi = true
			break
		}
	}
	f.setBool("has_phi", phi)
}

// dataFacts sets data_categories and the three need levels from the data
// IDs a target keeps or carries. Levels stay unset when no data names one.
func (ix *index) dataFacts(f *Facts, ids []string) {
	var cats []string
	var c, i, a string
	for _, id := range ids {
		d := ix.data[id]
		if d == nil {
			continue
		}
		cats = append(cats, d.Category)
		c = higherLevel(c, d.Confidentiality)
		i = higherLevel(i, d.Integrity)
		a = higherLevel(a, d.Availability)
	}
	f.setList("data_categories", cats)
	if c != "" {
		f.setLevel("confidentiality", c)
	}
	if i != "" {
		f.setLevel("integrity", i)
	}
	if a != "" {
		f.setLevel("availability", a)
	}
}

// elementOf returns the element of an element target, nil when t is nil.
func elementOf(t *target) *model.Element {
	if t == nil {
		return nil
	}
	return t.element
}

// transport returns the transport of a protocol, or "" when unknown.
func (ix *index) transport(protocol string) string {
	return ix.transports[strings.ToLower(protocol)]
}

func (ix *index) protocols(flows []*target) []string {
	var names []string
	for _, ft := range flows {
		if name := ft.flow.Protocol.Name; name != "" {
			names = append(names, strings.ToLower(name))
		}
	}
	return names
}

// senderRoles returns the roles of the external entities that send the
// flows reaching an element target.
func senderRoles(t *target) []string {
	var roles []string
	for _, ft := range t.flowsIn {
		sender := elementOf(ft.peer(t))
		if sender != nil && sender.Kind == "entity" && sender.Role != "" {
			roles = append(roles, sender.Role)
		}
	}
	return roles
}

// categoryBits numbers the data categories for flow bit sets.
var categoryBits = func() map[string]uint32 {
	bits := make(map[string]uint32)
	for i, id := range model.DataCategories.IDs() {
		bits[id] = 1 << i
	}
	return bits
}()

// categoryBit returns the bit of a data category; unknown categories share
// the top bit, which no check tests.
func categoryBit(category string) uint32 {
	if b, ok := categoryBits[category]; ok {
		return b
	}
	return 1 << 31
}

// purlType returns the type of a package URL such as pkg:npm/left-pad@1.0.0,
// lower case, or "" when s is not a package URL.
func purlType(s string) string {
	rest, ok := strings.CutPrefix(s, "pkg:")
	if !ok {
		return ""
	}
	rest = strings.TrimLeft(rest, "/")
	typ, _, ok := strings.Cut(rest, "/")
	if !ok || typ == "" {
		return ""
	}
	return strings.ToLower(typ)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
