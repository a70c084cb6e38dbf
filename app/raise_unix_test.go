//go:build !windows

package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestRaiseListenerReplacesADeadConsolesSocket(t *testing.T) {
	tests := []struct {
		name  string
		leave func(t *testing.T, path string)
	}{
		{"a socket nobody listens on", func(t *testing.T, path string) {
			l, err := net.Listen("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			l.(*net.UnixListener).SetUnlinkOnClose(false) // as a killed console leaves it
			_ = l.Close()
		}},
		{"a plain file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, raiseSocketName)
			tt.leave(t, path)
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("nothing left behind: %v", err)
			}
			requests, stop, err := listenForRaise(dir, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			if err := askToRaise(context.Background(), dir); err != nil {
				t.Fatal(err)
			}
			<-requests
			stop()
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the socket is still there after stop: %v", err)
			}
		})
	}
}
