package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// offHoursColor marks a colleague outside their working hours: a calm slate,
// neither the green of free (an operator puts a call through on green) nor
// the grey of a calendar nobody can read.
var offHoursColor = color.NRGBA{R: 0x5f, G: 0x72, B: 0x8a, A: 0xff}

// rowStatus is the status a list row shows: "Busy until 14:30", or for a
// colleague whose calendar is empty at 05:00 their time "Off until 15:00",
// worded like the other statuses and, with a day and a 12-hour clock ("Off
// until Wed 10:00 PM"), still whole in the 193 px a row's status has at 600 px.
func rowStatus(p calendar.PersonState, now time.Time) string {
	if starts, off := p.OffHours(now); off {
		return lang.L("Off until {{.Time}}", map[string]any{"Time": startsAt(starts, now)})
	}
	return describe(p, now)
}

// detailStatus is rowStatus in the details, which have room for every word:
// "Outside working hours · starts Mon 09:00".
func detailStatus(p calendar.PersonState, now time.Time) string {
	if starts, off := p.OffHours(now); off {
		return lang.L("Outside working hours · starts {{.Time}}", map[string]any{"Time": startsAt(starts, now)})
	}
	return describe(p, now)
}

// statusSwatch is the colour beside the status words.
func statusSwatch(p calendar.PersonState, now time.Time) color.Color {
	if _, off := p.OffHours(now); off {
		return offHoursColor
	}
	return StatusColor(p.Status)
}

// startsAt is when working hours begin on the operator's clock: "15:00" today,
// "Mon 09:00" on another day, the day always named with the hour (shortTime
// would drop a midnight start's hour, and a start is read out as an hour).
func startsAt(t, now time.Time) string {
	t = t.In(now.Location())
	if calendar.SameDay(t, now) {
		return clock(t)
	}
	return lang.L("{{.Day}} {{.Time}}", map[string]any{"Day": weekdayShort(t.Weekday()), "Time": clock(t)})
}
