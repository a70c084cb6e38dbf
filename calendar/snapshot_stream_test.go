package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

// wholeDocumentJSON is how `status --json` encoded a snapshot before it
// streamed: the whole document, then indented.
func wholeDocumentJSON(t testing.TB, s Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatalf("whole document: %v", err)
	}
	return buf.Bytes()
}

func TestSnapshotWriteJSONEqualsWholeDocument(t *testing.T) {
	ada := Person{Name: "Ada <Lovelace> & co", Email: "ada@example.com", Department: "R&D", Phone: "+44 20 7946 0000"}
	bob := Person{Name: "Bøb Ünicode", Email: "bob@example.com"}
	room := Person{Name: "Board room", Email: "board@example.com", Room: &Room{Capacity: 12, Building: "HQ", Floor: "3"}}
	bareRoom := Person{Name: "Huddle", Email: "huddle@example.com", Room: &Room{}}
	slots := []Slot{
		{Start: at(9, 0), End: at(10, 30), Status: StatusBusy, Subject: "Stand-up \"daily\"", Location: "Room <1>"},
		{Start: at(11, 0), End: at(12, 0), Status: StatusBusy, Private: true},
		{Start: at(0, 0), End: at(0, 0).AddDate(0, 0, 1), Status: StatusTentative, AllDay: true},
	}
	snap := func(people ...PersonState) Snapshot {
		return Snapshot{
			Source: "demo", At: at(10, 0).Add(123 * time.Millisecond), GeneratedAt: at(10, 0).Add(1500 * time.Millisecond).UTC(),
			Engine: EngineState{State: StateOK, LastSuccess: at(9, 59), Interval: time.Minute},
			People: ptrs(people),
		}
	}
	withSlots := snap(
		PersonState{Person: &ada, Status: StatusBusy, Until: at(10, 30), NextFree: at(10, 30), Current: &slots[0], Slots: slots, FetchedAt: at(9, 59), Presence: "Busy"},
		PersonState{Person: &bob, Status: StatusFree, Until: at(11, 0), FetchedAt: at(9, 50), WorkLocation: WorkLocationOffice},
	)
	rooms := snap(
		PersonState{Person: &ada, Status: StatusFree, FetchedAt: at(9, 59)},
		PersonState{Person: &room, Status: StatusBusy, Until: at(10, 30), Current: &slots[0], Slots: slots[:1], FetchedAt: at(9, 59)},
		PersonState{Person: &bareRoom, Status: StatusUnknown, Err: errOutsideWindow},
	)
	roomsOnly := snap(PersonState{Person: &room, Status: StatusFree, FetchedAt: at(9, 59)})
	failing := snap(
		PersonState{Person: &ada, Status: StatusUnknown, Err: &ReasonError{Text: "mailbox not found", Reason: ErrNoDataForPeriod}},
		PersonState{Person: &bob, Status: StatusBusy, StaleReason: errors.New("the answer was cut off"), FetchedAt: at(9, 0)},
		PersonState{Person: &Person{Name: "Cy", Email: "cy@example.com"}, Status: StatusOOF, FetchedAt: at(9, 0),
			OutOfOffice: OutOfOffice{Active: true, Message: "Away <until> Monday", AsOf: at(8, 0), Kept: true}},
		PersonState{Person: &Person{Name: "Di", Email: "di@example.com"}, Status: StatusUnknown, Err: ErrOutOfOfficeUnknown,
			OutOfOffice: OutOfOffice{Active: true, AsOf: at(7, 0), Unknown: true}},
	)
	failing.Engine = EngineState{
		State: StateThrottled, Reason: errors.New("throttled: wait"), Until: at(10, 5), Stale: true, LastSuccess: at(9, 0),
		Notice:      "Refreshing every 2m instead of 1m",
		Limitations: []Limitation{{Kind: LimitPresenceNotApproved, URL: "https://example.com/consent?a=1&b=2", Since: at(8, 0)}},
	}
	failing.RoomsErr = errors.New("meeting rooms not approved (Place.Read.All)")
	notes := snap(
		PersonState{Person: &ada, Status: StatusFree, FetchedAt: at(9, 59), StatusMessage: StatusMessage{Text: "Back at 15:00 <3", Expires: at(15, 0)}, WorkLocation: WorkLocationRemote},
		PersonState{Person: &bob, Status: StatusFree, FetchedAt: at(9, 59), StatusMessage: StatusMessage{Text: "Ask me anything"}},
	)

	tests := []struct {
		name string
		snap Snapshot
	}{
		{"zero snapshot", Snapshot{}},
		{"empty", snap()},
		{"people with slots", withSlots},
		{"rooms", rooms},
		{"rooms only", roomsOnly},
		{"errors", failing},
		{"status_message", notes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := wholeDocumentJSON(t, tt.snap)
			var got bytes.Buffer
			if err := tt.snap.WriteJSON(&got); err != nil {
				t.Fatalf("WriteJSON: %v", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("streamed document differs from the whole document\n got:\n%s\nwant:\n%s", got.Bytes(), want)
			}
		})
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct {
	n      int
	writes int
}

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	f.writes++
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestSnapshotWriteJSONStopsAtFailedWrite(t *testing.T) {
	s := manyPeopleSnapshot(5000)
	w := &failAfter{n: 1000}
	if err := s.WriteJSON(w); !errors.Is(err, errDiskFull) {
		t.Fatalf("WriteJSON = %v, want the write's error", err)
	}
	if w.writes != 1 {
		t.Errorf("%d writes after the failure, want the encoding to stop at it", w.writes-1)
	}
}

// manyPeopleSnapshot is n colleagues with a day of items each, and a room.
func manyPeopleSnapshot(n int) Snapshot {
	day := []Slot{
		{Start: at(9, 0), End: at(10, 30), Status: StatusBusy, Subject: "Stand-up", Location: "Room 1"},
		{Start: at(14, 0), End: at(15, 0), Status: StatusTentative, Subject: "Review"},
	}
	s := Snapshot{Source: "demo", At: at(10, 0), GeneratedAt: at(10, 0), Engine: EngineState{State: StateOK, LastSuccess: at(10, 0)}}
	for i := range n {
		p := Person{Name: fmt.Sprintf("Colleague %d", i), Email: fmt.Sprintf("c%d@example.com", i), Department: "Sales"}
		if i == n-1 {
			p.Room = &Room{Capacity: 8}
		}
		s.People = append(s.People, &PersonState{Person: &p, Status: StatusBusy, Until: at(10, 30), Current: &day[0], Slots: day, FetchedAt: at(10, 0)})
	}
	return s
}

// The streamed document's memory does not grow with the people in it:
// compare B/op with BenchmarkSnapshotWholeDocumentJSON.
func BenchmarkSnapshotWriteJSON10k(b *testing.B) {
	s := manyPeopleSnapshot(10000)
	b.ReportAllocs()
	for b.Loop() {
		var w countingWriter
		if err := s.WriteJSON(&w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSnapshotWholeDocumentJSON10k(b *testing.B) {
	s := manyPeopleSnapshot(10000)
	b.ReportAllocs()
	for b.Loop() {
		var w countingWriter
		enc := json.NewEncoder(&w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
