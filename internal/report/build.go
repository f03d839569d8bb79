package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diagram"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

// keyInventory is the section that groups the clause 7.2 inventory items.
const keyInventory = "inventory"

// Build assembles the threat model document from a. It lays out every
// architecture view with r, so the document carries each diagram as SVG,
// Mermaid and drawing operations. date is the assessment date as
// YYYY-MM-DD.
func Build(ctx context.Context, a *assessment.Assessment, r *diagram.Renderer, date string) (*Document, error) {
	m := a.Model
	if m == nil {
		return nil, fmt.Errorf("building report: the assessment has no model")
	}
	doc := &Document{
		ID:             m.System.Document.ID,
		Version:        m.System.Document.Version,
		Title:          cmpOr(m.System.Document.Title, "Threat model of "+cmpOr(m.System.Name, m.System.ID)),
		SystemID:       m.System.ID,
		SystemName:     cmpOr(m.System.Name, m.System.ID),
		Date:           date,
		Owner:          m.System.Document.Owner,
		Classification: m.System.Document.Classification,
	}
	reg := a.Register
	if reg == nil {
		reg = &threat.Register{}
	}

	risks := indexRisks(a)
	views, err := viewsSection(ctx, m, r)
	if err != nil {
		return nil, err
	}
	doc.Sections = []*Section{
		documentControl(doc, m),
		scope(m),
		assumptions(m),
		methodology(a, reg),
		views,
		inventory(m, reg),
		controls(m),
		register(m, reg, risks),
		riskSection(m, reg, risks),
		coverage(reg),
		vulnerabilities(a, reg),
		issues(m),
		reviews(a),
	}
	// Number the sections before the conformance matrix and the audit
	// statement are built, because both refer to other sections by number.
	doc.number()
	doc.Sections = append(doc.Sections, conformanceSection(doc, a))
	doc.number()
	doc.Sections = append(doc.Sections, auditStatement(doc, a))
	doc.number()
	return doc, nil
}

func documentControl(doc *Document, m *model.Model) *Section {
	s := sec(assessment.SectionDocumentControl)
	sys := m.System
	s.Blocks = append(s.Blocks, &Table{
		Header: []string{"Field", "Value"},
		Widths: []float64{1, 3},
		Rows: nonEmptyRows([][]string{
			{"Document ID", sys.Document.ID},
			{"Document version", sys.Document.Version},
			{"Title", doc.Title},
			{"Owner", sys.Document.Owner},
			{"Classification", sys.Document.Classification},
			{"System", fmt.Sprintf("%s (%s)", doc.SystemName, sys.ID)},
			{"System version", sys.Version},
			{"Manufacturer", sys.Manufacturer},
			{"Lifecycle", sys.Lifecycle},
			{"Released", string(sys.Released)},
			{"Assessment date", doc.Date},
		}),
	})

	history := &Table{
		Caption: "Revision history, from the review records",
		Header:  []string{"Date", "Version", "Kind", "Outcome", "Reviewers", "Notes"},
		Widths:  []float64{1, 0.8, 1.2, 1.2, 2, 3},
		Empty:   "The model records no reviews yet, so the document has no revision history.",
	}
	for _, r := range sortedReviews(m) {
		history.Rows = append(history.Rows, []string{string(r.Date), r.Version, r.Kind, r.Outcome, reviewers(r), r.Notes})
	}
	s.Blocks = append(s.Blocks, history)
	return s
}

func scope(m *model.Model) *Section {
	s := sec(assessment.SectionScope)
	sys := m.System
	if sys.Description != "" {
		s.Blocks = append(s.Blocks, &Paragraph{Text: sys.Description})
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Intended use: " + cmpOr(sys.IntendedUse, "not stated in the model.")})
	if len(sys.Environments) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Environments of use:"}, &List{Items: sys.Environments})
	} else {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Environments of use: not stated in the model."})
	}

	out := &Table{
		Caption: "Items out of scope",
		Header:  []string{"Item", "Kind", "Reason"},
		Widths:  []float64{1.5, 1, 4},
		Empty:   "Every element, flow and interface of the model is in scope.",
	}
	for _, e := range m.Elements {
		if e.Scope.Out {
			out.Rows = append(out.Rows, []string{e.ID, e.Kind, e.Scope.Reason})
		}
	}
	for _, f := range m.Flows {
		if f.Scope.Out {
			out.Rows = append(out.Rows, []string{f.ID, "flow", f.Scope.Reason})
		}
	}
	for _, i := range m.Interfaces {
		if i.Scope.Out {
			out.Rows = append(out.Rows, []string{i.ID, "interface", i.Scope.Reason})
		}
	}
	s.Blocks = append(s.Blocks, out)
	return s
}

func assumptions(m *model.Model) *Section {
	s := sec(assessment.SectionAssumptions)
	t := &Table{
		Header: []string{"ID", "Assumption"},
		Widths: []float64{1, 6},
		Empty:  "The model states no assumptions.",
	}
	for _, a := range m.Assumptions {
		t.Rows = append(t.Rows, []string{a.ID, a.Text})
	}
	s.Blocks = append(s.Blocks, t)
	return s
}

