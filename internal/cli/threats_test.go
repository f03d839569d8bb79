package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/threat"
)

const examplePump = "../../examples/insulin-pump/ward.yaml"

func threatsJSONOf(t *testing.T, args ...string) threatsJSON {
	t.Helper()
	code, out, errOut := runWard(t, append([]string{"threats", "--format", "json", "--date", "2026-01-15"}, args...)...)
	if code != ExitOK {
		t.Fatalf("ward threats %v exited %d; stderr:\n%s", args, code, errOut)
	}
	var reg threatsJSON
	if err := json.Unmarshal([]byte(out), &reg); err != nil {
		t.Fatalf("ward threats %v printed invalid JSON: %v", args, err)
	}
	return reg
}

// TestThreatsExamplePump checks the insulin pump example end to end: at
// least four methods, every item of the model with threats, and a vector
// and CIA impact on every threat.
func TestThreatsExamplePump(t *testing.T) {
	if _, err := os.Stat(examplePump); err != nil {
		t.Skip("the insulin pump example is not in this tree")
	}
	reg := threatsJSONOf(t, examplePump)

	methods := map[string]bool{}
	protocolThreats := 0
	for _, th := range reg.Threats {
		for _, f := range th.Findings {
			methods[f.Method] = true
		}
		if strings.HasPrefix(th.Rule, "proto.") {
			protocolThreats++
		}
		if !model.AttackVectors.Has(th.Vector) {
			t.Errorf("%s: attack vector %q", th.ID, th.Vector)
		}
		for _, level := range []string{th.Impact.Confidentiality, th.Impact.Integrity, th.Impact.Availability} {
			if !model.Levels.Has(level) {
				t.Errorf("%s: impact level %q", th.ID, level)
			}
		}
	}
	if len(methods) < 4 {
		t.Errorf("threats come from %d methods %v, want at least 4", len(methods), methods)
	}
	if protocolThreats == 0 {
		t.Error("no protocol-specific threat on the example's flows")
	}

	kinds := map[string]int{}
	for _, row := range reg.Coverage.Rows {
		total := 0
		for _, c := range row.Cells {
			total += c.Found
		}
		if total == 0 {
			// A boundary that no flow enters, such as the clinic that only
			// holds the clinician, may rightly have no threat of its own.
			if row.Target.Kind != "boundary" {
				t.Errorf("%s %s has no threat", row.Target.Kind, row.Target.ID)
			}
			continue
		}
		kinds[row.Target.Kind]++
	}
	for _, kind := range []string{"process", "store", "entity", "flow", "interface", "dependency", "boundary"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s has a threat", kind)
		}
	}
}

func TestThreatsFilters(t *testing.T) {
	if _, err := os.Stat(examplePump); err != nil {
		t.Skip("the insulin pump example is not in this tree")
	}
	all := threatsJSONOf(t, examplePump)

	tests := []struct {
		name  string
		args  []string
		check func(threat.Threat) bool
	}{
		{"stride initial", []string{"--stride", "T"}, func(th threat.Threat) bool {
			return th.STRIDE == threat.Tampering || strings.Contains(strings.Join(th.Also, ","), threat.Tampering)
		}},
		{"vector", []string{"--vector", "physical"}, func(th threat.Threat) bool { return th.Vector == "physical" }},
		{"element", []string{"--element", "pump-swd"}, func(th threat.Threat) bool { return th.Target.ID == "pump-swd" }},
		{"found-by", []string{"--found-by", threat.MethodPrivacy}, func(th threat.Threat) bool {
			return strings.HasPrefix(th.Rule, "linddun.")
		}},
		{"status", []string{"--status", "open"}, func(th threat.Threat) bool { return th.Disposition.Status == "open" }},
		{"found-by letter", []string{"--found-by", "P"}, func(th threat.Threat) bool {
			return strings.HasPrefix(th.Rule, "linddun.")
		}},
		{"found-by lower-case letter", []string{"--found-by", "p"}, func(th threat.Threat) bool {
			return strings.HasPrefix(th.Rule, "linddun.")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := threatsJSONOf(t, append([]string{examplePump}, tt.args...)...)
			if len(got.Threats) == 0 {
				t.Fatalf("filter %v selected nothing", tt.args)
			}
			if len(got.Threats) >= len(all.Threats) {
				t.Errorf("filter %v kept all %d threats", tt.args, len(all.Threats))
			}
			for _, th := range got.Threats {
				if !tt.check(th) {
					t.Errorf("filter %v kept %s", tt.args, th.ID)
				}
			}
		})
	}
}

