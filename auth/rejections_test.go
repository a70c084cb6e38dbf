package auth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

const (
	testServer = "https://mail.contoso.com/EWS/Exchange.asmx"
	testUser   = `CONTOSO\alice`
)

var rejectedAt = time.Date(2026, 11, 30, 9, 2, 0, 0, time.UTC)

func newTestGuard(t *testing.T, stateDir string, kr Keyring, password string) *RejectionGuard {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return NewRejectionGuard(GuardOptions{
		Rejections: NewRejections(stateDir, kr),
		Server:     testServer, User: testUser, Password: Secret(password),
		Location: paris,
		Now:      func() time.Time { return rejectedAt },
	})
}

var errServer401 = &calendar.Error{Kind: calendar.KindAuth, Op: "ews.ExpandDL", Code: "HTTP401"}

// The record holds a keyed fingerprint, never the password or an unkeyed
// hash of it, and a later process with the same password is stopped with
// the time of the rejection in the operator's zone.
func TestRejectedPasswordIsRecordedAsAKeyedFingerprint(t *testing.T) {
	ctx := context.Background()
	dir, kr := t.TempDir(), newMemKeyring(0)
	const password = "Winter2026!wrong"

	first := newTestGuard(t, dir, kr, password)
	if err := first.Check(ctx); err != nil {
		t.Fatalf("nothing on record yet, but Check says %v", err)
	}
	err := first.Rejected(ctx, errServer401)
	rej, ok := calendar.PasswordRejection(err)
	if !ok || calendar.KindOf(err) != calendar.KindAuth || !errors.Is(err, errServer401) {
		t.Fatalf("Rejected returned %v", err)
	}
	if got := rej.At.Format("15:04 MST"); got != "10:02 CET" {
		t.Errorf("rejection time %s, want 10:02 CET (Paris)", got)
	}
	if err := first.Check(ctx); err == nil {
		t.Error("the same process would send the rejected password again")
	}

	data, err := os.ReadFile(filepath.Join(dir, RejectionsFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), password) {
		t.Fatalf("the record holds the password:\n%s", data)
	}
	if !strings.Contains(string(data), `"fingerprint"`) {
		t.Fatalf("no fingerprint recorded:\n%s", data)
	}
	// Only the keyring's key makes the fingerprint: the same password under
	// another key gives another one, so the file alone allows no guessing.
	other := NewRejections(t.TempDir(), newMemKeyring(0))
	fpOther, _ := other.fingerprint(ctx, testServer, testUser, Secret(password), true)
	if strings.Contains(string(data), fpOther) {
		t.Error("the fingerprint does not depend on the keyring's key")
	}
	if info, err := os.Stat(filepath.Join(dir, RejectionsFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("record mode %v (%v), want 0600", info.Mode().Perm(), err)
	}

	// A later process: same password, same account spelled differently.
	later := NewRejectionGuard(GuardOptions{Rejections: NewRejections(dir, kr),
		Server: strings.ToUpper(testServer) + "/", User: strings.ToLower(testUser), Password: Secret(password)})
	err = later.Check(ctx)
	rej, ok = calendar.PasswordRejection(err)
	if !ok || rej.Unchecked || !rej.At.Equal(rejectedAt) || calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("a later process with the same password: %v", err)
	}
}

func TestRejectionGuardAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	const wrong, right = "Winter2026!wrong", "Winter2026!right"
	tests := []struct {
		name string
		// then runs after wrong was rejected by an earlier process.
		then func(t *testing.T, dir string, kr *memKeyring)
	}{{
		name: "a different password is tried, and clears the record once accepted",
		then: func(t *testing.T, dir string, kr *memKeyring) {
			g := newTestGuard(t, dir, kr, right)
			if err := g.Check(ctx); err != nil {
				t.Fatalf("a different password is stopped: %v", err)
			}
			g.Accepted(ctx)
			if _, found, _ := NewRejections(dir, kr).lookup(testServer, testUser); found {
				t.Error("the rejection is still on record after the new password was accepted")
			}
			if err := newTestGuard(t, dir, kr, wrong).Check(ctx); err != nil {
				t.Errorf("with the record cleared, even the old password is no longer stopped: %v", err)
			}
		},
	}, {
		name: "a different password that is rejected too replaces the record",
		then: func(t *testing.T, dir string, kr *memKeyring) {
			g := newTestGuard(t, dir, kr, "Winter2026!also-wrong")
			if err := g.Check(ctx); err != nil {
				t.Fatal(err)
			}
			_ = g.Rejected(ctx, errServer401)
			if err := newTestGuard(t, dir, kr, "Winter2026!also-wrong").Check(ctx); err == nil {
				t.Error("the second rejected password would be sent again")
			}
			if err := newTestGuard(t, dir, kr, right).Check(ctx); err != nil {
				t.Errorf("a third password is stopped: %v", err)
			}
		},
	}, {
		name: "the same password after Clear (the operator's retry) is allowed once",
		then: func(t *testing.T, dir string, kr *memKeyring) {
			if err := NewRejections(dir, kr).Clear(ctx, testServer, testUser); err != nil {
				t.Fatal(err)
			}
			g := newTestGuard(t, dir, kr, wrong)
			if err := g.Check(ctx); err != nil {
				t.Fatalf("the operator's explicit retry is stopped: %v", err)
			}
			_ = g.Rejected(ctx, errServer401)
			if err := newTestGuard(t, dir, kr, wrong).Check(ctx); err == nil {
				t.Error("rejected again, and still it would be sent once more")
			}
		},
	}, {
		name: "keyring locked: nothing is sent, and the error says it could not check",
		then: func(t *testing.T, dir string, kr *memKeyring) {
			kr.unavailable = true
			for _, pw := range []string{wrong, right} {
				err := newTestGuard(t, dir, kr, pw).Check(ctx)
				rej, ok := calendar.PasswordRejection(err)
				if !ok || !rej.Unchecked || !IsKeyringUnavailable(rej.Err) {
					t.Errorf("password %d: %v", len(pw), err)
				}
			}
		},
	}, {
		name: "fingerprint key gone from the keyring (sign-out): nothing is sent",
		then: func(t *testing.T, dir string, kr *memKeyring) {
			_ = kr.DeleteAll(ctx, KeyringService)
			err := newTestGuard(t, dir, kr, right).Check(ctx)
			if rej, ok := calendar.PasswordRejection(err); !ok || !rej.Unchecked {
				t.Errorf("Check: %v", err)
			}
		},
	}, {
		name: "other accounts are not affected",
		then: func(t *testing.T, dir string, kr *memKeyring) {
			g := NewRejectionGuard(GuardOptions{Rejections: NewRejections(dir, kr), Server: testServer, User: `CONTOSO\bob`, Password: wrong})
			if err := g.Check(ctx); err != nil {
				t.Errorf("another user: %v", err)
			}
			g = NewRejectionGuard(GuardOptions{Rejections: NewRejections(dir, kr), Server: "https://mail2.contoso.com/EWS/Exchange.asmx", User: testUser, Password: wrong})
			if err := g.Check(ctx); err != nil {
				t.Errorf("another server: %v", err)
			}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, kr := t.TempDir(), newMemKeyring(0)
			g := newTestGuard(t, dir, kr, wrong)
			if err := g.Check(ctx); err != nil {
				t.Fatal(err)
			}
			_ = g.Rejected(ctx, errServer401)
			tc.then(t, dir, kr)
		})
	}
}

