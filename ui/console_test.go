package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// demoSnapshot is the demo company at Monday 10:00, as the engine would publish it.
func demoSnapshot(t *testing.T) calendar.Snapshot {
	t.Helper()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	demo := calendar.NewDemo(paris)
	demo.Now = func() time.Time { return now }
	people, _ := demo.Directory(context.Background())
	day := calendar.DayOf(now, paris)
	avail, err := calendar.FetchAll(context.Background(), demo, people, calendar.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)})
	if err != nil {
		t.Fatal(err)
	}
	return calendar.BuildSnapshot(demo.Name(), avail, now, paris, now)
}

func newTestConsole(t *testing.T, demo bool) (*Console, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	c := NewConsole(Options{Demo: demo, Now: func() time.Time { return now }})
	t.Cleanup(c.search.stopIdle)
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(900, 600))
	return c, w
}

func TestConsoleRendersTheDemoSnapshot(t *testing.T) {
	c, w := newTestConsole(t, true)
	c.Apply(demoSnapshot(t))
	test.AssertRendersToMarkup(t, "console_demo.xml", w.Canvas())

	test.Type(c.search, "dmitri font")
	test.AssertRendersToMarkup(t, "console_demo_search.xml", w.Canvas())
}

func TestSearchNarrowsTheList(t *testing.T) {
	tests := []struct {
		query string
		want  int
	}{
		{"", 60},
		{"dmitri", 3},
		{"chloe", 3},       // accents folded: finds Chloé
		{"CHLOÉ gupta", 1}, // every word must match
		{"engineering", 7}, // departments
		{"+1 555 0103", 1}, // phone numbers
		{"nobody-here", 0},
	}
	c, _ := newTestConsole(t, false)
	c.Apply(demoSnapshot(t))
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			c.search.SetText(tt.query)
			if got := c.list.Length(); got != tt.want {
				t.Errorf("%q shows %d people, want %d", tt.query, got, tt.want)
			}
		})
	}
}

func TestDemoIsLabelled(t *testing.T) {
	for _, demo := range []bool{true, false} {
		c, w := newTestConsole(t, demo)
		c.Apply(demoSnapshot(t))
		banner := hasText(w.Canvas().Content(), "DEMO DATA: a fictional company, not your colleagues")
		if banner != demo {
			t.Errorf("demo=%v: banner shown=%v", demo, banner)
		}
	}
}

// The bridge is the only way snapshots reach widgets, and it goes through fyne.Do.
// (The test driver runs fyne.Do on the caller, so the test waits for the bridge
// to finish before it reads the widgets.)
func TestBridgeAppliesSnapshots(t *testing.T) {
	c, _ := newTestConsole(t, true)
	snaps := make(chan calendar.Snapshot, 1)
	done := make(chan struct{})
	go func() { Bridge(context.Background(), snaps, c); close(done) }()
	snaps <- demoSnapshot(t)
	close(snaps)
	<-done
	if got := c.list.Length(); got != 60 {
		t.Fatalf("after the bridge the list shows %d people, want 60", got)
	}
	if got := c.stateLine.Text; got != "Demo data · 60 colleagues · updated 10:00:00 · unknown: 1" {
		t.Errorf("state line %q", got)
	}
}

func TestEngineStatesReadPlainly(t *testing.T) {
	c, _ := newTestConsole(t, false)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	rejected := calendar.NewPasswordRejected("ews", &calendar.PasswordRejectedError{At: now.Add(-time.Minute), User: "reception"})
	tests := []struct {
		name   string
		source string
		state  calendar.EngineState
		want   string
	}{
		{"throttled", "microsoft365", calendar.EngineState{State: calendar.StateThrottled, Until: now.Add(90 * time.Second)}, "Server busy: waiting until 10:01"},
		{"signed out", "microsoft365", calendar.EngineState{State: calendar.StateAuthPaused}, "Paused: sign-in needed"},
		{"exchange password", "ews", calendar.EngineState{State: calendar.StateAuthPaused, Reason: rejected}, "Paused: the Exchange password is needed"},
		{"offline", "microsoft365", calendar.EngineState{State: calendar.StateOffline, Since: now.Add(-10 * time.Minute)}, "Offline since 09:50: showing last known data"},
		// The saved directory is never shown as a live listing.
		{"saved list, listing under way", "microsoft365", calendar.EngineState{State: calendar.StateOK, Refreshing: true, DirectorySaved: now.Add(-2 * time.Hour)}, "Saved list of colleagues (08:00) · being refreshed"},
		{"saved list, offline", "microsoft365", calendar.EngineState{State: calendar.StateOffline, Since: now.Add(-10 * time.Minute), DirectorySaved: now.Add(-2 * time.Hour)}, "Offline since 09:50: showing last known data · saved list of colleagues (08:00)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.Apply(calendar.Snapshot{At: now, GeneratedAt: now, Source: tt.source, Engine: tt.state})
			if got := c.stateLine.Text; got != tt.want {
				t.Errorf("state line %q, want %q", got, tt.want)
			}
		})
	}
}

// hasText reports whether any text on the canvas reads exactly s.
func hasText(root fyne.CanvasObject, s string) bool {
	for _, o := range test.LaidOutObjects(root) {
		if txt, ok := o.(*canvas.Text); ok && txt.Text == s && txt.Visible() {
			return true
		}
	}
	return false
}

func TestFilterFoldsAccents(t *testing.T) {
	people := []*calendar.PersonState{{Person: &calendar.Person{Name: "Chloé Gupta"}}, {Person: &calendar.Person{Name: "Søren Dahl"}}}
	if got := Filter(people, "chloe"); len(got) != 1 || got[0] != 0 {
		t.Errorf("Filter(chloe) = %v", got)
	}
}

// One colleague is "1 colleague", not "1 colleagues", in the count and the
// state line alike.
func TestCountsOfColleaguesReadAsWords(t *testing.T) {
	all := demoSnapshot(t)
	var known, unknown calendar.PersonState
	for _, p := range all.People {
		if p.Status == calendar.StatusUnknown {
			unknown = *p
		} else if known.Person == nil {
			known = *p
		}
	}
	tests := []struct {
		name      string
		people    []*calendar.PersonState
		count     string
		stateLine string
	}{
		{"one", []*calendar.PersonState{&known}, "1 colleague", "1 colleague · updated 10:00:00"},
		{"one, unknown", []*calendar.PersonState{&unknown}, "1 colleague", "1 colleague · updated 10:00:00 · unknown: 1"},
		{"two", []*calendar.PersonState{&known, &unknown}, "2 colleagues", "2 colleagues · updated 10:00:00 · unknown: 1"},
		{"none", nil, "0 colleagues", "0 colleagues · updated 10:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestConsole(t, false)
			s := all
			s.People = tt.people
			c.Apply(s)
			if got := c.count.Text; got != tt.count {
				t.Errorf("count %q, want %q", got, tt.count)
			}
			if got := c.stateLine.Text; got != tt.stateLine {
				t.Errorf("state line %q, want %q", got, tt.stateLine)
			}
		})
	}
}

// The status line tells "updated" in the console's zone (time_zone), as the
// details do, not in the computer's: with Los Angeles configured on a PC in
// Paris both read 01:00:00, not one of them 10:00:00.
func TestStatusLineTellsTheConfiguredZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newTestConsole(t, false)
	s := demoSnapshot(t)
	s.At = s.At.In(la)
	c.Apply(s)
	if got := c.stateLine.Text; got != "60 colleagues · updated 01:00:00 · unknown: 1" {
		t.Errorf("state line %q, want the update told in Los Angeles time (01:00:00)", got)
	}
}
