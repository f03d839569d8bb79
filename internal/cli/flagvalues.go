package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/model"
)

// This file checks values given on the command line and words the
// messages about them: each names the flag, the value, what is allowed and,
// for a near miss, the value the user probably meant.

// didYouMean returns "; did you mean X?" for the entry of known closest to
// value, or "" when none is close.
func didYouMean(value string, known []string) string {
	if c := diag.Closest(value, known); c != "" {
		return "; did you mean " + c + "?"
	}
	return ""
}

// notOneOf returns the message for a flag value outside a fixed list.
func notOneOf(flag, value string, allowed []string) string {
	return fmt.Sprintf("%s %q is not one of %s%s", flag, value, strings.Join(allowed, ", "), didYouMean(value, allowed))
}

// checkChoice returns an error when value is not one of allowed, naming
// the flag, the allowed values and, for a near miss, the value meant.
func checkChoice(flag, value string, allowed ...string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	return errors.New(notOneOf(flag, value, allowed))
}

// Descriptions of the files that --db and --kev take, for messages.
const (
	dbWant  = "a folder of OSV records or an osv.dev zip archive"
	kevWant = "CISA's Known Exploited Vulnerabilities catalog in JSON (known_exploited_vulnerabilities.json)"
)

// checkInputPath returns an error naming the flag and the path when the
// flag names a file or folder that does not exist. want describes what the
// flag takes. An empty path is not checked.
func checkInputPath(flag, path, want string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("invalid %s %q: no file or folder there; give %s", flag, path, want)
	}
	return nil
}

// notAnID returns the message for a flag value that names no item of a
// model section, such as controls.
func notAnID(flag, value, section string, known []string) string {
	if c := diag.Closest(value, known); c != "" {
		return fmt.Sprintf("%s %q: no entry under %s: has that ID; did you mean %s?", flag, value, section, c)
	}
	return fmt.Sprintf("%s %q: no entry under %s: has that ID; check the spelling, or add the entry under %s: first", flag, value, section, section)
}

// joinProblems returns the problems found in the command line as one
// error: a single problem as it is, several as an indented list under a
// count, so the user can fix them all before running again.
func joinProblems(problems []string) error {
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return errors.New(problems[0])
	}
	return fmt.Errorf("%d problems in the command line:\n  %s", len(problems), strings.Join(problems, "\n  "))
}

// parseDateFlag parses the value of a date flag such as --date. For a value
// that is no date, the error explains why (see model.DateProblem).
func parseDateFlag(flag, value string) (time.Time, error) {
	if problem := model.DateProblem(value); problem != "" {
		return time.Time{}, fmt.Errorf("invalid %s %q: %s", flag, value, problem)
	}
	return time.Parse(model.DateLayout, value)
}

// todayUTC returns today's date at midnight UTC.
func todayUTC() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateFlagOrToday parses a date flag, or returns today's date when the
// flag is empty.
func dateFlagOrToday(flag, value string) (time.Time, error) {
	if value == "" {
		return todayUTC(), nil
	}
	return parseDateFlag(flag, value)
}
