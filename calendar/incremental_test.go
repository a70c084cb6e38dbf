package calendar

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// evaluateEveryone is what roster.evaluate made before it became
// incremental: every person evaluated at at. The incremental one must match
// it at every step.
func evaluateEveryone(ro *roster, at time.Time, day Window, oofMaxAge, soonWithin time.Duration) []PersonState {
	people := make([]PersonState, len(ro.display))
	for n, i := range ro.display {
		a := ro.fetched[i].avail.availability(*ro.people[i], ro.fetched[i].fetchedAt)
		if ro.fetched[i].fetchedAt.IsZero() {
			a = Availability{Err: errNotFetchedYet}
		}
		a.Person = *ro.people[i]
		if oof := &a.OutOfOffice; oofMaxAge > 0 && !oof.AsOf.IsZero() && at.Sub(oof.AsOf) > oofMaxAge {
			oof.Unknown = true
		}
		people[n] = Evaluate(a, at, day)
		people[n].StaleReason = ro.fetched[i].unreadable
		people[n].SoonWithin = soonWithin
	}
	return people
}

// withoutRevisions is people with every Revision zero, as evaluateEveryone makes them.
func withoutRevisions(people []*PersonState) []PersonState {
	out := values(people)
	for i := range out {
		out[i] = unpacked(out[i])
		out[i].Revision = 0
	}
	return out
}

// values is the states people point at, copied: what a snapshot read then.
func values(people []*PersonState) []PersonState {
	out := make([]PersonState, len(people))
	for i, p := range people {
		out[i] = *p
	}
	return out
}

// propertyWorld drives a roster through random answers, clock moves,
// directory reloads, favourites and settings, as a day of the engine does.
type propertyWorld struct {
	rng        *rand.Rand
	ro         roster
	now        time.Time
	loc        *time.Location
	oofMaxAge  time.Duration
	soonWithin time.Duration
	pool       []Person
	favourites map[string]int
}

func (w *propertyWorld) randomTime(around time.Time, spread time.Duration) time.Time {
	// On the quarter hour mostly, as calendars are, so instants coincide.
	t := around.Add(time.Duration(w.rng.Int64N(int64(2*spread))) - spread)
	if w.rng.IntN(4) > 0 {
		t = t.Truncate(15 * time.Minute)
	}
	return t
}

func (w *propertyWorld) randomHours() WorkingHours {
	switch w.rng.IntN(6) {
	case 0:
		return WorkingHours{}
	case 1:
		return WorkingHours{Location: mustLoad("America/New_York")} // a zone, no hours
	case 2:
		return WorkingHours{Days: mondayToFriday, Start: 22 * time.Hour, End: 6 * time.Hour, Location: w.loc}
	case 3:
		return WorkingHours{Days: []time.Weekday{time.Monday, time.Thursday}, Start: 9*time.Hour + 30*time.Minute,
			End: 13 * time.Hour, Location: mustLoad("Asia/Kolkata")}
	case 4:
		return WorkingHours{Days: mondayToFriday, Start: 9 * time.Hour, End: 17 * time.Hour} // no zone
	}
	return DefaultWorkingHours(w.loc)
}

func (w *propertyWorld) randomAnswer(p Person) Availability {
	window := FetchWindow(w.now, w.loc)
	switch w.rng.IntN(8) {
	case 0: // an answer for a window that starts later, or has already ended
		window.Start = w.randomTime(w.now.Add(2*time.Hour), 2*time.Hour)
	case 1:
		window.End = w.randomTime(w.now.Add(time.Hour), time.Hour)
	}
	a := Availability{Person: p, Window: window, WorkingHours: w.randomHours(), Presence: []string{"", "Available", "Busy"}[w.rng.IntN(3)]}
	switch w.rng.IntN(10) {
	case 0:
		a.Err = ErrCalendarNotShared
	case 1:
		a.Err = fmt.Errorf("record %d: %w", w.rng.IntN(3), ErrUnreadableAnswer)
	}
	for range w.rng.IntN(9) {
		start := w.randomTime(w.now.Add(12*time.Hour), 36*time.Hour)
		length := time.Duration(w.rng.IntN(13)) * 15 * time.Minute // zero-length too
		if w.rng.IntN(10) == 0 {
			length = 72 * time.Hour
		}
		a.Slots = append(a.Slots, Slot{Start: start, End: start.Add(length), Status: Status(w.rng.IntN(6)),
			Subject: fmt.Sprintf("item %d", w.rng.IntN(4)), Location: "Room", Private: w.rng.IntN(5) == 0})
	}
	if w.rng.IntN(4) == 0 {
		a.OutOfOffice = OutOfOffice{Active: w.rng.IntN(2) == 0, Message: "away"}
		if w.rng.IntN(3) > 0 {
			a.OutOfOffice.AsOf = w.randomTime(w.now.Add(-2*time.Minute), 2*time.Minute)
		}
	}
	if w.rng.IntN(4) == 0 {
		a.StatusMessage = StatusMessage{Text: "back soon"}
		if w.rng.IntN(2) == 0 {
			a.StatusMessage.Expires = w.randomTime(w.now.Add(time.Hour), 2*time.Hour)
		}
	}
	return a
}

