// Package inflight counts the calls a test's fake server has in flight, so
// a test can prove a concurrency limit. Tests only.
package inflight

import (
	"sync"
	"time"
)

// holdAtMost only keeps a correct limit from hanging a test; nothing is
// measured by it.
const holdAtMost = 300 * time.Millisecond

// Counter counts calls in flight against a limit. Each call is held until
// one call too many is in flight (then all go on, and Counts shows it) or a
// moment has passed: the calls the limit allows are side by side meanwhile,
// and one over the limit, sent while they are held, is seen.
type Counter struct {
	limit     int
	mu        sync.Mutex
	now, most int
	calls     int
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
	if c.now > c.limit {
		c.overOnce.Do(func() { close(c.over) })
	}
	c.mu.Unlock()
	select {
	case <-c.over:
	case <-time.After(holdAtMost):
	}
	c.mu.Lock()
	c.now--
	c.mu.Unlock()
}

// Counts is how many calls came and the most in flight at once.
func (c *Counter) Counts() (calls, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.most
}
