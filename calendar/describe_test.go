package calendar

import (
	"testing"
	"time"
)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func TestDescribe(t *testing.T) {
	nyc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	newYork9to5 := WorkingHours{Days: weekdays, Start: 9 * time.Hour, End: 17 * time.Hour, Location: nyc}
	now := at(10, 0)
	tests := []struct {
		name string
		ps   PersonState
		want string
	}{
		{"busy today", PersonState{Status: StatusBusy, Until: at(14, 30)}, "Busy until 14:30"},
		{"free until meeting", PersonState{Status: StatusFree, Until: at(15, 0)}, "Free until 15:00"},
		{"free all day", PersonState{Status: StatusFree}, "Free"},
		{"oof until next week", PersonState{Status: StatusOOF, Until: at(0, 0).AddDate(0, 0, 7)}, "Out of office until Mon 30 Nov"},
		{"oof until tomorrow midnight", PersonState{Status: StatusOOF, Until: at(0, 0).AddDate(0, 0, 2)}, "Out of office until Wed"},
		{"tentative tomorrow morning", PersonState{Status: StatusTentative, Until: at(9, 0).AddDate(0, 0, 1)}, "Tentative until Tue 09:00"},
		{"elsewhere", PersonState{Status: StatusElsewhere}, "Working elsewhere"},
		{"unknown", PersonState{Status: StatusUnknown, Until: at(11, 0)}, "Unknown"},
		{"free before their hours", PersonState{Status: StatusFree, Until: at(17, 0), WorkingHours: newYork9to5, WorkingHoursShared: true}, "Off until 15:00"},
		{"unknown before their hours", PersonState{Status: StatusUnknown, WorkingHours: newYork9to5, WorkingHoursShared: true}, "Off until 15:00"},
		{"busy before their hours", PersonState{Status: StatusBusy, Until: at(11, 0), WorkingHours: newYork9to5, WorkingHoursShared: true}, "Busy until 11:00"},
		{"free within their hours", PersonState{Status: StatusFree, Until: at(15, 0), WorkingHours: WorkingHours{Days: weekdays, Start: 9 * time.Hour, End: 17 * time.Hour, Location: berlin}, WorkingHoursShared: true}, "Free until 15:00"},
		{"free after their hours", PersonState{Status: StatusFree, WorkingHours: WorkingHours{Days: weekdays, Start: 7 * time.Hour, End: 9 * time.Hour, Location: berlin}, WorkingHoursShared: true}, "Off until Tue 07:00"},
		{"hours not shared", PersonState{Status: StatusFree, WorkingHours: DefaultWorkingHours(berlin)}, "Free"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Describe(tt.ps, now); got != tt.want {
				t.Errorf("Describe = %q, want %q", got, tt.want)
			}
		})
	}
	if got := ShortTime(at(14, 30).In(time.UTC), now); got != "14:30" {
		t.Errorf("ShortTime converts to now's zone: got %q", got)
	}
}
