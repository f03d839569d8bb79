package sbom

import (
	"fmt"
	"path/filepath"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// Resolve reads the SBOMs the model lists under sboms, whose paths are
// relative to dir, the model file's folder. It returns the model's
// dependencies with every listed SBOM merged in as Merge would write them,
// followed by the dependencies only the SBOMs add. Callers use the result
// in place of m.Dependencies, and the model itself is not changed. An unreadable SBOM is
// an error diagnostic at its entry under sboms, and the other SBOMs are
// still read.
func Resolve(m *model.Model, dir string) ([]model.Dependency, diag.List) {
	deps := append([]model.Dependency(nil), m.Dependencies...)
	var diags diag.List
	for i, rel := range m.SBOMs {
		doc, err := Read(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			diags.Add(m.ItemPos("sboms", i), "sbom-unreadable", fmt.Sprintf("sboms[%d]", i),
				fmt.Sprintf("cannot read SBOM %q: %v", rel, err),
				"fix the SBOM or the path, which is relative to the model file")
			continue
		}
		var added []model.Dependency
		for _, c := range Merge(deps, doc, ImportOptions{SBOM: rel}) {
			switch c.Kind {
			case Added:
				added = append(added, c.Dependency)
			case Updated, Unchanged:
				deps[c.Index] = c.Dependency
			}
		}
		deps = append(deps, added...)
	}
	return deps, diags
}
