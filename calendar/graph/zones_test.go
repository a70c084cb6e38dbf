package graph

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// romeAsLocal is what Go builds from /etc/localtime or the Windows registry
// when nobody named the zone: Rome's clocks under the name "Local".
func romeAsLocal(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocationFromTZData("Local", tzifWithRule(3600, "CET-1CEST,M3.5.0,M10.5.0/3"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The operator's zone goes into Prefer by a name Graph knows: the Windows one
// where the table has it, else the IANA one; a zone named "Local" is asked as
// a zone with the same clocks, never as UTC, and only a zone no table matches
// falls back to UTC.
func TestPreferZoneName(t *testing.T) {
	odd, err := time.LoadLocationFromTZData("Local", tzifWithRule(-(5*3600+17*60), "<+0517>-5:17"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		loc      *time.Location
		wantName string // "" for "any Windows name whose zone has the same clocks"
		wantUTC  bool
	}{
		{"IANA with a Windows name", mustLoad(t, "Europe/Paris"), "Romance Standard Time", false},
		{"IANA without one", mustLoad(t, "Europe/Rome"), "Europe/Rome", false},
		{"UTC", time.UTC, "UTC", false},
		{"Local with Rome's clocks", romeAsLocal(t), "", false},
		{"Local no zone matches", odd, "UTC", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, loc := preferZoneName(tt.loc)
			if tt.wantName != "" && name != tt.wantName {
				t.Errorf("name = %q, want %q", name, tt.wantName)
			}
			if tt.wantUTC != (loc == time.UTC && tt.loc != time.UTC) {
				t.Errorf("location = %v for %q", loc, name)
			}
			if tt.wantName == "" {
				named, ok := zoneByName(name)
				if !ok || name == "UTC" {
					t.Fatalf("name = %q (known: %v), want a zone with the operator's clocks", name, ok)
				}
				for _, at := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC), time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC)} {
					_, want := at.In(tt.loc).Zone()
					if _, got := at.In(named).Zone(); got != want {
						t.Errorf("%q at %v: offset %d, the operator's %d", name, at, got, want)
					}
				}
			}
		})
	}
}

// Every Windows name of the table comes back from its IANA zone unchanged, so
// the registry's name is the one Graph is asked in.
func TestWindowsZoneNamesRoundTrip(t *testing.T) {
	for _, w := range calendar.WindowsZoneNames() {
		iana, _ := calendar.IANAForWindowsZone(w)
		if back, ok := calendar.WindowsZoneForIANA(iana); !ok || back != w {
			t.Errorf("%q -> %q -> %q", w, iana, back)
		}
	}
}

// An all-day item in Rome is all-day for an operator in Rome, whatever zone
// Graph answered in, and hours without a zone are read in the operator's.
// Before, both were judged in UTC on a computer whose zone is "Local".
func TestAllDayAndHoursInOperatorsZone(t *testing.T) {
	rome := mustLoad(t, "Europe/Rome")
	for name, operator := range map[string]*time.Location{"named": rome, "Local": romeAsLocal(t)} {
		t.Run(name, func(t *testing.T) {
			f := newFakeGraph(t)
			var prefer string
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
				prefer = r.Header.Get("Prefer")
				// Graph answers in UTC here, as it does for a zone name it
				// does not know: Rome's midnight is 23:00 the day before.
				writeJSON(w, 200, `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"",
					"scheduleItems":[{"status":"oof","subject":"Holiday","start":{"dateTime":"2026-12-06T23:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T23:00:00.0000000","timeZone":"UTC"}}],
					"workingHours":{"daysOfWeek":["monday"],"startTime":"09:00:00.0000000","endTime":"17:00:00.0000000"}}]}`)
			})
			s := newTestSource(t, f, Options{Location: operator})
			day := calendar.Window{Start: time.Date(2026, 12, 7, 0, 0, 0, 0, operator), End: time.Date(2026, 12, 8, 0, 0, 0, 0, operator)}
			av, err := s.Availability(context.Background(), []calendar.Person{person("a@contoso.com")}, day)
			if err != nil {
				t.Fatal(err)
			}
			if prefer == `outlook.timezone="UTC"` {
				t.Errorf("Prefer = %q: Graph asked in UTC for an operator in Rome", prefer)
			}
			if len(av[0].Slots) != 1 || !av[0].Slots[0].AllDay {
				t.Fatalf("slots = %+v, want one all-day item", av[0].Slots)
			}
			wh := av[0].WorkingHours
			at := time.Date(2026, 12, 7, 8, 30, 0, 0, time.UTC) // 09:30 in Rome
			if _, off := at.In(wh.Location).Zone(); off != 3600 {
				t.Errorf("working hours without a zone are in %v (offset %d), want the operator's", wh.Location, off)
			}
		})
	}
}
