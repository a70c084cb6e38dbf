package ews

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// MaxMailboxesPerRequest is GetUserAvailability's documented limit.
const MaxMailboxesPerRequest = 100

// MergedInterval is the granularity of the MergedFreeBusy fallback; the
// documented range is 5 to 1440 minutes.
const MergedInterval = 15 * time.Minute

// localTimeLayout is how EWS writes times in the request's time zone:
// wall clock, no offset.
const localTimeLayout = "2006-01-02T15:04:05"

type getUserAvailabilityRequest struct {
	XMLName   xml.Name             `xml:"m:GetUserAvailabilityRequest"`
	TimeZone  serializableTimeZone `xml:"t:TimeZone"`
	Mailboxes []mailboxData        `xml:"m:MailboxDataArray>t:MailboxData"`
	Options   freeBusyViewOptions  `xml:"t:FreeBusyViewOptions"`
}

type mailboxData struct {
	Address          string `xml:"t:Email>t:Address"`
	AttendeeType     string `xml:"t:AttendeeType"`
	ExcludeConflicts bool   `xml:"t:ExcludeConflicts"`
}

type freeBusyViewOptions struct {
	StartTime       string `xml:"t:TimeWindow>t:StartTime"`
	EndTime         string `xml:"t:TimeWindow>t:EndTime"`
	IntervalMinutes int    `xml:"t:MergedFreeBusyIntervalInMinutes"`
	RequestedView   string `xml:"t:RequestedView"`
}

type getUserAvailabilityResponse struct {
	XMLName   xml.Name           `xml:"GetUserAvailabilityResponse"`
	Responses []freeBusyResponse `xml:"FreeBusyResponseArray>FreeBusyResponse"`
}

type freeBusyResponse struct {
	ResponseMessage responseMessage `xml:"ResponseMessage"`
	View            freeBusyView    `xml:"FreeBusyView"`
	// unreadable is why this mailbox's answer did not read while the others
	// did (unmarshalRecords); nil when it read.
	unreadable error
}

type freeBusyView struct {
	ViewType     string          `xml:"FreeBusyViewType"`
	Merged       string          `xml:"MergedFreeBusy"`
	Events       []calendarEvent `xml:"CalendarEventArray>CalendarEvent"`
	WorkingHours *workingHours   `xml:"WorkingHours"`
}

type calendarEvent struct {
	StartTime string `xml:"StartTime"`
	EndTime   string `xml:"EndTime"`
	BusyType  string `xml:"BusyType"`
	// Exchange 2007's pages show IsPrivate beside the details; later
	// versions put it inside. Either marks the item private.
	IsPrivate bool `xml:"IsPrivate"`
	Details   *struct {
		Subject   string `xml:"Subject"`
		Location  string `xml:"Location"`
		IsPrivate bool   `xml:"IsPrivate"`
	} `xml:"CalendarEventDetails"`
}

type workingHours struct {
	TimeZone receivedTimeZone `xml:"TimeZone"`
	Periods  []workingPeriod  `xml:"WorkingPeriodArray>WorkingPeriod"`
}

type workingPeriod struct {
	Days  string `xml:"DayOfWeek"`
	Start int    `xml:"StartTimeInMinutes"`
	End   int    `xml:"EndTimeInMinutes"`
}

// parseGetUserAvailability reads a GetUserAvailability answer. A fault comes
// back as the error faultError makes of it. The usual answer is read by
// scanGetUserAvailability; anything else by encoding/xml.
func parseGetUserAvailability(data []byte) ([]freeBusyResponse, error) {
	if responses, ok := scanGetUserAvailability(data); ok {
		return responses, nil
	}
	return unmarshalGetUserAvailability(data)
}

// unmarshalGetUserAvailability is the encoding/xml reading of an answer: the
// fallback of the scanner, and the reference its tests compare against.
func unmarshalGetUserAvailability(data []byte) ([]freeBusyResponse, error) {
	resp, fault, err := decodeEnvelope(data, "GetUserAvailabilityResponse", func(r *getUserAvailabilityResponse) xml.Name { return r.XMLName })
	if err != nil {
		if responses, ok := unmarshalRecords(data); ok {
			return responses, nil
		}
		return nil, err
	}
	if fault != nil {
		return nil, faultError("ews.GetUserAvailability", fault)
	}
	return resp.Responses, nil
}

