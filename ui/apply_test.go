package ui

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// applyWorld makes the snapshots of a random morning at the demo company
// with three meeting rooms, numbered as the engine numbers them: each step
// re-evaluates or upsets a few people (new revisions), the rest keep their
// state and revision; now and then the directory changes, or comes
// unnumbered, or a person does.
type applyWorld struct {
	rnd    *rand.Rand
	now    time.Time
	avail  []calendar.Availability
	people []calendar.PersonState
	rev    uint64
	dirRev uint64
}

func newApplyWorld(t *testing.T, seed uint64) *applyWorld {
	t.Helper()
	start := time.Date(2026, 11, 23, 9, 40, 0, 0, paris)
	demo := calendar.NewDemo(paris)
	demo.Now = func() time.Time { return start }
	directory, _ := demo.Directory(context.Background())
	for i, name := range []string{"Cedar", "Maple", "Willow"} {
		directory = append(directory, calendar.Person{Name: name + " room", Email: strings.ToLower(name) + "@rooms.example",
			Room: &calendar.Room{Capacity: 4 + i*4, Building: "HQ", Floor: fmt.Sprint(i + 1)}})
	}
	day := calendar.DayOf(start, paris)
	avail, err := calendar.FetchAll(context.Background(), demo, directory, calendar.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)})
	if err != nil {
		t.Fatal(err)
	}
	w := &applyWorld{rnd: rand.New(rand.NewPCG(seed, 24)), now: start, avail: avail, dirRev: 1}
	for i := range avail {
		w.people = append(w.people, w.evaluate(i))
	}
	return w
}

func (w *applyWorld) evaluate(i int) calendar.PersonState {
	w.rev++
	p := calendar.Evaluate(w.avail[i], w.now, calendar.TimelineSpan(w.now, paris))
	p.FetchedAt = w.now.Add(-time.Duration(w.rnd.IntN(90)) * time.Second)
	p.Revision = w.rev
	return p
}

// step moves the clock (or not: the same instant redraws nothing but the
// changed rows) and makes the next snapshot.
func (w *applyWorld) step() calendar.Snapshot {
	if w.rnd.IntN(2) == 0 {
		w.now = w.now.Add(time.Duration(1+w.rnd.IntN(600)) * time.Second)
	}
	for range []int{0, 1, 1, 2, 5, 20}[w.rnd.IntN(6)] {
		i := w.rnd.IntN(len(w.people))
		p := w.evaluate(i)
		switch w.rnd.IntN(6) {
		case 0: // the server had nothing to say
			p.Status, p.Err, p.Current, p.Until, p.NextFree = calendar.StatusUnknown, calendar.ErrNoDataForPeriod, nil, time.Time{}, time.Time{}
		case 1: // not answered yet
			p.FetchedAt = time.Time{}
		case 2: // the latest answer could not be read
			p.StaleReason = errors.New("garbled")
		}
		w.people[i] = p
	}
	people := slices.Clone(w.people)
	switch w.rnd.IntN(20) {
	case 0: // someone left: a new directory
		i := w.rnd.IntN(len(w.people))
		w.people = slices.Delete(w.people, i, i+1)
		w.avail = slices.Delete(w.avail, i, i+1)
		people = slices.Clone(w.people)
		w.dirRev++
	case 1: // a hand-made entry: revision unknown
		people[w.rnd.IntN(len(people))].Revision = 0
	case 2: // moved desk: the same directory, listed differently
		i := w.rnd.IntN(len(w.people))
		w.rev++
		w.people[i].Person.Office += " (moved)"
		w.people[i].Revision = w.rev
		w.avail[i].Person = *w.people[i].Person
		people = slices.Clone(w.people)
	}
	s := calendar.Snapshot{Source: "demo", At: w.now, GeneratedAt: w.now, People: ptrs(people...), DirectoryRevision: w.dirRev,
		Engine: calendar.EngineState{State: calendar.OverallState(ptrs(people...)), Interval: time.Minute, LastSuccess: w.now}}
	if w.rnd.IntN(10) == 0 {
		s.DirectoryRevision = 0 // unnumbered: compared by its print
	}
	if w.rnd.IntN(8) == 0 {
		s.Engine.State, s.Engine.Stale, s.Engine.Since = calendar.StateOffline, true, w.now.Add(-5*time.Minute)
		s.Engine.Reason = errors.New("the network is unreachable")
	}
	if w.rnd.IntN(8) == 0 {
		s.RoomsErr = errors.New("rooms could not be listed")
	}
	return s
}

