package calendar

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// unpacked is ps with its day's items as Slots, as Evaluate makes a state.
func unpacked(ps PersonState) PersonState {
	ps.Slots, ps.dayItems, ps.dayLoc = ps.DaySlots(), nil, nil
	return ps
}

// A batch's items are kept together, packed, in one array, each answer's a
// slice of it that ends with them (an append never writes into the next
// answer's), private ones without subject or location, and unpack to
// exactly what came; the answers the source gave are left as they were.
func TestBatchItemsKeepABatchTogether(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Skip("no time zone database here")
	}
	at := func(h int, loc *time.Location) time.Time { return time.Date(2026, 12, 7, h, 0, 0, 0, loc) }
	avail := []Availability{
		{Slots: []Slot{{Start: at(9, rome), End: at(10, rome), Status: StatusBusy, Subject: "Stand-up"}, {Start: at(11, rome), End: at(12, rome), Status: StatusTentative, AllDay: true}}},
		{},
		{Slots: []Slot{{Start: at(13, time.UTC), End: at(14, time.UTC), Status: StatusOOF, Subject: "Dentist", Location: "Town", Private: true}}},
	}
	var arena itemArena
	items := batchItems(avail, &arena)
	if len(items) != len(avail) {
		t.Fatalf("%d answers' items, want %d", len(items), len(avail))
	}
	if items[1].len() != 0 {
		t.Errorf("an answer without items has %d", items[1].len())
	}
	for j, want := range [][]Slot{avail[0].Slots, nil, {{Start: at(13, time.UTC), End: at(14, time.UTC), Status: StatusOOF, Private: true}}} {
		got := items[j]
		if len(got.packed) != len(want) || cap(got.packed) != len(got.packed) || got.slots != nil {
			t.Fatalf("answer %d: %d packed (cap %d), %d as they came, want %d packed", j, len(got.packed), cap(got.packed), len(got.slots), len(want))
		}
		for k, s := range got.slotsCopy() {
			if s != want[k] {
				t.Errorf("answer %d item %d = %+v, want %+v", j, k, s, want[k])
			}
		}
	}
	if next := unsafe.Add(unsafe.Pointer(&items[0].packed[1]), unsafe.Sizeof(packedSlot{})); next != unsafe.Pointer(&items[2].packed[0]) {
		t.Error("the batch's answers' items are not in one array")
	}
	if avail[2].Slots[0].Subject != "Dentist" {
		t.Error("the source's answer was changed")
	}
}

