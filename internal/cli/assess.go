package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/pipeline"
	"github.com/wardtm/ward/internal/threat"
)

// assessFlags are the options of every command that runs the pipeline past
// loading: the assessment date, the methods and extra rule files.
type assessFlags struct {
	load    loadFlags
	date    string
	methods []string
	rules   []string

	db, kev, index, dbDate string
	cacheDir               string
}

func (f *assessFlags) register(cmd *cobra.Command) {
	f.load.register(cmd)
	cmd.Flags().StringVar(&f.date, "date", "",
		"assessment date as YYYY-MM-DD, for review due dates and support end dates (default: today; ward report uses the latest review or release date of the model)")
	cmd.Flags().StringSliceVar(&f.methods, "methods", nil,
		"identification methods to run, comma-separated: "+strings.Join(threat.MethodNames(), ", ")+" (default: all)")
	cmd.Flags().StringSliceVar(&f.rules, "rules", nil, "extra rule files or folders, in addition to the model's rules list")
	cmd.Flags().StringVar(&f.db, "db", "", "offline OSV database (folder of records or osv.dev zip archives) to match dependencies against")
	cmd.Flags().StringVar(&f.kev, "kev", "", "CISA Known Exploited Vulnerabilities catalog (JSON) to mark KEV-listed matches")
	cmd.Flags().StringVar(&f.index, "index", "", "file to keep the OSV database index in (default: next to the database)")
	cmd.Flags().StringVar(&f.cacheDir, "cache-dir", "", "folder of catalogs imported with ward catalog import, for reference names (default: "+cacheDirEnv+" or the user cache)")
	cmd.Flags().StringVar(&f.dbDate, "db-date", "", "date the OSV database is current to, as YYYY-MM-DD (default: its newest record)")
}

// assessmentDate parses --date, defaulting to today's date in UTC.
func (f *assessFlags) assessmentDate() (time.Time, error) {
	return dateFlagOrToday("--date", f.date)
}

// assess runs the pipeline on the model at path, dated by --date or
// today. Diagnostics go to stderr; a model with errors returns an
// ExitInvalid error.
func assess(e *env, path string, f *assessFlags) (*assessment.Assessment, error) {
	return assessDated(e, path, f, func(*model.Model) (time.Time, error) { return f.assessmentDate() })
}

// assessDated runs the pipeline with the date that dateOf returns for the
// loaded model.
func assessDated(e *env, path string, f *assessFlags, dateOf func(*model.Model) (time.Time, error)) (*assessment.Assessment, error) {
	if err := threat.ValidateMethods(f.methods); err != nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("invalid --methods: %w", err))
	}
	// A bad --date or --rules is the command line's mistake, so it is
	// reported before the model is read and without the model's path.
	if _, err := f.assessmentDate(); err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	if err := checkRuleFlags(f.rules); err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	if err := checkInputPath("--db", f.db, dbWant); err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	if err := checkInputPath("--kev", f.kev, kevWant); err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	m, err := loadModel(e, path, f.load.options())
	if err != nil {
		return nil, err
	}
	date, err := dateOf(m)
	if err != nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: %w", path, err))
	}

	a, diags, err := pipeline.Assess(m, pipeline.Options{
		Load:      f.load.options(),
		Date:      date,
		Methods:   f.methods,
		RuleFiles: f.rules,
		VulnDB:    f.db,
		VulnIndex: f.index,
		DBDate:    f.dbDate,
		KEV:       f.kev,
		Progress:  progressTo(e.stderr),
		Names:     openCatalogCache(e, f.cacheDir),
		Tool:      toolVersion(),
	})
	if err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	if len(diags) > 0 {
		printDiagnostics(e.stderr, diags, defaultMaxErrors)
	}
	if diags.HasErrors() || a == nil {
		return nil, withCode(ExitInvalid, assessError(path, diags, f.rules))
	}
	return a, nil
}

// assessError summarises the errors that stopped the pipeline and names
// the command that shows them again. ward validate reads the model and
// the rule files it lists, but not the files given with --rules, so
// errors in those point at ward rules check.
func assessError(path string, diags diag.List, ruleFlags []string) error {
	var modelErrors, ruleErrors diag.List
	for _, d := range diags.Errors() {
		if inRulePaths(d.Pos.File, ruleFlags) {
			ruleErrors = append(ruleErrors, d)
		} else {
			modelErrors = append(modelErrors, d)
		}
	}
	checkRules := "ward rules check --rules " + strings.Join(ruleFlags, ",")
	switch {
	case len(ruleErrors) == 0:
		return fmt.Errorf("%s: %s; run ward validate %s for details", path, countErrors(diags), path)
	case len(modelErrors) == 0:
		return fmt.Errorf("%s in the --rules files, shown above; to check them alone, run %s", countErrors(ruleErrors), checkRules)
	}
	return fmt.Errorf("%s: %s in the model and %s in the --rules files, shown above; run ward validate %s for the model's and %s for the rule files'",
		path, countErrors(modelErrors), countErrors(ruleErrors), path, checkRules)
}

// checkRuleFlags returns an error naming the first --rules path that
// does not exist, with the absolute path it was looked for at.
func checkRuleFlags(paths []string) error {
	for _, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			abs, _ := filepath.Abs(p)
			return fmt.Errorf("invalid --rules %q: no file or folder %s; check the path, which is relative to the current folder", p, abs)
		}
	}
	return nil
}

// inRulePaths reports whether file is one of paths or inside one of them.
func inRulePaths(file string, paths []string) bool {
	file = filepath.Clean(file)
	for _, p := range paths {
		p = filepath.Clean(p)
		if file == p || strings.HasPrefix(file, p+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
