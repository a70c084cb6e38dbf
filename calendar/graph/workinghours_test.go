package graph

import (
	"testing"
	"time"
)

// Working hours as Graph sends them: a night shift and a day ending at
// midnight are real hours; an hour that does not read is "not shared", never
// a day that starts or ends at 00:00.
func TestWorkingHoursOfReadsEveryShift(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		name       string
		start, end string
		wantShared bool
		wantStart  time.Duration
		wantEnd    time.Duration
	}{
		{"office day", "08:00:00.0000000", "17:00:00.0000000", true, 8 * time.Hour, 17 * time.Hour},
		{"night shift", "22:00:00.0000000", "06:00:00.0000000", true, 22 * time.Hour, 6 * time.Hour},
		{"day ending at midnight", "15:00:00", "00:00:00", true, 15 * time.Hour, 0},
		{"start does not read", "8 o'clock", "17:00:00.0000000", false, 0, 0},
		{"end does not read", "08:00:00.0000000", "", false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wh := workingHoursOf(&workingHours{DaysOfWeek: []string{"monday"}, StartTime: tt.start, EndTime: tt.end}, utc)
			if shared := !wh.IsZero(); shared != tt.wantShared {
				t.Fatalf("shared = %v, want %v (%+v)", shared, tt.wantShared, wh)
			}
			if tt.wantShared && (wh.Start != tt.wantStart || wh.End != tt.wantEnd) {
				t.Errorf("hours %v-%v, want %v-%v", wh.Start, wh.End, tt.wantStart, tt.wantEnd)
			}
		})
	}
}