// unmarshalRecords reads a well-formed answer that did not decode as a whole
// one FreeBusyResponse at a time, in order: a mailbox whose answer holds a
// value of the wrong form (a StartTimeInMinutes that is no number, an
// IsPrivate that is no boolean) is marked unreadable and the others stand. ok
// is false for an answer that is not well-formed XML (cut off, a proxy's
// page) or holds no FreeBusyResponse: that answer is unreadable as a whole.
func unmarshalRecords(data []byte) (responses []freeBusyResponse, ok bool) {
	data, _ = readableText(data)
	d := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	for {
		offset := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "FreeBusyResponse" || !slices.Equal(path, freeBusyResponsePath) {
				path = append(path, t.Name.Local)
				continue
			}
			if err := d.Skip(); err != nil {
				return nil, false
			}
			var r freeBusyResponse
			if err := xml.Unmarshal(data[offset:d.InputOffset()], &r); err != nil {
				r = freeBusyResponse{unreadable: err}
			}
			responses = append(responses, r)
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
	return responses, len(responses) > 0
}

// freeBusyResponsePath is where the FreeBusyResponse elements sit.
var freeBusyResponsePath = []string{"Envelope", "Body", "GetUserAvailabilityResponse", "FreeBusyResponseArray"}

// Availability asks for everyone's free/busy in window, at most
// MaxMailboxesPerRequest at a time; answers come back in the order asked.
// loc is the operator's zone: the server expands times in it.
func (c *Client) GetUserAvailability(ctx context.Context, people []calendar.Person, window calendar.Window, loc *time.Location) ([]calendar.Availability, error) {
	if len(people) > MaxMailboxesPerRequest {
		return nil, fmt.Errorf("ews: %d mailboxes in one GetUserAvailability, the limit is %d", len(people), MaxMailboxesPerRequest)
	}
	if loc == nil {
		loc = time.Local
	}
	start, end := window.Start.In(loc), window.End.In(loc)
	req := getUserAvailabilityRequest{
		TimeZone: timeZoneFor(loc, start),
		Options: freeBusyViewOptions{
			StartTime:       start.Format(localTimeLayout),
			EndTime:         end.Format(localTimeLayout),
			IntervalMinutes: int(MergedInterval / time.Minute),
			RequestedView:   "DetailedMerged",
		},
	}
	for _, p := range people {
		attendee := "Required"
		if p.IsRoom() {
			attendee = "Room"
		}
		req.Mailboxes = append(req.Mailboxes, mailboxData{Address: p.Email, AttendeeType: attendee})
	}
	body, err := c.call(ctx, "GetUserAvailability", req)
	if err != nil {
		return nil, err
	}
	responses, err := parseGetUserAvailability(body)
	if err != nil {
		var ce *calendar.Error
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, parseError("GetUserAvailability", err)
	}
	for _, r := range responses {
		if err := throttledMessage("ews.GetUserAvailability", r.ResponseMessage); err != nil {
			return nil, err
		}
	}
	if len(responses) != len(people) {
		return nil, &calendar.Error{Kind: calendar.KindTransient, Op: "ews.GetUserAvailability",
			Err: fmt.Errorf("server answered for %d mailboxes, asked about %d", len(responses), len(people))}
	}
	fetched := time.Now()
	out := make([]calendar.Availability, len(people))
	for i, r := range responses {
		out[i] = r.availability(people[i], calendar.Window{Start: start, End: end}, loc)
		out[i].FetchedAt = fetched
	}
	return out, nil
}

// errNoFreeBusyData marks a mailbox that answered but publishes nothing.
var errNoFreeBusyData = &calendar.ReasonError{Text: "no free/busy information published for this mailbox", Reason: calendar.ErrNoDataForPeriod}

// errUnusableEvents marks a mailbox whose items came without a usable start or
// end and without a merged view to read instead.
var errUnusableEvents = &calendar.ReasonError{Text: "calendar items came from Exchange without a usable start or end, and no free/busy view", Reason: calendar.ErrUnreadableAnswer}

var errEventTimes = errors.New("calendar item without a usable start or end")

// availability converts one mailbox's answer.
func (r freeBusyResponse) availability(p calendar.Person, window calendar.Window, loc *time.Location) calendar.Availability {
	a := calendar.Availability{Person: p, Window: window}
	if r.unreadable != nil {
		a.Err = &calendar.UnreadableAnswer{Status: http.StatusOK, Err: fmt.Errorf("this mailbox's part of the answer does not read: %w", r.unreadable)}
		return a
	}
	if r.ResponseMessage.isError() {
		a.Err = r.ResponseMessage.err()
		return a
	}
	v := r.View
	if v.WorkingHours != nil {
		a.WorkingHours = v.WorkingHours.convert(window.Start, loc)
	}
	slots, anyData := mergedSlots(v.Merged, window.Start, MergedInterval)
	if len(v.Events) > 0 {
		unusable := 0
		for _, ev := range v.Events {
			s, ok, err := ev.slot(loc)
			if err != nil {
				unusable++
			} else if ok {
				a.Slots = append(a.Slots, s)
			}
		}
		if unusable > 0 {
			// An item that cannot be placed in time would leave its time free:
			// the merged view covers the whole window, so it decides instead.
			if !anyData {
				a.Slots, a.Err = nil, fmt.Errorf("%w (%d item(s))", errUnusableEvents, unusable)
				return a
			}
			a.Slots = slots
			return a
		}
		// The items say what is booked; only the merged view says where the
		// server has no data at all, and those periods are not free.
		for _, s := range slots {
			if s.Status == calendar.StatusUnknown {
				a.Slots = append(a.Slots, s)
			}
		}
		return a
	}
	if !anyData {
		a.Err = errNoFreeBusyData
		return a
	}
	a.Slots = slots
	return a
}

// busyStatus maps LegacyFreeBusyType; NoData and values this client does not
// know are periods without data: Unknown, never free.
func busyStatus(t string) calendar.Status {
	switch strings.TrimSpace(t) {
	case "Free":
		return calendar.StatusFree
	case "Tentative":
		return calendar.StatusTentative
	case "Busy":
		return calendar.StatusBusy
	case "OOF":
		return calendar.StatusOOF
	case "WorkingElsewhere":
		return calendar.StatusElsewhere
	}
	return calendar.StatusUnknown
}

// slot converts one item; ok is false for a zero-length item, err marks one
// that cannot be placed in time.
func (ev calendarEvent) slot(loc *time.Location) (s calendar.Slot, ok bool, err error) {
	status := busyStatus(ev.BusyType)
	start, err1 := parseEWSTime(ev.StartTime, loc)
	end, err2 := parseEWSTime(ev.EndTime, loc)
	if err1 != nil || err2 != nil || end.Before(start) {
		return calendar.Slot{}, false, errEventTimes
	}
	if !end.After(start) {
		return calendar.Slot{}, false, nil
	}
	s = calendar.Slot{Start: start, End: end, Status: status, Private: ev.IsPrivate}
	if d := ev.Details; d != nil {
		s.Subject = strings.TrimSpace(d.Subject)
		s.Location = strings.TrimSpace(d.Location)
		s.Private = s.Private || d.IsPrivate
	}
	if s.Private {
		s.Subject, s.Location = "", ""
	}
	// Outlook has no all-day flag in free/busy: the same rule as Graph's,
	// in the operator's zone (the one the server was asked to answer in).
	s.AllDay = calendar.IsAllDay(start, end, loc)
	return s, true, nil
}

// parseEWSTime reads xs:dateTime with or without an offset; without one the
// time is in the request's zone.
func parseEWSTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc)
}

