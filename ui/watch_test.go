package ui

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// watchConsole is a console with two colleagues whose notifications, engine
// priorities and calls are recorded. now moves with the test.
type watchConsole struct {
	c        *Console
	w        fyne.Window
	now      time.Time
	notified []string
	watched  [][]string
	opened   []string
}

const (
	benKey  = "ben.holm@demo.example"
	rosaKey = "rosa.berger@demo.example"
)

func newWatchConsole(t *testing.T, now time.Time) *watchConsole {
	t.Helper()
	wc := &watchConsole{now: now}
	wc.c = NewConsole(Options{
		Now:            func() time.Time { return wc.now },
		WatchesChanged: func(keys []string) { wc.watched = append(wc.watched, keys) },
		Notify:         func(n *fyne.Notification) { wc.notified = append(wc.notified, n.Title+" | "+n.Content) },
		OpenURL:        func(u *url.URL) error { wc.opened = append(wc.opened, u.String()); return nil },
	})
	t.Cleanup(wc.c.search.stopIdle)
	wc.w = test.NewTempWindow(t, wc.c.Content())
	wc.w.Resize(fyne.NewSize(900, 600))
	InstallConsoleKeys(wc.w.Canvas(), func() *Console { return wc.c })
	return wc
}

// at applies a snapshot at now+minutes with Ben and Rosa in the given states.
func (wc *watchConsole) at(minutes int, ben, rosa calendar.Status, benPresence string) {
	wc.now = wc.now.Add(time.Duration(minutes) * time.Minute)
	person := func(name, key, phone string, st calendar.Status, presence string) calendar.PersonState {
		p := calendar.PersonState{Person: &calendar.Person{Name: name, Email: key, Phone: phone}, Status: st, Presence: presence, FetchedAt: wc.now}
		if st == calendar.StatusBusy {
			p.Until = wc.now.Add(20 * time.Minute)
		}
		return p
	}
	wc.c.Apply(calendar.Snapshot{Source: "demo", At: wc.now, GeneratedAt: wc.now, Engine: calendar.EngineState{Interval: time.Minute},
		People: ptrs(person("Ben Holm", benKey, "+1 555 0140", ben, benPresence), person("Rosa Berger", rosaKey, "+1 555 0117", rosa, ""))})
}

func (wc *watchConsole) selectKey(t *testing.T, key string) {
	t.Helper()
	row := wc.c.rowOf(key)
	if row < 0 {
		t.Fatalf("%s not in the list", key)
	}
	wc.c.choose(row, false)
}

// Ctrl+B on a busy colleague: the bell rings on their row and in the
// details, the engine is told, and when they turn free one notification, one
// line above the search; Ctrl+Shift+Enter calls them from there.
func TestTellMeWhenFree(t *testing.T) {
	test.NewTempApp(t)
	wc := newWatchConsole(t, time.Date(2026, 12, 3, 10, 20, 0, 0, paris))
	wc.at(0, calendar.StatusBusy, calendar.StatusFree, "")
	wc.selectKey(t, benKey)
	shortcut(wc.w.Canvas(), shortcutWatch)

	if got := wc.c.stateLine.Text; got != "You will be told when Ben Holm is free." {
		t.Errorf("status line %q", got)
	}
	if wc.c.detail.bell.Icon != bellOn {
		t.Error("the details' bell is not on")
	}
	if r := rowOf(t, wc.w.Canvas(), benKey); r.bell.Hidden || r.bell.Icon != bellOn {
		t.Error("Ben's row shows no ringing bell")
	}
	if len(wc.watched) != 1 || !slices.Equal(wc.watched[0], []string{benKey}) {
		t.Errorf("engine told %v, want [[%s]]", wc.watched, benKey)
	}
	if saved := fyne.CurrentApp().Preferences().String(watchesPreference); saved != `{"day":"2026-12-03","keys":["ben.holm@demo.example"]}` {
		t.Errorf("kept %q", saved)
	}
	test.AssertRendersToMarkup(t, "watch_set.xml", wc.w.Canvas())

	wc.at(1, calendar.StatusBusy, calendar.StatusFree, "") // still busy
	wc.at(10, calendar.StatusFree, calendar.StatusFree, "Busy (InACall)")
	if len(wc.notified) != 0 {
		t.Fatalf("notified %v while Ben is in a call", wc.notified)
	}
	wc.selectKey(t, rosaKey) // the operator is on another caller
	wc.at(1, calendar.StatusFree, calendar.StatusFree, "Available (Available)")
	if want := []string{"Ben Holm is free | You asked to be told. Ctrl+Shift+Enter in Frontdesk calls them."}; !slices.Equal(wc.notified, want) {
		t.Fatalf("notified %v, want %v", wc.notified, want)
	}
	if len(wc.c.freed.lines) != 1 || wc.c.freed.root.Hidden || wc.c.freed.lines[0].text.Text != "Ben Holm is free (10:32)" {
		t.Fatalf("banner: hidden %v, %d lines", wc.c.freed.root.Hidden, len(wc.c.freed.lines))
	}
	if wc.c.isWatched(benKey) || len(wc.watched) != 2 || len(wc.watched[1]) != 0 {
		t.Errorf("the watch did not end when it fired: engine told %v", wc.watched)
	}

	wc.at(1, calendar.StatusFree, calendar.StatusFree, "")
	wc.at(1, calendar.StatusBusy, calendar.StatusFree, "")
	wc.at(1, calendar.StatusFree, calendar.StatusFree, "")
	if len(wc.notified) != 1 || len(wc.c.freed.lines) != 1 {
		t.Errorf("after firing: %d notifications, %d banner lines; want 1, 1", len(wc.notified), len(wc.c.freed.lines))
	}

	shortcut(wc.w.Canvas(), shortcutCallFreed)
	if !slices.Equal(wc.opened, []string{"tel:+15550140"}) {
		t.Errorf("Ctrl+Shift+Enter opened %v, want Ben's tel:+15550140 (Rosa is selected)", wc.opened)
	}
	if !wc.c.freed.root.Hidden {
		t.Error("the banner line stays after the call")
	}
}

