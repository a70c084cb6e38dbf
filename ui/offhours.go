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

// soonColor marks a free colleague whose free time ends within minutes: an
// amber deeper than tentative's, so "free" never reads as plain green when a
// call put through now would be cut off. The words say it too.
var soonColor = color.NRGBA{R: 0xd9, G: 0x77, B: 0x06, A: 0xff}

// rowStatus is the status a list row shows: "Busy until 14:30", or for a
// colleague whose calendar is empty at 05:00 their time "Off until 15:00",
// worded like the other statuses and, with a day and a 12-hour clock ("Off
// until Wed 10:00 PM"), still whole in the 193 px a row's status has at 600 px.
func rowStatus(p calendar.PersonState, now time.Time) string {
	return phraseWords(calendar.StatusPhrase(p, now))
}

// detailStatus is rowStatus in the details, which have room for every word:
// "Outside working hours · starts Mon 09:00".
func detailStatus(p calendar.PersonState, now time.Time) string {
	return phraseWords(calendar.DetailPhrase(p, now))
}

// statusSwatch is the colour beside the status words.
func statusSwatch(p calendar.PersonState, now time.Time) color.Color {
	if _, off := p.OffHours(now); off {
		return offHoursColor
	}
	if calendar.StatusPhrase(p, now).Soon() {
		return soonColor
	}
	return StatusColor(p.Status)
}

// phraseWords is a calendar.Phrase in the operator's language. Which sentence
// and which time are calendar's to decide (the status command prints the same
// in English); each sentence here is whole so translators can order the words.
func phraseWords(p calendar.Phrase) string {
	data := map[string]any{"Time": whenWords(p.Time)}
	switch p.Kind {
	case calendar.PhraseStatus:
		return statusWord(p.Status)
	case calendar.PhraseStatusUntil:
		switch p.Status {
		case calendar.StatusFree:
			return lang.L("Free until {{.Time}}", data)
		case calendar.StatusTentative:
			return lang.L("Tentative until {{.Time}}", data)
		case calendar.StatusBusy:
			return lang.L("Busy until {{.Time}}", data)
		case calendar.StatusOOF:
			return lang.L("Out of office until {{.Time}}", data)
		case calendar.StatusElsewhere:
			return lang.L("Working elsewhere until {{.Time}}", data)
		}
		return statusWord(p.Status)
	case calendar.PhraseOffUntil:
		return lang.L("Off until {{.Time}}", data)
	case calendar.PhraseOutsideHoursStarts:
		return lang.L("Outside working hours · starts {{.Time}}", data)
	case calendar.PhraseNextFree:
		return lang.L("Next free: {{.Time}}", data)
	case calendar.PhraseNoFreeTimeSoon:
		return lang.L("Next free: not in the next few days")
	case calendar.PhraseReturnUnknown:
		return lang.L("Return not known")
	case calendar.PhraseFreeFor:
		then := p.ThenSubject
		if then == "" {
			then = statusWord(p.ThenStatus)
		}
		return lang.L("Free for {{.Minutes}} min · then {{.Then}}", map[string]any{"Minutes": p.Minutes, "Then": then})
	case calendar.PhraseOffIn:
		return lang.L("Off in {{.Minutes}} min", map[string]any{"Minutes": p.Minutes})
	}
	return ""
}

// whenWords names an instant in the form calendar chose, on the operator's
// clock (24- or 12-hour) and in their language.
func whenWords(w calendar.When) string {
	t := w.T
	switch w.Form {
	case calendar.FormWeekday:
		return weekdayShort(t.Weekday())
	case calendar.FormWeekdayClock:
		return lang.L("{{.Day}} {{.Time}}", map[string]any{"Day": weekdayShort(t.Weekday()), "Time": clock(t)})
	case calendar.FormDate:
		return dateShort(t)
	case calendar.FormDateClock:
		return lang.L("{{.Date}} {{.Time}}", map[string]any{"Date": dateShort(t), "Time": clock(t)})
	}
	return clock(t)
}

func dateShort(t time.Time) string {
	return lang.L("{{.Weekday}} {{.Day}} {{.Month}}", map[string]any{"Weekday": weekdayShort(t.Weekday()), "Day": t.Day(), "Month": monthShort(t.Month())})
}
