package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/assessment"
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
	// A bad --date is the command line's mistake, so it is reported
	// before the model is read and without the model's path.
	if _, err := f.assessmentDate(); err != nil {
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
		Tool:      Version,
	})
	if err != nil {
		return nil, withCode(ExitInvalid, err)
	}
	if len(diags) > 0 {
		printDiagnostics(e.stderr, diags, defaultMaxErrors)
	}
	if diags.HasErrors() || a == nil {
		return nil, withCode(ExitInvalid, fmt.Errorf("%s: %s; run ward validate %s for details", path, countErrors(diags), path))
	}
	return a, nil
}
