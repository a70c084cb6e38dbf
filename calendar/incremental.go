package calendar

import (
	"reflect"
	"slices"
	"time"
)

// evaluation is what one evaluate of the roster produced and the instant and
// settings it was made for: the next evaluate copies every state that cannot
// have changed since and evaluates only the rest. An Enter on one colleague
// at 50,000 people was 50,000 Evaluate calls; it is now a handful.
type evaluation struct {
	// people is the last published People (display order). Shared with
	// that snapshot, so never modified.
	people []*PersonState
	at     time.Time
	day    Window
	// oofMaxAge and soonWithin are the settings the states were made with;
	// when either changes, everyone is evaluated again.
	oofMaxAge  time.Duration
	soonWithin time.Duration
	made       bool
}

// evaluate is everyone as the operator sees them at `at`, in display order,
// and the directory revision of that list. An automatic-reply reading older
// than oofMaxAge no longer says whether the replies are on
// (OutOfOffice.Unknown); zero keeps every reading. soonWithin is copied into
// every state (PersonState.SoonWithin).
//
// Only the people whose state may differ from the last evaluation's are
// evaluated again: those with an answer recorded or a directory entry changed
// since, and those whose state ran out (stateValidUntil) by at. Everyone is
// evaluated when the day, the settings or the zone changed, or the clock went
// back. The result is identical to evaluating everyone (the property test in
// incremental_test.go holds it to that); what it changes is the cost.
func (ro *roster) evaluate(at time.Time, day Window, oofMaxAge, soonWithin time.Duration) ([]*PersonState, uint64) {
	last := &ro.shown
	if ro.directoryRevision == 0 {
		ro.directoryRevision = 1 // zero is "unknown" to a snapshot's reader
	}
	all := !last.made || last.day != day || last.oofMaxAge != oofMaxAge || last.soonWithin != soonWithin ||
		at.Before(last.at) || at.Location() != last.at.Location()
	// A state that stands is the same *PersonState as in the last snapshot:
	// a new snapshot costs a list of pointers and the states that changed,
	// not a copy of everyone (24 MB at 50,000 for one Enter).
	people := make([]*PersonState, len(ro.display))
	for n, i := range ro.display {
		d := &ro.fetched[i]
		var prev *PersonState
		if d.evaluated && d.pos < len(last.people) {
			prev = last.people[d.pos]
		}
		if d.made != nil {
			ps := d.made
			d.made = nil
			if prev != nil && samePersonState(*prev, *ps) {
				people[n] = prev
				continue
			}
			ro.revision++
			ps.Revision = ro.revision
			people[n] = ps
			continue
		}
		if prev != nil && !d.dirty && (d.dropped || !all && (d.validUntil.IsZero() || at.Before(d.validUntil))) {
			people[n] = prev
			continue
		}
		ps, validUntil := ro.evaluateOne(i, at, day, oofMaxAge)
		ps.SoonWithin = soonWithin
		if ro.once {
			ro.dropItems(i, &ps)
		}
		d.dirty, d.validUntil = false, validUntil
		if prev != nil && samePersonState(*prev, ps) {
			people[n] = prev
			continue
		}
		ro.revision++
		ps.Revision = ro.revision
		people[n] = &ps
	}
	for n, i := range ro.display {
		ro.fetched[i].evaluated, ro.fetched[i].pos = true, n
	}
	ro.shown = evaluation{people: people, at: at, day: day, oofMaxAge: oofMaxAge, soonWithin: soonWithin, made: true}
	return people, ro.directoryRevision
}

// dropItems lets go of person i's answered items once their state is made,
// for a roster evaluated once (status): the state keeps a copy of the
// day's items and of the current one instead of a view of the answer's, so
// the rest of the window's items (half of them on a Monday) is not held
// beside the states. At 100,000 colleagues that was 68 MB at the peak.
// Only the items go: the log line after the cycle still reads the answer.
func (ro *roster) dropItems(i int, ps *PersonState) {
	d := &ro.fetched[i]
	if d.avail.items.len() == 0 {
		return
	}
	if ps.dayItems != nil {
		ps.dayItems = append(make([]packedSlot, 0, len(ps.dayItems)), ps.dayItems...)
	}
	day := ps.Slots
	if len(day) > 0 {
		ps.Slots = append(make([]Slot, 0, len(day)), day...)
	}
	if ps.Current != nil {
		current := -1
		for j := range day {
			if &day[j] == ps.Current {
				current = j
			}
		}
		if current >= 0 {
			ps.Current = &ps.Slots[current]
		} else if inSlots(d.avail.items.slots, ps.Current) {
			c := *ps.Current
			ps.Current = &c
		}
	}
	d.avail.items, d.dropped = answerItems{}, true
}

