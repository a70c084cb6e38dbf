package ui

import (
	"fmt"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A colleague whose calendar is empty at 05:00 their time is not "free" to a
// caller: the row and the details say they are off work and when they start,
// on the operator's clock, in slate rather than green. A meeting still wins,
// and hours nobody shared change nothing.
func TestStatusOutsideWorkingHours(t *testing.T) {
	rome, newYork := mustZone(t, "Europe/Rome"), mustZone(t, "America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, rome) } // 24 Nov 2026 is a Tuesday
	nyHours := workHours(monToFri, 9*time.Hour, 17*time.Hour+30*time.Minute, newYork)
	person := func(s calendar.Status, until time.Time, wh calendar.WorkingHours, shared bool) calendar.PersonState {
		return calendar.PersonState{Person: &calendar.Person{Name: "Elena Berger"}, Status: s, Until: until, WorkingHours: wh, WorkingHoursShared: shared}
	}
	midnightStarts := workHours([]time.Weekday{time.Wednesday}, 0, 6*time.Hour, rome)
	tuesdaysOnly := workHours([]time.Weekday{time.Tuesday}, 9*time.Hour, 17*time.Hour, rome)
	nights := workHours(monToFri, 22*time.Hour, 6*time.Hour, rome)
	tests := []struct {
		name       string
		p          calendar.PersonState
		now        time.Time
		clock12    bool
		wantRow    string
		wantDetail string
		wantColour color.Color
	}{
		{"free at 05:00 in New York", person(calendar.StatusFree, at(24, 17, 0), nyHours, true), at(24, 11, 0), false,
			"Off until 15:00", "Outside working hours · starts 15:00", offHoursColor},
		{"free at 05:00 in New York, 12-hour clock", person(calendar.StatusFree, at(24, 17, 0), nyHours, true), at(24, 11, 0), true,
			"Off until 3:00 PM", "Outside working hours · starts 3:00 PM", offHoursColor},
		{"free inside their hours", person(calendar.StatusFree, at(24, 17, 0), nyHours, true), at(24, 16, 0), false,
			"Free until 17:00", "Free until 17:00", StatusColor(calendar.StatusFree)},
		{"free after their end: tomorrow, named", person(calendar.StatusFree, time.Time{}, nyHours, true), at(24, 23, 45), false,
			"Off until Wed 15:00", "Outside working hours · starts Wed 15:00", offHoursColor},
		{"free on Friday night: Monday", person(calendar.StatusFree, time.Time{}, nyHours, true), at(27, 23, 45), false,
			"Off until Mon 15:00", "Outside working hours · starts Mon 15:00", offHoursColor},
		{"a start at midnight keeps its hour", person(calendar.StatusFree, time.Time{}, midnightStarts, true), at(24, 20, 0), false,
			"Off until Wed 00:00", "Outside working hours · starts Wed 00:00", offHoursColor},
		{"works only on Tuesdays, a Tuesday evening: next week, with its date", person(calendar.StatusFree, time.Time{}, tuesdaysOnly, true), at(24, 19, 0), false,
			"Off until Tue 1 Dec 09:00", "Outside working hours · starts Tue 1 Dec 09:00", offHoursColor},
		{"night shift at 03:00: at work", person(calendar.StatusFree, at(25, 6, 0), nights, true), at(25, 3, 0), false,
			"Free until 06:00", "Free until 06:00", StatusColor(calendar.StatusFree)},
		{"night shift at noon: off until 22:00", person(calendar.StatusFree, time.Time{}, nights, true), at(25, 12, 0), false,
			"Off until 22:00", "Outside working hours · starts 22:00", offHoursColor},
		{"calendar unreadable outside their hours", person(calendar.StatusUnknown, time.Time{}, nyHours, true), at(24, 11, 0), false,
			"Off until 15:00", "Outside working hours · starts 15:00", offHoursColor},
		{"busy outside their hours: the meeting matters more", person(calendar.StatusBusy, at(24, 12, 0), nyHours, true), at(24, 11, 0), false,
			"Busy until 12:00", "Busy until 12:00", StatusColor(calendar.StatusBusy)},
		{"tentative outside their hours", person(calendar.StatusTentative, at(24, 12, 0), nyHours, true), at(24, 11, 0), false,
			"Tentative until 12:00", "Tentative until 12:00", StatusColor(calendar.StatusTentative)},
		{"out of office outside their hours", person(calendar.StatusOOF, time.Time{}, nyHours, true), at(24, 11, 0), false,
			"Out of office", "Out of office", StatusColor(calendar.StatusOOF)},
		{"hours not shared: Outlook's guess says nothing", person(calendar.StatusFree, at(24, 21, 0), calendar.DefaultWorkingHours(rome), false), at(24, 20, 0), false,
			"Free until 21:00", "Free until 21:00", StatusColor(calendar.StatusFree)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(was bool) { clock12 = was }(clock12)
			clock12 = tt.clock12
			if got := rowStatus(tt.p, tt.now); got != tt.wantRow {
				t.Errorf("row %q, want %q", got, tt.wantRow)
			}
			if got := detailStatus(tt.p, tt.now); got != tt.wantDetail {
				t.Errorf("details %q, want %q", got, tt.wantDetail)
			}
			if got := statusSwatch(tt.p, tt.now); got != tt.wantColour {
				t.Errorf("colour %v, want %v", got, tt.wantColour)
			}
		})
	}
	for _, lang := range []struct{ locale, row, detail string }{
		// Not "Rientra alle mer 15:00": "alle" goes before an hour, not a weekday.
		{"it_IT.UTF-8", "Rientro: mer 15:00", "Fuori dall'orario di lavoro · inizio: mer 15:00"},
		{"de_DE.UTF-8", "Arbeitsfrei bis Mi 15:00", "Außerhalb der Arbeitszeit · ab Mi 15:00"},
	} {
		t.Run(lang.locale[:2], func(t *testing.T) {
			inLanguage(t, lang.locale)
			p := person(calendar.StatusFree, time.Time{}, nyHours, true)
			if got := rowStatus(p, at(24, 23, 45)); got != lang.row {
				t.Errorf("row %q, want %q", got, lang.row)
			}
			if got := detailStatus(p, at(24, 23, 45)); got != lang.detail {
				t.Errorf("details %q, want %q", got, lang.detail)
			}
		})
	}
}

// The console on the demo company: Elena Berger works 09:00–17:30 in New York
// and has nothing in her calendar at 04:00 there. Her row and her details say
// she is off work in slate, and the row's status is never cut, at the window's
// smallest sizes, with the day named and on a 12-hour clock.
func TestConsoleShowsAColleagueOffWork(t *testing.T) {
	const elena = "elena.berger@demo.example"
	snap := demoSnapshot(t)
	withDay := snap // her hours start tomorrow: Monday is not hers
	withDay.People = ownCopy(snap.People)
	for i, p := range withDay.People {
		if p.Person.Key() == elena {
			if p.Status != calendar.StatusFree || !p.WorkingHoursShared {
				t.Fatalf("the demo's Elena is %v with hours shared %v, want free with her own hours", p.Status, p.WorkingHoursShared)
			}
			wh := p.WorkingHours
			wh.Days = []time.Weekday{time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
			withDay.People[i].WorkingHours = wh
		}
	}
	tests := []struct {
		name       string
		snap       calendar.Snapshot
		clock12    bool
		wantRow    string
		wantDetail string
	}{
		{"today", snap, false, "Off until 15:00", "Outside working hours · starts 15:00"},
		{"another day, 12-hour clock", withDay, true, "Off until Tue 3:00 PM", "Outside working hours · starts Tue 3:00 PM"},
	}
	for _, tt := range tests {
		for _, size := range []fyne.Size{{Width: 600, Height: 400}, {Width: 800, Height: 500}, {Width: 900, Height: 600}} {
			t.Run(fmt.Sprintf("%s %vx%v", tt.name, size.Width, size.Height), func(t *testing.T) {
				defer func(was bool) { clock12 = was }(clock12)
				clock12 = tt.clock12
				c, w := newTestConsole(t, true)
				w.Resize(size)
				c.Apply(tt.snap)
				test.Type(c.search, "elena berger")
				r := rowOf(t, w.Canvas(), elena)
				if r.status.Text != tt.wantRow {
					t.Errorf("row says %q, want %q", r.status.Text, tt.wantRow)
				}
				if r.swatch.FillColor != offHoursColor {
					t.Errorf("row colour %v, want slate %v", r.swatch.FillColor, offHoursColor)
				}
				if r.status.truncated() {
					t.Errorf("row status %q cut to %.0f px", r.status.Text, r.status.Size().Width)
				}
				if got := c.detail.status.Text; got != tt.wantDetail {
					t.Errorf("details say %q, want %q", got, tt.wantDetail)
				}
				if c.detail.swatch.FillColor != offHoursColor {
					t.Errorf("details colour %v, want slate %v", c.detail.swatch.FillColor, offHoursColor)
				}
				checkTexts(t, w.Canvas(), size)
			})
		}
	}
}

// rowOf is the list row drawn for the colleague with key.
func rowOf(t *testing.T, cv fyne.Canvas, key string) *row {
	t.Helper()
	for _, o := range test.LaidOutObjects(cv.Content()) {
		if r, ok := o.(*row); ok && r.key == key && r.Visible() {
			return r
		}
	}
	t.Fatalf("no row on screen for %s", key)
	return nil
}
