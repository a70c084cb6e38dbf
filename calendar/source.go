package calendar

import (
	"context"
	"errors"
	"time"
)

// Limits are what a Source's server allows per request and in parallel.
type Limits struct {
	// BatchSize is the most people one Availability call may carry
	// (Graph getSchedule 20 by default, EWS GetUserAvailability 100).
	BatchSize int
	// MaxConcurrent is the most Availability calls in flight at once
	// (Outlook allows 4 concurrent requests per app per mailbox).
	MaxConcurrent int
}

// Source is a calendar backend: Microsoft Graph, EWS, or the demo company.
type Source interface {
	// Name is the contract's source name: "microsoft365", "ews" or "demo".
	Name() string
	// Directory lists the colleagues the console shows. It bounds each of its
	// requests itself: callers give the listing as a whole no deadline.
	Directory(ctx context.Context) ([]Person, error)
	// Availability returns one Availability per person, in the order given.
	// A per-person failure goes in that Availability's Err; a returned error means
	// the whole call failed (auth, throttling, network) and is a *Error where the
	// backend can tell its kind.
	Availability(ctx context.Context, people []Person, window Window) ([]Availability, error)
	Limits() Limits
}

// Searcher is implemented by sources whose directory can be searched on the
// server (EWS ResolveNames) beyond the loaded list.
type Searcher interface {
	Search(ctx context.Context, query string, max int) ([]Person, error)
}

// Batches splits people into slices of at most size.
func Batches(people []Person, size int) [][]Person {
	if size <= 0 {
		size = len(people)
	}
	var out [][]Person
	for len(people) > 0 {
		n := min(size, len(people))
		out = append(out, people[:n:n])
		people = people[n:]
	}
	return out
}

// FetchAll asks src about everyone in batches, honouring its limits, and returns
// availabilities in the order of people. It stops at the first whole-call error:
// after an auth failure not one more request may leave. As in the Refresher's
// cycles, the first batch goes alone and the rest follow once it succeeded.
// The application refreshes through the Refresher (RefreshOnce for one-shot
// callers); this is for tools and tests that hold a Source directly.
func FetchAll(ctx context.Context, src Source, people []Person, window Window) ([]Availability, error) {
	lim := src.Limits()
	batches := Batches(people, lim.BatchSize)
	results := make([][]Availability, len(batches))
	conc := max(lim.MaxConcurrent, 1)
	fetch := func(ctx context.Context, i int) error {
		av, err := src.Availability(ctx, batches[i], window)
		if err == nil && len(av) != len(batches[i]) {
			err = &Error{Kind: KindTransient, Op: src.Name() + ".Availability", Err: errors.New("server answered for a different number of people")}
		}
		if err != nil {
			return err
		}
		results[i] = av
		return nil
	}
	// A rejected password costs one request, not MaxConcurrent.
	err := InParallel(ctx, min(len(batches), 1), 1, fetch)
	if err == nil && len(batches) > 1 {
		err = InParallel(ctx, len(batches)-1, conc, func(ctx context.Context, i int) error { return fetch(ctx, i+1) })
	}
	if err != nil {
		return nil, err
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	out := make([]Availability, 0, len(people))
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// BuildSnapshot evaluates every availability at `at` in loc.
func BuildSnapshot(source string, avail []Availability, at time.Time, loc *time.Location, generated time.Time) Snapshot {
	at = at.In(loc)
	day := TimelineSpan(at, loc)
	people := make([]*PersonState, len(avail))
	for i, a := range avail {
		ps := Evaluate(a, at, day)
		people[i] = &ps
	}
	return Snapshot{
		Source:      source,
		At:          at,
		GeneratedAt: generated,
		Engine:      EngineState{State: OverallState(people), LastSuccess: generated},
		People:      people,
	}
}
