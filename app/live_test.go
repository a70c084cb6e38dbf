package app

import (
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The start-up peak goes back to the system once, after the first refresh
// that is complete: not while the directory or the first cycle is still
// being read, and never again after.
func TestStartupPeakIsReleasedOnceAfterTheFirstCompleteRefresh(t *testing.T) {
	p := &peakRelease{release: func() {}}
	someone := []*calendar.PersonState{{Person: &calendar.Person{Name: "Ada", Email: "ada@example.com"}}}
	steps := []struct {
		name string
		snap calendar.Snapshot
		want bool
	}{
		{"nobody yet", calendar.Snapshot{Engine: calendar.EngineState{Refreshing: true}}, false},
		{"directory in, first cycle under way", calendar.Snapshot{People: someone, Engine: calendar.EngineState{Refreshing: true}}, false},
		{"paused before anyone", calendar.Snapshot{}, false},
		{"first complete refresh", calendar.Snapshot{People: someone}, true},
		{"the next one", calendar.Snapshot{People: someone}, false},
	}
	for _, step := range steps {
		if got := p.seen(step.snap); got != step.want {
			t.Errorf("%s: released %v, want %v", step.name, got, step.want)
		}
	}
}
