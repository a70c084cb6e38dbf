package calendar

import (
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
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
