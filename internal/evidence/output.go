package evidence

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// SchemaVersion names the structure of the JSON output. It changes when a
// field is removed or changes meaning; added fields keep it.
const SchemaVersion = "ward.evidence/v1"

// WriteJSON writes the result as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Schema string `json:"schema"`
		*Result
	}{SchemaVersion, r})
}

// WriteText writes the set's items first, with their quotes, then each
// document with its per-item statuses, then the skipped files.
func WriteText(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	covered, weak, missing := r.Counts()

	ew.printf("Threat model evidence in %s: %d covered, %d weak, %d missing\n\n", r.Dir, covered, weak, missing)
	for _, it := range r.Items {
		ew.printf("%-8s %-22s %s (%s)\n", strings.ToUpper(it.Status), it.ID, it.Title, it.Clause)
		ew.printf("         %s\n", it.Reason)
		for _, q := range it.Evidence {
			ew.printf("         %s: %q\n", q.Location(), q.Text)
		}
		if it.Add != "" {
			ew.printf("         add: %s\n", it.Add)
		}
	}

	ew.printf("\nDocuments (%d):\n", len(r.Documents))
	if len(r.Documents) == 0 {
		ew.printf("  none found; name the threat model so that a pattern matches (see ward evidence --help)\n")
	}
	for _, d := range r.Documents {
		ew.printf("  %s [%s, %s] %s\n", d.Path, d.Format, d.Kind, d.Reason)
		if d.Title != "" {
			ew.printf("    title: %s\n", d.Title)
		}
		if d.State != Assessed {
			ew.printf("    %s: %s\n", strings.ToUpper(d.State), d.Problem)
			continue
		}
		var parts []string
		for _, it := range d.Items {
			parts = append(parts, it.ID+" "+it.Status)
		}
		ew.printf("    %s\n", wrap(strings.Join(parts, ", "), 100, "    "))
	}

	if len(r.Skipped) > 0 {
		ew.printf("\nSkipped (%d):\n", len(r.Skipped))
		for _, s := range r.Skipped {
			ew.printf("  %s: %s\n", s.Path, s.Reason)
		}
	}
	return ew.err
}

// WriteMarkdown writes an audit-preparation worksheet: one row per item
// with its status, the evidence quotes and what to add, then the documents.
func WriteMarkdown(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	covered, weak, missing := r.Counts()

	ew.printf("# Threat model evidence worksheet\n\n")
	ew.printf("Folder `%s`: %d items covered, %d weak, %d missing. ", mdCode(r.Dir), covered, weak, missing)
	ew.printf("Each item is one requirement of IEC 81001-5-1 clause 7.2 as `ward check` names it. ")
	ew.printf("Covered items quote where the documents state them; for weak and missing items the last column names what to add and where a Ward model would record it.\n\n")

	ew.printf("| Item | Requirement | Status | Evidence | What to add |\n| --- | --- | --- | --- | --- |\n")
	for _, it := range r.Items {
		var ev []string
		for _, q := range it.Evidence {
			ev = append(ev, fmt.Sprintf("`%s`: “%s”", mdCode(q.Location()), mdCell(q.Text)))
		}
		if len(ev) == 0 {
			ev = append(ev, "none")
		}
		ew.printf("| `%s` | %s (%s) | **%s** | %s | %s |\n", it.ID, mdCell(it.Title), mdCell(it.Clause),
			it.Status, strings.Join(ev, "<br>"), mdCell(it.Add))
	}

	ew.printf("\n## Documents\n\n| File | Format | Kind | Selected because | State |\n| --- | --- | --- | --- | --- |\n")
	for _, d := range r.Documents {
		state := d.State
		if d.Problem != "" {
			state += ": " + d.Problem
		}
		ew.printf("| `%s` | %s | %s | %s | %s |\n", mdCode(d.Path), d.Format, d.Kind, mdCell(d.Reason), mdCell(state))
	}
	if len(r.Skipped) > 0 {
		ew.printf("\n## Skipped\n\n")
		for _, s := range r.Skipped {
			ew.printf("- `%s`: %s\n", mdCode(s.Path), mdCell(s.Reason))
		}
	}
	return ew.err
}

// errWriter keeps the first write error so the renderers need not check
// every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "`", "'", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// mdCode makes text safe inside a code span within a table cell.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ").Replace(s)
}

// wrap breaks s at spaces into lines of about width characters.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && n+1+len(word) > width {
			b.WriteString("\n" + indent)
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