// The line a fired watch leaves above the search, as laid out in the window.
func TestFreedBannerGolden(t *testing.T) {
	test.NewTempApp(t)
	wc := newWatchConsole(t, time.Date(2026, 12, 3, 10, 32, 0, 0, paris))
	wc.c.freed.add(calendar.PersonState{Person: &calendar.Person{Name: "Ben Holm", Email: benKey}}, wc.now)
	test.AssertObjectRendersToMarkup(t, "watch_banner.xml", container.NewGridWrap(fyne.NewSize(600, 40), wc.c.freed.root))
}

// The bells toggle; a colleague free now is not watched and the operator is
// told at once; the watches come back after a restart the same day.
func TestWatchBellsAndRestart(t *testing.T) {
	test.NewTempApp(t)
	day := time.Date(2026, 12, 3, 10, 20, 0, 0, paris)
	wc := newWatchConsole(t, day)
	wc.at(0, calendar.StatusBusy, calendar.StatusFree, "")

	wc.selectKey(t, rosaKey)
	test.Tap(wc.c.detail.bell)
	if wc.c.isWatched(rosaKey) || wc.c.stateLine.Text != "Rosa Berger is free now: put the call through." {
		t.Errorf("Rosa is free: watched %v, status line %q", wc.c.isWatched(rosaKey), wc.c.stateLine.Text)
	}
	if r := rowOf(t, wc.w.Canvas(), benKey); !r.bell.Hidden {
		t.Error("a bell on an unwatched row that is not selected")
	}
	wc.selectKey(t, benKey)
	r := rowOf(t, wc.w.Canvas(), benKey)
	test.Tap(r.bell)
	if !wc.c.isWatched(benKey) || wc.c.detail.bell.Icon != bellOn {
		t.Fatal("the row's bell did not watch Ben")
	}

	restarted := newWatchConsole(t, day.Add(3*time.Hour))
	if !restarted.c.isWatched(benKey) || len(restarted.watched) != 1 {
		t.Errorf("after a restart the same day: watched %v, engine told %v", restarted.c.isWatched(benKey), restarted.watched)
	}
	tomorrow := newWatchConsole(t, day.AddDate(0, 0, 1))
	if tomorrow.c.isWatched(benKey) || len(tomorrow.watched) != 0 {
		t.Errorf("the next day: watched %v, engine told %v", tomorrow.c.isWatched(benKey), tomorrow.watched)
	}

	test.Tap(wc.c.detail.bell)
	if wc.c.isWatched(benKey) || !strings.HasPrefix(wc.c.stateLine.Text, "No longer watching Ben Holm") {
		t.Errorf("the details' bell did not end the watch: %q", wc.c.stateLine.Text)
	}
	if r := rowOf(t, wc.w.Canvas(), benKey); r.bell.Icon != bellOff {
		t.Error("the row's bell still rings")
	}
}
