package calendar

import (
	"testing"
	"time"
)

// The roster shares equal windows and working hours between answers, and
// only equal ones: two fixed zones of one name but different offsets stay
// apart, and every answer reads back as it came.
func TestRosterSharesOnlyEqualAnswerParts(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	win := FetchWindow(now, time.UTC)
	plusOne, plusTwo := time.FixedZone("", 3600), time.FixedZone("", 7200)
	hours := func(loc *time.Location) WorkingHours {
		return WorkingHours{Days: []time.Weekday{time.Monday}, Start: 9 * time.Hour, End: 17 * time.Hour, Location: loc}
	}
	people := []Person{{Email: "a@x"}, {Email: "b@x"}, {Email: "c@x"}, {Email: "d@x"}}
	answers := []Availability{
		{Window: win, WorkingHours: hours(plusOne)},
		{Window: win, WorkingHours: hours(plusOne), StatusMessage: StatusMessage{Text: "back at 11"}},
		{Window: win, WorkingHours: hours(plusTwo)},
		{Window: Window{Start: win.Start, End: win.End.Add(time.Hour)}},
	}
	var ro roster
	ro.replace(people, nil)
	for i, a := range answers {
		a.Person = people[i]
		if !ro.record(i, people[i], a, now) {
			t.Fatalf("answer %d not recorded", i)
		}
	}
	for i, want := range answers {
		got := ro.fetched[i].avail.availability(people[i], now)
		if got.Window != want.Window || !sameWorkingHours(got.WorkingHours, want.WorkingHours) ||
			got.WorkingHours.Location != want.WorkingHours.Location || got.StatusMessage != want.StatusMessage {
			t.Errorf("answer %d reads back as %+v, want %+v", i, got, want)
		}
	}
	if a, b := ro.fetched[0].avail, ro.fetched[1].avail; a.window != b.window || a.hours != b.hours {
		t.Error("two answers with the same window and hours hold them twice")
	}
	if ro.fetched[0].avail.hours == ro.fetched[2].avail.hours {
		t.Error("hours in +01:00 and +02:00 were shared because both zones are unnamed")
	}
	if ro.fetched[0].avail.note != nil || ro.fetched[3].avail.hours != nil {
		t.Error("an answer without a note or hours holds one")
	}
}
