// Package e2e runs Frontdesk against real peers on 127.0.0.1: the built binary,
// an OpenID Provider, Prism, an EWS responder, express-ntlm, gnome-keyring and Xvfb.
// The test command (scripts/test.sh) builds the binary once, installs the npm
// peers with `npm ci` and provides the display and the session bus; each test
// starts the node peers it needs and stops them by PID.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// requireE2E skips outside the test command, and fails in CI, where a skipped
// end-to-end test would hide a broken peer.
func requireE2E(t *testing.T) {
	t.Helper()
	if os.Getenv("FRONTDESK_E2E") == "1" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("end-to-end peers not provided: run scripts/test.sh")
	}
	t.Skip("end-to-end test: run scripts/test.sh (sets FRONTDESK_E2E=1)")
}

// frontdeskBin is the binary the test command built once for the whole run.
func frontdeskBin(t *testing.T) string {
	t.Helper()
	requireE2E(t)
	bin := os.Getenv("FRONTDESK_BIN")
	if bin == "" {
		t.Fatal("FRONTDESK_BIN is not set")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("FRONTDESK_BIN: %v", err)
	}
	return bin
}

// Peer is a node process started for one test.
type Peer struct {
	// URL is what the peer printed after "READY ".
	URL string
	cmd *exec.Cmd
}

// startNodePeer runs e2e/peers/<script> with node and waits for it to print
// "READY <url>" on stdout. The peer is stopped by PID when the test ends.
func startNodePeer(t *testing.T, script string, env ...string) *Peer {
	t.Helper()
	requireE2E(t)
	wd, _ := os.Getwd()
	cmd := exec.Command("node", filepath.Join(wd, "peers", script))
	cmd.Dir = wd
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = &testLogWriter{t: t, prefix: script + ": "}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", script, err)
	}
	p := &Peer{cmd: cmd}
	stopByPIDOnCleanup(t, cmd, syscall.SIGTERM)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if url, ok := strings.CutPrefix(line, "READY "); ok {
				select {
				case ready <- url:
				default:
				}
				continue
			}
			t.Logf("%s: %s", script, line)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	select {
	case p.URL = <-ready:
	case <-ctx.Done():
		t.Fatalf("%s did not print READY within 60s", script)
	}
	return p
}

// stopByPIDOnCleanup signals cmd's process group when the test ends and kills
// it if it has not exited within five seconds. cmd must have been started with
// Setpgid, and nothing else may Wait for it.
func stopByPIDOnCleanup(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) {
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, sig)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
}

type testLogWriter struct {
	t      *testing.T
	prefix string
}

func (w *testLogWriter) Write(b []byte) (int, error) {
	w.t.Logf("%s%s", w.prefix, strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// startInGroup starts cmd in a process group of its own with its stderr
// captured; exited delivers cmd.Wait's result once. Stop it with stopGroup.
func startInGroup(t *testing.T, cmd *exec.Cmd) (exited chan error, stderr *outputBuffer) {
	t.Helper()
	stderr = new(outputBuffer)
	cmd.Stderr = stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited = make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return exited, stderr
}

// stopGroup asks cmd's process group to end (SIGTERM), as a desktop session
// does, and kills it if it is still there after grace; it returns once the
// process is gone (so its profile lock is free), or 5 s after the kill when a
// test already took the exit from exited.
func stopGroup(cmd *exec.Cmd, exited <-chan error, grace time.Duration) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-exited:
		return
	case <-time.After(grace):
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
	}
}

// answersDirEnv names a folder where every `status --json` answer of the run
// is kept, so scripts/compare-answers.sh can diff what two binaries printed
// for the same e2e cases (the decoders behind them were rewritten in issue 12).
const answersDirEnv = "FRONTDESK_E2E_ANSWERS_DIR"

var answerCalls struct {
	sync.Mutex
	byTest map[string]int
}

// recordAnswer keeps stdout as <test>-<n>.json and the exit code as
// <test>-<n>.exit in $FRONTDESK_E2E_ANSWERS_DIR when args ask for
// `status --json`; n counts such calls within one (sub)test from 1. Without
// the variable it does nothing.
func recordAnswer(t *testing.T, args []string, stdout string, code int) {
	t.Helper()
	dir := os.Getenv(answersDirEnv)
	if dir == "" || !hasArgs(args, "status", "--json") {
		return
	}
	answerCalls.Lock()
	if answerCalls.byTest == nil {
		answerCalls.byTest = map[string]int{}
	}
	answerCalls.byTest[t.Name()]++
	n := answerCalls.byTest[t.Name()]
	answerCalls.Unlock()
	base := filepath.Join(dir, answerFileName(t.Name())+"-"+strconv.Itoa(n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("%s: %v", answersDirEnv, err)
	}
	if err := os.WriteFile(base+".json", []byte(stdout), 0o644); err != nil {
		t.Fatalf("%s: %v", answersDirEnv, err)
	}
	if err := os.WriteFile(base+".exit", []byte(strconv.Itoa(code)+"\n"), 0o644); err != nil {
		t.Fatalf("%s: %v", answersDirEnv, err)
	}
}

func hasArgs(args []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, a := range args {
			found = found || a == w
		}
		if !found {
			return false
		}
	}
	return true
}

// answerFileName turns a test name into one path element: the subtest
// slashes, and anything a shell would need quoted, become underscores.
func answerFileName(test string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, test)
}

// The recording hook keeps only `status --json` answers, numbers them per
// test, and writes nothing when the variable is unset.
func TestRecordAnswerKeepsStatusJSONPerTest(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(answersDirEnv, "")
	recordAnswer(t, []string{"status", "--json"}, "unset", 0)
	t.Setenv(answersDirEnv, dir)
	t.Run("sub test: one", func(t *testing.T) {
		recordAnswer(t, []string{"status", "--json", "--at", "2019-03-15T12:30:00-07:00"}, `{"first":1}`, 0)
		recordAnswer(t, []string{"status", "--config", "x.toml"}, "plain text", 1)
		recordAnswer(t, []string{"doctor", "--json"}, "{}", 0)
		recordAnswer(t, []string{"--json", "status"}, `{"second":2}`, 3)
	})
	got := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(data)
	}
	prefix := "TestRecordAnswerKeepsStatusJSONPerTest_sub_test__one-"
	want := map[string]string{
		prefix + "1.json": `{"first":1}`, prefix + "1.exit": "0\n",
		prefix + "2.json": `{"second":2}`, prefix + "2.exit": "3\n",
	}
	if len(got) != len(want) {
		t.Fatalf("recorded %v, want %v", got, want)
	}
	for name, body := range want {
		if got[name] != body {
			t.Errorf("%s = %q, want %q (all: %v)", name, got[name], body, got)
		}
	}
}

// outputBuffer collects a child's output while tests read it: exec copies
// into it from its own goroutine until the child has exited.
type outputBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *outputBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *outputBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
