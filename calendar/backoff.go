package calendar

import (
	"math/rand/v2"
	"time"
)

// Backoff spaces out retries: exponential from Base, never above Cap, with jitter
// so that many consoles that lost the same server do not come back in step.
// Reset it after a success. The zero value is not useful; set Base and Cap.
// Not safe for concurrent use.
type Backoff struct {
	Base time.Duration
	Cap  time.Duration
	// Rand returns a number in [0, 1); nil means math/rand/v2.
	Rand func() float64

	attempts int
}

// Next returns the delay before the next attempt and counts the attempt.
// The delay is at least half the exponential step ("equal jitter"), so a
// back-off never collapses to nothing, and never more than Cap.
func (b *Backoff) Next() time.Duration {
	step := b.Base
	for i := 0; i < b.attempts && step < b.Cap; i++ {
		step *= 2
	}
	if step > b.Cap {
		step = b.Cap
	}
	b.attempts++
	random := rand.Float64
	if b.Rand != nil {
		random = b.Rand
	}
	half := step / 2
	return half + time.Duration(random()*float64(step-half))
}

// Reset starts the next failure streak from Base again.
func (b *Backoff) Reset() { b.attempts = 0 }

// Attempts is how many delays Next has handed out since the last Reset.
func (b *Backoff) Attempts() int { return b.attempts }
