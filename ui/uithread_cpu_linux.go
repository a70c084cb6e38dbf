package ui

import (
	"syscall"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's own use.
const rusageThread = 1

// threadCPU is the CPU time the calling OS thread has used. Fyne's event
// loop keeps its goroutine on the main thread, so across one callback the
// difference is the callback's own CPU: less than its wall time when the
// thread waited for a core.
func threadCPU() (time.Duration, bool) {
	var r syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &r); err != nil {
		return 0, false
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano()), true
}
