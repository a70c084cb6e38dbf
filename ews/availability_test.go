package ews

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

func TestGetUserAvailabilityDocumentedResponse(t *testing.T) {
	c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("getuseravailability.xml") })
	loc := pacific(t)
	avail, err := c.GetUserAvailability(context.Background(), people("user1@example.com", "user2@example.com"), documentedDay(t), loc)
	if err != nil {
		t.Fatal(err)
	}
	if len(avail) != 2 {
		t.Fatalf("got %d availabilities, want 2", len(avail))
	}

	reqs := rs.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	req := reqs[0]
	if req.View != "DetailedMerged" || req.Interval != 15 {
		t.Errorf("view %q interval %d, want DetailedMerged 15", req.View, req.Interval)
	}
	if req.Window != [2]string{"2006-10-16T00:00:00", "2006-10-17T00:00:00"} {
		t.Errorf("window %v", req.Window)
	}
	if strings.Join(req.Mailboxes, ",") != "user1@example.com,user2@example.com" {
		t.Errorf("mailboxes %v", req.Mailboxes)
	}
	// The documented request is for Pacific time under the 2006 rules (first
	// Sunday of April, last Sunday of October): ours must say the same.
	want := ewstest.TimeZone{Bias: 480,
		StandardTime: ewstest.Rule{Bias: 0, Time: "02:00:00", DayOrder: 5, Month: 10, DayOfWeek: "Sunday"},
		DaylightTime: ewstest.Rule{Bias: -60, Time: "02:00:00", DayOrder: 1, Month: 4, DayOfWeek: "Sunday"}}
	if req.TimeZone != want {
		t.Errorf("time zone sent\n got %+v\nwant %+v", req.TimeZone, want)
	}

	first := avail[0]
	if first.Err != nil {
		t.Fatal(first.Err)
	}
	wantSlots := []calendar.Slot{
		{Start: at(t, "2006-10-16T06:00:00-07:00"), End: at(t, "2006-10-16T06:30:00-07:00"), Status: calendar.StatusBusy, Subject: "Meet with Contoso Account Executives"},
		{Start: at(t, "2006-10-16T07:00:00-07:00"), End: at(t, "2006-10-16T08:00:00-07:00"), Status: calendar.StatusBusy, Subject: "Pick up my groceries"},
		{Start: at(t, "2006-10-16T09:40:00-07:00"), End: at(t, "2006-10-16T10:10:00-07:00"), Status: calendar.StatusBusy, Subject: "Meet with doctor", Location: "Kirkland"},
	}
	if len(first.Slots) != len(wantSlots) {
		t.Fatalf("slots %+v", first.Slots)
	}
	for i, s := range first.Slots {
		w := wantSlots[i]
		if !s.Start.Equal(w.Start) || !s.End.Equal(w.End) || s.Status != w.Status || s.Subject != w.Subject || s.Location != w.Location || s.Private {
			t.Errorf("slot %d = %+v, want %+v", i, s, w)
		}
	}
	wh := first.WorkingHours
	if len(wh.Days) != 5 || wh.Start != 8*time.Hour || wh.End != 17*time.Hour {
		t.Errorf("working hours %+v", wh)
	}
	// Same rules as the operator's zone: the operator's location, DST intact.
	if wh.Location != loc {
		t.Errorf("working hours location %v, want %v", wh.Location, loc)
	}

	second := avail[1]
	if second.Err != nil || len(second.Slots) != 1 || second.Slots[0].Status != calendar.StatusTentative {
		t.Fatalf("second = %+v", second)
	}

	// What the operator reads at 07:30: busy until 08:00 with groceries,
	// the second colleague free.
	now := at(t, "2006-10-16T07:30:00-07:00")
	day := calendar.DayOf(now, loc)
	p := calendar.Evaluate(first, now, day)
	if p.Status != calendar.StatusBusy || !p.Until.Equal(at(t, "2006-10-16T08:00:00-07:00")) || p.Current.Subject != "Pick up my groceries" {
		t.Errorf("first at 07:30: %+v", p)
	}
	if got := calendar.Evaluate(second, now, day).Status; got != calendar.StatusFree {
		t.Errorf("second at 07:30: %v, want free", got)
	}
}

