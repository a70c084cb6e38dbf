package calendar

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// roster is the directory the engine polls and the last data received for each
// person in it. Not safe for concurrent use: the Refresher's lock guards it.
type roster struct {
	// people is the directory, each entry held once: the states made of it
	// point at it, and an entry that stands through a directory reload keeps
	// its pointer, so the states that stand do not hold the old listing.
	people  []*Person
	index   map[string]int // normKey(Person.Key()) -> position in people
	fetched []personData   // aligned with people
	display []int          // positions in people, in the order snapshots list them
	loaded  bool
	due     time.Time // when the directory is next reloaded

	// shown is the last evaluation, the one the next starts from
	// (incremental.go); directoryRevision and revision number what it
	// published (Snapshot.DirectoryRevision, PersonState.Revision).
	shown             evaluation
	directoryRevision uint64
	revision          uint64
	// once: this roster is evaluated once with its answers (a one-shot
	// refresh, status), and lets each answer's items go as its state is
	// made (dropItems).
	once bool
	// intern holds what answers share (answerOf).
	intern answerIntern
	// scratch is room the evaluation unpacks an answer's items into.
	scratch []Slot
	// arena is where answers' packed items are kept (batchItems).
	arena itemArena
	// evaluations counts Evaluate calls, for the tests that hold an Enter
	// to re-evaluating only who changed.
	evaluations int
}

type personData struct {
	avail     answer
	fetchedAt time.Time // on the engine's clock; zero: never
	// unreadable is why the latest answer about this person was not recorded:
	// it came but could not be read (one garbled record, or a whole answer cut
	// off), so avail is still the last good one, shown as stale. nil when
	// avail is the latest answer.
	unreadable error

	// The person's last evaluated state is shown.people[pos] when evaluated;
	// it holds until validUntil (zero: until something is recorded), unless
	// dirty: an answer was recorded, or their directory entry changed, since.
	evaluated bool
	dirty     bool
	// dropped: the answer's items were let go once evaluated (roster.once);
	// the state made of them stands until a new answer is recorded.
	dropped bool
	// made is the state evaluated as the answer arrived, in a one-shot
	// refresh (roster.settle): the next evaluate takes it as it is.
	made       *PersonState
	pos        int
	validUntil time.Time
}

// replace installs a new directory, keeping what is known about everyone still
// in it. A person listed twice (an address in another case, with spaces) is
// kept once, so nobody is asked about twice.
func (ro *roster) replace(people []Person, favourites map[string]int) {
	index := make(map[string]int, len(people))
	kept := make([]*Person, 0, len(people))
	for i := range people {
		k := normKey(people[i].Key())
		if _, dup := index[k]; dup || k == "" {
			continue
		}
		index[k] = len(kept)
		if old, ok := ro.index[k]; ok && samePerson(*ro.people[old], people[i]) {
			kept = append(kept, ro.people[old])
			continue
		}
		p := people[i]
		kept = append(kept, &p)
	}
	fetched := make([]personData, len(kept))
	for k, i := range index {
		if old, ok := ro.index[k]; ok {
			fetched[i] = ro.fetched[old]
			if ro.people[old] != kept[i] {
				fetched[i].dirty = true // renamed, moved desk: their state shows it
			}
		}
	}
	oldPeople, oldDisplay := ro.people, ro.display
	ro.people, ro.index, ro.fetched, ro.loaded = kept, index, fetched, true
	ro.display = displayOrder(ro.people, favourites)
	if !sameListing(oldPeople, oldDisplay, ro.people, ro.display) {
		ro.directoryRevision++
	}
}

// reorder lists the same people in the order new favourites give.
func (ro *roster) reorder(favourites map[string]int) {
	display := displayOrder(ro.people, favourites)
	if !slices.Equal(display, ro.display) {
		ro.display = display
		ro.directoryRevision++
	}
}

// record keeps one answer, unless the directory changed under the request.
// An answer that could not be read does not replace a good one: as when the
// server is unreachable, the last good data stays on show, stale, with the
// reason; one garbled record must not blank a colleague the operator could
// read a minute ago.
func (ro *roster) record(i int, asked Person, a Availability, now time.Time) bool {
	return ro.recordItems(i, asked, a, batchItems([]Availability{a}, &ro.arena)[0], now)
}

// recordItems is record with a's items as batchItems made them (a.Slots is
// not read).
func (ro *roster) recordItems(i int, asked Person, a Availability, items answerItems, now time.Time) bool {
	if i >= len(ro.fetched) || ro.people[i].Key() != asked.Key() {
		return false // the next cycle asks again
	}
	last := &ro.fetched[i]
	last.dirty = true
	if keepsLastData(a.Err) && !last.fetchedAt.IsZero() && last.avail.Err == nil && !last.dropped {
		if last.unreadable == nil {
			// Kept past the cycle that replaces the rest of its batch
			// (batchItems): in an array of its own, not holding the batch's.
			last.avail.items = last.avail.items.ownCopy()
		}
		last.unreadable = a.Err
		return true
	}
	a.Slots = nil
	a.OutOfOffice = keptOutOfOffice(last.avail.OutOfOffice, a.OutOfOffice)
	last.avail, last.fetchedAt, last.unreadable, last.dropped, last.made = ro.answerOf(a, items), now, nil, false, nil
	return true
}

