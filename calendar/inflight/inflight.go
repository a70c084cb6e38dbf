// Package inflight counts the calls a test's fake server has in flight, so
// a test can prove a concurrency limit. Tests only.
package inflight

import (
	"sync"
	"time"
)

// quiet is how long no call has come when the held calls go on. It only
// keeps a correct limit from hanging a test; nothing is measured by it.
const quiet = 300 * time.Millisecond

// Counter counts calls in flight against a limit. Each call is held until
// one call too many is in flight (then all go on, and Counts shows it) or no
// call has come for a moment: the calls the limit allows gather side by
// side, however slowly they come, and one over the limit, sent while they
// are held, is seen.
type Counter struct {
	limit     int
	mu        sync.Mutex
	now, most int
	calls     int
	lastCame  time.Time
	over      chan struct{}
	overOnce  sync.Once
}

// New is a Counter for calls that should be at most limit at a time.
func New(limit int) *Counter {
	return &Counter{limit: limit, over: make(chan struct{})}
}

// Hold plays one call: arrival, a wait for company, departure.
func (c *Counter) Hold() {
	c.mu.Lock()
	c.now++
	c.calls++
	c.most = max(c.most, c.now)
	c.lastCame = time.Now()
	if c.now > c.limit {
		c.overOnce.Do(func() { close(c.over) })
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.now--
		c.mu.Unlock()
	}()
	for wait := quiet; wait > 0; wait = c.untilQuiet() {
		select {
		case <-c.over:
			return
		case <-time.After(wait):
		}
	}
}

// untilQuiet is how long until no call will have come for quiet.
func (c *Counter) untilQuiet() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Until(c.lastCame.Add(quiet))
}

// Counts is how many calls came and the most in flight at once.
func (c *Counter) Counts() (calls, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.most
}
