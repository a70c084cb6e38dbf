package calendar

import (
	"context"
	"slices"
	"testing"
	"time"
)

// A one-shot refresh (status) evaluates each colleague as their answer
// arrives and lets the answer's items go: after it the roster holds no
// items, and every state reads exactly as evaluating the same answers in
// full does, current item included.
func TestOneShotLetsItemsGoAndAnswersTheSame(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"monday morning", time.Date(2026, 12, 7, 10, 0, 0, 0, paris)},
		{"friday evening", time.Date(2026, 12, 11, 18, 30, 0, 0, paris)},
		{"saturday", time.Date(2026, 12, 5, 11, 0, 0, 0, paris)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			demo := NewDemoOfSize(paris, 300)
			demo.Now = func() time.Time { return tc.at }
			r, err := NewRefresher(RefresherOptions{Source: demo, Location: paris, Clock: newFakeClock(tc.at)})
			if err != nil {
				t.Fatal(err)
			}
			snap, err := r.RefreshOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range r.roster.fetched {
				if d.avail.items.len() != 0 {
					t.Fatalf("%s: the roster still holds %d items after the one-shot refresh", r.roster.people[i].Email, d.avail.items.len())
				}
			}

			people := make([]Person, len(snap.People))
			for i, p := range snap.People {
				people[i] = *p.Person
			}
			answers, err := FetchAll(context.Background(), demo, people, FetchWindow(tc.at, paris))
			if err != nil {
				t.Fatal(err)
			}
			day := TimelineSpan(tc.at, paris)
			for i, got := range snap.People {
				a := answers[i]
				a.Slots = slices.Clone(a.Slots)
				for j := range a.Slots {
					if a.Slots[j].Private {
						a.Slots[j].Subject, a.Slots[j].Location = "", ""
					}
				}
				want := Evaluate(a, tc.at, day)
				want.SoonWithin, want.Revision = got.SoonWithin, got.Revision
				if !samePersonState(unpacked(*got), want) {
					t.Errorf("%s: one-shot state\n%+v\nwant\n%+v", got.Person.Email, *got, want)
				}
			}
		})
	}
}
