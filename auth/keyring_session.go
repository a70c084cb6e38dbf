package auth

import (
	"errors"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// ErrNoKeyringService is the cause when the session has no keyring service to
// ask: on Linux, no D-Bus session bus. Frontdesk then answers at once instead
// of letting the D-Bus library autolaunch a private bus (a dbus-daemon per
// command, left running after Frontdesk exits, and a 20 s wait for a keyring
// that bus can never offer).
var ErrNoKeyringService = errors.New("no keyring service in this session (no D-Bus session bus)")

// NoKeyringServiceHint is what the operator reads then.
const NoKeyringServiceHint = "There is no keyring service in this session: run Frontdesk in a desktop session, where the system keyring is available."

// noKeyringService is the keyring-unavailable error for a session without a
// keyring service: same kind and code as a locked keyring, so every caller
// that copes with one copes with this, with its own words.
func noKeyringService(op string) error {
	return &calendar.Error{Kind: calendar.KindAuth, Op: "keyring " + op, Code: "keyring_unavailable", Hint: NoKeyringServiceHint, Err: ErrNoKeyringService}
}

// IsNoKeyringService reports whether err says the session has no keyring service.
func IsNoKeyringService(err error) bool { return errors.Is(err, ErrNoKeyringService) }
