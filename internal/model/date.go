package model

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

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

var calendarDatePattern = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)

// DateProblem explains why s is not a date in DateLayout, "" when it is
// one. A value in the right form that names no calendar day, such as
// 2026-02-30, is explained as a day that does not exist, not as a format
// error, because its author already wrote the right form.
func DateProblem(s string) string {
	if _, err := time.Parse(DateLayout, s); err == nil {
		return ""
	}
	parts := calendarDatePattern.FindStringSubmatch(s)
	if parts == nil {
		return "write the date as YYYY-MM-DD, for example 2026-03-01"
	}
	year, _ := strconv.Atoi(parts[1])
	month, _ := strconv.Atoi(parts[2])
	if month < 1 || month > 12 {
		return fmt.Sprintf("the date does not exist, because there is no month %d; the month is the middle part, 01 to 12", month)
	}
	// Day 0 of the next month is the last day of this one.
	last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return fmt.Sprintf("the date does not exist, because %s %d has %d days", time.Month(month), year, last)
}
