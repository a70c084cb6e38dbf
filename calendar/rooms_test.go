package calendar

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// roomSource is a fakeSource that also lists meeting rooms.
type roomSource struct {
	*fakeSource
	rmu      sync.Mutex
	rooms    []Person
	listings int
	roomsErr error
}

func (s *roomSource) Rooms(ctx context.Context) ([]Person, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	s.listings++
	if s.roomsErr != nil {
		return nil, s.roomsErr
	}
	return append([]Person(nil), s.rooms...), ctx.Err()
}

func (s *roomSource) listed() int {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	return s.listings
}

func newRooms(n int) []Person {
	rooms := make([]Person, n)
	for i := range rooms {
		rooms[i] = Person{Name: fmt.Sprintf("Room %02d", i), Email: fmt.Sprintf("room%02d@example.com", i), Room: &Room{Capacity: 4 + i}}
	}
	return rooms
}

func startRoomEngine(t *testing.T, src *roomSource, opts RefresherOptions) *engine {
	t.Helper()
	opts.Source, opts.Clock, opts.Location, opts.Logger = src, src.clock, simStart.Location(), quietLogger()
	r, err := NewRefresher(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &engine{Refresher: r, clock: src.clock, src: src.fakeSource, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- r.Run(ctx) }()
	t.Cleanup(e.stop)
	return e
}

// Rooms are more mailboxes in the same batches: the availability requests of
// a refresh of people and rooms never exceed ceil(people/20)+ceil(rooms/20),
// and the rooms are listed once at the start and then once a day, not at
// every directory reload or refresh.
func TestRoomsRideInTheSameBatches(t *testing.T) {
	for _, tc := range []struct{ people, rooms int }{{45, 7}, {20, 20}, {0 + 1, 41}, {60, 0}} {
		t.Run(fmt.Sprintf("%d people %d rooms", tc.people, tc.rooms), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fs := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(tc.people), keepEvents: true}
				src := &roomSource{fakeSource: fs, rooms: newRooms(tc.rooms)}
				e := startRoomEngine(t, src, RefresherOptions{DirectoryInterval: time.Hour})
				e.clock.runFor(30 * time.Second)
				s := e.latest(t)
				if got := len(s.MeetingRooms()); got != tc.rooms {
					t.Fatalf("%d rooms in the snapshot, want %d", got, tc.rooms)
				}
				if got := len(s.Colleagues()); got != tc.people {
					t.Fatalf("%d colleagues in the snapshot, want %d", got, tc.people)
				}
				for _, r := range s.MeetingRooms() {
					if r.Err != nil || len(r.DaySlots()) == 0 {
						t.Fatalf("room %s: err %v, slots %v", r.Person.Name, r.Err, r.DaySlots())
					}
				}
				avail := 0
				for _, ev := range fs.requestsAfter(simStart) {
					if ev.kind == "availability" {
						avail++
					}
				}
				perCycle := RequestsPerCycle(tc.people, 20) + RequestsPerCycle(tc.rooms, 20)
				if avail > perCycle {
					t.Fatalf("%d availability requests in the first refresh, want at most ceil(people/20)+ceil(rooms/20) = %d", avail, perCycle)
				}
				// A day and a half: directory reloads every hour, refreshes every minute.
				e.clock.runFor(36 * time.Hour)
				if got := src.listed(); got != 2 {
					t.Fatalf("rooms listed %d times in 36 hours, want 2 (at the start and after a day)", got)
				}
			})
		})
	}
}

// rooms = false: the engine never asks the source for its rooms, in a day
// of directory reloads and refreshes, and the snapshot says they are off
// rather than missing.
func TestRoomsOffListsNone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fs := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(5), keepEvents: true}
		src := &roomSource{fakeSource: fs, rooms: newRooms(3)}
		e := startRoomEngine(t, src, RefresherOptions{DirectoryInterval: time.Hour, RoomsOff: true})
		e.clock.runFor(25 * time.Hour)
		s := e.latest(t)
		if got := src.listed(); got != 0 {
			t.Errorf("rooms listed %d times with the rooms off, want 0", got)
		}
		if len(s.MeetingRooms()) != 0 || len(s.Colleagues()) != 5 || !s.RoomsOff || s.RoomsErr != nil {
			t.Errorf("snapshot: %d rooms, %d colleagues, off %v, err %v; want 0, 5, true, nil", len(s.MeetingRooms()), len(s.Colleagues()), s.RoomsOff, s.RoomsErr)
		}
	})
}

