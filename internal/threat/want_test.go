package threat

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/model"
)

// expectation is what the comments on one line of a fixture ask for.
type expectation struct {
	want, not []string
}

// expectationComment matches a want or not comment after YAML content;
// whole-line comments are prose.
var expectationComment = regexp.MustCompile(`^\s*[^#\s].*#\s*(want|not):\s*(.*)$`)

// readExpectations returns the "# want:" and "# not:" lists by line.
func readExpectations(t *testing.T, src []byte) map[int]*expectation {
	t.Helper()
	out := make(map[int]*expectation)
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		m := expectationComment.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		e := &expectation{}
		for _, item := range strings.Split(m[2], ",") {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			if m[1] == "want" {
				e.want = append(e.want, item)
			} else {
				e.not = append(e.not, item)
			}
		}
		out[line] = e
	}
	return out
}

// matchesExpectation reports whether a threat is what a want or not entry
// names: a glob over rule IDs, where a STRIDE finding merged into a rule's
// threat counts under its own rule too (stride.tampering matches a rule
// threat with the alias stride.tampering@item).
func matchesExpectation(entry string, th Threat) bool {
	if ok, err := path.Match(entry, th.Rule); err == nil && ok {
		return true
	}
	for _, a := range th.Aliases {
		rule, _, _ := strings.Cut(a, "@")
		if ok, err := path.Match(entry, rule); err == nil && ok {
			return true
		}
	}
	return false
}

// TestApplicabilityFixtures runs the built-in rule library and every other
// method on the models in testdata/applicability and checks the "# want:"
// and "# not:" comments written on the items' lines.
func TestApplicabilityFixtures(t *testing.T) {
	lib, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "applicability", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/applicability")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, diags := model.Parse(file, src, model.LoadOptions{})
			if diags.HasErrors() {
				t.Fatalf("fixture is invalid:\n%v", diags)
			}
			reg := identify(t, m, lib, Options{})
			expectations := readExpectations(t, src)

			lines := map[string]int{}
			for _, e := range m.Elements {
				lines[e.ID] = e.Pos().Line
			}
			for _, f := range m.Flows {
				lines[f.ID] = f.Pos().Line
			}
			for _, i := range m.Interfaces {
				lines[i.ID] = i.Pos().Line
			}

			checked := 0
			for id, line := range lines {
				e := expectations[line]
				if e == nil {
					continue
				}
				checked++
				on := threatsOn(reg, id)
				for _, want := range e.want {
					found := false
					for _, th := range on {
						found = found || matchesExpectation(want, th)
					}
					if !found {
						t.Errorf("%s:%d: %s has no threat matching %s", file, line, id, want)
					}
				}
				for _, not := range e.not {
					for _, th := range on {
						if matchesExpectation(not, th) {
							t.Errorf("%s:%d: %s has threat %s, which matches not: %s", file, line, id, th.ID, not)
						}
					}
				}
			}
			if checked != len(expectations) {
				t.Errorf("%d of %d expectation comments are not on an item's first line", len(expectations)-checked, len(expectations))
			}
		})
	}
}

// TestBuiltinResidualDebugPort checks the locked and open debug ports of the
// fixture against the built-in hw.debug-port-open rule.
func TestBuiltinResidualDebugPort(t *testing.T) {
	lib, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", "applicability", "pump.yaml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, diags := model.Parse(file, src, model.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("fixture is invalid:\n%v", diags)
	}
	reg := identify(t, m, lib, Options{})

	locked, ok := findThreat(reg, "hw.debug-port-open@swd-locked")
	if !ok || !locked.Residual {
		t.Errorf("locked SWD: found %v, residual %v; want a residual threat", ok, locked.Residual)
	}
	open, ok := findThreat(reg, "hw.debug-port-open@swd-open")
	if !ok || open.Residual {
		t.Errorf("open SWD: found %v, residual %v; want a full threat", ok, open.Residual)
	}
	if levelRank[locked.Impact.Confidentiality] >= levelRank[open.Impact.Confidentiality] {
		t.Errorf("residual confidentiality impact %s is not below the full %s", locked.Impact.Confidentiality, open.Impact.Confidentiality)
	}
}
