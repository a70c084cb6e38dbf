package calendar

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"time"
)

// State is the condition of the refresh engine as a whole, published with each snapshot.
type State string

const (
	StateOK          State = "ok"
	StatePartial     State = "partial" // some people unknown
	StateThrottled   State = "throttled"
	StateAuthPaused  State = "auth_paused"
	StateOffline     State = "offline"
	StateConfigError State = "config_error"
)

// EngineState says what the engine is doing and why, for the status bar and `status`.
type EngineState struct {
	State State
	// Refreshing is true while a cycle is in flight.
	Refreshing bool
	// Reason is the error that put the engine in this state, if any.
	Reason error
	// Until is when a back-off ends (throttled, offline retry).
	Until time.Time
	// Since is when the engine entered this state (offline since...).
	Since time.Time
	// Stale is true when the engine could not refresh as planned (throttled,
	// offline, paused): People are the last data received, each with its FetchedAt.
	Stale bool
	// LastSuccess is when a refresh of everyone last completed; zero if never.
	LastSuccess time.Time
	// Interval is the refresh interval in force, after any budget stretch.
	Interval time.Duration
	// Notice is a sentence for the status bar about how the engine adapted
	// (the interval stretched to stay within the request budget); empty if none.
	Notice string
	// Limitations are the parts of the answers the source has switched off
	// (Teams presence not approved, no MailTips): the window says so.
	Limitations []Limitation
	// DirectorySaved is when the colleagues listed were saved, while they are
	// the source's saved copy (at start, until the listing is in; or when the
	// listing failed); zero when they are a live listing.
	DirectorySaved time.Time
}

// Age is how old the data of the last complete refresh is at `at`; zero if
// there has been none.
func (e EngineState) Age(at time.Time) time.Duration {
	if e.LastSuccess.IsZero() {
		return 0
	}
	return at.Sub(e.LastSuccess)
}

// PersonState is one colleague as the operator sees them at the snapshot's instant.
type PersonState struct {
	// Person is who this is; never nil in a state Evaluate or the engine
	// makes. The engine's states point at the one copy its directory holds,
	// which a state that stands shares with the next snapshots (an entry of
	// its own was 128 bytes a colleague, 6.4 MB at 50,000).
	Person   *Person
	Status   Status
	Until    time.Time // zero: nothing ends the current status in the known window
	NextFree time.Time // zero: free now, or no free period in the known window
	Current  *Slot     // the item deciding the status; nil when free
	// Slots are the evaluated day's items, for the timeline, in a state
	// made by hand or by Evaluate; read them with DaySlots, which also reads
	// those of a state the engine made, whose items are packed in dayItems
	// (the roster's answerItems) and Slots nil.
	Slots       []Slot
	OutOfOffice OutOfOffice
	Presence    string
	// StatusMessage is the colleague's own Teams note when it has not expired
	// at the snapshot's instant; zero otherwise.
	StatusMessage StatusMessage
	WorkLocation  WorkLocation
	Err           error
	FetchedAt     time.Time
	// StaleReason is why the data on show is the last good answer rather than
	// the latest: the latest about this colleague came but could not be read
	// (a garbled record, a cut-off answer). The status still reads from the
	// last good data, which Stale then reports as stale. nil otherwise.
	StaleReason error
	// WorkingHours are the colleague's hours in their own zone, for the
	// timeline. When they share none it is DefaultWorkingHours in the
	// operator's zone, which next free assumes too, and WorkingHoursShared is
	// false, so the operator is never told an hour nobody gave.
	WorkingHours       WorkingHours
	WorkingHoursShared bool
	// SoonWithin is how near the end of a free period is warned about
	// ("Free for 10 min · then 1:1"): the engine's free_soon_minutes, so the
	// window, status and watch say the same; zero is the default, SoonWithin.
	SoonWithin time.Duration
	// Revision tells a window whether this row needs drawing again. The
	// engine gives every evaluated state a revision from one counter that
	// only grows: a state evaluated again that reads as before (same status,
	// until, items, note, error text, fetched-at...) keeps its revision; one
	// that differs in anything gets a new, higher one, and so does a person
	// new to the list. So two snapshots' states of one person with the same
	// nonzero Revision are the same, and the row need not be touched. It
	// covers the state only: what a window works out from the snapshot's At
	// (free for N minutes, stale by age, off hours) can change under an
	// unchanged Revision. Zero (a snapshot made by hand) means unknown:
	// treat it as changed.
	Revision uint64

	// dayItems and dayLoc are the day's items as the roster keeps them
	// (DaySlots), shared with its answer: a state the engine made holds no
	// copy of its day (a third of the heap at 50,000 colleagues).
	dayItems []packedSlot
	dayLoc   *time.Location
}

