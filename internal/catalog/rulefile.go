package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// TargetKinds are the kinds of target a rule can apply to, in the order the
// threat register lists them.
var TargetKinds = []string{"process", "store", "entity", "flow", "interface", "dependency", "boundary", "system"}

// Reference ID forms accepted in rule files.
var (
	ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z0-9]+(-[a-z0-9]+)*)+$`)
	capecPattern  = regexp.MustCompile(`^CAPEC-[1-9][0-9]*$`)
	cwePattern    = regexp.MustCompile(`^CWE-[1-9][0-9]*$`)
	attackPattern = regexp.MustCompile(`^T[0-9]{4}(\.[0-9]{3})?$`)
	emb3dPattern  = regexp.MustCompile(`^TID-[0-9]{3}$`)
)

var (
	fileKeys      = []string{"rules"}
	ruleKeys      = []string{"id", "title", "description", "applies_to", "when", "stride", "also", "impact", "vector", "phase", "controls", "references", "residual"}
	impactKeys    = []string{"confidentiality", "integrity", "availability"}
	referenceKeys = []string{"capec", "cwe", "attack", "emb3d"}
	residualKeys  = []string{"when", "title", "impact"}
)

// parseRuleFile decodes and checks one rule file. It returns every rule it
// could read, including rules with errors so that a caller can still report
// duplicate IDs, and separately the rules that have errors; diags receives
// the problems.
func parseRuleFile(file string, src []byte, diags *diag.List) (rules, invalid []*Rule) {
	if len(src) > MaxRuleFileSize {
		diags.Add(diag.Pos{File: file}, "too-large", "",
			fmt.Sprintf("the file is %d bytes, more than the %d a rule file may have", len(src), MaxRuleFileSize),
			"split the rules over several files")
		return nil, nil
	}
	body := parseYAML(file, src, diags)
	if body == nil {
		return nil, nil
	}
	d := &yamlDoc{file: file, diags: diags, anchors: map[string]ast.Node{}}
	if !d.collectAnchors(body) {
		return nil, nil
	}
	first := len(*diags)
	defer capDiagnostics(diags, first)
	root, ok := d.asMapping(body, "", 0)
	if !ok {
		return nil, nil
	}
	d.unknownKeys(root, "", fileKeys)
	rulesNode, ok := root.values["rules"]
	if !ok {
		diags.Add(nodePos(file, root.node), "missing-key", "",
			"the file has no rules: key", "list the rules under rules:")
		return nil, nil
	}
	items, ok := d.asSequence(rulesNode, "rules", 1)
	if !ok {
		return nil, nil
	}
	for i, it := range items {
		before := len(diags.Errors())
		r := d.rule(it, fmt.Sprintf("rules[%d]", i))
		if r == nil {
			continue
		}
		rules = append(rules, r)
		if len(diags.Errors()) > before {
			invalid = append(invalid, r)
		}
	}
	return rules, invalid
}

// maxFileDiagnostics is the most diagnostics reported for one file; past it
// the rest are summarised in one line, since they are mostly consequences of
// the first ones.
const maxFileDiagnostics = 100

// capDiagnostics trims the diagnostics added since first to
// maxFileDiagnostics and says how many were dropped.
func capDiagnostics(diags *diag.List, first int) {
	added := (*diags)[first:]
	if len(added) <= maxFileDiagnostics {
		return
	}
	dropped := len(added) - maxFileDiagnostics
	last := added[maxFileDiagnostics-1].Pos
	*diags = (*diags)[:first+maxFileDiagnostics]
	diags.Add(last, "too-many-errors", "", fmt.Sprintf("and %d more problems in this file", dropped),
		"fix the ones above and load the file again")
}

// unknownKeys reports keys of m that are not in allowed, suggesting the
// closest allowed key.
func (d *yamlDoc) unknownKeys(m *mapping, path string, allowed []string) {
	for _, k := range m.keys {
		if slices.Contains(allowed, k) {
			continue
		}
		fix := "allowed keys: " + strings.Join(allowed, ", ")
		if near := diag.Closest(k, allowed); near != "" {
			fix = "did you mean " + near + "?"
		}
		d.diags.Add(m.keyPos[k], "unknown-key", join(path, k), fmt.Sprintf("unknown key %s", k), fix)
	}
}

// rule decodes one rule mapping.
func (d *yamlDoc) rule(n ast.Node, path string) *Rule {
	m, ok := d.asMapping(n, path, 2)
	if !ok {
		return nil
	}
	r := &Rule{Pos: nodePos(d.file, m.node)}
	if len(m.keys) > 0 {
		r.Pos = m.keyPos[m.keys[0]]
	}
	d.unknownKeys(m, path, ruleKeys)

	required := func(key string) (ast.Node, bool) {
		v, ok := m.values[key]
		if !ok {
			d.diags.Add(r.Pos, "missing-key", join(path, key), fmt.Sprintf("the rule has no %s", key),
				"add "+key+": to the rule")
		}
		return v, ok
	}

	if v, ok := required("id"); ok {
		if s, pos, ok := d.str(v, join(path, "id"), 3); ok {
			r.ID = s
			if !ruleIDPattern.MatchString(s) {
				d.diags.Add(pos, "invalid-id", join(path, "id"),
					fmt.Sprintf("rule ID %q is not a lower-case dotted name", s),
					"write a family and a name such as proc.input-parsing (letters, digits and hyphens)")
			}
		}
	}
	if v, ok := required("title"); ok {
		if s, pos, ok := d.str(v, join(path, "title"), 3); ok {
			r.Title = s
			d.checkTitle(s, pos, join(path, "title"))
		}
	}

	targetsOK := false
	if v, ok := required("applies_to"); ok {
		vals, pos := d.strList(v, join(path, "applies_to"), 3)
		targetsOK = len(vals) > 0
		for i, t := range vals {
			if !slices.Contains(TargetKinds, t) {
				targetsOK = false
				d.diags.Add(pos[i], "unknown-value", fmt.Sprintf("%s.applies_to[%d]", path, i),
					fmt.Sprintf("unknown target kind %q", t), suggest(t, TargetKinds))
				continue
			}
			if slices.Contains(r.AppliesTo, t) {
				d.diags.Warn(pos[i], "duplicate-value", fmt.Sprintf("%s.applies_to[%d]", path, i),
					fmt.Sprintf("target kind %s is listed twice", t), "remove the second one")
				continue
			}
			r.AppliesTo = append(r.AppliesTo, t)
		}
		if len(vals) == 0 && len(pos) == 0 {
			d.diags.Add(nodePos(d.file, v), "missing-value", join(path, "applies_to"),
				"applies_to lists no target kinds", "list one or more of "+strings.Join(TargetKinds, ", "))
		}
	}
	// Fact checks need the target kinds; with a broken applies_to they
	// would only repeat that problem.
	targets := r.AppliesTo
	if !targetsOK {
		targets = nil
	}

	if v, ok := required("description"); ok {
		if s, pos, ok := d.str(v, join(path, "description"), 3); ok {
			r.Description = s
			if targets != nil {
				d.checkPlaceholders(s, pos, join(path, "description"), targets)
			}
		}
	}

	if v, ok := m.values["when"]; ok {
		r.When = d.condition(v, join(path, "when"), 3, targets)
	}

	if v, ok := required("stride"); ok {
		if s, pos, ok := d.str(v, join(path, "stride"), 3); ok {
			r.STRIDE = s
			d.checkVocab(s, pos, join(path, "stride"), "STRIDE category", model.STRIDECategories)
		}
	}
	if v, ok := m.values["also"]; ok {
		vals, pos := d.strList(v, join(path, "also"), 3)
		for i, s := range vals {
			p := fmt.Sprintf("%s.also[%d]", path, i)
			if d.checkVocab(s, pos[i], p, "STRIDE category", model.STRIDECategories) && s == r.STRIDE {
				d.diags.Warn(pos[i], "duplicate-value", p,
					fmt.Sprintf("%s is already the rule's main STRIDE category", s), "remove it from also")
			}
		}
		r.Also = vals
	}

	if v, ok := required("impact"); ok {
		r.Impact = d.impact(v, join(path, "impact"))
	}
	if v, ok := required("vector"); ok {
		if s, pos, ok := d.str(v, join(path, "vector"), 3); ok {
			r.Vector = s
			d.checkVocab(s, pos, join(path, "vector"), "attack vector", model.AttackVectors)
		}
	}
	if v, ok := m.values["phase"]; ok {
		if s, pos, ok := d.str(v, join(path, "phase"), 3); ok {
			r.Phase = s
			d.checkVocab(s, pos, join(path, "phase"), "lifecycle phase", model.LifecyclePhases)
		}
	}
	if v, ok := m.values["controls"]; ok {
		vals, pos := d.strList(v, join(path, "controls"), 3)
		for i, s := range vals {
			d.checkVocab(s, pos[i], fmt.Sprintf("%s.controls[%d]", path, i), "FDA control category", model.ControlCategories)
		}
		r.Controls = vals
	}
	if v, ok := m.values["references"]; ok {
		r.References = d.references(v, join(path, "references"))
	}
	if v, ok := m.values["residual"]; ok {
		r.Residual = d.residual(v, join(path, "residual"), targets)
	}
	return r
}

// checkTitle warns about titles that do not read like the others.
func (d *yamlDoc) checkTitle(s string, pos diag.Pos, path string) {
	switch {
	case strings.TrimSpace(s) == "":
		d.diags.Add(pos, "missing-value", path, "the title is empty", "write a short phrase")
	case strings.HasSuffix(s, "."):
		d.diags.Warn(pos, "title-style", path, fmt.Sprintf("title %q ends with a period", s),
			"titles are short phrases without a final period")
	case strings.ContainsAny(s, "{}"):
		d.diags.Add(pos, "title-style", path, fmt.Sprintf("title %q contains braces", s),
			"placeholders work only in the description")
	}
}

// checkVocab reports s when v lacks it and returns whether it is known.
func (d *yamlDoc) checkVocab(s string, pos diag.Pos, path, what string, v model.Vocabulary) bool {
	if v.Has(s) {
		return true
	}
	d.diags.Add(pos, "unknown-value", path, fmt.Sprintf("unknown %s %q", what, s), suggest(s, v.IDs()))
	return false
}

// impact decodes an impact mapping; all three keys are required.
func (d *yamlDoc) impact(n ast.Node, path string) Impact {
	var out Impact
	m, ok := d.asMapping(n, path, 3)
	if !ok {
		return out
	}
	d.unknownKeys(m, path, impactKeys)
	fields := map[string]*string{
		"confidentiality": &out.Confidentiality,
		"integrity":       &out.Integrity,
		"availability":    &out.Availability,
	}
	for _, k := range impactKeys {
		v, ok := m.values[k]
		if !ok {
			d.diags.Add(nodePos(d.file, m.node), "missing-key", join(path, k),
				fmt.Sprintf("the impact has no %s", k), "add "+k+": none, low, medium or high")
			continue
		}
		if s, pos, ok := d.str(v, join(path, k), 4); ok {
			*fields[k] = s
			d.checkVocab(s, pos, join(path, k), "level", model.Levels)
		}
	}
	return out
}

// references decodes and checks a references mapping.
func (d *yamlDoc) references(n ast.Node, path string) References {
	var out References
	m, ok := d.asMapping(n, path, 3)
	if !ok {
		return out
	}
	d.unknownKeys(m, path, referenceKeys)
	forms := map[string]struct {
		dst     *[]string
		pattern *regexp.Regexp
		example string
	}{
		"capec":  {&out.CAPEC, capecPattern, "CAPEC-94"},
		"cwe":    {&out.CWE, cwePattern, "CWE-306"},
		"attack": {&out.ATTACK, attackPattern, "T0830 or T1078.001"},
		"emb3d":  {&out.EMB3D, emb3dPattern, "TID-119"},
	}
	for _, k := range referenceKeys {
		v, ok := m.values[k]
		if !ok {
			continue
		}
		f := forms[k]
		vals, pos := d.strList(v, join(path, k), 4)
		seen := map[string]bool{}
		for i, s := range vals {
			p := fmt.Sprintf("%s.%s[%d]", path, k, i)
			if !f.pattern.MatchString(s) {
				d.diags.Add(pos[i], "invalid-reference", p,
					fmt.Sprintf("%q is not a well-formed %s ID", s, k), "write it like "+f.example)
				continue
			}
			if seen[s] {
				d.diags.Warn(pos[i], "duplicate-value", p, fmt.Sprintf("%s is listed twice", s), "remove the second one")
				continue
			}
			seen[s] = true
			*f.dst = append(*f.dst, s)
		}
	}
	return out
}

// residual decodes the weaker variant of a rule.
func (d *yamlDoc) residual(n ast.Node, path string, targets []string) *Residual {
	m, ok := d.asMapping(n, path, 3)
	if !ok {
		return nil
	}
	d.unknownKeys(m, path, residualKeys)
	out := &Residual{}
	if v, ok := m.values["when"]; ok {
		out.When = d.condition(v, join(path, "when"), 4, targets)
	} else {
		d.diags.Add(nodePos(d.file, m.node), "missing-key", join(path, "when"),
			"the residual variant has no when: condition", "say which facts select the weaker variant")
	}
	if v, ok := m.values["title"]; ok {
		if s, pos, ok := d.str(v, join(path, "title"), 4); ok {
			out.Title = s
			d.checkTitle(s, pos, join(path, "title"))
		}
	}
	if v, ok := m.values["impact"]; ok {
		out.Impact = d.impact(v, join(path, "impact"))
	} else {
		d.diags.Add(nodePos(d.file, m.node), "missing-key", join(path, "impact"),
			"the residual variant has no impact", "give the lowered confidentiality, integrity and availability impact")
	}
	return out
}

// placeholderPattern finds {name} placeholders in descriptions.
var placeholderPattern = regexp.MustCompile(`\{([^{}]*)\}`)

// placeholderRelations are the dotted placeholder prefixes of description
// templates: {of.name} is the element an interface belongs to, {from.name}
// and {to.name} the ends of a flow, {boundary.name} an element's innermost
// trust boundary. Each maps the target kinds it is allowed on to the kinds
// the related target can have.
var placeholderRelations = map[string]struct {
	on      []string
	related []string
}{
	"of":       {[]string{"interface"}, []string{"process", "store", "entity"}},
	"from":     {[]string{"flow"}, []string{"process", "store", "entity"}},
	"to":       {[]string{"flow"}, []string{"process", "store", "entity"}},
	"boundary": {[]string{"process", "store", "entity"}, []string{"boundary"}},
}

// checkPlaceholders reports placeholders that are not a fact defined on
// every target kind of the rule, or a relation.fact placeholder that does
// not fit them.
func (d *yamlDoc) checkPlaceholders(s string, pos diag.Pos, path string, targets []string) {
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if err := checkPlaceholder(name, targets); err != nil {
			d.diags.Add(pos, "unknown-placeholder", path,
				fmt.Sprintf("placeholder {%s}: %s", name, err.summary), err.fix)
		}
	}
}

func checkPlaceholder(name string, targets []string) *factError {
	rel, fact, dotted := strings.Cut(name, ".")
	r, isRelation := placeholderRelations[rel]
	if !dotted || !isRelation {
		_, err := factFor(name, targets)
		return err
	}
	for _, t := range targets {
		if !slices.Contains(r.on, t) {
			return &factError{
				fmt.Sprintf("{%s.…} is not available on %s targets", rel, t),
				fmt.Sprintf("%s.FACT placeholders work on %s", rel, strings.Join(r.on, ", ")),
			}
		}
	}
	if strings.HasPrefix(fact, AttributePrefix) && len(fact) > len(AttributePrefix) {
		return nil
	}
	f, ok := FactByName(fact)
	if !ok {
		return &factError{fmt.Sprintf("unknown fact %q", fact), suggest(fact, factNames())}
	}
	for _, k := range r.related {
		if slices.Contains(f.Targets, k) {
			return nil
		}
	}
	return &factError{
		fmt.Sprintf("fact %s is not defined for %s", fact, strings.Join(r.related, ", ")),
		"name a fact of the related target",
	}
}
