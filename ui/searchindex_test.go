package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// heldBuilds counts the search index builds the console starts and holds
// them, as if they were still running off the Fyne goroutine, until run.
type heldBuilds struct {
	started int
	held    []func()
}

func holdBuilds(t *testing.T) *heldBuilds {
	h := &heldBuilds{}
	old := buildIndex
	buildIndex = func(build func() *searchIndex, done func(*searchIndex)) {
		h.started++
		h.held = append(h.held, func() { done(build()) })
	}
	t.Cleanup(func() { buildIndex = old })
	return h
}

// run finishes the builds held, in the order started, and hands their
// indexes to the console (the Fyne goroutine's fyne.Do).
func (h *heldBuilds) run() {
	held := h.held
	h.held = nil
	for _, f := range held {
		f()
	}
}

// republished is s as the next refresh publishes it: a new slice of the same
// people, one minute later, with change applied to it.
func republished(s calendar.Snapshot, change func(people []calendar.PersonState) []calendar.PersonState) calendar.Snapshot {
	s.People = ptrs(change(values(s.People))...)
	s.GeneratedAt = s.GeneratedAt.Add(time.Minute)
	return s
}

func TestSearchIndexRebuiltOnlyWhenTheDirectoryChanges(t *testing.T) {
	newcomer := calendar.PersonState{Person: &calendar.Person{Name: "Zebulon Newcomer", Email: "zebulon.newcomer@demo.example", Department: "Sales"}, Status: calendar.StatusFree}
	tests := []struct {
		name   string
		change func(c *Console, s calendar.Snapshot) // publishes or edits something
		builds int
	}{
		{"same people, new answers", func(c *Console, s calendar.Snapshot) {
			c.Apply(republished(s, func(people []calendar.PersonState) []calendar.PersonState {
				for i := range people {
					people[i].Status = calendar.StatusBusy
				}
				return people
			}))
		}, 0},
		{"a person added", func(c *Console, s calendar.Snapshot) {
			c.Apply(republished(s, func(people []calendar.PersonState) []calendar.PersonState { return append(people, newcomer) }))
		}, 1},
		{"a department renamed", func(c *Console, s calendar.Snapshot) {
			c.Apply(republished(s, func(people []calendar.PersonState) []calendar.PersonState {
				people[3].Person.Department = "Facilities"
				return people
			}))
		}, 1},
		{"two people swapped", func(c *Console, s calendar.Snapshot) {
			c.Apply(republished(s, func(people []calendar.PersonState) []calendar.PersonState {
				people[0], people[1] = people[1], people[0]
				return people
			}))
		}, 1},
		{"a note written", func(c *Console, s calendar.Snapshot) {
			c.setNote("chloe.gupta@demo.example", DeskNote{Text: "parking B2"})
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestConsole(t, false)
			builds := holdBuilds(t)
			s := demoSnapshot(t)
			c.Apply(s)
			builds.run()
			if builds.started != 1 {
				t.Fatalf("the first snapshot started %d index builds, want 1", builds.started)
			}
			tt.change(c, s)
			builds.run()
			if got := builds.started - 1; got != tt.builds {
				t.Fatalf("index builds after the change = %d, want %d", got, tt.builds)
			}
			c.Apply(republished(c.snap, func(people []calendar.PersonState) []calendar.PersonState { return people }))
			if got := builds.started - 1; got != tt.builds {
				t.Fatalf("the next refresh of the same directory built the index again (%d builds, want %d)", got, tt.builds)
			}
		})
	}
}

// While a new directory's index is built, the window keeps the last snapshot
// and its index and typing still narrows it; the new people are found the
// moment the index is swapped in, with what was typed meanwhile.
func TestTypingWhileTheIndexIsRebuilt(t *testing.T) {
	c, _ := newTestConsole(t, false)
	builds := holdBuilds(t)
	s := demoSnapshot(t)
	c.Apply(s)
	builds.run()
	total := len(c.visible)

	next := republished(s, func(people []calendar.PersonState) []calendar.PersonState {
		return append(people, calendar.PersonState{Person: &calendar.Person{Name: "Zebulon Newcomer", Email: "zebulon.newcomer@demo.example", Department: "Sales"}, Status: calendar.StatusFree})
	})
	c.Apply(next)
	if len(builds.held) != 1 {
		t.Fatalf("a new directory started %d index builds, want 1", len(builds.held))
	}
	if !c.snap.GeneratedAt.Equal(s.GeneratedAt) || len(c.visible) != total {
		t.Fatal("the new snapshot showed before its index was ready")
	}
	test.Type(c.search, "chloe")
	if len(c.visible) != 3 {
		t.Fatalf("typing while the index is built finds %d, want 3 (Chloé)", len(c.visible))
	}
	c.search.SetText("")
	test.Type(c.search, "zebulon")
	if len(c.visible) != 0 {
		t.Fatalf("the old index finds %d for a colleague not in it yet", len(c.visible))
	}

	builds.run()
	if !c.snap.GeneratedAt.Equal(next.GeneratedAt) {
		t.Fatal("the new snapshot did not show once its index was built")
	}
	if len(c.visible) != 1 {
		t.Fatalf("after the swap %q finds %d, want Zebulon Newcomer", c.search.Text, len(c.visible))
	}
	if got := c.snap.People[c.visible[0]].Person.Name; got != "Zebulon Newcomer" {
		t.Fatalf("after the swap %q finds %s, want Zebulon Newcomer", c.search.Text, got)
	}
}

// A build overtaken by a newer snapshot is thrown away: its rows would be
// another directory's.
func TestAnOvertakenIndexBuildIsDropped(t *testing.T) {
	c, _ := newTestConsole(t, false)
	builds := holdBuilds(t)
	s := demoSnapshot(t)
	c.Apply(s)
	builds.run()

	grown := republished(s, func(people []calendar.PersonState) []calendar.PersonState {
		return append(people, calendar.PersonState{Person: &calendar.Person{Name: "Zebulon Newcomer", Email: "zebulon.newcomer@demo.example"}})
	})
	c.Apply(grown)
	back := republished(s, func(people []calendar.PersonState) []calendar.PersonState { return people })
	back.GeneratedAt = grown.GeneratedAt.Add(time.Minute)
	c.Apply(back) // the directory as indexed: shows at once
	if !c.snap.GeneratedAt.Equal(back.GeneratedAt) {
		t.Fatal("a snapshot of the indexed directory waited behind a build")
	}
	builds.run()
	if !c.snap.GeneratedAt.Equal(back.GeneratedAt) || len(c.snap.People) != len(s.People) || len(c.index.hay) != len(s.People) {
		t.Fatalf("an overtaken build replaced the newer snapshot (%d people, index of %d)", len(c.snap.People), len(c.index.hay))
	}
}
