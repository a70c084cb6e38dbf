package calendar

import (
	"context"
	"testing"
	"time"
)

// pagedDirectory lists its people in pages that each take a while, as a
// tenant-wide Graph listing does; each page honours ctx, as each request does.
type pagedDirectory struct {
	pages    int
	pageTime time.Duration
}

func (s *pagedDirectory) Name() string   { return "paged" }
func (s *pagedDirectory) Limits() Limits { return Limits{BatchSize: 20, MaxConcurrent: 1} }

func (s *pagedDirectory) Directory(ctx context.Context) ([]Person, error) {
	var people []Person
	for i := range s.pages {
		select {
		case <-time.After(s.pageTime):
		case <-ctx.Done():
			return nil, &Error{Kind: KindTransient, Op: "paged.Directory", Err: context.Cause(ctx)}
		}
		people = append(people, Person{Name: "P", Email: string(rune('a'+i)) + "@example.com"})
	}
	return people, nil
}

func (s *pagedDirectory) Availability(_ context.Context, people []Person, w Window) ([]Availability, error) {
	out := make([]Availability, len(people))
	for i, p := range people {
		out[i] = Availability{Person: p, Window: w}
	}
	return out, nil
}

// TestDirectoryHasNoDeadlineAsAWhole: the request timeout bounds each
// request, not a listing of many pages (each Source bounds its own pages), so
// a directory that takes longer than one request still loads.
func TestDirectoryHasNoDeadlineAsAWhole(t *testing.T) {
	src := &pagedDirectory{pages: 4, pageTime: 60 * time.Millisecond}
	r, err := NewRefresher(RefresherOptions{Source: src, Location: time.UTC, RequestTimeout: 100 * time.Millisecond, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := r.RefreshOnce(context.Background())
	if err != nil || len(snap.People) != 4 {
		t.Fatalf("four pages of 60 ms under a 100 ms request timeout: %d people, %v", len(snap.People), err)
	}
}
