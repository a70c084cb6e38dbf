package app

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(notesWriterEnv); spec != "" {
		os.Exit(runNotesWriter(spec))
	}
	// The policy files tests write belong to whoever runs the tests, not root:
	// trust them everywhere but in the tests of the trust check itself
	// (policytrust_unix_test.go), which put the real check back.
	trustPolicyFile = func(*os.File) error { return nil }
	trustPolicyFolder = func(string) error { return nil }
	os.Exit(m.Run())
}
