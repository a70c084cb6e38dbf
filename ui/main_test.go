package ui

import (
	"os"
	"testing"
)

// TestMain builds search indexes on the test's goroutine: the test driver's
// fyne.Do runs on the calling goroutine, which would be the build's. Tests of
// the build off the Fyne goroutine swap buildIndex themselves (heldBuilds).
func TestMain(m *testing.M) {
	buildIndex = func(build func() *searchIndex, done func(*searchIndex)) { done(build()) }
	os.Exit(m.Run())
}
