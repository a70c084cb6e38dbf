package ui

import (
	"html"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// hostileNote is the status message of the Graph fixture
// (calendar/graph/testdata/getpresences-statusmessage.json): markup, an
// entity, a script and a right-to-left override.
const hostileNote = "<p>Ask for <b>Maria</b> &amp; not me<br>today</p><script>alert(1)</script>\u202egnp.exe"

// noteConsole is a console at now showing a snapshot taken at 10:00 of Eve
// (a hostile note until 15:00, in the office), Dan (a note that expired at
// 10:30, working remotely) and Fay (time off, no note).
func noteConsole(t *testing.T, now time.Time) (*Console, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	day := calendar.DayOf(at, paris)
	avail := func(name string, note calendar.StatusMessage, where calendar.WorkLocation) calendar.Availability {
		return calendar.Availability{
			Person:   calendar.Person{ID: "id-" + name, Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@contoso.com", Department: "Sales"},
			Window:   day,
			Slots:    []calendar.Slot{{Start: day.Start, End: day.End, Status: calendar.StatusFree}},
			Presence: "Available", StatusMessage: note, WorkLocation: where, FetchedAt: at,
		}
	}
	snap := calendar.BuildSnapshot("microsoft365", []calendar.Availability{
		avail("Eve Abbott", calendar.StatusMessage{Text: calendar.StatusMessageText(hostileNote, true), Expires: time.Date(2026, 11, 23, 15, 0, 0, 0, paris)}, calendar.WorkLocationOffice),
		avail("Dan Berger", calendar.StatusMessage{Text: "Back at 10:30", Expires: time.Date(2026, 11, 23, 10, 30, 0, 0, paris)}, calendar.WorkLocationRemote),
		avail("Fay Castillo", calendar.StatusMessage{}, calendar.WorkLocationTimeOff),
	}, at, paris, at)
	c := NewConsole(Options{Now: func() time.Time { return now }})
	t.Cleanup(c.search.stopIdle)
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	c.Apply(snap)
	return c, w
}

func choose(c *Console, email string) {
	c.chosen = email
	c.filter(false)
}

// The colleague's note reaches the details as text: markup reduced, the
// override shown as an escape, with when it expires; where they work shares
// the presence's line; the list row carries word marks.
func TestStatusNoteInDetailsGolden(t *testing.T) {
	c, w := noteConsole(t, time.Date(2026, 11, 23, 10, 0, 0, 0, paris))
	choose(c, "eve@contoso.com")
	const want = `Note: Ask for Maria & not me today \u202egnp.exe · until 15:00`
	if got := c.detail.note.note.Text; got != want || c.detail.note.root.Hidden {
		t.Errorf("note line = %q (hidden %v), want %q", got, c.detail.note.root.Hidden, want)
	}
	if got := c.detail.presence.Text; got != "Teams: Available · In the office" {
		t.Errorf("presence line = %q", got)
	}
	test.AssertRendersToMarkup(t, "console_status_note.xml", w.Canvas())
	markup := renderedText(w)
	if strings.ContainsRune(markup, '\u202e') || strings.Contains(markup, "<b>") || strings.Contains(markup, "alert") {
		t.Error("the window shows the note raw: an override, markup or a script")
	}
	for _, mark := range []string{"Note · Available", "Remote · Note", "Time off · Available"} {
		if !strings.Contains(markup, mark) {
			t.Errorf("no row reads %q", mark)
		}
	}
}

// A note is not shown once expired by the console's clock, even though the
// snapshot (taken before) still carries it; nor is its row mark.
func TestExpiredStatusNoteNotShown(t *testing.T) {
	for _, tt := range []struct {
		name  string
		now   time.Time
		shown bool
	}{
		{"before expiry", time.Date(2026, 11, 23, 10, 29, 0, 0, paris), true},
		{"after expiry", time.Date(2026, 11, 23, 10, 45, 0, 0, paris), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, w := noteConsole(t, tt.now)
			choose(c, "dan@contoso.com")
			shown := !c.detail.note.root.Hidden && c.detail.note.note.Text != ""
			if shown != tt.shown {
				t.Errorf("note shown %v (%q), want %v", shown, c.detail.note.note.Text, tt.shown)
			}
			if got := c.detail.presence.Text; got != "Teams: Available · Working remotely" {
				t.Errorf("presence line = %q", got)
			}
			if marked := strings.Contains(renderedText(w), "Remote · Note"); marked != tt.shown {
				t.Errorf("row marked %v, want %v", marked, tt.shown)
			}
		})
	}
}

// renderedText is the window's markup with its XML entities decoded: every
// text it draws, as drawn.
func renderedText(w fyne.Window) string {
	return html.UnescapeString(test.RenderToMarkup(w.Canvas()))
}
