package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// editModel is a small released model with comments, for the commands
// that edit the model file.
const editModel = `# Test model for review and threat set.
ward: 1
system:
  id: pump
  name: Pump   # the product
  document: {id: TM-1, version: "1.0"}
  lifecycle: released
  released: 2024-01-01

controls:
  - id: C-1
    name: Debug lock
    category: code-data-execution-integrity
    status: implemented
    verification: VT-1

hazards:
  - id: HAZ-1
    name: Over-delivery

elements:
  - id: app
    kind: process
    name: Phone app
  - id: pump
    kind: process
    name: Pump firmware

flows:
  - id: app-to-pump
    from: app
    to: pump
    protocol: {name: ble}

interfaces:
  - id: pump-swd
    of: pump
    kind: swd
    exposure: board
    debug: true
    production: enabled

issues:
  - id: SEC-1
    title: Weak pairing

threats:
  # The debug port is locked at end-of-line test.
  - match: hw.debug-port-open@pump-swd
    status: open   # to decide

reviews:
  - date: 2025-01-01
    kind: periodic
    reviewers: [{name: A. Lee, role: lead}]
`

func writeModel(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ward.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReviewStatusAndRecord(t *testing.T) {
	path := writeModel(t, editModel)

	// The only review has no digest, and 366 days have passed.
	code, out, errOut := run(t, "review", "status", path, "--date", "2026-01-02")
	if code != ExitFindings {
		t.Fatalf("review status exit = %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"last periodic review:          2025-01-01", "366 days ago", "has no digest"} {
		if !strings.Contains(out, want) {
			t.Errorf("review status output lacks %q:\n%s", want, out)
		}
	}

	code, out, errOut = run(t, "review", "record", path, "--date", "2026-01-02", "--kind", "periodic",
		"--reviewer", "A. Lee:firmware lead", "--reviewer", "B. Chen:product security", "--outcome", "approved", "--notes", "Yearly review.")
	if code != ExitOK {
		t.Fatalf("review record exit = %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "recorded periodic review of 2026-01-02") {
		t.Errorf("review record output = %q", out)
	}

	got, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(got), editModel) {
		t.Errorf("review record changed existing text; file is now:\n%s", got)
	}
	added := strings.TrimPrefix(string(got), editModel)
	for _, want := range []string{"  - date: 2026-01-02\n", "    kind: periodic\n", "    version: \"1.0\"\n",
		"      - name: A. Lee\n        role: firmware lead\n", "    digest: sha256:", "    outcome: approved\n", "    notes: Yearly review.\n"} {
		if !strings.Contains(added, want) {
			t.Errorf("appended review lacks %q:\n%s", want, added)
		}
	}

	code, out, errOut = run(t, "review", "status", path, "--date", "2026-01-02", "--format", "json")
	if code != ExitOK {
		t.Fatalf("review status after record exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, `"next_due": "2027-01-02"`) || !strings.Contains(out, `"changed": false`) {
		t.Errorf("review status JSON:\n%s", out)
	}

	// Changing a value makes the model changed since the review.
	edited := strings.Replace(string(got), "name: Pump", "name: Pump 2", 1)
	os.WriteFile(path, []byte(edited), 0o644)
	if code, out, _ = run(t, "review", "status", path, "--date", "2026-01-03"); code != ExitFindings || !strings.Contains(out, "changed since the last review") {
		t.Errorf("after a change: exit %d, output:\n%s", code, out)
	}
}

func TestReviewRecordRejectsBadInput(t *testing.T) {
	path := writeModel(t, editModel)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad kind", []string{"--kind", "yearly", "--reviewer", "A:B"}, `kind "yearly" is not one of`},
		{"no reviewer", []string{"--kind", "periodic"}, "missing --reviewer"},
		{"bad date", []string{"--kind", "periodic", "--reviewer", "A", "--date", "1.2.2026"}, "invalid --date"},
		{"bad outcome", []string{"--kind", "periodic", "--reviewer", "A", "--outcome", "fine"}, `outcome "fine"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, append([]string{"review", "record", path}, tt.args...)...)
			if code != ExitInvalid || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != editModel {
				t.Error("rejected record changed the file")
			}
		})
	}
}

func TestReviewRecordReportsEveryBadFlag(t *testing.T) {
	path := writeModel(t, editModel)
	code, _, errOut := run(t, "review", "record", path, "--date", "2026-02-30", "--kind", "periodc", "--outcome", "aproved", "--reviewer", "A:B")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"3 problems in the command line",
		`invalid --date "2026-02-30": the date does not exist, because February 2026 has 28 days`,
		`--kind "periodc" is not one of development-team, periodic, change; did you mean periodic?`,
		`--outcome "aproved" is not one of approved, approved-with-changes, rejected; did you mean approved?`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "YYYY-MM-DD") {
		t.Errorf("stderr blames the date format of a well-formed date:\n%s", errOut)
	}
}

func TestReviewRecordRefusesIncludedList(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "ward.yaml")
	os.WriteFile(main, []byte("ward: 1\ninclude: [reviews.yaml]\nsystem:\n  id: p\n  name: P\n  document: {id: T, version: \"1\"}\n  lifecycle: development\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "reviews.yaml"), []byte("ward: 1\nreviews:\n  - date: 2025-01-01\n    kind: change\n    reviewers: [{name: A}]\n"), 0o644)
	code, _, errOut := run(t, "review", "record", main, "--kind", "change", "--reviewer", "A")
	if code != ExitInvalid || !strings.Contains(errOut, "reviews.yaml, not in the main model file") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestReviewRecordRejectsFutureDate(t *testing.T) {
	path := writeModel(t, editModel)
	future := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	code, _, errOut := run(t, "review", "record", path, "--kind", "periodic", "--reviewer", "A:B", "--date", future)
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	want := fmt.Sprintf(`invalid --date %q: the date is after today (`, future)
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
	if !strings.Contains(errOut, "leave --date out") {
		t.Errorf("stderr does not say what to do:\n%s", errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != editModel {
		t.Error("rejected record changed the file")
	}
}

func TestReviewRecordAcceptsToday(t *testing.T) {
	path := writeModel(t, editModel)
	today := time.Now().Format(time.DateOnly)
	code, _, errOut := run(t, "review", "record", path, "--kind", "periodic", "--reviewer", "A:B", "--date", today)
	if code != ExitOK {
		t.Fatalf("exit %d, want 0\nstderr:\n%s", code, errOut)
	}
}

func TestReviewRecordRejectsOtherVersion(t *testing.T) {
	path := writeModel(t, editModel)
	code, _, errOut := run(t, "review", "record", path, "--kind", "periodic", "--reviewer", "A:B", "--version", "2.0")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		`--version "2.0" differs from system.document.version "1.0"`,
		"set system.document.version to 2.0",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != editModel {
		t.Error("rejected record changed the file")
	}

	code, _, errOut = run(t, "review", "record", path, "--kind", "periodic", "--reviewer", "A:B", "--version", "1.0")
	if code != ExitOK {
		t.Errorf("--version equal to the document's: exit %d, want 0\nstderr:\n%s", code, errOut)
	}
}

func TestReviewStatusShowsFutureReview(t *testing.T) {
	path := writeModel(t, editModel)
	if code, _, errOut := run(t, "review", "record", path, "--kind", "periodic", "--reviewer", "A:B", "--date", "2025-12-30"); code != ExitOK {
		t.Fatalf("record: exit %d\nstderr:\n%s", code, errOut)
	}
	recorded, _ := os.ReadFile(path)
	future := string(recorded) + "  - date: 2026-03-01\n    kind: development-team\n    reviewers: [{name: B}]\n"
	if err := os.WriteFile(path, []byte(future), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, _ := run(t, "review", "status", path, "--date", "2026-01-05")
	if code != ExitOK {
		t.Errorf("exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out, "the development-team review dated 2026-03-01 is after 2026-01-05 and was not counted") {
		t.Errorf("status hides the review dated after today:\n%s", out)
	}
}
