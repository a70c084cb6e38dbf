package calendar

import (
	"testing"
	"time"
)

// A night shift (22:00-06:00) or a day that ends at midnight is somebody's
// real working day, not "hours not shared": inside it the colleague is at work,
// outside it they are off until the next shift starts.
func TestOvernightWorkingHours(t *testing.T) {
	rome := mustLoad("Europe/Rome")
	monFri := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	nights := WorkingHours{Days: monFri, Start: clockAt(22, 0), End: clockAt(6, 0), Location: rome}
	toMidnight := WorkingHours{Days: monFri, Start: clockAt(15, 0), End: 0, Location: rome}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, rome) } // 23 Nov 2026 is a Monday
	tests := []struct {
		name       string
		wh         WorkingHours
		now        time.Time
		wantInside bool
		wantStarts time.Time // when outside
		wantEnd    time.Time // when inside
	}{
		{"night shift, Monday 23:00", nights, at(23, 23, 0), true, time.Time{}, at(24, 6, 0)},
		{"night shift, Tuesday 03:00: Monday's shift", nights, at(24, 3, 0), true, time.Time{}, at(24, 6, 0)},
		{"night shift, Tuesday noon: off until 22:00", nights, at(24, 12, 0), false, at(24, 22, 0), time.Time{}},
		{"night shift, Saturday 03:00: Friday's shift", nights, at(28, 3, 0), true, time.Time{}, at(28, 6, 0)},
		{"night shift, Saturday 07:00: Monday night", nights, at(28, 7, 0), false, at(30, 22, 0), time.Time{}},
		{"day ending at midnight, 23:30", toMidnight, at(24, 23, 30), true, time.Time{}, at(25, 0, 0)},
		{"day ending at midnight, 10:00", toMidnight, at(24, 10, 0), false, at(24, 15, 0), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wh.IsZero() {
				t.Fatal("working hours read as not shared")
			}
			starts, outside := tt.wh.Outside(tt.now)
			if outside == tt.wantInside || !starts.Equal(tt.wantStarts) {
				t.Errorf("Outside = %v, %v; want outside=%v starting %v", starts, outside, !tt.wantInside, tt.wantStarts)
			}
			span, inside := tt.wh.SpanAt(tt.now)
			if inside != tt.wantInside || (inside && !span.End.Equal(tt.wantEnd)) {
				t.Errorf("SpanAt = %v, %v; want inside=%v ending %v", span, inside, tt.wantInside, tt.wantEnd)
			}
		})
	}
}

// Free time ends with the working day: a colleague in New York, free with
// nothing until Monday, is free until the end of their Friday (23:30 in Rome),
// not "until Mon 15:00"; with hours nobody shared, and outside them, the
// calendar promises nothing beyond today.
func TestFreeEndsWithTheWorkingDay(t *testing.T) {
	rome := mustLoad("Europe/Rome")
	monFri := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	newYork := WorkingHours{Days: monFri, Start: clockAt(9, 0), End: clockAt(17, 30), Location: zoneNewYork}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, rome) } // 27 Nov 2026 is a Friday
	window := Window{Start: at(27, 0, 0), End: at(27, 0, 0).AddDate(0, 0, 7)}
	mondayMeeting := []Slot{{Start: at(30, 15, 0), End: at(30, 16, 0), Status: StatusBusy}}
	tests := []struct {
		name      string
		wh        WorkingHours
		slots     []Slot
		now       time.Time
		wantUntil time.Time
		wantWords string
	}{
		{"New York, free on Friday afternoon their time", newYork, mondayMeeting, at(27, 20, 0), at(27, 23, 30), "Free until 23:30"},
		{"New York, a meeting before their end still ends it", newYork, append([]Slot{{Start: at(27, 21, 0), End: at(27, 22, 0), Status: StatusBusy}}, mondayMeeting...), at(27, 20, 0), at(27, 21, 0), "Free until 21:00"},
		{"hours not shared, inside Outlook's 08:00-17:00", WorkingHours{}, mondayMeeting, at(27, 10, 0), at(27, 17, 0), "Free until 17:00"},
		{"hours not shared, evening: nothing promised past today", WorkingHours{}, mondayMeeting, at(27, 18, 0), time.Time{}, "Free"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Availability{Person: Person{Name: "Ana"}, Window: window, Slots: tt.slots, WorkingHours: tt.wh}
			ps := Evaluate(a, tt.now, DayOf(tt.now, rome))
			if ps.Status != StatusFree || !ps.Until.Equal(tt.wantUntil) {
				t.Errorf("Evaluate = %v until %v, want free until %v", ps.Status, ps.Until, tt.wantUntil)
			}
			if got := Describe(ps, tt.now); got != tt.wantWords {
				t.Errorf("Describe = %q, want %q", got, tt.wantWords)
			}
		})
	}
}

// Only what the data supports: automatic replies with nothing in the calendar
// say nothing about a return, so no "next free" claim; a leave item does.
func TestNextFreePhrase(t *testing.T) {
	now := at(10, 0)
	leave := &Slot{Start: at(0, 0), End: at(0, 0).AddDate(0, 0, 3), Status: StatusOOF}
	tests := []struct {
		name string
		ps   PersonState
		want string
	}{
		{"busy, free at 11", PersonState{Status: StatusBusy, NextFree: at(11, 0)}, "Next free: 11:00"},
		{"free now: nothing to add", PersonState{Status: StatusFree}, ""},
		{"unknown: nothing to claim", PersonState{Status: StatusUnknown}, ""},
		{"automatic replies only: return not known", PersonState{Status: StatusOOF, OutOfOffice: OutOfOffice{Active: true}}, "Return not known"},
		{"automatic replies over a meeting: return not known", PersonState{Status: StatusOOF, OutOfOffice: OutOfOffice{Active: true}, Current: &Slot{Status: StatusBusy}}, "Return not known"},
		{"leave in the calendar, none free in the window", PersonState{Status: StatusOOF, OutOfOffice: OutOfOffice{Active: true}, Current: leave}, "Next free: not in the next few days"},
		{"busy all week", PersonState{Status: StatusBusy}, "Next free: not in the next few days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EnglishPhrase(NextFreePhrase(tt.ps, now)); got != tt.want {
				t.Errorf("NextFreePhrase = %q, want %q", got, tt.want)
			}
		})
	}
}

// A start a week away is named with its date: someone who works only on
// Mondays, looked at on a Monday evening, is off until next Monday, not
// "until 09:00" or a bare "Mon 09:00" that reads as today.
func TestOffUntilNextWeekNamesTheDate(t *testing.T) {
	mondays := WorkingHours{Days: []time.Weekday{time.Monday}, Start: clockAt(9, 0), End: clockAt(17, 0), Location: berlin}
	ps := PersonState{Status: StatusFree, WorkingHours: mondays, WorkingHoursShared: true}
	now := at(19, 0) // Monday 23 Nov 2026
	if got, want := Describe(ps, now), "Off until Mon 30 Nov 09:00"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got, want := EnglishPhrase(DetailPhrase(ps, now)), "Outside working hours · starts Mon 30 Nov 09:00"; got != want {
		t.Errorf("DetailPhrase = %q, want %q", got, want)
	}
}