// A rejection while the keyring is locked is recorded without a fingerprint:
// no later process can tell its password from another, so none is sent until
// the operator enters one.
func TestRejectionWithTheKeyringLockedStopsEveryPassword(t *testing.T) {
	ctx := context.Background()
	dir, kr := t.TempDir(), newMemKeyring(0)
	kr.unavailable = true
	_ = newTestGuard(t, dir, kr, "Winter2026!wrong").Rejected(ctx, errServer401)
	kr.unavailable = false
	err := newTestGuard(t, dir, kr, "Winter2026!right").Check(ctx)
	if rej, ok := calendar.PasswordRejection(err); !ok || !rej.Unchecked {
		t.Fatalf("Check: %v", err)
	}
	if err := NewRejections(dir, kr).Clear(ctx, testServer, testUser); err != nil {
		t.Fatal(err)
	}
	if err := newTestGuard(t, dir, kr, "Winter2026!right").Check(ctx); err != nil {
		t.Errorf("after Clear: %v", err)
	}
}

// A damaged record cannot prove a password was not rejected: nothing is sent,
// and Clear starts it afresh.
func TestDamagedRecordFailsSafe(t *testing.T) {
	ctx := context.Background()
	dir, kr := t.TempDir(), newMemKeyring(0)
	if err := os.WriteFile(filepath.Join(dir, RejectionsFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := newTestGuard(t, dir, kr, "pw").Check(ctx); calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("Check on a damaged record: %v", err)
	}
	if err := NewRejections(dir, kr).Clear(ctx, testServer, testUser); err != nil {
		t.Fatal(err)
	}
	if err := newTestGuard(t, dir, kr, "pw").Check(ctx); err != nil {
		t.Errorf("after Clear: %v", err)
	}
}

// A password the operator has just typed is compared with the record when it
// can be: the same rejected password is refused; one that cannot be compared
// (the record has no fingerprint) gets its try while the keyring works, and
// not while it is locked, since its rejection could not be fingerprinted.
func TestTypedPasswordAgainstTheRecord(t *testing.T) {
	tests := []struct {
		name           string
		recordLocked   bool // the first rejection came while the keyring was locked
		lockedNow      bool
		typed          string
		wantSent       bool
		wantUnverified bool
	}{
		{name: "the same password, fingerprinted", typed: "Winter2026!wrong"},
		{name: "another password, fingerprinted", typed: "Winter2026!right", wantSent: true},
		{name: "no fingerprint, keyring works", recordLocked: true, typed: "Winter2026!right", wantSent: true},
		{name: "no fingerprint, keyring locked", recordLocked: true, lockedNow: true, typed: "Winter2026!right", wantUnverified: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir, kr := t.TempDir(), newMemKeyring(0)
			kr.unavailable = tt.recordLocked
			_ = newTestGuard(t, dir, kr, "Winter2026!wrong").Rejected(ctx, errServer401)
			kr.unavailable = tt.lockedNow
			g := newTestGuard(t, dir, kr, tt.typed)
			g.opts.Typed = true
			err := g.Check(ctx)
			if sent := err == nil; sent != tt.wantSent {
				t.Fatalf("Check: %v, want sent %v", err, tt.wantSent)
			}
			if rej, ok := calendar.PasswordRejection(err); err != nil && (!ok || rej.Unchecked != tt.wantUnverified) {
				t.Errorf("Check: %v (rejection %+v), want unchecked %v", err, rej, tt.wantUnverified)
			}
		})
	}
}
