package app

import (
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// EWSPasswordCommand is how a terminal operator enters the Exchange password.
const EWSPasswordCommand = "frontdesk ews-password"

// RejectedPasswordMessage is the sentence for a password the server rejected
// and Frontdesk therefore did not send again. where names the place the
// operator enters the new one: EWSPasswordCommand in a terminal, the window's
// button in the window. The time is the rejection's, in the configured zone
// (rej.At is in it); the day is added when it was not today.
func RejectedPasswordMessage(rej *calendar.PasswordRejectedError, where string, now time.Time) string {
	data := map[string]any{"Time": rej.At.Format("15:04"), "Day": rej.At.Format("2006-01-02"), "Where": where}
	y, m, d := now.In(rej.At.Location()).Date()
	today := sameDay(rej.At, y, m, d)
	switch {
	case rej.Unchecked && today:
		return lang.L("The server rejected a password for this account at {{.Time}} and the keyring cannot be read to check this one, so nothing was sent. Unlock the keyring, then enter the password: {{.Where}}", data)
	case rej.Unchecked:
		return lang.L("The server rejected a password for this account on {{.Day}} at {{.Time}} and the keyring cannot be read to check this one, so nothing was sent. Unlock the keyring, then enter the password: {{.Where}}", data)
	case today:
		return lang.L("The server rejected this password at {{.Time}}. Enter the new one: {{.Where}}", data)
	}
	return lang.L("The server rejected this password on {{.Day}} at {{.Time}}. Enter the new one: {{.Where}}", data)
}

func sameDay(t time.Time, y int, m time.Month, d int) bool {
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}
