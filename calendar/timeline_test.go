package calendar

import (
	"testing"
	"time"
)

func TestTimelineSpanReachesTheNextWorkingDay(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		at      time.Time
		wantEnd time.Time
	}{
		{"Monday to Tuesday", time.Date(2026, 11, 23, 10, 0, 0, 0, paris), time.Date(2026, 11, 25, 0, 0, 0, 0, paris)},
		{"Friday to Monday", time.Date(2026, 11, 27, 16, 0, 0, 0, paris), time.Date(2026, 12, 1, 0, 0, 0, 0, paris)},
		{"Saturday to Monday", time.Date(2026, 11, 28, 9, 0, 0, 0, paris), time.Date(2026, 12, 1, 0, 0, 0, 0, paris)},
		{"over the autumn clock change", time.Date(2026, 10, 23, 12, 0, 0, 0, paris), time.Date(2026, 10, 27, 0, 0, 0, 0, paris)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := TimelineSpan(tt.at, paris)
			if !w.Start.Equal(DayOf(tt.at, paris).Start) || !w.End.Equal(tt.wantEnd) {
				t.Errorf("TimelineSpan = %v .. %v, want %v .. %v", w.Start, w.End, DayOf(tt.at, paris).Start, tt.wantEnd)
			}
		})
	}
}