// operate does what an operator might between two refreshes.
func operate(c *Console, rnd *rand.Rand) {
	switch rnd.IntN(9) {
	case 0:
		q := []string{"", "an", "sales", "ro", "be"}[rnd.IntN(5)]
		c.search.Text = q
		c.search.Refresh()
		c.filter(true)
	case 1, 2:
		c.choose(rnd.IntN(min(5, max(len(c.visible), 1))), false)
	case 3:
		c.toggleUnknownOnly()
	case 4:
		c.chosen, c.otherChosen = "", "" // no scrolling to a selection
		c.showRooms(!c.rooms)
	case 5:
		if c.chosen != "" {
			c.toggleFavouriteOf(c.chosen)
		}
	case 6:
		if c.chosen != "" {
			c.toggleWatchOf(c.chosen)
		}
	case 7:
		c.showDay(!c.nextDay)
	}
}

// newApplyConsole is a console in a window of the golden tests' size, its
// clock read from *now.
func newApplyConsole(t *testing.T, now *time.Time, favourites []string) (*Console, fyne.Window) {
	t.Helper()
	c := NewConsole(Options{Now: func() time.Time { return *now }, Favourites: favourites, Notify: func(*fyne.Notification) {}})
	t.Cleanup(c.search.stopIdle)
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	return c, w
}

// A console fed a morning's snapshots one after another, which it applies
// in place where it can, draws after each exactly what a console opened on
// that snapshot draws, with the operator's same search, view, selection,
// favourites and watches: rows, details, counts, status line, notice.
func TestApplyInPlaceDrawsAsAFullApply(t *testing.T) {
	test.NewTempApp(t)
	inPlace := 0
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			world := newApplyWorld(t, seed)
			now := world.now
			c, w := newApplyConsole(t, &now, nil)
			opRnd := rand.New(rand.NewPCG(seed, 7))
			for step := range 40 {
				s := world.step()
				now = world.now
				for _, l := range slices.Clone(c.freed.lines) {
					c.freed.remove(l.person.Person.Key()) // lines of earlier steps
				}
				// The fresh console is where the operator was before s came.
				fresh, fw := newApplyConsole(t, &now, slices.Clone(c.favourites))
				fresh.watches = calendar.RestoreWatches(c.watches.Save(), now)
				if c.rooms {
					fresh.showRooms(true)
				}
				fresh.search.Text = c.search.Text
				fresh.search.Refresh()
				fresh.unknownOnly, fresh.chosen, fresh.nextDay = c.unknownOnly, c.chosen, c.nextDay

				c.Apply(s)
				fresh.Apply(s)
				if got, want := drawn(w), drawn(fw); got != want {
					t.Fatalf("step %d: applied in place, the window differs from a full apply:\n%s", step, firstDifference(got, want))
				}
				operate(c, opRnd)
				// A star follows its colleague down the list; the fresh
				// console starts at the top.
				c.list.ScrollToTop()
			}
			inPlace += c.appliedInPlace
			t.Logf("%d of 40 snapshots applied in place", c.appliedInPlace)
		})
	}
	if inPlace == 0 {
		t.Error("no snapshot was applied in place")
	}
}

// geometry is where and how large the markup says each object is: the
// details pane keeps a label's height from an earlier colleague until it
// is laid out again, in a full apply as in place, so positions tell the
// history of the window, not what the snapshot says.
var geometry = regexp.MustCompile(` (pos|size)="[^"]*"`)

