// Package sarif writes conformance results as a SARIF 2.1.0 log, so code
// scanning services (GitHub among them) show each failed requirement inline
// at the model line it concerns.
//
// Only the subset of SARIF that Ward fills is declared here.
package sarif

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
)

// Version and Schema identify the SARIF format written.
const (
	Version = "2.1.0"
	Schema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

// Log is a SARIF log file.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one run of a tool.
type Run struct {
	Tool Tool `json:"tool"`
	// Invocations records what the run assessed, so the log can be filed
	// on its own.
	Invocations []Invocation `json:"invocations,omitempty"`
	Results     []Result     `json:"results"`
	// OriginalURIBaseIDs anchors relative artifact URIs at the repository
	// root, which code scanning expects.
	OriginalURIBaseIDs map[string]ArtifactLocation `json:"originalUriBaseIds,omitempty"`
}

// Invocation is one run of ward check. Its properties name the model's
// document, version and digest and the assessment date.
type Invocation struct {
	ExecutionSuccessful bool              `json:"executionSuccessful"`
	Properties          map[string]string `json:"properties,omitempty"`
}

// Tool describes Ward and its rules (the conformance requirements).
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver is the tool component that produced the results.
type Driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []Rule `json:"rules"`
}

// Rule describes one requirement.
type Rule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     Message        `json:"shortDescription"`
	FullDescription      *Message       `json:"fullDescription,omitempty"`
	DefaultConfiguration *Configuration `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any `json:"properties,omitempty"`
}

// Configuration sets a rule's default level.
type Configuration struct {
	Level string `json:"level"`
}

// Result is one failed, warned or not-checked requirement.
type Result struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	// Kind is empty, SARIF's default "fail", for a failed or warned
	// requirement, and "open" for one that was not checked. Level is then
	// "none", as SARIF 2.1.0 requires for every kind other than fail.
	Kind      string     `json:"kind,omitempty"`
	Level     string     `json:"level"`
	Message   Message    `json:"message"`
	Locations []Location `json:"locations,omitempty"`
}

// Message is a plain-text message.
type Message struct {
	Text string `json:"text"`
}

// Location points at a place in a file.
type Location struct {
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// PhysicalLocation is a file and a region in it.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// ArtifactLocation names a file by URI, relative to a base ID.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// Region is a line and column, both counting from 1.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// maxLocations caps the locations per result; code scanning shows the
// first ones and the message names the total.
const maxLocations = 10

// FromAssessment is FromConformance for a whole assessment, with an
// invocation that names the document, its version, the model digest and
// the assessment date.
func FromAssessment(a *assessment.Assessment, toolVersion, root string) Log {
	log := FromConformance(a.Conformance, toolVersion, root)
	props := map[string]string{"assessmentDate": a.Date.Format("2006-01-02"), "modelDigest": a.Review.Digest}
	if a.Model != nil {
		props["document"] = a.Model.System.Document.ID
		props["documentVersion"] = a.Model.System.Document.Version
	}
	log.Runs[0].Invocations = []Invocation{{ExecutionSuccessful: true, Properties: props}}
	return log
}

// FromConformance builds a log from conformance results. Passing and
// not-applicable requirements appear as rules without results. A
// requirement that was not checked becomes a result of kind "open", SARIF's
// term for a rule the tool could not decide, with its fix in the message.
// root is the folder file paths are made relative to (usually the
// working directory).
func FromConformance(results []assessment.Result, toolVersion, root string) Log {
	run := Run{
		Tool: Tool{Driver: Driver{
			Name:           "ward",
			Version:        toolVersion,
			InformationURI: "https://github.com/wardtm/ward",
			Rules:          []Rule{},
		}},
		Results: []Result{},
	}

	for i, r := range results {
		req := r.Requirement
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, Rule{
			ID:                   req.ID,
			Name:                 ruleName(req.ID),
			ShortDescription:     Message{Text: req.Title},
			FullDescription:      &Message{Text: req.Title + " (" + req.Clause + ")"},
			DefaultConfiguration: &Configuration{Level: "error"},
			Properties:           map[string]any{"clause": req.Clause, "group": req.Group},
		})

		kind, level := "", ""
		switch r.Status {
		case assessment.Fail:
			level = "error"
		case assessment.Warning:
			level = "warning"
		case assessment.NotChecked:
			kind, level = "open", "none"
		default:
			continue
		}

		text := r.Message
		if r.Fix != "" {
			text += ". Fix: " + r.Fix
		}
		if located := countLocated(r.Evidence); located > maxLocations {
			text += fmt.Sprintf(" (%d model locations; the first %d are shown, ward check lists all)", located, maxLocations)
		}
		res := Result{RuleID: req.ID, RuleIndex: i, Kind: kind, Level: level, Message: Message{Text: text}}
		for _, ev := range r.Evidence {
			if ev.File == "" || ev.Line == 0 || len(res.Locations) == maxLocations {
				continue
			}
			res.Locations = append(res.Locations, location(ev, root))
		}
		run.Results = append(run.Results, res)
	}
	return Log{Schema: Schema, Version: Version, Runs: []Run{run}}
}

func location(ev assessment.Evidence, root string) Location {
	uri := filepath.ToSlash(ev.File)
	abs, err := filepath.Abs(ev.File)
	if err == nil {
		if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
			uri = filepath.ToSlash(rel)
		}
	}
	loc := Location{PhysicalLocation: PhysicalLocation{
		ArtifactLocation: ArtifactLocation{URI: uri},
		Region:           &Region{StartLine: ev.Line, StartColumn: ev.Col},
	}}
	if ev.Col == 0 {
		loc.PhysicalLocation.Region.StartColumn = 0
	}
	note := ev.Kind
	if ev.ID != "" {
		note += " " + ev.ID
	}
	if ev.Note != "" {
		note += ": " + ev.Note
	}
	loc.Message = &Message{Text: note}
	return loc
}

// countLocated counts the evidence items that have a file and line.
func countLocated(evidence []assessment.Evidence) int {
	n := 0
	for _, ev := range evidence {
		if ev.File != "" && ev.Line > 0 {
			n++
		}
	}
	return n
}

// ruleName turns "quality.debug-state" into "QualityDebugState", the
// PascalCase form SARIF viewers show as a rule name.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '.' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// Write encodes the log as indented JSON.
func Write(w io.Writer, log Log) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