// settle evaluates person i as their answer arrives, for a one-shot refresh
// whose snapshot is made at `at` with these settings, and lets the answer's
// items go (dropItems): the window's items of 100,000 colleagues (135 MB on
// a Monday) are then never all held at once, only each colleague's state and
// day. The next evaluate takes the state as it is.
func (ro *roster) settle(i int, at time.Time, day Window, oofMaxAge, soonWithin time.Duration) {
	d := &ro.fetched[i]
	ps, validUntil := ro.evaluateOne(i, at, day, oofMaxAge)
	ps.SoonWithin = soonWithin
	ro.dropItems(i, &ps)
	d.made, d.dirty, d.validUntil = &ps, false, validUntil
}

// inSlots reports whether s points into slots.
func inSlots(slots []Slot, s *Slot) bool {
	for j := range slots {
		if &slots[j] == s {
			return true
		}
	}
	return false
}

// evaluateOne is person i as the operator sees them at `at`, and the first
// instant after it at which that may differ.
func (ro *roster) evaluateOne(i int, at time.Time, day Window, oofMaxAge time.Duration) (PersonState, time.Time) {
	ro.evaluations++
	d := &ro.fetched[i]
	a := Availability{Person: *ro.people[i], Err: errNotFetchedYet}
	packed := !d.fetchedAt.IsZero() && d.avail.items.packed != nil
	if !d.fetchedAt.IsZero() {
		a = d.avail.availabilityWith(*ro.people[i], d.fetchedAt, d.avail.items.slotsInto(ro.scratch))
	}
	if oof := &a.OutOfOffice; oofMaxAge > 0 && !oof.AsOf.IsZero() && at.Sub(oof.AsOf) > oofMaxAge {
		oof.Unknown = true
	}
	ps := evaluateFor(ro.people[i], a, at, day)
	ps.StaleReason = d.unreadable
	validUntil := stateValidUntil(a, at, oofMaxAge)
	if packed {
		// a.Slots are the unpacked items in ro.scratch, reused by the next
		// evaluation: the state reads its day from the packed items instead,
		// and keeps its current item as a copy.
		ro.scratch = a.Slots[:0]
		if ps.Slots != nil { // Evaluate laid out the day (not an early answer of unknown)
			ps.Slots, ps.dayItems, ps.dayLoc = nil, dayItems(d.avail.items.packed, day), d.avail.items.loc
		}
		if ps.Current != nil && inSlots(a.Slots, ps.Current) {
			current := *ps.Current
			ps.Current = &current
		}
	}
	return ps, validUntil
}

// stateValidUntil is the first instant after t at which the state Evaluate
// makes of a (after the roster's out-of-office ageing with oofMaxAge) may
// differ from the one it makes at t; zero when nothing in a changes it
// before a new answer does. It lists every instant Evaluate's result
// depends on: the answer's window, the Teams note's expiry, the moment the
// automatic-reply reading grows too old, every item's start and end (status,
// current item, until, next free), the working hours' starts and ends (free
// until the end of the working day, next free inside working hours) and
// midnight (free until the end of today outside working hours). Between two
// of them nothing Evaluate reads changes, so neither does its result.
func stateValidUntil(a Availability, t time.Time, oofMaxAge time.Duration) time.Time {
	var next time.Time
	consider := func(c time.Time) {
		if c.After(t) && (next.IsZero() || c.Before(next)) {
			next = c
		}
	}
	consider(a.StatusMessage.Expires)
	if oof := a.OutOfOffice; oofMaxAge > 0 && !oof.AsOf.IsZero() && !oof.Unknown {
		// Unknown from the first instant more than oofMaxAge after AsOf.
		consider(oof.AsOf.Add(oofMaxAge + time.Nanosecond))
	}
	consider(a.Window.Start)
	consider(a.Window.End)
	if a.Err != nil || !a.Window.Contains(t) {
		return next
	}
	for _, s := range a.Slots {
		consider(s.Start)
		consider(s.End)
	}
	consider(DayOf(t, t.Location()).End)
	// The hours freeUntil reads (the colleague's, or those assumed) and
	// those NextFree reads (the same, but assumed in the hours' own zone
	// when only a zone was shared).
	shown := a.WorkingHours
	if shown.IsZero() {
		shown = assumedWorkingHours(t.Location())
	}
	if shown.Location == nil {
		shown.Location = t.Location()
	}
	consider(nextWorkingEdge(shown, t))
	if a.WorkingHours.IsZero() && a.WorkingHours.Location != nil && a.WorkingHours.Location != t.Location() {
		consider(nextWorkingEdge(assumedWorkingHours(a.WorkingHours.Location), t))
	}
	return next
}

