package calendar

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeClock is simulated time for the refresher. Inside a synctest bubble,
// runUntil waits until every goroutine is blocked, then jumps straight to the
// next timer: hours of polling take milliseconds and nothing depends on the
// machine's speed.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	clock *fakeClock
	when  time.Time
	ch    chan time.Time
	fn    func()
}

func newFakeClock(start time.Time) *fakeClock { return &fakeClock{now: start} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	return c.add(&fakeTimer{clock: c, ch: make(chan time.Time, 1)}, d)
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	return c.add(&fakeTimer{clock: c, fn: f}, d)
}

func (c *fakeClock) add(t *fakeTimer, d time.Duration) *fakeTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t.when = c.now.Add(d)
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.Index(c.timers, t)
	if i < 0 {
		return false
	}
	c.timers = slices.Delete(c.timers, i, i+1)
	return true
}

func (c *fakeClock) pendingTimers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// runUntil advances simulated time to end, firing every timer on the way once
// everything else in the bubble has settled. Must run inside synctest.Test.
func (c *fakeClock) runUntil(end time.Time) {
	for {
		synctest.Wait()
		c.mu.Lock()
		var next *fakeTimer
		for _, t := range c.timers {
			if next == nil || t.when.Before(next.when) {
				next = t
			}
		}
		if next == nil || next.when.After(end) {
			if end.After(c.now) {
				c.now = end
			}
			c.mu.Unlock()
			synctest.Wait()
			return
		}
		if next.when.After(c.now) {
			c.now = next.when
		}
		due := c.timers[:0:0]
		kept := c.timers[:0]
		for _, t := range c.timers {
			if t.when.After(c.now) {
				kept = append(kept, t)
			} else {
				due = append(due, t)
			}
		}
		c.timers = kept
		c.mu.Unlock()
		for _, t := range due {
			if t.fn != nil {
				go t.fn()
			} else {
				t.ch <- t.when
			}
		}
	}
}

func (c *fakeClock) runFor(d time.Duration) { c.runUntil(c.Now().Add(d)) }

// sourceEvent is a request reaching the fake server or its answer leaving it,
// numbered in the order the server saw them.
type sourceEvent struct {
	seq    int
	at     time.Time
	kind   string // "directory" or "availability"
	people []string
	answer bool
	err    error
	// retryUntil is the end of the back-off a throttling answer asked for.
	retryUntil time.Time
}

// fakeSource is a calendar server that counts every request. Its behaviour
// over time comes from fail; latency spreads answers over simulated time.
type fakeSource struct {
	clock  *fakeClock
	limits Limits
	people []Person
	// fail decides the answer to request n (counting from 0) arriving at now;
	// retryUntil marks the end of the back-off the answer asks for, if any.
	fail func(now time.Time, n int, kind string) (retryUntil time.Time, err error)
	// latency is how long request n takes on the simulated clock.
	latency func(n int) time.Duration
	// hang makes a failing request wait for its context instead of answering.
	hang func(now time.Time) bool
	// keepEvents records every request and answer; off for the 24-hour run.
	keepEvents bool
	// garble, when set, rewrites an answer before it leaves at now, as a
	// server whose records (or whole answer) do not read would.
	garble func(now time.Time, people []Person, w Window, avail []Availability) []Availability

	mu          sync.Mutex
	seq         int
	requests    int
	directory   int
	inFlight    int
	maxInFlight int
	maxBatch    int
	events      []sourceEvent
}

func newPeople(n int) []Person {
	people := make([]Person, n)
	for i := range people {
		people[i] = Person{Name: fmt.Sprintf("Person %04d", i), Email: fmt.Sprintf("p%04d@example.com", i)}
	}
	return people
}

func (s *fakeSource) Name() string   { return "fake" }
func (s *fakeSource) Limits() Limits { return s.limits }

func (s *fakeSource) Directory(ctx context.Context) ([]Person, error) {
	if err := s.begin(ctx, "directory", nil); err != nil {
		return nil, err
	}
	return append([]Person(nil), s.people...), nil
}

