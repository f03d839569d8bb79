package review

import (
	"strings"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/model"
)

func day(s string) time.Time {
	t, err := time.Parse(model.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// reviewed returns a released model whose reviews carry the model's own
// digest unless digest is set.
func reviewed(lifecycle string, interval int, reviews ...model.Review) *model.Model {
	m := &model.Model{Ward: 1, System: model.System{ID: "pump", Name: "Pump", Lifecycle: lifecycle, ReviewInterval: interval}}
	d := model.Digest(m)
	for i := range reviews {
		if reviews[i].Digest == "" {
			reviews[i].Digest = d
		} else if reviews[i].Digest == "none" {
			reviews[i].Digest = ""
		}
	}
	m.Reviews = reviews
	return m
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name         string
		m            *model.Model
		today        string
		interval     int
		overdue      bool
		changed      bool
		nextDue      string
		reason       string
		lastTeam     string
		lastPeriodic string
	}{
		{
			name:  "365 days is on time",
			m:     reviewed("released", 0, model.Review{Date: "2025-01-01", Kind: "periodic"}),
			today: "2026-01-01", nextDue: "2026-01-01", lastPeriodic: "2025-01-01",
		},
		{
			name:  "366 days is overdue",
			m:     reviewed("released", 0, model.Review{Date: "2025-01-01", Kind: "periodic"}),
			today: "2026-01-02", overdue: true, nextDue: "2026-01-01", reason: "366 days ago",
		},
		{
			name:  "model interval",
			m:     reviewed("released", 180, model.Review{Date: "2025-01-01", Kind: "development-team"}),
			today: "2025-07-01", overdue: true, nextDue: "2025-06-30", lastTeam: "2025-01-01",
		},
		{
			name:  "argument overrides model interval",
			m:     reviewed("released", 180, model.Review{Date: "2025-01-01", Kind: "development-team"}),
			today: "2025-07-01", interval: 365, nextDue: "2026-01-01",
		},
		{
			name:  "change review does not restart the clock",
			m:     reviewed("released", 0, model.Review{Date: "2024-01-01", Kind: "periodic"}, model.Review{Date: "2025-03-01", Kind: "change"}),
			today: "2025-03-02", overdue: true, nextDue: "2024-12-31",
		},
		{
			name:  "development needs no yearly review",
			m:     reviewed("development", 0, model.Review{Date: "2020-01-01", Kind: "development-team"}),
			today: "2025-03-02",
		},
		{
			name:  "released without review",
			m:     reviewed("released", 0),
			today: "2025-03-02", overdue: true, changed: true, nextDue: "2025-03-02", reason: "no development-team or periodic review",
		},
		{
			name:  "digest differs",
			m:     reviewed("released", 0, model.Review{Date: "2025-03-01", Kind: "periodic", Digest: "sha256:0000"}),
			today: "2025-03-02", changed: true, nextDue: "2026-03-01", reason: "changed since the last review",
		},
		{
			name:  "no digest",
			m:     reviewed("development", 0, model.Review{Date: "2025-03-01", Kind: "development-team", Digest: "none"}),
			today: "2025-03-02", changed: true, reason: "has no digest",
		},
		{
			name: "latest review by date, not list order",
			m: reviewed("released", 0,
				model.Review{Date: "2025-03-01", Kind: "periodic"},
				model.Review{Date: "2024-03-01", Kind: "periodic", Digest: "sha256:old"}),
			today: "2025-03-02", nextDue: "2026-03-01", lastPeriodic: "2025-03-01",
		},
		{
			name:  "malformed date skipped",
			m:     reviewed("released", 0, model.Review{Date: "2025-3-1", Kind: "periodic"}, model.Review{Date: "2025-01-01", Kind: "periodic"}),
			today: "2025-03-02", nextDue: "2026-01-01", lastPeriodic: "2025-01-01",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Status(tt.m, day(tt.today), tt.interval)
			if r.Overdue != tt.overdue {
				t.Errorf("Overdue = %v, want %v (reasons %q)", r.Overdue, tt.overdue, r.Reasons)
			}
			if r.Changed != tt.changed {
				t.Errorf("Changed = %v, want %v (reasons %q)", r.Changed, tt.changed, r.Reasons)
			}
			if string(r.NextDue) != tt.nextDue {
				t.Errorf("NextDue = %q, want %q", r.NextDue, tt.nextDue)
			}
			if r.NeedsReview() != (tt.overdue || tt.changed) {
				t.Errorf("NeedsReview = %v", r.NeedsReview())
			}
			if tt.reason != "" && !strings.Contains(strings.Join(r.Reasons, "\n"), tt.reason) {
				t.Errorf("Reasons = %q, want one containing %q", r.Reasons, tt.reason)
			}
			if !tt.overdue && !tt.changed && len(r.Reasons) > 0 {
				t.Errorf("Reasons = %q, want none", r.Reasons)
			}
			if tt.lastTeam != "" && (r.LastTeam == nil || string(r.LastTeam.Date) != tt.lastTeam) {
				t.Errorf("LastTeam = %+v, want %s", r.LastTeam, tt.lastTeam)
			}
			if tt.lastPeriodic != "" && (r.LastPeriodic == nil || string(r.LastPeriodic.Date) != tt.lastPeriodic) {
				t.Errorf("LastPeriodic = %+v, want %s", r.LastPeriodic, tt.lastPeriodic)
			}
		})
	}
}

