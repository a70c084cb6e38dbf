package ews

import (
	"errors"
	"fmt"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Each per-mailbox error the EWS source gives matches the reason the console
// words for the operator, and keeps its own text for the log and status --json.
func TestMailboxErrorsMatchTheirCalendarReason(t *testing.T) {
	reasons := []error{calendar.ErrCalendarNotShared, calendar.ErrMailboxNotFound, calendar.ErrNoMailAddress,
		calendar.ErrNoDataForPeriod, calendar.ErrUnreadableAnswer}
	tests := []struct {
		name     string
		err      error
		want     error // nil: none of the reasons
		wantText string
	}{
		{"recipient not found", &MailboxError{Code: "ErrorMailRecipientNotFound",
			Message: "Unable to resolve e-mail address <>SMTP:tplate@exampledomain.com to an Active Directory object."},
			calendar.ErrMailboxNotFound,
			"Unable to resolve e-mail address <>SMTP:tplate@exampledomain.com to an Active Directory object. (ErrorMailRecipientNotFound)"},
		{"no mailbox", &MailboxError{Code: "ErrorNonExistentMailbox"}, calendar.ErrMailboxNotFound, "ErrorNonExistentMailbox"},
		{"invalid address", &MailboxError{Code: "ErrorInvalidSmtpAddress", Message: " bad "}, calendar.ErrMailboxNotFound, "bad (ErrorInvalidSmtpAddress)"},
		{"no free/busy access", &MailboxError{Code: "ErrorNoFreeBusyAccess", Message: "No access."},
			calendar.ErrCalendarNotShared, "No access. (ErrorNoFreeBusyAccess)"},
		{"generation failed", &MailboxError{Code: "ErrorFreeBusyGenerationFailed"}, nil, "ErrorFreeBusyGenerationFailed"},
		{"proxy not allowed", &MailboxError{Code: "ErrorProxyRequestNotAllowed", Message: "Proxy denied."}, nil, "Proxy denied. (ErrorProxyRequestNotAllowed)"},
		{"message only", &MailboxError{Message: "No access."}, nil, "No access."},
		{"nothing published", errNoFreeBusyData, calendar.ErrNoDataForPeriod, "no free/busy information published for this mailbox"},
		{"unusable items", fmt.Errorf("%w (%d item(s))", errUnusableEvents, 3), calendar.ErrUnreadableAnswer,
			"calendar items came from Exchange without a usable start or end, and no free/busy view (3 item(s))"},
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
