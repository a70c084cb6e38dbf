package calendar

import (
	"testing"
	"testing/synctest"
	"time"
)

// A click or Enter on a colleague whose data is younger than
// SelectionFreshness sends nothing; older data, or F5 (RefreshNow), asks.
// Before, every click on a row sent a request (two on Exchange).
func TestSelectionRefreshesOnlyStaleData(t *testing.T) {
	tests := []struct {
		name  string
		after time.Duration // since the colleague's data arrived
		force bool
		want  bool
	}{
		{"click at +10 s sends nothing", 10 * time.Second, false, false},
		{"click at +20 s asks", 20 * time.Second, false, true},
		{"F5 at +10 s asks", 10 * time.Second, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4},
					people: newPeople(100), latency: distinctLatency, keepEvents: true}
				e := startEngine(t, src, RefresherOptions{Interval: time.Minute})
				e.clock.runFor(5 * time.Second) // the first cycle, everyone answered
				const key = "p0040@example.com"
				fetched := e.latest(t).People[40].FetchedAt
				if fetched.IsZero() {
					t.Fatal("p0040 not fetched in the first cycle")
				}
				e.clock.runUntil(fetched.Add(tt.after))
				asked := e.clock.Now()
				refresh := e.RefreshIfStale
				if tt.force {
					refresh = e.RefreshNow
				}
				for range 5 { // a double click, a held Enter
					if err := refresh(key); err != nil {
						t.Fatal(err)
					}
				}
				e.clock.runFor(5 * time.Second) // well before the next cycle
				got := src.requestsAfter(asked)
				if sent := len(got) > 0; sent != tt.want {
					t.Fatalf("%d requests after the selection at +%s, want any: %v", len(got), tt.after, tt.want)
				}
				if tt.want && len(got) != 1 {
					t.Errorf("%d requests for one colleague, want 1", len(got))
				}
			})
		})
	}
}
