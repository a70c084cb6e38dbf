package calendar

import (
	"sync"
	"time"
)

// publisher holds what the engine last told its subscribers. Not safe for
// concurrent use: the Refresher's lock guards it.
type publisher struct {
	refreshing  bool // a directory load or a cycle is in flight
	lastSuccess time.Time
	lastPublish time.Time
	latest      Snapshot
	haveLatest  bool
	// directoryChanged: the directory brought people the latest snapshot
	// does not hold; the next publish evaluates them even where it would
	// otherwise only update the engine's state.
	directoryChanged bool
	subs             map[*subscription]struct{}
}

type subscription struct{ ch chan Snapshot }

// publishLocked makes a new immutable snapshot and hands it to every subscriber.
// Without reevaluate only the engine state changes and People are shared with
// the previous snapshot (nobody modifies either). With it, only the people
// whose state may have changed are evaluated again (roster.evaluate).
func (r *Refresher) publishLocked(now time.Time, reevaluate bool) {
	var s Snapshot
	if reevaluate || !r.pub.haveLatest || r.pub.directoryChanged {
		r.pub.directoryChanged = false
		at := now.In(r.loc)
		// Today and the next working day, for the day view.
		people, dirRev := r.roster.evaluate(at, TimelineSpan(at, r.loc), r.oofMaxAgeLocked(), r.soonWithin)
		s = Snapshot{Source: r.src.Name(), At: at, People: people, DirectoryRevision: dirRev}
	} else {
		s = r.pub.latest
	}
	s.GeneratedAt = now
	s.RoomsErr, s.RoomsOff = r.rooms.err, r.roomsOff
	s.Engine = r.engineStateLocked(s.People)
	r.pub.latest, r.pub.haveLatest, r.pub.lastPublish = s, true, now
	for sub := range r.pub.subs {
		sub.deliver(s)
	}
}

func (r *Refresher) engineStateLocked(people []*PersonState) EngineState {
	es := EngineState{
		Refreshing:  r.pub.refreshing,
		LastSuccess: r.pub.lastSuccess,
		Interval:    r.sched.interval,
		Notice:      r.sched.notice,
		Limitations: limitationsOf(r.src),
		// The saved colleagues are never shown as a live listing.
		DirectorySaved: r.directorySaved,
	}
	if !r.gate.describe(&es) {
		es.State = OverallState(people)
	}
	es.Stale = es.State != StateOK && es.State != StatePartial
	return es
}

// deliver replaces whatever the subscriber has not read yet: a slow UI gets the
// latest snapshot, never a queue of old ones, and never blocks the engine.
func (s *subscription) deliver(snap Snapshot) {
	select {
	case s.ch <- snap:
		return
	default:
	}
	select {
	case <-s.ch:
	default:
	}
	s.ch <- snap // cannot block: only the publisher sends, under the engine's lock
}

// Subscribe returns a channel that always holds the latest snapshot (the current
// one at once, if any) and a func to stop. The channel is closed by the func,
// not by Run returning.
func (r *Refresher) Subscribe() (<-chan Snapshot, func()) {
	sub := &subscription{ch: make(chan Snapshot, 1)}
	r.mu.Lock()
	r.pub.subs[sub] = struct{}{}
	if r.pub.haveLatest {
		sub.ch <- r.pub.latest
	}
	r.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			r.mu.Lock()
			delete(r.pub.subs, sub)
			close(sub.ch)
			r.mu.Unlock()
		})
	}
}

// Latest returns the last published snapshot; ok is false before the first.
func (r *Refresher) Latest() (snap Snapshot, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pub.latest, r.pub.haveLatest
}
