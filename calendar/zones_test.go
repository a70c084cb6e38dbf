package calendar

import (
	"testing"
	"time"
)

// One rule for an all-day item on both back ends: midnight to midnight in the
// operator's zone, at least 23 hours (the spring change).
func TestIsAllDayInOperatorsZone(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		start, end time.Time
		operator   *time.Location
		want       bool
	}{
		{"Rome midnight in Rome, given in UTC", time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC), time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC), rome, true},
		{"Rome midnight for an operator in UTC", time.Date(2026, 12, 7, 0, 0, 0, 0, rome), time.Date(2026, 12, 8, 0, 0, 0, 0, rome), time.UTC, false},
		{"two days", time.Date(2026, 12, 7, 0, 0, 0, 0, rome), time.Date(2026, 12, 9, 0, 0, 0, 0, rome), rome, true},
		{"spring change: 23 hours", time.Date(2026, 3, 29, 0, 0, 0, 0, rome), time.Date(2026, 3, 30, 0, 0, 0, 0, rome), rome, true},
		{"a meeting", time.Date(2026, 12, 7, 9, 0, 0, 0, rome), time.Date(2026, 12, 7, 10, 0, 0, 0, rome), rome, false},
		{"midnight to noon", time.Date(2026, 12, 7, 0, 0, 0, 0, rome), time.Date(2026, 12, 7, 12, 0, 0, 0, rome), rome, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsAllDay(tt.start, tt.end, tt.operator); got != tt.want {
				t.Errorf("IsAllDay = %v, want %v", got, tt.want)
			}
		})
	}
}