// Snapshot is an immutable picture of everyone at one instant. Never modify a
// published snapshot: subscribers read it from other goroutines.
type Snapshot struct {
	Source      string
	At          time.Time
	GeneratedAt time.Time
	Engine      EngineState
	// People are the colleagues and, after them in the directory, the
	// meeting rooms (Person.Room set); Colleagues and MeetingRooms split them.
	People []*PersonState
	// DirectoryRevision tells a window whether its search index and row
	// order still fit People: it changes whenever the list's membership,
	// order or anyone's directory entry (Person) changes (a directory reload
	// that changed something, favourites reordered, rooms added), and stays
	// the same otherwise, whatever the states in it do. Zero (a snapshot
	// made by hand) means unknown: treat it as changed.
	DirectoryRevision uint64
	// RoomsErr is why the meeting rooms could not be listed (the organisation
	// has not approved Place.Read.All, the server failed); nil when they were,
	// or when the source lists none.
	RoomsErr error
	// RoomsOff is true when the configuration turned the meeting rooms off
	// (rooms = false): none are listed, and that is no fault.
	RoomsOff bool
}

// staleAfterIntervals is how many refresh intervals old a colleague's data may
// be before the operator is told it may have changed: one missed refresh is
// ordinary (a slow server), two are not. The same age ends an automatic-reply
// reading standing in for missing ones (MailTips or presence failing): it
// then reads unknown.
const staleAfterIntervals = 2

// Stale reports whether what the operator reads about p may be out of date at
// now: polling is paused, offline or held back, or p's data is older than two
// refresh intervals, or their latest answer could not be read (StaleReason).
// Data never fetched is not stale: it is unknown.
func (s Snapshot) Stale(p *PersonState, now time.Time) bool {
	if p.FetchedAt.IsZero() {
		return false
	}
	if s.Engine.Stale || p.StaleReason != nil {
		return true
	}
	return s.Engine.Interval > 0 && now.Sub(p.FetchedAt) > staleAfterIntervals*s.Engine.Interval
}

// OldestFetch is when the oldest data on show was fetched: what "updated"
// truthfully means for the whole list. Zero when nobody's data has arrived.
func (s Snapshot) OldestFetch() time.Time {
	var oldest time.Time
	for _, p := range s.People {
		if !p.FetchedAt.IsZero() && (oldest.IsZero() || p.FetchedAt.Before(oldest)) {
			oldest = p.FetchedAt
		}
	}
	return oldest
}

// ErrNoDataForPeriod is the reason a person with a calendar is still unknown:
// the server has no free/busy data for this moment.
var ErrNoDataForPeriod = errors.New("the server has no free/busy data for this time")

// ErrOutOfOfficeUnknown is the reason a colleague whose automatic replies
// were on at the last reading is unknown: that reading is older than two
// refresh intervals (MailTips or presence failed since).
var ErrOutOfOfficeUnknown = errors.New("automatic replies were on at the last reading, which is too old to go by")

// errOutsideWindow is the reason for a moment the last answer did not cover.
var errOutsideWindow = &ReasonError{Text: "no calendar data for this time", Reason: ErrNoDataForPeriod}

// DaySlots are the evaluated day's items, for the timeline: Slots, or the
// packed ones of a state the engine made. Each call makes them anew.
func (ps *PersonState) DaySlots() []Slot {
	if ps.Slots != nil || ps.dayItems == nil {
		return ps.Slots
	}
	out := make([]Slot, len(ps.dayItems))
	for i, p := range ps.dayItems {
		out[i] = p.unpack(ps.dayLoc)
	}
	return out
}

// Evaluate derives what the operator reads from one person's availability at t.
// day bounds the slots kept for the timeline.
func Evaluate(a Availability, t time.Time, day Window) PersonState {
	p := a.Person
	return evaluateFor(&p, a, t, day)
}

