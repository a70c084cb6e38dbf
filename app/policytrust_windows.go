//go:build windows

package app

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// trustedInstaller is NT SERVICE\TrustedInstaller, which owns system files.
const trustedInstaller = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"

// writeAccess is every right that lets a holder change the file's contents,
// its permissions or its owner.
const writeAccess = windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA | windows.FILE_WRITE_EA |
	windows.FILE_WRITE_ATTRIBUTES | windows.WRITE_DAC | windows.WRITE_OWNER | windows.DELETE |
	windows.GENERIC_WRITE | windows.GENERIC_ALL

// policyFileTrusted accepts the admin policy file only when Administrators or
// SYSTEM own it and no one else is allowed to write it: a policy any user
// could edit would let them lift the locks it sets.
func policyFileTrusted(f *os.File) error {
	sd, err := windows.GetSecurityInfo(windows.Handle(f.Fd()), windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("its permissions cannot be read: %w", err)
	}
	owner, _, err := sd.Owner()
	if err != nil || owner == nil {
		return fmt.Errorf("its owner cannot be read")
	}
	if !isAdminSID(owner) {
		return fmt.Errorf("it is owned by %s, not Administrators or SYSTEM", owner)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("its permissions cannot be read: %w", err)
	}
	if dacl == nil {
		return fmt.Errorf("it has no access list: everyone may write it")
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("its permissions cannot be read: %w", err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Mask&writeAccess == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !isAdminSID(sid) && sid.String() != trustedInstaller && !sid.IsWellKnown(windows.WinCreatorOwnerSid) {
			return fmt.Errorf("%s may write it", sid)
		}
	}
	return nil
}

func isAdminSID(sid *windows.SID) bool {
	return sid.IsWellKnown(windows.WinBuiltinAdministratorsSid) || sid.IsWellKnown(windows.WinLocalSystemSid)
}

// policyOwnerName is who must own the policy file, in the warning's words.
const policyOwnerName = "Administrators or SYSTEM"
