package app

import (
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// EWSPasswordCommand is how a terminal operator enters the Exchange password.
const EWSPasswordCommand = "frontdesk ews-password"

// RejectedPasswordMessage is the sentence for a password the server rejected
// and Frontdesk therefore did not send again. enter names where the operator
// enters the new one: EWSPasswordCommand in a terminal; empty in the window,
// where the banner's "Enter the password" button is the way. The time is the rejection's, in the configured zone (rej.At is
// in it); the day is added when it was not today.
func RejectedPasswordMessage(rej *calendar.PasswordRejectedError, enter string, now time.Time) string {
	at := "at " + rej.At.Format("15:04")
	if y, m, d := now.In(rej.At.Location()).Date(); !sameDay(rej.At, y, m, d) {
		at = "on " + rej.At.Format("Mon 2 Jan") + " at " + rej.At.Format("15:04")
	}
	if rej.Unchecked {
		return "The server rejected a password for this account " + at +
			" and the keyring cannot be read to check this one, so nothing was sent. Unlock the keyring, then enter the password" + where(enter)
	}
	return "The server rejected this password " + at + ". Enter the new one" + where(enter)
}

func where(enter string) string {
	if enter == "" {
		return "."
	}
	return ": " + enter
}

func sameDay(t time.Time, y int, m time.Month, d int) bool {
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}
