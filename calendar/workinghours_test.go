package calendar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"
)

var (
	zoneParis      = mustLoad("Europe/Paris")
	zoneNewYork    = mustLoad("America/New_York")
	zoneLosAngeles = mustLoad("America/Los_Angeles")
	zoneLondon     = mustLoad("Europe/London")
)

func clockAt(h, m int) time.Duration {
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
}

// The snapshot the console reads carries each colleague's own working hours,
// and says when none were shared instead of passing Outlook's assumption off
// as theirs.
func TestEvaluateCarriesWorkingHours(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, zoneParis)
	day := DayOf(now, zoneParis)
	week := Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)}
	ny := WorkingHours{Days: mondayToFriday, Start: clockAt(9, 0), End: clockAt(17, 30), Location: zoneNewYork}
	p := Person{Name: "Elena", Email: "elena@example.com"}
	tests := []struct {
		name       string
		a          Availability
		want       WorkingHours
		wantShared bool
	}{
		{"shared hours in another zone", Availability{Person: p, Window: week, WorkingHours: ny}, ny, true},
		{"none shared: Outlook's day in the operator's zone", Availability{Person: p, Window: week}, DefaultWorkingHours(zoneParis), false},
		{"hours with no days are none", Availability{Person: p, Window: week, WorkingHours: WorkingHours{Start: clockAt(9, 0), End: clockAt(17, 0), Location: zoneNewYork}}, DefaultWorkingHours(zoneParis), false},
		{"calendar unreadable", Availability{Person: p, Window: week, Err: errors.New("not shared")}, DefaultWorkingHours(zoneParis), false},
		{"unreadable calendar that still shares hours", Availability{Person: p, Window: week, WorkingHours: ny, Err: errors.New("busy")}, ny, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Evaluate(tt.a, now, day)
			if ps.WorkingHoursShared != tt.wantShared {
				t.Errorf("shared = %v, want %v", ps.WorkingHoursShared, tt.wantShared)
			}
			got := ps.WorkingHours
			if !slices.Equal(got.Days, tt.want.Days) || got.Start != tt.want.Start || got.End != tt.want.End || got.Location != tt.want.Location {
				t.Errorf("working hours %v %v-%v in %v, want %v %v-%v in %v",
					got.Days, got.Start, got.End, got.Location, tt.want.Days, tt.want.Start, tt.want.End, tt.want.Location)
			}
		})
	}
}

// Within is what the timeline shades: the colleague's working time inside the
// operator's day, in the operator's clock.
func TestWorkingHoursWithin(t *testing.T) {
	monFri := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	everyDay := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	wh := func(days []time.Weekday, start, end time.Duration, loc *time.Location) WorkingHours {
		return WorkingHours{Days: days, Start: start, End: end, Location: loc}
	}
	on := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, zoneParis) }
	tests := []struct {
		name string
		wh   WorkingHours
		day  Window // in Paris
		want []Window
	}{
		{
			name: "New York seen from Paris works the evening",
			wh:   wh(monFri, clockAt(9, 0), clockAt(17, 30), zoneNewYork),
			day:  DayOf(on(2026, 11, 24, 12, 0), zoneParis),
			want: []Window{{on(2026, 11, 24, 15, 0), on(2026, 11, 24, 23, 30)}},
		},
		{
			name: "between the US and EU clock changes New York is five hours behind",
			wh:   wh(monFri, clockAt(9, 0), clockAt(17, 30), zoneNewYork),
			day:  DayOf(on(2026, 3, 9, 12, 0), zoneParis),
			want: []Window{{on(2026, 3, 9, 14, 0), on(2026, 3, 9, 22, 30)}},
		},
		{
			name: "Los Angeles crosses midnight: the end of Monday's shift and the start of Tuesday's",
			wh:   wh(monFri, clockAt(8, 0), clockAt(16, 30), zoneLosAngeles),
			day:  DayOf(on(2026, 11, 24, 12, 0), zoneParis),
			want: []Window{{on(2026, 11, 24, 0, 0), on(2026, 11, 24, 1, 30)}, {on(2026, 11, 24, 17, 0), on(2026, 11, 25, 0, 0)}},
		},
		{
			name: "Los Angeles on a Monday: nothing carries over from their Sunday",
			wh:   wh(monFri, clockAt(8, 0), clockAt(16, 30), zoneLosAngeles),
			day:  DayOf(on(2026, 11, 23, 12, 0), zoneParis),
			want: []Window{{on(2026, 11, 23, 17, 0), on(2026, 11, 24, 0, 0)}},
		},
		{
			name: "Los Angeles on a Saturday: only Friday's shift running past midnight",
			wh:   wh(monFri, clockAt(8, 0), clockAt(16, 30), zoneLosAngeles),
			day:  DayOf(on(2026, 11, 28, 12, 0), zoneParis),
			want: []Window{{on(2026, 11, 28, 0, 0), on(2026, 11, 28, 1, 30)}},
		},
		{
			name: "a day that is not theirs has no working hours",
			wh:   wh([]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}, clockAt(8, 30), clockAt(13, 0), zoneParis),
			day:  DayOf(on(2026, 11, 27, 12, 0), zoneParis),
			want: nil,
		},
		{
			name: "the spring-forward day in London keeps 09:00 at 09:00 London time",
			wh:   wh(everyDay, clockAt(9, 0), clockAt(17, 0), zoneLondon),
			day:  DayOf(on(2026, 3, 29, 12, 0), zoneParis),
			want: []Window{{on(2026, 3, 29, 10, 0), on(2026, 3, 29, 18, 0)}},
		},
		{
			name: "a night shift over the spring-forward hour lasts seven hours",
			wh:   wh(everyDay, 0, clockAt(8, 0), zoneParis),
			day:  DayOf(on(2026, 3, 29, 12, 0), zoneParis),
			want: []Window{{on(2026, 3, 29, 0, 0), on(2026, 3, 29, 8, 0)}},
		},
		{
			name: "no zone given is the operator's",
			wh:   wh(monFri, clockAt(9, 0), clockAt(17, 0), nil),
			day:  DayOf(on(2026, 11, 24, 12, 0), zoneParis),
			want: []Window{{on(2026, 11, 24, 9, 0), on(2026, 11, 24, 17, 0)}},
		},
		{
			name: "none shared",
			wh:   WorkingHours{},
			day:  DayOf(on(2026, 11, 24, 12, 0), zoneParis),
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.wh.Within(tt.day)
			if !slices.EqualFunc(got, tt.want, func(a, b Window) bool { return a.Start.Equal(b.Start) && a.End.Equal(b.End) }) {
				t.Errorf("Within = %v, want %v", got, tt.want)
			}
			for _, s := range got {
				if s.Start.Before(tt.day.Start) || s.End.After(tt.day.End) || !s.Start.Before(s.End) {
					t.Errorf("span %v is not a period inside the day %v", s, tt.day)
				}
			}
		})
	}
	t.Run("the night shift's real length", func(t *testing.T) {
		got := wh(everyDay, 0, clockAt(8, 0), zoneParis).Within(DayOf(on(2026, 3, 29, 12, 0), zoneParis))
		if len(got) != 1 || got[0].End.Sub(got[0].Start) != 7*time.Hour {
			t.Errorf("Within = %v, want one span of 7h", got)
		}
	})
}

