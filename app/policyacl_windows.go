//go:build windows

package app

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// policyFolderSDDL: owned by Administrators; SYSTEM and Administrators have
// full control, Users read and execute; nothing inherited from ProgramData,
// whose default lets any user create (and then own) files and folders in it.
const policyFolderSDDL = "O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"

// securePolicyFolder locks the policy's folder before the installer writes
// into it, so no user can delete or replace the policy (which would lift
// its locks), even one who created the folder before Frontdesk was installed.
func securePolicyFolder(dir string) error {
	sd, err := windows.SecurityDescriptorFromString(policyFolderSDDL)
	if err != nil {
		return err
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	err = windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION,
		owner, nil, dacl, nil)
	if err != nil {
		return fmt.Errorf("cannot restrict %s to administrators: %w", dir, err)
	}
	return nil
}
