package model

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wardtm/ward/internal/diag"
)

// checkListedPaths reports each entry of rules: and sboms: that names no
// file or folder, at the entry's position. The paths are relative to the
// folder of the main model file, even in an included file, because that is
// where the pipeline resolves them. The rule and SBOM readers report the
// problems inside the files at their own positions. They could report a
// missing path only without a position in the model, so it is checked here.
func checkListedPaths(m *Model) diag.List {
	if len(m.Files) == 0 {
		return nil
	}
	main := m.Files[0]
	base := filepath.Dir(main)

	var diags diag.List
	check := func(key, what string, paths []string) {
		for i, p := range paths {
			if p == "" {
				// Joined to the folder, an empty entry would name the
				// model's own folder.
				diags.Add(m.ItemPos(key, i), "missing-value", fmt.Sprintf("%s[%d]", key, i),
					fmt.Sprintf("%s path is empty", what),
					fmt.Sprintf("write a path relative to the folder of %s, or remove the entry", main))
				continue
			}
			full := filepath.FromSlash(p)
			if !filepath.IsAbs(full) {
				full = filepath.Join(base, full)
			}
			// The absolute path shows where a relative entry was looked for.
			if abs, err := filepath.Abs(full); err == nil {
				full = abs
			}
			if _, err := os.Stat(full); err == nil || !errors.Is(err, fs.ErrNotExist) {
				continue
			}
			diags.Add(m.ItemPos(key, i), "path-not-found", fmt.Sprintf("%s[%d]", key, i),
				fmt.Sprintf("%s path %q not found: no file or folder %s", what, p, full),
				fmt.Sprintf("create it, correct the path, which is relative to the folder of %s, or remove the entry", main))
		}
	}
	check("rules", "rule", m.Rules)
	check("sboms", "SBOM", m.SBOMs)
	return diags
}
