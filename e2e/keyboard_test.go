package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// keyboardDay is a Monday late morning in keyboardZone: the demo company's
// day is under way (meetings, someone on leave) whatever the date the test
// runs, because both status and the console are started at this instant.
const (
	keyboardZone = "Europe/Paris"
	keyboardDay  = "2026-11-23T11:00:00+01:00"
)

// keyConsole is one run of the real binary on the demo company under Xvfb.
type keyConsole struct {
	t      *testing.T
	win    string
	x, y   int
	w, h   int
	config string
	cmd    *exec.Cmd
}

func startKeyConsole(t *testing.T, env []string, config string) *keyConsole {
	t.Helper()
	cmd := exec.Command(frontdeskBin(t), "--demo", "--at", keyboardDay)
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	t.Cleanup(func() {
		stopGroup(cmd, exited, 5*time.Second)
	})
	c := &keyConsole{t: t, config: config, cmd: cmd}
	c.win = waitForWindow(t, "Frontdesk (DEMO DATA)", exited, stderr)
	c.x, c.y, c.w, c.h = windowGeometry(t, c.win)
	time.Sleep(2 * time.Second) // the first snapshot arrives and the list renders
	xdo(t, "windowfocus", "--sync", c.win)
	// Click into the empty details pane: the window takes the keyboard, no widget yet.
	xdo(t, "mousemove", strconv.Itoa(c.x+c.w*3/4), strconv.Itoa(c.y+c.h*3/4), "click", "1")
	return c
}

// shot saves the window alone as PNG to e2e/out/name. Tests never write into
// docs/: scripts/screenshots.sh copies the README's pictures from e2e/out on
// purpose.
func (c *keyConsole) shot(name string) image.Image {
	return c.shotTo(name, "out")
}

// shotTo saves the window alone as PNG to e2e/out/name and into each of dirs.
func (c *keyConsole) shotTo(name string, dirs ...string) image.Image {
	c.t.Helper()
	root := screenshot(c.t, filepath.Join("out", "root-"+name))
	rect := image.Rect(c.x, c.y, c.x+c.w, c.y+c.h).Intersect(root.Bounds())
	img := image.NewRGBA(image.Rect(0, 0, rect.Dx(), rect.Dy()))
	draw.Draw(img, img.Bounds(), root, rect.Min, draw.Src)
	_ = os.Remove(filepath.Join("out", "root-"+name))
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			c.t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
	if distinctColours(img) < 8 {
		c.t.Errorf("%s is blank", name)
	}
	return img
}

// key presses keys in the focused window, as an operator would.
func (c *keyConsole) key(keys ...string) {
	c.t.Helper()
	xdo(c.t, append([]string{"key", "--delay", "120"}, keys...)...)
}

func (c *keyConsole) typeText(s string) {
	c.t.Helper()
	xdo(c.t, "type", "--delay", "60", s)
}

// waitChange waits until the window differs from before by at least min
// pixels inside the band of rows [from, to) (fractions of the height).
func (c *keyConsole) waitChange(before image.Image, name string, from, to float64, min int) image.Image {
	c.t.Helper()
	return c.waitChangeTo(before, name, from, to, min, "out")
}

// waitChangeTo is waitChange saving its screenshots into dirs.
func (c *keyConsole) waitChangeTo(before image.Image, name string, from, to float64, min int, dirs ...string) image.Image {
	c.t.Helper()
	band := func(img image.Image) image.Image { return rows(img, from, to) }
	var after image.Image
	for deadline := time.Now().Add(20 * time.Second); ; {
		time.Sleep(400 * time.Millisecond)
		after = c.shotTo(name, dirs...)
		if differingPixels(band(before), band(after)) >= min || time.Now().After(deadline) {
			break
		}
	}
	if n := differingPixels(band(before), band(after)); n < min {
		c.t.Fatalf("%s: only %d pixels changed", name, n)
	}
	return after
}

// rows is the band of img's rows [from, to), in fractions of its height.
func rows(img image.Image, from, to float64) image.Image {
	b := img.Bounds()
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(b.Min.X, b.Min.Y+int(float64(b.Dy())*from), b.Max.X, b.Min.Y+int(float64(b.Dy())*to)))
}

