package app

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

func TestVersionPrintsTheStampedBuild(t *testing.T) {
	saved := []string{Version, Commit, BuildDate}
	t.Cleanup(func() { Version, Commit, BuildDate = saved[0], saved[1], saved[2] })
	Version, Commit, BuildDate = "1.4.2", "0123abcd4567", "2026-12-01T12:00:00Z"

	var out bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := env.run(t.Context(), []string{"version"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if lines[0] != "frontdesk 1.4.2" {
		t.Errorf("first line %q: scripts read the version from it", lines[0])
	}
	for _, want := range []string{"commit:  0123abcd4567", "built:   2026-12-01T12:00:00Z", "go:      " + runtime.Version()} {
		if !strings.Contains(out.String(), want+"\n") {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	// A test binary records no module versions; scripts/package-check.sh
	// checks that the release binary names Fyne's.
	if !strings.Contains(out.String(), "\nfyne:    ") {
		t.Errorf("Fyne line missing:\n%s", out.String())
	}
}