// An organisation that has not approved Place.Read.All: the rooms view says
// so, the colleagues are refreshed as ever, and the listing is not asked for
// again at every directory reload.
func TestRoomsRefusedLeavesColleaguesAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fs := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}, people: newPeople(30)}
		refused := &Error{Kind: KindPermission, Op: "graph.rooms", Code: "AADSTS65001"}
		src := &roomSource{fakeSource: fs, rooms: newRooms(5), roomsErr: refused}
		e := startRoomEngine(t, src, RefresherOptions{DirectoryInterval: time.Hour})
		e.clock.runFor(3 * time.Hour)
		s := e.latest(t)
		if KindOf(s.RoomsErr) != KindPermission {
			t.Fatalf("RoomsErr %v, want the refusal", s.RoomsErr)
		}
		if s.Engine.State != StateOK || len(s.Colleagues()) != 30 || len(s.MeetingRooms()) != 0 {
			t.Fatalf("state %s, %d colleagues, %d rooms", s.Engine.State, len(s.Colleagues()), len(s.MeetingRooms()))
		}
		if got := src.listed(); got != 1 {
			t.Fatalf("a refused listing asked %d times in 3 hours, want once", got)
		}
		// The operator signs in again, perhaps with the approval now.
		src.rmu.Lock()
		src.roomsErr = nil
		src.rmu.Unlock()
		e.CredentialsChanged()
		// The rooms are listed with the next directory load and shown from
		// the next refresh's start: within one interval (a minute) of it,
		// so two minutes never sit on the boundary.
		e.clock.runFor(2 * time.Minute)
		s = e.latest(t)
		if s.RoomsErr != nil || len(s.MeetingRooms()) != 5 {
			t.Fatalf("after a new sign-in: RoomsErr %v, %d rooms", s.RoomsErr, len(s.MeetingRooms()))
		}
	})
}

// status --json keeps "people" to colleagues: rooms come in "rooms" with
// their capacity, building and floor.
func TestSnapshotJSONListsRoomsApart(t *testing.T) {
	d := NewDemo(simStart.Location())
	people, _ := d.Directory(context.Background())
	rooms, _ := d.Rooms(context.Background())
	w := Window{Start: simStart.Add(-8 * time.Hour), End: simStart.Add(4 * 24 * time.Hour)}
	avail, err := d.Availability(context.Background(), append(people[:3:3], rooms...), w)
	if err != nil {
		t.Fatal(err)
	}
	at := simStart.Add(2 * time.Hour) // 10:00 on a Monday: the stand-up holds Aurora
	snap := BuildSnapshot("demo", avail, at, simStart.Location(), at)
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		People []struct{ Name string } `json:"people"`
		Rooms  []struct {
			Name   string
			Status string
			Until  *time.Time
			Room   Room
		} `json:"rooms"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.People) != 3 || len(out.Rooms) != len(demoRoomList) {
		t.Fatalf("%d people, %d rooms in %s", len(out.People), len(out.Rooms), data)
	}
	aurora := out.Rooms[0]
	if aurora.Name != "Room Aurora" || aurora.Status != "busy" || aurora.Until == nil || aurora.Room.Capacity != 12 || aurora.Room.Floor != "3" {
		t.Fatalf("Aurora at 10:00: %+v", aurora)
	}
	if strings.Contains(string(data), `"rooms_error"`) {
		t.Fatalf("a rooms_error with none: %s", data)
	}
}

// A room whose calendar cannot be read leaves the colleagues' state alone:
// "partial" (status exit 1) says some colleagues are unknown, not a room.
func TestUnknownRoomIsNotAPartialState(t *testing.T) {
	colleague := PersonState{Person: &Person{Email: "a@example.com"}, Status: StatusFree}
	room := PersonState{Person: &Person{Email: "room@example.com", Room: &Room{}}, Status: StatusUnknown, Err: ErrCalendarNotShared}
	if got := OverallState([]*PersonState{&colleague, &room}); got != StateOK {
		t.Fatalf("state %s with an unreadable room, want ok", got)
	}
	colleague.Status = StatusUnknown
	if got := OverallState([]*PersonState{&colleague, &room}); got != StatePartial {
		t.Fatalf("state %s with an unknown colleague, want partial", got)
	}
}
