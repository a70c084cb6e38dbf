package calendar

import "testing"

func TestSlotMeeting(t *testing.T) {
	tests := []struct {
		name string
		slot Slot
		want string
	}{
		{"subject and location", Slot{Subject: "Budget review", Location: "Room 4"}, "Budget review · Room 4"},
		{"subject only", Slot{Subject: "Budget review"}, "Budget review"},
		{"location only", Slot{Location: "Room 4"}, ""},
		{"private hides both", Slot{Subject: "Doctor", Location: "Clinic", Private: true}, ""},
		{"nothing shared", Slot{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.slot.Meeting(); got != tt.want {
				t.Errorf("Meeting() = %q, want %q", got, tt.want)
			}
		})
	}
}
