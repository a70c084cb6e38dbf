package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// KeyringService is the service name every Frontdesk secret is stored under, so
// sign-out can find and remove all of them.
const KeyringService = "Frontdesk"

// DefaultKeyringTimeout bounds one keyring call. A locked Secret Service can wait
// forever on an unlock prompt nobody sees (headless, wallboards); long enough for
// an operator to answer a prompt that does appear.
const DefaultKeyringTimeout = 20 * time.Second

// ErrNotFound is returned when the keyring holds no such secret. It is ours, not
// go-keyring's, so callers and fakes do not depend on the backend.
var ErrNotFound = errors.New("secret not found in keyring")

// ErrTooBig is returned when the backend refuses a secret for its size (Windows
// Credential Manager 2,560 bytes, macOS about 3,000).
var ErrTooBig = errors.New("secret too big for one keyring item")

// KeyringUnavailableHint is what the operator reads when the keyring cannot be used.
const KeyringUnavailableHint = "The system keyring is locked or unavailable: unlock it and sign in again."

// Keyring is the small surface Frontdesk needs from an OS secret store.
type Keyring interface {
	Get(ctx context.Context, service, key string) (string, error)
	Set(ctx context.Context, service, key, secret string) error
	Delete(ctx context.Context, service, key string) error
	// DeleteAll removes every secret stored under service.
	DeleteAll(ctx context.Context, service string) error
}

// SystemKeyring is the OS keyring (Secret Service, Keychain, Credential Manager)
// through go-keyring, with every call bounded by Timeout.
type SystemKeyring struct {
	Timeout time.Duration
	// backend replaces go-keyring's OS provider in tests.
	backend gokeyring.Keyring
}

type osKeyring struct{}

func (osKeyring) Set(service, user, password string) error {
	return gokeyring.Set(service, user, password)
}
func (osKeyring) Get(service, user string) (string, error) { return gokeyring.Get(service, user) }
func (osKeyring) Delete(service, user string) error        { return gokeyring.Delete(service, user) }
func (osKeyring) DeleteAll(service string) error           { return gokeyring.DeleteAll(service) }

func (k SystemKeyring) provider() gokeyring.Keyring {
	if k.backend != nil {
		return k.backend
	}
	return osKeyring{}
}

func (k SystemKeyring) Get(ctx context.Context, service, key string) (string, error) {
	var secret string
	err := k.run(ctx, "get", func() error {
		var err error
		secret, err = k.provider().Get(service, key)
		return err
	})
	return secret, err
}

func (k SystemKeyring) Set(ctx context.Context, service, key, secret string) error {
	return k.run(ctx, "set", func() error { return k.provider().Set(service, key, secret) })
}

func (k SystemKeyring) Delete(ctx context.Context, service, key string) error {
	return k.run(ctx, "delete", func() error { return k.provider().Delete(service, key) })
}

func (k SystemKeyring) DeleteAll(ctx context.Context, service string) error {
	return k.run(ctx, "delete all", func() error { return k.provider().DeleteAll(service) })
}

// run calls fn on its own goroutine: go-keyring takes no context, and a D-Bus
// call waiting on an unlock prompt would otherwise hang the caller. The
// goroutine is abandoned on timeout; the buffered channel lets it finish.
func (k SystemKeyring) run(ctx context.Context, op string, fn func() error) error {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	if k.backend == nil && keyringSessionReady() != nil {
		return noKeyringService(op)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, gokeyring.ErrNotFound):
			return ErrNotFound
		case errors.Is(err, gokeyring.ErrSetDataTooBig):
			return ErrTooBig
		}
		return keyringUnavailable(op, err)
	case <-ctx.Done():
		return keyringUnavailable(op, fmt.Errorf("no answer within %s: %w", timeout, ctx.Err()))
	}
}

// keyringUnavailable is the one error for a locked, missing or unresponsive
// keyring. It is an auth failure: nothing works until the operator unlocks the
// keyring, and retrying on a poll would only pile up unlock prompts.
func keyringUnavailable(op string, err error) error {
	return &calendar.Error{Kind: calendar.KindAuth, Op: "keyring " + op, Code: "keyring_unavailable", Hint: KeyringUnavailableHint, Err: err}
}

// IsKeyringUnavailable reports whether err is the locked/unavailable keyring failure.
func IsKeyringUnavailable(err error) bool {
	var e *calendar.Error
	return errors.As(err, &e) && e.Code == "keyring_unavailable"
}
