package auth

import (
	"context"
	"errors"
	"strings"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// CredentialStore keeps the EWS password in the keyring, one item per user name.
// A password is well under every platform's item limit, so it is stored as is.
type CredentialStore struct {
	keyring Keyring
}

// NewCredentialStore stores credentials in kr (nil: the system keyring).
func NewCredentialStore(kr Keyring) *CredentialStore {
	if kr == nil {
		kr = SystemKeyring{}
	}
	return &CredentialStore{keyring: kr}
}

func ewsKey(user string) string { return "ews:" + strings.ToLower(strings.TrimSpace(user)) }

// EWSPassword returns the stored password for user. No stored password is a
// KindAuth error with Code "no_password" (the operator must enter it).
func (s *CredentialStore) EWSPassword(ctx context.Context, user string) (Secret, error) {
	pw, err := s.keyring.Get(ctx, KeyringService, ewsKey(user))
	if errors.Is(err, ErrNotFound) {
		return "", &calendar.Error{Kind: calendar.KindAuth, Op: "ews password", Code: "no_password", Hint: "No Exchange password is stored for {{.User}}: enter it to sign in.", HintArgs: map[string]any{"User": user}}
	}
	if err != nil {
		return "", err
	}
	calendar.RegisterSecret(Secret(pw))
	return Secret(pw), nil
}

// SetEWSPassword stores (or replaces) the password for user.
func (s *CredentialStore) SetEWSPassword(ctx context.Context, user string, password Secret) error {
	calendar.RegisterSecret(password)
	return s.keyring.Set(ctx, KeyringService, ewsKey(user), password.Reveal())
}

// DeleteEWSPassword forgets the password for user; forgetting none is not an error.
func (s *CredentialStore) DeleteEWSPassword(ctx context.Context, user string) error {
	if err := s.keyring.Delete(ctx, KeyringService, ewsKey(user)); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}
