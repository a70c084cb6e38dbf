package calendar

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// watchPerson is a colleague at the given status with a presence.
func watchPerson(key string, st Status, presence string) PersonState {
	return PersonState{Person: &Person{Name: "Ben Holm", Email: key}, Status: st, Presence: presence, FetchedAt: at(10, 0)}
}

func watchSnap(people ...PersonState) Snapshot {
	return Snapshot{At: at(10, 0), Engine: EngineState{Interval: time.Minute}, People: ptrs(people)}
}

// The watch state machine: set on a busy colleague, it fires once when they
// can take a call, never while their presence says busy, never on data that
// may be out of date, and ends with the operator's day.
func TestWatchFiresOnceWhenFree(t *testing.T) {
	const ben = "ben.holm@demo.example"
	busy := watchPerson(ben, StatusBusy, "")
	free := watchPerson(ben, StatusFree, "")
	tests := []struct {
		name  string
		steps []PersonState // snapshots after the watch was set on busy, at 10:01, 10:02…
		fires []int         // the steps that fire
	}{
		{"busy then free fires once", []PersonState{busy, free, free, busy, free}, []int{1}},
		{"stays busy: never", []PersonState{busy, busy}, nil},
		{"free while presence says In a call: not yet", []PersonState{watchPerson(ben, StatusFree, "Busy (InACall)"), watchPerson(ben, StatusFree, "Available (Available)")}, []int{1}},
		{"Do not disturb blocks", []PersonState{watchPerson(ben, StatusFree, "DoNotDisturb (Presenting)"), watchPerson(ben, StatusFree, "Busy (InAMeeting)")}, nil},
		{"Away does not block", []PersonState{watchPerson(ben, StatusFree, "Away (Away)")}, []int{0}},
		{"tentative is not free", []PersonState{watchPerson(ben, StatusTentative, "")}, nil},
		{"unknown is not free", []PersonState{watchPerson(ben, StatusUnknown, "")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w Watches
			if !w.Add(busy, at(10, 0), false) {
				t.Fatal("a watch on a busy colleague was not set")
			}
			var fired []int
			for i, p := range tt.steps {
				now := at(10, 1+i)
				p.FetchedAt = now
				got, _ := w.Check(watchSnap(p), now)
				for _, f := range got {
					if f.Person.Email != ben {
						t.Fatalf("fired for %q", f.Person.Email)
					}
					fired = append(fired, i)
				}
			}
			if !slices.Equal(fired, tt.fires) {
				t.Errorf("fired at steps %v, want %v", fired, tt.fires)
			}
			if wantLeft := len(tt.fires) == 0; w.Watching(ben) != wantLeft {
				t.Errorf("still watching: %v, want %v", w.Watching(ben), wantLeft)
			}
		})
	}
}

// A colleague who can take a call now is not watched: the operator is told
// at once instead of getting a notification a minute later. One free on
// calendar but in a call is watched. Data out of date never fires.
func TestWatchAddAndStale(t *testing.T) {
	const ben = "Ben.Holm@demo.example"
	var w Watches
	if w.Add(watchPerson(ben, StatusFree, ""), at(10, 0), false) {
		t.Error("a watch was set on a colleague free now")
	}
	if w.Add(watchPerson(ben, StatusFree, "Busy (InACall)"), at(10, 0), false) != true || !w.Watching("ben.holm@demo.example") {
		t.Error("a colleague free on calendar but in a call was not watched")
	}
	w.Remove(ben)
	if !w.Add(watchPerson(ben, StatusFree, ""), at(10, 0), true) {
		t.Error("free on stale data: the watch should wait for fresh data")
	}
	old := watchPerson(ben, StatusFree, "")
	old.FetchedAt = at(9, 0) // two intervals and more ago
	if fired, _ := w.Check(watchSnap(old), at(10, 1)); len(fired) != 0 {
		t.Errorf("fired on data from 09:00: %v", fired)
	}
	fresh := watchPerson(ben, StatusFree, "")
	fresh.FetchedAt = at(10, 2)
	if fired, changed := w.Check(watchSnap(fresh), at(10, 2)); len(fired) != 1 || !changed {
		t.Errorf("fresh free data fired %d, changed %v; want 1, true", len(fired), changed)
	}
	if w.Len() != 0 {
		t.Errorf("%d watches left after firing", w.Len())
	}
	if !w.Add(watchPerson(ben, StatusBusy, ""), at(10, 3), false) || w.Remove("BEN.HOLM@demo.example ") != true || w.Len() != 0 {
		t.Error("Remove did not end a watch given in another case")
	}
}