func TestRecordDigestSurvivesRecording(t *testing.T) {
	m := reviewed("released", 0)
	rec := Record{Date: "2025-03-02", Kind: "periodic", Reviewers: []model.Reviewer{{Name: "A. Lee", Role: "lead"}}, Outcome: "approved"}
	if err := rec.Validate(day("2025-03-02")); err != nil {
		t.Fatal(err)
	}
	var digest string
	for _, f := range rec.Mapping(m) {
		if f.Key == "digest" {
			digest = f.Value.(string)
		}
	}
	m.Reviews = append(m.Reviews, model.Review{Date: rec.Date, Kind: rec.Kind, Digest: digest})
	if r := Status(m, day("2025-03-02"), 0); r.NeedsReview() {
		t.Errorf("after recording, Status = %+v, want no review needed", r)
	}
}

func TestRecordValidate(t *testing.T) {
	good := Record{Date: "2025-03-02", Kind: "periodic", Reviewers: []model.Reviewer{{Name: "A"}}}
	tests := []struct {
		name string
		edit func(*Record)
		want string
	}{
		{"bad kind", func(r *Record) { r.Kind = "yearly" }, `kind "yearly" is not one of development-team, periodic, change`},
		{"bad outcome", func(r *Record) { r.Outcome = "ok" }, `outcome "ok"`},
		{"bad date", func(r *Record) { r.Date = "02.03.2025" }, "YYYY-MM-DD"},
		{"no reviewer", func(r *Record) { r.Reviewers = nil }, "no reviewer"},
		{"after today", func(r *Record) { r.Date = "2025-03-03" }, "date 2025-03-03 is after today, 2025-03-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.edit(&r)
			err := r.Validate(day("2025-03-02"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if err := good.Validate(day("2025-03-02")); err != nil {
		t.Errorf("Validate() = %v for a good record", err)
	}
}

func TestParseReviewer(t *testing.T) {
	tests := []struct{ in, name, role string }{
		{"A. Lee:firmware lead", "A. Lee", "firmware lead"},
		{" B ", "B", ""},
		{"C: QA: lead", "C", "QA: lead"},
	}
	for _, tt := range tests {
		r, err := ParseReviewer(tt.in)
		if err != nil || r.Name != tt.name || r.Role != tt.role {
			t.Errorf("ParseReviewer(%q) = %+v, %v; want %q, %q", tt.in, r, err, tt.name, tt.role)
		}
	}
	if _, err := ParseReviewer(":lead"); err == nil {
		t.Error("ParseReviewer(\":lead\") = nil error, want one")
	}
}

func TestStatusIgnoresFutureReview(t *testing.T) {
	m := &model.Model{
		System:  model.System{Lifecycle: "released", Released: "2024-01-01"},
		Reviews: []model.Review{{Date: "2030-01-01", Kind: "periodic"}},
	}
	r := Status(m, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), 0)
	if !r.Overdue {
		t.Error("a review dated 2030 made a 2026 assessment current; want overdue")
	}
	if len(r.Future) != 1 || r.Future[0] != "2030-01-01" {
		t.Errorf("Future = %v, want [2030-01-01]", r.Future)
	}
}

func TestRecordCheckVersion(t *testing.T) {
	tests := []struct {
		record, document string
		ok               bool
	}{
		{"", "1.0", true},
		{"1.0", "1.0", true},
		{"2.0", "", true},
		{"2.0", "1.0", false},
	}
	for _, tt := range tests {
		err := Record{Version: tt.record}.CheckVersion(tt.document)
		if (err == nil) != tt.ok {
			t.Errorf("Record{Version: %q}.CheckVersion(%q) = %v, want ok=%v", tt.record, tt.document, err, tt.ok)
		}
	}
}
