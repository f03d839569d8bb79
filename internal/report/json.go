package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/wardtm/ward/internal/assessment"
)

// JSONFileName is the name of the assessment file.
const JSONFileName = "assessment.json"

// jsonRenderer writes assessment.json: the assessment with its date, in the
// structure docs/report.md documents.
type jsonRenderer struct{}

func (jsonRenderer) FileName(string) string { return JSONFileName }

// jsonAssessment adds the assessment date, which the Assessment type keeps
// out of its own JSON form, as a YYYY-MM-DD string.
type jsonAssessment struct {
	*assessment.Assessment
	Date string `json:"date"`
}

func (jsonRenderer) Render(w io.Writer, in *Input) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonAssessment{Assessment: in.Assessment, Date: in.Doc.Date})
}

// ReadAssessment decodes an assessment.json written by Render, so that
// `ward report --from` can render any format from it without the model
// file. It rejects a file whose schema this version does not read.
func ReadAssessment(r io.Reader) (*assessment.Assessment, error) {
	in := jsonAssessment{Assessment: &assessment.Assessment{}}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("reading assessment: %w", err)
	}
	a := in.Assessment
	if a.Schema != assessment.SchemaVersion {
		return nil, fmt.Errorf("reading assessment: schema %q is not %q; produce the file again with this version of ward report", a.Schema, assessment.SchemaVersion)
	}
	if a.Model == nil {
		return nil, fmt.Errorf("reading assessment: the file has no model")
	}
	if err := checkRegister(a); err != nil {
		return nil, fmt.Errorf("reading assessment: %w; produce the file again with ward report --format json", err)
	}
	if in.Date != "" {
		d, err := time.Parse("2006-01-02", in.Date)
		if err != nil {
			return nil, fmt.Errorf("reading assessment: date %q is not YYYY-MM-DD", in.Date)
		}
		a.Date = d
	}
	return a, nil
}

// checkRegister rejects a register whose threats lack the target or the
// disposition that every file written by Render has, so that renderers
// can read them without checking each one.
func checkRegister(a *assessment.Assessment) error {
	reg := a.Register
	if reg == nil {
		return nil
	}
	for i, t := range reg.Threats {
		switch {
		case t.Target == nil:
			return fmt.Errorf("threat %d (%q) has no target", i+1, t.ID)
		case t.Disposition == nil:
			return fmt.Errorf("threat %d (%q) has no disposition", i+1, t.ID)
		case t.Pattern == nil:
			return fmt.Errorf("threat %d (%q) has no rule, title or STRIDE category", i+1, t.ID)
		}
	}
	for i, s := range reg.Suppressed {
		switch {
		case s.Threat.Target == nil:
			return fmt.Errorf("suppressed threat %d (%q) has no target", i+1, s.Threat.ID)
		case s.Threat.Pattern == nil:
			return fmt.Errorf("suppressed threat %d (%q) has no rule, title or STRIDE category", i+1, s.Threat.ID)
		}
	}
	for i, r := range reg.RuledOut {
		if r.Target == nil {
			return fmt.Errorf("ruled-out finding %d (%q) has no target", i+1, r.ID)
		}
	}
	for i, r := range reg.Coverage.Rows {
		if r.Target == nil {
			return fmt.Errorf("coverage row %d has no target", i+1)
		}
	}
	return nil
}