// Carrying working hours leaves `status --json` as it was: scripts and other
// binaries compare it byte for byte.
func TestWorkingHoursLeaveTheJSONContractAlone(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, zoneParis)
	day := DayOf(now, zoneParis)
	a := Availability{
		Person: Person{Name: "Elena", Email: "elena@example.com"},
		Window: Window{Start: day.Start, End: day.End},
		Slots:  []Slot{{Start: now, End: now.Add(time.Hour), Status: StatusBusy, Subject: "Call"}},
	}
	ps := Evaluate(a, now, day)
	without := Snapshot{Source: "test", At: now, GeneratedAt: now, People: []*PersonState{&ps}}
	ps.WorkingHours = WorkingHours{Days: mondayToFriday, Start: clockAt(9, 0), End: clockAt(17, 30), Location: zoneNewYork}
	ps.WorkingHoursShared = true
	with := Snapshot{Source: "test", At: now, GeneratedAt: now, People: []*PersonState{&ps}}
	b1, err1 := json.Marshal(without)
	b2, err2 := json.Marshal(with)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("working hours changed status --json:\n%s\n%s", b1, b2)
	}
}

// The demo's colleagues with hours of their own: their meetings fall inside
// those hours in their zone, Teams shows them offline outside them, and the
// part-timer has no Friday.
func TestDemoColleaguesKeepTheirOwnHours(t *testing.T) {
	d := NewDemo(zoneParis)
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, zoneParis)
	for idx, own := range demoOwnHours {
		t.Run(demoPerson(t, d, idx).Name, func(t *testing.T) {
			d.Now = func() time.Time { return monday }
			ps := evaluateDemo(t, d, idx, monday)
			if !ps.WorkingHoursShared || ps.WorkingHours.Start != own.start || ps.WorkingHours.End != own.end {
				t.Fatalf("working hours %+v (shared %v), want %v-%v", ps.WorkingHours, ps.WorkingHoursShared, own.start, own.end)
			}
			if own.zone != "" && ps.WorkingHours.Location.String() != own.zone {
				t.Errorf("zone %v, want %s", ps.WorkingHours.Location, own.zone)
			}
			week := Window{Start: DayOf(monday, zoneParis).Start, End: DayOf(monday, zoneParis).Start.AddDate(0, 0, 5)}
			avail, err := d.Availability(context.Background(), []Person{demoPerson(t, d, idx)}, week)
			if err != nil {
				t.Fatal(err)
			}
			if len(avail[0].Slots) == 0 {
				t.Fatal("no meetings all week")
			}
			for _, s := range avail[0].Slots {
				local := s.Start.In(ps.WorkingHours.Location)
				since := local.Sub(DayOf(local, local.Location()).Start)
				if since < own.start || since >= own.end || !slices.Contains(own.days, local.Weekday()) {
					t.Errorf("%q starts %s their time, outside their hours", s.Subject, local.Format("Mon 15:04"))
				}
			}
			if _, outside := ps.WorkingHours.Outside(monday); outside && ps.Presence != "Offline" {
				t.Errorf("presence %q outside their hours, want Offline", ps.Presence)
			}
		})
	}
	t.Run("unreadable calendar shares no hours", func(t *testing.T) {
		if ps := evaluateDemo(t, d, demoUnreadable, monday); ps.WorkingHoursShared {
			t.Errorf("hours shared for a calendar that is not: %+v", ps.WorkingHours)
		}
	})
}
