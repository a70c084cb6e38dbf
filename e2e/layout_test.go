package e2e

import (
	"encoding/json"
	"errors"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The operator sizes the console and drags the divider once; the next start
// opens it the same. The real binary under Xvfb: resized with xdotool, the
// divider dragged with the mouse, closed the way a window manager closes it,
// started again.
func TestWindowLayoutIsRemembered(t *testing.T) {
	requireE2E(t)
	closeWindow := buildWMDelete(t)
	env, home := isolatedEnv(t)
	const title = "Frontdesk (DEMO DATA)"

	c := startConsole(t, env, title, "--demo")
	xdo(t, "windowsize", "--sync", c.win, "1200", "760")
	time.Sleep(500 * time.Millisecond)
	// The divider starts in the middle of the 1200-wide window; drag it to x=400.
	xdo(t, "mousemove", "600", "400", "mousedown", "1")
	xdo(t, "mousemove", "500", "400")
	xdo(t, "mousemove", "400", "400", "mouseup", "1")
	time.Sleep(500 * time.Millisecond)
	screenshot(t, "out/window-layout-before-close.png")
	if out, err := exec.Command(closeWindow, c.win).CombinedOutput(); err != nil {
		t.Fatalf("closing the window: %v %s", err, out)
	}
	waitForExit(t, c)

	prefsFile := filepath.Join(home, ".config", "fyne", "io.frontdesk.console", "preferences.json")
	data, err := os.ReadFile(prefsFile)
	if err != nil {
		t.Fatalf("no preferences after closing: %v", err)
	}
	var prefs map[string]any
	if err := json.Unmarshal(data, &prefs); err != nil {
		t.Fatalf("%s: %v", prefsFile, err)
	}
	if prefs["window.width"] != 1200.0 || prefs["window.height"] != 760.0 {
		t.Errorf("remembered size %v x %v, want 1200 x 760 (%s)", prefs["window.width"], prefs["window.height"], data)
	}
	split, _ := prefs["window.split"].(float64)
	if math.Abs(split-400.0/1200) > 0.05 {
		t.Errorf("remembered divider at %.3f of the width, want about %.3f (%s)", split, 400.0/1200, data)
	}

	again := startConsole(t, env, title, "--demo")
	time.Sleep(time.Second)
	screenshot(t, "out/window-layout-after-restart.png")
	_, _, width, height := windowGeometry(t, again.win)
	if width != 1200 || height != 760 {
		t.Errorf("the window reopened at %dx%d, want 1200x760", width, height)
	}
}

// The operator clicks the launcher again while the console is open but buried
// under other windows: the running console comes to the front and takes the
// keyboard, and the second start exits 0 without a window of its own. The
// "other window" is a console of another profile, which has the focus first.
func TestASecondStartBringsTheConsoleToTheFront(t *testing.T) {
	requireE2E(t)
	env, _ := isolatedEnv(t)
	const title = "Frontdesk (DEMO DATA)"
	first := startConsole(t, env, title, "--demo")
	otherEnv, _ := isolatedEnv(t)
	other := startConsole(t, otherEnv, title, "--demo")
	xdo(t, "windowfocus", "--sync", other.win)
	if got := focusedWindow(t); got != other.win {
		t.Fatalf("the other window does not have the focus (%s has)", got)
	}

	cmd := exec.Command(frontdeskBin(t), "--demo")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the second start: %v\n%s", err, out)
	}
	if want := "Frontdesk is already open for this user; its window was brought to the front."; !strings.Contains(string(out), want) {
		t.Errorf("the second start said %q, want %q", out, want)
	}
	waitUntil(t, "the first console to take the focus", 10*time.Second, func() bool { return focusedWindow(t) == first.win })
	screenshot(t, "out/window-raised-by-second-start.png")
	// Typing now goes to the first console: its search finds Ada.
	first.typeText(t, "Ada Castillo")
	time.Sleep(time.Second)
	screenshot(t, "out/window-raised-typed.png")
}

