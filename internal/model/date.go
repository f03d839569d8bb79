package model

import "time"

// DateLayout is the only date form the model accepts: an ISO 8601 calendar
// date such as 2025-03-01.
const DateLayout = "2006-01-02"

// Date is a calendar date written as YYYY-MM-DD. It stays a string so a model
// round-trips exactly as written; validation rejects malformed dates.
type Date string

// Time parses d. It returns false when d is empty or malformed.
func (d Date) Time() (time.Time, bool) {
	if d == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(DateLayout, string(d))
	return t, err == nil
}

// IsZero reports whether no date was written.
func (d Date) IsZero() bool { return d == "" }
