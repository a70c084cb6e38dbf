//go:build windows

package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	return aclWritableOnlyByAdmins(sd, writeAccess, "it")
}

// folderWriteAccess adds to writeAccess the right on a folder that lets a
// holder delete what it holds (FILE_DELETE_CHILD, which x/sys does not name);
// on a folder FILE_WRITE_DATA and FILE_APPEND_DATA already mean adding a
// file or a subfolder.
const folderWriteAccess = writeAccess | 0x40

// policyFolderTrusted checks the policy's own folder (%ProgramData%\Frontdesk,
// which write-policy locks to Administrators and SYSTEM): whoever may write
// it may delete or replace the policy, and with it every lock. ProgramData
// above it is the system's, and lets users create folders but not remove an
// administrator's. A folder that does not exist leaves nothing to check.
func policyFolderTrusted(policyPath string) error {
	dir := filepath.Dir(policyPath)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	sd, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("the permissions of its folder %s cannot be read: %w", dir, err)
	}
	owner, _, err := sd.Owner()
	if err != nil || owner == nil {
		return fmt.Errorf("the owner of its folder %s cannot be read", dir)
	}
	if !isAdminSID(owner) {
		return fmt.Errorf("its folder %s is owned by %s, not Administrators or SYSTEM", dir, owner)
	}
	return aclWritableOnlyByAdmins(sd, folderWriteAccess, "its folder "+dir)
}

// aclWritableOnlyByAdmins refuses a security descriptor that lets anyone but
// Administrators, SYSTEM, TrustedInstaller or the creator-owner placeholder
// hold any of the rights in mask; what names the object in the refusal.
func aclWritableOnlyByAdmins(sd *windows.SECURITY_DESCRIPTOR, mask windows.ACCESS_MASK, what string) error {
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("the permissions of %s cannot be read: %w", what, err)
	}
	if dacl == nil {
		return fmt.Errorf("%s has no access list: everyone may write it", what)
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("the permissions of %s cannot be read: %w", what, err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Mask&mask == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !isAdminSID(sid) && sid.String() != trustedInstaller && !sid.IsWellKnown(windows.WinCreatorOwnerSid) {
			return fmt.Errorf("%s may write %s", sid, what)
		}
	}
	return nil
}

func isAdminSID(sid *windows.SID) bool {
	return sid.IsWellKnown(windows.WinBuiltinAdministratorsSid) || sid.IsWellKnown(windows.WinLocalSystemSid)
}

// policyOwnerName is who must own the policy file, in the warning's words.
const policyOwnerName = "Administrators or SYSTEM"
