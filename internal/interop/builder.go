package interop

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wardtm/ward/internal/model"
)

// builder collects the model, notes and report of one import.
type builder struct {
	format Format
	file   string
	m      *model.Model
	ids    *idAllocator
	notes  *Notes
	report *Report
	// inferredKinds counts inferred values per summary line, so the report
	// prints "data categories guessed: 12" once instead of twelve lines.
	inferredKinds map[string]int
	inferredOrder []string
}

func newBuilder(format Format, file string) *builder {
	return &builder{
		format:        format,
		file:          file,
		m:             &model.Model{Ward: model.FormatVersion},
		ids:           newIDAllocator(),
		notes:         newNotes(),
		report:        &Report{Format: format, File: file},
		inferredKinds: map[string]int{},
	}
}

// infer marks field of an item as inferred: a comment in the YAML and one
// counted line in the report.
func (b *builder) infer(section, id, field, comment, summary string) {
	b.notes.Field(section, id, field, "inferred: "+comment)
	if _, ok := b.inferredKinds[summary]; !ok {
		b.inferredOrder = append(b.inferredOrder, summary)
	}
	b.inferredKinds[summary]++
}

// note adds a comment above an item with what the source could not express
// or how a value was kept.
func (b *builder) note(section, id, text string) { b.notes.Item(section, id, text) }

// drop records content of the source that the model does not keep.
func (b *builder) drop(format string, args ...any) {
	b.report.Dropped = append(b.report.Dropped, fmt.Sprintf(format, args...))
}

// protocol maps a source protocol name to a Ward protocol, adding a
// protocols entry for names Ward does not know. It returns the Ward name.
func (b *builder) protocol(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if id, ok := protocolAliases[strings.ToLower(name)]; ok {
		return id
	}
	if model.Protocols.Has(strings.ToLower(name)) {
		return strings.ToLower(name)
	}

	base := slug(name)
	if base == "" {
		base = "protocol"
	}
	if model.Protocols.Has(base) {
		return base
	}
	for _, p := range b.m.Protocols {
		if p.ID == name || strings.EqualFold(p.Name, name) {
			return p.ID
		}
	}

	// Names that differ in more than case can give the same slug ("C RPC"
	// and "C++ RPC", or two names in a script without ASCII letters), and
	// they stay two protocols.
	id := base
	for n := 2; slices.ContainsFunc(b.m.Protocols, func(p model.ProtocolDef) bool { return p.ID == id }); n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	b.m.Protocols = append(b.m.Protocols, model.ProtocolDef{ID: id, Name: name,
		Description: fmt.Sprintf("Protocol %q of the %s model, which Ward does not know.", name, b.format)})
	b.notes.Item("protocols", id, fmt.Sprintf("added by the import: %s names this protocol and Ward has no built-in entry for it; set transport", b.format))
	return id
}

// protocolAliases maps protocol names of other tools to Ward's vocabulary.
var protocolAliases = map[string]string{
	"http/s": "https", "https/tls": "https", "rest": "https", "wss": "websocket", "ws": "websocket",
	"jdbc": "sql", "jdbc-encrypted": "sql", "odbc": "sql", "odbc-encrypted": "sql",
	"sql-access-protocol": "sql", "sql-access-protocol-encrypted": "sql",
	"nosql-access-protocol": "sql", "nosql-access-protocol-encrypted": "sql",
	"ssh-tunnel": "ssh", "smtp-encrypted": "smtp", "scp": "ssh",
	"local-file-access": "file", "in-process-library-call": "in-process",
	"binary": "tcp", "binary-encrypted": "tls", "text": "tcp", "text-encrypted": "tls",
	"reverse-proxy-web-protocol": "http", "reverse-proxy-web-protocol-encrypted": "https",
	"mqtts": "mqtt", "mllp": "hl7v2-mllp", "hl7": "hl7v2-mllp",
	"bluetooth low energy": "ble", "bluetooth-le": "ble", "wi-fi": "wifi", "802.11": "wifi",
	"tcp/ip": "tcp", "udp/ip": "udp", "rs-232": "serial", "rs232": "serial",
}

// encryptedProtocol reports whether a protocol name implies encryption on
// the wire, and whether the name says anything about it at all.
func encryptedProtocol(name string) (encrypted, known bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case n == "":
		return false, false
	case strings.HasSuffix(n, "-encrypted"), strings.HasSuffix(n, "s") && slicesContains([]string{"https", "wss", "ldaps", "ftps", "mqtts", "imaps", "pop3s"}, n),
		slicesContains([]string{"ssh", "ssh-tunnel", "sftp", "scp", "tls", "dtls", "http/s", "fhir"}, n):
		return true, true
	case slicesContains([]string{"http", "ws", "ldap", "ftp", "telnet", "jdbc", "odbc", "smtp", "pop3", "imap", "nfs", "smb", "binary", "text", "mqtt", "tcp", "udp", "coap"}, n):
		return false, true
	}
	return false, false
}

func slicesContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// guessCategory picks a data category from words in a data item's name and
// description. It returns "other" when no word matches.
func guessCategory(text string) string {
	t := " " + strings.ToLower(text) + " "
	rules := []struct {
		category string
		words    []string
	}{
		{"credential", []string{"password", "credential", "account", "secret", "token", "login", "pin ", "session"}},
		{"key", []string{" key ", " keys ", "certificate", "private key"}},
		{"phi", []string{"patient", "health", "medical", "clinical", "phi ", "ehr", "diagnos"}},
		{"therapy", []string{"therapy", "dose", "dosing", "bolus", "insulin", "infusion"}},
		{"audit-log", []string{" log", "audit"}},
		{"firmware", []string{"firmware", " code", "binary", "image", "update package"}},
		{"configuration", []string{"config", "customizing", "settings", "parameter"}},
		{"alarm", []string{"alarm", "alert"}},
		{"telemetry", []string{"telemetry", "metric", "status", "heartbeat"}},
		{"pii", []string{"customer", "personal", "pii", "user ", "users", "contact", "address", "identity"}},
	}
	for _, r := range rules {
		for _, w := range r.words {
			if strings.Contains(t, w) {
				return r.category
			}
		}
	}
	return "other"
}

// addData appends a data item, guessing its category when category is "".
func (b *builder) addData(d model.Data) *model.Data {
	if d.Category == "" {
		d.Category = guessCategory(d.Name + " " + d.Description)
		b.infer("data", d.ID, "category", "category guessed from the name; check it", "data categories guessed from names")
	}
	b.m.Data = append(b.m.Data, d)
	return &b.m.Data[len(b.m.Data)-1]
}

// boolPtr returns a pointer to v for the optional booleans of the model.
func boolPtr(v bool) *bool { return &v }

// finish fills what every model needs, computes the report and returns the
// result.
func (b *builder) finish(title, description string) *Result {
	s := &b.m.System
	inferredDoc := false
	if s.Name == "" {
		s.Name = strings.TrimSpace(title)
	}
	if s.Name == "" {
		s.Name = baseName(b.file)
		b.infer("system", "", "name", "the source has no title; named after the file", "system name taken from the file name")
	}
	if s.Description == "" {
		s.Description = strings.TrimSpace(description)
	}
	if s.ID == "" {
		s.ID = slug(s.Name)
		if s.ID == "" {
			s.ID = "system"
		}
	}
	if s.Document.ID == "" {
		s.Document.ID = "TM-" + strings.ToUpper(s.ID)
		b.infer("system.document", "", "id", "no document ID in the source", "document ID, version and lifecycle")
		inferredDoc = true
	}
	if s.Document.Version == "" {
		s.Document.Version = "0.1"
		b.notes.Field("system.document", "", "version", "inferred: no document version in the source")
		inferredDoc = true
	}
	if s.Lifecycle == "" {
		s.Lifecycle = "development"
		b.notes.Field("system", "", "lifecycle", "inferred: the source does not say whether the product is released")
		inferredDoc = true
	}

	b.fillNames()
	r := b.report
	r.Counts = countModel(b.m)
	for _, k := range b.inferredOrder {
		r.Inferred = append(r.Inferred, fmt.Sprintf("%s: %d", k, b.inferredKinds[k]))
	}
	r.ToDo = clauseToDo(b.m, inferredDoc)

	b.notes.Header = append([]string{
		fmt.Sprintf("Imported by ward import from the %s model %s.", b.format, baseName(b.file)+fileExt(b.file)),
		"Comments starting with \"inferred:\" mark values Ward chose because the source had none;",
		"check each one. Run ward validate, then ward check to see what clause 7.2 still needs.",
	}, b.notes.Header...)
	return &Result{Model: b.m, Notes: b.notes, Report: r}
}

func fileExt(file string) string {
	base := file
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.IndexByte(base, '.'); i >= 0 {
		return base[i:]
	}
	return ""
}

// fillNames gives a name to every item the source left unnamed, because
// the model requires one.
func (b *builder) fillNames() {
	fill := func(section, id, field string, name *string, what string) {
		if strings.TrimSpace(*name) != "" {
			return
		}
		*name = "Unnamed " + what + " " + id
		b.infer(section, id, field, "the source gives no name", "names missing in the source")
	}
	m := b.m
	for i := range m.Flows {
		// A protocol block needs a name; keep a lone port as an attribute.
		if p := &m.Flows[i].Protocol; p.Name == "" && (p.Port != "" || p.Version != "" || p.Channel != "" || p.Security != "") {
			if m.Flows[i].Attributes == nil {
				m.Flows[i].Attributes = map[string]any{}
			}
			for k, v := range map[string]string{"port": p.Port, "protocol_version": p.Version, "channel": p.Channel, "security": p.Security} {
				if v != "" {
					m.Flows[i].Attributes[k] = v
				}
			}
			*p = model.Protocol{}
		}
	}
	for i := range m.Data {
		fill("data", m.Data[i].ID, "name", &m.Data[i].Name, "data")
	}
	for i := range m.Boundaries {
		fill("boundaries", m.Boundaries[i].ID, "name", &m.Boundaries[i].Name, "boundary")
	}
	for i := range m.Elements {
		fill("elements", m.Elements[i].ID, "name", &m.Elements[i].Name, m.Elements[i].Kind)
	}
	for i := range m.Threats {
		if m.Threats[i].ID != "" {
			fill("threats", m.Threats[i].ID, "title", &m.Threats[i].Title, "threat")
		}
	}
	for i := range m.Controls {
		fill("controls", m.Controls[i].ID, "name", &m.Controls[i].Name, "control")
	}
	for i := range m.Dependencies {
		fill("dependencies", m.Dependencies[i].ID, "name", &m.Dependencies[i].Name, "dependency")
	}
}
