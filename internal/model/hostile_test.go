package model

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// aliasBomb is the "billion laughs" document: nine levels of nine aliases,
// 9^9 nodes when expanded.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("ward: 1\nx-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("x-" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// wideMapping returns a mapping of n keys under the key m. With anchor
// set, an anchored line comes first, so the file takes the full YAML
// parser.
func wideMapping(n int, anchor bool) string {
	var b strings.Builder
	if anchor {
		b.WriteString("x-a: &a 1\n")
	}
	b.WriteString("m:\n")
	for i := range n {
		fmt.Fprintf(&b, "  k%d: v\n", i)
	}
	return b.String()
}

func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("a:\n")
	}
	return b.String()
}

// TestParseHostile feeds inputs meant to exhaust or crash a parser and
// checks that each gets its own clear diagnostic at the right place.
func TestParseHostile(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		maxSize int64
		code    string
		pos     string // file:line:col, or file alone for whole-file problems
		summary string // a substring of the summary
	}{
		{"alias bomb", aliasBomb(), 0, "alias-limit", "h.yaml:8:11", "alias expansion exceeds 1000000 nodes"},
		{"alias to itself", "ward: 1\nx-a: &a [1, *a]\n", 0, "alias-cycle", "h.yaml:2:13", "refers to its own anchor"},
		{"deep flow nesting", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), 0, "too-deep", "h.yaml:1:65", "deeper than 64 levels"},
		{"flow nesting unclosed", strings.Repeat("[", 100_000), 0, "too-deep", "h.yaml:1:65", "deeper than 64 levels"},
		{"deep block nesting", deepBlock(10000), 0, "too-deep", "h.yaml:65:65", "deeper than 64 levels"},
		{"deep compact sequence", strings.Repeat("- ", 100) + "x\n", 0, "too-deep", "h.yaml:1:129", "deeper than 64 levels"},
		{"deep block nesting within the parser", deepBlock(64), 0, "too-deep", "h.yaml:64:64", "deeper than 64 levels"},
		{"deep through an alias", "x-a: &a " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\nx-b: " + strings.Repeat("[", 30) + "*a" + strings.Repeat("]", 30) + "\n", 0, "too-deep", "h.yaml:2:36", "alias *a makes the nesting deeper"},
		{"oversize", "ward: 1\n" + strings.Repeat("# padding\n", 200), 1000, "file-too-large", "h.yaml", "over the limit of 1000 bytes"},
		{"binary garbage", "ward: 1\n\x7fELF\x02\x01\x01\x00\x00", 0, "binary-content", "h.yaml:2:8", "NUL byte"},
		{"invalid UTF-8", "ward: 1\nsystem:\n  name: caf\xe9\n", 0, "invalid-utf8", "h.yaml:3:12", "0xE9"},
		{"UTF-16", "\xff\xfew\x00a\x00", 0, "invalid-utf8", "h.yaml:1:1", "UTF-16"},
		{"control character", "ward: 1\nsystem: {name: a\x01b}\n", 0, "control-character", "h.yaml:2:17", "U+0001"},
		{"two documents", "ward: 1\n---\nward: 1\n", 0, "multiple-documents", "h.yaml:2:1", "more than one YAML document"},
		{"custom tag", "ward: 1\nsystem: !pump {id: x}\n", 0, "unsupported-tag", "h.yaml:2:9", "tag !pump"},
		{"empty file", "", 0, "empty-file", "h.yaml:1:1", "no YAML document"},
		{"comments only", "# nothing here\n", 0, "empty-file", "h.yaml:1:1", "no YAML document"},
		{"syntax error", "ward: 1\nsystem:\n  id: a\n   name: b: c\n", 0, "syntax-error", "h.yaml:3:7", "invalid YAML"},
		{"unclosed flow", "ward: 1\nelements: [a, b\n", 0, "syntax-error", "h.yaml:2:11", "']' not found"},
		{"dedented key", "ward: 1\nsystem:\n  id: a\n name: b\n", 0, "syntax-error", "h.yaml:4:2", "invalid YAML"},
		{"unknown alias", "ward: 1\nsystem: *sys\n", 0, "syntax-error", "h.yaml:2:9", "alias *sys names no anchor"},
		{"tab indentation", "ward: 1\nsystem:\n\tid: a\n", 0, "syntax-error", "h.yaml:3:1", "invalid YAML"},
		{"wide mapping", wideMapping(1001, true), 0, "too-many-keys", "h.yaml:1003:3", "more than 1000 keys"},
		{"wide mapping on the fast path", wideMapping(1001, false), 0, "too-many-keys", "h.yaml:1002:3", "more than 1000 keys"},
		{"wide mapping with anchored keys", "x-a: &a 1\nm:\n" + strings.Repeat("  &k a: 1\n  b: 2\n", 501), 0, "too-many-keys", "h.yaml:1003:3", "more than 1000 keys"},
		{"wide explicit mapping", "x-a: &a 1\n" + strings.Repeat("? a\n: b\n", 1001), 0, "too-many-keys", "h.yaml:2000:1", "more than 1000 keys"},
		{"unclosed flow in a large file", strings.Repeat("- {id: a, name: b}\n", 20_000) + "  bad: [\n", 0, "syntax-error", "h.yaml:20001:8", "']' not found"},
		{"top level is a list", "- ward: 1\n", 0, "wrong-type", "h.yaml:1:1", "must be a mapping of keys such as ward and system, found a list"},
		{"mapping as key", "ward: 1\n? {a: b}\n: c\n", 0, "invalid-key", "h.yaml:2:3", "mapping key is a mapping, not a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("h.yaml", []byte(tt.src), LoadOptions{MaxFileSize: tt.maxSize})
			if len(diags) == 0 {
				t.Fatalf("Parse gave no diagnostics, want %s", tt.code)
			}
			d := diags[0]
			for _, c := range diags {
				if c.Code == tt.code {
					d = c
					break
				}
			}
			if d.Code != tt.code || d.Pos.String() != tt.pos || !strings.Contains(d.Summary, tt.summary) {
				t.Errorf("Parse first diagnostic = %s [%s], want %s: ...%s... [%s]\nall:\n%v", d.Error(), d.Code, tt.pos, tt.summary, tt.code, diags)
			}
			if d.Fix == "" {
				t.Errorf("diagnostic %q has no fix", d.Error())
			}
		})
	}
}