// evaluateFor is Evaluate with the state's Person given, so the engine's
// states share its directory's copy instead of each holding one.
func evaluateFor(person *Person, a Availability, t time.Time, day Window) PersonState {
	ps := PersonState{
		Person:       person,
		OutOfOffice:  a.OutOfOffice,
		Presence:     a.Presence,
		WorkLocation: a.WorkLocation,
		Err:          a.Err,
		FetchedAt:    a.FetchedAt,

		WorkingHours:       a.WorkingHours,
		WorkingHoursShared: !a.WorkingHours.IsZero(),
	}
	if !ps.WorkingHoursShared {
		ps.WorkingHours = assumedWorkingHours(t.Location())
	}
	if a.StatusMessage.ActiveAt(t) {
		// An expired note is not read out: "back at 15:00" at 16:00 misleads.
		ps.StatusMessage = a.StatusMessage
	}
	if a.Err != nil || !a.Window.Contains(t) {
		ps.Status = StatusUnknown
		if ps.Err == nil {
			ps.Err = errOutsideWindow
		}
		return ps
	}
	status, current := StatusAt(a.Slots, t)
	ps.Status = status
	if status == StatusUnknown {
		ps.Err = ErrNoDataForPeriod
	}
	switch {
	case (status == StatusFree || status == StatusUnknown) && a.OutOfOffice.Active && a.OutOfOffice.Unknown:
		// Away at the last reading, which is too old to stand for now: they may
		// be back, or not; never read out as free.
		ps.Status, ps.Err = StatusUnknown, ErrOutOfOfficeUnknown
	case (status == StatusFree || status == StatusUnknown) && a.OutOfOffice.Active:
		// Automatic replies on without a calendar item still mean "do not expect
		// them"; when they are back is unknown, so no next free either.
		ps.Status, ps.Err = StatusOOF, a.Err
	}
	if current != nil {
		ps.Current = current
		if current.Private && (current.Subject != "" || current.Location != "") {
			c := *current
			c.Subject, c.Location = "", ""
			ps.Current = &c
		}
	}
	if u, ok := Until(a.Slots, t); ok {
		ps.Until = u
		if ps.Status != status {
			// Out of office by automatic reply: the calendar's free period ending says
			// nothing about their return, unless a leave item follows straight on.
			ps.Until = time.Time{}
			if next, _ := StatusAt(a.Slots, u); next == StatusOOF {
				ps.Until, _ = Until(a.Slots, u)
			}
		}
	}
	if ps.Status == StatusFree {
		ps.Until = freeUntil(ps.Until, ps.WorkingHours, t)
	}
	if status != StatusFree && ps.Status == status {
		if nf, ok := NextFree(a.Slots, t, a.WorkingHours, a.Window); ok {
			ps.NextFree = nf
		}
	}
	ps.Slots = daySlots(a.Slots, day)
	return ps
}

// daySlots are the items of slots that touch day, private ones without subject
// or location. When those items lie side by side and no private one has a
// subject or location left (the roster clears them as answers arrive), they are
// a view of slots rather than a copy: a snapshot holds every colleague's day,
// and copying 5,000 days on each refresh doubled what the calendar data cost.
// Safe because an Availability's slots are never modified once answered, and
// the view's capacity ends with it, so an append cannot write into slots.
func daySlots(slots []Slot, day Window) []Slot {
	inDay := func(s Slot) bool { return s.End.After(day.Start) && s.Start.Before(day.End) }
	first, last, shareable := -1, -1, true
	for i, s := range slots {
		if !inDay(s) {
			continue
		}
		if first < 0 {
			first = i
		} else if last != i-1 {
			shareable = false
		}
		last = i
		if s.Private && (s.Subject != "" || s.Location != "") {
			shareable = false
		}
	}
	switch {
	case first < 0:
		return nil
	case shareable:
		return slots[first : last+1 : last+1]
	}
	out := make([]Slot, 0, last+1-first)
	for _, s := range slots[first : last+1] {
		if inDay(s) {
			if s.Private {
				s.Subject, s.Location = "", ""
			}
			out = append(out, s)
		}
	}
	return out
}

// mondayToFriday is the days of every assumed working week. Snapshots share
// it: a published snapshot is never modified.
var mondayToFriday = DefaultWorkingHours(nil).Days

// assumedWorkingHours is DefaultWorkingHours without a new slice per person
// and refresh.
func assumedWorkingHours(loc *time.Location) WorkingHours {
	return WorkingHours{Days: mondayToFriday, Start: defaultWorkStart, End: defaultWorkEnd, Location: loc}
}

// OverallState is ok, or partial when anyone is unknown or shown from an
// earlier answer because their latest could not be read.
func OverallState(people []*PersonState) State {
	for _, p := range people {
		if p.Person.IsRoom() {
			// A room whose calendar is not published says nothing about
			// the colleagues: "some people unknown" (and exit 1) is theirs.
			continue
		}
		if p.Status == StatusUnknown || p.StaleReason != nil {
			return StatePartial
		}
	}
	return StateOK
}

