package sarif_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/pipeline"
	"github.com/wardtm/ward/internal/sarif"
)

// seededLog runs the conformance check on the seeded-defect model and
// returns its SARIF encoding.
func seededLog(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join("..", "conformance", "testdata", "defects", "ward.yaml")
	a, diags, err := pipeline.Run(path, pipeline.Options{Date: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)})
	if err != nil || a == nil {
		t.Fatalf("pipeline.Run(%s): %v %v", path, err, diags)
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	var buf bytes.Buffer
	if err := sarif.Write(&buf, sarif.FromAssessment(a, "test", root)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFromConformanceLocations(t *testing.T) {
	var log sarif.Log
	if err := json.Unmarshal(seededLog(t), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("want one run with results, got %+v", log.Runs)
	}
	run := log.Runs[0]
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %d names rule %s", r.RuleID, r.RuleIndex, run.Tool.Driver.Rules[r.RuleIndex].ID)
		}
		for _, loc := range r.Locations {
			uri := loc.PhysicalLocation.ArtifactLocation.URI
			if strings.HasPrefix(uri, "/") || strings.HasPrefix(uri, "..") {
				t.Errorf("result %s: location %q is not relative to the repository", r.RuleID, uri)
			}
			if loc.PhysicalLocation.Region == nil || loc.PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("result %s: location without a start line", r.RuleID)
			}
		}
	}
}

// TestLogMatchesSchema validates the log against the SARIF 2.1.0 JSON
// Schema, read from WARD_SARIF_SCHEMA (.ci/run fetches it from the npm
// package @microsoft/jest-sarif, which ships the schema file).
func TestLogMatchesSchema(t *testing.T) {
	schemaPath := os.Getenv("WARD_SARIF_SCHEMA")
	if schemaPath == "" {
		if os.Getenv("WARD_REQUIRE_TOOLS") != "" {
			t.Fatal("WARD_SARIF_SCHEMA is not set; .ci/run downloads the SARIF 2.1.0 schema and sets it")
		}
		t.Skip("set WARD_SARIF_SCHEMA to the SARIF 2.1.0 JSON Schema file to run this test")
	}

	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("reading %s: %v", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaPath, err)
	}

	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(seededLog(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF log does not match the schema: %v", err)
	}
}

func TestFromConformanceNotChecked(t *testing.T) {
	results := []assessment.Result{
		{Requirement: assessment.Requirement{ID: "fda.kev"}, Status: assessment.NotChecked,
			Message: "no vulnerability database given", Fix: "run with --db and --kev"},
		{Requirement: assessment.Requirement{ID: "tm.cia"}, Status: assessment.Fail, Message: "no data"},
		{Requirement: assessment.Requirement{ID: "tm.exists"}, Status: assessment.Pass, Message: "identified"},
	}
	log := sarif.FromConformance(results, "test", t.TempDir())
	got := log.Runs[0].Results
	if len(got) != 2 {
		t.Fatalf("results = %+v, want the not-checked and the failed requirement", got)
	}
	open := got[0]
	if open.RuleID != "fda.kev" || open.Kind != "open" || open.Level != "none" {
		t.Errorf("not-checked result = %s kind %q level %q, want fda.kev kind open level none", open.RuleID, open.Kind, open.Level)
	}
	if !strings.Contains(open.Message.Text, "Fix: run with --db and --kev") {
		t.Errorf("not-checked message %q, want the fix naming the input", open.Message.Text)
	}
	if failed := got[1]; failed.Kind != "" || failed.Level != "error" {
		t.Errorf("failed result kind %q level %q, want the default kind and level error", failed.Kind, failed.Level)
	}
}

func TestFromAssessmentInvocation(t *testing.T) {
	var log sarif.Log
	if err := json.Unmarshal(seededLog(t), &log); err != nil {
		t.Fatal(err)
	}
	invs := log.Runs[0].Invocations
	if len(invs) != 1 || !invs[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v, want one successful invocation", invs)
	}
	props := invs[0].Properties
	if props["assessmentDate"] != "2026-12-04" {
		t.Errorf("assessmentDate = %q, want 2026-12-04", props["assessmentDate"])
	}
	if !strings.HasPrefix(props["modelDigest"], "sha256:") {
		t.Errorf("modelDigest = %q, want the model's sha256 digest", props["modelDigest"])
	}
	if props["document"] == "" {
		t.Errorf("document is empty in %v", props)
	}
}
