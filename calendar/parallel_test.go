package calendar

import (
	"context"
	"errors"
	"sync"
	"testing"

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