// demoStatus is `frontdesk status --json` on the same config: who is busy and
// who is away right now, to find them in the window.
func demoStatus(t *testing.T, env []string) statusJSON {
	t.Helper()
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--at", keyboardDay)
	if code != 0 && code != 1 {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	return s
}

// keyboardEnv is an isolated profile on the demo company in keyboardZone.
func keyboardEnv(t *testing.T) (env []string, config string) {
	t.Helper()
	env, home := isolatedEnv(t, "TZ="+keyboardZone, "LANG=en_GB.UTF-8", "LANGUAGE=en_GB")
	config = filepath.Join(home, "config.toml")
	if err := os.WriteFile(config, []byte("provider = \"demo\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return append(env, "FRONTDESK_CONFIG="+config), config
}

// The operator's keyboard path on the real binary: type a name, Down, Down,
// Enter, Ctrl+D (favourite, saved to config.toml), Esc, F5; then an
// out-of-office colleague; then the same in the light and dark themes.
// Screenshots go to e2e/out; scripts/screenshots.sh copies the README's ones
// to docs/screenshots.
func TestKeyboardPathUnderXvfb(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	zone := keyboardZone
	env, config := keyboardEnv(t)
	status := demoStatus(t, env)
	var busy, away string
	var busyEmail string
	for _, p := range status.People {
		if busy == "" && p.Status == "busy" && p.Subject != "" && !p.Private {
			busy, busyEmail = p.Name, p.Email
		}
		if away == "" && p.Status == "oof" && p.OutOfOffice.Active {
			away = p.Name
		}
	}
	if busy == "" || away == "" {
		t.Fatalf("the demo at %s in %s has no busy (%q) or out-of-office (%q) colleague", status.At, zone, busy, away)
	}

	for _, theme := range []string{"dark", "light"} {
		t.Run(theme, func(t *testing.T) {
			c := startKeyConsole(t, append(env, "FYNE_THEME="+theme), config)
			list := c.shot("console-" + theme + ".png")
			if theme == "light" {
				return // the keyboard path once is enough; this is the light picture
			}
			c.shot("console-list.png")

			// Typing goes to the search with no click in it; Down, Down, Enter show
			// the colleague's day.
			c.typeText(busy)
			c.key("Down", "Down", "Return")
			day := c.waitChange(list, "console-busy-day.png", 0.1, 0.9, 2000)

			// Ctrl+D stars them: saved to people.favourites in config.toml.
			c.key("ctrl+d")
			deadline := time.Now().Add(10 * time.Second)
			for {
				data, _ := os.ReadFile(config)
				if strings.Contains(strings.ToLower(string(data)), strings.ToLower(busyEmail)) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("Ctrl+D did not save %s in config.toml:\n%s", busyEmail, data)
				}
				time.Sleep(200 * time.Millisecond)
			}

			// Esc clears the search: the whole list is back, the favourite on top.
			c.key("Escape")
			cleared := c.waitChange(day, "console-favourite-on-top.png", 0.1, 0.9, 2000)

			// F5 refreshes the selected colleague now: their details' "Updated"
			// time (on the role's line, near the top) changes. The state line
			// at the bottom keeps the oldest answer on show.
			time.Sleep(1100 * time.Millisecond) // the seconds in "Updated" must be able to change
			c.key("F5")
			c.waitChange(cleared, "console-after-f5.png", 0.2, 0.35, 20)

			// An out-of-office colleague: the automatic reply and the leave in the day.
			c.key("ctrl+f")
			c.typeText(away)
			c.key("Return")
			c.waitChange(cleared, "console-out-of-office.png", 0.1, 0.9, 2000)
		})
	}
	abs, _ := filepath.Abs("out")
	t.Logf("screenshots in %s (scripts/screenshots.sh copies them to docs/screenshots)", abs)
}

// firstDifference is the topmost row where a and b differ between columns x0
// and x1, and the leftmost differing column in it.
func firstDifference(a, b image.Image, x0, x1 int) (x, y int, ok bool) {
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := max(x0, r.Min.X); x < min(x1, r.Max.X); x++ {
			if a.At(x, y) != b.At(x, y) {
				return x, y, true
			}
		}
	}
	return 0, 0, false
}

// An operator copies a colleague's name or number from the details and types
// the next caller's name straight away. Fyne's selectable labels kept the
// keyboard after such a click and swallowed the name; now the name starts a
// new search, first letter included: the window ends up exactly as if the
// name had been typed into an empty search. Ctrl+C copies the selected name;
// Esc and F5 work from the details too.
func TestTypingAfterClickingIntoTheDetailsUnderXvfb(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	env, config := keyboardEnv(t)
	status := demoStatus(t, env)
	var busy, away string
	for _, p := range status.People {
		if busy == "" && p.Status == "busy" {
			busy = p.Name
		}
		if away == "" && p.Status == "oof" {
			away = p.Name
		}
	}
	if busy == "" || away == "" {
		t.Fatalf("the demo at %s has no busy (%q) or out-of-office (%q) colleague", status.At, busy, away)
	}
	c := startKeyConsole(t, append(env, "FYNE_THEME=dark"), config)
	start := c.shotTo("details-keys-start.png", "out")

	// The reference: the busy colleague's name typed with nothing focused.
	c.typeText(busy)
	typed := c.waitChangeTo(start, "details-keys-typed.png", 0.05, 0.9, 500, "out")

	// Another colleague's details; where the two differ first, on the right,
	// is the colleague's name at the top of the details.
	c.key("ctrl+f")
	c.typeText(away)
	c.key("Return")
	other := c.waitChangeTo(typed, "details-keys-other.png", 0.05, 0.9, 500, "out")
	x, y, ok := firstDifference(typed, other, c.w/2+48, c.w-8)
	if !ok {
		t.Fatal("the details of two colleagues look the same")
	}

	// Double-click the name: it is selected, ready for Ctrl+C.
	xdo(t, "mousemove", strconv.Itoa(c.x+x+4), strconv.Itoa(c.y+y+6), "click", "--repeat", "2", "--delay", "80", "1")
	selected := c.waitChangeTo(other, "details-keys-name-selected.png", 0.05, 0.9, 50, "out")
	xdo(t, "key", "ctrl+c")

	// The next caller's name typed right after: it lands in the search, whole,
	// replacing the last one, and the window is as in the reference.
	c.typeText(busy)
	after := c.waitChangeTo(selected, "details-keys-typed-after-click.png", 0.05, 0.9, 500, "out")
	// The search field's cursor may be mid-blink in one picture and not the other.
	n := differingPixels(rows(typed, 0, 0.9), rows(after, 0, 0.9))
	if n > 150 {
		t.Fatalf("typing %q after clicking into the details: %d pixels differ from the same name typed into the search (see e2e/out/details-keys-typed*.png)", busy, n)
	}
	t.Logf("typed %q after clicking into the details: %d pixels differ from typing it into the search", busy, n)

	// Ctrl+C on the selected name copied it: pasted over the search, it
	// brings back the window of that colleague. Enter, as for "other": it
	// leaves the search text selected for the next caller, and the
	// highlight is part of the picture.
	c.key("ctrl+f", "ctrl+v", "Return")
	pasted := c.waitChangeTo(after, "details-keys-pasted.png", 0.05, 0.9, 500, "out")
	if n := differingPixels(rows(other, 0, 0.9), rows(pasted, 0, 0.9)); n > 150 {
		t.Fatalf("pasting what Ctrl+C copied from %q's name: %d pixels differ from their window", away, n)
	} else {
		t.Logf("pasted what Ctrl+C copied from %q's name: %d pixels differ from their window", away, n)
	}

	// Esc from the details: the search clears and the whole list is back.
	xdo(t, "mousemove", strconv.Itoa(c.x+x+4), strconv.Itoa(c.y+y+6), "click", "1")
	clicked := c.shotTo("details-keys-clicked.png", "out")
	c.key("Escape")
	cleared := c.waitChangeTo(clicked, "details-keys-esc.png", 0.1, 0.9, 2000, "out")

	// F5 from the details refreshes the colleague: the time the details say
	// their data was fetched ("Updated 11:00:01", on the role's line) moves.
	// The state line keeps the oldest answer on show, which F5 on one
	// colleague does not change.
	xdo(t, "mousemove", strconv.Itoa(c.x+x+4), strconv.Itoa(c.y+y+6), "click", "1")
	time.Sleep(1100 * time.Millisecond) // the seconds in "Updated" must be able to change
	c.key("F5")
	c.waitChangeTo(cleared, "details-keys-f5.png", 0.2, 0.35, 20, "out")
	abs, _ := filepath.Abs("out")
	t.Logf("screenshots in %s/details-keys-*.png", abs)
}
