package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Periods Graph gives no usable data for must read as unknown, never as free.
func TestSchedulePeriodsWithoutData(t *testing.T) {
	window := calendar.Window{Start: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		people   []calendar.Person
		response string
		check    func(t *testing.T, av []calendar.Availability)
	}{{
		name:   "an item without a usable start falls back to availabilityView",
		people: []calendar.Person{person("u@contoso.com")},
		response: `{"value":[{"scheduleId":"u@contoso.com","availabilityView":"22000000","scheduleItems":[` +
			`{"status":"busy","start":{"dateTime":"not a time","timeZone":"UTC"},"end":{"dateTime":"2026-11-23T09:30:00","timeZone":"UTC"}},` +
			item("tentative", "2026-11-23T10:00:00", "2026-11-23T10:30:00", "UTC", "") + `]}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			if av[0].Err != nil {
				t.Fatal(av[0].Err)
			}
			if got, _ := calendar.StatusAt(av[0].Slots, at(9, 15)); got != calendar.StatusBusy {
				t.Errorf("at 09:15 %v, want busy from the view; slots %+v", got, av[0].Slots)
			}
		},
	}, {
		name:   "items without usable times and no view: unknown with the reason",
		people: []calendar.Person{person("n@contoso.com"), person("ok@contoso.com")},
		response: `{"value":[{"scheduleId":"n@contoso.com","scheduleItems":[{"status":"busy","end":{"dateTime":"2026-11-23T09:30:00","timeZone":"UTC"}}]},
			{"scheduleId":"ok@contoso.com","availabilityView":"00000000"}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			var ue *UnusableItemsError
			if !errors.As(av[0].Err, &ue) || ue.Items != 1 || len(av[0].Slots) != 0 {
				t.Fatalf("n: err %v, slots %+v; want unknown with the reason", av[0].Err, av[0].Slots)
			}
			ps := calendar.Evaluate(av[0], at(9, 15), calendar.DayOf(at(9, 15), time.UTC))
			if ps.Status != calendar.StatusUnknown || ps.Err == nil || !strings.Contains(ps.Err.Error(), "usable start or end") {
				t.Errorf("n evaluated %v (%v)", ps.Status, ps.Err)
			}
			if av[1].Err != nil {
				t.Errorf("ok: %v", av[1].Err)
			}
		},
	}, {
		name:   "an item ending before it starts is not placed",
		people: []calendar.Person{person("r@contoso.com")},
		response: `{"value":[{"scheduleId":"r@contoso.com","availabilityView":"00330000","scheduleItems":[` +
			item("oof", "2026-11-23T10:00:00", "2026-11-23T09:30:00", "UTC", "") + `]}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			if got, _ := calendar.StatusAt(av[0].Slots, at(9, 40)); got != calendar.StatusOOF || av[0].Err != nil {
				t.Errorf("at 09:40 %v (%v), want oof from the view", got, av[0].Err)
			}
		},
	}, {
		name:   "unknown status and unknown view digits are periods without data",
		people: []calendar.Person{person("i@contoso.com"), person("v@contoso.com")},
		response: `{"value":[{"scheduleId":"i@contoso.com","scheduleItems":[` + item("unknown", "2026-11-23T09:00:00", "2026-11-23T10:00:00", "UTC", "") + `]},
			{"scheduleId":"v@contoso.com","availabilityView":"00??0000"}]}`,
		check: func(t *testing.T, av []calendar.Availability) {
			for i, when := range []time.Time{at(9, 15), at(9, 35)} {
				if got, _ := calendar.StatusAt(av[i].Slots, when); got != calendar.StatusUnknown || av[i].Err != nil {
					t.Errorf("%s at %s: %v (%v), want unknown", av[i].Person.Email, when.Format("15:04"), got, av[i].Err)
				}
			}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tc.response) })
			s := newTestSource(t, f, Options{Location: time.UTC})
			av, err := s.Availability(context.Background(), tc.people, window)
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
