package calendar

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

var allReasons = []error{ErrCalendarNotShared, ErrMailboxNotFound, ErrNoMailAddress, ErrNoDataForPeriod, ErrUnreadableAnswer}

// checkReason fails unless err matches want and no other reason (want nil: none).
func checkReason(t *testing.T, err, want error) {
	t.Helper()
	for _, reason := range allReasons {
		if got, w := errors.Is(err, reason), reason == want; got != w {
			t.Errorf("errors.Is(%v, %q) = %v, want %v", err, reason, got, w)
		}
	}
}

func TestReasonForCode(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"ErrorNoFreeBusyAccess", ErrCalendarNotShared},
		{"ErrorMailRecipientNotFound", ErrMailboxNotFound},
		{"ErrorNonExistentMailbox", ErrMailboxNotFound},
		{"ErrorInvalidSmtpAddress", ErrMailboxNotFound},
		{"ErrorFreeBusyGenerationFailed", nil},
		{"ErrorProxyRequestNotAllowed", nil},
		{"NoError", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := ReasonForCode(tt.code); got != tt.want {
				t.Errorf("ReasonForCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

// The errors this package gives one person carry a reason and keep their text.
func TestPersonErrorsCarryTheirReason(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 11, 0, 0, 0, rome)
	day := Window{Start: at.Add(-11 * time.Hour), End: at.Add(13 * time.Hour)}

	demo := NewDemo(rome)
	people, err := demo.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	asked := []Person{people[demoUnreadable], {Name: "Nobody", Email: "nobody@example.com"}}
	answers, err := demo.Availability(context.Background(), asked, day)
	if err != nil {
		t.Fatal(err)
	}
	unreadable, _ := UnknownBatch(people[:1], day, NewUnreadableAnswer("graph.getSchedule", 200, errors.New("bad JSON")))
	earlier := Window{Start: day.Start.Add(-48 * time.Hour), End: day.Start.Add(-24 * time.Hour)}

	tests := []struct {
		name     string
		err      error
		want     error
		wantText string
	}{
		{"demo: not shared", answers[0].Err, ErrCalendarNotShared, "calendar not shared with you"},
		{"demo: not in the directory", answers[1].Err, ErrMailboxNotFound, "not in the demo directory"},
		{"no data for the moment", Evaluate(Availability{Window: earlier}, at, day).Err, ErrNoDataForPeriod, "no calendar data for this time"},
		{"unknown period", Evaluate(Availability{Window: day, Slots: []Slot{{Start: day.Start, End: day.End, Status: StatusUnknown}}}, at, day).Err,
			ErrNoDataForPeriod, "the server has no free/busy data for this time"},
		{"unreadable batch", unreadable[0].Err, ErrUnreadableAnswer, "the server sent an answer Frontdesk could not read (HTTP 200): bad JSON"},
		{"unreadable answer wrapped", fmt.Errorf("batch: %w", NewUnreadableAnswer("ews.GetUserAvailability", 502, nil)), ErrUnreadableAnswer,
			"batch: ews.GetUserAvailability: transient: the server sent an answer Frontdesk could not read (HTTP 502)"},
		{"anything else", errors.New("HTTP 502: Bad Gateway"), nil, "HTTP 502: Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error")
			}
			checkReason(t, tt.err, tt.want)
			if got := tt.err.Error(); got != tt.wantText {
				t.Errorf("Error() = %q, want %q (the log and status --json carry it)", got, tt.wantText)
			}
		})
	}
}

func TestReasonOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"none", nil, ""},
		{"not shared", &ReasonError{Text: "No free/busy access. (ErrorNoFreeBusyAccess)", Reason: ErrCalendarNotShared}, "not_shared"},
		{"no mailbox, wrapped", fmt.Errorf("person 3: %w", ErrMailboxNotFound), "no_mailbox"},
		{"no mail address", ErrNoMailAddress, "no_mail_address"},
		{"no data", errOutsideWindow, "no_data"},
		{"unreadable answer", NewUnreadableAnswer("graph.getSchedule", 200, errors.New("bad JSON")), "unreadable"},
		{"not refreshed yet", ErrNotRefreshedYet, "not_refreshed"},
		{"anything else", errors.New("HTTP 502: Bad Gateway"), "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReasonOf(tt.err); got != tt.want {
				t.Errorf("ReasonOf(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
