package calendar

import (
	"errors"
	"time"
)

// PasswordRejectedError says a password was not sent because the server
// rejected it before, in this process or an earlier one. It always travels
// inside a KindAuth *Error, so KindOf and IsFatalForPolling treat it as a
// rejected sign-in; errors.As finds it for the words and the window's action
// ("Enter the password").
type PasswordRejectedError struct {
	// At is when the server rejected the password, in the operator's zone.
	At time.Time
	// Server and User name the account (not secret).
	Server, User string
	// Unchecked: a rejection is on record but the keyring that holds the
	// fingerprint key could not be read, so this password could not be
	// compared with it. Nothing is sent in that case either.
	Unchecked bool
	// Err is the cause: the server's answer, or the keyring failure.
	Err error
}

func (e *PasswordRejectedError) Error() string {
	msg := "password for " + e.User + " rejected by the server at " + e.At.Format(time.RFC3339) + "; not sent again"
	if e.Unchecked {
		msg = "a password for " + e.User + " was rejected at " + e.At.Format(time.RFC3339) + " and the keyring cannot be read to compare; not sent"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *PasswordRejectedError) Unwrap() error { return e.Err }

// NewPasswordRejected wraps the rejection in the KindAuth error the engine
// pauses on.
func NewPasswordRejected(op string, e *PasswordRejectedError) error {
	return &Error{Kind: KindAuth, Op: op, Code: "password_rejected", Err: e}
}

// PasswordRejection returns the rejection in err's chain, if there is one.
func PasswordRejection(err error) (*PasswordRejectedError, bool) {
	var e *PasswordRejectedError
	ok := errors.As(err, &e)
	return e, ok
}
