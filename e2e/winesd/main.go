//go:build windows

// Command winesd reads and sets a file's owner and access list under wine,
// through the same Windows calls Frontdesk and icacls use, and trusts a
// test certificate, for e2e/wine_test.go:
//
//	winesd get PATH             prints the owner and the access list as SDDL
//	winesd set PATH SDDL        sets the owner and a protected access list
//	winesd roundtrip PATH SDDL  sets them through one handle and reads them
//	                            back through it and through another
//	winesd trust-root PEM       adds a certificate to the user's root store
package main

import (
	"encoding/pem"
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: winesd get PATH | set PATH SDDL | roundtrip PATH SDDL | trust-root PEM")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "get":
		err = get(os.Args[2])
	case "set":
		if len(os.Args) != 4 {
			fmt.Fprintln(os.Stderr, "usage: winesd set PATH SDDL")
			os.Exit(2)
		}
		err = set(os.Args[2], os.Args[3])
	case "roundtrip":
		if len(os.Args) != 4 {
			fmt.Fprintln(os.Stderr, "usage: winesd roundtrip PATH SDDL")
			os.Exit(2)
		}
		err = roundtrip(os.Args[2], os.Args[3])
	case "trust-root":
		err = trustRoot(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "winesd:", err)
		os.Exit(1)
	}
}

func get(path string) error {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.GROUP_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("GetNamedSecurityInfo: %w", err)
	}
	fmt.Println(sd.String())
	return nil
}

func set(path, sddl string) error {
	sd, err := windows.SecurityDescriptorFromString(sddl)
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
	err = windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION,
		owner, nil, dacl, nil)
	if err != nil {
		return fmt.Errorf("SetNamedSecurityInfo: %w", err)
	}
	return nil
}

func roundtrip(path, sddl string) error {
	name, _ := windows.UTF16PtrFromString(path)
	h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.WRITE_DAC|windows.WRITE_OWNER|windows.READ_CONTROL,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(h), path)
	defer f.Close()
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		return err
	}
	owner, _, _ := sd.Owner()
	dacl, _, _ := sd.DACL()
	if err := windows.SetSecurityInfo(windows.Handle(f.Fd()), windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION,
		owner, nil, dacl, nil); err != nil {
		return fmt.Errorf("SetSecurityInfo: %w", err)
	}
	got, err := windows.GetSecurityInfo(windows.Handle(f.Fd()), windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return err
	}
	fmt.Println("same handle:", got)
	g, err := os.Open(path)
	if err != nil {
		return err
	}
	defer g.Close()
	got, err = windows.GetSecurityInfo(windows.Handle(g.Fd()), windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return err
	}
	fmt.Println("second handle, same process:", got)
	return nil
}

func trustRoot(pemFile string) error {
	data, err := os.ReadFile(pemFile)
	if err != nil {
		return err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return fmt.Errorf("%s holds no PEM certificate", pemFile)
	}
	root, _ := windows.UTF16PtrFromString("ROOT")
	store, err := windows.CertOpenSystemStore(0, root)
	if err != nil {
		return fmt.Errorf("CertOpenSystemStore(ROOT): %w", err)
	}
	defer windows.CertCloseStore(store, 0)
	cert, err := windows.CertCreateCertificateContext(windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, &block.Bytes[0], uint32(len(block.Bytes)))
	if err != nil {
		return fmt.Errorf("CertCreateCertificateContext: %w", err)
	}
	defer windows.CertFreeCertificateContext(cert)
	if err := windows.CertAddCertificateContextToStore(store, cert, windows.CERT_STORE_ADD_REPLACE_EXISTING, nil); err != nil {
		return fmt.Errorf("CertAddCertificateContextToStore: %w", err)
	}
	return nil
}
