package calendar

import "time"

// Clock is the refresh engine's only source of time. It is injected so that hours
// of polling, back-off and lockout behaviour can be tested in simulated time.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer whose C delivers once after d.
	NewTimer(d time.Duration) Timer
	// AfterFunc calls f in its own goroutine after d; the timer's C is nil.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is the part of *time.Timer the engine uses.
type Timer interface {
	C() <-chan time.Time
	// Stop reports whether it stopped the timer before it fired.
	Stop() bool
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

func (SystemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

func (SystemClock) AfterFunc(d time.Duration, f func()) Timer {
	return systemTimer{time.AfterFunc(d, f)}
}

type systemTimer struct{ t *time.Timer }

func (s systemTimer) C() <-chan time.Time { return s.t.C }
func (s systemTimer) Stop() bool          { return s.t.Stop() }
