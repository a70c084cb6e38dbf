package calendar

import (
	"slices"
	"time"
)

// MinFreePeriod is the shortest gap worth offering a caller as "next free".
const MinFreePeriod = 15 * time.Minute

// StatusAt returns the status at t and the item that decides it (nil when free).
// Zero-length items and Free entries are ignored; overlapping items resolve by
// precedence, so a period without data (Unknown) hides nothing but "free".
func StatusAt(slots []Slot, t time.Time) (Status, *Slot) {
	status := StatusFree
	var current *Slot
	for i := range slots {
		s := &slots[i]
		if !s.Contains(t) || s.Status == StatusFree {
			continue
		}
		// Ties go to the item that lasts longer: it is the one an operator would name.
		if s.Status.outranks(status) || (s.Status == status && current != nil && s.End.After(current.End)) {
			status, current = s.Status, s
		}
	}
	return status, current
}

// precedence is where each status stands when items overlap, as in Outlook's
// merged free/busy view (out of office beats busy beats tentative). Unknown
// sits just above Free: no data is never read out as free, but any item that
// is known says more than the gap in the data.
var precedence = [...]int{
	StatusFree:      0,
	StatusUnknown:   1,
	StatusElsewhere: 2,
	StatusTentative: 3,
	StatusBusy:      4,
	StatusOOF:       5,
}

func (s Status) outranks(other Status) bool { return s.rank() > other.rank() }

func (s Status) rank() int {
	if s < 0 || int(s) >= len(precedence) {
		return precedence[StatusUnknown]
	}
	return precedence[s]
}

// boundaries returns every instant after t at which the status may change,
// sorted and without repeats.
func boundaries(slots []Slot, t time.Time) []time.Time {
	out := make([]time.Time, 0, 2*len(slots))
	for _, s := range slots {
		if !s.End.After(s.Start) {
			continue
		}
		if s.Start.After(t) {
			out = append(out, s.Start)
		}
		if s.End.After(t) {
			out = append(out, s.End)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, time.Time.Equal)
}

// Until returns when the status at t next changes: the end of back-to-back and
// overlapping items of the same status merged together. ok is false when nothing
// in the slots changes it (free for the rest of the known window, say).
func Until(slots []Slot, t time.Time) (until time.Time, ok bool) {
	now, _ := StatusAt(slots, t)
	for _, b := range boundaries(slots, t) {
		if s, _ := StatusAt(slots, b); s != now {
			return b, true
		}
	}
	return time.Time{}, false
}

// NextFree returns the start of the first free period of at least MinFreePeriod
// that begins at or after t, lies inside working hours and ends inside the
// window the data covers. ok is false when there is none in the window.
//
// It walks changes of status, not item boundaries: an item that leaves the
// status as it was (a Free entry, a meeting overlapping another) does not cut
// a free period in two. Unknown periods are never free.
func NextFree(slots []Slot, t time.Time, wh WorkingHours, window Window) (time.Time, bool) {
	if wh.IsZero() {
		wh = DefaultWorkingHours(wh.Location)
	}
	if wh.Location == nil {
		wh.Location = t.Location()
	}
	from := t
	if from.Before(window.Start) {
		from = window.Start
	}
	changes := boundaries(slots, from)
	for _, day := range workingSpans(wh, from, window.End) {
		cursor := day.Start
		if cursor.Before(from) {
			cursor = from
		}
		for cursor.Before(day.End) {
			status, _ := StatusAt(slots, cursor)
			next := nextStatusChange(slots, changes, cursor, status, day.End)
			if status == StatusFree && next.Sub(cursor) >= MinFreePeriod {
				return cursor, true
			}
			cursor = next
		}
	}
	return time.Time{}, false
}

// nextStatusChange is the first of the sorted boundaries after t at which the
// status is no longer status, capped at limit.
func nextStatusChange(slots []Slot, changes []time.Time, t time.Time, status Status, limit time.Time) time.Time {
	i, _ := slices.BinarySearchFunc(changes, t, func(b, t time.Time) int {
		if b.After(t) {
			return 1
		}
		return -1
	})
	for ; i < len(changes) && changes[i].Before(limit); i++ {
		if s, _ := StatusAt(slots, changes[i]); s != status {
			return changes[i]
		}
	}
	return limit
}

// workingSpans lists the working-hour spans that overlap [from, to), computed day
// by day in the working hours' own zone so DST days get their real length.
func workingSpans(wh WorkingHours, from, to time.Time) []Window {
	loc := wh.Location
	f := from.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	if wh.Overnight() {
		// Last night's shift may still be running at from.
		day = day.AddDate(0, 0, -1)
	}
	var out []Window
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		if !hasDay(wh.Days, day.Weekday()) {
			continue
		}
		start := atClock(day, wh.Start)
		end := atClock(day, wh.End)
		if wh.Overnight() {
			end = atClock(day.AddDate(0, 0, 1), wh.End)
		}
		if end.After(from) && start.Before(to) {
			if end.After(to) {
				end = to
			}
			out = append(out, Window{Start: start, End: end})
		}
	}
	return out
}

// atClock returns the wall-clock time d after midnight of day, so 09:00 stays
// 09:00 on the day the clocks change.
func atClock(day time.Time, d time.Duration) time.Time {
	h := int(d / time.Hour)
	m := int((d % time.Hour) / time.Minute)
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
}

func hasDay(days []time.Weekday, d time.Weekday) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}
