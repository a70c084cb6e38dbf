package app

import (
	"context"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The demo's presence reads the app's clock, so a console started with --at
// shows what Teams would say at that moment, not at the machine's.
func TestDemoPresenceFollowsTheAppClock(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	presenceAt := func(at time.Time) map[string]string {
		env, _, _ := processEnv(testPaths(t), at, nil)
		src, err := env.buildSource(context.Background(), Config{Provider: ProviderDemo, TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		people, err := src.Directory(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		av, err := calendar.FetchAll(context.Background(), src, people, windowFrom(at, loc))
		if err != nil {
			t.Fatal(err)
		}
		out := make(map[string]string, len(av))
		for _, a := range av {
			out[a.Person.Name] = a.Presence
		}
		return out
	}
	night := presenceAt(time.Date(2026, 11, 25, 3, 0, 0, 0, loc))
	day := presenceAt(time.Date(2026, 11, 25, 11, 0, 0, 0, loc))
	available := 0
	for name, p := range day {
		if p == "Available" {
			available++
			if night[name] != "Offline" {
				t.Errorf("%s: %q at 11:00 but %q at 03:00, want Offline", name, p, night[name])
			}
		}
	}
	if available == 0 {
		t.Errorf("nobody is Available on a Wednesday at 11:00: %v", day)
	}
}
