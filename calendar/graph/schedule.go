package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// ScheduleError is Graph's answer for one schedule it could not read (not
// shared, no mailbox): that person is unknown, the rest of the batch is fine.
type ScheduleError struct {
	Code    string // Graph's responseCode, such as ErrorMailRecipientNotFound
	Message string
}

func (e *ScheduleError) Error() string {
	switch {
	case e.Message != "" && e.Code != "":
		return e.Message + " (" + e.Code + ")"
	case e.Message != "":
		return e.Message
	case e.Code != "":
		return e.Code
	}
	return "Graph could not read this calendar"
}

// Is matches the calendar reason Graph's responseCode stands for
// (calendar.ReasonForCode), so the console can say it in the operator's words.
func (e *ScheduleError) Is(target error) bool {
	reason := calendar.ReasonForCode(e.Code)
	return reason != nil && target == reason
}

var errNoMail = &calendar.ReasonError{Text: "no mail address: Graph cannot read this calendar", Reason: calendar.ErrNoMailAddress}
var errNoAnswer = errors.New("no schedule returned for this person")

// Availability asks getSchedule about one batch, and presence alongside it.
// A batch over the server's limit is split, though the refresh engine never
// sends one: it honours Limits.
func (s *Source) Availability(ctx context.Context, people []calendar.Person, window calendar.Window) ([]calendar.Availability, error) {
	if len(people) > s.opts.BatchSize {
		out := make([]calendar.Availability, 0, len(people))
		for _, b := range calendar.Batches(people, s.opts.BatchSize) {
			av, err := s.Availability(ctx, b, window)
			if err != nil {
				return nil, err
			}
			out = append(out, av...)
		}
		return out, nil
	}
	if window.End.Sub(window.Start) > maxScheduleWindow {
		window.End = window.Start.Add(maxScheduleWindow)
	}

	presenceDone := make(chan map[string]presenceInfo, 1)
	go func() { presenceDone <- s.presenceFor(ctx, people) }()

	schedules, unreadable, err := s.getSchedule(ctx, people, window)
	presence := <-presenceDone
	if unknown, ok := calendar.UnknownBatch(people, window, err); ok {
		s.log.Warn("graph: unreadable getSchedule answer: this batch is unknown", "people", len(people), "err", err)
		return unknown, nil
	}
	if err != nil {
		return nil, err
	}
	fetched := s.opts.Now()
	_, zone := preferZoneName(s.opts.Location)
	operator := s.opts.Location
	byID := make(map[string]*scheduleInformation, len(schedules))
	for i := range schedules {
		byID[strings.ToLower(schedules[i].ScheduleID)] = &schedules[i]
	}
	// A schedule that does not read is that colleague's alone; one whose
	// scheduleId does not read either is someone's among those left unanswered.
	unreadableByID := map[string]error{}
	var unreadableAnon error
	for _, bad := range unreadable {
		s.log.Debug("graph: a schedule of the getSchedule answer does not read", "record", bad.Index+1, "schedule", bad.ID, "err", bad.Err)
		switch {
		case bad.ID != "":
			unreadableByID[strings.ToLower(bad.ID)] = bad.reason("schedule")
		case unreadableAnon == nil:
			unreadableAnon = bad.reason("schedule")
		}
	}
	out := make([]calendar.Availability, len(people))
	for i, p := range people {
		a := calendar.Availability{Person: p, Window: window, FetchedAt: fetched}
		switch si := byID[strings.ToLower(p.Email)]; {
		case p.Email == "":
			a.Err = errNoMail
		case si != nil:
			applySchedule(&a, si, zone, operator)
		case unreadableByID[strings.ToLower(p.Email)] != nil:
			a.Err = unreadableByID[strings.ToLower(p.Email)]
		case unreadableAnon != nil:
			a.Err = unreadableAnon
		default:
			a.Err = errNoAnswer
		}
		if pr, ok := presence[p.ID]; ok && p.ID != "" {
			a.Presence = pr.text
			a.OutOfOffice = pr.oof
			a.StatusMessage, a.WorkLocation = pr.note, pr.location
		}
		out[i] = a
	}
	return out, nil
}

