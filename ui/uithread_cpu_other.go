//go:build !linux

package ui

import "time"

// threadCPU is not measured here: the log then gives a callback's wall time only.
func threadCPU() (time.Duration, bool) { return 0, false }
