package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

const (
	adeleRecord = `{"id":"1","displayName":"Adele Vance","mail":"AdeleV@contoso.com","businessPhones":["+1 425 555 0109"],"accountEnabled":true}`
	meganRecord = `{"id":"3","displayName":"Megan Bowen","mail":"MeganB@contoso.com","businessPhones":[],"accountEnabled":true}`
)

// One user record of the wrong shape leaves that one out of the directory,
// with a log line and a count the window and status --json report; everyone
// else is listed. A listing that reads whole again clears the count.
func TestDirectoryLeavesOutOnlyTheRecordThatDoesNotRead(t *testing.T) {
	tests := []struct {
		name string
		bad  string
	}{
		{"display name is a number", `{"id":"2","displayName":42,"mail":"Bad@contoso.com","businessPhones":[]}`},
		{"mail is an object", `{"id":"2","displayName":"Bad","mail":{},"businessPhones":[]}`},
		{"phones are a string", `{"id":"2","displayName":"Bad","mail":"Bad@contoso.com","businessPhones":"+1"}`},
		{"accountEnabled is a string", `{"id":"2","displayName":"Bad","mail":"Bad@contoso.com","accountEnabled":"yes"}`},
		{"id is a number", `{"id":2,"displayName":"Bad","mail":"Bad@contoso.com"}`},
		{"record is an array", `[]`},
		{"record is a number", `42`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph(t)
			clean := false
			f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
				if clean {
					writeJSON(w, 200, `{"value":[`+adeleRecord+`,`+meganRecord+`]}`)
					return
				}
				writeJSON(w, 200, `{"value":[`+adeleRecord+`,`+tt.bad+`,`+meganRecord+`]}`)
			})
			var log bytes.Buffer
			s := newTestSource(t, f, Options{People: People{All: true}, Logger: slog.New(slog.NewTextHandler(&log, nil))})
			people, err := s.Directory(context.Background())
			if err != nil {
				t.Fatalf("one bad record lost the directory: %v", err)
			}
			var names []string
			for _, p := range people {
				names = append(names, p.Name)
			}
			if strings.Join(names, ",") != "Adele Vance,Megan Bowen" {
				t.Errorf("people = %v, want the two records that read", names)
			}
			if !strings.Contains(log.String(), "directory record does not read") || !strings.Contains(log.String(), LogDirectoryRecordsSkipped) {
				t.Errorf("nothing in the log about the record left out:\n%s", log.String())
			}
			limits := s.Limitations()
			if len(limits) != 1 || limits[0].Kind != calendar.LimitDirectoryIncomplete || limits[0].Count != 1 {
				t.Errorf("limitations = %+v, want one directory record left out", limits)
			}

			clean = true
			if _, err := s.Directory(context.Background()); err != nil {
				t.Fatal(err)
			}
			if limits := s.Limitations(); len(limits) != 0 {
				t.Errorf("after a listing that reads whole: limitations = %+v", limits)
			}
		})
	}
}

// A page whose JSON is cut off is not a list with records missing: nothing of
// it is used, and the listing fails as unreadable (the engine keeps the last
// directory).
func TestDirectoryPageCutOffIsUnreadable(t *testing.T) {
	f := newFakeGraph(t)
	f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"value":[`+adeleRecord+`,{"id":"2","displayName":"Ba`)
	})
	s := newTestSource(t, f, Options{People: People{All: true}})
	people, err := s.Directory(context.Background())
	if err == nil || !errors.Is(err, calendar.ErrUnreadableAnswer) || len(people) != 0 {
		t.Fatalf("cut-off page: %v, %v; want an unreadable answer", people, err)
	}
}