// getSchedule asks about the batch; unreadable are the schedules of the
// answer that did not read, while the rest did.
func (s *Source) getSchedule(ctx context.Context, people []calendar.Person, window calendar.Window) (schedules []scheduleInformation, unreadable []unreadableRecord, err error) {
	const op = "graph.getSchedule"
	var emails []string
	for _, p := range people {
		if p.Email != "" {
			emails = append(emails, p.Email)
		}
	}
	if len(emails) == 0 {
		return nil, nil, nil
	}
	zoneName, zone := preferZoneName(s.opts.Location)
	body := scheduleRequestBody{
		Schedules:                emails,
		StartTime:                dateTimeTimeZoneOf(window.Start.In(zone), zoneName),
		EndTime:                  dateTimeTimeZoneOf(window.End.In(zone), zoneName),
		AvailabilityViewInterval: int(ViewInterval / time.Minute),
	}
	u, err := s.endpoint("/me/calendar/getSchedule", nil)
	if err != nil {
		return nil, nil, &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
	}
	// Room for every schedule asked about: the decoder fills it in place
	// (legacy merge) instead of growing the slice five times.
	answer := scheduleResponse{Value: make([]scheduleInformation, 0, len(emails))}
	headers := map[string]string{"Prefer": `outlook.timezone="` + zoneName + `"`}
	if err := s.call(ctx, op, http.MethodPost, u, headers, body, &answer); err != nil {
		return nil, nil, err
	}
	return answer.Value, answer.Unreadable, nil
}

const graphDateTime = "2006-01-02T15:04:05.9999999"

func dateTimeTimeZoneOf(t time.Time, zoneName string) dateTimeTimeZone {
	return dateTimeTimeZone{DateTime: t.Format("2006-01-02T15:04:05"), TimeZone: zoneName}
}

// applySchedule fills a from one scheduleInformation: its error, or its items
// (the merged availabilityView where no items came back) and working hours.
// An item without a usable start or end cannot be placed, and leaving it out
// would show its time as free: then the availabilityView, which covers the
// whole window, decides instead, and without one the person is unknown.
// zone is the one Graph was asked to answer in (for times without a zone
// name); operator is the operator's, in which an item is all-day or not and
// hours without a zone of their own are read.
func applySchedule(a *calendar.Availability, si *scheduleInformation, zone, operator *time.Location) {
	if fe := si.Error; fe != nil && (fe.ResponseCode != nil || fe.Message != nil) {
		a.Err = &ScheduleError{Code: deref(fe.ResponseCode), Message: calendar.ScrubSecrets(deref(fe.Message))}
		return
	}
	a.WorkingHours = workingHoursOf(si.WorkingHours, operator)
	items := si.ScheduleItems
	view := si.AvailabilityView
	unusable := 0
	for i := range items {
		slot, ok, err := slotOf(&items[i], zone, operator)
		if err != nil {
			unusable++
			continue
		}
		if ok {
			a.Slots = append(a.Slots, slot)
		}
	}
	switch {
	case len(items) == 0:
		a.Slots = slotsFromView(view, a.Window.Start, ViewInterval)
	case unusable > 0 && view != "":
		a.Slots = slotsFromView(view, a.Window.Start, ViewInterval)
	case unusable > 0:
		a.Slots = nil
		a.Err = &UnusableItemsError{Items: unusable}
	}
}

// UnusableItemsError marks a person whose calendar items Graph sent without a
// usable start or end, and no availabilityView to read instead.
type UnusableItemsError struct{ Items int }

func (e *UnusableItemsError) Error() string {
	return fmt.Sprintf("Graph sent %d calendar item(s) without a usable start or end, and no free/busy view", e.Items)
}

// Is reports UnusableItemsError as an answer Frontdesk could not read for this person.
func (e *UnusableItemsError) Is(target error) bool { return target == calendar.ErrUnreadableAnswer }

var errItemTimes = errors.New("calendar item without a usable start or end")

// slotOf converts one schedule item. ok is false for items that change
// nothing (free entries, zero length); err marks an item that cannot be placed
// in time. An item with no status or an unknown one is a period without data.
// Whether it is all-day is decided in the operator's zone.
func slotOf(it *scheduleItem, zone, operator *time.Location) (slot calendar.Slot, ok bool, err error) {
	status := statusOf(it.Status)
	start, ok1 := parseDateTimeTimeZone(&it.Start, zone)
	end, ok2 := parseDateTimeTimeZone(&it.End, zone)
	if !ok1 || !ok2 || end.Before(start) {
		return calendar.Slot{}, false, errItemTimes
	}
	if status == calendar.StatusFree || !end.After(start) {
		return calendar.Slot{}, false, nil
	}
	slot = calendar.Slot{Start: start, End: end, Status: status}
	if it.IsPrivate {
		// Never keep what a private item says, even if the server sent it.
		slot.Private = true
	} else {
		slot.Subject = it.Subject
		slot.Location = it.Location
	}
	slot.AllDay = calendar.IsAllDay(start, end, operator)
	return slot, true, nil
}