// Watches end with the operator's day, in their zone: one set at 23:50 is
// gone at 00:01, and nothing fires for it.
func TestWatchEndsAtEndOfDay(t *testing.T) {
	const ben = "ben.holm@demo.example"
	var w Watches
	late := time.Date(2026, 11, 23, 23, 50, 0, 0, berlin)
	if !w.Add(watchPerson(ben, StatusBusy, ""), late, false) {
		t.Fatal("not set")
	}
	p := watchPerson(ben, StatusBusy, "")
	p.FetchedAt = late.Add(5 * time.Minute)
	if _, changed := w.Check(watchSnap(p), late.Add(5*time.Minute)); changed || !w.Watching(ben) {
		t.Fatal("the watch ended before midnight")
	}
	next := time.Date(2026, 11, 24, 0, 1, 0, 0, berlin)
	free := watchPerson(ben, StatusFree, "")
	free.FetchedAt = next
	fired, changed := w.Check(watchSnap(free), next)
	if len(fired) != 0 || !changed || w.Watching(ben) {
		t.Errorf("after midnight: fired %d, changed %v, watching %v; want 0, true, false", len(fired), changed, w.Watching(ben))
	}
	// 23:30 UTC is already the next day in Berlin.
	var u Watches
	u.Add(watchPerson(ben, StatusBusy, ""), time.Date(2026, 11, 23, 22, 0, 0, 0, berlin), false)
	if _, changed := u.Check(Snapshot{}, time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC).In(berlin)); !changed {
		t.Error("the day is the operator's, not UTC's")
	}
}

// Watches survive a restart the same day (keys and the date, nothing else)
// and are dropped when Frontdesk starts on another day.
func TestWatchPersists(t *testing.T) {
	var w Watches
	for _, k := range []string{"ben.holm@demo.example", "Rosa.Berger@demo.example"} {
		w.Add(watchPerson(k, StatusBusy, ""), at(10, 0), false)
	}
	saved := w.Save()
	if want := `{"day":"2026-11-23","keys":["ben.holm@demo.example","rosa.berger@demo.example"]}`; saved != want {
		t.Fatalf("saved %s, want %s", saved, want)
	}
	tests := []struct {
		name  string
		saved string
		now   time.Time
		want  []string
	}{
		{"same day", saved, at(16, 0), []string{"ben.holm@demo.example", "rosa.berger@demo.example"}},
		{"next day", saved, at(10, 0).AddDate(0, 0, 1), nil},
		{"nothing saved", "", at(10, 0), nil},
		{"not JSON", "ben.holm", at(10, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RestoreWatches(tt.saved, tt.now).Keys()
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("restored %v, want %v", got, tt.want)
			}
		})
	}
	if (&Watches{}).Save() != "" {
		t.Error("no watches save as something")
	}
}

// Watched colleagues are asked about first in every refresh, after the
// selected one, and ride along in on-demand requests: the engine sends
// exactly as many requests as without them.
func TestWatchedFirstNoExtraRequest(t *testing.T) {
	run := func(t *testing.T, watched []string) (first, onDemand []string, requests int) {
		src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 5, MaxConcurrent: 1},
			people: newPeople(50), latency: distinctLatency, keepEvents: true}
		e := startEngine(t, src, RefresherOptions{Favourites: []string{"p0030@example.com"}})
		e.SetSelected("p0045@example.com")
		e.SetWatched(watched)
		e.clock.runFor(30 * time.Second)
		asked := e.clock.Now()
		if err := e.RefreshNow("p0002@example.com"); err != nil {
			t.Fatal(err)
		}
		e.clock.runFor(5 * time.Second)
		reqs := src.requestsAfter(simStart)
		od := src.requestsAfter(asked)
		if len(od) != 1 {
			t.Fatalf("%d requests for one on-demand refresh", len(od))
		}
		e.clock.runFor(3 * DefaultInterval)
		return reqs[1].people, od[0].people, src.count()
	}
	synctest.Test(t, func(t *testing.T) {
		_, _, without := run(t, nil)
		first, onDemand, with := run(t, []string{"P0020@example.com", "p0007@example.com"})
		if want := "p0045@example.com p0020@example.com p0007@example.com p0030@example.com p0000@example.com"; strings.Join(first, " ") != want {
			t.Errorf("first batch %v, want %s", first, want)
		}
		if want := "p0002@example.com p0020@example.com p0007@example.com"; strings.Join(onDemand, " ") != want {
			t.Errorf("on-demand batch %v, want %s", onDemand, want)
		}
		if with != without {
			t.Errorf("%d requests with two watches, %d without", with, without)
		}
	})
}
