package vuln

import (
	"errors"
	"fmt"

	"github.com/wardtm/ward/internal/diag"
)

// ErrNoRecords is wrapped by the error Open returns for a database that
// contains no usable OSV record.
var ErrNoRecords = errors.New("no usable OSV record")

// NoRecordsError is the error Open returns when a database loads zero
// records: an empty folder, a folder without JSON or zip files, or files
// that are all malformed or not OSV at all, such as a CISA KEV catalog
// given in place of a database. Matching against it would report every
// dependency free of known vulnerabilities, so Open rejects it.
type NoRecordsError struct {
	// Path is the database path given to Open.
	Path string
	// Files counts the JSON files and zip archives found under Path.
	Files int
	// Skipped lists the records that could not be read.
	Skipped []RecordError
}

// osvDatabaseShape describes, for error messages, the layouts Open reads.
const osvDatabaseShape = "an OSV database is a folder of OSV JSON records (searched recursively, " +
	"each an object with id, modified and affected), a folder of osv.dev all.zip archives, or one such archive; " +
	"see docs/vulnerabilities.md"

func (e *NoRecordsError) Error() string {
	var found string
	switch {
	case e.Files == 0:
		found = "it contains no .json or .zip file"
	case len(e.Skipped) == 0:
		found = "its " + diag.Count(e.Files, "file", "files") + " hold no JSON record"
	default:
		found = fmt.Sprintf("%s skipped as malformed (first: %s)",
			diag.Count(len(e.Skipped), "record", "records"), e.Skipped[0].Error())
	}
	return fmt.Sprintf("reading OSV database %s: %v, %s; %s", e.Path, ErrNoRecords, found, osvDatabaseShape)
}

func (e *NoRecordsError) Unwrap() error { return ErrNoRecords }
