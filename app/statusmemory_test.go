package app

import (
	"math"
	"runtime/debug"
	"testing"
)

// status runs under its soft memory limit and puts the process's back after;
// a limit an admin set (GOMEMLIMIT) stands.
func TestStatusMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	for _, tc := range []struct {
		name       string
		set        int64
		wantDuring int64
	}{
		{"none set", math.MaxInt64, statusMemoryLimit},
		{"GOMEMLIMIT set", 1 << 30, 1 << 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(tc.set)
			restore := withStatusMemoryLimit()
			if got := debug.SetMemoryLimit(-1); got != tc.wantDuring {
				t.Errorf("limit during status = %d, want %d", got, tc.wantDuring)
			}
			restore()
			if got := debug.SetMemoryLimit(-1); got != tc.set {
				t.Errorf("limit after status = %d, want %d", got, tc.set)
			}
		})
	}
}
