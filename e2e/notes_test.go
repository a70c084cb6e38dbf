package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// notesRefresh is the consoles' refresh interval: the shortest a config
// may set without the admin policy.
const notesRefresh = 30 * time.Second

// startNotesConsole starts one desk's console (its own HOME, state and
// config, the shared notes_file) and places its window at x, side by side
// with the other desk's on the one screen: no window manager arranges them.
func startNotesConsole(t *testing.T, shared string, x int, others ...string) (*keyConsole, string) {
	t.Helper()
	env, config := keyboardEnv(t)
	if err := os.WriteFile(config, fmt.Appendf(nil, "provider = \"demo\"\nrefresh_interval = %q\nnotes_file = %q\n", notesRefresh.String(), shared), 0o600); err != nil {
		t.Fatal(err)
	}
	home := filepath.Dir(config)
	cmd := exec.Command(frontdeskBin(t), "--demo", "--at", keyboardDay)
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	t.Cleanup(func() { stopGroup(cmd, exited, 5*time.Second) })
	var win string
	for deadline := time.Now().Add(60 * time.Second); win == "" && time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("the console exited before its window appeared: %v\n%s", err, stderr.String())
		default:
		}
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", `^Frontdesk \(DEMO DATA\)$`).Output()
		for _, id := range strings.Fields(string(out)) {
			if win == "" && !slices.Contains(others, id) {
				win = id
			}
		}
	}
	if win == "" {
		t.Fatalf("no second window\n%s", stderr.String())
	}
	xdo(t, "windowsize", "--sync", win, "640", "760")
	xdo(t, "windowmove", "--sync", win, strconv.Itoa(x), "0")
	time.Sleep(2 * time.Second) // the first snapshot arrives and the list renders
	c := &keyConsole{t: t, win: win, config: config, cmd: cmd}
	c.x, c.y, c.w, c.h = windowGeometry(t, win)
	return c, filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log")
}

// focus gives the window the keyboard: a click into its empty lower right.
func (c *keyConsole) focus() {
	c.t.Helper()
	xdo(c.t, "windowfocus", "--sync", c.win)
	xdo(c.t, "mousemove", strconv.Itoa(c.x+c.w-40), strconv.Itoa(c.y+c.h-60), "click", "1")
	time.Sleep(300 * time.Millisecond)
}

func waitForFile(t *testing.T, path, what string, within time.Duration, want ...string) string {
	t.Helper()
	var text string
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		data, _ := os.ReadFile(path)
		text = string(data)
		if !slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(text, w) }) {
			return text
		}
	}
	t.Fatalf("%s: %s lacks one of %q:\n%s", what, path, want, text)
	return ""
}

// Two desks with the same notes_file edit the same colleague at the same
// time: both texts survive, under the line that says so; and the note made at
// one appears at the other within one refresh.
func TestNotesSharedByTwoConsolesUnderXvfb(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	shared := filepath.Join(t.TempDir(), "share", "frontdesk-notes.json")
	if err := os.MkdirAll(filepath.Dir(shared), 0o755); err != nil {
		t.Fatal(err)
	}
	env, _ := keyboardEnv(t)
	status := demoStatus(t, env)
	if len(status.People) == 0 {
		t.Fatal("the demo has nobody")
	}
	name := status.People[0].Name

	a, logA := startNotesConsole(t, shared, 0)
	b, _ := startNotesConsole(t, shared, 640, a.win)

	// Both desks open the same colleague's note before either saves.
	for _, c := range []*keyConsole{a, b} {
		c.focus()
		c.typeText(name)
		c.key("Return")
	}
	a.focus()
	a.key("ctrl+n")
	a.typeText("no calls before 10")
	b.focus()
	b.key("ctrl+n")
	b.typeText("ask for Maria instead")
	before := a.shot("notes-a-before.png")

	// A click takes the focus from the editor: Ctrl+N gives it back.
	a.focus()
	a.key("ctrl+n", "ctrl+s")
	waitForFile(t, shared, "desk A's save", 10*time.Second, "no calls before 10")
	b.focus()
	b.key("ctrl+n", "ctrl+s")
	saved := waitForFile(t, shared, "desk B's save", 10*time.Second, "no calls before 10", "ask for Maria instead", "Edited at two desks at once; both kept:")
	t.Logf("the shared file after both saves:\n%s", saved)
	b.shot("notes-b-merged.png")

	// Desk A sees B's merged note at its next refresh: the file is read
	// again and the details change.
	sum := sha256.Sum256([]byte(saved))
	savedAt := time.Now()
	waitForFile(t, logA, "desk A re-reading the file", notesRefresh+15*time.Second, `"file_sum":"`+hex.EncodeToString(sum[:8])+`"`)
	t.Logf("desk A read desk B's save %s later (refresh interval %s)", time.Since(savedAt).Round(time.Second), notesRefresh)
	a.focus()
	a.waitChange(before, "notes-a-after.png", 0.3, 0.8, 200)
	for _, log := range []string{logA} {
		data, _ := os.ReadFile(log)
		if strings.Contains(string(data), "no calls before 10") || strings.Contains(string(data), "ask for Maria") {
			t.Errorf("a note's words are in the log %s", log)
		}
	}
}
