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

// SpanAt returns the stretch of these working hours that t falls in, in the
// hours' own zone (a night shift's span crosses midnight). ok is false outside
// working hours, and for hours nobody shared.
func (w WorkingHours) SpanAt(t time.Time) (span Window, ok bool) {
	if w.IsZero() {
		return Window{}, false
	}
	if w.Location == nil {
		w.Location = t.Location()
	}
	for _, s := range workingSpans(w, t, t.AddDate(0, 0, 2)) {
		if s.Contains(t) {
			return s, true
		}
	}
	return Window{}, false
}

// freeUntil is when a colleague free at t stops being someone to put a call
// through to: the next item, but no later than the end of the working day
// they are in, so a free afternoon is not read out as "free until Monday".
// Outside working hours (assumed ones included) only an item later today
// ends it: beyond today there is nothing the calendar can promise.
func freeUntil(nextItem time.Time, wh WorkingHours, t time.Time) time.Time {
	limit := DayOf(t, t.Location()).End
	span, inHours := wh.SpanAt(t)
	if inHours {
		limit = span.End
	}
	switch {
	case !nextItem.IsZero() && nextItem.Before(limit):
		return nextItem
	case inHours:
		return limit
	}
	return time.Time{}
}