// boundary is an instant some recorded answer changes at, after now: the
// clock lands on them exactly, where an off-by-one would show.
func (w *propertyWorld) boundary() (time.Time, bool) {
	var candidates []time.Time
	for _, d := range w.ro.fetched {
		for _, s := range d.avail.items.slotsCopy() {
			candidates = append(candidates, s.Start, s.End)
		}
		a := d.avail.availability(Person{}, time.Time{})
		candidates = append(candidates, a.Window.Start, a.Window.End, a.StatusMessage.Expires)
		if !d.avail.OutOfOffice.AsOf.IsZero() {
			candidates = append(candidates, d.avail.OutOfOffice.AsOf.Add(w.oofMaxAge), d.avail.OutOfOffice.AsOf.Add(w.oofMaxAge+time.Nanosecond))
		}
	}
	candidates = slices.DeleteFunc(candidates, func(t time.Time) bool { return !t.After(w.now) })
	if len(candidates) == 0 {
		return time.Time{}, false
	}
	slices.SortFunc(candidates, time.Time.Compare)
	return candidates[w.rng.IntN(min(len(candidates), 5))], true
}

func (w *propertyWorld) step() string {
	switch op := w.rng.IntN(20); {
	case op < 6:
		n := 1 + w.rng.IntN(3)
		if w.rng.IntN(8) == 0 {
			n = len(w.ro.people) // a whole cycle
		}
		for range n {
			if len(w.ro.people) == 0 {
				break
			}
			i := w.rng.IntN(len(w.ro.people))
			if w.rng.IntN(4) == 0 {
				// An automatic-reply reading of its own (Exchange's GetMailTips
				// beside the calendars), or one taken this refresh undoing Kept.
				w.ro.recordReply(i, *w.ro.people[i], OutOfOffice{Active: w.rng.IntN(2) == 0, Message: "Away", AsOf: w.now})
				w.ro.freshReply(i, w.now.Add(-time.Duration(w.rng.IntN(3))*time.Minute))
				continue
			}
			w.ro.record(i, *w.ro.people[i], w.randomAnswer(*w.ro.people[i]), w.now)
		}
		return fmt.Sprintf("record %d", n)
	case op < 10:
		d := []time.Duration{time.Second, 37 * time.Second, 5 * time.Minute, 17 * time.Minute, time.Hour, 3 * time.Hour, 9 * time.Hour}[w.rng.IntN(7)]
		w.now = w.now.Add(d)
		return "advance " + d.String()
	case op < 14:
		if b, ok := w.boundary(); ok {
			w.now = b
			return "to boundary " + b.String()
		}
		return "no boundary"
	case op < 16:
		var dir []Person
		for _, p := range w.pool {
			if w.rng.IntN(5) > 0 {
				if w.rng.IntN(15) == 0 {
					p.Name += " (renamed)"
				}
				dir = append(dir, p)
			}
		}
		w.ro.replace(dir, w.favourites)
		return fmt.Sprintf("directory of %d", len(dir))
	case op == 16:
		w.favourites = map[string]int{}
		for n, p := range w.pool[:w.rng.IntN(4)] {
			w.favourites[normKey(p.Key())] = n
		}
		w.ro.reorder(w.favourites)
		return fmt.Sprintf("%d favourites", len(w.favourites))
	case op == 17:
		w.oofMaxAge = []time.Duration{0, 2 * time.Minute, 10 * time.Minute}[w.rng.IntN(3)]
		w.soonWithin = []time.Duration{0, 10 * time.Minute}[w.rng.IntN(2)]
		return "settings"
	case op == 18:
		w.loc = []*time.Location{simStart.Location(), mustLoad("America/New_York")}[w.rng.IntN(2)]
		return "zone " + w.loc.String()
	default:
		w.now = w.now.Add(-time.Duration(w.rng.IntN(90)) * time.Minute)
		return "clock back"
	}
}

