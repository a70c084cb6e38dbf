package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

const routeRooms = "GET /places/microsoft.graph.room"

// roomTokens hands out the calendars' token always and the rooms' token
// (Place.Read.All) unless refused holds an error.
type roomTokens struct {
	refused error
	asked   []string
}

var roomScope = []string{"https://graph.microsoft.com/Place.Read.All"}

func (p *roomTokens) Token(_ context.Context, scopes []string) (string, error) {
	p.asked = append(p.asked, strings.Join(scopes, " "))
	if len(scopes) > 0 && scopes[0] == roomScope[0] && p.refused != nil {
		return "", p.refused
	}
	return "test-token", nil
}

// The documented answer of /places/microsoft.graph.room, over two pages:
// every room with a mailbox, its capacity, building and floor (the label
// where there is one, else the number); a place without a mailbox is left out.
func TestRoomsDecodeDocumentedAnswer(t *testing.T) {
	doc, err := os.ReadFile("testdata/places-rooms.json")
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeGraph(t)
	f.handle(routeRooms, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") == "" {
			writeJSON(w, 200, strings.Replace(string(doc), `"value"`, fmt.Sprintf(`"@odata.nextLink":"%s/places/microsoft.graph.room?$skiptoken=2","value"`, f.graphURL()), 1))
			return
		}
		writeJSON(w, 200, `{"value":[{"id":"x","emailAddress":"cedar@contoso.com","displayName":"Cedar","capacity":6}]}`)
	})
	tokens := &roomTokens{}
	s := newTestSource(t, f, Options{Rooms: true, RoomScopes: roomScope, Token: tokens})
	rooms, err := s.Rooms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, email     string
		capacity        int
		building, floor string
	}{
		{"Conf Room 100", "cf100@contoso.com", 50, "1", "1"},
		{"Conf Room 200", "cf200@contoso.com", 40, "2", "2nd floor"},
		{"Cedar", "cedar@contoso.com", 6, "", ""},
	}
	if len(rooms) != len(want) {
		t.Fatalf("%d rooms: %+v", len(rooms), rooms)
	}
	for i, w := range want {
		t.Run(w.name, func(t *testing.T) {
			r := rooms[i]
			if !r.IsRoom() || r.Name != w.name || r.Email != w.email || r.Room.Capacity != w.capacity || r.Room.Building != w.building || r.Room.Floor != w.floor {
				t.Fatalf("got %+v %+v", r, r.Room)
			}
			if r.ID != "" {
				t.Fatalf("room has a directory id %q: presence would be asked for it", r.ID)
			}
		})
	}
	if f.count(routeRooms) != 2 {
		t.Fatalf("%d listing requests, want 2 pages", f.count(routeRooms))
	}
	for _, a := range tokens.asked {
		if a != roomScope[0] {
			t.Fatalf("the listing asked a token for %q, want Place.Read.All alone", a)
		}
	}
}

// Not granted: a tenant that has not approved Place.Read.All (consent
// missing for the scope, or Graph's 403) gives a permission error the rooms
// view puts in words; calendars keep their own token and carry on.
func TestRoomsNotGranted(t *testing.T) {
	for _, tc := range []struct {
		name    string
		refused error
		status  int
	}{
		{"consent missing", &calendar.Error{Kind: calendar.KindAuth, Op: "auth", Code: "AADSTS65001", Err: errors.New("consent_required")}, 0},
		{"admin approval needed", &calendar.Error{Kind: calendar.KindPermission, Op: "auth", Code: "AADSTS90094", Err: errors.New("admin approval")}, 0},
		{"403 from Graph", nil, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeRooms, func(w http.ResponseWriter, r *http.Request) {
				if tc.status != 0 {
					writeODataError(w, tc.status, "ErrorAccessDenied", "Access is denied.")
					return
				}
				writeJSON(w, 200, `{"value":[]}`)
			})
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"2"}]}`)
			})
			s := newTestSource(t, f, Options{Rooms: true, RoomScopes: roomScope, Token: &roomTokens{refused: tc.refused}})
			_, err := s.Rooms(context.Background())
			if calendar.KindOf(err) != calendar.KindPermission {
				t.Fatalf("err %v (kind %v), want a permission error", err, calendar.KindOf(err))
			}
			w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
			av, err := s.Availability(context.Background(), []calendar.Person{{Email: "a@contoso.com"}}, w)
			if err != nil || len(av) != 1 || av[0].Err != nil {
				t.Fatalf("calendars after the rooms' refusal: %v %+v", err, av)
			}
		})
	}
}

// Rooms are more mailboxes in the getSchedule batches: n rooms cost
// ceil(n/20) getSchedule requests, and no presence lookup.
func TestRoomsBatchIntoGetSchedule(t *testing.T) {
	for _, n := range []int{1, 20, 21, 45, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
				req := decodeScheduleRequest(t, r)
				var b strings.Builder
				b.WriteString(`{"value":[`)
				for i, id := range req.Schedules {
					if i > 0 {
						b.WriteString(",")
					}
					fmt.Fprintf(&b, `{"scheduleId":%q,"availabilityView":"02"}`, id)
				}
				b.WriteString("]}")
				writeJSON(w, 200, b.String())
			})
			f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"value":[]}`) })
			s := newTestSource(t, f, Options{Presence: true, Rooms: true})
			rooms := make([]calendar.Person, n)
			for i := range rooms {
				rooms[i] = calendar.Person{Name: fmt.Sprint("Room ", i), Email: fmt.Sprintf("room%d@contoso.com", i), Room: &calendar.Room{}}
			}
			w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
			av, err := calendar.FetchAll(context.Background(), s, rooms, w)
			if err != nil || len(av) != n {
				t.Fatalf("%v, %d answers", err, len(av))
			}
			if got, want := f.count(routeSchedule), int64((n+19)/20); got != want {
				t.Fatalf("%d getSchedule for %d rooms, want ceil(%d/20) = %d", got, n, n, want)
			}
			if got := f.count(routePresence); got != 0 {
				t.Fatalf("%d presence lookups for rooms, want none", got)
			}
		})
	}
}

// Rooms off in the options: nothing is asked.
func TestRoomsOffAsksNothing(t *testing.T) {
	f := newFakeGraph(t)
	s := newTestSource(t, f, Options{})
	if rooms, err := s.Rooms(context.Background()); err != nil || rooms != nil || f.total() != 0 {
		t.Fatalf("%v %v, %d requests", rooms, err, f.total())
	}
}