// methodDocs describes each identification method for the methodology
// section, in Ward's own words.
var methodDocs = map[string]string{
	threat.MethodSTRIDE:        "STRIDE applied to each process, store, external entity and flow, by the categories that apply to its kind",
	threat.MethodInteraction:   "STRIDE applied to each interaction, a flow together with the elements at its ends and the trust boundaries it crosses",
	threat.MethodRules:         "Ward's rule library of attack patterns for connected medical devices, each rule citing CAPEC, CWE, ATT&CK and EMB3D IDs",
	threat.MethodPrivacy:       "LINDDUN privacy threats against personal and health data",
	threat.MethodVulnerability: "known vulnerabilities of the dependencies, matched from the SBOM against OSV records",
	threat.MethodManual:        "threats written by hand in the model by the product team",
}

func methodology(a *assessment.Assessment, reg *threat.Register) *Section {
	s := sec(assessment.SectionMethodology)
	m := a.Model
	s.Blocks = append(s.Blocks, &Paragraph{Text: "Rationale: " + cmpOr(m.System.Methodology, "the model states no rationale for its methods.")})

	found := map[string]int{}
	for _, t := range reg.Threats {
		for _, f := range t.Findings {
			found[f.Method]++
		}
	}
	methods := a.Methods
	if len(methods) == 0 {
		methods = threat.MethodNames()
	}
	t := &Table{
		Caption: "Identification methods used",
		Header:  []string{"Method", "Description", "Findings"},
		Widths:  []float64{1.5, 5, 1},
	}
	notRun := map[string]string{}
	for _, n := range a.MethodsNotRun {
		notRun[n.Method] = n.Reason
	}
	for _, name := range methods {
		count := fmt.Sprint(found[name])
		if reason, ok := notRun[name]; ok {
			// Zero findings from a method without input show nothing
			// about the product, so the table gives the reason instead.
			count = "not run: " + reason
		}
		t.Rows = append(t.Rows, []string{name, cmpOr(methodDocs[name], "-"), count})
	}
	s.Blocks = append(s.Blocks, t)

	s.Blocks = append(s.Blocks, &Paragraph{Text: "Each threat is identified by the ID <rule>@<target>, which stays the same across runs, so the dispositions in the model and the review records keep pointing at the same threat. A threat that several methods found lists every method and the catalog entries they cite."},
		&Paragraph{Text: "The Findings column counts findings, not threats. A threat that several methods found counts once under each of them, and a threat that one method found through several rules counts once per rule, while the threat register lists each merged threat once. So the column can add up to more than the register's threats, and it can differ from the threats per method that the method.diversity requirement of the conformance matrix counts."})
	if len(a.Tool) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Computed by Ward " + a.Tool + "."})
	}
	return s
}

func viewsSection(ctx context.Context, m *model.Model, r *diagram.Renderer) (*Section, error) {
	s := sec(assessment.SectionViews)
	s.Blocks = append(s.Blocks, &Paragraph{Text: "The views below are derived from the model each time the document is produced: external entities are drawn as shaded rectangles, processes as rounded boxes, data stores as open-ended boxes and trust boundaries as dashed frames. Each flow is labelled with its name, protocol and data categories. Ports and board connections are listed on the element that exposes them, and debug ports carry a red DEBUG marker."})
	for _, v := range diagram.Views(m) {
		fig := &Figure{View: v}
		if v.Graph != nil && r != nil {
			// One layout serves both the SVG of the HTML report and the
			// PDF's native drawing.
			drawing, err := r.Layout(ctx, v.Graph)
			if errors.Is(err, diagram.ErrLayoutTimeout) || errors.Is(err, diagram.ErrEmptyLayout) || errors.Is(err, diagram.ErrLayoutFailed) {
				omitKey, _, _ := strings.Cut(v.Name, ":")
				return nil, fmt.Errorf("drawing view %s: %w; omit the view under views.omit.%s in the model, or export it with ward diagram --view %s --format dot and lay it out with an installed Graphviz", v.Name, err, omitKey, v.Name)
			}
			if err != nil {
				return nil, fmt.Errorf("drawing view %s: %w", v.Name, err)
			}
			fig.SVG, fig.Drawing = drawing.SVG(v.Title, "fig-"+v.Slug()), drawing
		}
		if v.Graph != nil {
			fig.Mermaid = diagram.Mermaid(v.Graph)
		}
		sub := &Section{Key: "view-" + v.Slug(), Title: v.Title}
		sub.Blocks = append(sub.Blocks, &Paragraph{Text: v.Summary, Note: v.Graph == nil}, fig)
		s.Subs = append(s.Subs, sub)
	}
	return s, nil
}

func sec(s assessment.Section) *Section {
	return &Section{Key: s.ID, Title: s.Title}
}

func sortedReviews(m *model.Model) []model.Review {
	out := slices.Clone(m.Reviews)
	slices.SortStableFunc(out, func(a, b model.Review) int { return strings.Compare(string(a.Date), string(b.Date)) })
	return out
}

func reviewers(r model.Review) string {
	var names []string
	for _, p := range r.Reviewers {
		if p.Role != "" {
			names = append(names, p.Name+" ("+p.Role+")")
		} else {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}

// nonEmptyRows drops key-value rows whose value is empty.
func nonEmptyRows(rows [][]string) [][]string {
	var out [][]string
	for _, r := range rows {
		if r[1] != "" {
			out = append(out, r)
		}
	}
	return out
}

func cmpOr(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "not stated"
	case *b:
		return "yes"
	default:
		return "no"
	}
}
