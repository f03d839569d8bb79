package interop

import (
	"fmt"
	"io"
	"strings"

	"github.com/wardtm/ward/internal/model"
)

// Report is the mapping report printed after an import.
type Report struct {
	Format Format
	File   string
	// Counts lists how many items of each kind the model received, in a
	// fixed order.
	Counts []Count
	// Dropped says what the source had that the model does not keep, and why.
	Dropped []string
	// Inferred summarises values Ward chose because the source had none;
	// the YAML marks each one with an "inferred:" comment.
	Inferred []string
	// ToDo lists the clause 7.2 items the source had no place for.
	ToDo []string
}

// Count is the number of imported items of one kind.
type Count struct {
	Kind string
	N    int
}

// WriteText writes the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "imported %s from %s:\n", r.Format, r.File)
	for _, c := range r.Counts {
		fmt.Fprintf(&b, "  %-22s %d\n", c.Kind, c.N)
	}
	writeList(&b, "dropped", r.Dropped)
	writeList(&b, "inferred (marked \"# inferred:\" in the output)", r.Inferred)
	writeList(&b, "to do for IEC 81001-5-1 clause 7.2", r.ToDo)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeList(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "%s:\n", title)
	for _, it := range items {
		fmt.Fprintf(b, "  - %s\n", it)
	}
}

// countModel fills the counts from m.
func countModel(m *model.Model) []Count {
	kinds := map[string]int{}
	for _, e := range m.Elements {
		kinds[e.Kind]++
	}
	hand, disp := 0, 0
	for _, t := range m.Threats {
		if t.Match != "" {
			disp++
		} else {
			hand++
		}
	}
	return []Count{
		{"processes", kinds["process"]},
		{"data stores", kinds["store"]},
		{"external entities", kinds["entity"]},
		{"flows", len(m.Flows)},
		{"trust boundaries", len(m.Boundaries)},
		{"data", len(m.Data)},
		{"hand-written threats", hand},
		{"threat dispositions", disp},
		{"controls", len(m.Controls)},
		{"dependencies", len(m.Dependencies)},
		{"protocols added", len(m.Protocols)},
	}
}

// clauseToDo lists what a model built from another tool still lacks for
// IEC 81001-5-1 clause 7.2 and the review it requires.
func clauseToDo(m *model.Model, inferredDocument bool) []string {
	var todo []string
	add := func(cond bool, text string) {
		if cond {
			todo = append(todo, text)
		}
	}
	add(len(m.Data) == 0, "no data: list the categorized information that flows carry and stores keep (7.2 a)")
	add(len(m.Boundaries) == 0, "no trust boundaries: add boundaries and place elements in them (7.2 b)")
	add(len(m.Elements) == 0, "no elements: add the processes, data stores and external entities (7.2 c, d, e)")
	noProtocol := 0
	for _, f := range m.Flows {
		if f.Protocol.Name == "" {
			noProtocol++
		}
	}
	nameVerb := "name"
	if noProtocol == 1 {
		nameVerb = "names"
	}
	add(noProtocol > 0, fmt.Sprintf("%d of %d flows %s no protocol: set flows[].protocol (7.2 f)", noProtocol, len(m.Flows), nameVerb))
	add(len(m.Interfaces) == 0, "no interfaces: add physical ports, debug ports and board connections such as JTAG, SWD, UART and USB (7.2 g, h)")
	add(len(m.Issues) == 0, "no issues: record the security-related issues found so far, or state that there are none (7.2 k)")
	add(len(m.Dependencies) == 0, "no dependencies: add operating systems, drivers, libraries and third-party applications, or list SBOM files under sboms (7.2 l)")
	add(len(m.Hazards) == 0, "no hazards: list the hazards of the ISO 14971 risk file that threats can lead to")
	add(len(m.Reviews) == 0, "no reviews: record the development team's review of the threat model")
	add(len(m.Assumptions) == 0, "no assumptions: state what the model assumes about the adversary and the environment")
	add(inferredDocument, "document metadata was made up: set system.document id, version and owner, system.lifecycle and system.intended_use")
	noRole := 0
	for _, e := range m.Elements {
		if e.Kind == "entity" && (e.Role == "" || e.Role == "other") {
			noRole++
		}
	}
	roleless := fmt.Sprintf("%d external entities have", noRole)
	if noRole == 1 {
		roleless = "1 external entity has"
	}
	add(noRole > 0, roleless+" no specific role: set elements[].role (patient, clinician, ...)")
	return todo
}