// The incremental evaluation is the full one: at every step of random
// answers, clock moves (onto boundaries exactly), directory reloads,
// favourites and setting changes, the snapshot is the one evaluating
// everyone makes. Revisions stay for a state that reads the same and grow
// for one that does not; the directory revision changes with the listing.
func TestIncrementalEvaluationEqualsFull(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 24))
			w := &propertyWorld{rng: rng, now: simStart.Add(time.Duration(seed) * 97 * time.Minute), loc: simStart.Location(),
				oofMaxAge: 2 * time.Minute, favourites: map[string]int{}}
			for i := range 30 {
				p := Person{Name: fmt.Sprintf("Person %02d", 29-i), Email: fmt.Sprintf("p%02d@example.com", i)}
				if i%10 == 9 {
					p.Room = &Room{Capacity: i}
				}
				w.pool = append(w.pool, p)
			}
			w.ro.replace(w.pool, w.favourites)
			var prev []*PersonState
			var prevKept []PersonState
			var prevDir uint64
			var prevListing []Person
			var maxRevision uint64
			var history []string
			for step := range 400 {
				history = append(history, w.step())
				at := w.now.In(w.loc)
				day := TimelineSpan(at, w.loc)
				got, dirRev := w.ro.evaluate(at, day, w.oofMaxAge, w.soonWithin)
				want := evaluateEveryone(&w.ro, at, day, w.oofMaxAge, w.soonWithin)
				if stripped := withoutRevisions(got); !reflect.DeepEqual(stripped, want) {
					for n := range min(len(stripped), len(want)) {
						if !reflect.DeepEqual(stripped[n], want[n]) {
							t.Fatalf("step %d at %s: %s differs\n incremental %+v\n full        %+v\nsteps: %q",
								step, at, want[n].Person.Key(), stripped[n], want[n], history[max(0, len(history)-8):])
						}
					}
					t.Fatalf("step %d: %d people, want %d", step, len(stripped), len(want))
				}
				if prev != nil && !reflect.DeepEqual(values(prev), prevKept) {
					t.Fatalf("step %d: the previous snapshot's people were modified", step)
				}
				before := map[string]PersonState{}
				for _, p := range prev {
					before[p.Person.Key()] = *p
				}
				for _, p := range got {
					if p.Revision == 0 {
						t.Fatalf("step %d: %s has revision 0", step, p.Person.Key())
					}
					old, ok := before[p.Person.Key()]
					p0, old0 := *p, old
					p0.Revision, old0.Revision = 0, 0
					switch {
					case !ok:
						if p.Revision <= maxRevision {
							t.Fatalf("step %d: %s is new with an old revision %d", step, p.Person.Key(), p.Revision)
						}
					case reflect.DeepEqual(p0, old0) && p.Revision != old.Revision:
						t.Fatalf("step %d: %s unchanged, revision %d -> %d", step, p.Person.Key(), old.Revision, p.Revision)
					case !samePersonState(p0, old0) && p.Revision <= maxRevision:
						t.Fatalf("step %d: %s changed (%s -> %s), revision %d -> %d", step, p.Person.Key(), old.Status, p.Status, old.Revision, p.Revision)
					case samePersonState(p0, old0) && p.Revision != old.Revision:
						t.Fatalf("step %d: %s reads the same, revision %d -> %d", step, p.Person.Key(), old.Revision, p.Revision)
					}
				}
				listing := make([]Person, len(got))
				for n, p := range got {
					listing[n] = *p.Person
				}
				sameList := prevListing != nil && slices.EqualFunc(listing, prevListing, samePerson)
				switch {
				case dirRev == 0:
					t.Fatalf("step %d: directory revision 0", step)
				case prevListing != nil && sameList != (dirRev == prevDir):
					t.Fatalf("step %d (%s): same listing %v, directory revision %d -> %d", step, history[len(history)-1], sameList, prevDir, dirRev)
				}
				for _, p := range got {
					maxRevision = max(maxRevision, p.Revision)
				}
				prev, prevKept, prevDir, prevListing = got, values(got), dirRev, listing
			}
		})
	}
}

