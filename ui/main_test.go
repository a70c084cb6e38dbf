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
	os.Exit(m.Run())
}
