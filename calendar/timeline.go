package calendar

import "time"

// TimelineSpan is the span of items a snapshot keeps for the console's day
// view: today and the next working day (Monday to Friday), so the operator can
// look at tomorrow, or Monday from a Friday, without another request.
func TimelineSpan(t time.Time, loc *time.Location) Window {
	today := DayOf(t, loc)
	next := today.End
	for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
		next = DayOf(next.Add(36*time.Hour), loc).Start // noon-safe across DST
	}
	return Window{Start: today.Start, End: DayOf(next, loc).End}
}
