package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/frontdesk-app/frontdesk/auth"
)

// Without a D-Bus session (no DBUS_SESSION_BUS_ADDRESS, a runtime folder with
// no bus socket) five commands that want the keyring each answer "no keyring
// service" and leave nothing running: before, each autolaunched its own
// dbus-daemon, which outlived it.
func TestNoSessionBusLeavesNoDaemon(t *testing.T) {
	requireE2E(t)
	marker := fmt.Sprintf("%s-%d", t.Name(), os.Getpid())
	env, _ := isolatedEnv(t, "XDG_RUNTIME_DIR="+t.TempDir(), "FRONTDESK_E2E_MARKER="+marker,
		"FRONTDESK_CONFIG="+ewsConfigFile(t, "https://127.0.0.1:9/EWS/Exchange.asmx", "", "reception@example.com", "60s", `emails = ["ada@example.com"]`))
	env = withoutVar(env, "DBUS_SESSION_BUS_ADDRESS")
	commands := []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"status", "--json"}, "", auth.NoKeyringServiceHint},
		{[]string{"watch", "--json"}, "", auth.NoKeyringServiceHint},
		{[]string{"ews-password"}, "NotARealPassword1\n", auth.NoKeyringServiceHint},
		{[]string{"signout"}, "", auth.NoKeyringServiceHint},
		{[]string{"doctor"}, "", "no D-Bus session bus"},
	}
	for _, c := range commands {
		stdout, stderr, code := runWithStdin(t, env, c.stdin, c.args...)
		if !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("frontdesk %s: exit %d, did not say %q\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), code, c.want, stdout, stderr)
		}
	}
	left := processesWithEnv("FRONTDESK_E2E_MARKER=" + marker)
	if len(left) > 0 {
		t.Errorf("%d processes left running after the commands: %s", len(left), strings.Join(left, "; "))
	}
	for _, p := range left { // the test's own leftovers: stop them, by pid
		if pid, err := strconv.Atoi(strings.Fields(p)[0]); err == nil {
			_ = syscall.Kill(pid, syscall.SIGTERM)
		}
	}
}

func withoutVar(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// processesWithEnv lists the running processes (pid and command) whose
// environment holds entry: whatever the commands started and left behind
// inherits it, whoever its parent is now.
func processesWithEnv(entry string) []string {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []string
	for _, dir := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(dir))
		if pid == os.Getpid() {
			continue
		}
		environ, err := os.ReadFile(filepath.Join(dir, "environ"))
		if err != nil || !bytes.Contains(append(environ, 0), []byte(entry+"\x00")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		out = append(out, fmt.Sprintf("%d %s", pid, strings.ReplaceAll(strings.TrimRight(string(cmdline), "\x00"), "\x00", " ")))
	}
	return out
}