// answer is an Availability as the roster keeps it: without the Person,
// which the directory holds (ro.people), and without FetchedAt, which is
// personData's; the window and the working hours, which nearly everyone
// shares, held once (roster.intern); the Teams note, which few have, only
// where there is one; the items packed (answerItems). 184 bytes a
// colleague where the whole Availability was 424, and 48 an item where a
// Slot is 96.
type answer struct {
	items       answerItems
	window      *Window       // nil: the zero Window
	hours       *WorkingHours // nil: none shared
	OutOfOffice OutOfOffice
	Presence    string
	note        *StatusMessage // nil: none
	WorkLocation
	Err error
}

// answerOf is a as the roster keeps it, its window and hours shared with the
// other answers of ro that have the same.
func (ro *roster) answerOf(a Availability, items answerItems) answer {
	an := answer{items: items, OutOfOffice: a.OutOfOffice, Presence: a.Presence, WorkLocation: a.WorkLocation, Err: a.Err}
	if a.Window != (Window{}) {
		an.window = ro.intern.window(a.Window)
	}
	if a.WorkingHours.Days != nil || a.WorkingHours.Start != 0 || a.WorkingHours.End != 0 || a.WorkingHours.Location != nil {
		an.hours = ro.intern.workingHours(a.WorkingHours)
	}
	if a.StatusMessage != (StatusMessage{}) {
		note := a.StatusMessage
		an.note = &note
	}
	return an
}

// availability is the answer about p as it came, fetched at fetchedAt.
func (an answer) availability(p Person, fetchedAt time.Time) Availability {
	return an.availabilityWith(p, fetchedAt, an.items.slotsCopy())
}

// availabilityWith is availability with the answer's items as slots.
func (an answer) availabilityWith(p Person, fetchedAt time.Time, slots []Slot) Availability {
	a := Availability{Person: p, Slots: slots, OutOfOffice: an.OutOfOffice, Presence: an.Presence,
		WorkLocation: an.WorkLocation, Err: an.Err, FetchedAt: fetchedAt}
	if an.window != nil {
		a.Window = *an.window
	}
	if an.hours != nil {
		a.WorkingHours = *an.hours
	}
	if an.note != nil {
		a.StatusMessage = *an.note
	}
	return a
}

// answerIntern holds the windows and working hours the roster's answers
// share: every answer of one refresh has the same window, and most
// colleagues keep the office's hours. Only a few are held, the latest: a
// value not among them is held by its answer alone, as before.
type answerIntern struct {
	windows []*Window
	hours   []*WorkingHours
}

const internKept = 8

func (in *answerIntern) window(w Window) *Window {
	for _, k := range in.windows {
		if *k == w {
			return k
		}
	}
	k := &w
	in.windows = keepLatest(in.windows, k)
	return k
}

// workingHours shares hours equal in days, start, end and zone with an
// earlier answer's. Zones are compared as they are, not by name: two fixed
// zones may share a name and not an offset.
func (in *answerIntern) workingHours(wh WorkingHours) *WorkingHours {
	for _, k := range in.hours {
		if k.Start == wh.Start && k.End == wh.End && k.Location == wh.Location &&
			slices.Equal(k.Days, wh.Days) && (k.Days == nil) == (wh.Days == nil) {
			return k
		}
	}
	k := &wh
	in.hours = keepLatest(in.hours, k)
	return k
}

// keepLatest is kept with v first, the oldest dropped past internKept.
func keepLatest[T any](kept []*T, v *T) []*T {
	if len(kept) < internKept {
		kept = append(kept, nil)
	}
	copy(kept[1:], kept)
	kept[0] = v
	return kept
}

// keepsLastData reports whether a per-person error says only that this answer
// could not be read, not that the calendar changed (unshared, no mailbox).
func keepsLastData(err error) bool {
	return err != nil && errors.Is(err, ErrUnreadableAnswer)
}

// keptOutOfOffice is the automatic-reply state to record from an answer: its
// own reading, or, when it carries none (MailTips or presence failed this
// time), the last reading there was. An answer without a reading never turns
// a colleague who was away into one who is not.
func keptOutOfOffice(last, answer OutOfOffice) OutOfOffice {
	if !answer.AsOf.IsZero() || last.AsOf.IsZero() {
		answer.Kept, answer.Unknown = false, false
		return answer
	}
	last.Kept, last.Unknown = true, false
	return last
}

// displayOrder is the one order every snapshot lists people in, whoever shows
// it (console, watch, status): favourites in their own order, then everyone
// else by name, then by address.
func displayOrder(people []*Person, favourites map[string]int) []int {
	type entry struct {
		idx  int
		fav  int // position among favourites; len(favourites) for everyone else
		name string
		key  string
	}
	all := make([]entry, len(people))
	for i, p := range people {
		k := normKey(p.Key())
		fav, ok := favourites[k]
		if !ok {
			fav = len(favourites)
		}
		all[i] = entry{idx: i, fav: fav, name: strings.ToLower(strings.TrimSpace(p.Name)), key: k}
	}
	slices.SortFunc(all, func(a, b entry) int {
		if a.fav != b.fav {
			return a.fav - b.fav
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	order := make([]int, len(all))
	for i, e := range all {
		order[i] = e.idx
	}
	return order
}

// normKey makes person keys from the config, the UI and the directory compare
// equal whatever the case: mail addresses and directory ids are case-insensitive.
func normKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }
