package calendar

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DemoSourceName is the contract's name for the built-in fictional company.
const DemoSourceName = "demo"

// Demo is a fictional company with a realistic, deterministic calendar for any
// date, so the console can be tried and tested with no server and no account.
type Demo struct {
	loc *time.Location
	// emails are everyone's addresses, by index. The rest of a colleague's
	// entry is made from the index as the directory is asked for (person):
	// the stand-in server holds no copy of the listing beside the console's
	// own (6.8 MB at 50,000). A colleague asked about is found by the index
	// in their ID; byEmail, the reverse of emails, is made only for one
	// asked about by address alone (3 MB at 50,000 that the console's own
	// requests never need).
	emails      []string
	byEmailOnce sync.Once
	byEmail     map[string]int
	// office are everyone's working hours but the few in own, by index, who
	// keep hours of their own: one value, not one per colleague (4.8 MB at
	// 100,000).
	office WorkingHours
	own    map[int]WorkingHours
	// Now is the demo's clock for presence, which says what a colleague is doing
	// at this moment rather than over the window; nil means time.Now.
	Now func() time.Time
}

var demoDepartments = []string{"Management", "Sales", "Finance", "Engineering", "Support", "People & HR", "Legal", "Marketing", "Facilities"}

var demoTitles = map[string][]string{
	"Management":  {"Managing Director", "Chief of Staff"},
	"Sales":       {"Account Manager", "Sales Lead"},
	"Finance":     {"Accountant", "Controller"},
	"Engineering": {"Software Engineer", "Engineering Manager"},
	"Support":     {"Support Specialist", "Support Lead"},
	"People & HR": {"HR Partner", "Recruiter"},
	"Legal":       {"Counsel", "Paralegal"},
	"Marketing":   {"Marketing Manager", "Designer"},
	"Facilities":  {"Facilities Coordinator", "Office Manager"},
}

var demoFirst = []string{"Ada", "Ben", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
	"Kavya", "Liam", "Maya", "Nils", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara"}

var demoLast = []string{"Abbott", "Berger", "Castillo", "Dahl", "Eriksen", "Fontaine", "Gupta", "Holm"}

var demoOffices = []string{"London, 3rd floor", "London, 4th floor", "Milan", "Munich", "Remote"}

var demoSubjects = []string{"Weekly team sync", "Customer call: Northwind", "1:1", "Budget review", "Interview",
	"Project Atlas planning", "Supplier visit", "Design review", "Quarterly forecast", "Training: first aid",
	"Contract negotiation", "Onboarding session", "Board prep", "Sprint review", "Lunch with a client"}

var demoRooms = []string{"Room Aurora", "Room Borealis", "Teams", "Room Cedar", "Teams", "Client site", "Room Delta"}

// Fixed roles make the demo show every status an operator meets.
const (
	demoOnLeave     = 3  // out of office on odd ISO weeks, with an automatic reply
	demoOnLeaveEven = 15 // the same on even weeks: someone is always away
	demoRemote      = 7  // working elsewhere all day
	demoUnreadable  = 11 // calendar not shared
	demoPrivate     = 5  // a private appointment
	demoPeopleCount = 60

	// DefaultDemoPeople is the size of the demo company unless asked otherwise.
	DefaultDemoPeople = demoPeopleCount

	// demoEmoji has an emoji in their name and in their Teams note, as real
	// colleagues do, to see what the window draws for them. It is the first
	// colleague past the default company (--demo-people 61 and more), so the
	// default demo, its golden files and the e2e tests stay as they were.
	demoEmoji = demoPeopleCount
)

// demoOwnHours are the colleagues who keep hours other than the office's, so
// the timeline shows a working day in another zone: New York (the operator's
// evening), Bangalore (their early morning), Los Angeles (across the
// operator's midnight), and a part-timer in the operator's own zone who works
// four mornings a week. An empty zone is the operator's.
var demoOwnHours = map[int]struct {
	zone       string
	days       []time.Weekday
	start, end time.Duration
}{
	24: {"America/New_York", mondayToFriday, 9 * time.Hour, 17*time.Hour + 30*time.Minute},
	29: {"", []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}, 8*time.Hour + 30*time.Minute, 13 * time.Hour},
	34: {"Asia/Kolkata", mondayToFriday, 9*time.Hour + 30*time.Minute, 18 * time.Hour},
	39: {"America/Los_Angeles", mondayToFriday, 8 * time.Hour, 16*time.Hour + 30*time.Minute},
}

// NewDemo returns the demo company with its days laid out in loc.
func NewDemo(loc *time.Location) *Demo { return NewDemoOfSize(loc, DefaultDemoPeople) }

// NewDemoOfSize returns a demo company of n people (at least the 12 whose fixed
// roles show every status), for measuring the console at a real company's size.
func NewDemoOfSize(loc *time.Location, n int) *Demo {
	if loc == nil {
		loc = time.Local
	}
	if n <= 0 {
		n = DefaultDemoPeople
	}
	n = max(n, demoUnreadable+1)
	emails := make([]string, n)
	taken := make(map[string]bool, n)
	for i := range n {
		first, last := demoName(i)
		local := strings.ToLower(asciiOnly(first) + "." + last)
		if taken[local+"@demo.example"] {
			// Past the 60 of the default company names repeat, as in a large one;
			// the mail stays unique because it is the person's key.
			local = fmt.Sprintf("%s.%d", local, i)
		}
		emails[i] = local + "@demo.example"
		taken[emails[i]] = true
	}
	d := &Demo{loc: loc, emails: emails, office: DefaultWorkingHours(loc), own: map[int]WorkingHours{}}
	for i, h := range demoOwnHours {
		if i >= n {
			continue
		}
		zone := loc
		if h.zone != "" {
			z, err := time.LoadLocation(h.zone)
			if err != nil {
				continue // no time zone database here: office hours, as Outlook would assume
			}
			zone = z
		}
		d.own[i] = WorkingHours{Days: h.days, Start: h.start, End: h.end, Location: zone}
	}
	return d
}

// demoName is colleague i's first and last name.
func demoName(i int) (first, last string) {
	return demoFirst[i%len(demoFirst)], demoLast[(i*7+i/len(demoFirst))%len(demoLast)]
}

// person is colleague i's directory entry, the same at every call.
func (d *Demo) person(i int) Person {
	first, last := demoName(i)
	name := first + " " + last
	if i == demoEmoji {
		name += " \U0001F33B" // sunflower
	}
	dept := demoDepartments[i%len(demoDepartments)]
	return Person{
		ID:          fmt.Sprintf("demo-%02d", i),
		Name:        name,
		Email:       d.emails[i],
		Department:  dept,
		JobTitle:    demoTitles[dept][(i/len(demoDepartments))%2],
		Office:      demoOffices[i%len(demoOffices)],
		Phone:       demoPhone(i),
		MobilePhone: fmt.Sprintf("+1 555 7%03d %03d", i/1000%1000, i%1000),
	}
}

func demoPhone(i int) string {
	if i < 100 {
		return fmt.Sprintf("+1 555 01%02d", i)
	}
	return fmt.Sprintf("+1 555 %04d", 1000+i%9000)
}

func asciiOnly(s string) string {
	return strings.NewReplacer("é", "e", "ö", "o").Replace(s)
}

func (d *Demo) Name() string   { return DemoSourceName }
func (d *Demo) Limits() Limits { return Limits{BatchSize: 20, MaxConcurrent: 4} }

// Directory returns a listing of its own: callers may sort or filter it.
func (d *Demo) Directory(ctx context.Context) ([]Person, error) {
	people := make([]Person, len(d.emails))
	for i := range people {
		people[i] = d.person(i)
	}
	return people, ctx.Err()
}

// errNotInDemo is the answer for an address the demo company does not have.
var errNotInDemo = &ReasonError{Text: "not in the demo directory", Reason: ErrMailboxNotFound}

// Availability lays out each requested person's days in the window.
func (d *Demo) Availability(ctx context.Context, people []Person, w Window) ([]Availability, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]Availability, len(people))
	for i, p := range people {
		idx := d.indexOf(p)
		// A calendar that cannot be read shares no working hours either.
		a := Availability{Person: p, Window: w, FetchedAt: d.now()}
		room := demoRoomIndex(p.Email)
		switch {
		case room >= 0:
			a.Slots = d.roomSlots(room, w)
		case idx < 0:
			a.Err = errNotInDemo
		case idx == demoUnreadable:
			a.Err = ErrCalendarNotShared
		default:
			a.WorkingHours = d.hours(idx)
			a.Slots = d.slots(idx, w)
			if onLeave(idx, w.Start) {
				a.OutOfOffice = OutOfOffice{Active: true, Message: d.leaveReply(w.Start)}
			}
			a.Presence = demoPresence(idx, a.Slots, d.now())
			if _, outside := a.WorkingHours.Outside(d.now()); d.hasOwnHours(idx) && outside {
				a.Presence = "Offline"
			}
			a.StatusMessage = d.statusMessage(idx)
			a.WorkLocation = d.workLocation(idx, w.Start)
		}
		out[i] = a
	}
	return out, nil
}

// hours are colleague idx's working hours.
func (d *Demo) hours(idx int) WorkingHours {
	if wh, ok := d.own[idx]; ok {
		return wh
	}
	return d.office
}

func (d *Demo) hasOwnHours(idx int) bool {
	_, ok := d.own[idx]
	return ok
}

func (d *Demo) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// leaveReply is the automatic reply of the colleague on leave: back on the Monday
// after the week that contains t, so the date is right on any day it is read.
func (d *Demo) leaveReply(t time.Time) string {
	day := DayOf(t, d.loc).Start
	back := day.AddDate(0, 0, 7-int((day.Weekday()+6)%7))
	return fmt.Sprintf("I am on leave until %s. For urgent matters please call Maya Holm on +1 555 0112.", back.Format("Monday 2 January"))
}

// Colleagues with a Teams note of their own: one all day, one expiring
// within the hour (its time in the text), one that expired an hour ago and
// so never shows, and one without expiry.
const (
	demoNoteAllDay   = demoRemote
	demoNoteSoon     = 2
	demoNoteExpired  = 9
	demoNoteNoExpiry = 13
)

// statusMessage is the colleague's Teams note at the demo's clock, with
// expiries relative to it so that one is always about to end and one always
// over, whenever the demo is opened.
func (d *Demo) statusMessage(idx int) StatusMessage {
	now := d.now().In(d.loc)
	soon := now.Truncate(time.Hour).Add(time.Hour)
	if soon.Sub(now) < 30*time.Minute {
		soon = soon.Add(time.Hour)
	}
	switch idx {
	case demoNoteAllDay:
		return StatusMessage{Text: "Working from home today, call my mobile"}
	case demoNoteSoon:
		return StatusMessage{Text: "Back at " + soon.Format("15:04") + ", call my mobile", Expires: soon}
	case demoNoteExpired:
		past := now.Truncate(time.Hour).Add(-time.Hour)
		return StatusMessage{Text: "Running late, in at " + past.Format("15:04"), Expires: past}
	case demoNoteNoExpiry:
		return StatusMessage{Text: "For invoices please ask Maya Holm"}
	case demoEmoji:
		return StatusMessage{Text: "Back at " + soon.Format("15:04") + " \U0001F334 call my mobile \U0001F4DE", Expires: soon} // palm tree, telephone receiver
	}
	return StatusMessage{}
}

// workLocation is where the colleague works on the window's first day: time
// off when on leave, remote for the home workers, the office otherwise on a
// weekday; nothing set at the weekend.
func (d *Demo) workLocation(idx int, t time.Time) WorkLocation {
	switch day := t.In(d.loc).Weekday(); {
	case onLeave(idx, t):
		return WorkLocationTimeOff
	case idx == demoRemote || demoOffices[idx%len(demoOffices)] == "Remote":
		return WorkLocationRemote
	case day == time.Saturday || day == time.Sunday:
		return WorkLocationNone
	}
	return WorkLocationOffice
}

// demoPresence is what Teams would say at now, in Graph's words
// ("availability (activity)"), following the calendar as Teams does, with a few
// colleagues set to do-not-disturb or away between meetings.
func demoPresence(idx int, slots []Slot, now time.Time) string {
	status, current := StatusAt(slots, now)
	switch status {
	case StatusOOF:
		return "Offline (OffWork)"
	case StatusBusy:
		if current != nil && current.Location == "Teams" {
			return "Busy (InACall)"
		}
		return "Busy (InAMeeting)"
	}
	if h := now.Hour(); h < 7 || h >= 19 || now.Weekday() == time.Saturday || now.Weekday() == time.Sunday {
		return "Offline"
	}
	switch idx % 9 {
	case 4:
		return "DoNotDisturb (Presenting)"
	case 6:
		return "Away (BeRightBack)"
	}
	return "Available"
}