// Items that would not come back as themselves are kept as they came: a
// time with a monotonic reading, two zones in one answer, an instant past
// what Unix nanoseconds reach, a status a byte does not hold, a length not
// in whole seconds or past what 32 bits of them hold.
func TestItemsThatDoNotPackAreKeptAsTheyCame(t *testing.T) {
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	ok := Slot{Start: start, End: start.Add(time.Hour), Status: StatusBusy}
	now := time.Now()
	x := time.FixedZone("X", 3600)
	tests := []struct {
		name  string
		slots []Slot
	}{
		{"monotonic reading", []Slot{{Start: now, End: now.Add(time.Hour), Status: StatusBusy}}},
		{"two zones", []Slot{ok, {Start: start.In(x), End: start.Add(time.Hour).In(x)}}},
		{"past 2262", []Slot{ok, {Start: start, End: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		{"status past a byte", []Slot{ok, {Start: start, End: start.Add(time.Hour), Status: Status(300)}}},
		{"a length in part of a second", []Slot{ok, {Start: start, End: start.Add(time.Hour + time.Millisecond)}}},
		{"an end before its start", []Slot{ok, {Start: start, End: start.Add(-time.Hour)}}},
		{"longer than 68 years", []Slot{ok, {Start: start, End: start.AddDate(70, 0, 0)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := batchItems([]Availability{{Slots: []Slot{ok}}, {Slots: tt.slots}}, nil)
			if items[0].packed == nil {
				t.Error("the plain answer beside it was not packed")
			}
			if items[1].packed != nil || len(items[1].slots) != len(tt.slots) {
				t.Fatalf("kept %+v / %+v, want the answer as it came", items[1].packed, items[1].slots)
			}
			for k := range tt.slots {
				if items[1].slots[k] != tt.slots[k] {
					t.Errorf("item %d = %+v, want %+v", k, items[1].slots[k], tt.slots[k])
				}
			}
		})
	}
}

// The engine's states read their day from the packed items: the same items,
// current item and status Evaluate gives from the answer as it came, with
// no copy of the day held by the state.
func TestPackedStatesReadAsEvaluate(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database here")
	}
	demo := NewDemoOfSize(paris, 400)
	dir, _ := demo.Directory(t.Context())
	for _, at := range []time.Time{time.Date(2026, 12, 7, 10, 20, 0, 0, paris), time.Date(2026, 12, 5, 12, 0, 0, 0, paris)} {
		answers, err := FetchAll(t.Context(), demo, dir, FetchWindow(at, paris))
		if err != nil {
			t.Fatal(err)
		}
		var ro roster
		ro.replace(dir, nil)
		items := batchItems(answers, &ro.arena)
		for i := range answers {
			ro.recordItems(i, dir[i], answers[i], items[i], at)
		}
		day := TimelineSpan(at, paris)
		people, _ := ro.evaluate(at, day, 0, 0)
		packedDays := 0
		for n, i := range ro.display {
			got := people[n]
			a := answers[i]
			a.Slots, a.FetchedAt = items[i].slotsCopy(), at
			want := Evaluate(a, at, day)
			want.Revision = got.Revision
			if !samePersonState(unpacked(*got), want) {
				t.Fatalf("%s at %s: state\n%+v\nwant\n%+v", dir[i].Email, at, unpacked(*got), want)
			}
			if got.Slots != nil {
				t.Errorf("%s: the state holds its own copy of the day", dir[i].Email)
			}
			if len(got.dayItems) > 0 {
				packedDays++
			}
		}
		if packedDays == 0 {
			t.Errorf("at %s nobody's day was read from packed items", at)
		}
	}
}

// An answer that keeps the last good data because the new one could not be
// read outlives the batch it came in: its items move to an array of their
// own, so the batch's array goes with the next cycle's answers.
func TestKeptDataLetsItsBatchGo(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 7, h, 0, 0, 0, time.UTC) }
	people := []Person{{Name: "Ada", Email: "ada@example.com"}, {Name: "Bob", Email: "bob@example.com"}}
	var ro roster
	ro.replace(people, nil)
	avail := []Availability{
		{Person: people[0], Slots: []Slot{{Start: at(9), End: at(10), Status: StatusBusy}}},
		{Person: people[1], Slots: []Slot{{Start: at(11), End: at(12), Status: StatusBusy}}},
	}
	items := batchItems(avail, &ro.arena)
	now := at(8)
	for j, a := range avail {
		ro.recordItems(j, people[j], a, items[j], now)
	}
	if &ro.fetched[0].avail.items.packed[0] != &items[0].packed[0] {
		t.Fatal("a good answer's items are not the batch's")
	}
	garbled := Availability{Person: people[0], Err: &UnreadableAnswer{Status: http.StatusOK, Err: errors.New("garbled")}}
	for range 2 {
		ro.record(0, people[0], garbled, now.Add(time.Minute))
		kept := ro.fetched[0].avail.items
		if len(kept.packed) != 1 || kept.packed[0] != items[0].packed[0] {
			t.Fatalf("kept items %+v, want %+v", kept.packed, items[0].packed)
		}
		if &kept.packed[0] == &items[0].packed[0] {
			t.Error("the kept items still hold the batch's array")
		}
	}
}

// The demo finds a colleague asked about by the index in their ID and, just
// the same, one asked about by address alone, in any case; an ID that does
// not go with the address counts for nothing.
func TestDemoFindsColleaguesByIDOrAddress(t *testing.T) {
	demo := NewDemoOfSize(time.UTC, 200)
	dir, _ := demo.Directory(t.Context())
	for _, i := range []int{0, 61, 199} {
		p := dir[i]
		for _, asked := range []Person{p, {Email: strings.ToUpper(p.Email)}, {ID: "demo-07", Email: p.Email}, {ID: "demo-x", Email: p.Email}} {
			if got := demo.indexOf(asked); got != i {
				t.Errorf("%+v found as %d, want %d", asked, got, i)
			}
		}
	}
	if got := demo.indexOf(Person{ID: "demo-07", Email: "nobody@demo.example"}); got != -1 {
		t.Errorf("an unknown address found as %d", got)
	}
}

// The arena hands out room side by side in chunks of 64 KiB and never the
// same room twice; a request past a chunk gets an array of its own.
func TestItemArenaHandsOutRoomOnce(t *testing.T) {
	var arena itemArena
	first := arena.take(3)
	second := arena.take(5)
	if len(first) != 0 || cap(first) != 3 || cap(second) != 5 {
		t.Fatalf("room %d/%d and %d/%d, want 0/3 and 0/5", len(first), cap(first), len(second), cap(second))
	}
	first = append(first, packedSlot{subject: "a"}, packedSlot{subject: "b"}, packedSlot{subject: "c"})
	second = append(second, packedSlot{subject: "d"})
	if first[2].subject != "c" || unsafe.Pointer(&first[:3][2]) == unsafe.Pointer(&second[0]) {
		t.Error("two takes share room")
	}
	if unsafe.Add(unsafe.Pointer(&first[0]), 3*unsafe.Sizeof(packedSlot{})) != unsafe.Pointer(&second[0]) {
		t.Error("two takes are not side by side in one chunk")
	}
	if got := int(unsafe.Sizeof(packedSlot{})) * cap(arena.free); got > 64<<10 || got < 63<<10 {
		t.Errorf("a chunk of %d bytes, want 64 KiB", got)
	}
	rest := cap(arena.free) - len(arena.free)
	arena.take(rest)
	next := arena.take(1)
	if unsafe.Pointer(&next[:1][0]) == unsafe.Pointer(&first[0]) || cap(arena.free) != arenaChunkItems || len(arena.free) != 1 {
		t.Error("a full chunk was not followed by a new one")
	}
	big := arena.take(arenaChunkItems + 1)
	if cap(big) != arenaChunkItems+1 || len(arena.free) != 1 {
		t.Errorf("a request past a chunk: cap %d, chunk used %d", cap(big), len(arena.free))
	}
}
