package ui

import (
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// After Save with new addresses the window says they are being loaded and
// how far that got, until each has a first answer; nothing is said while the
// engine is stopped (the banner says why) (issue 21).
func TestLoadingColleaguesShowsProgress(t *testing.T) {
	m, _ := newTestWindow(t, Actions{}, false)
	snap := demoSnapshot(t)
	snap.Source = "demo"
	m.Apply(snap)
	if m.loading.root.Visible() {
		t.Fatalf("loading shown with everyone fetched: %q", m.loading.text.Text)
	}
	added := func(unfetched int) calendar.Snapshot {
		s := snap
		s.Engine.Refreshing = true // the engine publishes the cycle's start
		s.People = ownCopy(snap.People)
		for i := range unfetched {
			s.People = append(s.People, &calendar.PersonState{Person: &calendar.Person{Name: "New colleague", Email: string(rune('a'+i)) + "@demo.example"}})
		}
		return s
	}
	steps := []struct {
		name    string
		snap    calendar.Snapshot
		visible bool
		text    string
		value   float64
	}{
		{"seven added", added(7), true, "Loading 7 colleagues… (0 of 7)", 0},
		{"three answered", added(4), true, "Loading 7 colleagues… (3 of 7)", 3.0 / 7},
		{"all answered", added(0), false, "", 1},
		{"one added", added(1), true, "Loading 1 colleague…", 0},
	}
	for _, st := range steps {
		m.Apply(st.snap)
		if m.loading.root.Visible() != st.visible {
			t.Fatalf("%s: loading shown %v, want %v", st.name, m.loading.root.Visible(), st.visible)
		}
		if st.visible && (m.loading.text.Text != st.text || m.loading.progress.Value != st.value) {
			t.Errorf("%s: %q at %.2f, want %q at %.2f", st.name, m.loading.text.Text, m.loading.progress.Value, st.text, st.value)
		}
	}
	directory := snap
	directory.People, directory.Engine.Refreshing = nil, true
	m.Apply(directory)
	if !m.loading.root.Visible() || m.loading.text.Text != "Loading colleagues…" {
		t.Errorf("while the directory is read: shown %v, %q; want Loading colleagues…", m.loading.root.Visible(), m.loading.text.Text)
	}
	paused := added(3)
	paused.Engine = calendar.EngineState{State: calendar.StateAuthPaused, Reason: &calendar.Error{Kind: calendar.KindAuth}, Refreshing: true}
	paused.At = paused.At.Add(time.Minute)
	m.Apply(paused)
	if m.loading.root.Visible() {
		t.Errorf("loading shown while polling is paused: %q", m.loading.text.Text)
	}
}
