package ui

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	// The search's idle timer lets go of the focus after 10 s. Fyne's test
	// driver runs fyne.Do at once on the timer's goroutine, so a timer left
	// by one test fired inside a later one and raced its taps on a loaded
	// machine. The test of the idle time sets its own (keyboard_test.go).
	searchIdle = time.Hour
	// Search indexes are built on the test's goroutine: the test driver's
	// fyne.Do runs on the calling goroutine, which would be the build's.
	// Tests of the build off the Fyne goroutine swap buildIndex themselves
	// (heldBuilds).
	buildIndex = func(build func() *searchIndex, done func(*searchIndex)) { done(build()) }
	os.Exit(m.Run())
}