// DayOf returns local midnight to midnight around t in loc; DST days are 23 or 25 hours.
func DayOf(t time.Time, loc *time.Location) Window {
	l := t.In(loc)
	start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	return Window{Start: start, End: start.AddDate(0, 0, 1)}
}

type jsonOOF struct {
	Active  bool   `json:"active"`
	Message string `json:"message"`
	// AsOf is set when the state is an earlier reading (this refresh had none).
	AsOf *time.Time `json:"as_of,omitempty"`
	// Unknown: that reading is older than two refresh intervals.
	Unknown bool `json:"unknown,omitempty"`
}

func jsonOOFOf(o OutOfOffice, loc *time.Location) jsonOOF {
	out := jsonOOF{Active: o.Active, Message: o.Message, Unknown: o.Unknown}
	if o.Kept || o.Unknown {
		out.AsOf = optTime(o.AsOf.Truncate(time.Second), loc)
	}
	return out
}

type jsonStatusMessage struct {
	Text    string     `json:"text"`
	Expires *time.Time `json:"expires"`
}

type jsonPerson struct {
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	Department  string     `json:"department"`
	Phone       string     `json:"phone"`
	Status      Status     `json:"status"`
	Until       *time.Time `json:"until"`
	NextFree    *time.Time `json:"next_free"`
	FreeFor     *int       `json:"free_for"`
	Subject     string     `json:"subject"`
	Location    string     `json:"location"`
	Private     bool       `json:"private"`
	OutOfOffice jsonOOF    `json:"out_of_office"`
	Presence    string     `json:"presence"`
	// StatusMessage is null when there is none or it has expired; WorkLocation
	// null when the source told none.
	StatusMessage *jsonStatusMessage `json:"status_message"`
	WorkLocation  *WorkLocation      `json:"work_location"`
	Error         string             `json:"error"`
	FetchedAt     *time.Time         `json:"fetched_at"`
	Stale         bool               `json:"stale"`
	Slots         []Slot             `json:"slots,omitempty"`
	// Room is set for the entries of "rooms": capacity, building, floor.
	Room *Room `json:"room,omitempty"`
}

// jsonSnapshotHead is the document's fields before its lists, apart from
// them so that WriteJSON can stream the lists one person at a time.
type jsonSnapshotHead struct {
	Source      string       `json:"source"`
	At          time.Time    `json:"at"`
	GeneratedAt time.Time    `json:"generated_at"`
	State       State        `json:"state"`
	StateReason string       `json:"state_reason,omitempty"`
	RetryAt     *time.Time   `json:"retry_at,omitempty"`
	Stale       bool         `json:"stale"`
	LastSuccess *time.Time   `json:"last_success"`
	Notice      string       `json:"notice,omitempty"`
	Limitations []Limitation `json:"limitations,omitempty"`
	// DirectorySaved: the people are the saved directory of this time, not a live listing.
	DirectorySaved *time.Time `json:"directory_saved_at,omitempty"`
}

type jsonSnapshot struct {
	jsonSnapshotHead
	People []jsonPerson `json:"people"`
	// Rooms are the meeting rooms, apart from the colleagues so that scripts
	// reading "people" see colleagues only.
	Rooms      []jsonPerson `json:"rooms,omitempty"`
	RoomsError string       `json:"rooms_error,omitempty"`
}

func optTime(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	l := t.In(loc)
	return &l
}

// MarshalJSON writes the `status --json` contract the README documents, times in the
// snapshot's zone. It holds the whole document in memory; WriteJSON streams
// the same document indented.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	out := jsonSnapshot{
		jsonSnapshotHead: s.jsonHead(),
		People:           make([]jsonPerson, 0, len(s.People)),
	}
	if s.RoomsErr != nil {
		out.RoomsError = s.RoomsErr.Error()
	}
	for _, p := range s.People {
		if p.Person.IsRoom() {
			out.Rooms = append(out.Rooms, s.jsonPersonOf(p))
			continue
		}
		out.People = append(out.People, s.jsonPersonOf(p))
	}
	return json.Marshal(out)
}

func (s Snapshot) jsonHead() jsonSnapshotHead {
	loc := s.At.Location()
	head := jsonSnapshotHead{
		Source:      s.Source,
		At:          s.At.Truncate(time.Second),
		GeneratedAt: s.GeneratedAt.In(loc).Truncate(time.Second),
		State:       s.Engine.State,
		RetryAt:     optTime(s.Engine.Until, loc),
		Stale:       s.Engine.Stale,
		LastSuccess: optTime(s.Engine.LastSuccess.Truncate(time.Second), loc),
		Notice:      s.Engine.Notice,
		Limitations: s.Engine.Limitations,
	}
	head.DirectorySaved = optTime(s.Engine.DirectorySaved.Truncate(time.Second), loc)
	if s.Engine.Reason != nil {
		head.StateReason = s.Engine.Reason.Error()
	}
	return head
}

