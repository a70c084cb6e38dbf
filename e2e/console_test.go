package e2e

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ScreenshotPath is where the test run leaves a picture of the real window.
const ScreenshotPath = "out/console-demo.png"

// The real binary opens its window on the demo source under Xvfb; an operator
// types a name; the window survives and shows something different.
func TestConsoleWindowUnderXvfb(t *testing.T) {
	bin := frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed", tool)
		}
	}
	env, _ := isolatedEnv(t)
	cmd := exec.Command(bin, "--demo")
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	t.Cleanup(func() {
		stopGroup(cmd, exited, 5*time.Second)
	})

	win := waitForWindow(t, "Frontdesk (DEMO DATA)", exited, stderr)
	x, y, _, _ := windowGeometry(t, win)
	time.Sleep(2 * time.Second) // the first snapshot arrives and the list renders
	before := screenshot(t, "out/console-demo-before.png")

	// No window manager under Xvfb: give the window X input focus, then click
	// into the search field, which sits under the demo banner.
	xdo(t, "windowfocus", "--sync", win)
	xdo(t, "mousemove", strconv.Itoa(x+200), strconv.Itoa(y+62), "click", "1")
	xdo(t, "type", "--delay", "60", "Dmitri")
	// The machine may be busy with other tests: wait for the list to change
	// rather than for a fixed time.
	var after image.Image
	for deadline := time.Now().Add(20 * time.Second); ; {
		time.Sleep(500 * time.Millisecond)
		after = screenshot(t, ScreenshotPath)
		if differingPixels(before, after) >= 500 || time.Now().After(deadline) {
			break
		}
	}

	select {
	case err := <-exited:
		t.Fatalf("the console exited after typing: %v\n%s", err, stderr.String())
	default:
	}
	if differingPixels(before, after) < 500 {
		t.Error("typing a name changed nothing on screen")
	}
	if distinctColours(after) < 8 {
		t.Error("the screenshot is blank")
	}
	abs, _ := filepath.Abs(ScreenshotPath)
	t.Logf("screenshot: %s", abs)
}

func waitForWindow(t *testing.T, name string, exited chan error, stderr *outputBuffer) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the console exited before its window appeared: %v\n%s", err, stderr.String())
		default:
		}
		out, err := exec.Command("xdotool", "search", "--name", "^"+regexpQuote(name)+"$").Output()
		if err == nil {
			if ids := strings.Fields(string(out)); len(ids) > 0 {
				return ids[0]
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("no window named %q within 60s\n%s", name, stderr.String())
	return ""
}

func regexpQuote(s string) string {
	r := strings.NewReplacer("(", `\(`, ")", `\)`, ".", `\.`)
	return r.Replace(s)
}

// windowGeometry is where window win is on the screen and its size, in pixels.
func windowGeometry(t *testing.T, win string) (x, y, width, height int) {
	t.Helper()
	out, err := exec.Command("xdotool", "getwindowgeometry", "--shell", win).Output()
	if err != nil {
		t.Fatalf("getwindowgeometry: %v", err)
	}
	vals := map[string]int{}
	for _, line := range strings.Fields(string(out)) {
		if k, v, ok := strings.Cut(line, "="); ok {
			vals[k], _ = strconv.Atoi(v)
		}
	}
	return vals["X"], vals["Y"], vals["WIDTH"], vals["HEIGHT"]
}

func xdo(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

func screenshot(t *testing.T, path string) image.Image {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	return img
}

func differingPixels(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

func distinctColours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			c0, c1, c2, c3 := img.At(x, y).RGBA()
			seen[[4]uint32{c0, c1, c2, c3}] = true
		}
	}
	return len(seen)
}
