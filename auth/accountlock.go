package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/gofrs/flock"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Every Frontdesk process of the operator (a console, a watch, status runs
// from a scheduler, doctor) reads the same record. Reading it is not enough:
// five processes started in the same second all find no rejection and all
// send the password. So the first to send a password that the server has not
// yet accepted holds a lock on the account, in the state folder, from its
// check of the record until the answer is recorded; the others wait for that
// verdict and then read the record again.

// AccountLockWait bounds the wait for another process's verdict: one
// exchange (ews.DefaultCallTimeout, 30 s) and its recording, with room to
// spare. A caller's shorter deadline wins.
const AccountLockWait = 45 * time.Second

const (
	// accountLockPrefix names the per-account lock files in the state folder.
	accountLockPrefix = "ews-account-"
	// probeSlack is added to the record's present size when proving that
	// the folder can take it: the entry a rejection would add.
	probeSlack = 512
)

// accountLockPath is the lock file for one account: a hash of the
// normalised account, so every spelling of the server meets the same lock
// and no user name appears in a file name.
func (r *Rejections) accountLockPath(server, user string) string {
	server, user = accountKey(server, user)
	sum := sha256.Sum256([]byte(server + "\x00" + user))
	return filepath.Join(r.Dir(), accountLockPrefix+hex.EncodeToString(sum[:8])+".lock")
}

// lockAccount waits, at most AccountLockWait and never past ctx, for the
// account's lock and returns the function that releases it.
func (r *Rejections) lockAccount(ctx context.Context, server, user string) (func(), error) {
	if err := os.MkdirAll(r.Dir(), 0o700); err != nil {
		return nil, err
	}
	lock := flock.New(r.accountLockPath(server, user))
	waitCtx, cancel := context.WithTimeout(ctx, AccountLockWait)
	defer cancel()
	locked, err := lock.TryLockContext(waitCtx, 25*time.Millisecond)
	if err == nil && !locked {
		err = errors.New("not locked")
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, errAccountBusy
		}
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	return func() { _ = lock.Unlock() }, nil
}

var errAccountBusy = errors.New("another Frontdesk process is still waiting for the server's answer to this password")

// probeWritable proves by a real write, synced, that the state folder takes
// a record the size the rejection record would grow to. A mode bit proves
// nothing: the disk may be full, the file system mounted read-only, a quota
// reached, or the process root.
func (r *Rejections) probeWritable() error {
	size := probeSlack
	if info, err := os.Stat(r.path); err == nil {
		size += int(info.Size())
	}
	probe := filepath.Join(r.Dir(), ".write-probe-"+strconv.Itoa(os.Getpid()))
	defer os.Remove(probe)
	return r.writeFile(probe, make([]byte, size))
}

// stateReason sorts why the state folder cannot be written: a full disk
// (or quota) calls for freeing space, anything else for fixing the folder.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// stateUnwritable is the error for a password not sent because a rejection
// of it could not be remembered.
func stateUnwritable(dir string, err error) error {
	e := &calendar.Error{Kind: calendar.KindAuth, Op: guardOp, Code: "state_unwritable", Err: err,
		HintArgs: map[string]any{"Dir": dir}}
	if diskFull(err) {
		e.Hint = "Frontdesk cannot save its state in {{.Dir}} (disk full), so it sent no password: it could not remember a rejection. Free some space there, then try again."
	} else {
		e.Hint = "Frontdesk cannot save its state in {{.Dir}} (the folder cannot be written), so it sent no password: it could not remember a rejection. Make the folder writable, then try again."
	}
	return e
}

// unsavedRejection is the error for a rejection that was not recorded:
// rejection (the password-rejected error) stays in the chain, so the window
// still asks for the password.
func unsavedRejection(dir string, err, rejection error) error {
	e := &calendar.Error{Kind: calendar.KindAuth, Op: guardOp, Code: "state_unwritable", Err: errors.Join(rejection, err),
		HintArgs: map[string]any{"Dir": dir}}
	if diskFull(err) {
		e.Hint = "The server rejected this password and Frontdesk cannot save its state in {{.Dir}} (disk full): it will not try this password again until you free some space and enter it again: frontdesk ews-password"
	} else {
		e.Hint = "The server rejected this password and Frontdesk cannot save its state in {{.Dir}} (the folder cannot be written): it will not try this password again until you fix the folder and enter it again: frontdesk ews-password"
	}
	return e
}

// Admit is the check made when a request is about to go out. alone says the
// client sends it alone because the server has not accepted the password
// lately: then the guard takes the account's lock, shared with every other
// Frontdesk process, reads the record under it and, for a password the server
// has not accepted in this process, proves the state folder writable before
// letting it go. The lock is held until release, which the client calls once
// Rejected or Accepted has recorded the answer (or no answer came). Requests
// that go side by side after an acceptance (alone false) only read the record.
func (g *RejectionGuard) Admit(ctx context.Context, alone bool) (release func(), err error) {
	noop := func() {}
	if !alone {
		return noop, g.Check(ctx)
	}
	g.mu.Lock()
	rejected := g.rejected
	g.mu.Unlock()
	if rejected != nil {
		return noop, rejected
	}
	o := g.opts
	unlock, err := o.Rejections.lockAccount(ctx, o.Server, o.User)
	if err != nil {
		if ctx.Err() != nil {
			return noop, err
		}
		if errors.Is(err, errAccountBusy) {
			return noop, &calendar.Error{Kind: calendar.KindTransient, Op: guardOp, Code: "account_busy", Err: err,
				Hint: "Another Frontdesk is waiting for the server's answer to this password, so nothing was sent. Try again in a minute."}
		}
		o.Logger.Error("ews: cannot lock the account in the state folder; nothing sent", "dir", o.Rejections.Dir(), "err", err)
		return noop, stateUnwritable(o.Rejections.Dir(), err)
	}
	if err := g.Check(ctx); err != nil {
		unlock()
		return noop, err
	}
	g.mu.Lock()
	proven := g.accepted
	g.mu.Unlock()
	if !proven {
		if err := o.Rejections.probeWritable(); err != nil {
			unlock()
			o.Logger.Error("ews: the state folder cannot be written, so a rejection could not be remembered; nothing sent",
				"dir", o.Rejections.Dir(), "err", err)
			return noop, stateUnwritable(o.Rejections.Dir(), err)
		}
	}
	return unlock, nil
}
