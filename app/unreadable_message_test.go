package app

import (
	"errors"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// An answer the server sent but Frontdesk could not read is said so, with its
// HTTP status, whichever backend it came from; it is not "Cannot reach the
// server", and a server's paging is not a settings problem.
func TestOperatorMessageForUnreadableAnswers(t *testing.T) {
	stoppedListing := calendar.NewUnreadableAnswer("graph.users", 200, errors.New("@odata.nextLink points at http://127.0.0.1:1"))
	stoppedListing.Hint = "The server's list of colleagues did not end properly, so Frontdesk stopped reading it."
	tests := []struct {
		name, want, notWant string
		err                 error
	}{
		{"Graph 500", "The server sent an answer Frontdesk could not read (HTTP 500).", "Cannot reach",
			calendar.NewUnreadableAnswer("graph.getSchedule", 500, errors.New("HTTP 500: boom"))},
		{"EWS 500 with a fault Frontdesk does not know", "The server sent an answer Frontdesk could not read (HTTP 500).", "Cannot reach",
			&calendar.Error{Kind: calendar.KindTransient, Op: "ews.GetUserAvailability", Code: "ErrorSomethingNew", Err: &calendar.UnreadableAnswer{Status: 500, Err: errors.New("new")}}},
		{"EWS HTML page in a 200", "The server sent an answer Frontdesk could not read (HTTP 200).", "Cannot reach",
			calendar.NewUnreadableAnswer("ews.GetUserAvailability", 200, errors.New("XML syntax error"))},
		{"a foreign or looping nextLink", "did not end properly", "Settings problem", stoppedListing},
		{"the network is still the network", "Cannot reach the server", "could not read",
			&calendar.Error{Kind: calendar.KindTransient, Op: "graph.getSchedule", Err: errors.New("connection refused")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := OperatorMessage(tc.err)
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.notWant) {
				t.Fatalf("OperatorMessage = %q; want it to say %q and not %q", got, tc.want, tc.notWant)
			}
		})
	}
}
