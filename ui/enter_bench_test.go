package ui

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// benchClock is an engine clock the benchmark moves by hand: each Enter
// comes after the selection's data aged past calendar.SelectionFreshness,
// as when an operator returns to a colleague, without waiting for it.
type benchClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*benchTimer
}

type benchTimer struct {
	clock *benchClock
	at    time.Time
	c     chan time.Time
	f     func()
}

func (c *benchClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *benchClock) NewTimer(d time.Duration) calendar.Timer {
	return c.add(d, &benchTimer{c: make(chan time.Time, 1)})
}

func (c *benchClock) AfterFunc(d time.Duration, f func()) calendar.Timer {
	return c.add(d, &benchTimer{f: f})
}

func (c *benchClock) add(d time.Duration, t *benchTimer) *benchTimer {
	c.mu.Lock()
	t.clock, t.at = c, c.now.Add(d)
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	if d <= 0 {
		c.advance(0)
	}
	return t
}

// advance moves the clock on by d and fires the timers due.
func (c *benchClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*benchTimer
	c.timers = slices.DeleteFunc(c.timers, func(t *benchTimer) bool {
		if t.at.After(c.now) {
			return false
		}
		due = append(due, t)
		return true
	})
	now := c.now
	c.mu.Unlock()
	for _, t := range due {
		if t.f != nil {
			go t.f()
		} else {
			t.c <- now
		}
	}
}

func (t *benchTimer) C() <-chan time.Time { return t.c }

func (t *benchTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	n := len(t.clock.timers)
	t.clock.timers = slices.DeleteFunc(t.clock.timers, func(o *benchTimer) bool { return o == t })
	return len(t.clock.timers) < n
}

// benchEnter is the CPU of one Enter on the selected colleague at the demo
// company of n people: the console asks the engine (as the app's
// RefreshPerson does), the engine fetches that one colleague and publishes,
// and the window applies the snapshot. The engine polls nobody else: its
// interval, directory and rooms are due only after the benchmark, and its
// clock moves 16 s per Enter, so the 10-minute request ceiling never binds
// at any -benchtime. cpu-ms/op is the process's CPU (engine, window and
// garbage collector), which the 2-core machines share.
func benchEnter(b *testing.B, n int) {
	test.NewTempApp(b)
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	clock := &benchClock{now: start}
	demo := calendar.NewDemoOfSize(paris, n)
	demo.Now = clock.Now
	never := 100_000 * time.Hour
	engine, err := calendar.NewRefresher(calendar.RefresherOptions{Source: demo, Clock: clock, Location: paris,
		Interval: never, DirectoryInterval: never, RoomsInterval: never, RequestTimeout: never, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	snaps, unsubscribe := engine.Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = engine.Run(ctx)
	}()
	defer func() { cancel(); <-ran }()

	c := NewConsole(Options{Now: clock.Now, RefreshPerson: func(key string, force bool) {
		engine.SetSelected(key)
		if force {
			_ = engine.RefreshNow(key)
		} else {
			_ = engine.RefreshIfStale(key)
		}
	}})
	w := test.NewTempWindow(b, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	for s := range snaps {
		c.Apply(s)
		if !s.Engine.LastSuccess.IsZero() && !s.Engine.Refreshing {
			break
		}
	}
	if c.colleagueCount() < n {
		b.Fatalf("%d colleagues on screen, want %d", c.colleagueCount(), n)
	}
	c.choose(0, false)
	cpu := processCPU()
	b.ResetTimer()
	for b.Loop() {
		clock.advance(calendar.SelectionFreshness + time.Second)
		c.open()
		c.Apply(<-snaps)
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	if p, ok := c.Selected(); !ok || !p.FetchedAt.Equal(clock.Now()) {
		b.Fatalf("the selected colleague was not refreshed: fetched %v, now %v", p.FetchedAt, clock.Now())
	}
}

// BenchmarkEnter1k and BenchmarkEnter50k are the figures whose ratio says
// whether an Enter stays flat with the size of the company.
func BenchmarkEnter1k(b *testing.B)  { benchEnter(b, 1_000) }
func BenchmarkEnter50k(b *testing.B) { benchEnter(b, 50_000) }