func (s Snapshot) jsonPersonOf(p *PersonState) jsonPerson {
	loc := s.At.Location()
	jp := jsonPerson{
		Name:        p.Person.Name,
		Email:       p.Person.Email,
		Department:  p.Person.Department,
		Phone:       p.Person.Phone,
		Status:      p.Status,
		Until:       optTime(p.Until, loc),
		NextFree:    optTime(p.NextFree, loc),
		OutOfOffice: jsonOOFOf(p.OutOfOffice, loc),
		Presence:    p.Presence,
		FetchedAt:   optTime(p.FetchedAt.Truncate(time.Second), loc),
		Stale:       s.Stale(p, s.At),
	}
	if m, ok := p.FreeFor(s.At); ok {
		jp.FreeFor = &m
	}
	if p.StatusMessage.Text != "" {
		jp.StatusMessage = &jsonStatusMessage{Text: p.StatusMessage.Text, Expires: optTime(p.StatusMessage.Expires, loc)}
	}
	if p.WorkLocation != WorkLocationNone {
		jp.WorkLocation = &p.WorkLocation
	}
	if p.Current != nil {
		jp.Subject, jp.Location, jp.Private = p.Current.Subject, p.Current.Location, p.Current.Private
	}
	switch {
	case p.Err != nil:
		jp.Error = p.Err.Error()
	case p.StaleReason != nil:
		jp.Error = p.StaleReason.Error()
	}
	if day := p.DaySlots(); len(day) > 0 {
		jp.Slots = make([]Slot, 0, len(day))
		for _, sl := range day {
			sl.Start, sl.End = sl.Start.In(loc), sl.End.In(loc)
			jp.Slots = append(jp.Slots, sl)
		}
	}
	if p.Person.IsRoom() {
		jp.Room = p.Person.Room
	}
	return jp
}

// jsonIndent is the indentation of `status --json`.
const jsonIndent = "  "

// WriteJSON writes the document MarshalJSON makes, indented by two spaces and
// ending in a newline: the bytes a json.Encoder with SetIndent("", "  ")
// writes for s. It encodes one person at a time into a buffered writer, so
// memory stays that of the snapshot at any size (the whole document, then
// indented, took 1.8 GB at 100,000 people). It stops at the first failed write.
func (s Snapshot) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	head, err := json.MarshalIndent(s.jsonHead(), "", jsonIndent)
	if err != nil {
		return err
	}
	// The head always has "source": it ends "\n}", and the object goes on.
	bw.Write(head[:len(head)-len("\n}")])
	bw.WriteString(",\n" + jsonIndent + `"people": `)
	if err := s.writeJSONList(bw, false); err != nil {
		return err
	}
	if s.hasRooms() {
		bw.WriteString(",\n" + jsonIndent + `"rooms": `)
		if err := s.writeJSONList(bw, true); err != nil {
			return err
		}
	}
	if s.RoomsErr != nil && s.RoomsErr.Error() != "" {
		msg, err := json.Marshal(s.RoomsErr.Error())
		if err != nil {
			return err
		}
		bw.WriteString(",\n" + jsonIndent + `"rooms_error": `)
		bw.Write(msg)
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func (s Snapshot) hasRooms() bool {
	for _, p := range s.People {
		if p.Person.IsRoom() {
			return true
		}
	}
	return false
}

// writeJSONList writes the colleagues, or the rooms, as an array at the
// document's second level, as json.Indent lays it out: "[]" when empty.
func (s Snapshot) writeJSONList(bw *bufio.Writer, rooms bool) error {
	const itemPrefix = jsonIndent + jsonIndent
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(itemPrefix, jsonIndent)
	first := true
	for _, p := range s.People {
		if p.Person.IsRoom() != rooms {
			continue
		}
		sep := ",\n" + itemPrefix
		if first {
			sep, first = "[\n"+itemPrefix, false
		}
		buf.Reset()
		if err := enc.Encode(s.jsonPersonOf(p)); err != nil {
			return err
		}
		bw.WriteString(sep)
		// Encode ends each value with a newline; the separator comes first.
		if _, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))); err != nil {
			return err
		}
	}
	if first {
		_, err := bw.WriteString("[]")
		return err
	}
	_, err := bw.WriteString("\n" + jsonIndent + "]")
	return err
}
