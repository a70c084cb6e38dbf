package calendar

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func demoPerson(t *testing.T, d *Demo, idx int) Person {
	t.Helper()
	people, err := d.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return people[idx]
}

// evaluateDemo is one colleague of the demo at `at`, as a refresh would show them.
func evaluateDemo(t *testing.T, d *Demo, idx int, at time.Time) PersonState {
	t.Helper()
	day := DayOf(at, at.Location())
	w := Window{Start: day.Start, End: day.Start.AddDate(0, 0, 5)}
	avail, err := d.Availability(context.Background(), []Person{demoPerson(t, d, idx)}, w)
	if err != nil {
		t.Fatal(err)
	}
	return Evaluate(avail[0], at, TimelineSpan(at, at.Location()))
}

// The automatic reply of the colleague on leave names the Monday they are back,
// whatever the date: it said "until Monday 30 November" on any date.
func TestDemoLeaveReplyIsDatedForAnyDay(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	d := NewDemo(paris)
	tests := []struct {
		at   time.Time
		back string
	}{
		{time.Date(2026, 11, 23, 10, 0, 0, 0, paris), "Monday 30 November"},
		{time.Date(2026, 11, 27, 16, 0, 0, 0, paris), "Monday 30 November"},
		{time.Date(2026, 12, 1, 9, 0, 0, 0, paris), "Monday 7 December"},
		{time.Date(2027, 3, 5, 12, 0, 0, 0, paris), "Monday 8 March"},
	}
	for _, tt := range tests {
		t.Run(tt.at.Format(time.DateOnly), func(t *testing.T) {
			idx := demoOnLeave
			if !onLeave(idx, tt.at) {
				idx = demoOnLeaveEven
			}
			ps := evaluateDemo(t, d, idx, tt.at)
			if !ps.OutOfOffice.Active || !strings.Contains(ps.OutOfOffice.Message, "until "+tt.back+".") {
				t.Errorf("reply %q, want it to say until %s", ps.OutOfOffice.Message, tt.back)
			}
			if ps.Status != StatusOOF {
				t.Errorf("status %v, want oof", ps.Status)
			}
			// The leave item runs to the Monday of return, as the reply says.
			if want := nextMonday(tt.at); !ps.Until.Equal(want) {
				t.Errorf("out of office until %v, want %v", ps.Until, want)
			}
		})
	}
}

func nextMonday(t time.Time) time.Time {
	d := DayOf(t, t.Location()).Start
	return d.AddDate(0, 0, 7-int((d.Weekday()+6)%7))
}

// The colleague working from home reads "working elsewhere" until the day ends,
// with the next free time on their next day in the office; it read "until 13:00"
// and "not in the next few days".
func TestDemoRemoteColleagueHasASensibleDay(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	d := NewDemo(paris)
	monday := time.Date(2026, 11, 23, 11, 0, 0, 0, paris)
	ps := evaluateDemo(t, d, demoRemote, monday)
	if ps.Status != StatusElsewhere {
		t.Fatalf("Monday 11:00: status %v, want elsewhere", ps.Status)
	}
	if want := time.Date(2026, 11, 24, 0, 0, 0, 0, paris); !ps.Until.Equal(want) {
		t.Errorf("working elsewhere until %v, want the end of the day", ps.Until)
	}
	if ps.NextFree.IsZero() || ps.NextFree.Weekday() != time.Tuesday {
		t.Errorf("next free %v, want Tuesday, the next day in the office", ps.NextFree)
	}
	if ps.Presence == "" {
		t.Error("the demo shows no presence")
	}
}

