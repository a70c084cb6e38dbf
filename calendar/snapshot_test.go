package calendar

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	day := DayOf(at(10, 0), berlin)
	week := Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)}
	p := Person{Name: "Ada", Email: "ada@example.com"}
	tests := []struct {
		name        string
		a           Availability
		wantStatus  Status
		wantSubject string
		wantUntil   time.Time
		wantNext    time.Time
	}{
		{
			name:       "private item hides subject and location",
			a:          Availability{Person: p, Window: week, Slots: []Slot{{Start: at(9, 0), End: at(11, 0), Status: StatusBusy, Subject: "Doctor", Location: "Clinic", Private: true}}},
			wantStatus: StatusBusy, wantUntil: at(11, 0), wantNext: at(11, 0),
		},
		{
			name:       "shared subject shown",
			a:          Availability{Person: p, Window: week, Slots: []Slot{{Start: at(9, 0), End: at(11, 0), Status: StatusBusy, Subject: "Budget"}}},
			wantStatus: StatusBusy, wantSubject: "Budget", wantUntil: at(11, 0), wantNext: at(11, 0),
		},
		{
			name:       "automatic replies on make a free calendar oof",
			a:          Availability{Person: p, Window: week, OutOfOffice: OutOfOffice{Active: true, Message: "away"}},
			wantStatus: StatusOOF,
		},
		{
			name:       "per-person error is unknown",
			a:          Availability{Person: p, Window: week, Err: errors.New("not shared")},
			wantStatus: StatusUnknown,
		},
		{
			name:       "outside the fetched window is unknown",
			a:          Availability{Person: p, Window: Window{Start: at(0, 0).AddDate(0, 0, -3), End: at(0, 0)}},
			wantStatus: StatusUnknown,
		},
		{
			name: "a period without data is unknown, and next free skips it",
			a: Availability{Person: p, Window: week, Slots: []Slot{
				{Start: at(9, 0), End: at(11, 0), Status: StatusUnknown},
				{Start: at(11, 0), End: at(12, 0), Status: StatusBusy},
			}},
			wantStatus: StatusUnknown, wantUntil: at(11, 0), wantNext: at(12, 0),
		},
		{
			name:       "automatic replies on over a period without data is oof",
			a:          Availability{Person: p, Window: week, OutOfOffice: OutOfOffice{Active: true}, Slots: []Slot{{Start: at(9, 0), End: at(11, 0), Status: StatusUnknown}}},
			wantStatus: StatusOOF,
		},
		{
			name:       "free now has no next free",
			a:          Availability{Person: p, Window: week, Slots: []Slot{{Start: at(14, 0), End: at(15, 0), Status: StatusBusy}}},
			wantStatus: StatusFree, wantUntil: at(14, 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Evaluate(tt.a, at(10, 0), day)
			if ps.Status != tt.wantStatus {
				t.Fatalf("status %v, want %v", ps.Status, tt.wantStatus)
			}
			subject := ""
			if ps.Current != nil {
				subject = ps.Current.Subject
				if ps.Current.Private && (ps.Current.Location != "" || ps.Current.Subject != "") {
					t.Errorf("private item leaks %q / %q", ps.Current.Subject, ps.Current.Location)
				}
			}
			for _, s := range ps.Slots {
				if s.Private && s.Subject != "" {
					t.Errorf("private slot in timeline leaks %q", s.Subject)
				}
			}
			if subject != tt.wantSubject {
				t.Errorf("subject %q, want %q", subject, tt.wantSubject)
			}
			if !ps.Until.Equal(tt.wantUntil) || !ps.NextFree.Equal(tt.wantNext) {
				t.Errorf("until %v next %v; want %v %v", ps.Until, ps.NextFree, tt.wantUntil, tt.wantNext)
			}
			if ps.Status == StatusUnknown && ps.Err == nil {
				t.Error("unknown without a reason")
			}
		})
	}
}

