package calendar

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar/inflight"
)

// TestInParallelLimit: never more calls at once than the limit (a limit
// under one is one), the limit reached, every call made once with its own
// index.
func TestInParallelLimit(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, limit  int
		wantLimit int
	}{
		{"four of seven", 7, 4, 4},
		{"one at a time", 2, 1, 1},
		{"zero is one", 2, 0, 1},
		{"more room than calls", 2, 4, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := inflight.New(tc.wantLimit)
			got := make([]int, tc.n)
			err := InParallel(context.Background(), tc.n, tc.limit, func(_ context.Context, i int) error {
				c.Hold()
				got[i] = i + 1
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			calls, most := c.Counts()
			if calls != tc.n || most != tc.wantLimit {
				t.Errorf("%d calls, at most %d at once; want %d, at most %d", calls, most, tc.n, tc.wantLimit)
			}
			for i, g := range got {
				if g != i+1 {
					t.Errorf("call %d wrote %d", i, g)
				}
			}
		})
	}
}

// TestInParallelStops: a call's error stops the calls not yet started (one
// waiting for a slot included), ends the context of those running with the
// error as the cause, and is returned; an error a call keeps to itself
// stops nothing; the caller's context ending stops what is not started and
// is left for the caller to read.
func TestInParallelStops(t *testing.T) {
	refused := errors.New("refused")
	for _, tc := range []struct {
		name string
		// cancelFirst cancels the caller's context before anything starts;
		// cancelOnSecond has the second call cancel it once both run.
		cancelFirst, cancelOnSecond bool
		failFirst                   bool // the first call fails once both run
		wantCalls                   int
		wantErr                     error
		wantCause                   error // the context the second call was given
	}{
		{name: "first fails", failFirst: true, wantCalls: 2, wantErr: refused, wantCause: refused},
		{name: "caller cancels", cancelOnSecond: true, wantCalls: 2, wantCause: context.Canceled},
		{name: "caller cancelled before", cancelFirst: true, wantCalls: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancelFirst {
				cancel()
			}
			var mu sync.Mutex
			calls := 0
			var secondCause error
			var bothRun sync.WaitGroup // the first two calls wait for each other
			bothRun.Add(2)
			err := InParallel(ctx, 10, 2, func(ctx context.Context, i int) error {
				mu.Lock()
				calls++
				mu.Unlock()
				if i > 1 {
					return nil
				}
				bothRun.Done()
				bothRun.Wait()
				if i == 0 && tc.failFirst {
					return refused
				}
				if i == 1 && tc.cancelOnSecond {
					cancel()
				}
				<-ctx.Done()
				if i == 1 {
					secondCause = context.Cause(ctx)
				}
				return nil
			})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if calls != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls, tc.wantCalls)
			}
			if tc.wantCalls > 1 && !errors.Is(secondCause, tc.wantCause) {
				t.Errorf("the running call's context ended for %v, want %v", secondCause, tc.wantCause)
			}
		})
	}

	t.Run("an error kept by its call", func(t *testing.T) {
		errs := make([]error, 10)
		err := InParallel(context.Background(), 10, 2, func(_ context.Context, i int) error {
			if i%2 == 0 {
				errs[i] = refused
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range errs {
			if (e != nil) != (i%2 == 0) {
				t.Errorf("call %d: %v", i, e)
			}
		}
	})
}

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