func focusedWindow(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("xdotool", "getwindowfocus").Output()
	if err != nil {
		t.Fatalf("xdotool getwindowfocus: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// The text size chosen in Settings draws the whole window larger from the
// next start on, inside a window that keeps its size on screen: at "Large"
// the demo banner is 1.2 times as tall, and the window is still 960x640.
func TestLargeTextDrawsTheWholeWindowLarger(t *testing.T) {
	requireE2E(t)
	bannerHeight := map[string]int{}
	for _, size := range []string{"normal", "large"} {
		env, home := isolatedEnv(t)
		env = withoutVars(env, "FYNE_SCALE")
		prefs := filepath.Join(home, ".config", "fyne", "io.frontdesk.console", "preferences.json")
		if err := os.MkdirAll(filepath.Dir(prefs), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(prefs, []byte(`{"text.size":"`+size+`"}`), 0o600); err != nil {
			t.Fatal(err)
		}
		c := startConsole(t, env, "Frontdesk (DEMO DATA)", "--demo", "--at", "2026-11-23T11:00:00+01:00")
		time.Sleep(time.Second)
		c.typeText(t, "Ada Castillo")
		time.Sleep(time.Second)
		img := screenshot(t, "out/console-text-"+size+".png")
		if _, _, w, h := windowGeometry(t, c.win); w != 960 || h != 640 {
			t.Errorf("%s: the window is %dx%d pixels, want 960x640 whatever the text size", size, w, h)
		}
		bannerHeight[size] = demoBannerRows(img, 100)
		stopConsole(t, c)
	}
	ratio := float64(bannerHeight["large"]) / float64(bannerHeight["normal"])
	t.Logf("demo banner: %d px at normal, %d px at large (x%.2f)", bannerHeight["normal"], bannerHeight["large"], ratio)
	if bannerHeight["normal"] == 0 || math.Abs(ratio-1.2) > 0.08 {
		t.Errorf("the demo banner is %d px at normal and %d at large, want about 1.2 times as tall", bannerHeight["normal"], bannerHeight["large"])
	}
}

// demoBannerRows counts the rows of column x in the demo banner's amber.
func demoBannerRows(img image.Image, x int) int {
	rows := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		r, g, b, _ := img.At(x, y).RGBA()
		if r>>8 > 0xf0 && g>>8 > 0xa8 && g>>8 < 0xc8 && b>>8 < 0x20 {
			rows++
		}
	}
	return rows
}

// stopConsole asks the console to quit, as a service manager would, and waits
// until it has.
func stopConsole(t *testing.T, c *console) {
	t.Helper()
	if err := syscall.Kill(c.pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitForExit(t, c)
}

// waitForExit waits until the console's process is gone.
func waitForExit(t *testing.T, c *console) {
	t.Helper()
	waitUntil(t, "the console to exit", 20*time.Second, func() bool { return syscall.Kill(c.pid, 0) != nil })
}

// With `frontdesk watch` holding the profile, a console started from the
// menu cannot take over and has nothing to bring to the front: it says so in
// a window of its own (stderr is nowhere for a launcher), which Enter closes,
// and exits 2.
func TestAConsoleRefusedByWatchSaysSoInAWindow(t *testing.T) {
	requireE2E(t)
	env, _ := isolatedEnv(t)
	watch := exec.Command(frontdeskBin(t), "watch", "--demo")
	watch.Env = env
	watchExited, watchStderr := startInGroup(t, watch)
	t.Cleanup(func() { stopGroup(watch, watchExited, 5*time.Second) })
	time.Sleep(2 * time.Second) // watch takes the lock at once; give it a moment all the same
	select {
	case err := <-watchExited:
		t.Fatalf("watch ended: %v\n%s", err, watchStderr)
	default:
	}

	cmd := exec.Command(frontdeskBin(t), "--demo")
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	win := waitForOwnWindow(t, cmd.Process.Pid, "Frontdesk", exited, stderr)
	placeWindow(t, win)
	time.Sleep(500 * time.Millisecond)
	screenshot(t, "out/window-already-running.png")
	xdo(t, "key", "Return")
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("exit: %v, want exit status 2", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the refusal window did not close on Enter")
	}
	if !strings.Contains(stderr.String(), "already running for this user") {
		t.Errorf("stderr lacks the refusal:\n%s", stderr)
	}
}
