package ui

import (
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/assets"
	"github.com/frontdesk-app/frontdesk/calendar"
)

var registerOnce sync.Once

// RegisterTranslations adds Italian and German to Fyne's lang package; the
// operator's system locale picks the language. English strings are the keys.
// Safe to call more than once.
func RegisterTranslations() {
	registerOnce.Do(reloadLanguage)
}

// reloadLanguage re-reads the system locale (tests switch LANGUAGE between runs).
func reloadLanguage() {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("translations not loaded", err)
	}
	clock12 = uses12HourClock(lang.SystemLocale())
}

// clock12 is true where people read "2:30 PM" rather than "14:30".
var clock12 bool

// uses12HourClock: English in the regions that use a 12-hour clock; everyone
// else Frontdesk speaks to (Italian, German, British English) reads 24 hours.
func uses12HourClock(l fyne.Locale) bool {
	s := strings.ReplaceAll(string(l), "_", "-")
	for _, region := range []string{"en-US", "en-CA", "en-AU", "en-NZ", "en-PH", "en-IN"} {
		if strings.HasPrefix(s, region) {
			return true
		}
	}
	return false
}

// clock shows a time of day in the operator's convention.
func clock(t time.Time) string {
	if clock12 {
		return t.Format("3:04 PM")
	}
	return t.Format("15:04")
}

func weekdayShort(d time.Weekday) string {
	switch d {
	case time.Monday:
		return lang.L("Mon")
	case time.Tuesday:
		return lang.L("Tue")
	case time.Wednesday:
		return lang.L("Wed")
	case time.Thursday:
		return lang.L("Thu")
	case time.Friday:
		return lang.L("Fri")
	case time.Saturday:
		return lang.L("Sat")
	}
	return lang.L("Sun")
}

func monthShort(m time.Month) string {
	return [...]string{lang.L("Jan"), lang.L("Feb"), lang.L("Mar"), lang.L("Apr"), lang.L("May"), lang.L("Jun"),
		lang.L("Jul"), lang.L("Aug"), lang.L("Sep"), lang.L("Oct"), lang.L("Nov"), lang.L("Dec")}[m-1]
}

// shortTime is calendar.ShortTime in the operator's language: "14:30" today,
// "Tue 09:00" within a week, "Mon 30 Nov" beyond.
func shortTime(t, now time.Time) string {
	return whenWords(calendar.ShortWhen(t, now))
}

// statusWord is the one word for a status, as on a timeline item.
func statusWord(s calendar.Status) string {
	switch s {
	case calendar.StatusFree:
		return lang.L("Free")
	case calendar.StatusTentative:
		return lang.L("Tentative")
	case calendar.StatusBusy:
		return lang.L("Busy")
	case calendar.StatusOOF:
		return lang.L("Out of office")
	case calendar.StatusElsewhere:
		return lang.L("Working elsewhere")
	}
	return lang.L("Unknown")
}

// presenceWords turns Graph's "Availability (Activity)" into what an operator
// says: Available, In a call, In a meeting, Do not disturb, Away, Offline.
// Empty when there is no presence (Exchange, presence off).
func presenceWords(presence string) string {
	availability, activity, _ := strings.Cut(presence, " (")
	activity = strings.TrimSuffix(activity, ")")
	switch activity {
	case "InACall", "InAConferenceCall":
		return lang.L("In a call")
	case "Presenting":
		return lang.L("Presenting")
	case "InAMeeting":
		return lang.L("In a meeting")
	}
	switch availability {
	case "Available", "AvailableIdle":
		return lang.L("Available")
	case "Busy", "BusyIdle":
		return lang.L("Busy")
	case "DoNotDisturb":
		return lang.L("Do not disturb")
	case "Away", "BeRightBack":
		return lang.L("Away")
	case "Offline":
		return lang.L("Offline")
	}
	return ""
}

// clockSeconds is a time of day with seconds, for "updated 10:00:05".
func clockSeconds(t time.Time) string {
	if clock12 {
		return t.Format("3:04:05 PM")
	}
	return t.Format("15:04:05")
}
