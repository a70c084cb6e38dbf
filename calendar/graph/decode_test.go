package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// decodeAnswer must read every answer as encoding/json (v1) did before it, so
// that moving to JSON v2 changes no colleague's answer: the same values where
// v1 read one, an error where v1 gave one.
func TestDecodeAnswerReadsAsV1(t *testing.T) {
	documented, err := os.ReadFile("testdata/getschedule-documented.json")
	if err != nil {
		t.Fatal(err)
	}
	notes, err := os.ReadFile("testdata/getpresences-statusmessage.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body string
	}{
		{"documented getSchedule", string(documented)},
		{"presence with status messages and work locations", string(notes)},
		{"status message of the wrong shape", `{"value":[{"id":"1","statusMessage":{"message":"just a string"},"workLocation":"office"}]}`},
		{"name in another case", `{"Value":[{"ScheduleID":"a@contoso.com","AVAILABILITYVIEW":"02"}]}`},
		{"repeated name keeps the last", `{"value":[{"scheduleId":"a@contoso.com","scheduleId":"b@contoso.com"}]}`},
		{"delimiters count in names", `{"value":[{"schedule_id":"a@contoso.com","availability-view":"2"}]}`},
		{"repeated array merges into the first", `{"value":[{"scheduleItems":[{"status":"busy","start":{"dateTime":"2026-11-23T10:00:00"}}],"scheduleItems":[{}]}]}`},
		{"repeated name with null keeps the value", `{"value":[{"scheduleId":"a@contoso.com","scheduleId":null}]}`},
		{"invalid UTF-8 becomes U+FFFD", "{\"value\":[{\"scheduleId\":\"a@contoso.com\",\"scheduleItems\":[{\"status\":\"busy\",\"subject\":\"Caf\xe9\"}]}]}"},
		{"escapes and surrogate pairs", `{"value":[{"scheduleId":"a\u0040contoso.com","scheduleItems":[{"subject":"Q4 \ud83d\udcc8 review \u00e9\n"}]}]}`},
		{"lone surrogate", `{"value":[{"scheduleId":"a@contoso.com","scheduleItems":[{"subject":"\ud83d"}]}]}`},
		{"nulls leave zero values", `{"value":[{"scheduleId":null,"error":null,"scheduleItems":null,"workingHours":{"daysOfWeek":null,"timeZone":null}}]}`},
		{"unknown members are skipped", `{"@odata.context":"x","value":[{"scheduleId":"a@contoso.com","extra":{"deep":[1,2,{"x":null}]},"scheduleItems":[{"isMeeting":true,"status":"oof"}]}]}`},
		{"custom time zone", `{"value":[{"scheduleId":"a@contoso.com","workingHours":{"timeZone":{"@odata.type":"#microsoft.graph.customTimeZone","name":"Custom","bias":-60.0,"standardOffset":{"time":"03:00:00","dayOccurrence":5,"dayOfWeek":"sunday","month":10,"year":0},"daylightOffset":{"daylightBias":-60,"time":"02:00:00","dayOccurrence":5,"dayOfWeek":"sunday","month":3,"year":0}}}}]}`},
		{"schedule error", `{"value":[{"scheduleId":"x@contoso.com","error":{"message":"Not found","responseCode":"ErrorMailRecipientNotFound"}}]}`},
		{"number where a string belongs", `{"value":[{"scheduleId":42}]}`},
		{"string where a bool belongs", `{"value":[{"scheduleItems":[{"isPrivate":"yes"}]}]}`},
		{"array where an object belongs", `{"value":[[]]}`},
		{"trailing garbage", `{"value":[]} x`},
		{"cut off", `{"value":[{"scheduleId":"a@con`},
		{"empty object", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecodesAsV1(t, []byte(tt.body))
		})
	}
}

func checkDecodesAsV1(t *testing.T, body []byte) {
	t.Helper()
	for _, answer := range []func() any{
		func() any { return new(scheduleResponse) },
		func() any { return new(presenceResponse) },
		func() any { return new(userPage) },
	} {
		want, got := answer(), answer()
		wantErr := json.Unmarshal(body, want)
		gotErr := decodeAnswer(body, got)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("%T from %q: v1 error %v, decodeAnswer error %v", want, body, wantErr, gotErr)
		}
		if wantErr == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("%T from %q:\nv1           %+v\ndecodeAnswer %+v", want, body, want, got)
		}
	}
}

func FuzzDecodeAnswerMatchesV1(f *testing.F) {
	documented, err := os.ReadFile("testdata/getschedule-documented.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(documented)
	f.Add([]byte(`{"value":[{"id":"1","availability":"Busy","activity":"InAMeeting","outOfOfficeSettings":{"isOutOfOffice":true,"message":"Back Monday"}}]}`))
	f.Add([]byte(`{"value":[{"id":"1","availability":"Busy","statusMessage":{"message":{"content":"<b>Back</b> at 15:00\u202e","contentType":"html"},"expiryDateTime":{"dateTime":"2026-11-23T15:00:00.0000000","timeZone":"W. Europe Standard Time"}},"workLocation":{"workLocationType":"remote","source":"manual","placeId":null}}]}`))
	f.Add([]byte(`{"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x","value":[{"@odata.type":"#microsoft.graph.user","id":"1","displayName":"Adele","mail":"a@contoso.com","businessPhones":["+1"],"accountEnabled":false}]}`))
	// One record of the wrong shape among good ones (decodeRecords reads the rest).
	f.Add([]byte(`{"value":[{"id":"1","displayName":"Adele","mail":"a@contoso.com"},{"id":"2","displayName":42,"mail":{}},{"id":"3","mail":"c@contoso.com"}]}`))
	f.Add([]byte(`{"value":[{"scheduleId":"a@contoso.com","availabilityView":"02"},{"scheduleId":"b@contoso.com","scheduleItems":"busy"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecodesAsV1(t, body)
	})
}

// Answers are read into reused buffers: what one refresh decoded must not
// change when the next answer lands in the same buffer.
func TestDecodedAnswersOutliveTheirBuffer(t *testing.T) {
	f := newFakeGraph(t)
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		req := decodeScheduleRequest(t, r)
		subject := "First meeting"
		if f.count(routeSchedule) > 1 {
			subject = "XXXXXXXXXXXXX"
		}
		writeJSON(w, http.StatusOK, `{"value":[{"scheduleId":"`+req.Schedules[0]+`","scheduleItems":[{"status":"busy","subject":"`+subject+`","start":{"dateTime":"2026-11-23T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-23T11:00:00","timeZone":"UTC"}}]}]}`)
	})
	s := newTestSource(t, f, Options{})
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	window := calendar.Window{Start: day, End: day.Add(24 * time.Hour)}
	person := []calendar.Person{{ID: "1", Name: "Adele Vance", Email: "adelev@contoso.com"}}
	first, err := s.Availability(context.Background(), person, window)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.Availability(context.Background(), person, window); err != nil {
			t.Fatal(err)
		}
	}
	if got := first[0].Slots; len(got) != 1 || got[0].Subject != "First meeting" {
		t.Errorf("first answer's slots now %+v", got)
	}
}
