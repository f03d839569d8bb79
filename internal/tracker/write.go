package tracker

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats lists the export formats in the order help text shows them.
var Formats = []string{"csv", "json", "github", "jira"}

// Write encodes items in format.
func Write(w io.Writer, format string, items []Item) error {
	switch format {
	case "csv":
		return writeCSV(w, items)
	case "json":
		return writeJSON(w, items)
	case "github":
		return writeGitHub(w, items)
	case "jira":
		return writeJira(w, items)
	}
	return fmt.Errorf("unknown export format %q; use one of %s", format, strings.Join(Formats, ", "))
}

func writeCSV(w io.Writer, items []Item) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"key", "kind", "title", "status", "priority", "target", "labels", "tracker", "model", "description"}); err != nil {
		return err
	}
	for _, it := range items {
		row := []string{it.Key, it.Kind, safeCell(it.Title), it.Status, it.Priority, it.Target,
			strings.Join(it.Labels, " "), it.Tracker, it.Model, safeCell(it.Body)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, items []Item) error {
	if items == nil {
		items = []Item{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(items)
}

// githubIssue is the request body of GitHub's create-issue REST call, one
// per line, so a script can post each with `gh api --input -`.
type githubIssue struct {
	Title  string   `json:"title"`
	Body   string   `json:"body"`
	Labels []string `json:"labels"`
}

func writeGitHub(w io.Writer, items []Item) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		body := it.Body + "\n<!-- ward:" + it.Key + " -->\n"
		if err := enc.Encode(githubIssue{Title: it.Title, Body: body, Labels: it.Labels}); err != nil {
			return err
		}
	}
	return nil
}

// jiraLabelColumns is how many Labels columns the Jira CSV has: Jira's
// importer takes one label per column with a repeated header.
const jiraLabelColumns = 4

func writeJira(w io.Writer, items []Item) error {
	cw := csv.NewWriter(w)
	header := []string{"Summary", "Issue Type", "Priority", "Description", "External ID"}
	for range jiraLabelColumns {
		header = append(header, "Labels")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, it := range items {
		row := []string{safeCell(it.Title), "Bug", jiraPriority(it.Priority), safeCell(it.Body), it.Key}
		for i := range jiraLabelColumns {
			label := ""
			if i < len(it.Labels) {
				// Jira labels cannot contain spaces.
				label = strings.ReplaceAll(it.Labels[i], " ", "-")
			}
			row = append(row, label)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func jiraPriority(p string) string {
	switch p {
	case "highest":
		return "Highest"
	case "high":
		return "High"
	case "medium":
		return "Medium"
	}
	return "Low"
}

// safeCell defuses spreadsheet formula injection: a cell starting with
// =, +, - or @ is read as a formula by Excel and LibreOffice, so such text
// from the model gets a leading apostrophe.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
