package ui

import (
	"errors"
	"fmt"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A colleague whose calendar cannot be read is explained in a sentence the
// operator can pass on, never in the server's technical message.
func TestUnreadableCalendarIsExplainedInPlainWords(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"not shared", calendar.ErrCalendarNotShared, "Their calendar is not shared with you."},
		{"not shared, wrapped", &calendar.ReasonError{Text: "No free/busy access. (ErrorNoFreeBusyAccess)", Reason: calendar.ErrCalendarNotShared},
			"Their calendar is not shared with you."},
		{"no mailbox", fmt.Errorf("person 3: %w", calendar.ErrMailboxNotFound), "No mailbox found for this address."},
		{"no mail address", calendar.ErrNoMailAddress, "No mail address in the directory."},
		{"no data for this time", calendar.ErrNoDataForPeriod, "No free/busy data for this time."},
		{"unreadable answer", calendar.NewUnreadableAnswer("graph.getSchedule", 200, errors.New("invalid character '<'")).Err,
			"The server's answer could not be read; Frontdesk keeps trying."},
		{"anything else", errors.New("graph.getSchedule: transient: HTTP 502: Bad Gateway"),
			"Frontdesk could not read this calendar. Details are in the log."},
		{"an error without a reason", &calendar.ReasonError{Text: "ErrorFreeBusyGenerationFailed"},
			"Frontdesk could not read this calendar. Details are in the log."},
		// Nothing failed yet, so nothing is in the log to point at.
		{"not refreshed yet", calendar.ErrNotRefreshedYet, "Not checked yet: no answer about this calendar has come from the server."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := calendar.PersonState{Status: calendar.StatusUnknown, Err: tt.err}
			if got := currentItem(p); got != tt.want {
				t.Errorf("currentItem = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnreadableCalendarIsExplainedInItalian(t *testing.T) {
	inLanguage(t, "it_IT.UTF-8")
	p := calendar.PersonState{Status: calendar.StatusUnknown, Err: calendar.ErrCalendarNotShared}
	if got, want := currentItem(p), "Il suo calendario non è condiviso con te."; got != want {
		t.Errorf("currentItem = %q, want %q", got, want)
	}
}