// truncated is a text cut short with an ellipsis. A row's label is cut at
// the width its column had before the row was laid out for its new status,
// in a full apply as in place (row.update), so where it is cut tells the
// history too; its first words do not.
var truncated = regexp.MustCompile(`>([^<]{0,12})[^<]*…</text>`)

// rowBell is the icon of a row's bell. row.update sets it while the button
// may still be hidden from the row's last drawing, and a hidden button's
// refresh leaves its icon out until the next: whether it shows on a row
// just selected or watched tells the history too (the goldens hold it
// missing; a full apply draws it at the next refresh, as one in place does
// when the clock moved).
var rowBell = regexp.MustCompile(`\s*<image [^>]*rsc="bell-(on|off).svg"[^>]*/>`)

// drawn is what the window shows: every object, text, colour and icon.
func drawn(w fyne.Window) string {
	markup := geometry.ReplaceAllString(test.RenderToMarkup(w.Canvas()), "")
	markup = rowBell.ReplaceAllString(markup, "")
	return truncated.ReplaceAllString(markup, ">$1…</text>")
}

// firstDifference is the first differing line of two markups, in context.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			from := max(i-3, 0)
			return fmt.Sprintf("line %d\nin place:\n%s\nfull:\n%s", i+1, strings.Join(g[from:min(i+3, len(g))], "\n"), strings.Join(w[from:min(i+3, len(w))], "\n"))
		}
	}
	return fmt.Sprintf("%d lines against %d", len(g), len(w))
}

// The loading bar's count of those without an answer is the console's kept
// count for the snapshot on show, and a count of its own for any other.
func TestWaitingInCountsTheSnapshotAsked(t *testing.T) {
	test.NewTempApp(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	c, _ := newApplyConsole(t, &now, nil)
	person := func(name string, fetched time.Time) calendar.PersonState {
		return calendar.PersonState{Person: &calendar.Person{Name: name, Email: strings.ToLower(name) + "@x.example"}, FetchedAt: fetched, Revision: 1}
	}
	shown := calendar.Snapshot{At: now, GeneratedAt: now, DirectoryRevision: 1,
		People: ptrs(person("Ada", now), person("Ben", time.Time{}), person("Cleo", time.Time{}))}
	c.Apply(shown)
	next := shown
	next.People = ownCopy(shown.People)
	next.People[1].FetchedAt, next.People[1].Revision = now, 2
	for _, tt := range []struct {
		name string
		s    calendar.Snapshot
		want int
	}{
		{"on show", shown, 2},
		{"not yet applied", next, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.waitingIn(tt.s); got != tt.want {
				t.Errorf("waitingIn = %d, want %d", got, tt.want)
			}
		})
	}
	c.Apply(next) // in place: the kept count follows
	if got := c.waitingIn(next); got != 1 || c.appliedInPlace != 1 {
		t.Errorf("after the apply in place: waitingIn = %d (want 1), applied in place %d times", got, c.appliedInPlace)
	}
}

// Eight hours of refreshes keep the rows the list draws and no more: the
// list makes a row at every Refresh to measure one, and the console kept
// each of them (110 rows after 100 refreshes, about 10 KB each).
func TestRowsKeptAreTheRowsThatDraw(t *testing.T) {
	c, _ := newTestConsole(t, false)
	s := demoSnapshot(t)
	c.Apply(s)
	for i := range 100 {
		next := s
		next.GeneratedAt = s.GeneratedAt.Add(time.Duration(i+1) * time.Minute)
		c.Apply(next)
		c.search.SetText([]string{"b", ""}[i%2])
		c.pageRows()
	}
	onScreen := int(c.list.Size().Height/(newRow(c).MinSize().Height)) + 1
	if len(c.rows) == 0 || len(c.rows) > 2*onScreen {
		t.Fatalf("%d rows kept for a list that shows %d at once", len(c.rows), onScreen)
	}
	for _, r := range c.rows {
		if !r.listed || r.key == "" {
			t.Fatalf("a row kept has drawn no colleague")
		}
	}
}
