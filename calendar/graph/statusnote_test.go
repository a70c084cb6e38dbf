package graph

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The colleague's Teams note and work location come with the presence
// Frontdesk already asks for: same call, nothing more requested. Markup is
// reduced to text; an expired note is not shown; U+202E stays, for the
// screen and the table to show escaped.
func TestPresenceStatusMessageAndWorkLocation(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "getpresences-statusmessage.json"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"dan", "eve", "fay", "gus", "hal", "ivy"}
	f := newFakeGraph(t)
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		var values []string
		for _, n := range names {
			values = append(values, `{"scheduleId":"`+n+`@contoso.com","availabilityView":"`+strings.Repeat("0", 96)+`"}`)
		}
		writeJSON(w, 200, `{"value":[`+strings.Join(values, ",")+`]}`)
	})
	f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, string(fixture)) })
	at := time.Date(2026, 11, 23, 10, 42, 0, 0, time.UTC) // 11:42 in Paris
	s := newTestSource(t, f, Options{Presence: true, PresenceInterval: time.Minute, Now: func() time.Time { return at }})
	var people []calendar.Person
	for _, n := range names {
		people = append(people, calendar.Person{ID: "id-" + n, Name: n, Email: n + "@contoso.com"})
	}
	day := calendar.DayOf(at, time.UTC)
	av, err := s.Availability(context.Background(), people, day)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(routePresence); n != 1 {
		t.Errorf("%d presence calls, want the one there always was", n)
	}
	tests := []struct {
		name     string
		note     calendar.StatusMessage // as decoded, expired or not
		shown    bool                   // in the snapshot at 10:42 UTC
		location calendar.WorkLocation
	}{
		{"dan", calendar.StatusMessage{Text: "Back at 15:00, call my mobile", Expires: time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)}, true, calendar.WorkLocationRemote},
		{"eve", calendar.StatusMessage{Text: "Ask for Maria & not me today \u202egnp.exe"}, true, calendar.WorkLocationOffice},
		{"fay", calendar.StatusMessage{Text: "In Rome until 10:00", Expires: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}, false, calendar.WorkLocationTimeOff},
		{"gus", calendar.StatusMessage{Text: "Prefers Teams chat"}, true, calendar.WorkLocationUnknown},
		{"hal", calendar.StatusMessage{}, false, calendar.WorkLocationNone},
		{"ivy", calendar.StatusMessage{}, false, calendar.WorkLocationUnknown},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := av[i]
			if a.StatusMessage.Text != tt.note.Text || !a.StatusMessage.Expires.Equal(tt.note.Expires) {
				t.Errorf("note = %q until %v, want %q until %v", a.StatusMessage.Text, a.StatusMessage.Expires, tt.note.Text, tt.note.Expires)
			}
			if a.WorkLocation != tt.location {
				t.Errorf("work location = %q, want %q", a.WorkLocation, tt.location)
			}
			ps := calendar.Evaluate(a, at, day)
			if shown := ps.StatusMessage.Text != ""; shown != tt.shown {
				t.Errorf("shown at %v: %v, want %v", at, shown, tt.shown)
			}
		})
	}
}
