package calendar

import (
	"context"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar/inflight"
)

// TestFetchAllLimit: after the first batch (alone), never more Availability
// calls at once than the source's MaxConcurrent, that many side by side, and
// the answers in the order of the people.
func TestFetchAllLimit(t *testing.T) {
	for _, tc := range []struct {
		name          string
		people, batch int
		concurrent    int
		wantRequests  int
	}{
		{"four at a time", 200, 20, 4, 10},
		{"two at a time", 100, 20, 2, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: tc.batch, MaxConcurrent: tc.concurrent}}
			c := inflight.New(tc.concurrent)
			src.fail = func(time.Time, int, string) (time.Time, error) {
				c.Hold()
				return time.Time{}, nil
			}
			people := newPeople(tc.people)
			avail, err := FetchAll(context.Background(), src, people, FetchWindow(simStart, berlin))
			if err != nil {
				t.Fatal(err)
			}
			calls, most := c.Counts()
			if calls != tc.wantRequests || most != tc.concurrent || src.maxInFlight != tc.concurrent {
				t.Errorf("%d requests, at most %d at once (source saw %d); want %d, at most %d",
					calls, most, src.maxInFlight, tc.wantRequests, tc.concurrent)
			}
			if len(avail) != len(people) {
				t.Fatalf("%d answers for %d people", len(avail), len(people))
			}
			for i, a := range avail {
				if a.Person.Email != people[i].Email {
					t.Fatalf("answer %d is for %s, want %s", i, a.Person.Email, people[i].Email)
				}
			}
		})
	}
}
