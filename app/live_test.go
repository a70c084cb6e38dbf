package app

import (
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A refresh's peak goes back to the system after the first refresh that is
// complete (not while the directory or the first cycle is still being
// read), then after a refresh that succeeded releaseEvery or more after the
// last released one; never while one is under way, and never twice for one
// refresh.
func TestRefreshPeakIsReleasedAfterRefreshesAtMostEveryFewMinutes(t *testing.T) {
	p := &peakRelease{release: func() {}}
	someone := []*calendar.PersonState{{Person: &calendar.Person{Name: "Ada", Email: "ada@example.com"}}}
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	done := func(after time.Duration) calendar.Snapshot {
		return calendar.Snapshot{People: someone, Engine: calendar.EngineState{LastSuccess: start.Add(after)}}
	}
	steps := []struct {
		name string
		snap calendar.Snapshot
		want bool
	}{
		{"nobody yet", calendar.Snapshot{Engine: calendar.EngineState{Refreshing: true}}, false},
		{"directory in, first cycle under way", calendar.Snapshot{People: someone, Engine: calendar.EngineState{Refreshing: true}}, false},
		{"paused before anyone", calendar.Snapshot{}, false},
		{"first complete refresh", done(0), true},
		{"the same refresh again (an Enter's snapshot)", done(0), false},
		{"a refresh a minute later", done(time.Minute), false},
		{"a refresh under way five minutes later", calendar.Snapshot{People: someone, Engine: calendar.EngineState{Refreshing: true, LastSuccess: start.Add(time.Minute)}}, false},
		{"a refresh five minutes after the released one", done(releaseEvery), true},
		{"its next snapshot", done(releaseEvery), false},
		{"a failed refresh keeps the last success", done(releaseEvery), false},
		{"ten minutes after", done(2 * releaseEvery), true},
	}
	for _, step := range steps {
		if got := p.seen(step.snap); got != step.want {
			t.Errorf("%s: released %v, want %v", step.name, got, step.want)
		}
	}
}
