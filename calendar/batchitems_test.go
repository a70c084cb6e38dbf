package calendar

import (
	"errors"
	"net/http"
	"testing"
	"time"
	"unsafe"
)

// A batch's items are kept together in one array, each answer's a slice of
// it that ends with them (an append never writes into the next answer's),
// private ones without subject or location, and the answers the source gave
// are left as they were.
func TestBatchItemsKeepABatchTogether(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 7, h, 0, 0, 0, time.UTC) }
	avail := []Availability{
		{Slots: []Slot{{Start: at(9), End: at(10), Status: StatusBusy, Subject: "Stand-up"}, {Start: at(11), End: at(12), Status: StatusTentative}}},
		{},
		{Slots: []Slot{{Start: at(13), End: at(14), Status: StatusBusy, Subject: "Dentist", Location: "Town", Private: true}}},
	}
	items := batchItems(avail)
	if len(items) != len(avail) {
		t.Fatalf("%d answers' items, want %d", len(items), len(avail))
	}
	if items[1] != nil {
		t.Errorf("an answer without items has %v, want none", items[1])
	}
	for j, want := range [][]Slot{avail[0].Slots, nil, {{Start: at(13), End: at(14), Status: StatusBusy, Private: true}}} {
		if len(items[j]) != len(want) || cap(items[j]) != len(items[j]) {
			t.Fatalf("answer %d: len %d cap %d, want both %d", j, len(items[j]), cap(items[j]), len(want))
		}
		for k := range want {
			if items[j][k] != want[k] {
				t.Errorf("answer %d item %d = %+v, want %+v", j, k, items[j][k], want[k])
			}
		}
	}
	if next := unsafe.Add(unsafe.Pointer(&items[0][1]), unsafe.Sizeof(Slot{})); next != unsafe.Pointer(&items[2][0]) {
		t.Error("the batch's answers' items are not in one array")
	}
	if avail[2].Slots[0].Subject != "Dentist" || &avail[0].Slots[0] == &items[0][0] {
		t.Error("the source's answers were changed or shared")
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
	items := batchItems(avail)
	now := at(8)
	for j, a := range avail {
		a.Slots = items[j]
		ro.record(j, people[j], a, now)
	}
	if &ro.fetched[0].avail.Slots[0] != &items[0][0] {
		t.Fatal("a good answer's items are not the batch's")
	}
	garbled := Availability{Person: people[0], Err: &UnreadableAnswer{Status: http.StatusOK, Err: errors.New("garbled")}}
	for range 2 {
		ro.record(0, people[0], garbled, now.Add(time.Minute))
		kept := ro.fetched[0].avail.Slots
		if len(kept) != 1 || kept[0] != items[0][0] {
			t.Fatalf("kept items %+v, want %+v", kept, items[0])
		}
		if &kept[0] == &items[0][0] {
			t.Error("the kept items still hold the batch's array")
		}
	}
}
