package ews

import (
	"fmt"
	"time"
)

// serializableTimeZone is EWS's SerializableTimeZone: Windows-style rules,
// one standard and one daylight transition recurring every year. Bias is in
// minutes and has the Windows sign: UTC = local + Bias.
type serializableTimeZone struct {
	Bias         int              `xml:"t:Bias"`
	StandardTime timeZoneRuleSent `xml:"t:StandardTime"`
	DaylightTime timeZoneRuleSent `xml:"t:DaylightTime"`
}

type timeZoneRuleSent struct {
	Bias      int    `xml:"t:Bias"`
	Time      string `xml:"t:Time"`
	DayOrder  int    `xml:"t:DayOrder"`
	Month     int    `xml:"t:Month"`
	DayOfWeek string `xml:"t:DayOfWeek"`
}

// timeZoneRule is a transition rule as received; see timeZoneRuleSent.
type timeZoneRule struct {
	Bias      int    `xml:"Bias"`
	Time      string `xml:"Time"`
	DayOrder  int    `xml:"DayOrder"`
	Month     int    `xml:"Month"`
	DayOfWeek string `xml:"DayOfWeek"`
}

// receivedTimeZone is a SerializableTimeZone in an answer (WorkingHours).
type receivedTimeZone struct {
	Bias         int          `xml:"Bias"`
	StandardTime timeZoneRule `xml:"StandardTime"`
	DaylightTime timeZoneRule `xml:"DaylightTime"`
}

func (r timeZoneRuleSent) received() timeZoneRule { return timeZoneRule(r) }

func (tz serializableTimeZone) received() receivedTimeZone {
	return receivedTimeZone{Bias: tz.Bias, StandardTime: tz.StandardTime.received(), DaylightTime: tz.DaylightTime.received()}
}

// timeZoneFor derives the SerializableTimeZone of loc from the transitions
// loc really has in the year of from, so the server expands "local" times
// with the same rules as Go. Zones without daylight saving that year get two
// identical rules, which Exchange reads as "no transition".
func timeZoneFor(loc *time.Location, from time.Time) serializableTimeZone {
	from = from.In(loc)
	year := from.Year()
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)

	type transition struct {
		at         time.Time // first instant of the new offset
		from, to   int       // offsets in seconds east of UTC
		wallBefore time.Time // the wall clock the old offset shows at that instant
	}
	var transitions []transition
	for t := start; t.Before(end); {
		_, zoneEnd := t.ZoneBounds()
		if zoneEnd.IsZero() || !zoneEnd.Before(end) {
			break
		}
		if !zoneEnd.After(t) {
			// With a slim zone database (the one time/tzdata embeds, so the
			// only one on a Windows PC), Go's ZoneBounds answers the last
			// day of a leap year with a zone ending where it is asked: step
			// past it (no zone switches on that day), or this never ends.
			t = t.Add(time.Hour)
			continue
		}
		_, from := zoneEnd.Add(-time.Second).Zone()
		_, to := zoneEnd.Zone()
		if from != to {
			transitions = append(transitions, transition{
				at: zoneEnd, from: from, to: to,
				wallBefore: zoneEnd.In(time.FixedZone("", from)),
			})
		}
		t = zoneEnd
	}

	// Without a yearly pair of rules, the offset at the start of the window
	// asked about is the one that matters.
	_, offsetAtFrom := from.Zone()
	noDST := serializableTimeZone{
		Bias:         -offsetAtFrom / 60,
		StandardTime: timeZoneRuleSent{Time: "00:00:00", DayOrder: 1, Month: 1, DayOfWeek: "Sunday"},
		DaylightTime: timeZoneRuleSent{Time: "00:00:00", DayOrder: 1, Month: 1, DayOfWeek: "Sunday"},
	}
	// Windows rules model exactly one offset pair switching twice a year.
	// Anything else (a zone changing its base offset for good, or no change
	// at all) is best sent as a fixed offset.
	if len(transitions) != 2 || transitions[0].from != transitions[1].to || transitions[0].to != transitions[1].from {
		return noDST
	}
	var toDaylight, toStandard transition
	// Daylight is the larger offset, whatever the zone database calls it
	// (Europe/Dublin's winter time is "negative DST" there; Windows does not
	// know the idea).
	if transitions[0].to > transitions[0].from {
		toDaylight, toStandard = transitions[0], transitions[1]
	} else {
		toStandard, toDaylight = transitions[0], transitions[1]
	}
	standardOffset := toStandard.to
	daylightOffset := toDaylight.to
	return serializableTimeZone{
		Bias:         -standardOffset / 60,
		StandardTime: ruleFor(toStandard.wallBefore, 0),
		DaylightTime: ruleFor(toDaylight.wallBefore, -(daylightOffset-standardOffset)/60),
	}
}

