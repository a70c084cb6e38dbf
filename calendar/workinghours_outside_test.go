package calendar

import (
	"testing"
	"time"
)

// Outside is what keeps the console from reading "free" to a caller for a
// colleague who is asleep: whether now is outside their hours, in their zone,
// and when those hours next begin on the operator's clock.
func TestWorkingHoursOutside(t *testing.T) {
	rome := mustLoad("Europe/Rome")
	monFri := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	newYork := WorkingHours{Days: monFri, Start: clockAt(9, 0), End: clockAt(17, 30), Location: zoneNewYork}
	losAngeles := WorkingHours{Days: monFri, Start: clockAt(8, 0), End: clockAt(16, 30), Location: zoneLosAngeles}
	london := WorkingHours{Days: []time.Weekday{time.Sunday, time.Monday}, Start: clockAt(9, 0), End: clockAt(17, 0), Location: zoneLondon}
	partTime := WorkingHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}, Start: clockAt(8, 30), End: clockAt(13, 0)}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, rome) }
	tests := []struct {
		name       string
		wh         WorkingHours
		now        time.Time // in Rome
		wantStarts time.Time // zero: inside, or nothing to say
	}{
		{"New York before their start: 05:00 there, starts 15:00 here",
			newYork, at(2026, 11, 24, 11, 0), at(2026, 11, 24, 15, 0)},
		{"New York at their start", newYork, at(2026, 11, 24, 15, 0), time.Time{}},
		{"New York at work", newYork, at(2026, 11, 24, 20, 0), time.Time{}},
		{"New York a minute before their end", newYork, at(2026, 11, 24, 23, 29), time.Time{}},
		{"New York at their end: tomorrow 15:00 here",
			newYork, at(2026, 11, 24, 23, 30), at(2026, 11, 25, 15, 0)},
		{"New York on Friday evening: Monday",
			newYork, at(2026, 11, 27, 23, 45), at(2026, 11, 30, 15, 0)},
		{"New York on a Saturday, a day they do not work: Monday",
			newYork, at(2026, 11, 28, 16, 0), at(2026, 11, 30, 15, 0)},
		{"part-timer on their free Friday, the operator's zone: Monday 08:30",
			partTime, at(2026, 11, 27, 9, 0), at(2026, 11, 30, 8, 30)},
		{"part-timer in the afternoon: tomorrow morning",
			partTime, at(2026, 11, 24, 14, 0), at(2026, 11, 25, 8, 30)},
		{"Los Angeles after the operator's midnight: still Monday's shift",
			losAngeles, at(2026, 11, 24, 0, 30), time.Time{}},
		{"Los Angeles once that shift is over: 17:00 here the same day",
			losAngeles, at(2026, 11, 24, 1, 30), at(2026, 11, 24, 17, 0)},
		{"Los Angeles on Saturday after midnight here: Friday's shift runs on",
			losAngeles, at(2026, 11, 28, 1, 0), time.Time{}},
		{"Los Angeles on Saturday morning here: Monday 17:00",
			losAngeles, at(2026, 11, 28, 9, 0), at(2026, 11, 30, 17, 0)},
		{"Europe has turned its clocks back, New York not yet: five hours behind",
			newYork, at(2026, 10, 27, 14, 30), time.Time{}},
		{"the next start falls after New York turns its clocks back",
			newYork, at(2026, 10, 31, 12, 0), at(2026, 11, 2, 15, 0)},
		{"the night London springs forward: 09:00 London is 10:00 here",
			london, at(2026, 3, 29, 1, 30), at(2026, 3, 29, 10, 0)},
		{"not shared: never outside", WorkingHours{}, at(2026, 11, 24, 3, 0), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			starts, outside := tt.wh.Outside(tt.now)
			if outside != !tt.wantStarts.IsZero() || !starts.Equal(tt.wantStarts) {
				t.Errorf("Outside(%s) = %s, %v; want %s, %v", tt.now.Format(time.DateTime), starts.In(rome).Format(time.DateTime),
					outside, tt.wantStarts.Format(time.DateTime), !tt.wantStarts.IsZero())
			}
		})
	}
}