func TestParseMergeKeys(t *testing.T) {
	src := `ward: 1
x-base: &base {kind: process, boundary: b}
x-more: &more {name: From more, description: merged}
elements:
  - id: a
    <<: [*base, *more]
    name: Own name
    kind: store
`
	m, _ := Parse("m.yaml", []byte(src), LoadOptions{})
	if m == nil {
		t.Fatal("Parse returned no model")
	}
	el := m.Elements[0]
	if el.Kind != "store" || el.Name != "Own name" || el.Boundary != "b" || el.Description != "merged" {
		t.Errorf("merged element = kind %q name %q boundary %q description %q; want own keys to win over merged ones",
			el.Kind, el.Name, el.Boundary, el.Description)
	}
}

// TestLoadOversizeFile checks that a file over the limit is refused before
// it is read into memory.
func TestLoadOversizeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("# x\n"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	m, diags, err := Load(path, LoadOptions{MaxFileSize: 100})
	if err != nil || m != nil || len(diags) != 1 || diags[0].Code != "file-too-large" {
		t.Fatalf("Load(oversize) = model %v, err %v, diagnostics %v; want one file-too-large", m != nil, err, diags)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, _, err := Load(filepath.Join(t.TempDir(), "absent.yaml"), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "absent.yaml") {
		t.Errorf("Load(absent) error = %v, want an error naming the file", err)
	}
}

// BenchmarkParseHostile measures how long the loader takes to turn each
// hostile input into its diagnostic. The budget for every case is well
// under one second per operation.
func BenchmarkParseHostile(b *testing.B) {
	var longJSON strings.Builder
	longJSON.WriteString(`{"ward": 1, "x-list": [`)
	for i := range 400_000 {
		if i > 0 {
			longJSON.WriteString(",")
		}
		longJSON.WriteString(`"é"`)
	}
	longJSON.WriteString(`]}`)

	garbage := make([]byte, 1<<20)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i>>3)
	}

	cases := []struct {
		name string
		src  []byte
	}{
		{"alias-bomb", []byte(aliasBomb())},
		{"deep-flow-10k", []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000))},
		{"deep-block-10k", []byte(deepBlock(10000))},
		{"one-line-json-2MB", []byte(longJSON.String())},
		{"binary-1MB", garbage},
		{"syntax-error-1MB", []byte(strings.Repeat("- {id: a, name: b}\n", 50_000) + "  bad: [\n")},
		{"wide-mapping-50k", []byte(wideMapping(50_000, true))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.src)))
			start := processCPUTime()
			for b.Loop() {
				Parse("h.yaml", c.src, LoadOptions{})
			}
			b.ReportMetric((processCPUTime()-start).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// processCPUTime returns the user and system CPU time of the process, which
// unlike wall time does not grow while the machine is busy with other work.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
