//go:build !windows

package app

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// policyFileTrusted accepts the admin policy file only when root owns it and
// nobody else may write it: a policy any user could edit would let them lift
// the locks it sets (allow_fast_refresh, a server of their choosing).
func policyFileTrusted(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return policyOwnership(fi, 0)
}

// policyOwnership checks fi against the owner uid it must have.
func policyOwnership(fi fs.FileInfo, ownerUID int) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("its owner cannot be read")
	}
	if int(st.Uid) != ownerUID {
		return fmt.Errorf("it is owned by uid %d, not root", st.Uid)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("group or others may write it (mode %04o)", perm)
	}
	return nil
}

// policyOwnerName is who must own the policy file, in the warning's words.
const policyOwnerName = "root"
