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

// A free colleague whose next busy item starts within SoonWithin is not read
// out as plain "Free until": the sentence says how long and what follows, so
// a caller is not put through to be cut off. The same when the working hours
// they shared end first. FreeFor is the minutes `status --json` reports.
func TestFreeButNotForLong(t *testing.T) {
	now := at(10, 20)
	hours := WorkingHours{Days: weekdays, Start: 9 * time.Hour, End: 10*time.Hour + 30*time.Minute, Location: berlin}
	meeting := func(h, m int, subject string, private bool, st Status) Slot {
		return Slot{Start: at(h, m), End: at(h, m).Add(30 * time.Minute), Status: st, Subject: subject, Private: private}
	}
	free := func(until time.Time, slots ...Slot) PersonState {
		return PersonState{Status: StatusFree, Until: until, Slots: slots}
	}
	tests := []struct {
		name        string
		ps          PersonState
		now         time.Time
		want        string
		wantFreeFor int // -1: none
	}{
		{"meeting at 10:30", free(at(10, 30), meeting(10, 30, "1:1", false, StatusBusy)), now, "Free for 10 min · then 1:1", 10},
		{"private meeting names its status", free(at(10, 30), meeting(10, 30, "Secret", true, StatusBusy)), now, "Free for 10 min · then Busy", 10},
		{"no subject names its status", free(at(10, 30), meeting(10, 30, "", false, StatusTentative)), now, "Free for 10 min · then Tentative", 10},
		{"seconds round up", free(at(10, 30), meeting(10, 30, "1:1", false, StatusBusy)), now.Add(30 * time.Second), "Free for 10 min · then 1:1", 10},
		{"exactly 15 min ahead", free(at(10, 35), meeting(10, 35, "1:1", false, StatusBusy)), now, "Free for 15 min · then 1:1", 15},
		{"16 min ahead: plain free", free(at(10, 36), meeting(10, 36, "1:1", false, StatusBusy)), now, "Free until 10:36", 16},
		{"an earlier item already over", free(at(11, 0), meeting(9, 0, "Standup", false, StatusBusy), meeting(11, 0, "Review", false, StatusBusy)), now, "Free until 11:00", 40},
		{"nothing later today", free(time.Time{}), now, "Free", -1},
		{"tomorrow's item is not today's", free(time.Time{}, Slot{Start: at(0, 5).AddDate(0, 0, 1), End: at(1, 0).AddDate(0, 0, 1), Status: StatusBusy, Subject: "Night call"}), at(23, 55), "Free", -1},
		{"busy now: no free_for", PersonState{Status: StatusBusy, Until: at(10, 30), Slots: []Slot{meeting(10, 0, "1:1", false, StatusBusy)}}, now, "Busy until 10:30", -1},
		{"working hours end at 10:30", PersonState{Status: StatusFree, Until: at(10, 30), WorkingHours: hours, WorkingHoursShared: true}, now, "Off in 10 min", -1},
		{"hours end before the meeting", PersonState{Status: StatusFree, Until: at(10, 30), WorkingHours: hours, WorkingHoursShared: true, Slots: []Slot{meeting(10, 32, "Late call", false, StatusBusy)}}, now, "Off in 10 min", 12},
		{"meeting before the hours end", PersonState{Status: StatusFree, Until: at(10, 25), WorkingHours: hours, WorkingHoursShared: true, Slots: []Slot{meeting(10, 25, "1:1", false, StatusBusy)}}, now, "Free for 5 min · then 1:1", 5},
		{"hours not shared end nothing", PersonState{Status: StatusFree, Until: at(10, 30), WorkingHours: hours}, now, "Free until 10:30", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Describe(tt.ps, tt.now); got != tt.want {
				t.Errorf("Describe = %q, want %q", got, tt.want)
			}
			if got := EnglishPhrase(DetailPhrase(tt.ps, tt.now)); got != tt.want {
				t.Errorf("DetailPhrase = %q, want %q", got, tt.want)
			}
			got, ok := tt.ps.FreeFor(tt.now)
			if !ok {
				got = -1
			}
			if got != tt.wantFreeFor {
				t.Errorf("FreeFor = %d, want %d", got, tt.wantFreeFor)
			}
		})
	}
}

// The warning's reach is the engine's free_soon_minutes: with 30 minutes a
// meeting 25 minutes away is warned about, with 5 one 10 minutes away is not,
// and the working hours' end follows the same reach.
func TestFreeButNotForLongReach(t *testing.T) {
	now := at(10, 20)
	hours := WorkingHours{Days: weekdays, Start: 9 * time.Hour, End: 10*time.Hour + 45*time.Minute, Location: berlin}
	meetingAt := func(h, m int) []Slot {
		return []Slot{{Start: at(h, m), End: at(h, m).Add(30 * time.Minute), Status: StatusBusy, Subject: "1:1"}}
	}
	tests := []struct {
		name  string
		reach time.Duration
		ps    PersonState
		want  string
	}{
		{"default 15: 25 min is plain free", 0, PersonState{Status: StatusFree, Until: at(10, 45), Slots: meetingAt(10, 45)}, "Free until 10:45"},
		{"30: 25 min is warned", 30 * time.Minute, PersonState{Status: StatusFree, Until: at(10, 45), Slots: meetingAt(10, 45)}, "Free for 25 min · then 1:1"},
		{"5: 10 min is plain free", 5 * time.Minute, PersonState{Status: StatusFree, Until: at(10, 30), Slots: meetingAt(10, 30)}, "Free until 10:30"},
		{"5: 5 min is warned", 5 * time.Minute, PersonState{Status: StatusFree, Until: at(10, 25), Slots: meetingAt(10, 25)}, "Free for 5 min · then 1:1"},
		{"30: hours ending in 25 min", 30 * time.Minute, PersonState{Status: StatusFree, Until: at(10, 45), WorkingHours: hours, WorkingHoursShared: true}, "Off in 25 min"},
		{"default: hours ending in 25 min", 0, PersonState{Status: StatusFree, Until: at(10, 45), WorkingHours: hours, WorkingHoursShared: true}, "Free until 10:45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.ps.SoonWithin = tt.reach
			if got := Describe(tt.ps, now); got != tt.want {
				t.Errorf("Describe = %q, want %q", got, tt.want)
			}
		})
	}
}
