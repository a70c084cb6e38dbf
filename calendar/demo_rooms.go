package calendar

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// demoRoom is one meeting room of the demo company. Its name matches the
// locations the colleagues' meetings give, so a meeting "in Room Aurora"
// shows on Aurora's day too.
type demoRoom struct {
	name, local string
	room        Room
	// meetings is how many bookings a day it has at most: the boardroom is
	// rarely free, the small rooms often.
	meetings int
}

var demoRoomList = []demoRoom{
	{"Room Aurora", "room.aurora", Room{Capacity: 12, Building: "London HQ", Floor: "3"}, 5},
	{"Room Borealis", "room.borealis", Room{Capacity: 8, Building: "London HQ", Floor: "3"}, 4},
	{"Room Cedar", "room.cedar", Room{Capacity: 6, Building: "London HQ", Floor: "4"}, 3},
	{"Room Delta", "room.delta", Room{Capacity: 4, Building: "London HQ", Floor: "4"}, 2},
	{"Boardroom", "room.board", Room{Capacity: 20, Building: "London HQ", Floor: "5"}, 3},
	{"Sala Duomo", "sala.duomo", Room{Capacity: 10, Building: "Milan", Floor: "1"}, 2},
	{"Phone booth 1", "booth.1", Room{Capacity: 1, Building: "London HQ", Floor: "4"}, 0},
}

// demoRoomOrganisers book the rooms: room calendars show who booked them.
var demoRoomSubjects = []string{"Weekly team sync", "Customer call: Northwind", "Budget review", "Interview",
	"Project Atlas planning", "Supplier visit", "Design review", "Quarterly forecast", "Board prep", "Sprint review"}

// Rooms lists the demo company's meeting rooms.
func (d *Demo) Rooms(ctx context.Context) ([]Person, error) {
	out := make([]Person, len(demoRoomList))
	for i, r := range demoRoomList {
		room := r.room
		out[i] = Person{Name: r.name, Email: r.local + "@demo.example", Office: r.room.Building, Room: &room}
	}
	return out, ctx.Err()
}

// demoRoomIndex is the room of an address, or -1.
func demoRoomIndex(email string) int {
	local, ok := strings.CutSuffix(strings.ToLower(email), "@demo.example")
	if !ok {
		return -1
	}
	for i, r := range demoRoomList {
		if r.local == local {
			return i
		}
	}
	return -1
}

// roomSlots lays out a room's bookings over w, day by day in the demo's zone.
func (d *Demo) roomSlots(i int, w Window) []Slot {
	var out []Slot
	for day := DayOf(w.Start, d.loc).Start; day.Before(w.End); day = day.AddDate(0, 0, 1) {
		for _, s := range d.roomDay(i, day) {
			if s.End.After(w.Start) && s.Start.Before(w.End) {
				out = append(out, s)
			}
		}
	}
	return out
}

// roomDay is one room's bookings on a weekday: Aurora holds the management
// stand-up every morning, the rest are drawn from a seed of the room and
// the date, without overlaps, between 08:00 and 18:00.
func (d *Demo) roomDay(i int, day time.Time) []Slot {
	if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		return nil
	}
	r := demoRoomList[i]
	at := func(halfHours int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), halfHours/2, (halfHours%2)*30, 0, 0, d.loc)
	}
	taken := make([]bool, 20) // half hours from 08:00 to 18:00
	var out []Slot
	book := func(from, length int, subject string, status Status) {
		for h := from; h < from+length; h++ {
			taken[h-16] = true
		}
		out = append(out, Slot{Start: at(from), End: at(from + length), Status: status, Subject: subject, Location: r.name})
	}
	if i == 0 {
		book(19, 2, "Management stand-up", StatusBusy) // 09:30-10:30, around the 09:45 stand-up
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "room/%d/%s", i, day.Format(time.DateOnly))
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(i)))
	for range r.meetings {
		from, length := 16+rng.IntN(18), 1+rng.IntN(4)
		if from+length > 36 {
			length = 36 - from
		}
		free := true
		for h := from; h < from+length; h++ {
			free = free && !taken[h-16]
		}
		status := StatusBusy
		if rng.IntN(6) == 0 {
			status = StatusTentative
		}
		if free {
			book(from, length, demoRoomSubjects[rng.IntN(len(demoRoomSubjects))], status)
		}
	}
	slices.SortFunc(out, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	return out
}
