package calendar

import (
	"context"
	"time"
)

// SelectionFreshness is how young a colleague's data must be for a click or
// Enter on them to send nothing: what is on screen is as good as a new
// answer, and every click cost a request (two on Exchange) before.
const SelectionFreshness = 15 * time.Second

// RefreshOnce is one cycle of Run for a one-shot caller such as `frontdesk
// status`: the directory, then everyone in batches behind the same gates, in
// the same window and order as Run, and the snapshot Run would publish. err is
// the reason when the engine stopped (sign-in, throttling, network) or ctx
// ended; the snapshot carries the engine's state either way. Not while Run runs.
func (r *Refresher) RefreshOnce(ctx context.Context) (Snapshot, error) {
	if !r.start() {
		return Snapshot{}, ErrAlreadyRunning
	}
	defer r.stop()
	r.mu.Lock()
	r.oneShot = true
	r.roster.once = true
	r.mu.Unlock()
	r.loadDirectory(ctx)
	r.mu.Lock()
	_, blocked := r.gate.blockedUntil(r.clock.Now())
	cycle := r.roster.loaded && !r.gate.paused() && !blocked
	r.mu.Unlock()
	if cycle {
		r.runCycle(ctx)
	}
	snap, _ := r.Latest()
	switch {
	case ctx.Err() != nil:
		return snap, ctx.Err()
	case snap.Engine.Stale:
		return snap, snap.Engine.Reason
	}
	return snap, nil
}

// RefreshNow asks for one person (by Person.Key) as soon as the limits allow;
// an empty key asks for everyone. It never sends anything itself: ErrPaused and
// ErrBackingOff say why nothing will leave now. Requests coalesce, so calling
// it on every selection change or key repeat is safe.
func (r *Refresher) RefreshNow(personKey string) error {
	personKey = normKey(personKey)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refreshNowLocked(personKey, r.clock.Now())
}

// RefreshIfStale is the refresh a selection asks for (a click or Enter on a
// colleague): nothing when their data is younger than SelectionFreshness,
// else RefreshNow. F5 is RefreshNow, which always asks.
func (r *Refresher) RefreshIfStale(personKey string) error {
	personKey = normKey(personKey)
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	if i, ok := r.roster.index[personKey]; ok && personKey != "" {
		if at := r.roster.fetched[i].fetchedAt; !at.IsZero() && !now.Before(at) && now.Sub(at) < SelectionFreshness {
			return nil
		}
	}
	return r.refreshNowLocked(personKey, now)
}

func (r *Refresher) refreshNowLocked(personKey string, now time.Time) error {
	if r.gate.paused() {
		return ErrPaused
	}
	if _, blocked := r.gate.blockedUntil(now); blocked {
		return ErrBackingOff
	}
	if personKey == "" {
		r.sched.fullRequested = true
	} else {
		if _, ok := r.roster.index[personKey]; r.roster.loaded && !ok {
			return ErrUnknownPerson
		}
		if _, ok := r.sched.pending[personKey]; !ok {
			r.sched.pending[personKey] = now
		}
	}
	r.notify()
	return nil
}

// SetSelected marks the person the operator is looking at; they are refreshed
// first in every cycle. An empty key clears it.
func (r *Refresher) SetSelected(personKey string) {
	r.mu.Lock()
	r.sched.selected = normKey(personKey)
	r.mu.Unlock()
}

// SetFavourites replaces the favourites (person keys, in order): they are
// refreshed first and listed first from the next snapshot on.
func (r *Refresher) SetFavourites(keys []string) {
	r.mu.Lock()
	r.sched.setFavourites(keys)
	r.roster.reorder(r.sched.favourites)
	// The next snapshot lists them in the new order, even one that would
	// otherwise only say a refresh started.
	r.pub.directoryChanged = true
	r.mu.Unlock()
}

// SetWatched replaces the colleagues the operator asked to be told about
// when free (person keys, in the order watched): from the next refresh on
// they are asked about right after the selected colleague, and they ride
// along in on-demand requests with room to spare. Nothing is sent for them.
func (r *Refresher) SetWatched(keys []string) {
	r.mu.Lock()
	r.sched.setWatched(keys)
	r.mu.Unlock()
}

// ReloadDirectory asks for the directory again at the next opportunity.
func (r *Refresher) ReloadDirectory() {
	r.mu.Lock()
	r.roster.due = r.clock.Now()
	r.mu.Unlock()
	r.notify()
}

// Resume is the operator's answer to a pause: a new password, a new sign-in or a
// fixed configuration. Exactly one request follows (alone, to check the new
// credentials); polling continues only if it succeeds. A back-off the server
// asked for still runs to its end first.
func (r *Refresher) Resume() {
	// The source first: what it switched off for want of a sign-in or consent
	// is asked for again with the credentials the operator just gave.
	if o, ok := r.src.(CredentialsObserver); ok {
		o.CredentialsChanged()
	}
	r.mu.Lock()
	if KindOf(r.rooms.err) == KindPermission {
		// The sign-in may have brought the approval the rooms lacked.
		r.rooms.due, r.roster.due = time.Time{}, r.clock.Now()
	}
	if r.gate.resume() {
		now := r.clock.Now()
		r.sched.nextCycle = now
		r.publishLocked(now, true)
	}
	r.mu.Unlock()
	r.notify()
}

// CredentialsChanged is Resume under the name the sign-in code thinks in: a
// password changed while running is handled as after a pause.
func (r *Refresher) CredentialsChanged() { r.Resume() }