// The demo company must show an operator every status on an ordinary Monday, and
// the JSON it produces must agree with its own slots.
func TestDemoSnapshotContract(t *testing.T) {
	loc := mustLoad("Europe/Paris")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	demo := NewDemo(loc)
	people, err := demo.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	window := Window{Start: DayOf(now, loc).Start, End: DayOf(now, loc).Start.AddDate(0, 0, 4)}
	avail, err := FetchAll(context.Background(), demo, people, window)
	if err != nil {
		t.Fatal(err)
	}
	snap := BuildSnapshot(demo.Name(), avail, now, loc, now)
	if len(snap.People) < 50 {
		t.Fatalf("%d people, want at least 50", len(snap.People))
	}
	seen := map[Status]int{}
	for i, ps := range snap.People {
		seen[ps.Status]++
		if ps.Status == StatusUnknown {
			continue
		}
		st, _ := StatusAt(avail[i].Slots, now)
		endOfDay := false
		if span, ok := ps.WorkingHours.SpanAt(now); ok && st == StatusFree {
			// Free time ends with the working day even where the calendar does not.
			endOfDay = ps.Until.Equal(span.End)
		}
		if !ps.Until.IsZero() && !endOfDay {
			if after, _ := StatusAt(avail[i].Slots, ps.Until); after == st {
				t.Errorf("%s: status %v still holds at until %v", ps.Person.Name, st, ps.Until)
			}
			if before, _ := StatusAt(avail[i].Slots, ps.Until.Add(-time.Minute)); before != st {
				t.Errorf("%s: status changes before until %v", ps.Person.Name, ps.Until)
			}
		}
		if !ps.NextFree.IsZero() {
			if s, _ := StatusAt(avail[i].Slots, ps.NextFree); s != StatusFree {
				t.Errorf("%s: next free %v is %v", ps.Person.Name, ps.NextFree, s)
			}
		}
	}
	if len(seen) < 5 {
		t.Errorf("demo shows statuses %v, want free, busy, tentative, oof, elsewhere and unknown", seen)
	}
	for _, want := range []Status{StatusFree, StatusBusy, StatusOOF, StatusElsewhere, StatusUnknown} {
		if seen[want] == 0 {
			t.Errorf("no one is %v at 10:00", want)
		}
	}
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Source string `json:"source"`
		At     string `json:"at"`
		State  string `json:"state"`
		People []map[string]any
	}
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.Source != "demo" || decoded.At != "2026-11-23T10:00:00+01:00" || decoded.State != "partial" {
		t.Errorf("header = %q %q %q", decoded.Source, decoded.At, decoded.State)
	}
	for _, key := range []string{"name", "email", "department", "phone", "status", "until", "next_free", "free_for", "subject", "location", "private", "out_of_office", "presence", "status_message", "work_location", "error"} {
		if _, ok := decoded.People[0][key]; !ok {
			t.Errorf("person lacks %q", key)
		}
	}
	if strings.Contains(string(b), "Doctor") {
		t.Error("a private subject reached the JSON")
	}
}

// Same date, same day: operators and tests rely on the demo being reproducible.
func TestDemoDeterministic(t *testing.T) {
	w := DayOf(at(10, 0), berlin)
	dir, _ := NewDemo(berlin).Directory(context.Background())
	again, _ := NewDemo(berlin).Directory(context.Background())
	if !reflect.DeepEqual(dir, again) {
		t.Fatal("the demo's directory differs between two runs")
	}
	a, _ := NewDemo(berlin).Availability(context.Background(), dir[:20], w)
	b, _ := NewDemo(berlin).Availability(context.Background(), again[:20], w)
	ja, _ := json.Marshal(BuildSnapshot("demo", a, at(10, 0), berlin, at(10, 0)))
	jb, _ := json.Marshal(BuildSnapshot("demo", b, at(10, 0), berlin, at(10, 0)))
	if string(ja) != string(jb) {
		t.Error("demo differs between two runs for the same date")
	}
}

func TestBatches(t *testing.T) {
	people := make([]Person, 45)
	tests := []struct {
		size int
		want []int
	}{{20, []int{20, 20, 5}}, {100, []int{45}}, {45, []int{45}}, {0, []int{45}}}
	for _, tt := range tests {
		got := Batches(people, tt.size)
		if len(got) != len(tt.want) {
			t.Fatalf("size %d: %d batches", tt.size, len(got))
		}
		for i := range got {
			if len(got[i]) != tt.want[i] {
				t.Errorf("size %d batch %d: %d", tt.size, i, len(got[i]))
			}
		}
	}
}

// FetchAll follows the engine's rule: the first batch goes alone, so a
// rejected password costs one request, not one per concurrent request.
func TestFetchAllFirstBatchAlone(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantReqs int
	}{
		{"rejected", &Error{Kind: KindAuth, Op: "fake"}, 1},
		{"accepted", nil, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{clock: newFakeClock(simStart), limits: Limits{BatchSize: 20, MaxConcurrent: 4}}
			src.fail = func(time.Time, int, string) (time.Time, error) {
				// Hold the answer until every request allowed at once is in
				// flight (or a moment has passed, when only one may be), so
				// concurrent requests cannot hide behind a fast first answer.
				for range 50 {
					src.mu.Lock()
					all := src.inFlight == src.limits.MaxConcurrent
					src.mu.Unlock()
					if all {
						break
					}
					time.Sleep(time.Millisecond)
				}
				return time.Time{}, tt.err
			}
			_, err := FetchAll(context.Background(), src, newPeople(100), FetchWindow(simStart, berlin))
			if KindOf(err) != KindOf(tt.err) || src.count() != tt.wantReqs {
				t.Fatalf("err %v after %d requests, want %v after %d", err, src.count(), tt.err, tt.wantReqs)
			}
			if tt.err != nil && src.maxInFlight != 1 {
				t.Fatalf("%d requests at once before the first answer", src.maxInFlight)
			}
		})
	}
}
