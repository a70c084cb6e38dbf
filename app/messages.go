package app

import (
	"errors"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// OperatorMessage is the one plain sentence an operator reads for a failure:
// what happened and what to do.
func OperatorMessage(err error) string {
	if rej, ok := calendar.PasswordRejection(err); ok {
		return RejectedPasswordMessage(rej, EWSPasswordCommand, time.Now())
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return "Settings problem: " + ce.Error()
	}
	var e *calendar.Error
	if errors.As(err, &e) && e.Hint != "" {
		return e.Hint
	}
	var unreadable *calendar.UnreadableAnswer
	if errors.As(err, &unreadable) {
		return unreadable.OperatorMessage() + " Frontdesk keeps trying; details are in the log."
	}
	switch calendar.KindOf(err) {
	case calendar.KindAuth:
		return "Sign-in rejected. Polling stopped to protect the account. Sign in again or re-enter the password in Settings."
	case calendar.KindLocked:
		return "The account is locked or disabled. Polling stopped. Ask IT to unlock it, then sign in again."
	case calendar.KindThrottled:
		return "The server asked Frontdesk to slow down. It will try again by itself."
	case calendar.KindTransient:
		return "Cannot reach the server. Showing the last known data; Frontdesk keeps trying."
	case calendar.KindPermission:
		return "Signed in, but not allowed to read calendars. Ask IT to grant Frontdesk access."
	case calendar.KindConfig:
		return "Settings problem: " + err.Error()
	}
	return "Something went wrong: " + err.Error() + ". Details are in the log."
}
