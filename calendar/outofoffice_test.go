package calendar

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// oofSource answers with an empty calendar (free all day) and, for each
// cycle, the automatic-reply reading the script gives: nil is a cycle whose
// MailTips or presence call failed, so the answer carries no reading.
type oofSource struct {
	clock  *fakeClock
	people []Person
	script []*OutOfOffice

	mu    sync.Mutex
	cycle int
}

func (s *oofSource) Name() string   { return "fake" }
func (s *oofSource) Limits() Limits { return Limits{BatchSize: 20, MaxConcurrent: 1} }

func (s *oofSource) Directory(context.Context) ([]Person, error) { return s.people, nil }

func (s *oofSource) Availability(_ context.Context, people []Person, w Window) ([]Availability, error) {
	s.mu.Lock()
	reading := s.script[min(s.cycle, len(s.script)-1)]
	s.cycle++
	s.mu.Unlock()
	out := make([]Availability, len(people))
	for i, p := range people {
		out[i] = Availability{Person: p, Window: w, WorkingHours: DefaultWorkingHours(w.Start.Location())}
		if reading != nil {
			out[i].OutOfOffice = *reading
			out[i].OutOfOffice.AsOf = s.clock.Now()
		}
	}
	return out, nil
}

// TestOutOfOfficeSurvivesFailedReadings: a colleague whose automatic replies
// were on stays out of office, "as of" the last reading, through a cycle
// whose MailTips (or presence) failed; once that reading is older than two
// refresh intervals they read Unknown, never Free.
func TestOutOfOfficeSurvivesFailedReadings(t *testing.T) {
	const interval = time.Minute
	away := &OutOfOffice{Active: true, Message: "Back on Monday"}
	back := &OutOfOffice{}
	type step struct {
		reading     *OutOfOffice // nil: the cycle's reading failed
		wantStatus  Status
		wantKept    bool
		wantUnknown bool
		wantAsOf    int // the cycle whose reading stands; -1 none
	}
	tests := []struct {
		name  string
		steps []step
	}{{
		name: "away, then readings fail for three cycles, then back",
		steps: []step{
			{reading: away, wantStatus: StatusOOF, wantAsOf: 0},
			{reading: nil, wantStatus: StatusOOF, wantKept: true, wantAsOf: 0},                        // one failed cycle
			{reading: nil, wantStatus: StatusOOF, wantKept: true, wantAsOf: 0},                        // two intervals old: still stands
			{reading: nil, wantStatus: StatusUnknown, wantKept: true, wantUnknown: true, wantAsOf: 0}, // older than two intervals
			{reading: back, wantStatus: StatusFree, wantAsOf: 4},
		},
	}, {
		name: "not away, then readings fail: the calendar still speaks",
		steps: []step{
			{reading: back, wantStatus: StatusFree, wantAsOf: 0},
			{reading: nil, wantStatus: StatusFree, wantKept: true, wantAsOf: 0},
			{reading: nil, wantStatus: StatusFree, wantKept: true, wantAsOf: 0},
			{reading: nil, wantStatus: StatusFree, wantKept: true, wantUnknown: true, wantAsOf: 0},
			{reading: away, wantStatus: StatusOOF, wantAsOf: 4},
		},
	}, {
		name: "a source that never reads automatic replies is taken as it answers",
		steps: []step{
			{reading: nil, wantStatus: StatusFree, wantAsOf: -1},
			{reading: nil, wantStatus: StatusFree, wantAsOf: -1},
			{reading: nil, wantStatus: StatusFree, wantAsOf: -1},
			{reading: nil, wantStatus: StatusFree, wantAsOf: -1},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Date(2026, 11, 23, 10, 42, 0, 0, time.UTC) // a Monday, in working hours
				clock := newFakeClock(start)
				src := &oofSource{clock: clock, people: []Person{{Name: "Dan Park", Email: "dan@example.com"}}}
				for _, s := range tt.steps {
					src.script = append(src.script, s.reading)
				}
				r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Interval: interval, Location: time.UTC, Logger: quietLogger()})
				if err != nil {
					t.Fatal(err)
				}
				for n, s := range tt.steps {
					clock.mu.Lock()
					clock.now = start.Add(time.Duration(n) * interval)
					clock.mu.Unlock()
					snap, err := r.RefreshOnce(context.Background())
					if err != nil {
						t.Fatalf("cycle %d: %v", n, err)
					}
					dan := snap.People[0]
					oof := dan.OutOfOffice
					if dan.Status != s.wantStatus || oof.Kept != s.wantKept || oof.Unknown != s.wantUnknown {
						t.Fatalf("cycle %d: status %s, kept %v, unknown %v; want %s, %v, %v (%+v)", n, dan.Status, oof.Kept, oof.Unknown, s.wantStatus, s.wantKept, s.wantUnknown, oof)
					}
					wantAsOf := time.Time{}
					if s.wantAsOf >= 0 {
						wantAsOf = start.Add(time.Duration(s.wantAsOf) * interval)
					}
					if !oof.AsOf.Equal(wantAsOf) {
						t.Fatalf("cycle %d: as of %v, want %v", n, oof.AsOf, wantAsOf)
					}
					if s.wantStatus == StatusUnknown && !errors.Is(dan.Err, ErrOutOfOfficeUnknown) {
						t.Fatalf("cycle %d: reason %v, want ErrOutOfOfficeUnknown", n, dan.Err)
					}
					if s.wantStatus == StatusOOF && oof.Message != away.Message {
						t.Fatalf("cycle %d: reply %q, want the last one read", n, oof.Message)
					}
				}
			})
		})
	}
}
