package calendar

import "time"

// Describe is the few words an operator reads next to a name: "Busy until 14:30",
// "Free until 15:00", "Out of office until Mon 30 Nov", or "Off until 15:00" for
// an empty calendar outside the working hours the colleague shared, as the
// console's list says it. Times are in now's zone.
func Describe(ps PersonState, now time.Time) string {
	if starts, off := ps.OffHours(now); off {
		return "Off until " + startTime(starts, now)
	}
	var word string
	switch ps.Status {
	case StatusFree:
		word = "Free"
	case StatusTentative:
		word = "Tentative"
	case StatusBusy:
		word = "Busy"
	case StatusOOF:
		word = "Out of office"
	case StatusElsewhere:
		word = "Working elsewhere"
	default:
		return "Unknown"
	}
	if ps.Until.IsZero() {
		return word
	}
	return word + " until " + ShortTime(ps.Until, now)
}

// startTime is when working hours begin: the hour always, since a shift that
// starts at midnight is not "Wed", and the day when it is not today.
func startTime(t, now time.Time) string {
	t = t.In(now.Location())
	switch {
	case SameDay(t, now):
		return t.Format("15:04")
	case t.Sub(now) < 6*24*time.Hour:
		return t.Format("Mon 15:04")
	default:
		return t.Format("Mon 2 Jan 15:04")
	}
}

// ShortTime shows a time as briefly as still unambiguous relative to now:
// "14:30" today, "Tue 09:00" within a week, "Mon 30 Nov" beyond.
func ShortTime(t, now time.Time) string {
	t = t.In(now.Location())
	switch {
	case SameDay(t, now):
		return t.Format("15:04")
	case t.Sub(now) < 6*24*time.Hour && t.After(now):
		if t.Hour() == 0 && t.Minute() == 0 {
			return t.Format("Mon")
		}
		return t.Format("Mon 15:04")
	default:
		return t.Format("Mon 2 Jan")
	}
}

// SameDay reports whether a and b fall on the same calendar date, each read
// in its own location (callers pass both in the operator's zone).
func SameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