// samePersonState reports whether a and b read the same to the operator,
// whatever their revisions: what PersonState.Revision tells a window.
func samePersonState(a, b PersonState) bool {
	return (a.Person == b.Person || a.Person != nil && b.Person != nil && samePerson(*a.Person, *b.Person)) && a.Status == b.Status && a.Until.Equal(b.Until) &&
		a.NextFree.Equal(b.NextFree) && sameSlot(a.Current, b.Current) && slices.Equal(a.Slots, b.Slots) &&
		slices.Equal(a.dayItems, b.dayItems) && (len(a.dayItems) == 0 || a.dayLoc == b.dayLoc) &&
		a.OutOfOffice == b.OutOfOffice && a.Presence == b.Presence && a.StatusMessage == b.StatusMessage &&
		a.WorkLocation == b.WorkLocation && sameError(a.Err, b.Err) && a.FetchedAt.Equal(b.FetchedAt) &&
		sameError(a.StaleReason, b.StaleReason) && sameWorkingHours(a.WorkingHours, b.WorkingHours) &&
		a.WorkingHoursShared == b.WorkingHoursShared && a.SoonWithin == b.SoonWithin
}

func samePerson(a, b Person) bool {
	ra, rb := a.Room, b.Room
	a.Room, b.Room = nil, nil
	return a == b && (ra == rb || (ra != nil && rb != nil && *ra == *rb))
}

func sameSlot(a, b *Slot) bool { return a == b || (a != nil && b != nil && *a == *b) }

func sameWorkingHours(a, b WorkingHours) bool {
	return a.Start == b.Start && a.End == b.End && slices.Equal(a.Days, b.Days) && sameZone(a.Location, b.Location)
}

// sameZone compares zones by name: a source may load the same zone afresh
// for each answer.
func sameZone(a, b *time.Location) bool {
	return a == b || (a != nil && b != nil && a.String() == b.String())
}

// sameError compares errors by value: each answer brings new ones, most of
// them saying what the last said.
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.DeepEqual(a, b)
}

// sameListing reports whether two directories list the same entries in the
// same order: what Snapshot.DirectoryRevision tells a window.
func sameListing(aPeople []*Person, aOrder []int, bPeople []*Person, bOrder []int) bool {
	if len(aOrder) != len(bOrder) {
		return false
	}
	for n := range aOrder {
		if a, b := aPeople[aOrder[n]], bPeople[bOrder[n]]; a != b && !samePerson(*a, *b) {
			return false
		}
	}
	return true
}

// nextWorkingEdge is the first start or end of a working span of wh after t,
// within two days (midnight comes first, and the state is looked at again
// then); zero when none. workingSpans' days, without its slice: this runs
// for every colleague evaluated.
func nextWorkingEdge(wh WorkingHours, t time.Time) time.Time {
	loc := wh.Location
	f := t.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	if wh.Overnight() {
		day = day.AddDate(0, 0, -1)
	}
	to := t.AddDate(0, 0, 2)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		if !hasDay(wh.Days, day.Weekday()) {
			continue
		}
		start := atClock(day, wh.Start)
		if start.After(t) {
			return start
		}
		end := atClock(day, wh.End)
		if wh.Overnight() {
			end = atClock(day.AddDate(0, 0, 1), wh.End)
		}
		if end.After(t) {
			return end
		}
	}
	return time.Time{}
}
