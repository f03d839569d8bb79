package model

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadListedPathsMissing(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ward.yaml": includeHeader + `include: [more.yaml]
rules: [rules/, present.yaml]
sboms:
  - present.yaml
  - sbom/pump.cdx.json
`,
		"more.yaml":    "ward: 1\nsboms:\n  - other.spdx\n  - \"\"\n",
		"present.yaml": "rules: []\n",
	})
	main := filepath.Join(dir, "ward.yaml")
	more := filepath.Join(dir, "more.yaml")

	_, diags, err := Load(main, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pos, code, path, summary, fix string
	}{
		{more + ":3:5", "path-not-found", "sboms[2]", `SBOM path "other.spdx" not found: no file or folder ` + filepath.Join(dir, "other.spdx"),
			"create it, correct the path, which is relative to the folder of " + main + ", or remove the entry"},
		{more + ":4:5", "missing-value", "sboms[3]", "SBOM path is empty", "write a path relative to the folder of " + main + ", or remove the entry"},
		{main + ":8:9", "path-not-found", "rules[0]", `rule path "rules/" not found: no file or folder ` + filepath.Join(dir, "rules"),
			"create it, correct the path, which is relative to the folder of " + main + ", or remove the entry"},
		{main + ":11:5", "path-not-found", "sboms[1]", `SBOM path "sbom/pump.cdx.json" not found: no file or folder ` + filepath.Join(dir, "sbom", "pump.cdx.json"),
			"create it, correct the path, which is relative to the folder of " + main + ", or remove the entry"},
	}
	if len(diags) != len(tests) {
		t.Fatalf("Load(%s) = %d diagnostics, want %d:\n%v", main, len(diags), len(tests), diags)
	}
	for i, tt := range tests {
		d := diags[i]
		if got := d.Pos.String(); got != tt.pos {
			t.Errorf("diagnostic %d at %s, want %s", i, got, tt.pos)
		}
		if d.Code != tt.code {
			t.Errorf("diagnostic %d code %q, want %q", i, d.Code, tt.code)
		}
		if d.Path != tt.path {
			t.Errorf("diagnostic %d path %q, want %q", i, d.Path, tt.path)
		}
		if d.Summary != tt.summary {
			t.Errorf("diagnostic %d summary %q, want %q", i, d.Summary, tt.summary)
		}
		if !strings.HasPrefix(d.Fix, tt.fix) {
			t.Errorf("diagnostic %d fix %q, want it to start with %q", i, d.Fix, tt.fix)
		}
	}
}
