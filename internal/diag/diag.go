// Package diag defines the diagnostic value that every reader of user input
// returns: a severity, a stable code, a summary, a fix and a source position.
//
// Models, rule files, SBOMs, OSV records and imported threat models all report
// their problems as a List, so the command line prints them the same way:
// one per line as file:line:col, sorted, editors can jump to them.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in a source file. Line and Col count from 1; Offset is the
// byte offset from the start of the file. The zero Pos means "unknown".
type Pos struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Col    int    `json:"col,omitempty"`
	Offset int    `json:"offset,omitempty"`
}

// IsValid reports whether p names a line in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats p as file:line:col, the form editors and CI annotations parse.
func (p Pos) String() string {
	switch {
	case p.File == "" && !p.IsValid():
		return "-"
	case !p.IsValid():
		return p.File
	case p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	default:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
}

// Severity is whether a diagnostic makes the input unusable.
type Severity int

const (
	// Error marks input that cannot be used as written.
	Error Severity = iota
	// Warning marks input that is usable but probably not what the author meant.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem found in user input.
type Diagnostic struct {
	Severity Severity `json:"-"`
	// Code is a stable, kebab-case identifier such as unknown-key or dangling-ref.
	Code string `json:"code"`
	// Path is the field path in the user's terms, for example flows[3].to.
	Path string `json:"path,omitempty"`
	// Summary is what is wrong, naming the offending value.
	Summary string `json:"summary"`
	// Fix is what to do about it. It is empty when the summary already names the fix.
	Fix string `json:"fix,omitempty"`
	Pos Pos    `json:"pos"`
	// Related points at other places that explain the problem, such as the
	// first definition of a duplicated ID.
	Related []Pos `json:"related,omitempty"`
}

// Error formats d as "file:line:col: path: summary (fix)".
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos.String())
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Summary)
	if d.Fix != "" {
		b.WriteString("; ")
		b.WriteString(d.Fix)
	}
	return b.String()
}

// List collects diagnostics. The zero List is empty and ready to use.
type List []Diagnostic

// Add appends an error diagnostic.
func (l *List) Add(pos Pos, code, path, summary, fix string) {
	*l = append(*l, Diagnostic{Severity: Error, Code: code, Path: path, Summary: summary, Fix: fix, Pos: pos})
}

// Warn appends a warning diagnostic.
func (l *List) Warn(pos Pos, code, path, summary, fix string) {
	*l = append(*l, Diagnostic{Severity: Warning, Code: code, Path: path, Summary: summary, Fix: fix, Pos: pos})
}

// Sort orders the list by file, line, column and then message, so output is
// deterministic whatever order the checks ran in.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Summary, b.Summary),
		)
	})
}

// HasErrors reports whether any diagnostic has Error severity.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns only the diagnostics of Error severity.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the list as an error when it holds at least one error, and nil
// otherwise; warnings alone never make Err non-nil.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Error joins the diagnostics one per line.
func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}
