package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/catalog"
	"github.com/wardtm/ward/internal/diag"
)

// cacheDirEnv names the environment variable that sets the catalog cache
// folder when --cache-dir is not given.
const cacheDirEnv = "WARD_CACHE_DIR"

func registerCacheDir(cmd *cobra.Command, dir *string) {
	cmd.Flags().StringVar(dir, "cache-dir", "",
		"folder of imported catalogs (default: $"+cacheDirEnv+", else ward/catalogs in the user cache folder)")
}

// catalogCacheDir returns the cache folder: the flag, else the environment
// variable, else the default.
func catalogCacheDir(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if env := os.Getenv(cacheDirEnv); env != "" {
		return env, nil
	}
	return catalog.DefaultCacheDir()
}

// openCatalogsStrict opens the catalog cache for a command whose work is
// the catalogs, so an unreadable cache is a usage error. It also returns
// the cache folder, for messages.
func openCatalogsStrict(flag string) (*catalog.Names, string, error) {
	dir, err := catalogCacheDir(flag)
	if err != nil {
		return nil, "", withCode(ExitInvalid, err)
	}
	names, err := catalog.Open(dir)
	if err != nil {
		return nil, "", withCode(ExitInvalid, err)
	}
	return names, dir, nil
}

// openCatalogCache opens the catalog cache for showing names. A cache that
// cannot be read is reported on stderr and treated as empty, since names
// are a convenience and bare IDs are still correct.
func openCatalogCache(e *env, flag string) *catalog.Names {
	dir, err := catalogCacheDir(flag)
	if err != nil {
		fmt.Fprintln(e.stderr, "ward: warning:", err)
		return nil
	}
	names, err := catalog.Open(dir)
	if err != nil {
		fmt.Fprintln(e.stderr, "ward: warning:", err)
		return nil
	}
	return names
}

func newCatalogCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Import CAPEC, CWE, ATT&CK and EMB3D catalogs and look up their entries",
		Long: `Ward cites CAPEC, CWE, MITRE ATT&CK and MITRE EMB3D entries by ID. Importing
those catalogs (the STIX 2.1 bundles of CAPEC, ATT&CK and EMB3D, and MITRE's
CWE list in XML form) lets rules and threats show the entries' names,
descriptions and links, and lets ward rules check find cited IDs that a
catalog no longer lists. The catalogs are read from files you download
yourself and are kept in a local cache. Without them Ward shows the bare IDs.`,
	}
	cmd.AddCommand(newCatalogImportCmd(e), newCatalogShowCmd(e), newCatalogListCmd(e))
	return cmd
}

func newCatalogImportCmd(e *env) *cobra.Command {
	var cacheDir string
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import STIX 2.1 bundles of CAPEC, ATT&CK (Enterprise, Mobile, ICS) or EMB3D, or MITRE's CWE list (.xml or .xml.zip), into the cache",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := catalogCacheDir(cacheDir)
			if err != nil {
				return withCode(ExitInvalid, err)
			}
			if len(args) == 1 {
				// With one file, its own error is the whole message.
				if err := importCatalog(e.stdout, args[0], dir); err != nil {
					return withCode(ExitInvalid, err)
				}
				return nil
			}
			failed := 0
			for _, path := range args {
				if err := importCatalog(e.stdout, path, dir); err != nil {
					fmt.Fprintln(e.stderr, "ward:", err)
					failed++
				}
			}
			if failed > 0 {
				return withCode(ExitInvalid, fmt.Errorf("%d of %d files could not be imported", failed, len(args)))
			}
			return nil
		},
	}
	registerCacheDir(cmd, &cacheDir)
	return cmd
}

func importCatalog(w io.Writer, path, dir string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading catalog: %w", err)
	}
	defer f.Close()
	c, err := catalog.Import(f, filepath.Base(path))
	if err != nil {
		return err
	}
	saved, err := c.Save(dir)
	if err != nil {
		return err
	}
	version := ""
	if c.Version != "" {
		version = " " + c.Version
	}
	fmt.Fprintf(w, "imported %s%s from %s: %s (skipped %d deprecated, %d revoked) into %s\n",
		c.Title(), version, path, diag.Count(len(c.Entries), "entry", "entries"), c.Deprecated, c.Revoked, saved)
	return nil
}

func newCatalogShowCmd(e *env) *cobra.Command {
	var cacheDir string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an imported catalog entry, such as CAPEC-94, CWE-1191, T0830 or TID-119",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			names, dir, err := openCatalogsStrict(cacheDir)
			if err != nil {
				return err
			}
			id := strings.ToUpper(strings.TrimSpace(args[0]))
			entry, ok := names.Lookup(id)
			if !ok {
				return withCode(ExitInvalid, missingEntryError(id, names, dir))
			}
			c, _ := names.Catalog(entry.Catalog)
			writeEntry(e.stdout, entry, c)
			writeCitingRules(e.stdout, id)
			return nil
		},
	}
	registerCacheDir(cmd, &cacheDir)
	return cmd
}

