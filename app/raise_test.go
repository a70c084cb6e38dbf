package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestASecondStartRaisesTheRunningConsole(t *testing.T) {
	dir := t.TempDir()
	requests, stop, err := listenForRaise(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for i := range 3 {
		if err := askToRaise(context.Background(), dir); err != nil {
			t.Fatalf("ask %d: %v", i+1, err)
		}
	}
	select {
	case <-requests:
	case <-time.After(5 * time.Second):
		t.Fatal("no request reached the console")
	}
	// Three asks while the window had not caught up are one pending request.
	select {
	case <-requests:
		t.Fatal("more than one pending request")
	default:
	}
}

func TestRaiseWithNobodyListeningFails(t *testing.T) {
	if err := askToRaise(context.Background(), t.TempDir()); err == nil {
		t.Fatal("asked nobody, and it answered")
	}
}

func TestRaiseListenerIgnoresAnythingButShow(t *testing.T) {
	dir := t.TempDir()
	requests, stop, err := listenForRaise(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, msg := range []string{"quit\n", "show", "show\nshow\n" + strings.Repeat("x", 100), strings.Repeat("s", 1000)} {
		conn, err := dialRaiseEndpoint(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = conn.Write([]byte(msg))
		if c, ok := conn.(interface{ CloseWrite() error }); ok {
			_ = c.CloseWrite() // a named pipe has none: the console's deadline ends the read
		}
		reply := make([]byte, 8)
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _ := conn.Read(reply)
		_ = conn.Close()
		if msg == "show\nshow\n"+strings.Repeat("x", 100) {
			if string(reply[:n]) != raiseReply {
				t.Errorf("%q: reply %q, want %q", msg[:10], reply[:n], raiseReply)
			}
			<-requests
			continue
		}
		if n != 0 {
			t.Errorf("%.10q answered %q", msg, reply[:n])
		}
	}
	select {
	case <-requests:
		t.Error("a request that was not show reached the console")
	default:
	}
}

// The whole path of a second start: the profile is locked and a console
// listens, so `frontdesk --demo` asks it to come to the front and exits 0
// without opening a window of its own.
func TestSecondConsoleStartRaisesTheFirstAndExits(t *testing.T) {
	paths := testPaths(t)
	release, err := lockInstance(paths.StateDir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	requests, stop, err := listenForRaise(paths.StateDir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	var stdout, stderr strings.Builder
	env := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Paths: paths}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code := env.run(ctx, []string{"--demo"}); code != ExitOK {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitOK, stderr.String())
	}
	if want := "Frontdesk is already open for this user; its window was brought to the front."; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	// The console answers before it passes the request on, so under load the
	// request may reach the channel a moment after the second start exits.
	select {
	case <-requests:
	case <-time.After(5 * time.Second):
		t.Error("the running console was not asked to come to the front")
	}
}