func (s *fakeSource) Availability(ctx context.Context, people []Person, w Window) ([]Availability, error) {
	if err := s.begin(ctx, "availability", people); err != nil {
		return nil, err
	}
	out := make([]Availability, len(people))
	loc := w.Start.Location()
	for i, p := range people {
		day := w.Start
		out[i] = Availability{
			Person: p, Window: w, WorkingHours: DefaultWorkingHours(loc),
			Slots: []Slot{
				{Start: day.Add(9 * time.Hour), End: day.Add(10 * time.Hour), Status: StatusBusy, Subject: "Stand-up"},
				{Start: day.Add(14 * time.Hour), End: day.Add(15 * time.Hour), Status: StatusTentative},
			},
		}
	}
	if s.garble != nil {
		out = s.garble(s.clock.Now(), people, w, out)
	}
	return out, nil
}

// begin plays one request: arrival, latency, answer.
func (s *fakeSource) begin(ctx context.Context, kind string, people []Person) error {
	s.mu.Lock()
	n := s.requests
	s.requests++
	if kind == "directory" {
		s.directory++
	}
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.maxBatch = max(s.maxBatch, len(people))
	now := s.clock.Now()
	if s.keepEvents {
		keys := make([]string, len(people))
		for i, p := range people {
			keys[i] = p.Key()
		}
		s.events = append(s.events, sourceEvent{seq: s.seq, at: now, kind: kind, people: keys})
	}
	s.seq++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	if s.latency != nil {
		if d := s.latency(n); d > 0 {
			t := s.clock.NewTimer(d)
			select {
			case <-t.C():
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
	}
	if s.hang != nil && s.hang(s.clock.Now()) {
		<-ctx.Done()
		return ctx.Err()
	}
	var err error
	var until time.Time
	if s.fail != nil {
		until, err = s.fail(s.clock.Now(), n, kind)
	}
	s.mu.Lock()
	if s.keepEvents {
		s.events = append(s.events, sourceEvent{seq: s.seq, at: s.clock.Now(), kind: kind, answer: true, err: err, retryUntil: until})
	}
	s.seq++
	s.mu.Unlock()
	return err
}

func (s *fakeSource) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *fakeSource) snapshotEvents() []sourceEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// requestsAfter returns the requests that arrived at or after t.
func (s *fakeSource) requestsAfter(t time.Time) []sourceEvent {
	var out []sourceEvent
	for _, e := range s.snapshotEvents() {
		if !e.answer && !e.at.Before(t) {
			out = append(out, e)
		}
	}
	return out
}

// distinctLatency gives every request its own answer time, so no two answers
// ever arrive at the same simulated instant.
func distinctLatency(n int) time.Duration {
	return 100*time.Millisecond + time.Duration(n%997)*time.Millisecond
}

// simStart is a Monday morning in Berlin.
var simStart = time.Date(2026, 11, 23, 8, 0, 0, 0, mustLoad("Europe/Berlin"))

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// engine is one refresher running on a fake clock inside a bubble.
type engine struct {
	*Refresher
	clock  *fakeClock
	src    *fakeSource
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

func startEngine(t *testing.T, src *fakeSource, opts RefresherOptions) *engine {
	t.Helper()
	clock := src.clock
	opts.Source, opts.Clock = src, clock
	if opts.Location == nil {
		opts.Location = simStart.Location()
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	r, err := NewRefresher(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &engine{Refresher: r, clock: clock, src: src, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- r.Run(ctx) }()
	t.Cleanup(e.stop)
	return e
}

// stop ends Run; every goroutine of the bubble must be gone before the test ends.
func (e *engine) stop() {
	e.once.Do(func() {
		e.cancel()
		e.clock.runFor(0)
		<-e.done
	})
}

func (e *engine) latest(t *testing.T) Snapshot {
	t.Helper()
	s, ok := e.Latest()
	if !ok {
		t.Fatal("no snapshot published")
	}
	return s
}

// ptrs is people as a snapshot holds them.
func ptrs(people []PersonState) []*PersonState {
	out := make([]*PersonState, len(people))
	for i := range people {
		out[i] = &people[i]
	}
	return out
}
