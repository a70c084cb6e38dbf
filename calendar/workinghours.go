package calendar

import "time"

// Outside reports whether t falls outside these working hours and, when it
// does, when they next begin. Each working day is laid out in the hours' own
// zone, as Within does, so the answer holds across the operator's midnight and
// on days the clocks change. Hours nobody shared (the zero value) are never
// outside: the console must not tell a caller someone has gone home on a guess.
// A zone of nil is t's own.
func (w WorkingHours) Outside(t time.Time) (starts time.Time, outside bool) {
	if w.IsZero() {
		return time.Time{}, false
	}
	if w.Location == nil {
		w.Location = t.Location()
	}
	// Eight days from t's day hold the next start whichever days they work.
	spans := workingSpans(w, t, t.AddDate(0, 0, 8))
	if len(spans) == 0 || !spans[0].Start.After(t) {
		// In a span (workingSpans keeps only those ending after t), or no
		// real weekday among Days: nothing to say.
		return time.Time{}, false
	}
	return spans[0].Start, true
}

// OffHours reports whether the operator is told the colleague is outside their
// working hours rather than their calendar status, and when those hours next
// begin. Only where the calendar has nothing on now (free, or unreadable) and
// the colleague shared their hours: a meeting, leave or another place of work
// says more than the hour, and hours Outlook merely assumes are nobody's word.
func (ps PersonState) OffHours(now time.Time) (starts time.Time, off bool) {
	if !ps.WorkingHoursShared || (ps.Status != StatusFree && ps.Status != StatusUnknown) {
		return time.Time{}, false
	}
	return ps.WorkingHours.Outside(now)
}
