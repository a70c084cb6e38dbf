package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// demoSnapshotWithRooms is the demo company and its meeting rooms at Monday
// 10:00, as the engine publishes them: the rooms after the colleagues.
func demoSnapshotWithRooms(t *testing.T) calendar.Snapshot {
	t.Helper()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	demo := calendar.NewDemo(paris)
	demo.Now = func() time.Time { return now }
	people, _ := demo.Directory(context.Background())
	rooms, _ := demo.Rooms(context.Background())
	day := calendar.DayOf(now, paris)
	avail, err := calendar.FetchAll(context.Background(), demo, append(people, rooms...), calendar.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)})
	if err != nil {
		t.Fatal(err)
	}
	return calendar.BuildSnapshot(demo.Name(), avail, now, paris, now)
}

func newRoomsConsole(t *testing.T) *keyConsole {
	t.Helper()
	k := newKeyConsole(t)
	k.c.Apply(demoSnapshotWithRooms(t))
	return k
}

// Ctrl+R from wherever the focus is shows the rooms in the same list and
// details; the search finds a room by name; a star pins it; Ctrl+R again
// is the colleagues, with the colleague who was selected still selected.
func TestRoomsViewIsOneKeyAway(t *testing.T) {
	for _, where := range []string{"search", "list", "nothing"} {
		t.Run(where, func(t *testing.T) {
			k := newRoomsConsole(t)
			cv := k.w.Canvas()
			if got := k.c.count.Text; got != "60 colleagues" {
				t.Fatalf("count %q: rooms counted among the colleagues", got)
			}
			k.c.move(1)
			colleague := k.chosenName()
			k.focus(where)
			shortcut(cv, shortcutRooms)
			if !k.c.rooms || k.c.count.Text != "7 rooms" || len(k.c.visible) != 7 {
				t.Fatalf("after Ctrl+R: rooms %v, count %q, %d rows", k.c.rooms, k.c.count.Text, len(k.c.visible))
			}
			if k.chosenName() != "" {
				t.Fatalf("the colleague %q stayed selected among the rooms", k.chosenName())
			}
			for i := range k.c.visible {
				if !k.c.snap.People[k.c.visible[i]].Person.IsRoom() {
					t.Fatalf("row %d is %s, not a room", i, k.rowName(i))
				}
			}
			cv.Focus(k.c.search)
			test.Type(k.c.search, "cedar")
			if k.chosenName() != "Room Cedar" {
				t.Fatalf("typing cedar chose %q", k.chosenName())
			}
			if got := k.c.detail.role.Text; got != "6 seats · London HQ · floor 4" {
				t.Fatalf("details say %q, want capacity, building and floor", got)
			}
			if !strings.Contains(k.c.detail.status.Text, "until") {
				t.Fatalf("status %q does not say until when", k.c.detail.status.Text)
			}
			shortcut(cv, shortcutFavourite)
			select {
			case keys := <-k.saved:
				if !slices.Contains(keys, "room.cedar@demo.example") {
					t.Fatalf("favourites saved %v, want the room", keys)
				}
			case <-time.After(time.Second):
				t.Fatal("starring the room saved nothing")
			}
			press(cv, fyne.KeyEscape)
			shortcut(cv, shortcutRooms)
			if k.c.rooms || k.chosenName() != colleague || k.c.count.Text != "60 colleagues" {
				t.Fatalf("back: rooms %v, selected %q (want %q), count %q", k.c.rooms, k.chosenName(), colleague, k.c.count.Text)
			}
			if k.c.tabs.colleagues.Importance != widget.HighImportance || k.c.tabs.rooms.Importance == widget.HighImportance {
				t.Fatal("the Colleagues tab is not the one marked")
			}
		})
	}
}

// A busy room's day, as the operator sees it: Room Aurora holds the
// management stand-up at 10:00 on Monday.
func TestRoomsBusyDayGolden(t *testing.T) {
	c, w := newTestConsole(t, true)
	c.Apply(demoSnapshotWithRooms(t))
	c.tabs.rooms.OnTapped()
	c.chosen = "room.aurora@demo.example"
	c.filter(false)
	p, ok := c.Selected()
	if !ok || p.Status != calendar.StatusBusy {
		t.Fatalf("Aurora at 10:00: %+v", p)
	}
	test.AssertRendersToMarkup(t, "rooms_busy_day.xml", w.Canvas())
}

// The rooms view says in words why it is empty; the colleagues never hear
// of it.
func TestRoomsViewSaysWhyThereAreNone(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		off  bool
		want string
	}{
		{"turned off", nil, true, "turned off in the settings"},
		{"not approved", &calendar.Error{Kind: calendar.KindPermission, Op: "graph.rooms", Code: "AADSTS65001"}, false, "has not approved Frontdesk to list meeting rooms"},
		{"exchange 2007", &calendar.Error{Kind: calendar.KindConfig, Op: "ews.GetRoomLists", Hint: "Exchange 2007 does not list meeting rooms; Exchange 2010 or later does."}, false, "Exchange 2007 does not list meeting rooms"},
		{"server failed", &calendar.Error{Kind: calendar.KindTransient, Op: "graph.rooms"}, false, "tries again later"},
		{"none", nil, false, "lists no meeting rooms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestConsole(t, false)
			s := demoSnapshot(t)
			s.RoomsErr, s.RoomsOff = tc.err, tc.off
			c.Apply(s)
			if !c.roomsNote.Hidden {
				t.Fatalf("the colleagues' view shows %q", c.roomsNote.Text)
			}
			c.showRooms(true)
			if c.roomsNote.Hidden || !strings.Contains(c.roomsNote.Text, tc.want) {
				t.Fatalf("rooms note %q (hidden %v), want %q", c.roomsNote.Text, c.roomsNote.Hidden, tc.want)
			}
			if c.count.Text != "0 rooms" {
				t.Fatalf("count %q", c.count.Text)
			}
			c.showRooms(false)
			if !c.roomsNote.Hidden || c.count.Text != "60 colleagues" {
				t.Fatalf("back to colleagues: note hidden %v, count %q", c.roomsNote.Hidden, c.count.Text)
			}
		})
	}
}

func TestRoomFactsReadAsWords(t *testing.T) {
	for _, tc := range []struct {
		room calendar.Room
		want string
	}{
		{calendar.Room{Capacity: 12, Building: "London HQ", Floor: "3"}, "12 seats · London HQ · floor 3"},
		{calendar.Room{Capacity: 1}, "1 seat"},
		{calendar.Room{Building: "2", Floor: "2nd floor"}, "2 · 2nd floor"},
		{calendar.Room{}, ""},
	} {
		t.Run(tc.want, func(t *testing.T) {
			test.NewTempApp(t)
			if got := roomFacts(&tc.room); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Settings' budget line names the rooms its requests an hour include.
func TestSettingsBudgetNamesTheRooms(t *testing.T) {
	for _, tc := range []struct {
		rooms int
		want  string
	}{
		{7, "About 64 requests an hour (colleagues: 60, rooms: 7)."},
		{0, "About 64 requests an hour (colleagues: 60)."},
	} {
		t.Run(tc.want, func(t *testing.T) {
			actions := Actions{
				Budget:      func(Settings) (int, int) { return 64, 60 },
				BudgetRooms: func() int { return tc.rooms },
			}
			p, _ := newTestSettings(t, actions, ewsForm())
			if p.budget.Text != tc.want {
				t.Fatalf("budget %q, want %q", p.budget.Text, tc.want)
			}
		})
	}
}
