package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Applying a snapshot of the directory on show touches only what changed.
// The engine numbers each person's evaluated state (PersonState.Revision) and
// the directory (Snapshot.DirectoryRevision); at 50,000 people a full apply
// hashed the directory, narrowed and counted everyone: 75 ms on the Fyne
// goroutine for one colleague's new answer. In place, it compares the
// revisions, keeps the search index and the rows, redraws the rows on screen
// whose person changed and the details if the selected one did, and narrows
// again only when the list depends on what changed (the unknown ones only).
// What the window shows is the same as a full apply's: the tests compare them.

// tally is what the status line, the count and the loading bar read of the
// snapshot on show, kept up to date as people change rather than counted
// over everyone at each apply.
type tally struct {
	revs []uint64 // revs[i] is the Revision of c.snap.People[i]
	// fetched[i] is when c.snap.People[i]'s data arrived, in Unix
	// nanoseconds; 0 when it has not. oldest is the first index of the
	// earliest, -1 when nobody's data has arrived (Snapshot.OldestFetch).
	fetched    []int64
	oldest     int
	colleagues int // people that are not rooms
	unknown    int // colleagues whose status is unknown
	unfetched  int // people without an answer yet (the loading bar)
}

func fetchedNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// countAll counts the snapshot on show afresh.
func (c *Console) countAll() {
	people := c.snap.People
	t := &c.tally
	t.revs = slices.Grow(t.revs[:0], len(people))[:len(people)]
	t.fetched = slices.Grow(t.fetched[:0], len(people))[:len(people)]
	t.colleagues, t.unknown, t.unfetched = 0, 0, 0
	for i := range people {
		p := people[i]
		t.revs[i] = p.Revision
		t.fetched[i] = fetchedNanos(p.FetchedAt)
		if t.fetched[i] == 0 {
			t.unfetched++
		}
		if !p.Person.IsRoom() {
			t.colleagues++
			if p.Status == calendar.StatusUnknown {
				t.unknown++
			}
		}
	}
	t.findOldest()
}

func (t *tally) findOldest() {
	t.oldest = -1
	for i, f := range t.fetched {
		if f != 0 && (t.oldest < 0 || f < t.fetched[t.oldest]) {
			t.oldest = i
		}
	}
}

// oldestFetch is Snapshot.OldestFetch of the snapshot on show.
func (c *Console) oldestFetch() time.Time {
	if c.tally.oldest < 0 || c.tally.oldest >= len(c.snap.People) {
		return time.Time{}
	}
	return c.snap.People[c.tally.oldest].FetchedAt
}

// drawContext is what a row and the details read besides their person and
// the operator's choices: the clock, the snapshot's zone and day, and
// whether its data counts as stale. While it stays, a person whose revision
// stayed draws the same; when the clock moved, "Free for 10 min" may not.
type drawContext struct {
	now      time.Time
	loc      *time.Location
	day      calendar.Window
	stale    bool
	interval time.Duration
}

func (c *Console) drawContext() drawContext {
	loc := c.snap.At.Location()
	return drawContext{now: c.opts.Now(), loc: loc, day: calendar.DayOf(c.snap.At, loc),
		stale: c.snap.Engine.Stale, interval: c.snap.Engine.Interval}
}

// sameListing reports whether a and b are listed, searched and counted
// alike: what the search index and the views read of a person.
func sameListing(a, b *calendar.Person) bool {
	return a.Name == b.Name && a.ID == b.ID && a.Email == b.Email && a.Department == b.Department &&
		a.JobTitle == b.JobTitle && a.Phone == b.Phone && a.MobilePhone == b.MobilePhone &&
		a.Office == b.Office && a.IsRoom() == b.IsRoom()
}

