package calendar

import (
	"fmt"
	"time"
)

// TimeForm is how much of an instant a sentence must name for the operator to
// read it without doubt relative to now.
type TimeForm int

const (
	FormClock        TimeForm = iota // "14:30": today
	FormWeekday                      // "Wed": midnight starting a day within the week
	FormWeekdayClock                 // "Tue 09:00": within the week
	FormDate                         // "Mon 30 Nov": further, where the day is what matters
	FormDateClock                    // "Mon 7 Dec 09:00": further, where the hour is read out too
)

// When is an instant and the form to name it in. The zero When names nothing.
type When struct {
	T    time.Time
	Form TimeForm
}

// ShortWhen names t as briefly as still unambiguous relative to now: the hour
// today, the weekday within the week, the date beyond.
func ShortWhen(t, now time.Time) When {
	t = t.In(now.Location())
	switch {
	case SameDay(t, now):
		return When{t, FormClock}
	case t.Sub(now) < 6*24*time.Hour && t.After(now):
		if t.Hour() == 0 && t.Minute() == 0 {
			return When{t, FormWeekday}
		}
		return When{t, FormWeekdayClock}
	default:
		return When{t, FormDate}
	}
}

// StartWhen names when working hours begin: always with the hour, since a
// start is read out as an hour and a shift starting at midnight is not "Wed",
// and with the date when the weekday alone would name this week's day.
func StartWhen(t, now time.Time) When {
	t = t.In(now.Location())
	switch {
	case SameDay(t, now):
		return When{t, FormClock}
	case t.Sub(now) < 6*24*time.Hour:
		return When{t, FormWeekdayClock}
	default:
		return When{t, FormDateClock}
	}
}

// PhraseKind is which sentence describes a colleague. The window and the
// status command word each kind in their own way (translated, or English),
// but which sentence applies, and with which time, is decided only here.
type PhraseKind int

const (
	PhraseNone               PhraseKind = iota // nothing to say
	PhraseStatus                               // "Busy"
	PhraseStatusUntil                          // "Busy until 14:30"
	PhraseOffUntil                             // "Off until 15:00" (a list row)
	PhraseOutsideHoursStarts                   // "Outside working hours · starts Mon 09:00" (the details)
	PhraseNextFree                             // "Next free: 15:00"
	PhraseNoFreeTimeSoon                       // "Next free: not in the next few days"
	PhraseReturnUnknown                        // "Return not known" (automatic replies, no leave in the calendar)
	PhraseFreeFor                              // "Free for 10 min · then 1:1": a busy item starts soon
	PhraseOffIn                                // "Off in 10 min": their working hours end soon
)

// SoonWithin is how close the end of a free period must be for the operator
// to be warned rather than shown plain "Free until": a call put through now
// would be cut off by the meeting or the end of the day. It is the default of
// the [actions] free_soon_minutes setting (PersonState.SoonWithin), which may
// lie between MinSoonWithin and MaxSoonWithin.
const (
	SoonWithin    = 15 * time.Minute
	MinSoonWithin = 1 * time.Minute
	MaxSoonWithin = 60 * time.Minute
)

// soonWithin is the warning's reach for this colleague's snapshot: the
// setting the engine ran with, else the default.
func (ps PersonState) soonWithin() time.Duration {
	if ps.SoonWithin > 0 {
		return ps.SoonWithin
	}
	return SoonWithin
}

// Phrase is one sentence about a colleague: its kind, the status it names and
// the instant it names, if any.
type Phrase struct {
	Kind   PhraseKind
	Status Status
	Time   When
	// Minutes and Then are for PhraseFreeFor and PhraseOffIn: how many
	// minutes are left, and the item that follows (its subject, or its status
	// when the subject is private or empty).
	Minutes     int
	ThenSubject string
	ThenStatus  Status
}

// Soon reports whether the phrase warns that a free period ends shortly.
func (p Phrase) Soon() bool { return p.Kind == PhraseFreeFor || p.Kind == PhraseOffIn }

// NextBusy is the first item that is not free starting after now on now's
// day, for a colleague free now; ok is false otherwise.
func (ps PersonState) NextBusy(now time.Time) (next Slot, ok bool) {
	if ps.Status != StatusFree {
		return Slot{}, false
	}
	for _, s := range ps.DaySlots() {
		if s.Status == StatusFree || !s.Start.After(now) || !SameDay(s.Start.In(now.Location()), now) {
			continue
		}
		if !ok || s.Start.Before(next.Start) {
			next, ok = s, true
		}
	}
	return next, ok
}

// FreeFor is how long a colleague free now stays free before their next busy
// item today, in whole minutes rounded up (10:20:30 to 10:30 is 10); ok is
// false when they are not free or nothing busy follows today.
func (ps PersonState) FreeFor(now time.Time) (minutes int, ok bool) {
	next, ok := ps.NextBusy(now)
	if !ok {
		return 0, false
	}
	return minutesUntil(next.Start, now), true
}

func minutesUntil(t, now time.Time) int {
	return int((t.Sub(now) + time.Minute - 1) / time.Minute)
}

