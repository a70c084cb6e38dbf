package calendar

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// InParallel calls do(ctx, i) for every i from 0 to n-1, at most limit calls
// at a time (at least one), in the order of i, and returns once every call
// it started has returned. A call that returns an error ends the ctx the
// others were given (with that error as its cause) and is returned, the
// first one if several fail; a call whose failure must not stop the others
// keeps its error with its result and returns nil. Once ctx has ended, by a
// failure or by the caller, no further call starts: each one is a request
// that costs budget, or a password attempt, once it leaves. The caller's own
// ctx ending is not returned; callers ask their ctx (its Err or its Cause).
//
// It is errgroup with SetLimit, plus that check: errgroup's Go waits for a
// free slot without watching the context.
func InParallel(ctx context.Context, n, limit int, do func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(limit, 1))
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil // it ended while this call waited for a slot
			}
			return do(ctx, i)
		})
	}
	return g.Wait()
}
