package evidence

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wardtm/ward/internal/diag"
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
// document with its per-item statuses, then the skipped files. When several
// documents were assessed, each document also lists the items it does not
// cover with the reason and the advice.
func WriteText(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	covered, weak, missing := r.Counts()

	ew.printf("Threat model evidence in %s: %d covered, %d weak, %d missing\n\n", r.Dir, covered, weak, missing)
	for _, n := range r.Notes {
		ew.printf("warning: %s.\n\n", n)
	}
	for _, it := range r.Items {
		ew.printf("%-8s %-22s %s (%s)\n", strings.ToUpper(it.Status), it.ID, it.Title, it.Clause)
		ew.printf("         %s\n", it.Reason)
		for _, q := range it.Evidence {
			ew.printf("         %s: %q\n", q.Location(), q.Text)
		}
		if it.Add != "" {
			ew.printf("         %s: %s\n", adviceLabel(it), it.Add)
		}
	}

	// With one assessed document the set's items already give each
	// document's reasons.
	detail := r.assessed() > 1
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
		if !detail {
			continue
		}
		for _, it := range d.Items {
			if it.Status == Covered {
				continue
			}
			ew.printf("    %s %s: %s\n", it.ID, it.Status, it.Reason)
			if it.Check != nil && it.Add != "" {
				ew.printf("      %s: %s\n", adviceLabel(it), it.Add)
			}
		}
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
// with its status, the reason, the evidence quotes and what to add, then
// the documents. When several documents were assessed, a table per
// document lists the items it does not cover.
func WriteMarkdown(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	covered, weak, missing := r.Counts()

	ew.printf("# Threat model evidence worksheet\n\n")
	ew.printf("Folder `%s`: %s covered, %d weak, %d missing. ", mdCode(r.Dir), diag.Count(covered, "item", "items"), weak, missing)
	ew.printf("Each item is one requirement of IEC 81001-5-1 clause 7.2 as `ward check` names it. ")
	ew.printf("Covered items quote where the documents state them. ")
	ew.printf("For weak and missing items the Why column gives the reason, with the message of the failing check for Ward models and reports, and the last column names what to add or the check's fix.\n\n")
	for _, n := range r.Notes {
		ew.printf("> **Warning:** %s.\n\n", mdCell(n))
	}

	ew.printf("| Item | Requirement | Status | Why | Evidence | What to add |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, it := range r.Items {
		ew.printf("| `%s` | %s (%s) | **%s** | %s | %s | %s |\n", it.ID, mdCell(it.Title), mdCell(it.Clause),
			it.Status, mdCell(it.Reason), mdQuotes(it.Evidence), mdAdvice(it))
	}

	ew.printf("\n## Documents\n\n| File | Format | Kind | Selected because | State |\n| --- | --- | --- | --- | --- |\n")
	for _, d := range r.Documents {
		state := d.State
		if d.Problem != "" {
			state += ": " + d.Problem
		}
		ew.printf("| `%s` | %s | %s | %s | %s |\n", mdCode(d.Path), d.Format, d.Kind, mdCell(d.Reason), mdCell(state))
	}
	if r.assessed() > 1 {
		writeMarkdownFindings(ew, r.Documents)
	}
	if len(r.Skipped) > 0 {
		ew.printf("\n## Skipped\n\n")
		for _, s := range r.Skipped {
			ew.printf("- `%s`: %s\n", mdCode(s.Path), mdCell(s.Reason))
		}
	}
	return ew.err
}

// assessed counts the documents with item results.
func (r *Result) assessed() int {
	n := 0
	for _, d := range r.Documents {
		if d.State == Assessed {
			n++
		}
	}
	return n
}

// writeMarkdownFindings lists, per assessed document, the items it does not
// cover with the reason and the advice, so that the failure of a check in
// one document shows even when another document covers the item.
func writeMarkdownFindings(ew *errWriter, docs []*Document) {
	heading := false
	for _, d := range docs {
		if d.State != Assessed {
			continue
		}
		var open []ItemResult
		for _, it := range d.Items {
			if it.Status != Covered {
				open = append(open, it)
			}
		}
		if len(open) == 0 {
			continue
		}
		if !heading {
			ew.printf("\n## Items each document does not cover\n")
			heading = true
		}
		ew.printf("\n### `%s`\n\n| Item | Status | Why | Evidence | What to add |\n| --- | --- | --- | --- | --- |\n", mdCode(d.Path))
		for _, it := range open {
			ew.printf("| `%s` | **%s** | %s | %s | %s |\n", it.ID, it.Status, mdCell(it.Reason), mdQuotes(it.Evidence), mdAdvice(it))
		}
	}
}

// mdQuotes formats quotes for a table cell, or "none".
func mdQuotes(quotes []Quote) string {
	if len(quotes) == 0 {
		return "none"
	}
	out := make([]string, len(quotes))
	for i, q := range quotes {
		out[i] = fmt.Sprintf("`%s`: “%s”", mdCode(q.Location()), mdCell(q.Text))
	}
	return strings.Join(out, "<br>")
}

// mdAdvice formats the advice for a table cell, marking a check's fix.
func mdAdvice(it ItemResult) string {
	if it.Add == "" {
		return ""
	}
	if adviceLabel(it) == "fix" {
		return "Fix: " + mdCell(it.Add)
	}
	return mdCell(it.Add)
}

// adviceLabel names the advice of an item: "fix" when it is the fix of the
// conformance check behind the status, "add" otherwise.
func adviceLabel(it ItemResult) string {
	if it.Check != nil && it.Check.Fix != "" && it.Add == it.Check.Fix {
		return "fix"
	}
	return "add"
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
