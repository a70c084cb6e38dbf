package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

const (
	routeSchedule = "POST /me/calendar/getSchedule"
	routePresence = "POST /communications/getPresencesByUserId"
	routeUsers    = "GET /users"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func person(email string) calendar.Person { return calendar.Person{Name: email, Email: email} }

// scheduleJSON builds one scheduleInformation the way Graph writes it.
func item(status, start, end, zone string, extra string) string {
	return fmt.Sprintf(`{"status":%q,"start":{"dateTime":%q,"timeZone":%q},"end":{"dateTime":%q,"timeZone":%q}%s}`, status, start, zone, end, zone, extra)
}

func TestAvailabilityMapping(t *testing.T) {
	pacific := mustLoad(t, "America/Los_Angeles")
	paris := mustLoad(t, "Europe/Paris")
	documented, err := os.ReadFile(filepath.Join("testdata", "getschedule-documented.json"))
	if err != nil {
		t.Fatal(err)
	}
	type check func(t *testing.T, av []calendar.Availability)
	tests := []struct {
		name     string
		loc      *time.Location
		window   calendar.Window
		people   []calendar.Person
		response string
		check    check
	}{{
		name:     "documented example",
		loc:      pacific,
		window:   calendar.Window{Start: time.Date(2019, 3, 15, 0, 0, 0, 0, pacific), End: time.Date(2019, 3, 16, 0, 0, 0, 0, pacific)},
		people:   []calendar.Person{person("adelev@contoso.onmicrosoft.com"), person("meganb@contoso.onmicrosoft.com")},
		response: string(documented),
		check: func(t *testing.T, av []calendar.Availability) {
			adele := av[0]
			if adele.Err != nil || len(adele.Slots) != 1 {
				t.Fatalf("adele: %+v", adele)
			}
			lunch := adele.Slots[0]
			wantStart := time.Date(2019, 3, 15, 19, 0, 0, 0, time.UTC) // 12:00 PDT
			if !lunch.Start.Equal(wantStart) || lunch.End.Sub(lunch.Start) != 2*time.Hour || lunch.Status != calendar.StatusBusy ||
				lunch.Subject != "Let's go for lunch" || lunch.Location != "Harry's Bar" {
				t.Errorf("lunch = %+v", lunch)
			}
			if wh := adele.WorkingHours; wh.Location.String() != "America/Los_Angeles" || wh.Start != 8*time.Hour || wh.End != 17*time.Hour || len(wh.Days) != 5 || wh.Days[0] != time.Monday {
				t.Errorf("adele working hours = %+v", wh)
			}
			megan := av[1]
			if megan.Err != nil || len(megan.Slots) != 5 {
				t.Fatalf("megan: %+v", megan)
			}
			at := time.Date(2019, 3, 15, 12, 30, 0, 0, pacific)
			ps := calendar.Evaluate(megan, at, calendar.DayOf(at, pacific))
			if ps.Status != calendar.StatusBusy || !ps.Until.Equal(time.Date(2019, 3, 15, 14, 0, 0, 0, pacific)) || !ps.NextFree.Equal(ps.Until) {
				t.Errorf("megan at 12:30: status %v until %v next free %v", ps.Status, ps.Until, ps.NextFree)
			}
		},
	}, {
		name:   "per-schedule error marks only that person",
		loc:    time.UTC,
		window: calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)},
		people: []calendar.Person{person("gone@contoso.com"), person("ok@contoso.com")},
		response: `{"value":[
			{"scheduleId":"gone@contoso.com","error":{"message":"The user or resource could not be found.","responseCode":"ErrorMailRecipientNotFound"}},
			{"scheduleId":"ok@contoso.com","availabilityView":"0","scheduleItems":[` + item("busy", "2026-11-23T10:00:00.0000000", "2026-11-23T11:00:00.0000000", "UTC", "") + `]}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			var se *ScheduleError
			if !errors.As(av[0].Err, &se) || se.Code != "ErrorMailRecipientNotFound" || !strings.Contains(av[0].Err.Error(), "could not be found") {
				t.Errorf("gone: err = %v", av[0].Err)
			}
			if av[1].Err != nil || len(av[1].Slots) != 1 {
				t.Errorf("ok: %+v", av[1])
			}
		},
	}, {
		name:   "private item keeps no subject or location",
		loc:    time.UTC,
		window: calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)},
		people: []calendar.Person{person("p@contoso.com")},
		response: `{"value":[{"scheduleId":"p@contoso.com","scheduleItems":[` +
			item("busy", "2026-11-23T09:00:00", "2026-11-23T10:00:00", "UTC", `,"isPrivate":true,"subject":"Doctor","location":"Clinic"`) + `]}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			s := av[0].Slots
			if len(s) != 1 || !s[0].Private || s[0].Subject != "" || s[0].Location != "" {
				t.Errorf("slots = %+v", s)
			}
		},
	}, {
		name:     "missing items fall back to availabilityView (4 = elsewhere)",
		loc:      time.UTC,
		window:   calendar.Window{Start: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)},
		people:   []calendar.Person{person("v@contoso.com")},
		response: `{"value":[{"scheduleId":"v@contoso.com","availabilityView":"00224441"}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			base := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
			want := []calendar.Slot{
				{Start: base.Add(30 * time.Minute), End: base.Add(60 * time.Minute), Status: calendar.StatusBusy},
				{Start: base.Add(60 * time.Minute), End: base.Add(105 * time.Minute), Status: calendar.StatusElsewhere},
				{Start: base.Add(105 * time.Minute), End: base.Add(120 * time.Minute), Status: calendar.StatusTentative},
			}
			got := av[0].Slots
			if len(got) != len(want) {
				t.Fatalf("slots = %+v", got)
			}
			for i := range want {
				if !got[i].Start.Equal(want[i].Start) || !got[i].End.Equal(want[i].End) || got[i].Status != want[i].Status {
					t.Errorf("slot %d = %+v, want %+v", i, got[i], want[i])
				}
			}
		},
	}, {
		name: "DST day: items in a Windows zone keep their real instants",
		loc:  paris,
		// 29 March 2026: Paris goes from +01:00 to +02:00 at 02:00 local; the day has 23 hours.
		window: calendar.Window{Start: time.Date(2026, 3, 29, 0, 0, 0, 0, paris), End: time.Date(2026, 3, 30, 0, 0, 0, 0, paris)},
		people: []calendar.Person{person("d@contoso.com")},
		response: `{"value":[{"scheduleId":"d@contoso.com","scheduleItems":[` +
			item("oof", "2026-03-29T01:00:00.0000000", "2026-03-29T04:00:00.0000000", "Romance Standard Time", "") + `],
			"workingHours":{"daysOfWeek":["sunday"],"startTime":"09:00:00.0000000","endTime":"17:00:00.0000000","timeZone":{"name":"Romance Standard Time"}}}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			s := av[0].Slots[0]
			if !s.Start.Equal(time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)) || !s.End.Equal(time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC)) || s.End.Sub(s.Start) != 2*time.Hour {
				t.Errorf("slot = %v..%v (%v), want 00:00Z..02:00Z, two real hours", s.Start.UTC(), s.End.UTC(), s.End.Sub(s.Start))
			}
			at := time.Date(2026, 3, 29, 3, 0, 0, 0, paris)
			ps := calendar.Evaluate(av[0], at, calendar.DayOf(at, paris))
			if ps.Status != calendar.StatusOOF || !ps.NextFree.Equal(time.Date(2026, 3, 29, 9, 0, 0, 0, paris)) {
				t.Errorf("at 03:00: %v, next free %v", ps.Status, ps.NextFree)
			}
		},
	}, {
		name:   "customTimeZone working hours follow their DST rules",
		loc:    time.UTC,
		window: calendar.Window{Start: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)},
		people: []calendar.Person{person("c@contoso.com")},
		// Central European rules written as Exchange does: bias -60, daylight last Sunday of March, standard last Sunday of October.
		response: `{"value":[{"scheduleId":"c@contoso.com","scheduleItems":[],"availabilityView":"",
			"workingHours":{"daysOfWeek":["monday","tuesday"],"startTime":"08:30:00.0000000","endTime":"17:30:00.0000000",
			"timeZone":{"@odata.type":"#microsoft.graph.customTimeZone","bias":-60,"name":"Customized Time Zone",
			"standardOffset":{"time":"03:00:00.0000000","dayOccurrence":5,"dayOfWeek":"sunday","month":10,"year":0},
			"daylightOffset":{"daylightBias":-60,"time":"02:00:00.0000000","dayOccurrence":5,"dayOfWeek":"sunday","month":3,"year":0}}}}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			wh := av[0].WorkingHours
			if wh.Start != 8*time.Hour+30*time.Minute || wh.End != 17*time.Hour+30*time.Minute || len(wh.Days) != 2 {
				t.Fatalf("working hours = %+v", wh)
			}
			for _, at := range []time.Time{
				time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC),
				time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), // a minute before the change
				time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),  // the change
				time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC),
				time.Date(2026, 10, 25, 0, 59, 0, 0, time.UTC),
				time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC),
			} {
				_, got := at.In(wh.Location).Zone()
				_, want := at.In(paris).Zone()
				if got != want {
					t.Errorf("%v: custom zone offset %d, Europe/Paris %d", at, got, want)
				}
			}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tc.response) })
			s := newTestSource(t, f, Options{Location: tc.loc})
			av, err := s.Availability(context.Background(), tc.people, tc.window)
			if err != nil {
				t.Fatal(err)
			}
			if len(av) != len(tc.people) {
				t.Fatalf("%d availabilities for %d people", len(av), len(tc.people))
			}
			tc.check(t, av)
		})
	}
}

// The request follows Graph's metadata: PascalCase action parameters, the
// operator's zone in Prefer and in the times, a 15-minute view, and a token.
func TestScheduleRequestShape(t *testing.T) {
	f := newFakeGraph(t)
	var prefer string
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		prefer = r.Header.Get("Prefer")
		writeJSON(w, 200, `{"value":[]}`)
	})
	paris := mustLoad(t, "Europe/Paris")
	s := newTestSource(t, f, Options{Location: paris})
	w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, paris), End: time.Date(2026, 11, 24, 0, 0, 0, 0, paris)}
	av, err := s.Availability(context.Background(), []calendar.Person{person("a@contoso.com"), {Name: "No Mail", ID: "x"}}, w)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(av[0].Err, errNoAnswer) || !errors.Is(av[1].Err, errNoMail) {
		t.Errorf("errs = %v, %v", av[0].Err, av[1].Err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(f.body(routeSchedule), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Schedules", "StartTime", "EndTime", "AvailabilityViewInterval"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("body lacks %s: %s", k, f.body(routeSchedule))
		}
	}
	var req scheduleRequest
	_ = json.Unmarshal(f.body(routeSchedule), &req)
	if len(req.Schedules) != 1 || req.StartTime.DateTime != "2026-11-23T00:00:00" || req.StartTime.TimeZone != "Romance Standard Time" || req.Interval != 15 {
		t.Errorf("request = %+v", req)
	}
	if prefer != `outlook.timezone="Romance Standard Time"` {
		t.Errorf("Prefer = %q", prefer)
	}
	if got := f.lastAuth.Load(); got != "Bearer test-token" {
		t.Errorf("Authorization = %v", got)
	}
}

func TestErrorKinds(t *testing.T) {
	w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name       string
		respond    func(w http.ResponseWriter, n int64)
		wantKind   calendar.Kind
		wantAfter  time.Duration
		wantCalls  int64
		wantErrNil bool
	}{{
		name: "401 is an auth failure, not retried",
		respond: func(w http.ResponseWriter, _ int64) {
			writeODataError(w, 401, "InvalidAuthenticationToken", "Access token has expired.")
		},
		wantKind:  calendar.KindAuth,
		wantCalls: 1,
	}, {
		name: "403 on calendars is a permission failure",
		respond: func(w http.ResponseWriter, _ int64) {
			writeODataError(w, 403, "ErrorAccessDenied", "Access is denied.")
		},
		wantKind:  calendar.KindPermission,
		wantCalls: 1,
	}, {
		name: "429 with a long Retry-After goes to the engine at once",
		respond: func(w http.ResponseWriter, _ int64) {
			w.Header().Set("Retry-After", "30")
			writeODataError(w, 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
		},
		wantKind:  calendar.KindThrottled,
		wantAfter: 30 * time.Second,
		wantCalls: 1,
	}, {
		name: "429 with a fractional Retry-After and no body",
		respond: func(w http.ResponseWriter, _ int64) {
			w.Header().Set("Retry-After", "12.5")
			w.WriteHeader(429)
		},
		wantKind:  calendar.KindThrottled,
		wantAfter: 12500 * time.Millisecond,
		wantCalls: 1,
	}, {
		name: "429 with a short Retry-After is waited out by the retry handler",
		respond: func(w http.ResponseWriter, n int64) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				writeODataError(w, 429, "ApplicationThrottled", "slow down")
				return
			}
			writeJSON(w, 200, `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"0"}]}`)
		},
		wantErrNil: true,
		wantCalls:  2,
	}, {
		name:      "500 is transient",
		respond:   func(w http.ResponseWriter, _ int64) { writeODataError(w, 500, "InternalServerError", "boom") },
		wantKind:  calendar.KindTransient,
		wantCalls: 1,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) { tc.respond(w, f.count(routeSchedule)) })
			s := newTestSource(t, f, Options{})
			_, err := s.Availability(context.Background(), []calendar.Person{person("a@contoso.com")}, w)
			if got := f.count(routeSchedule); got != tc.wantCalls {
				t.Errorf("%d requests, want %d", got, tc.wantCalls)
			}
			if tc.wantErrNil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var ce *calendar.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (%T), want *calendar.Error", err, err)
			}
			if ce.Kind != tc.wantKind || ce.RetryAfter != tc.wantAfter || ce.Op != "graph.getSchedule" {
				t.Errorf("err = %+v, want kind %v retry after %v", ce, tc.wantKind, tc.wantAfter)
			}
			_ = ce.Error() // must not panic on a body without a message
		})
	}
}

func TestTokenSourceFailureIsAuth(t *testing.T) {
	f := newFakeGraph(t)
	s := newTestSource(t, f, Options{Token: tokenFunc(func() (string, error) { return "", errors.New("AADSTS50173: grant expired") })})
	_, err := s.Availability(context.Background(), []calendar.Person{person("a@contoso.com")}, calendar.Window{Start: time.Now(), End: time.Now().Add(time.Hour)})
	if calendar.KindOf(err) != calendar.KindAuth || f.count(routeSchedule) != 0 {
		t.Errorf("err = %v, requests %d", err, f.count(routeSchedule))
	}
}

type tokenFunc func() (string, error)

func (f tokenFunc) Token(context.Context, []string) (string, error) { return f() }

func TestDirectoryPagingAndCache(t *testing.T) {
	f := newFakeGraph(t)
	var selects []string
	f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
		selects = append(selects, r.URL.Query().Get("$select"))
		if r.URL.Query().Get("$skiptoken") == "" {
			writeJSON(w, 200, fmt.Sprintf(`{"@odata.nextLink":"%s/users?$select=id&$skiptoken=page2","value":[
				{"id":"1","displayName":"Adele Vance","mail":"AdeleV@contoso.com","department":"Retail","jobTitle":"Retail Manager","businessPhones":["+1 425 555 0109"],"accountEnabled":true,"userType":"Member"},
				{"id":"2","displayName":"Conf Room Adams","mail":"Adams@contoso.com","accountEnabled":false,"businessPhones":[]}]}`, f.graphURL()))
			return
		}
		writeJSON(w, 200, `{"value":[
			{"id":"3","displayName":"Megan Bowen","mail":"MeganB@contoso.com","mobilePhone":"+1 412 555 0109","businessPhones":[],"accountEnabled":true},
			{"id":"4","displayName":"No Mailbox","businessPhones":[],"accountEnabled":true}]}`)
	})
	cache := t.TempDir()
	sel := People{All: true}
	s := newTestSource(t, f, Options{People: sel, CacheDir: cache})
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range people {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "Adele Vance,Megan Bowen" {
		t.Errorf("people = %v", names)
	}
	if people[0].Phone != "+1 425 555 0109" || people[1].Phone != "+1 412 555 0109" || people[0].Department != "Retail" || people[0].ID != "1" {
		t.Errorf("people = %+v", people)
	}
	if f.count(routeUsers) != 2 || !strings.Contains(selects[0], "accountEnabled") {
		t.Errorf("%d user requests, $select %q", f.count(routeUsers), selects)
	}
	cached, _, err := LoadCachedDirectory(cache, sel)
	if err != nil || len(cached) != 2 || cached[1].Email != "MeganB@contoso.com" {
		t.Fatalf("cached = %+v, %v", cached, err)
	}
	data, _ := os.ReadFile(filepath.Join(cache, cacheFileName))
	if strings.Contains(string(data), "slots") {
		t.Error("the directory cache holds calendar data")
	}
	if _, _, err := LoadCachedDirectory(cache, People{Group: "sales@contoso.com"}); err == nil {
		t.Error("a cache for another selection was accepted")
	}

	// Offline: the cached names still come back.
	f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) { writeODataError(w, 500, "InternalServerError", "down") })
	again, err := newTestSource(t, f, Options{People: sel, CacheDir: cache, MaxRetries: 1}).Directory(context.Background())
	if err != nil || len(again) != 2 {
		t.Errorf("offline directory = %v, %v", again, err)
	}
}

func TestDirectoryByMailKeepsUnknownAddresses(t *testing.T) {
	f := newFakeGraph(t)
	var filter string
	f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
		filter = r.URL.Query().Get("$filter")
		writeJSON(w, 200, `{"value":[{"id":"1","displayName":"Adele Vance","mail":"AdeleV@contoso.com","businessPhones":[]}]}`)
	})
	s := newTestSource(t, f, Options{People: People{Emails: []string{"adelev@contoso.com", "o'brien@contoso.com"}}})
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if filter != "mail in ('adelev@contoso.com','o''brien@contoso.com')" {
		t.Errorf("$filter = %q", filter)
	}
	if len(people) != 2 || people[0].Name != "Adele Vance" || people[0].Email != "adelev@contoso.com" || people[1].Name != "o'brien@contoso.com" {
		t.Errorf("people = %+v", people)
	}
}

func TestPresence(t *testing.T) {
	w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	echoSchedules := func(wr http.ResponseWriter, r *http.Request) {
		req := decodeScheduleRequest(t, r)
		var vals []string
		for _, s := range req.Schedules {
			vals = append(vals, fmt.Sprintf(`{"scheduleId":%q,"availabilityView":"0"}`, s))
		}
		writeJSON(wr, 200, `{"value":[`+strings.Join(vals, ",")+`]}`)
	}
	people := func(n int) []calendar.Person {
		out := make([]calendar.Person, n)
		for i := range out {
			out[i] = calendar.Person{ID: fmt.Sprintf("id-%d", i), Email: fmt.Sprintf("p%d@contoso.com", i)}
		}
		return out
	}

	t.Run("availability, activity and out of office", func(t *testing.T) {
		f := newFakeGraph(t)
		f.handle(routeSchedule, echoSchedules)
		f.handle(routePresence, func(wr http.ResponseWriter, r *http.Request) {
			writeJSON(wr, 200, `{"value":[{"id":"id-0","availability":"Busy","activity":"InAMeeting"},
				{"id":"id-1","availability":"Away","activity":"Away","outOfOfficeSettings":{"isOutOfOffice":true,"message":"Back Monday"}}]}`)
		})
		s := newTestSource(t, f, Options{Presence: true})
		av, err := s.Availability(context.Background(), people(2), w)
		if err != nil {
			t.Fatal(err)
		}
		if av[0].Presence != "Busy (InAMeeting)" || av[1].Presence != "Away" || !av[1].OutOfOffice.Active || av[1].OutOfOffice.Message != "Back Monday" {
			t.Errorf("presence = %q %q %+v", av[0].Presence, av[1].Presence, av[1].OutOfOffice)
		}
		if !strings.Contains(string(f.body(routePresence)), `"ids":["id-0","id-1"]`) {
			t.Errorf("presence body = %s", f.body(routePresence))
		}
	})

	t.Run("403 turns presence off, not the refresh", func(t *testing.T) {
		f := newFakeGraph(t)
		f.handle(routeSchedule, echoSchedules)
		f.handle(routePresence, func(wr http.ResponseWriter, r *http.Request) {
			writeODataError(wr, 403, "Forbidden", "Insufficient privileges to complete the operation.")
		})
		s := newTestSource(t, f, Options{Presence: true})
		for range 2 {
			av, err := s.Availability(context.Background(), people(2), w)
			if err != nil || av[0].Err != nil || av[0].Presence != "" {
				t.Fatalf("av = %+v, err %v", av, err)
			}
		}
		if s.PresenceEnabled() || f.count(routePresence) != 1 {
			t.Errorf("enabled %v after %d presence requests", s.PresenceEnabled(), f.count(routePresence))
		}
	})

	t.Run("one presence fetch per interval, shared by batches and on-demand refreshes", func(t *testing.T) {
		f := newFakeGraph(t)
		f.handle(routeSchedule, echoSchedules)
		f.handle(routePresence, func(wr http.ResponseWriter, r *http.Request) { writeJSON(wr, 200, `{"value":[]}`) })
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var clockMu sync.Mutex
		s := newTestSource(t, f, Options{Presence: true, PresenceInterval: time.Minute, Now: func() time.Time {
			clockMu.Lock()
			defer clockMu.Unlock()
			return now
		}})
		advance := func(d time.Duration) {
			clockMu.Lock()
			now = now.Add(d)
			clockMu.Unlock()
		}
		everyone := people(700)
		s.setDirectory(everyone)
		for refresh := 1; refresh <= 2; refresh++ {
			if _, err := calendar.FetchAll(context.Background(), s, everyone, w); err != nil {
				t.Fatal(err)
			}
			if got, want := f.count(routePresence), int64(2*refresh); got != want {
				t.Errorf("after refresh %d: %d presence requests, want %d", refresh, got, want)
			}
			if got, want := f.count(routeSchedule), int64(40*refresh-5); got != want {
				t.Errorf("after refresh %d: %d getSchedule requests, want %d", refresh, got, want)
			}
			// The operator asks for single people in between: calendars only.
			for i := range 5 {
				advance(10 * time.Second)
				if _, err := s.Availability(context.Background(), everyone[i:i+1], w); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := f.count(routePresence), int64(2*refresh); got != want {
				t.Errorf("on-demand refreshes after refresh %d sent %d presence requests in all, want %d", refresh, got, want)
			}
			advance(10 * time.Second)
		}
	})
}

func TestBaseURL(t *testing.T) {
	tests := []struct{ cloud, override, want string }{
		{"global", "", "https://graph.microsoft.com/v1.0"},
		{"", "", "https://graph.microsoft.com/v1.0"},
		{"usgov", "", "https://graph.microsoft.us/v1.0"},
		{"usgov-dod", "", "https://dod-graph.microsoft.us/v1.0"},
		{"china", "", "https://microsoftgraph.chinacloudapi.cn/v1.0"},
		{"china", "http://127.0.0.1:4010/v1.0/", "http://127.0.0.1:4010/v1.0"},
		{"mars", "", ""},
		{"global", "http://graph.example.com/v1.0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.cloud+" "+tc.override, func(t *testing.T) {
			got, err := BaseURL(tc.cloud, tc.override)
			if (err != nil) != (tc.want == "") || got != tc.want {
				t.Errorf("BaseURL = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestStaticTokenNeverPrints(t *testing.T) {
	tok := StaticToken("secret-value")
	if s := fmt.Sprint(tok); strings.Contains(s, "secret") {
		t.Errorf("printed %q", s)
	}
}
