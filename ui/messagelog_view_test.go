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
)

// memoryLog is a message log in memory that records what the view asked.
type memoryLog struct {
	messages []TakenMessage
	asked    []string // "query|since"
	err      error
}

func (l *memoryLog) Add(_ context.Context, m TakenMessage) error {
	l.messages = append(l.messages, m)
	return nil
}

func (l *memoryLog) Find(_ context.Context, query string, since time.Time) ([]TakenMessage, error) {
	l.asked = append(l.asked, query+"|"+since.Format(time.RFC3339))
	if l.err != nil {
		return nil, l.err
	}
	var out []TakenMessage
	for _, m := range l.messages {
		hay := strings.ToLower(strings.Join([]string{m.For, m.Caller, m.Company, m.Number, m.Text}, " "))
		ok := !m.At.Before(since)
		for _, w := range strings.Fields(strings.ToLower(query)) {
			ok = ok && strings.Contains(hay, w)
		}
		if ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b TakenMessage) int { return b.At.Compare(a.At) })
	return out, nil
}

func (l *memoryLog) lastAsked() string { return l.asked[len(l.asked)-1] }

// deskLog is a morning at the desk (testNow is Monday 23 November, 10:00).
func deskLog() *memoryLog {
	return &memoryLog{messages: []TakenMessage{
		{At: testNow.Add(-50 * time.Minute), For: "Ada Lovelace", ForEmail: "ada@example.com", Caller: "Giulia Rossi", Company: "Acme S.p.A.", Number: "+39 06 1234 5678",
			Text: "About invoice 42.\nShe is in the office until six.", CallBack: true, Urgent: true, SentVia: SentViaTeams},
		{At: testNow.Add(-20 * time.Minute), For: "Ben Carter", Caller: "Peter Müller", Text: "The parcel is at the back door.", SentVia: SentViaEmail},
		{At: testNow.AddDate(0, 0, -3), For: "Ada Lovelace", Caller: "Sam Lee", Company: "Globex", Text: "Call back about the contract", CallBack: true, SentVia: SentViaEmail},
		{At: testNow.AddDate(0, 0, -20), For: "Carla Dini", Caller: "Old Caller", SentVia: SentViaTeams},
	}}
}

// newMessagesWindow is the main window on the demo company with keys, the
// search holding "ada" as the operator left it, and log as the message log.
func newMessagesWindow(t *testing.T, log MessageLog) (*mainWindow, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(w, WindowOptions{Console: Options{Now: func() time.Time { return testNow }, Describe: sentence, Messages: log}})
	m.async = func(f func()) { f() }
	w.SetContent(m.Content())
	w.Resize(fyne.NewSize(900, 600))
	m.installKeys(w.Canvas())
	snap := demoSnapshot(t)
	snap.Source = "demo"
	m.Apply(snap)
	t.Cleanup(m.console.search.stopIdle)
	w.Canvas().Focus(m.console.search)
	test.Type(m.console.search, "ada")
	return m, w
}

func TestMessagesViewShowsSearchesAndCloses(t *testing.T) {
	log := deskLog()
	m, w := newMessagesWindow(t, log)
	cv := w.Canvas()
	chosen := m.console.chosen

	shortcut(cv, shortcutMessageLog) // Ctrl+L from the console's search
	v := m.messages
	if v == nil || openDialogs(w) != 1 {
		t.Fatalf("Ctrl+L opened %d dialogs", openDialogs(w))
	}
	if cv.Focused() != v.search {
		t.Fatalf("the keyboard is on %T, want the view's search", cv.Focused())
	}
	today := "|2026-11-23T00:00:00+01:00"
	if log.lastAsked() != today {
		t.Errorf("asked the log %q, want today's messages (%q)", log.lastAsked(), today)
	}
	if v.status.Text != "2 messages" || len(v.found) != 2 || v.found[0].Caller != "Peter Müller" {
		t.Errorf("today: %q, %d messages", v.status.Text, len(v.found))
	}
	test.AssertRendersToMarkup(t, "messages_today.xml", cv)

	t.Run("Down shows the next message whole", func(t *testing.T) {
		press(cv, fyne.KeyDown)
		want := "09:10 · for Ada Lovelace · urgent · please call back (ada@example.com)\nFrom: Giulia Rossi, Acme S.p.A., +39 06 1234 5678\nSent as a Teams chat\n\nAbout invoice 42.\nShe is in the office until six."
		if v.selected != 1 || v.detail.Text != want {
			t.Errorf("selected %d, detail:\n%s\nwant:\n%s", v.selected, v.detail.Text, want)
		}
	})
	t.Run("the search narrows, every word", func(t *testing.T) {
		typeKeys(cv, "rossi acme")
		if log.lastAsked() != "rossi acme"+today || len(v.found) != 1 || v.found[0].Caller != "Giulia Rossi" {
			t.Errorf("asked %q, found %d", log.lastAsked(), len(v.found))
		}
	})
	t.Run("a longer period", func(t *testing.T) {
		test.Tap(v.periods[periodWeek])
		if log.lastAsked() != "rossi acme|2026-11-17T00:00:00+01:00" {
			t.Errorf("asked %q, want the last 7 days", log.lastAsked())
		}
		if cv.Focused() != v.search {
			t.Errorf("after a period the keyboard is on %T, want the search", cv.Focused())
		}
		v.search.SetText("")
		if len(v.found) != 3 || v.status.Text != "3 messages" {
			t.Errorf("last 7 days: %q", v.status.Text)
		}
		test.Tap(v.periods[periodAll])
		if !strings.HasSuffix(log.lastAsked(), "|0001-01-01T00:00:00Z") || len(v.found) != 4 {
			t.Errorf("all kept: asked %q, found %d", log.lastAsked(), len(v.found))
		}
		test.AssertRendersToMarkup(t, "messages_all.xml", cv)
	})
	t.Run("nothing found is said", func(t *testing.T) {
		v.search.SetText("zebra")
		if v.status.Text != "No message holds “zebra”." {
			t.Errorf("status %q", v.status.Text)
		}
		v.search.SetText("")
	})
	t.Run("nothing reaches the console behind", func(t *testing.T) {
		shortcut(cv, shortcutFavourite)
		press(cv, fyne.KeyF5)
		press(cv, fyne.KeyF1)
		if openDialogs(w) != 1 || m.console.search.Text != "ada" || m.console.chosen != chosen {
			t.Errorf("%d dialogs; behind, the search reads %q", openDialogs(w), m.console.search.Text)
		}
	})
	t.Run("Esc from the list closes it", func(t *testing.T) {
		cv.Focus(v.list)
		press(cv, fyne.KeyEscape)
		if openDialogs(w) != 0 || m.messages != nil || m.modal != nil {
			t.Fatalf("%d dialogs open after Esc", openDialogs(w))
		}
		if cv.Focused() != m.console.search || m.console.search.Text != "ada" {
			t.Errorf("after Esc the keyboard is on %T and the search reads %q", cv.Focused(), m.console.search.Text)
		}
	})
}

func TestMessagesViewKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys func(v *messagesView, cv fyne.Canvas)
		open int
	}{
		{"Esc in the search", func(v *messagesView, cv fyne.Canvas) { press(cv, fyne.KeyEscape) }, 0},
		{"Esc on a period button", func(v *messagesView, cv fyne.Canvas) { cv.Focus(v.periods[periodAll]); press(cv, fyne.KeyEscape) }, 0},
		{"Esc after a click on its text", func(v *messagesView, cv fyne.Canvas) { cv.Unfocus(); press(cv, fyne.KeyEscape) }, 0},
		{"Down after a click on its text", func(v *messagesView, cv fyne.Canvas) { cv.Unfocus(); press(cv, fyne.KeyDown); cv.Focus(v.search) }, 1},
		{"Enter on a period picks it", func(v *messagesView, cv fyne.Canvas) { cv.Focus(v.periods[periodAll]); press(cv, fyne.KeyReturn) }, 1},
		{"a second Ctrl+L", func(v *messagesView, cv fyne.Canvas) { cv.Unfocus(); v.m.showMessages() }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, w := newMessagesWindow(t, deskLog())
			m.showMessages()
			v := m.messages
			tc.keys(v, w.Canvas())
			if got := openDialogs(w); got != tc.open {
				t.Errorf("%d dialogs open, want %d", got, tc.open)
			}
			if tc.open == 1 && w.Canvas().Focused() != v.search {
				t.Errorf("the keyboard is on %T, want the view's search", w.Canvas().Focused())
			}
			if tc.name == "Enter on a period picks it" && v.period != periodAll {
				t.Errorf("period %d after Enter on All kept", v.period)
			}
			if tc.name == "Down after a click on its text" && v.selected != 1 {
				t.Errorf("selected %d after Down, want the second message", v.selected)
			}
		})
	}
}

func TestMessagesViewSaysWhenTheLogCannotBeRead(t *testing.T) {
	log := &memoryLog{err: errString("Frontdesk cannot read the message log in /state/messages: permission denied.")}
	m, w := newMessagesWindow(t, log)
	shortcut(w.Canvas(), shortcutMessageLog)
	if v := m.messages; v == nil || v.status.Text != log.err.Error() || v.status.Importance != widget.WarningImportance {
		t.Errorf("the view does not say the log cannot be read")
	}
}

func TestMessagesViewIsOnTheMenuAndInTheKeys(t *testing.T) {
	m, _ := newMessagesWindow(t, deskLog())
	var item *fyne.MenuItem
	for _, it := range m.menu().Items[0].Items {
		if it.Label == "Messages taken…" {
			item = it
		}
	}
	if item == nil || item.Shortcut != shortcutMessageLog {
		t.Fatalf("File has no Messages taken… on Ctrl+L")
	}
	item.Action()
	if m.messages == nil {
		t.Error("the menu did not open the messages")
	}
	if !slices.ContainsFunc(shortcutRows(), func(r [2]string) bool { return r[0] == "Ctrl+L" }) {
		t.Error("F1 does not list Ctrl+L")
	}
	// Without a log (nothing kept), there is no entry to open.
	none, _ := newMessagesWindow(t, nil)
	for _, it := range none.menu().Items[0].Items {
		if it.Label == "Messages taken…" {
			t.Error("a menu entry for a log there is not")
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