// statusOf reads Graph's freeBusyStatus; a missing or unknown one is a period
// without data.
func statusOf(s string) calendar.Status {
	switch s {
	case "free":
		return calendar.StatusFree
	case "tentative":
		return calendar.StatusTentative
	case "busy":
		return calendar.StatusBusy
	case "oof":
		return calendar.StatusOOF
	case "workingElsewhere":
		return calendar.StatusElsewhere
	}
	return calendar.StatusUnknown
}

// viewDigits are Graph's availabilityView digits; 4 is working elsewhere in
// Graph (EWS uses it for "no data").
var viewDigits = map[byte]calendar.Status{
	'0': calendar.StatusFree,
	'1': calendar.StatusTentative,
	'2': calendar.StatusBusy,
	'3': calendar.StatusOOF,
	'4': calendar.StatusElsewhere,
}

// slotsFromView merges runs of equal digits into slots, from start, interval
// each. A character that is not one of Graph's digits is a period without
// data: Unknown, never free.
func slotsFromView(view string, start time.Time, interval time.Duration) []calendar.Slot {
	var out []calendar.Slot
	for i := 0; i < len(view); {
		j := i
		for j < len(view) && view[j] == view[i] {
			j++
		}
		status, ok := viewDigits[view[i]]
		if !ok {
			status = calendar.StatusUnknown
		}
		if status != calendar.StatusFree {
			out = append(out, calendar.Slot{
				Start:  start.Add(time.Duration(i) * interval),
				End:    start.Add(time.Duration(j) * interval),
				Status: status,
			})
		}
		i = j
	}
	return out
}

func parseDateTimeTimeZone(d *dateTimeTimeZone, fallback *time.Location) (time.Time, bool) {
	if d == nil || d.DateTime == "" {
		return time.Time{}, false
	}
	loc, ok := zoneByName(d.TimeZone)
	if !ok {
		loc = fallback
	}
	t, err := time.ParseInLocation(graphDateTime, d.DateTime, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// workingHoursOf reads the colleague's working hours in their own zone: a
// Windows or IANA name, or a customTimeZone with its own DST rules. Hours
// without a zone Frontdesk can read are in fallback, the operator's zone.
func workingHoursOf(wh *workingHours, fallback *time.Location) calendar.WorkingHours {
	if wh == nil {
		return calendar.WorkingHours{}
	}
	var out calendar.WorkingHours
	if len(wh.DaysOfWeek) > 0 {
		out.Days = make([]time.Weekday, 0, len(wh.DaysOfWeek))
	}
	for _, d := range wh.DaysOfWeek {
		if day, ok := weekdayOf(d); ok {
			out.Days = append(out.Days, day)
		}
	}
	var startOK, endOK bool
	out.Start, startOK = timeOfDay(wh.StartTime)
	out.End, endOK = timeOfDay(wh.EndTime)
	if !startOK || !endOK {
		// An hour that does not read is no hour: "not shared", never 00:00.
		return calendar.WorkingHours{}
	}
	out.Location = fallback
	switch tz := wh.TimeZone; {
	case tz == nil:
	case tz.ODataType == customTimeZoneType:
		var daylightBias int
		if dl := tz.DaylightOffset; dl != nil && dl.DaylightBias != nil {
			daylightBias = int(*dl.DaylightBias)
		}
		out.Location = customZone(tz.Name, int(tz.Bias), daylightBias, ruleOf(tz.StandardOffset), ruleOf(tz.DaylightOffset))
	default:
		if loc, ok := zoneByName(tz.Name); ok {
			out.Location = loc
		}
	}
	return out
}

// weekdays are Graph's dayOfWeek names, Sunday = 0 as in time.Weekday.
var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func weekdayOf(name string) (time.Weekday, bool) {
	d, ok := weekdays[name]
	return d, ok
}

// ruleOf reads one customTimeZone transition (standard or daylight).
func ruleOf(o *timeZoneOffset) transitionRule {
	var r transitionRule
	if o == nil {
		return r
	}
	// A rule for one specific year is not a yearly rule; treat it as none.
	if o.Year != 0 {
		return r
	}
	r.Month = int(o.Month)
	r.DayOccurrence = int(o.DayOccurrence)
	r.DayOfWeek, _ = weekdayOf(o.DayOfWeek)
	r.Time, _ = timeOfDay(o.Time)
	return r
}

// timeOfDay reads Graph's "08:00:00.0000000".
func timeOfDay(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	t, err := time.Parse("15:04:05.9999999", s)
	if err != nil {
		if t, err = time.Parse("15:04:05", s); err != nil {
			return 0, false
		}
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second, true
}