// mergedSlots turns the MergedFreeBusy digits (one per interval from start)
// into slots, joining runs of the same digit. Digit 4 is "no data" in EWS
// (not "working elsewhere" as in Graph): it makes an Unknown slot, as does a
// character this client does not know. anyData is false when the string has
// no interval with data at all.
func mergedSlots(merged string, start time.Time, interval time.Duration) (slots []calendar.Slot, anyData bool) {
	merged = strings.TrimSpace(merged)
	runStart := -1
	var runStatus calendar.Status
	flush := func(end int) {
		if runStart >= 0 && runStatus != calendar.StatusFree {
			slots = append(slots, calendar.Slot{
				Start:  start.Add(time.Duration(runStart) * interval),
				End:    start.Add(time.Duration(end) * interval),
				Status: runStatus,
			})
		}
		runStart = -1
	}
	for i := 0; i < len(merged); i++ {
		status := mergedDigit(merged[i])
		if status != calendar.StatusUnknown {
			anyData = true
		}
		if runStart >= 0 && status == runStatus {
			continue
		}
		flush(i)
		runStart, runStatus = i, status
	}
	flush(len(merged))
	return slots, anyData
}

func mergedDigit(b byte) calendar.Status {
	switch b {
	case '0':
		return calendar.StatusFree
	case '1':
		return calendar.StatusTentative
	case '2':
		return calendar.StatusBusy
	case '3':
		return calendar.StatusOOF
	}
	return calendar.StatusUnknown
}

// convert reads working hours; periods on different days with different
// hours are joined to the widest span, the model holding one span.
func (w workingHours) convert(at time.Time, operator *time.Location) calendar.WorkingHours {
	var out calendar.WorkingHours
	seen := map[time.Weekday]bool{}
	for _, p := range w.Periods {
		if p.Start < 0 || p.End > 24*60 || p.End <= p.Start {
			continue
		}
		for _, d := range workingDays(p.Days) {
			if !seen[d] {
				seen[d] = true
				out.Days = append(out.Days, d)
			}
		}
		start, end := time.Duration(p.Start)*time.Minute, time.Duration(p.End)*time.Minute
		if out.End == 0 || start < out.Start {
			out.Start = start
		}
		if end > out.End {
			out.End = end
		}
	}
	if out.IsZero() {
		return calendar.WorkingHours{}
	}
	out.Location = w.TimeZone.location(at, operator)
	return out
}

// workingDays reads DaysOfWeekType: a space-separated list that may use the
// group names Day, Weekday and WeekendDay.
func workingDays(s string) []time.Weekday {
	var out []time.Weekday
	for _, f := range strings.Fields(s) {
		switch f {
		case "Day":
			return []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
		case "Weekday":
			out = append(out, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
		case "WeekendDay":
			out = append(out, time.Saturday, time.Sunday)
		default:
			if d, ok := weekdays[f]; ok {
				out = append(out, d)
			}
		}
	}
	return out
}