// One schedule of a getSchedule answer that does not read makes that
// colleague unknown with the reason; the others' schedules stand. A schedule
// whose own scheduleId does not read either is charged to whoever the answer
// left out, never to a colleague whose schedule read.
func TestScheduleOneRecordDoesNotRead(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	window := calendar.Window{Start: day, End: day.Add(24 * time.Hour)}
	good := func(email string) string {
		return `{"scheduleId":"` + email + `","availabilityView":"0022","scheduleItems":[` +
			item("busy", "2026-11-23T00:30:00", "2026-11-23T01:00:00", "UTC", `,"subject":"Stand-up"`) + `]}`
	}
	people := []calendar.Person{person("a@contoso.com"), person("b@contoso.com"), person("c@contoso.com")}
	tests := []struct {
		name string
		bad  string
	}{
		{"items are a string", `{"scheduleId":"b@contoso.com","scheduleItems":"busy"}`},
		{"availabilityView is a number", `{"scheduleId":"b@contoso.com","availabilityView":22}`},
		{"an item's subject is an object", `{"scheduleId":"b@contoso.com","scheduleItems":[{"status":"busy","subject":{}}]}`},
		{"working hours are a list", `{"scheduleId":"b@contoso.com","availabilityView":"0","workingHours":[]}`},
		{"scheduleId is a number", `{"scheduleId":7,"availabilityView":"2"}`},
		{"schedule is a string", `"b@contoso.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"value":[`+good("a@contoso.com")+`,`+tt.bad+`,`+good("c@contoso.com")+`]}`)
			})
			s := newTestSource(t, f, Options{})
			av, err := s.Availability(context.Background(), people, window)
			if err != nil {
				t.Fatalf("one bad schedule failed the batch: %v", err)
			}
			for i, a := range av {
				if a.Person.Email == "b@contoso.com" {
					if !errors.Is(a.Err, calendar.ErrUnreadableAnswer) || len(a.Slots) != 0 {
						t.Errorf("b: %v, %d slots; want unreadable", a.Err, len(a.Slots))
					}
					continue
				}
				if a.Err != nil || len(a.Slots) != 1 || a.Slots[0].Subject != "Stand-up" {
					t.Errorf("%d %s: %v, %+v; want its own schedule", i, a.Person.Email, a.Err, a.Slots)
				}
			}
		})
	}
}

// An answer cut off in the middle is nobody's schedule: the whole batch is
// unreadable, each with the reason, and the engine keeps their last data.
func TestScheduleAnswerCutOffIsUnreadableForEveryone(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	f := newFakeGraph(t)
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"00`)
	})
	s := newTestSource(t, f, Options{})
	av, err := s.Availability(context.Background(), []calendar.Person{person("a@contoso.com"), person("b@contoso.com")},
		calendar.Window{Start: day, End: day.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range av {
		if !errors.Is(a.Err, calendar.ErrUnreadableAnswer) {
			t.Errorf("%s: %v; want unreadable", a.Person.Email, a.Err)
		}
	}
}

// One colleague's presence that does not read leaves them without presence
// this time; the others' presence and automatic replies stand.
func TestPresenceOneRecordDoesNotRead(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	f := newFakeGraph(t)
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"0"},{"scheduleId":"b@contoso.com","availabilityView":"0"}]}`)
	})
	f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"value":[{"id":"id-a","availability":"Busy","activity":{}},
			{"id":"id-b","availability":"Away","activity":"Away","outOfOfficeSettings":{"isOutOfOffice":true,"message":"Back Monday"}}]}`)
	})
	s := newTestSource(t, f, Options{Presence: true})
	av, err := s.Availability(context.Background(), []calendar.Person{{ID: "id-a", Email: "a@contoso.com"}, {ID: "id-b", Email: "b@contoso.com"}},
		calendar.Window{Start: day, End: day.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if av[0].Presence != "" || av[1].Presence != "Away" || !av[1].OutOfOffice.Active || av[1].OutOfOffice.Message != "Back Monday" {
		t.Errorf("presence = %q %q %+v", av[0].Presence, av[1].Presence, av[1].OutOfOffice)
	}
}

// BenchmarkDecodeSchedules: a 20-schedule getSchedule answer read whole, and
// the same with one schedule of the wrong shape, read again record by record.
func BenchmarkDecodeSchedules(b *testing.B) {
	var good, bad []string
	for i := range 20 {
		email := fmt.Sprintf("p%02d@contoso.com", i)
		rec := `{"scheduleId":"` + email + `","availabilityView":"000222000","scheduleItems":[` +
			item("busy", "2026-11-23T09:00:00", "2026-11-23T10:00:00", "UTC", `,"subject":"Stand-up"`) + `,` +
			item("tentative", "2026-11-23T14:00:00", "2026-11-23T15:00:00", "UTC", `,"subject":"Review"`) + `]}`
		good = append(good, rec)
		if i == 7 {
			rec = `{"scheduleId":"` + email + `","scheduleItems":"busy"}`
		}
		bad = append(bad, rec)
	}
	for _, tt := range []struct{ name, body string }{
		{"whole", `{"value":[` + strings.Join(good, ",") + `]}`},
		{"one bad record", `{"value":[` + strings.Join(bad, ",") + `]}`},
	} {
		b.Run(tt.name, func(b *testing.B) {
			data := []byte(tt.body)
			b.ReportAllocs()
			for b.Loop() {
				answer := scheduleResponse{Value: make([]scheduleInformation, 0, 20)}
				if err := decodeAnswer(data, &answer); err != nil {
					if err := answer.decodeRecords(data); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
