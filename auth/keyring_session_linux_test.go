//go:build linux

package auth

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Without a session bus the system keyring answers at once with "no keyring
// service", instead of autolaunching a dbus-daemon that outlives the command;
// with the bus socket in the runtime folder it is named for the D-Bus library.
func TestKeyringWithoutASessionBus(t *testing.T) {
	withSocket := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(withSocket, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	notASocket := t.TempDir()
	if err := os.WriteFile(filepath.Join(notASocket, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		address    string
		runtimeDir string
		wantErr    bool
		wantAddr   string
	}{
		{"no address, empty runtime folder", "", t.TempDir(), true, ""},
		{"no address, no runtime folder", "", "", true, ""},
		{"autolaunch asked for", "autolaunch:", t.TempDir(), true, "autolaunch:"},
		{"autolaunch prevented", noSessionBus, withSocket, true, noSessionBus},
		{"a bus file that is no socket", "", notASocket, true, ""},
		{"the runtime folder's bus", "", withSocket, false, "unix:path=" + filepath.Join(withSocket, "bus")},
		{"an address given", "unix:path=/nowhere/bus", "", false, "unix:path=/nowhere/bus"},
	}
	old := userRuntimeDir
	userRuntimeDir = func() string { return "" }
	t.Cleanup(func() { userRuntimeDir = old })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tt.address)
			t.Setenv("XDG_RUNTIME_DIR", tt.runtimeDir)
			if !tt.wantErr {
				if err := keyringSessionReady(); err != nil {
					t.Fatalf("refused: %v", err)
				}
			} else {
				_, err := SystemKeyring{}.Get(context.Background(), KeyringService, "probe")
				if !IsNoKeyringService(err) || !IsKeyringUnavailable(err) {
					t.Fatalf("err = %v, want no keyring service (keyring unavailable)", err)
				}
			}
			if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != tt.wantAddr {
				t.Errorf("DBUS_SESSION_BUS_ADDRESS = %q, want %q", got, tt.wantAddr)
			}
		})
	}
}

// With no session bus, PreventBusAutolaunch leaves godbus nothing to
// autolaunch: asking for the session bus fails at once, and no process
// carrying this test's environment is left running.
func TestPreventBusAutolaunch(t *testing.T) {
	old := userRuntimeDir
	userRuntimeDir = func() string { return "" }
	t.Cleanup(func() { userRuntimeDir = old })
	marker := fmt.Sprintf("FRONTDESK_TEST_MARKER=%s-%d", t.Name(), os.Getpid())
	t.Setenv("FRONTDESK_TEST_MARKER", marker[len("FRONTDESK_TEST_MARKER="):])
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	PreventBusAutolaunch()
	conn, err := dbus.SessionBusPrivate()
	if err == nil {
		conn.Close()
		t.Error("a session bus was found where there is none")
	}
	for _, pid := range pidsWithEnv(marker) {
		t.Errorf("process %d left running", pid)
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
}

func pidsWithEnv(entry string) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []int
	for _, dir := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(dir))
		if pid == os.Getpid() {
			continue
		}
		environ, err := os.ReadFile(filepath.Join(dir, "environ"))
		if err == nil && bytes.Contains(append(environ, 0), []byte(entry+"\x00")) {
			out = append(out, pid)
		}
	}
	return out
}