// applyInPlace shows s over the snapshot on show when both are of the same
// directory, redrawing only what changed; false, having changed nothing,
// when s needs a full apply: another or an unnumbered directory, an index
// being built, a person listed differently.
func (c *Console) applyInPlace(s calendar.Snapshot) bool {
	old := c.snap.People
	t := &c.tally
	if s.DirectoryRevision == 0 || s.DirectoryRevision != c.snap.DirectoryRevision || len(s.People) != len(old) ||
		len(t.revs) != len(old) || c.waiting != nil || c.building.on || c.indexedNotes != c.notesGen {
		return false
	}
	changed := c.changed[:0]
	for i := range s.People {
		if r := s.People[i].Revision; r == 0 || r != t.revs[i] {
			if !sameListing(old[i].Person, s.People[i].Person) {
				c.changed = changed
				return false
			}
			changed = append(changed, i)
		}
	}
	c.changed = changed

	unknownMoved, rescan := false, false
	for _, i := range changed {
		was, now := old[i], s.People[i]
		t.revs[i] = now.Revision
		wasUnknown, isUnknown := was.Status == calendar.StatusUnknown, now.Status == calendar.StatusUnknown
		if wasUnknown != isUnknown {
			unknownMoved = true
			switch {
			case now.Person.IsRoom():
			case isUnknown:
				t.unknown++
			default:
				t.unknown--
			}
		}
		f := fetchedNanos(now.FetchedAt)
		switch {
		case t.fetched[i] == 0 && f != 0:
			t.unfetched--
		case t.fetched[i] != 0 && f == 0:
			t.unfetched++
		}
		if i == t.oldest && f != t.fetched[i] {
			rescan = true // the oldest answer was replaced: another is now
		}
		t.fetched[i] = f
		if !rescan && f != 0 && (t.oldest < 0 || f < t.fetched[t.oldest] || f == t.fetched[t.oldest] && i < t.oldest) {
			t.oldest = i
		}
	}
	if rescan {
		t.findOldest()
	}

	if row := c.rowOf(c.chosen); row >= 0 && slices.Contains(changed, c.visible[row]) {
		c.shown = shown{} // new data, even in a snapshot of the same instant
	}
	generated := c.snap.GeneratedAt
	c.snap = s
	c.showState()
	watchesMoved := c.checkWatches()
	if c.unknownOnly && unknownMoved {
		c.filter(false) // who is listed changed
		c.appliedInPlace++
		return true
	}
	ctx := c.drawContext()
	if watchesMoved || ctx != c.rowsDrawn || len(changed) > len(c.onScreen) {
		c.list.Refresh()
		c.rowsDrawn = ctx
	} else {
		for r, id := range c.onScreen {
			if id < len(c.visible) && slices.Contains(changed, c.visible[id]) {
				r.update(c, id)
			}
		}
	}
	if c.rooms {
		// The rooms' count line says why there are none (RoomsErr); the
		// colleagues' reads only who is listed, which stayed.
		c.updateCount()
	}
	if c.shown.key == c.chosen && c.shown.generated == generated && ctx == c.detailsDrawn {
		c.shown.generated = s.GeneratedAt // the details would draw the same
	}
	c.showChosen()
	c.appliedInPlace++
	return true
}

// showState is the status line and the notice of the snapshot on show.
func (c *Console) showState() {
	s := c.snap
	c.confirming = false
	if line := c.describeState(); line != c.stateLine.Text {
		c.stateLine.SetText(line) // each refresh shapes the text again
	}
	if s.Engine.Reason == nil && len(s.People) > 0 {
		c.notice.Hide()
	}
	if !c.opts.EngineBanner && s.Engine.Reason != nil && s.Engine.State != calendar.StateOK && s.Engine.State != calendar.StatePartial {
		c.notice.SetText(c.opts.Describe(s.Engine.Reason))
		c.notice.Show()
	}
}

// watchedOnly is the snapshot on show with only the watched colleagues, in
// its order, for Watches.Check: it lower-cases the key of every person it
// reads, 50,000 allocations an apply at 50,000 people for a handful watched.
func (c *Console) watchedOnly() calendar.Snapshot {
	keys := c.watches.Keys()
	s := c.snap
	if len(keys) == 0 || len(c.index.keys) != len(s.People) {
		return s
	}
	w := &c.watchedAt
	if w.index != c.index || !slices.Equal(w.keys, keys) {
		w.index, w.keys, w.idx = c.index, keys, w.idx[:0]
		for idx, k := range c.index.keys { // Person.Key in lower case
			if slices.Contains(keys, strings.TrimSpace(k)) {
				w.idx = append(w.idx, idx)
			}
		}
	}
	s.People = make([]*calendar.PersonState, len(w.idx))
	for j, idx := range w.idx {
		s.People[j] = c.snap.People[idx]
	}
	return s
}

// watchedAt are the indexes of the watched colleagues in the people of index.
type watchedAt struct {
	index *searchIndex
	keys  []string
	idx   []int
}

// onScreenAt records which list item each row widget last drew, so a
// changed person's row is redrawn alone: Fyne's List.RefreshItem redraws
// every visible row and then the one asked for.
func (c *Console) onScreenAt(r *row, id widget.ListItemID) {
	if c.onScreen == nil {
		c.onScreen = map[*row]widget.ListItemID{}
	}
	c.onScreen[r] = id
}

// waitingIn is how many people in s have no answer yet: the count kept for
// the snapshot on show, when s is it (the same people, never modified once
// published), rather than a walk over everyone at each apply.
func (c *Console) waitingIn(s calendar.Snapshot) int {
	if len(s.People) > 0 && len(s.People) == len(c.snap.People) && len(c.tally.fetched) == len(s.People) && &s.People[0] == &c.snap.People[0] {
		return c.tally.unfetched
	}
	return waiting(s)
}
