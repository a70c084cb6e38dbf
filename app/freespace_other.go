//go:build !linux && !darwin && !freebsd && !windows

package app

// freeSpace cannot be asked on this system; the doctor's real write still
// proves whether the folder takes a file.
func freeSpace(string) (uint64, bool) { return 0, false }
