package calendar

import (
	"testing"
	"time"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at builds a Berlin time on 2026-11-23 (a Monday) unless a day is given.
func at(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, berlin) }

func slot(s, e time.Time, st Status) Slot { return Slot{Start: s, End: e, Status: st} }

func TestStatusAt(t *testing.T) {
	tests := []struct {
		name  string
		slots []Slot
		t     time.Time
		want  Status
	}{
		{"empty is free", nil, at(10, 0), StatusFree},
		{"inside a meeting", []Slot{slot(at(9, 0), at(11, 0), StatusBusy)}, at(10, 0), StatusBusy},
		{"end is exclusive", []Slot{slot(at(9, 0), at(10, 0), StatusBusy)}, at(10, 0), StatusFree},
		{"start is inclusive", []Slot{slot(at(10, 0), at(11, 0), StatusTentative)}, at(10, 0), StatusTentative},
		{"zero-length item ignored", []Slot{slot(at(10, 0), at(10, 0), StatusBusy)}, at(10, 0), StatusFree},
		{"overlap: busy beats tentative", []Slot{slot(at(9, 0), at(11, 0), StatusTentative), slot(at(9, 30), at(10, 30), StatusBusy)}, at(10, 0), StatusBusy},
		{"overlap: oof beats busy", []Slot{slot(at(9, 0), at(11, 0), StatusBusy), slot(at(0, 0), at(23, 59), StatusOOF)}, at(10, 0), StatusOOF},
		{"busy beats working elsewhere", []Slot{slot(at(0, 0), at(0, 0).AddDate(0, 0, 1), StatusElsewhere), slot(at(10, 0), at(11, 0), StatusBusy)}, at(10, 15), StatusBusy},
		{"working elsewhere all day", []Slot{slot(at(0, 0), at(0, 0).AddDate(0, 0, 1), StatusElsewhere)}, at(15, 0), StatusElsewhere},
		{"meeting crossing midnight", []Slot{slot(at(22, 0), at(22, 0).Add(4*time.Hour), StatusBusy)}, at(0, 30).AddDate(0, 0, 1), StatusBusy},
		{"multi-day leave", []Slot{slot(at(0, 0).AddDate(0, 0, -2), at(0, 0).AddDate(0, 0, 3), StatusOOF)}, at(12, 0), StatusOOF},
		{"no data is unknown, not free", []Slot{slot(at(9, 0), at(11, 0), StatusUnknown)}, at(10, 0), StatusUnknown},
		{"no data beats a free entry", []Slot{slot(at(9, 0), at(11, 0), StatusFree), slot(at(9, 0), at(11, 0), StatusUnknown)}, at(10, 0), StatusUnknown},
		{"a known meeting beats no data", []Slot{slot(at(9, 0), at(11, 0), StatusUnknown), slot(at(9, 30), at(10, 30), StatusTentative)}, at(10, 0), StatusTentative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := StatusAt(tt.slots, tt.t); got != tt.want {
				t.Errorf("StatusAt = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUntil(t *testing.T) {
	tests := []struct {
		name   string
		slots  []Slot
		t      time.Time
		want   time.Time
		wantOK bool
	}{
		{"single meeting", []Slot{slot(at(9, 0), at(10, 30), StatusBusy)}, at(10, 0), at(10, 30), true},
		{"back-to-back merged", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 0), at(11, 0), StatusBusy), slot(at(11, 0), at(11, 30), StatusBusy)}, at(9, 30), at(11, 30), true},
		{"overlapping merged", []Slot{slot(at(9, 0), at(10, 30), StatusBusy), slot(at(10, 0), at(12, 0), StatusBusy)}, at(9, 30), at(12, 0), true},
		{"busy then tentative ends busy", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 0), at(11, 0), StatusTentative)}, at(9, 30), at(10, 0), true},
		{"gap of a minute splits", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 1), at(11, 0), StatusBusy)}, at(9, 30), at(10, 0), true},
		{"free until next meeting", []Slot{slot(at(15, 0), at(16, 0), StatusBusy)}, at(10, 0), at(15, 0), true},
		{"free with nothing ahead", []Slot{slot(at(8, 0), at(9, 0), StatusBusy)}, at(10, 0), time.Time{}, false},
		{"zero-length item does not end free", []Slot{slot(at(11, 0), at(11, 0), StatusBusy)}, at(10, 0), time.Time{}, false},
		{"meeting crossing midnight", []Slot{slot(at(23, 0), at(23, 0).Add(2*time.Hour), StatusBusy)}, at(23, 30), at(1, 0).AddDate(0, 0, 1), true},
		{"oof over a meeting keeps oof", []Slot{slot(at(0, 0), at(0, 0).AddDate(0, 0, 2), StatusOOF), slot(at(10, 0), at(11, 0), StatusBusy)}, at(9, 0), at(0, 0).AddDate(0, 0, 2), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Until(tt.slots, tt.t)
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("Until = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestNextFree(t *testing.T) {
	wh := DefaultWorkingHours(berlin) // Mon-Fri 08:00-17:00
	week := Window{Start: at(0, 0), End: at(0, 0).AddDate(0, 0, 7)}
	tests := []struct {
		name   string
		slots  []Slot
		t      time.Time
		want   time.Time
		wantOK bool
	}{
		{"after the meeting", []Slot{slot(at(9, 0), at(10, 30), StatusBusy)}, at(10, 0), at(10, 30), true},
		{"skips a 10 minute gap", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 10), at(11, 0), StatusBusy)}, at(9, 30), at(11, 0), true},
		{"takes a 15 minute gap", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 15), at(11, 0), StatusBusy)}, at(9, 30), at(10, 0), true},
		{"tentative is not free", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 0), at(12, 0), StatusTentative)}, at(9, 30), at(12, 0), true},
		{"busy till evening: next working morning", []Slot{slot(at(14, 0), at(19, 0), StatusBusy)}, at(15, 0), at(8, 0).AddDate(0, 0, 1), true},
		{"last 10 minutes of the day do not count", []Slot{slot(at(9, 0), at(16, 50), StatusBusy)}, at(10, 0), at(8, 0).AddDate(0, 0, 1), true},
		{"friday evening: monday is past the window", []Slot{slot(at(9, 0).AddDate(0, 0, 4), at(18, 0).AddDate(0, 0, 4), StatusBusy)}, at(10, 0).AddDate(0, 0, 4), at(8, 0).AddDate(0, 0, 7), false},
		{"meeting crossing midnight", []Slot{slot(at(23, 0), at(9, 0).AddDate(0, 0, 1), StatusBusy)}, at(23, 30), at(9, 0).AddDate(0, 0, 1), true},
		{"on leave past the window", []Slot{slot(at(0, 0), at(0, 0).AddDate(0, 0, 8), StatusOOF)}, at(10, 0), time.Time{}, false},
		{"leave ends mid-week", []Slot{slot(at(0, 0), at(0, 0).AddDate(0, 0, 2), StatusOOF)}, at(10, 0), at(8, 0).AddDate(0, 0, 2), true},
		{"before working hours", []Slot{slot(at(6, 0), at(7, 0), StatusBusy)}, at(6, 30), at(8, 0), true},
		// A Free entry inside a 20-minute gap changes nothing: the gap is one period.
		{"free entry does not cut a gap", []Slot{slot(at(9, 30), at(10, 30), StatusBusy), slot(at(10, 40), at(10, 50), StatusFree), slot(at(10, 50), at(12, 0), StatusBusy)}, at(10, 0), at(10, 30), true},
		{"free entries side by side do not cut a gap", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 0), at(10, 5), StatusFree), slot(at(10, 5), at(10, 12), StatusFree), slot(at(10, 20), at(11, 0), StatusBusy)}, at(9, 30), at(10, 0), true},
		{"overlapping meetings are one busy period", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(9, 30), at(10, 20), StatusBusy), slot(at(10, 20), at(10, 30), StatusTentative), slot(at(10, 40), at(11, 0), StatusBusy)}, at(9, 15), at(11, 0), true},
		{"no data is never free", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 0), at(12, 0), StatusUnknown)}, at(9, 30), at(12, 0), true},
		{"no data to the end of the window", []Slot{slot(at(9, 0), at(10, 0), StatusBusy), slot(at(10, 0), at(0, 0).AddDate(0, 0, 7), StatusUnknown)}, at(9, 30), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextFree(tt.slots, tt.t, wh, week)
			if ok != tt.wantOK || (ok && !got.Equal(tt.want)) {
				t.Errorf("NextFree = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// On 2026-10-25 Berlin goes from CEST to CET at 03:00: the day has 25 hours and
// working hours still start at 08:00 local.
func TestDSTDay(t *testing.T) {
	day := time.Date(2026, 10, 26, 0, 0, 0, 0, berlin) // Monday after the change
	sunday := DayOf(time.Date(2026, 10, 25, 12, 0, 0, 0, berlin), berlin)
	if got := sunday.End.Sub(sunday.Start); got != 25*time.Hour {
		t.Fatalf("clock-change day lasts %v, want 25h", got)
	}
	spring := DayOf(time.Date(2026, 3, 29, 12, 0, 0, 0, berlin), berlin)
	if got := spring.End.Sub(spring.Start); got != 23*time.Hour {
		t.Fatalf("spring clock-change day lasts %v, want 23h", got)
	}
	wh := WorkingHours{Days: []time.Weekday{time.Sunday, time.Monday}, Start: 8 * time.Hour, End: 17 * time.Hour, Location: berlin}
	window := Window{Start: sunday.Start, End: day.AddDate(0, 0, 1)}
	// An item across the change: 01:00 CEST to 04:00 CET is four real hours.
	s := Slot{Start: time.Date(2026, 10, 25, 1, 0, 0, 0, berlin), End: time.Date(2026, 10, 25, 4, 0, 0, 0, berlin), Status: StatusBusy}
	if got := s.End.Sub(s.Start); got != 4*time.Hour {
		t.Fatalf("item across the change lasts %v, want 4h", got)
	}
	tests := []struct {
		name string
		t    time.Time
		want time.Time
	}{
		{"sunday 02:30 (second pass) -> 08:00 local", time.Date(2026, 10, 25, 2, 30, 0, 0, berlin), time.Date(2026, 10, 25, 8, 0, 0, 0, berlin)},
		{"sunday after hours -> monday 08:00", time.Date(2026, 10, 25, 18, 0, 0, 0, berlin), time.Date(2026, 10, 26, 8, 0, 0, 0, berlin)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextFree([]Slot{s}, tt.t, wh, window)
			if !ok || !got.Equal(tt.want) {
				t.Errorf("NextFree = %v, %v; want %v", got, ok, tt.want)
			}
			if got.In(berlin).Hour() != 8 {
				t.Errorf("working day starts at %v local, want 08:00", got.In(berlin))
			}
		})
	}
	// A Free entry inside a gap on the 25-hour day does not cut it either.
	sunday9 := func(h, m int) time.Time { return time.Date(2026, 10, 25, h, m, 0, 0, berlin) }
	gap := []Slot{s, slot(sunday9(8, 0), sunday9(9, 30), StatusBusy), slot(sunday9(9, 40), sunday9(9, 50), StatusFree), slot(sunday9(9, 50), sunday9(17, 0), StatusBusy)}
	if got, ok := NextFree(gap, sunday9(8, 15), wh, window); !ok || !got.Equal(sunday9(9, 30)) {
		t.Errorf("NextFree on the clock-change day = %v, %v; want 09:30 local", got, ok)
	}
	until, ok := Until([]Slot{s}, time.Date(2026, 10, 25, 1, 30, 0, 0, berlin))
	if !ok || !until.Equal(s.End) || until.Format("15:04 MST") != "04:00 CET" {
		t.Errorf("Until across the change = %v (%v)", until.Format("15:04 MST"), ok)
	}
}