func TestGetUserAvailabilityPerMailboxErrorMarksOnlyThatPerson(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	c, _ := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{
			"dpark@exampledomain.com":  docs[0],
			"jprice@exampledomain.com": docs[1],
		})}
	})
	avail, err := c.GetUserAvailability(context.Background(),
		people("dpark@exampledomain.com", "tplate@exampledomain.com", "jprice@exampledomain.com"), documentedDay(t), pacific(t))
	if err != nil {
		t.Fatal(err)
	}
	if avail[0].Err != nil || len(avail[0].Slots) != 3 {
		t.Errorf("dpark: %+v", avail[0])
	}
	var mbErr *MailboxError
	if !errors.As(avail[1].Err, &mbErr) || mbErr.Code != "ErrorMailRecipientNotFound" || !strings.Contains(mbErr.Error(), "tplate@exampledomain.com") {
		t.Errorf("tplate: err = %v", avail[1].Err)
	}
	if avail[2].Err != nil || len(avail[2].Slots) != 1 || avail[2].Person.Email != "jprice@exampledomain.com" {
		t.Errorf("jprice: %+v", avail[2])
	}
}

func TestAvailabilityErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		answer     ewstest.Answer
		kind       calendar.Kind
		code       string
		retryAfter time.Duration
	}{
		{"401 is an auth error", ewstest.Answer{Status: http.StatusUnauthorized, Header: http.Header{"Www-Authenticate": {`Basic realm="mail.contoso.com"`}}}, calendar.KindAuth, "HTTP401", 0},
		{"ErrorServerBusy fault with back-off", ewstest.Answer{Status: 500, Body: ewstest.Fixture("fault-serverbusy.xml")}, calendar.KindThrottled, "ErrorServerBusy", 297749 * time.Millisecond},
		{"ErrorServerBusy inside a 200", fixture("getuseravailability-serverbusy.xml"), calendar.KindThrottled, "ErrorServerBusy", 30 * time.Second},
		{"ErrorExceededConnectionCount fault", ewstest.Answer{Status: 500, Body: ewstest.Fixture("fault-connectioncount.xml")}, calendar.KindThrottled, "ErrorExceededConnectionCount", 0},
		{"503 with Retry-After", ewstest.Answer{Status: 503, Header: http.Header{"Retry-After": {"7"}}}, calendar.KindThrottled, "HTTP503", 7 * time.Second},
		{"503 without Retry-After", ewstest.Answer{Status: 503}, calendar.KindThrottled, "HTTP503", 0},
		{"502 is transient", ewstest.Answer{Status: 502, Body: "<html>Bad gateway</html>"}, calendar.KindTransient, "HTTP502", 0},
		{"500 without a fault is transient", ewstest.Answer{Status: 500, Body: "oops"}, calendar.KindTransient, "HTTP500", 0},
		{"403 is a permission error", ewstest.Answer{Status: 403}, calendar.KindPermission, "HTTP403", 0},
		{"404 is a configuration error", ewstest.Answer{Status: 404}, calendar.KindConfig, "HTTP404", 0},
		{"malformed XML is transient", ewstest.Answer{Body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUserAvailabilityResponse>`}, calendar.KindTransient, "", 0},
		{"an HTML login page is transient", ewstest.Answer{Body: "<html><body>Sign in</body></html>", Header: http.Header{"Content-Type": {"text/html"}}}, calendar.KindTransient, "", 0},
		{"an answer for fewer mailboxes is transient", fixture("getuseravailability.xml"), calendar.KindTransient, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return tc.answer })
			_, err := c.GetUserAvailability(context.Background(), people("a@example.com", "b@example.com", "c@example.com"), documentedDay(t), pacific(t))
			var ce *calendar.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (%T), want *calendar.Error", err, err)
			}
			if ce.Kind != tc.kind || ce.Code != tc.code || ce.RetryAfter != tc.retryAfter {
				t.Errorf("got kind %v code %q retry %v, want %v %q %v (%v)", ce.Kind, ce.Code, ce.RetryAfter, tc.kind, tc.code, tc.retryAfter, err)
			}
			// Never a retry inside the client, whatever the failure.
			if n := len(rs.Requests()); n != 1 {
				t.Errorf("%d requests, want exactly 1", n)
			}
			if strings.Contains(err.Error(), testPassword.Reveal()) {
				t.Errorf("error carries the password: %v", err)
			}
		})
	}
}

func TestSourceBatchesAtMost100MailboxesInOrder(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
		switch r.Operation {
		case "GetMailTips":
			return fixture("getmailtips.xml")
		}
		// Odd-numbered people get the tentative answer, even the busy one.
		answers := map[string]string{}
		for _, m := range r.Mailboxes {
			var n int
			fmt.Sscanf(m, "person%d@", &n)
			answers[strings.ToLower(m)] = docs[n%2]
		}
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, answers)}
	})
	src, err := NewSource(SourceOptions{Client: c, Location: pacific(t), People: People{Group: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	var everyone []calendar.Person
	for i := range 250 {
		everyone = append(everyone, calendar.Person{Name: fmt.Sprint(i), Email: fmt.Sprintf("person%d@example.com", i)})
	}
	avail, err := calendar.FetchAll(context.Background(), src, everyone, documentedDay(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(avail) != 250 {
		t.Fatalf("%d availabilities", len(avail))
	}
	for i, a := range avail {
		if a.Person.Email != everyone[i].Email {
			t.Fatalf("availability %d is for %s", i, a.Person.Email)
		}
		wantStatus := calendar.StatusBusy
		if i%2 == 1 {
			wantStatus = calendar.StatusTentative
		}
		if a.Err != nil || len(a.Slots) == 0 || a.Slots[0].Status != wantStatus {
			t.Fatalf("availability %d: %+v", i, a)
		}
	}
	var sizes []int
	for _, r := range rs.Requests() {
		if r.Operation == "GetUserAvailability" {
			sizes = append(sizes, len(r.Mailboxes))
		}
	}
	if len(sizes) != 3 {
		t.Errorf("GetUserAvailability batches %v, want 3 of at most 100", sizes)
	}
	// Asking for more than the limit directly is refused before sending.
	if _, err := c.GetUserAvailability(context.Background(), everyone[:101], documentedDay(t), pacific(t)); err == nil {
		t.Error("101 mailboxes accepted")
	}
}

func TestMergedFreeBusyFallback(t *testing.T) {
	start := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		merged  string
		want    []calendar.Slot
		anyData bool
	}{
		{"0000", nil, true},
		{"0022", []calendar.Slot{{Start: start.Add(30 * time.Minute), End: start.Add(time.Hour), Status: calendar.StatusBusy}}, true},
		{"1123", []calendar.Slot{
			{Start: start, End: start.Add(30 * time.Minute), Status: calendar.StatusTentative},
			{Start: start.Add(30 * time.Minute), End: start.Add(45 * time.Minute), Status: calendar.StatusBusy},
			{Start: start.Add(45 * time.Minute), End: start.Add(time.Hour), Status: calendar.StatusOOF},
		}, true},
		// 4 is "no data": an Unknown slot, never free and never "working elsewhere".
		{"2442", []calendar.Slot{
			{Start: start, End: start.Add(15 * time.Minute), Status: calendar.StatusBusy},
			{Start: start.Add(15 * time.Minute), End: start.Add(45 * time.Minute), Status: calendar.StatusUnknown},
			{Start: start.Add(45 * time.Minute), End: start.Add(time.Hour), Status: calendar.StatusBusy},
		}, true},
		{"0040", []calendar.Slot{{Start: start.Add(30 * time.Minute), End: start.Add(45 * time.Minute), Status: calendar.StatusUnknown}}, true},
		{"00x0", []calendar.Slot{{Start: start.Add(30 * time.Minute), End: start.Add(45 * time.Minute), Status: calendar.StatusUnknown}}, true},
		{"4444", []calendar.Slot{{Start: start, End: start.Add(time.Hour), Status: calendar.StatusUnknown}}, false},
		{"", nil, false},
	} {
		t.Run(tc.merged, func(t *testing.T) {
			got, anyData := mergedSlots(tc.merged, start, 15*time.Minute)
			if anyData != tc.anyData || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v %v, want %v %v", got, anyData, tc.want, tc.anyData)
			}
		})
	}

	// Without any calendar events the merged string decides; all "no data"
	// makes the person unknown rather than free.
	r := freeBusyResponse{View: freeBusyView{ViewType: "FreeBusyMerged", Merged: "0220"}}
	a := r.availability(calendar.Person{Email: "x@example.com"}, calendar.Window{Start: start, End: start.Add(time.Hour)}, time.UTC)
	if a.Err != nil || len(a.Slots) != 1 || a.Slots[0].Status != calendar.StatusBusy {
		t.Errorf("merged fallback: %+v", a)
	}
	r.View.Merged = "4444"
	if a := r.availability(calendar.Person{}, calendar.Window{Start: start, End: start.Add(time.Hour)}, time.UTC); !errors.Is(a.Err, errNoFreeBusyData) {
		t.Errorf("all no-data: err = %v", a.Err)
	}
}

func TestPrivateEventsKeepNoDetails(t *testing.T) {
	ev := calendarEvent{StartTime: "2026-11-23T09:00:00", EndTime: "2026-11-23T10:00:00", BusyType: "Busy"}
	ev.Details = &struct {
		Subject   string `xml:"Subject"`
		Location  string `xml:"Location"`
		IsPrivate bool   `xml:"IsPrivate"`
	}{Subject: "Medical", Location: "Clinic", IsPrivate: true}
	s, ok, _ := ev.slot(time.UTC)
	if !ok || !s.Private || s.Subject != "" || s.Location != "" {
		t.Errorf("private slot = %+v", s)
	}
	for busy, want := range map[string]calendar.Status{"Free": calendar.StatusFree, "Tentative": calendar.StatusTentative, "Busy": calendar.StatusBusy, "OOF": calendar.StatusOOF, "WorkingElsewhere": calendar.StatusElsewhere} {
		ev := calendarEvent{StartTime: "2026-11-23T09:00:00Z", EndTime: "2026-11-23T10:00:00Z", BusyType: busy}
		if s, ok, _ := ev.slot(time.UTC); !ok || s.Status != want {
			t.Errorf("%s -> %v", busy, s.Status)
		}
	}
	for _, busy := range []string{"NoData", "SomethingNew"} {
		ev := calendarEvent{StartTime: "2026-11-23T09:00:00Z", EndTime: "2026-11-23T10:00:00Z", BusyType: busy}
		if s, ok, _ := ev.slot(time.UTC); !ok || s.Status != calendar.StatusUnknown {
			t.Errorf("%s -> %v, %v; want an Unknown slot", busy, s.Status, ok)
		}
	}
}

// An item Exchange sent without a usable start or end cannot be placed; left
// out, its time would read as free. The merged view decides instead, and
// without one the person is unknown with the reason.
func TestUnusableEventTimes(t *testing.T) {
	start := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	window := calendar.Window{Start: start, End: start.Add(2 * time.Hour)}
	broken := calendarEvent{StartTime: "yesterday-ish", EndTime: "2026-11-23T09:00:00Z", BusyType: "Busy"}
	backwards := calendarEvent{StartTime: "2026-11-23T09:00:00Z", EndTime: "2026-11-23T08:00:00Z", BusyType: "OOF"}
	good := calendarEvent{StartTime: "2026-11-23T09:30:00Z", EndTime: "2026-11-23T10:00:00Z", BusyType: "Tentative"}
	tests := []struct {
		name       string
		view       freeBusyView
		wantAt0830 calendar.Status
		wantErr    bool
	}{
		{"merged view decides", freeBusyView{Merged: "22220010", Events: []calendarEvent{broken, good}}, calendar.StatusBusy, false},
		{"an item ending before it starts", freeBusyView{Merged: "33330000", Events: []calendarEvent{backwards}}, calendar.StatusOOF, false},
		{"no merged view: unknown with the reason", freeBusyView{Events: []calendarEvent{broken, good}}, calendar.StatusUnknown, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := freeBusyResponse{View: tt.view}.availability(calendar.Person{Email: "x@example.com"}, window, time.UTC)
			if (a.Err != nil) != tt.wantErr || (tt.wantErr && !errors.Is(a.Err, errUnusableEvents)) {
				t.Fatalf("err %v, want error %v", a.Err, tt.wantErr)
			}
			ps := calendar.Evaluate(a, start.Add(30*time.Minute), window)
			if ps.Status != tt.wantAt0830 {
				t.Fatalf("at 08:30 %v, want %v; slots %v", ps.Status, tt.wantAt0830, a.Slots)
			}
		})
	}
}

// A period the server has no data for must read as unknown at that instant,
// not as free, whether the answer carries items or only the merged view.
func TestNoDataIsUnknown(t *testing.T) {
	start := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	window := calendar.Window{Start: start, End: start.Add(2 * time.Hour)}
	in := start.Add(45 * time.Minute)
	tests := []struct {
		name string
		view freeBusyView
	}{
		{"merged view only", freeBusyView{ViewType: "FreeBusyMerged", Merged: "00044400"}},
		{"items and the merged view", freeBusyView{ViewType: "DetailedMerged", Merged: "22044400",
			Events: []calendarEvent{{StartTime: "2026-11-23T08:00:00Z", EndTime: "2026-11-23T08:30:00Z", BusyType: "Busy"}}}},
		{"a NoData item", freeBusyView{ViewType: "Detailed",
			Events: []calendarEvent{{StartTime: "2026-11-23T08:30:00Z", EndTime: "2026-11-23T09:30:00Z", BusyType: "NoData"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := freeBusyResponse{View: tt.view}.availability(calendar.Person{Email: "x@example.com"}, window, time.UTC)
			if a.Err != nil {
				t.Fatal(a.Err)
			}
			if got, _ := calendar.StatusAt(a.Slots, in); got != calendar.StatusUnknown {
				t.Fatalf("status at 08:45 = %v, want unknown; slots %v", got, a.Slots)
			}
			ps := calendar.Evaluate(a, in, window)
			if ps.Status != calendar.StatusUnknown || ps.Err == nil {
				t.Fatalf("evaluated %v (%v), want unknown with a reason", ps.Status, ps.Err)
			}
		})
	}
}
