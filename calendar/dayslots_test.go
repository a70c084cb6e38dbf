package calendar

import (
	"slices"
	"testing"
)

// A snapshot holds every colleague's day: with 5,000 people, copying each day
// on every refresh was a tenth of the console's heap. The day's items are a
// view of the answer unless a private one must lose its subject.
func TestEvaluateDaySlots(t *testing.T) {
	day := DayOf(at(10, 0), berlin)
	week := Window{Start: day.Start.AddDate(0, 0, -1), End: day.Start.AddDate(0, 0, 3)}
	yesterday := Slot{Start: at(9, 0).AddDate(0, 0, -1), End: at(10, 0).AddDate(0, 0, -1), Status: StatusBusy, Subject: "Earlier"}
	tomorrow := Slot{Start: at(9, 0).AddDate(0, 0, 1), End: at(10, 0).AddDate(0, 0, 1), Status: StatusBusy, Subject: "Later"}
	budget := Slot{Start: at(9, 0), End: at(11, 0), Status: StatusBusy, Subject: "Budget", Location: "Room 1"}
	lunch := Slot{Start: at(12, 0), End: at(13, 0), Status: StatusTentative, Subject: "Lunch"}
	doctor := Slot{Start: at(14, 0), End: at(15, 0), Status: StatusBusy, Subject: "Doctor", Location: "Clinic", Private: true}
	tests := []struct {
		name   string
		slots  []Slot
		want   []Slot
		shared bool // the day's items are a view of the answer's
	}{
		{name: "nothing that day", slots: []Slot{yesterday, tomorrow}, want: nil},
		{name: "side by side and shared", slots: []Slot{yesterday, budget, lunch, tomorrow}, want: []Slot{budget, lunch}, shared: true},
		{name: "another day between them is left out", slots: []Slot{budget, tomorrow, lunch}, want: []Slot{budget, lunch}},
		{name: "private item loses subject and location",
			slots: []Slot{budget, doctor},
			want:  []Slot{budget, {Start: doctor.Start, End: doctor.End, Status: StatusBusy, Private: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answer := append([]Slot(nil), tc.slots...)
			ps := Evaluate(Availability{Person: Person{Name: "Ada"}, Window: week, Slots: answer}, at(10, 0), day)
			if len(ps.Slots) != len(tc.want) {
				t.Fatalf("Slots = %+v, want %+v", ps.Slots, tc.want)
			}
			for i := range tc.want {
				if ps.Slots[i] != tc.want[i] {
					t.Errorf("Slots[%d] = %+v, want %+v", i, ps.Slots[i], tc.want[i])
				}
			}
			if len(ps.Slots) > 0 {
				if got := sharesArray(ps.Slots, answer); got != tc.shared {
					t.Errorf("day's items share the answer's array = %v, want %v", got, tc.shared)
				}
				// Whoever appends to the day must never write into the answer.
				before := append([]Slot(nil), answer...)
				_ = append(ps.Slots, Slot{Subject: "appended"})
				for i := range answer {
					if answer[i] != before[i] {
						t.Fatalf("append to the day's items changed the answer's item %d", i)
					}
				}
			}
			for i, s := range answer {
				if s != tc.slots[i] {
					t.Errorf("Evaluate changed the answer's item %d: %+v", i, s)
				}
			}
		})
	}
}

func sharesArray[T any](view, of []T) bool {
	for i := range of {
		if &view[0] == &of[i] {
			return true
		}
	}
	return false
}

// The day's items of a colleague without private ones cost no allocation.
func TestEvaluateDaySlotsAllocations(t *testing.T) {
	day := DayOf(at(10, 0), berlin)
	slots := []Slot{
		{Start: at(9, 0), End: at(11, 0), Status: StatusBusy, Subject: "Budget"},
		{Start: at(12, 0), End: at(13, 0), Status: StatusBusy, Subject: "Lunch"},
	}
	if n := testing.AllocsPerRun(100, func() { _ = daySlots(slots, day) }); n != 0 {
		t.Errorf("daySlots allocated %v times, want 0", n)
	}
}

// The roster keeps each answer's items in an array of their own length: the
// room appends leave would otherwise be held for every colleague.
func TestRosterRecordKeepsExactSlots(t *testing.T) {
	ada := Person{Name: "Ada", Email: "ada@example.com"}
	budget := Slot{Start: at(9, 0), End: at(11, 0), Status: StatusBusy, Subject: "Budget"}
	tests := []struct {
		name  string
		slots []Slot
	}{
		{name: "room to spare", slots: append(make([]Slot, 0, 8), budget, budget)},
		{name: "exact already", slots: []Slot{budget}},
		{name: "none", slots: make([]Slot, 0, 4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ro roster
			ro.replace([]Person{ada}, nil)
			if !ro.record(0, ada, Availability{Person: ada, Slots: tc.slots}, at(10, 0)) {
				t.Fatal("answer not recorded")
			}
			got := ro.fetched[0].avail.items.slotsCopy()
			if len(got) != len(tc.slots) || cap(got) != len(got) {
				t.Errorf("kept len %d cap %d, want len %d cap %d", len(got), cap(got), len(tc.slots), len(tc.slots))
			}
			for i := range got {
				if got[i] != tc.slots[i] {
					t.Errorf("item %d = %+v, want %+v", i, got[i], tc.slots[i])
				}
			}
		})
	}
}

// A private item's subject and location are cleared once, as the answer
// arrives, so the day of a colleague with a private appointment is shared by
// every snapshot like anyone's, not copied for each to clear them; the
// source's own answer is left as it was.
func TestRosterClearsPrivateDetailsOnce(t *testing.T) {
	ada := Person{Name: "Ada", Email: "ada@example.com"}
	day := DayOf(at(10, 0), berlin)
	window := Window{Start: day.Start, End: day.Start.AddDate(0, 0, 2)}
	budget := Slot{Start: at(9, 0), End: at(11, 0), Status: StatusBusy, Subject: "Budget", Location: "Room 1"}
	doctor := Slot{Start: at(14, 0), End: at(15, 0), Status: StatusBusy, Subject: "Doctor", Location: "Clinic", Private: true}
	cleared := Slot{Start: doctor.Start, End: doctor.End, Status: StatusBusy, Private: true}
	tests := []struct {
		name  string
		slots []Slot
		want  []Slot
	}{
		{name: "private with details", slots: []Slot{budget, doctor}, want: []Slot{budget, cleared}},
		{name: "private without details", slots: []Slot{budget, cleared}, want: []Slot{budget, cleared}},
		{name: "none private", slots: []Slot{budget}, want: []Slot{budget}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answer := append(make([]Slot, 0, len(tc.slots)), tc.slots...)
			var ro roster
			ro.replace([]Person{ada}, nil)
			ro.record(0, ada, Availability{Person: ada, Window: window, Slots: answer}, at(10, 0))
			kept := ro.fetched[0].avail.items.slotsCopy()
			if !slices.Equal(kept, tc.want) || cap(kept) != len(kept) {
				t.Fatalf("kept %+v (cap %d), want %+v", kept, cap(kept), tc.want)
			}
			if !slices.Equal(answer, tc.slots) {
				t.Errorf("the source's answer was changed: %+v", answer)
			}
			people, _ := ro.evaluate(at(10, 0), day, 0, 0)
			packed := ro.fetched[0].avail.items.packed
			if got := people[0].DaySlots(); !slices.Equal(got, tc.want) || !sharesArray(people[0].dayItems, packed) {
				t.Errorf("day %+v, shared with the roster's %v; want %+v, shared", got, sharesArray(people[0].dayItems, packed), tc.want)
			}
		})
	}
}