// ruleFor describes the day of wall as "the Nth weekday of the month", with
// 5 meaning the last, as Windows does.
func ruleFor(wall time.Time, bias int) timeZoneRuleSent {
	order := (wall.Day()-1)/7 + 1
	if wall.Day()+7 > daysIn(wall.Month(), wall.Year()) {
		order = 5
	}
	return timeZoneRuleSent{
		Bias:      bias,
		Time:      fmt.Sprintf("%02d:%02d:%02d", wall.Hour(), wall.Minute(), wall.Second()),
		DayOrder:  order,
		Month:     int(wall.Month()),
		DayOfWeek: wall.Weekday().String(),
	}
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// hasDST reports whether the rules describe a daylight period at all.
func (tz receivedTimeZone) hasDST() bool {
	s, d := tz.StandardTime, tz.DaylightTime
	return d.Bias != 0 && (s.Month != d.Month || s.DayOrder != d.DayOrder || s.DayOfWeek != d.DayOfWeek || s.Time != d.Time) &&
		validRule(s) && validRule(d)
}

func validRule(r timeZoneRule) bool {
	_, okDay := weekdays[r.DayOfWeek]
	_, err := parseClock(r.Time)
	return okDay && err == nil && r.Month >= 1 && r.Month <= 12 && r.DayOrder >= 1 && r.DayOrder <= 5
}

var weekdays = map[string]time.Weekday{
	"Sunday": time.Sunday, "Monday": time.Monday, "Tuesday": time.Tuesday, "Wednesday": time.Wednesday,
	"Thursday": time.Thursday, "Friday": time.Friday, "Saturday": time.Saturday,
}

func parseClock(s string) (time.Duration, error) {
	var h, m, sec int
	if _, err := fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec); err != nil {
		return 0, err
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || sec < 0 || sec > 59 {
		return 0, fmt.Errorf("clock %q out of range", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}

// transitionIn returns the UTC instant a rule fires in year, given the
// offset (seconds east of UTC) in force just before it.
func (r timeZoneRule) transitionIn(year int, offsetBefore int) time.Time {
	clock, _ := parseClock(r.Time)
	month := time.Month(r.Month)
	want := weekdays[r.DayOfWeek]
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	day := 1 + (int(want)-int(first.Weekday())+7)%7 + 7*(r.DayOrder-1)
	for day > daysIn(month, year) {
		day -= 7
	}
	wall := time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Add(clock)
	return wall.Add(-time.Duration(offsetBefore) * time.Second)
}

// offsetAt is the offset (seconds east of UTC) the rules give at instant t.
func (tz receivedTimeZone) offsetAt(t time.Time) int {
	standard := -tz.Bias * 60
	if !tz.hasDST() {
		return standard
	}
	daylight := standard - tz.DaylightTime.Bias*60
	year := t.UTC().Year()
	toDaylight := tz.DaylightTime.transitionIn(year, standard)
	toStandard := tz.StandardTime.transitionIn(year, daylight)
	inDaylight := false
	if toDaylight.Before(toStandard) {
		inDaylight = !t.Before(toDaylight) && t.Before(toStandard)
	} else { // southern hemisphere: daylight spans the new year
		inDaylight = !t.Before(toDaylight) || t.Before(toStandard)
	}
	if inDaylight {
		return daylight
	}
	return standard
}

// sameRules reports whether two zones expand to the same offsets.
func (tz receivedTimeZone) sameRules(o receivedTimeZone) bool {
	if tz.Bias != o.Bias || tz.hasDST() != o.hasDST() {
		return false
	}
	return !tz.hasDST() || (tz.StandardTime == o.StandardTime && tz.DaylightTime == o.DaylightTime)
}

// location turns a colleague's zone into a *time.Location for working hours:
// the operator's own zone when the rules agree (the usual case, and the one
// that keeps DST right), else a fixed zone at the offset in force at `at`.
func (tz receivedTimeZone) location(at time.Time, operator *time.Location) *time.Location {
	if operator != nil && tz.sameRules(timeZoneFor(operator, at).received()) {
		return operator
	}
	off := tz.offsetAt(at)
	return time.FixedZone(fmt.Sprintf("UTC%+03d:%02d", off/3600, abs(off%3600)/60), off)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
