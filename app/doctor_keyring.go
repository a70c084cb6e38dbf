package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/frontdesk-app/frontdesk/auth"
)

// keyringProbeItem is the throwaway item the doctor writes, reads back and
// deletes. One fixed name: a run cut short leaves at most one behind.
const keyringProbeItem = "doctor-probe"

// keyringLockState tells, without touching any secret (touching a locked
// collection raises an unlock prompt), whether the system keyring is
// reachable and unlocked. known is false where the platform cannot tell
// (the round trip then decides). Tests replace it.
var keyringLockState = systemKeyringLockState

// checkKeyring: reachable, unlocked, and a round trip of a throwaway item.
func (d *doctor) checkKeyring(ctx context.Context) {
	kr := newKeyring()
	_, system := kr.(auth.SystemKeyring)
	const unlockAction = "Unlock the keyring (log out and in, or open the system's password manager), then run frontdesk doctor again."
	if system {
		r := d.step(ctx, "keyring unlocked", doctorKeyringTimeout, func(ctx context.Context) CheckResult {
			locked, known, where, err := keyringLockState(ctx)
			switch {
			case err != nil:
				return CheckResult{Status: CheckFail, Detail: "the system keyring cannot be reached: " + err.Error(),
					Action: "Start the desktop's keyring service (gnome-keyring or KWallet) in this session."}
			case !known:
				return CheckResult{Status: CheckSkip, Detail: "this platform's keyring has no lock to check; the round trip below tells"}
			case locked:
				return CheckResult{Status: CheckFail, Detail: where + " is locked: Frontdesk cannot read its sign-in or the Exchange password", Action: unlockAction}
			}
			return CheckResult{Status: CheckOK, Detail: where + " is unlocked"}
		})
		if r.Status == CheckFail {
			d.keyringReason = "the keyring is locked or unreachable"
			d.skip("keyring round trip", d.keyringReason)
			return
		}
	}
	d.step(ctx, "keyring round trip", doctorKeyringTimeout, func(ctx context.Context) CheckResult {
		buf := make([]byte, 16)
		_, _ = rand.Read(buf)
		want := hex.EncodeToString(buf)
		fail := func(what string, err error) CheckResult {
			return CheckResult{Status: CheckFail, Detail: fmt.Sprintf("%s a throwaway item failed: %v", what, err), Action: unlockAction}
		}
		if err := kr.Set(ctx, auth.KeyringService, keyringProbeItem, want); err != nil {
			return fail("storing", err)
		}
		got, err := kr.Get(ctx, auth.KeyringService, keyringProbeItem)
		if err != nil {
			return fail("reading back", err)
		}
		if err := kr.Delete(ctx, auth.KeyringService, keyringProbeItem); err != nil {
			return fail("deleting", err)
		}
		if got != want {
			return CheckResult{Status: CheckFail, Detail: "the keyring gave back another value than the one stored",
				Action: "Repair or reset the system keyring; Frontdesk cannot keep its sign-in there."}
		}
		d.keyringUsable = true
		return CheckResult{Status: CheckOK, Detail: "stored, read back and deleted a throwaway item"}
	})
	if !d.keyringUsable {
		d.keyringReason = "the keyring round trip failed"
	}
}
