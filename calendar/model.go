// Package calendar holds Frontdesk's model of colleagues and their availability,
// the Source interface every backend implements, and the derivations an operator
// reads: status now, busy until, next free.
package calendar

import (
	"fmt"
	"time"
)

// Status is what an operator needs to know about a colleague at one instant.
type Status int

// Where items overlap, the one of higher precedence wins (see StatusAt).
// StatusUnknown is a period the server has no data for, or a person it could
// not answer about: never read out as free.
const (
	StatusUnknown Status = iota
	StatusFree
	StatusElsewhere
	StatusTentative
	StatusBusy
	StatusOOF
)

var statusNames = [...]string{
	StatusUnknown:   "unknown",
	StatusFree:      "free",
	StatusElsewhere: "elsewhere",
	StatusTentative: "tentative",
	StatusBusy:      "busy",
	StatusOOF:       "oof",
}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// MarshalText gives the contract's lowercase names.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts the contract's names.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("calendar: unknown status %q", b)
}

// Person is one colleague as the directory knows them. No calendar data.
type Person struct {
	ID         string `json:"id,omitempty"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Department string `json:"department"`
	JobTitle   string `json:"job_title,omitempty"`
	Office     string `json:"office,omitempty"`
	Phone      string `json:"phone"`
	// MobilePhone is a second number to read out when the desk phone rings out.
	MobilePhone string `json:"mobile_phone,omitempty"`
	// Room is set when this is a meeting room's mailbox, not a colleague:
	// its calendar is read like anyone's, in the same batches.
	Room *Room `json:"room,omitempty"`
}

// Room is what the directory tells about a meeting room besides its name and
// address. Zero values are "not known".
type Room struct {
	Capacity int    `json:"capacity,omitempty"`
	Building string `json:"building,omitempty"`
	Floor    string `json:"floor,omitempty"`
}

// IsRoom reports whether p is a meeting room rather than a colleague.
func (p Person) IsRoom() bool { return p.Room != nil }

// Key identifies a person across refreshes; mail is the one identifier every
// backend shares.
func (p Person) Key() string {
	if p.Email != "" {
		return p.Email
	}
	return p.ID
}

// Slot is one calendar item, or one block of merged free/busy where the colleague
// shares no details. End is exclusive.
type Slot struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Status   Status    `json:"status"`
	Subject  string    `json:"subject,omitempty"`
	Location string    `json:"location,omitempty"`
	Private  bool      `json:"private,omitempty"`
	AllDay   bool      `json:"all_day,omitempty"`
}

// Contains reports whether t falls inside the slot. A zero-length slot contains nothing.
func (s Slot) Contains(t time.Time) bool {
	return !t.Before(s.Start) && t.Before(s.End)
}

// Window is the span of time a refresh asks about. End is exclusive.
type Window struct {
	Start time.Time
	End   time.Time
}

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.Start) && t.Before(w.End)
}

// WorkingHours are the hours a colleague takes calls, in their own time zone.
// The zero value means "not shared": DefaultWorkingHours apply.
type WorkingHours struct {
	Days     []time.Weekday
	Start    time.Duration // since local midnight
	End      time.Duration // since local midnight
	Location *time.Location
}

// Outlook's working day when a mailbox shares none.
const (
	defaultWorkStart = 8 * time.Hour
	defaultWorkEnd   = 17 * time.Hour
)

// DefaultWorkingHours is what Outlook assumes when a mailbox shares none.
func DefaultWorkingHours(loc *time.Location) WorkingHours {
	return WorkingHours{
		Days:     []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Start:    defaultWorkStart,
		End:      defaultWorkEnd,
		Location: loc,
	}
}

// IsZero reports whether no working hours were shared. An End at or before
// Start is not "none": it is a shift that ends the next day (22:00-06:00, or
// a day ending at midnight, 09:00-00:00), counted on the day it starts.
func (w WorkingHours) IsZero() bool { return len(w.Days) == 0 || w.End == w.Start }

// Overnight reports whether each working day ends on the next calendar day.
func (w WorkingHours) Overnight() bool { return w.End <= w.Start }

// Within lists the stretches of these working hours that fall inside win, in
// order, clipped to it. Each working day is laid out in the hours' own zone, so
// a colleague six hours behind works the evening of the operator's day, a span
// crossing the operator's midnight shows on both days, and a day the clocks
// change keeps its wall-clock start and end. A zone of nil is win's own.
func (w WorkingHours) Within(win Window) []Window {
	if w.IsZero() || !win.Start.Before(win.End) {
		return nil
	}
	if w.Location == nil {
		w.Location = win.Start.Location()
	}
	spans := workingSpans(w, win.Start, win.End)
	out := spans[:0]
	for _, s := range spans {
		if s.Start.Before(win.Start) {
			s.Start = win.Start
		}
		if s.Start.Before(s.End) {
			out = append(out, s)
		}
	}
	return out
}

// OutOfOffice is the state of a colleague's automatic replies.
type OutOfOffice struct {
	Active  bool   `json:"active"`
	Message string `json:"message"`
	// AsOf is when the server told this state. A source that reads automatic
	// replies sets it with each reading; zero means the answer carries none
	// (the reading failed this time, or the source never reads them), and the
	// engine keeps the last reading it had instead of taking "not out of office".
	AsOf time.Time `json:"as_of,omitzero"`
	// Kept: this answer carried no reading; the one of AsOf stands in.
	Kept bool `json:"-"`
	// Unknown: the reading of AsOf is older than two refresh intervals, so
	// whether the replies are on now is not known. A colleague it last showed
	// away reads Unknown, never Free.
	Unknown bool `json:"-"`
}

// Availability is what a Source returns for one person over one window.
// Err marks just this person as unknown; the rest of the batch stays good.
type Availability struct {
	Person       Person
	Window       Window
	Slots        []Slot
	WorkingHours WorkingHours
	OutOfOffice  OutOfOffice
	Presence     string
	// StatusMessage and WorkLocation come with presence (Graph only): the
	// colleague's own note, expired or not, and where they work today.
	StatusMessage StatusMessage
	WorkLocation  WorkLocation
	Err           error
	FetchedAt     time.Time
}
