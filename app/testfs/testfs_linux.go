// Package testfs makes folders that refuse writes, as an operator's full
// disk or read-only profile does, for the tests of app and e2e. Tests only.
package testfs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// UnwritableFolder makes dir a folder that takes no file: a 256 KB tmpfs
// filled to the last byte (full) or mounted read-only. A mount needs
// CAP_SYS_ADMIN (the test container runs as root); without it the read-only
// case falls back to mode 0500, which an unprivileged process cannot write
// either, and the full case is skipped.
func UnwritableFolder(t testing.TB, dir string, full bool) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	flags := uintptr(0)
	if !full {
		flags = syscall.MS_RDONLY
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, "size=256k,mode=0700"); err != nil {
		if full || os.Geteuid() == 0 {
			t.Skipf("a small tmpfs needs CAP_SYS_ADMIN: %v", err)
		}
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
		return
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	if !full {
		return
	}
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}
