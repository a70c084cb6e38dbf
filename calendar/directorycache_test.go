package calendar

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// savedDirectorySource keeps a saved directory, as Graph's on-disk cache
// does, and lists the live one only when the test lets it.
type savedDirectorySource struct {
	saved     []Person
	savedAt   time.Time
	release   chan struct{}
	listed    []Person
	listErr   error
	fromCache time.Time // what DirectoryFromCache reports after the listing

	mu          sync.Mutex
	asked       int // Availability calls
	listingDone bool
}

func (s *savedDirectorySource) Name() string   { return "saved" }
func (s *savedDirectorySource) Limits() Limits { return Limits{BatchSize: 20, MaxConcurrent: 1} }

func (s *savedDirectorySource) CachedDirectory() ([]Person, time.Time, bool) {
	return s.saved, s.savedAt, len(s.saved) > 0
}

func (s *savedDirectorySource) DirectoryFromCache() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.listingDone {
		return time.Time{}
	}
	return s.fromCache
}

func (s *savedDirectorySource) Directory(ctx context.Context) ([]Person, error) {
	select {
	case <-s.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	s.listingDone = true
	s.mu.Unlock()
	return s.listed, s.listErr
}

func (s *savedDirectorySource) Availability(_ context.Context, people []Person, w Window) ([]Availability, error) {
	s.mu.Lock()
	s.asked++
	s.mu.Unlock()
	out := make([]Availability, len(people))
	for i, p := range people {
		out[i] = Availability{Person: p, Window: w}
	}
	return out, nil
}

func namedPeople(prefix string, n int) []Person {
	out := make([]Person, n)
	for i := range out {
		out[i] = Person{Name: fmt.Sprintf("%s %d", prefix, i), Email: fmt.Sprintf("p%d@example.com", i)}
	}
	return out
}

// nextSnapshot waits for a snapshot that satisfies ok; the deadline only
// keeps a broken engine from hanging the test.
func nextSnapshot(t *testing.T, ch <-chan Snapshot, ok func(Snapshot) bool) Snapshot {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-ch:
			if ok(s) {
				return s
			}
		case <-deadline:
			t.Fatal("no such snapshot published")
			return Snapshot{}
		}
	}
}

// TestSavedDirectoryShownWhileListing: at start the saved colleagues are
// listed at once, marked as the saved copy and no calendar is asked for on
// their account; the listing then replaces them. A failed listing leaves them
// on show, still marked; so does a source that stood its saved copy in.
func TestSavedDirectoryShownWhileListing(t *testing.T) {
	savedAt := time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		listed    []Person
		listErr   error
		fromCache time.Time
		wantName  string // the first person after the listing
		wantSaved time.Time
	}{
		{"live listing replaces it", namedPeople("Live", 3), nil, time.Time{}, "Live 0", time.Time{}},
		{"listing fails", nil, &Error{Kind: KindTransient, Op: "saved.Directory", Err: errors.New("offline")}, time.Time{}, "Saved 0", savedAt},
		{"source stands its copy in", namedPeople("Saved", 3), nil, savedAt, "Saved 0", savedAt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &savedDirectorySource{saved: namedPeople("Saved", 3), savedAt: savedAt, release: make(chan struct{}),
				listed: tc.listed, listErr: tc.listErr, fromCache: tc.fromCache}
			r, err := NewRefresher(RefresherOptions{Source: src, Location: time.UTC, Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			snaps, unsubscribe := r.Subscribe()
			defer unsubscribe()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- r.Run(ctx) }()
			defer func() { cancel(); <-done }()

			first := nextSnapshot(t, snaps, func(Snapshot) bool { return true })
			if len(first.People) != 3 || first.People[0].Person.Name != "Saved 0" || !first.Engine.DirectorySaved.Equal(savedAt) || !first.Engine.Refreshing {
				t.Fatalf("before the listing: %d people (%+v), saved %v, refreshing %v; want the 3 saved, marked",
					len(first.People), first.People, first.Engine.DirectorySaved, first.Engine.Refreshing)
			}
			src.mu.Lock()
			asked := src.asked
			src.mu.Unlock()
			if asked != 0 {
				t.Errorf("%d calendar requests before the listing", asked)
			}
			close(src.release)
			after := nextSnapshot(t, snaps, func(s Snapshot) bool { return !s.Engine.Refreshing })
			if len(after.People) == 0 || after.People[0].Person.Name != tc.wantName || !after.Engine.DirectorySaved.Equal(tc.wantSaved) {
				t.Errorf("after the listing: first %+v, saved %v; want %q, saved %v", after.People, after.Engine.DirectorySaved, tc.wantName, tc.wantSaved)
			}
		})
	}
}

// TestStatusJSONSaysTheDirectoryIsTheSavedCopy: status --json names the
// saved copy's time, and says nothing of it for a live listing.
func TestStatusJSONSaysTheDirectoryIsTheSavedCopy(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		saved time.Time
		want  string
	}{
		{"saved copy", time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC), `"directory_saved_at":"2026-11-20T17:30:00Z"`},
		{"live listing", time.Time{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Snapshot{Source: "microsoft365", At: at, GeneratedAt: at, Engine: EngineState{State: StateOK, DirectorySaved: tc.saved}}.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			got := string(data)
			if tc.want != "" && !strings.Contains(got, tc.want) || tc.want == "" && strings.Contains(got, "directory_saved_at") {
				t.Errorf("status --json %s, want %q", got, tc.want)
			}
		})
	}
}
