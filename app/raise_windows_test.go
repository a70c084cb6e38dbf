package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
)

// Each profile has a pipe of its own: a start of another profile does not
// reach this console.
func TestRaisePipeBelongsToOneProfile(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if raisePipeName(a) == raisePipeName(b) {
		t.Fatalf("two profiles share the pipe %s", raisePipeName(a))
	}
	if raisePipeName(a) != raisePipeName(strings.ToUpper(a)) {
		t.Errorf("the same folder spelt in another case names another pipe: %s, %s", raisePipeName(a), raisePipeName(strings.ToUpper(a)))
	}
	requests, stop, err := listenForRaise(a, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := askToRaise(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	<-requests
	if err := askToRaise(context.Background(), b); err == nil {
		t.Fatal("another profile's start reached this console")
	}
}