func (d *Demo) indexOf(p Person) int {
	if n, ok := strings.CutPrefix(p.ID, "demo-"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 0 && i < len(d.emails) && strings.EqualFold(d.emails[i], p.Email) {
			return i
		}
	}
	d.byEmailOnce.Do(func() {
		d.byEmail = make(map[string]int, len(d.emails))
		for i, e := range d.emails {
			d.byEmail[e] = i
		}
	})
	if i, ok := d.byEmail[strings.ToLower(p.Email)]; ok {
		return i
	}
	return -1
}

func (d *Demo) slots(idx int, w Window) []Slot {
	var out []Slot
	seen := map[time.Time]bool{} // a multi-day item is laid out by each day it covers; keep one
	// Each day is laid out in the colleague's own zone, as their calendar is.
	first := DayOf(w.Start, d.hours(idx).Location).Start
	for day := first; day.Before(w.End); day = day.AddDate(0, 0, 1) {
		for _, s := range d.day(idx, day) {
			if (s.AllDay && seen[s.Start]) || !s.End.After(w.Start) || !s.Start.Before(w.End) {
				continue
			}
			seen[s.Start] = true
			out = append(out, s)
		}
	}
	return out
}

// day builds one person's day from a seed of their index and the date, so the
// same date always looks the same and every date looks different. day is
// midnight in the colleague's zone; their meetings start inside their hours.
func (d *Demo) day(idx int, day time.Time) []Slot {
	wh := d.hours(idx)
	weekday := day.Weekday()
	if !hasDay(wh.Days, weekday) {
		return nil
	}
	loc := day.Location()
	at := func(h, m int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc) }
	if onLeave(idx, day) {
		// A week's leave booked through to the Monday of return, as people book
		// it: one item, shown on every day it covers.
		monday := day.AddDate(0, 0, -int((weekday+6)%7))
		return []Slot{{Start: monday, End: monday.AddDate(0, 0, 7), Status: StatusOOF, Subject: "Annual leave", AllDay: true}}
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", idx, day.Format(time.DateOnly))
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(idx)))

	var out []Slot
	if idx == demoRemote && d.remoteDay(day) {
		// Working from home on alternate weekdays, with calls only in the morning:
		// the operator reads "Working elsewhere" with a sensible end and next free.
		return []Slot{
			{Start: day, End: day.AddDate(0, 0, 1), Status: StatusElsewhere, Subject: "Working from home", AllDay: true},
			{Start: at(9, 0), End: at(9, 30), Status: StatusBusy, Subject: "Team check-in", Location: "Teams"},
		}
	}
	if idx == demoPrivate {
		out = append(out, Slot{Start: at(9, 30), End: at(11, 0), Status: StatusBusy, Subject: "Doctor", Location: "Clinic", Private: true})
	}
	// The management team meets every morning: a known busy block at 10:00 for demos.
	if idx%len(demoDepartments) == 0 {
		out = append(out, Slot{Start: at(9, 45), End: at(10, 30), Status: StatusBusy, Subject: "Management stand-up", Location: "Room Aurora"})
	}
	meetings := 2 + rng.IntN(4)
	for range meetings {
		// A start on the half hour inside their hours: 08:00 .. 16:30 in the office.
		startHalfHours := int(wh.Start/halfHour) + rng.IntN(int((wh.End-wh.Start)/halfHour))
		length := 1 + rng.IntN(3) // 30 .. 90 minutes
		start := at(startHalfHours/2, (startHalfHours%2)*30)
		status := StatusBusy
		if rng.IntN(5) == 0 {
			status = StatusTentative
		}
		out = append(out, Slot{
			Start:    start,
			End:      start.Add(time.Duration(length) * 30 * time.Minute),
			Status:   status,
			Subject:  demoSubjects[rng.IntN(len(demoSubjects))],
			Location: demoRooms[rng.IntN(len(demoRooms))],
		})
	}
	return out
}

const halfHour = 30 * time.Minute

// remoteDay says whether the remote colleague works from home on day: Mondays
// and Wednesdays, so "next free" lands on the next day in the office.
func (d *Demo) remoteDay(day time.Time) bool {
	return day.Weekday() == time.Monday || day.Weekday() == time.Wednesday
}

// onLeave says whether idx is on leave in the week of t: the two colleagues on
// leave take alternate weeks, so the leave ends on the Monday the reply names
// instead of running on week after week.
func onLeave(idx int, t time.Time) bool {
	_, week := t.ISOWeek()
	return (idx == demoOnLeave && week%2 == 1) || (idx == demoOnLeaveEven && week%2 == 0)
}
