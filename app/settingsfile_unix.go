//go:build !windows

package app

import "syscall"

// openNonBlocking opens a named pipe without waiting for a writer, so the
// check on the open file can refuse it.
const openNonBlocking = syscall.O_NONBLOCK
