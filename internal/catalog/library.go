package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/wardtm/ward/internal/diag"
)

//go:embed rules/*.yaml
var builtinFS embed.FS

// BuiltinPrefix starts the File of every built-in rule's position.
const BuiltinPrefix = "builtin:"

// Library is a set of rules with unique IDs, sorted by ID.
type Library struct {
	Rules []*Rule
	byID  map[string]*Rule
}

// Rule returns the rule with the given ID.
func (l *Library) Rule(id string) (*Rule, bool) {
	r, ok := l.byID[id]
	return r, ok
}

// Len returns the number of rules.
func (l *Library) Len() int { return len(l.Rules) }

// Families returns the family prefixes of the library's rules, sorted.
func (l *Library) Families() []string {
	var out []string
	for _, r := range l.Rules {
		if f := r.Family(); !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// Family returns the rule's family, the part of its ID before the first dot.
func (r *Rule) Family() string {
	f, _, _ := strings.Cut(r.ID, ".")
	return f
}

// Builtin returns the rule library embedded in the binary. The files are
// parsed once; every call returns a new Library sharing the same read-only
// rules, so a caller may Merge into it.
func Builtin() (*Library, error) {
	rules, err := builtinRules()
	if err != nil {
		return nil, err
	}
	l := &Library{}
	for _, r := range rules {
		l.add(r)
	}
	l.sort()
	return l, nil
}

var builtinRules = sync.OnceValues(func() ([]*Rule, error) {
	var diags diag.List
	rules := loadFS(builtinFS, "rules", BuiltinPrefix, &diags)
	checkDuplicates(rules, &diags)
	if len(diags) > 0 {
		diags.Sort()
		return nil, fmt.Errorf("built-in rule library is invalid:\n%w", diags)
	}
	return rules, nil
})

// BuiltinFiles returns the names of the embedded rule files, sorted.
func BuiltinFiles() []string {
	entries, _ := fs.ReadDir(builtinFS, "rules")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// loadFS parses every .yaml file of dir in fsys.
func loadFS(fsys fs.FS, dir, prefix string, diags *diag.List) []*Rule {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		diags.Add(diag.Pos{File: prefix + dir}, "unreadable", "", err.Error(), "")
		return nil
	}
	var rules []*Rule
	for _, e := range entries {
		if e.IsDir() || !isRuleFile(e.Name()) {
			continue
		}
		src, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			diags.Add(diag.Pos{File: prefix + e.Name()}, "unreadable", "", err.Error(), "")
			continue
		}
		parsed, _ := parseRuleFile(prefix+e.Name(), src, diags)
		rules = append(rules, parsed...)
	}
	return rules
}

func isRuleFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// LoadFiles reads users' rule files. Each path is a file or a folder; a
// folder contributes its *.yaml and *.yml files (not those of subfolders),
// in name order. The returned library holds every valid rule; diagnostics
// report each problem, including unreadable files and rule IDs used twice.
func LoadFiles(paths []string) (*Library, diag.List) {
	var diags diag.List
	var rules []*Rule
	invalid := map[*Rule]bool{}
	for _, p := range paths {
		for _, file := range expandPath(p, &diags) {
			src, err := readLimited(file, MaxRuleFileSize)
			if err != nil {
				diags.Add(diag.Pos{File: file}, "unreadable", "", err.Error(), "check the path given with --rules or rules:")
				continue
			}
			parsed, bad := parseRuleFile(file, src, &diags)
			rules = append(rules, parsed...)
			for _, r := range bad {
				invalid[r] = true
			}
		}
	}
	checkDuplicates(rules, &diags)

	l := &Library{}
	for _, r := range rules {
		if _, dup := l.byID[r.ID]; dup || r.ID == "" || invalid[r] {
			continue
		}
		l.add(r)
	}
	l.sort()
	diags.Sort()
	return l, diags
}

// expandPath returns the rule files p names.
func expandPath(p string, diags *diag.List) []string {
	info, err := os.Stat(p)
	if err != nil {
		diags.Add(diag.Pos{File: p}, "unreadable", "", "cannot read rule path: "+unwrapPathError(err),
			"check the path given with --rules or rules:")
		return nil
	}
	if !info.IsDir() {
		return []string{p}
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		diags.Add(diag.Pos{File: p}, "unreadable", "", "cannot list rule folder: "+unwrapPathError(err), "")
		return nil
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && isRuleFile(e.Name()) {
			files = append(files, filepath.Join(p, e.Name()))
		}
	}
	if len(files) == 0 {
		diags.Warn(diag.Pos{File: p}, "no-rule-files", "", "the folder holds no .yaml or .yml files", "")
	}
	return files
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readLimited reads a file of at most limit bytes.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, errors.New(unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("the file is larger than %d bytes", limit)
	}
	return data, nil
}

// checkDuplicates reports every rule whose ID an earlier rule already uses.
func checkDuplicates(rules []*Rule, diags *diag.List) {
	first := map[string]*Rule{}
	for _, r := range rules {
		if r.ID == "" {
			continue
		}
		if f, ok := first[r.ID]; ok {
			diags.Add(r.Pos, "duplicate-id", "", fmt.Sprintf("rule ID %s is already used at %s", r.ID, f.Pos),
				"give the rule another ID, or remove one of the two")
			(*diags)[len(*diags)-1].Related = []diag.Pos{f.Pos}
			continue
		}
		first[r.ID] = r
	}
}

// Merge adds the rules of o to l. A rule whose ID l already has is not
// added and is reported, pointing at both definitions.
func (l *Library) Merge(o *Library) diag.List {
	var diags diag.List
	if o == nil {
		return nil
	}
	for _, r := range o.Rules {
		if prev, ok := l.byID[r.ID]; ok {
			diags.Add(r.Pos, "duplicate-id", "", fmt.Sprintf("rule ID %s is already used at %s", r.ID, prev.Pos),
				"choose an ID the built-in library does not use, for example with your organisation's prefix")
			diags[len(diags)-1].Related = []diag.Pos{prev.Pos}
			continue
		}
		l.add(r)
	}
	l.sort()
	diags.Sort()
	return diags
}

func (l *Library) add(r *Rule) {
	if l.byID == nil {
		l.byID = map[string]*Rule{}
	}
	l.byID[r.ID] = r
	l.Rules = append(l.Rules, r)
}

func (l *Library) sort() {
	slices.SortFunc(l.Rules, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
}
