//go:build linux || darwin || freebsd

package app

import "syscall"

// freeSpace is what the file system holding dir lets this user write, in
// bytes; ok is false when the system cannot say.
func freeSpace(dir string) (free uint64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