// missingEntryError returns an error naming which case applies when no imported catalog has
// id: the ID has no known form, its catalog is not imported, the catalog
// withdrew it (deprecated or revoked), or the catalog never listed it.
func missingEntryError(id string, names *catalog.Names, dir string) error {
	a := names.Absence(id)
	if len(a.Expected) == 0 {
		return fmt.Errorf("%s is not an ID of a catalog Ward imports; IDs look like CAPEC-94, CWE-1191, T0830, T1078.001 or TID-119", id)
	}

	if len(a.Imported) == 0 {
		titles := make([]string, len(a.Expected))
		for i, name := range a.Expected {
			titles[i] = catalog.CatalogTitle(name)
		}
		which := "no " + titles[0] + " catalog is"
		if len(titles) > 1 {
			which = "neither catalog is"
		}
		imported := "none"
		if len(names.Catalogs) > 0 {
			imported = catalogVersions(names.Catalogs)
			imported = strings.ReplaceAll(imported, " and ", ", ")
		}
		return fmt.Errorf("%s is a %s ID, and %s imported in %s (imported: %s); import it with ward catalog import FILE%s",
			id, strings.Join(titles, " or "), which, dir, imported, catalogSource(id))
	}

	if a.In != nil {
		return fmt.Errorf("%s is %s in %s (imported from %s), so it was not imported; look it up on %s for the entry that replaces it",
			id, a.Withdrawn, catalogVersions([]*catalog.Catalog{a.In}), a.In.Source, catalogSites[a.In.Name])
	}

	var msg strings.Builder
	for i, c := range a.Imported {
		if i > 0 {
			msg.WriteString(" or in ")
		}
		fmt.Fprintf(&msg, "%s (imported from %s)", catalogVersions([]*catalog.Catalog{c}), c.Source)
	}
	where := msg.String()
	if len(a.Unrecorded) > 0 {
		return fmt.Errorf("%s is not listed in %s among the current entries; the import skipped deprecated or revoked entries without recording their IDs, so run ward catalog import again to tell whether %s is one of them",
			id, where, id)
	}
	fix := "check the ID, or import a newer release of the catalog if the entry was added after this one"
	if len(a.Imported) < len(a.Expected) {
		var missing []string
		for _, name := range a.Expected {
			if _, ok := names.Catalog(name); !ok {
				missing = append(missing, catalog.CatalogTitle(name))
			}
		}
		fix += "; " + strings.Join(missing, " and ") + ", which uses the same ID form, is not imported"
	}
	return fmt.Errorf("%s is not listed in %s, neither as a current entry nor as a deprecated or revoked one; %s", id, where, fix)
}

// catalogSource returns a hint in parentheses naming the file to download
// for the catalog an ID belongs to, or "" when the ID has no known form.
func catalogSource(id string) string {
	switch catalog.CatalogFor(id) {
	case "capec":
		return " (for CAPEC, capec/2.1/stix-capec.json from github.com/mitre/cti)"
	case "cwe":
		return " (for CWE, https://cwe.mitre.org/data/xml/cwec_latest.xml.zip)"
	case "attack":
		return " (for ATT&CK, the bundles of github.com/mitre-attack/attack-stix-data: T0nnn are ICS techniques, T1nnn Enterprise or Mobile)"
	case "emb3d":
		return " (for EMB3D, the STIX bundle MITRE publishes for it)"
	}
	return ""
}

func writeEntry(w io.Writer, entry catalog.Entry, c *catalog.Catalog) {
	fmt.Fprintf(w, "%s: %s\n", entry.ID, entry.Name)
	if c != nil {
		fmt.Fprintf(w, "catalog: %s %s (imported from %s)\n", c.Title(), c.Version, c.Source)
	}
	if entry.URL != "" {
		fmt.Fprintf(w, "url: %s\n", entry.URL)
	}
	if entry.Description != "" {
		for _, para := range strings.Split(entry.Description, "\n") {
			if strings.TrimSpace(para) == "" {
				continue
			}
			fmt.Fprintln(w)
			fmt.Fprintln(w, wrapText(para, 76, ""))
		}
	}
}

// writeCitingRules lists the built-in rules that cite id.
func writeCitingRules(w io.Writer, id string) {
	lib, err := catalog.Builtin()
	if err != nil {
		return
	}
	var citing []string
	for _, r := range lib.Rules {
		for _, ref := range r.References.IDs() {
			if ref == id {
				citing = append(citing, r.ID)
				break
			}
		}
	}
	if len(citing) > 0 {
		fmt.Fprintf(w, "\ncited by built-in rules: %s\n", strings.Join(citing, ", "))
	}
}

func newCatalogListCmd(e *env) *cobra.Command {
	var cacheDir string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the imported catalogs with their versions and entry counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			names, dir, err := openCatalogsStrict(cacheDir)
			if err != nil {
				return err
			}
			if len(names.Catalogs) == 0 {
				fmt.Fprintf(e.stdout, "no catalogs imported in %s; run ward catalog import FILE\n", dir)
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "CATALOG\tVERSION\tENTRIES\tDEPRECATED\tREVOKED\tSOURCE")
			for _, c := range names.Catalogs {
				version := c.Version
				if version == "" {
					version = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", c.Title(), version, len(c.Entries), c.Deprecated, c.Revoked, c.Source)
			}
			tw.Flush()
			fmt.Fprintf(e.stdout, "cache: %s\n", dir)
			return nil
		},
	}
	registerCacheDir(cmd, &cacheDir)
	return cmd
}
