package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOneInstancePerProfile(t *testing.T) {
	dir := t.TempDir()
	release, err := lockInstance(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockInstance(dir); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second instance: %v, want ErrAlreadyRunning", err)
	}
	release()
	again, err := lockInstance(dir)
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	again()
}

// A panic on any goroutine must leave its trace in the log folder, where IT looks.
func TestCrashOutputLandsInTheLogFolder(t *testing.T) {
	if dir := os.Getenv("FRONTDESK_TEST_CRASH_DIR"); dir != "" {
		if _, err := OpenLog(dir, slog.LevelInfo); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			panic("frontdesk test crash")
		}()
		<-done
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashOutputLandsInTheLogFolder$")
	cmd.Env = append(os.Environ(), "FRONTDESK_TEST_CRASH_DIR="+dir)
	if err := cmd.Run(); err == nil {
		t.Fatal("the crashing child exited cleanly")
	}
	data, err := os.ReadFile(filepath.Join(dir, "crash.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "panic: frontdesk test crash") || !strings.Contains(string(data), "goroutine") {
		t.Errorf("crash.log lacks the panic and its stack:\n%s", data)
	}
}

// watch polls like the console, so it takes the same lock: a second poller on
// one profile is refused before it sends anything.
func TestWatchTakesTheProfileLock(t *testing.T) {
	paths := testPaths(t)
	release, err := lockInstance(paths.StateDir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	var stdout, stderr strings.Builder
	env := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Paths: paths}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code := env.run(ctx, []string{"watch", "--demo"}); code != ExitConfig {
		t.Fatalf("exit %d, want %d; stdout %q", code, ExitConfig, stdout.String())
	}
	if !strings.Contains(stderr.String(), "already running") || stdout.Len() != 0 {
		t.Errorf("stderr %q, stdout %q", stderr.String(), stdout.String())
	}
}
