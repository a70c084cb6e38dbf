//go:build !windows

package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// policyFolderTrusted checks the folders that hold the policy file, up to the
// root: each must be owned by root and writable by no one else. Whoever may
// write a folder on the way may delete or replace the policy, and with it
// every lock. A folder that does not exist is skipped: its nearest existing
// parent decides who could create it. A symbolic link is checked where it is
// and where it leads.
func policyFolderTrusted(policyPath string) error {
	return policyFolderChain(filepath.Dir(policyPath), "", 0)
}

// policyFolderChain checks dir and its parents up to top (the root when
// empty) against the owner uid they must have.
func policyFolderChain(dir, top string, ownerUID int) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	chains := []string{dir}
	for d := dir; ; d = filepath.Dir(d) {
		if resolved, err := filepath.EvalSymlinks(d); err == nil {
			if resolved != d {
				chains = append(chains, resolved)
			}
			break
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	for _, start := range chains {
		for d := start; ; d = filepath.Dir(d) {
			if err := policyFolderOwnership(d, ownerUID); err != nil {
				return err
			}
			if d == top || d == filepath.Dir(d) {
				break
			}
		}
	}
	return nil
}

func policyFolderOwnership(dir string, ownerUID int) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("its folder %s cannot be checked: %w", dir, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("the owner of its folder %s cannot be read", dir)
	}
	if int(st.Uid) != ownerUID && !(ownerUID == 0 && unmappedOwner(st.Uid)) {
		return fmt.Errorf("its folder %s is owned by uid %d, not root", dir, st.Uid)
	}
	if perm := fi.Mode().Perm(); fi.IsDir() && perm&0o022 != 0 {
		return fmt.Errorf("group or others may write its folder %s (mode %04o)", dir, perm)
	}
	return nil
}

// unmappedOwner reports whether uid is the overflow uid that a user namespace
// shows for owners it does not map, while this process runs in one (the
// policy tests' unshare --map-root-user, a container). There / and /etc,
// the real root's, read as owned by "nobody"; the mode check still applies,
// and no one inside the namespace can write a folder it does not own.
// Outside a user namespace uid 65534 is just nobody, and refused.
func unmappedOwner(uid uint32) bool {
	overflow, err := os.ReadFile("/proc/sys/kernel/overflowuid")
	if err != nil || strings.TrimSpace(string(overflow)) != strconv.FormatUint(uint64(uid), 10) {
		return false
	}
	uidMap, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	// The initial namespace maps every uid to itself in one line.
	return strings.Join(strings.Fields(string(uidMap)), " ") != "0 0 4294967295"
}