// Presence follows the calendar as Teams does, in Graph's words.
func TestDemoPresence(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, paris) }
	tests := []struct {
		name  string
		slots []Slot
		now   time.Time
		want  string
	}{
		{"a Teams call", []Slot{{Start: at(9, 0), End: at(10, 0), Status: StatusBusy, Location: "Teams"}}, at(9, 30), "Busy (InACall)"},
		{"a meeting room", []Slot{{Start: at(9, 0), End: at(10, 0), Status: StatusBusy, Location: "Room Aurora"}}, at(9, 30), "Busy (InAMeeting)"},
		{"on leave", []Slot{{Start: at(0, 0), End: at(0, 0).AddDate(0, 0, 5), Status: StatusOOF}}, at(9, 30), "Offline (OffWork)"},
		{"free in the day", nil, at(9, 30), "Available"},
		{"at night", nil, at(22, 0), "Offline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := demoPresence(1, tt.slots, tt.now); got != tt.want {
				t.Errorf("demoPresence = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDemoOfSizeKeepsKeysUnique(t *testing.T) {
	people, _ := NewDemoOfSize(time.UTC, 5000).Directory(context.Background())
	if len(people) != 5000 {
		t.Fatalf("%d people", len(people))
	}
	seen := map[string]bool{}
	for _, p := range people {
		if seen[p.Key()] {
			t.Fatalf("two colleagues share the key %q", p.Key())
		}
		seen[p.Key()] = true
	}
}

// The demo shows Teams notes and work locations whenever it is opened: one
// note about to expire (shown, with its expiry within the hour), one expired
// (never shown), and every work location.
func TestDemoStatusMessagesAndWorkLocations(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, now := range []time.Time{
		time.Date(2026, 11, 23, 10, 0, 0, 0, paris),
		time.Date(2026, 11, 23, 14, 45, 0, 0, paris),
		time.Date(2026, 11, 30, 9, 10, 0, 0, paris), // the other leave week
	} {
		t.Run(now.Format("Jan 2 15:04"), func(t *testing.T) {
			demo := NewDemo(paris)
			demo.Now = func() time.Time { return now }
			people, _ := demo.Directory(context.Background())
			day := DayOf(now, paris)
			avail, err := FetchAll(context.Background(), demo, people, day)
			if err != nil {
				t.Fatal(err)
			}
			snap := BuildSnapshot(demo.Name(), avail, now, paris, now)
			notes, soon, locations := 0, 0, map[WorkLocation]int{}
			for i, ps := range snap.People {
				locations[ps.WorkLocation]++
				if ps.StatusMessage.Text != "" {
					notes++
					if exp := ps.StatusMessage.Expires; !exp.IsZero() && exp.Sub(now) <= 90*time.Minute {
						soon++
					}
				}
				if strings.HasPrefix(avail[i].StatusMessage.Text, "Running late") && ps.StatusMessage.Text != "" {
					t.Errorf("the expired note of %s is shown", ps.Person.Name)
				}
			}
			if notes < 3 || soon != 1 {
				t.Errorf("%d notes shown, %d about to expire; want at least 3 and 1", notes, soon)
			}
			for _, want := range []WorkLocation{WorkLocationOffice, WorkLocationRemote, WorkLocationTimeOff} {
				if locations[want] == 0 {
					t.Errorf("nobody is %q: %v", want, locations)
				}
			}
		})
	}
}

// Past the default company, one colleague has an emoji in their name and in
// their Teams note (what the window draws for them is in
// docs/screenshots/teams-note-emoji.png); the default company has none, so
// its golden files and the e2e tests do not move.
func TestDemoEmojiColleagueOnlyPastTheDefaultCompany(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 20, 0, 0, time.UTC)
	isEmoji := func(r rune) bool { return r >= 0x1F000 }
	for _, tt := range []struct {
		people    int
		wantEmoji bool
	}{
		{DefaultDemoPeople, false},
		{DefaultDemoPeople + 1, true},
		{1000, true},
	} {
		t.Run(fmt.Sprint(tt.people), func(t *testing.T) {
			demo := NewDemoOfSize(time.UTC, tt.people)
			demo.Now = func() time.Time { return now }
			people, _ := demo.Directory(context.Background())
			avail, err := FetchAll(context.Background(), demo, people, DayOf(now, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			var names, notes []string
			for i, a := range avail {
				if strings.ContainsFunc(people[i].Name, isEmoji) {
					names = append(names, people[i].Name)
				}
				if strings.ContainsFunc(a.StatusMessage.Text, isEmoji) {
					notes = append(notes, a.StatusMessage.Text)
				}
			}
			want := 0
			if tt.wantEmoji {
				want = 1
			}
			if len(names) != want || len(notes) != want {
				t.Errorf("emoji in names %q and notes %q; want %d of each", names, notes, want)
			}
		})
	}
}
