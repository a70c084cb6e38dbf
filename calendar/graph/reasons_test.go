package graph

import (
	"errors"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Each per-person error Graph's source gives matches the reason the console
// words for the operator, and keeps its own text for the log and status --json.
func TestPersonErrorsMatchTheirCalendarReason(t *testing.T) {
	reasons := []error{calendar.ErrCalendarNotShared, calendar.ErrMailboxNotFound, calendar.ErrNoMailAddress,
		calendar.ErrNoDataForPeriod, calendar.ErrUnreadableAnswer}
	tests := []struct {
		name     string
		err      error
		want     error // nil: none of the reasons
		wantText string
	}{
		{"not shared", &ScheduleError{Code: "ErrorNoFreeBusyAccess", Message: "No free/busy access."},
			calendar.ErrCalendarNotShared, "No free/busy access. (ErrorNoFreeBusyAccess)"},
		{"recipient not found", &ScheduleError{Code: "ErrorMailRecipientNotFound", Message: "The mail recipient could not be found."},
			calendar.ErrMailboxNotFound, "The mail recipient could not be found. (ErrorMailRecipientNotFound)"},
		{"no mailbox", &ScheduleError{Code: "ErrorNonExistentMailbox"}, calendar.ErrMailboxNotFound, "ErrorNonExistentMailbox"},
		{"invalid address", &ScheduleError{Code: "ErrorInvalidSmtpAddress"}, calendar.ErrMailboxNotFound, "ErrorInvalidSmtpAddress"},
		{"generation failed", &ScheduleError{Code: "ErrorFreeBusyGenerationFailed", Message: "boom"}, nil, "boom (ErrorFreeBusyGenerationFailed)"},
		{"proxy not allowed", &ScheduleError{Code: "ErrorProxyRequestNotAllowed"}, nil, "ErrorProxyRequestNotAllowed"},
		{"message only", &ScheduleError{Message: "No free/busy access."}, nil, "No free/busy access."},
		{"no mail address", errNoMail, calendar.ErrNoMailAddress, "no mail address: Graph cannot read this calendar"},
		{"unusable items", &UnusableItemsError{Items: 2}, calendar.ErrUnreadableAnswer,
			"Graph sent 2 calendar item(s) without a usable start or end, and no free/busy view"},
		{"no answer", errNoAnswer, nil, "no schedule returned for this person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, reason := range reasons {
				if got, want := errors.Is(tt.err, reason), reason == tt.want; got != want {
					t.Errorf("errors.Is(%v, %q) = %v, want %v", tt.err, reason, got, want)
				}
			}
			if got := tt.err.Error(); got != tt.wantText {
				t.Errorf("Error() = %q, want %q (the log and status --json carry it)", got, tt.wantText)
			}
		})
	}
}