func TestThreatsFormats(t *testing.T) {
	if _, err := os.Stat(examplePump); err != nil {
		t.Skip("the insulin pump example is not in this tree")
	}
	reg := threatsJSONOf(t, examplePump)

	code, out, errOut := runWard(t, "threats", "--format", "csv", "--date", "2026-01-15", examplePump)
	if code != ExitOK {
		t.Fatalf("csv exited %d: %s", code, errOut)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv output does not parse: %v", err)
	}
	if len(records) != len(reg.Threats)+1 || strings.Join(records[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("csv has %d records and header %v, want %d threats after the header", len(records), records[0], len(reg.Threats))
	}

	code, out, _ = runWard(t, "threats", "--date", "2026-01-15", examplePump)
	if code != ExitOK || !strings.HasPrefix(out, "ID ") || !strings.Contains(out, "threats shown of") {
		t.Errorf("table output exited %d:\n%.400s", code, out)
	}

	code, out, _ = runWard(t, "threats", "--coverage", "--date", "2026-01-15", examplePump)
	if code != ExitOK || !strings.Contains(out, "ITEM") || !strings.Contains(out, "found/dispositioned") {
		t.Errorf("coverage output exited %d:\n%.400s", code, out)
	}
}

func TestThreatsInvalidInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src := `ward: 1
system:
  id: dev
  name: Device
  document: {id: TM-1, version: "1"}
  lifecycle: development
elements:
  - id: app
    kind: process
    name: App
  - id: user
    kind: entity
    name: User
    role: patient
flows:
  - id: login
    from: user
    to: app
    protocol: {name: https}
threats:
  - match: stride.spoofing@usr
    status: mitigated
    justification: checked
`
	path := write("ward.yaml", src)

	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"unmatched disposition", []string{"threats", path}, "did you mean stride.spoofing@user?"},
		{"bad status", []string{"threats", "--status", "closed", path}, `--status "closed" is not one of`},
		{"bad format", []string{"threats", "--format", "xml", path}, `--format "xml" is not one of table, json, csv`},
		{"unknown method", []string{"threats", "--methods", "nope", path}, `invalid --methods: unknown identification method "nope"`},
		{"unknown element", []string{"threats", "--element", "nope", write("ok.yaml", strings.Split(src, "threats:")[0]), "--date", "2026-01-01"}, `invalid --element "nope"`},
		{"misspelt element", []string{"threats", "--element", "lgin", filepath.Join(dir, "ok.yaml"), "--date", "2026-01-01"}, `invalid --element "lgin": the model has no element, flow, interface, dependency or boundary with that ID; did you mean login?`},
		{"misspelt status", []string{"threats", "--status", "mitigatd", path}, `ward: --status "mitigatd" is not one of open, mitigated, accepted, transferred, avoided, not-applicable; did you mean mitigated?`},
		{"misspelt vector", []string{"threats", "--vector", "physcal", path}, `ward: --vector "physcal" is not one of network, adjacent, local, physical; did you mean physical?`},
		{"bad stride", []string{"threats", "--stride", "X", path}, `ward: --stride "X" is not one of spoofing (S), tampering (T), repudiation (R), information-disclosure (I), denial-of-service (D), elevation-of-privilege (E)`},
		{"bad found-by", []string{"threats", "--found-by", "Q", path}, `ward: --found-by "Q" is not one of stride-per-element (E), stride-per-interaction (I), rule-library (R), linddun (P), known-vulnerability (V), hand-written (H)`},
		{"two bad filters", []string{"threats", "--status", "closed", "--vector", "net", path}, "2 problems in the command line"},
		{"missing model", []string{"threats", filepath.Join(dir, "absent.yaml")}, "absent.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runWard(t, tt.args...)
			if code != ExitInvalid {
				t.Errorf("exit code %d, want %d", code, ExitInvalid)
			}
			if !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantStderr)
			}
		})
	}
}

func TestUncoveredSummary(t *testing.T) {
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	tests := []struct {
		ids  []string
		rows int
		want string
	}{
		{nil, 1, "the one item has a threat"},
		{[]string{"app"}, 1, "the one item has no threat: app"},
		{nil, 5, "every one of the 5 items has a threat"},
		{[]string{"meter-flash"}, 5, "1 of 5 items has no threat: meter-flash"},
		{[]string{"a", "b"}, 5, "2 of 5 items have no threat: a, b"},
		{many, 20, "12 of 20 items have no threat: a, b, c, d, e, f, g, h, i, j and 2 more"},
	}
	for _, tt := range tests {
		if got := uncoveredSummary(tt.ids, tt.rows); got != tt.want {
			t.Errorf("uncoveredSummary(%v) = %q, want %q", tt.ids, got, tt.want)
		}
	}
}

func TestThreatsCoverageNamesUncovered(t *testing.T) {
	// An organization boundary that no flow crosses and that contains
	// nothing has no threat of its own.
	src := strings.Replace(editModel, "flows:", `boundaries:
  - id: empty-zone
    name: Empty zone
    kind: organization

flows:`, 1)
	path := writeModel(t, src)
	code, out, errOut := runWard(t, "threats", "--coverage", "--date", "2026-01-15", path)
	if code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	if !regexp.MustCompile(`cells: found/dispositioned; 1 of \d+ items has no threat: empty-zone\n$`).MatchString(out) {
		t.Errorf("coverage summary does not name empty-zone:\n%s", out)
	}
}

func TestMethodsHelpListsNames(t *testing.T) {
	code, out, _ := runWard(t, "threats", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "--methods") {
			continue
		}
		if strings.Contains(line, "see ward threats --help") {
			t.Errorf("--methods help refers to the page it is on: %q", line)
		}
		for _, name := range threat.MethodNames() {
			if !strings.Contains(line, name) {
				t.Errorf("--methods help lacks method %s: %q", name, line)
			}
		}
	}
}