// soonPhrase is the warning for a free colleague whose free period ends
// within their snapshot's reach (SoonWithin by default): a busy item
// starting, or the working hours they shared ending. Hours nobody shared end nothing: that would be a guess.
func soonPhrase(ps PersonState, now time.Time) (Phrase, bool) {
	if ps.Status != StatusFree {
		return Phrase{}, false
	}
	next, busy := ps.NextBusy(now)
	soon := ps.soonWithin()
	if ps.WorkingHoursShared {
		// The day ending before the next item is what cuts the call off.
		if span, in := ps.WorkingHours.SpanAt(now); in && span.End.Sub(now) <= soon && (!busy || span.End.Before(next.Start)) {
			return Phrase{Kind: PhraseOffIn, Status: ps.Status, Time: ShortWhen(span.End, now), Minutes: minutesUntil(span.End, now)}, true
		}
	}
	if busy && next.Start.Sub(now) <= soon {
		p := Phrase{Kind: PhraseFreeFor, Status: ps.Status, Time: ShortWhen(next.Start, now), Minutes: minutesUntil(next.Start, now), ThenStatus: next.Status}
		if !next.Private {
			p.ThenSubject = next.Subject
		}
		return p, true
	}
	return Phrase{}, false
}

// StatusPhrase is what a list row says: the status and until when, or "Off
// until" for an empty calendar outside the working hours the colleague shared.
func StatusPhrase(ps PersonState, now time.Time) Phrase {
	if starts, off := ps.OffHours(now); off {
		return Phrase{Kind: PhraseOffUntil, Status: ps.Status, Time: StartWhen(starts, now)}
	}
	if p, ok := soonPhrase(ps, now); ok {
		return p
	}
	if ps.Until.IsZero() || ps.Status == StatusUnknown {
		return Phrase{Kind: PhraseStatus, Status: ps.Status}
	}
	return Phrase{Kind: PhraseStatusUntil, Status: ps.Status, Time: ShortWhen(ps.Until, now)}
}

// DetailPhrase is StatusPhrase in the details, which have room to say that
// the working day has ended and when it starts again.
func DetailPhrase(ps PersonState, now time.Time) Phrase {
	p := StatusPhrase(ps, now)
	if p.Kind == PhraseOffUntil {
		p.Kind = PhraseOutsideHoursStarts
	}
	return p
}

// NextFreePhrase is the details' line about when the colleague is next free.
// Nothing for someone free now or unknown; no claim at all about the return
// of someone whose automatic replies are on with nothing in the calendar,
// since nothing says when they are back.
func NextFreePhrase(ps PersonState, now time.Time) Phrase {
	switch {
	case !ps.NextFree.IsZero():
		return Phrase{Kind: PhraseNextFree, Status: ps.Status, Time: ShortWhen(ps.NextFree, now)}
	case ps.Status == StatusFree || ps.Status == StatusUnknown:
		return Phrase{Kind: PhraseNone, Status: ps.Status}
	case ps.OutOfOfficeByReply():
		return Phrase{Kind: PhraseReturnUnknown, Status: ps.Status}
	default:
		return Phrase{Kind: PhraseNoFreeTimeSoon, Status: ps.Status}
	}
}

// OutOfOfficeByReply reports whether the colleague reads out of office only
// because their automatic replies are on: no leave item decides it.
func (ps PersonState) OutOfOfficeByReply() bool {
	return ps.Status == StatusOOF && ps.OutOfOffice.Active && (ps.Current == nil || ps.Current.Status != StatusOOF)
}

// Describe is the few words the status command prints next to a name, in
// English: "Busy until 14:30", "Free until 15:00", "Out of office until Mon
// 30 Nov", or "Off until 15:00", the same sentence a list row shows.
func Describe(ps PersonState, now time.Time) string {
	return EnglishPhrase(StatusPhrase(ps, now))
}

// EnglishPhrase words a phrase in English with a 24-hour clock.
func EnglishPhrase(p Phrase) string {
	at := englishWhen(p.Time)
	switch p.Kind {
	case PhraseStatus:
		return englishStatus[p.Status]
	case PhraseStatusUntil:
		return englishStatus[p.Status] + " until " + at
	case PhraseOffUntil:
		return "Off until " + at
	case PhraseOutsideHoursStarts:
		return "Outside working hours · starts " + at
	case PhraseNextFree:
		return "Next free: " + at
	case PhraseNoFreeTimeSoon:
		return "Next free: not in the next few days"
	case PhraseReturnUnknown:
		return "Return not known"
	case PhraseFreeFor:
		then := p.ThenSubject
		if then == "" {
			then = englishStatus[p.ThenStatus]
		}
		return fmt.Sprintf("Free for %d min · then %s", p.Minutes, then)
	case PhraseOffIn:
		return fmt.Sprintf("Off in %d min", p.Minutes)
	}
	return ""
}

var englishStatus = map[Status]string{
	StatusUnknown:   "Unknown",
	StatusFree:      "Free",
	StatusTentative: "Tentative",
	StatusBusy:      "Busy",
	StatusOOF:       "Out of office",
	StatusElsewhere: "Working elsewhere",
}

func englishWhen(w When) string {
	switch w.Form {
	case FormWeekday:
		return w.T.Format("Mon")
	case FormWeekdayClock:
		return w.T.Format("Mon 15:04")
	case FormDate:
		return w.T.Format("Mon 2 Jan")
	case FormDateClock:
		return w.T.Format("Mon 2 Jan 15:04")
	}
	return w.T.Format("15:04")
}

// ShortTime is ShortWhen in English: "14:30" today, "Tue 09:00" within a
// week, "Mon 30 Nov" beyond.
func ShortTime(t, now time.Time) string { return englishWhen(ShortWhen(t, now)) }

// SameDay reports whether a and b fall on the same calendar date, each read
// in its own location (callers pass both in the operator's zone).
func SameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