// setClock moves a fake clock that no synctest bubble drives.
func setClock(c *fakeClock, t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// What the engine publishes after one operator action evaluates only the
// people whose state may have changed, keeps the other states (and their
// revisions) as they were, and is still the snapshot evaluating everyone
// would make.
func TestPublishEvaluatesOnlyWhoChanged(t *testing.T) {
	const people = 200
	// After the 08:00 cycle nothing runs out before 09:00 (the stand-up).
	tests := []struct {
		name string
		act  func(t *testing.T, r *Refresher, clock *fakeClock)
		// evaluated is how many Evaluate calls the publish after act makes.
		evaluated       int
		changed         []string // keys whose revision must change
		allChanged      bool
		directoryChange bool
	}{
		{
			name: "an Enter on one colleague",
			act: func(t *testing.T, r *Refresher, clock *fakeClock) {
				setClock(clock, simStart.Add(20*time.Second))
				if err := r.RefreshNow("p0042@example.com"); err != nil {
					t.Fatal(err)
				}
				r.runOnDemand(context.Background())
			},
			evaluated: 1, changed: []string{"p0042@example.com"},
		},
		{
			name: "a republish while nothing ran out",
			act: func(t *testing.T, r *Refresher, clock *fakeClock) {
				setClock(clock, simStart.Add(30*time.Minute))
				r.mu.Lock()
				r.publishLocked(clock.Now(), true)
				r.mu.Unlock()
			},
		},
		{
			name: "the stand-up starting for everyone",
			act: func(t *testing.T, r *Refresher, clock *fakeClock) {
				setClock(clock, simStart.Add(time.Hour))
				r.mu.Lock()
				r.publishLocked(clock.Now(), true)
				r.mu.Unlock()
			},
			evaluated: people, allChanged: true,
		},
		{
			name: "favourites reordered: the start of the next cycle shows the order",
			act: func(t *testing.T, r *Refresher, clock *fakeClock) {
				setClock(clock, simStart.Add(2*time.Minute))
				r.SetFavourites([]string{"p0150@example.com"})
				r.mu.Lock()
				r.publishLocked(clock.Now(), false)
				r.mu.Unlock()
			},
			directoryChange: true,
		},
		{
			name: "a directory reload that changed nothing",
			act: func(t *testing.T, r *Refresher, clock *fakeClock) {
				setClock(clock, simStart.Add(3*time.Minute))
				r.loadDirectory(context.Background())
				r.mu.Lock()
				r.publishLocked(clock.Now(), false)
				r.mu.Unlock()
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock(simStart)
			src := &fakeSource{clock: clock, limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(people)}
			r, err := NewRefresher(RefresherOptions{Source: src, Clock: clock, Location: simStart.Location(), Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			r.loadDirectory(ctx)
			r.runCycle(ctx)
			before, _ := r.Latest()
			r.mu.Lock()
			evaluationsBefore := r.roster.evaluations
			r.mu.Unlock()

			tt.act(t, r, clock)

			after, _ := r.Latest()
			r.mu.Lock()
			evaluated := r.roster.evaluations - evaluationsBefore
			want := evaluateEveryone(&r.roster, after.At, TimelineSpan(after.At, r.loc), staleAfterIntervals*r.sched.interval, r.soonWithin)
			r.mu.Unlock()
			if evaluated != tt.evaluated {
				t.Errorf("%d people evaluated, want %d", evaluated, tt.evaluated)
			}
			if got := withoutRevisions(after.People); !reflect.DeepEqual(got, want) {
				t.Error("the snapshot is not the one evaluating everyone makes")
			}
			if changed := after.DirectoryRevision != before.DirectoryRevision; changed != tt.directoryChange || after.DirectoryRevision == 0 {
				t.Errorf("directory revision %d -> %d, want a change: %v", before.DirectoryRevision, after.DirectoryRevision, tt.directoryChange)
			}
			revisions := map[string]uint64{}
			for _, p := range before.People {
				revisions[p.Person.Key()] = p.Revision
			}
			for _, p := range after.People {
				changed := p.Revision != revisions[p.Person.Key()]
				if changed != (tt.allChanged || slices.Contains(tt.changed, p.Person.Key())) {
					t.Errorf("%s: revision %d -> %d", p.Person.Key(), revisions[p.Person.Key()], p.Revision)
				}
			}
		})
	}
}
