package e2e

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// Layout of the real window (960x640 at the origin, Fyne draws the main menu
// inside the window). Measured on the screenshots this test saves.
const (
	menuBarHeight = 27
	windowWidth   = 960
)

// ewsEvent is one request the window's responder saw.
type ewsEvent struct {
	at       time.Time
	op       string
	accepted bool
	body     string
}

func (ev ewsEvent) String() string {
	verdict := "rejected"
	if ev.accepted {
		verdict = "accepted"
	}
	return ev.at.Format("15:04:05.000") + " " + ev.op + " " + verdict
}

// windowEWS is an EWS responder that records every request with its time,
// its operation and whether the password was accepted (401 otherwise).
type windowEWS struct {
	url, caFile string
	mu          sync.Mutex
	events      []ewsEvent
}

func startWindowEWS(t *testing.T) *windowEWS {
	t.Helper()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: ewstest.SalesTeam}
	e := &windowEWS{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		user, pw, ok := r.BasicAuth()
		accepted := ok && user == ewsUser && pw == ewsPassword
		e.mu.Lock()
		e.events = append(e.events, ewsEvent{at: time.Now(), op: soapOperation(body), accepted: accepted, body: string(body)})
		e.mu.Unlock()
		if !accepted {
			w.Header().Set("WWW-Authenticate", `Basic realm="127.0.0.1"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/EWS/Exchange.asmx"
	e.caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(e.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// soapOperation names the EWS operation in a request body.
func soapOperation(body []byte) string {
	for _, op := range []string{"GetUserAvailabilityRequest", "GetMailTips", "ExpandDL", "ResolveNames"} {
		if bytes.Contains(body, []byte(op)) {
			return strings.TrimSuffix(op, "Request")
		}
	}
	return "other"
}

func (e *windowEWS) snapshot() []ewsEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ewsEvent(nil), e.events...)
}

func (e *windowEWS) count(op string, accepted bool) int {
	n := 0
	for _, ev := range e.snapshot() {
		if ev.op == op && ev.accepted == accepted {
			n++
		}
	}
	return n
}

func (e *windowEWS) waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s; requests so far: %v", what, e.snapshot())
}

// console is the real binary's window under Xvfb.
type console struct {
	win    string
	pid    int
	stderr *outputBuffer
}

func startConsole(t *testing.T, env []string, title string, args ...string) *console {
	t.Helper()
	return startConsoleVia(t, env, title, append([]string{frontdeskBin(t)}, args...))
}

// startConsoleVia runs argv (the binary, possibly behind a wrapper that execs
// it in place, so the PID stays the console's) and waits for its window.
func startConsoleVia(t *testing.T, env []string, title string, argv []string) *console {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	t.Cleanup(func() {
		stopGroup(cmd, exited, 5*time.Second)
		if strings.Contains(stderr.String(), "not been migrated to the fyne.Do threading model") {
			t.Error("the binary runs without the fyneDo migration: the Fyne metadata is not set in code")
		}
	})
	c := &console{win: waitForOwnWindow(t, cmd.Process.Pid, title, exited, stderr), stderr: stderr, pid: cmd.Process.Pid}
	placeWindow(t, c.win)
	return c
}

// waitForOwnWindow finds the window named title of process pid: on a display
// shared with other test runs, the name alone can find someone else's console.
func waitForOwnWindow(t *testing.T, pid int, title string, exited chan error, stderr *outputBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("the console exited before its window appeared: %v\n%s", err, stderr.String())
		default:
		}
		out, err := exec.Command("xdotool", "search", "--all", "--pid", strconv.Itoa(pid), "--name", "^"+regexpQuote(title)+"$").Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			return ids[0]
		}
	}
	t.Fatalf("no window %q of process %d within 60s\n%s", title, pid, stderr.String())
	return ""
}

// placeWindow moves a new window to the screen's origin and gives it the
// keyboard. A window xdotool finds may not be mapped yet: focusing it then
// fails with BadMatch, so it retries for a while.
func placeWindow(t *testing.T, win string) {
	t.Helper()
	var out []byte
	var err error
	for i := 0; i < 20; i++ {
		if out, err = exec.Command("xdotool", "windowmove", win, "0", "0").CombinedOutput(); err == nil {
			if out, err = exec.Command("xdotool", "windowfocus", "--sync", win).CombinedOutput(); err == nil {
				time.Sleep(300 * time.Millisecond) // the move reaches Fyne's layout
				return
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("cannot place window %s: %v %s", win, err, out)
}

// click at window coordinates (the window sits at the screen's origin).
func (c *console) click(t *testing.T, x, y int) {
	t.Helper()
	xdo(t, "mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")
}

func (c *console) typeText(t *testing.T, text string) {
	t.Helper()
	xdo(t, "type", "--delay", "40", text)
}

func (c *console) key(t *testing.T, keys ...string) {
	t.Helper()
	xdo(t, append([]string{"key", "--delay", "60"}, keys...)...)
}

func writeWindowEWSConfig(t *testing.T, e *windowEWS, interval string) string {
	return writeWindowEWSConfigFor(t, e, interval, `group = "sales@exampledomain.com"`)
}

func writeWindowEWSConfigFor(t *testing.T, e *windowEWS, interval, people string) string {
	t.Helper()
	return ewsConfigFile(t, e.url, e.caFile, ewsUser, interval, people)
}

// storePassword puts a password in the keyring as an operator would in a terminal.
func storePassword(t *testing.T, env []string, config, password string) {
	t.Helper()
	cmd := exec.Command(frontdeskBin(t), "ews-password", "--config", config)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ews-password: %v\n%s", err, out)
	}
}

// Exchange: the keyring holds a wrong password. The window says so with an
// "Enter the password" button; a second wrong password typed in the prompt
// costs one request and brings the prompt back with the server's answer; the
// right one is checked with one request, then polling resumes and
// availability arrives, without a restart.
func TestWindowExchangePasswordPrompt(t *testing.T) {
	e := startWindowEWS(t)
	config := writeWindowEWSConfig(t, e, "60s")
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=", "LANG=C.UTF-8")
	storePassword(t, env, config, "not-the-password")

	c := startConsole(t, env, "Frontdesk", "--config", config)
	e.waitFor(t, "the first (rejected) request", 30*time.Second, func() bool { return len(e.snapshot()) >= 1 })
	time.Sleep(3 * time.Second) // nothing else may follow a rejection
	if got := e.snapshot(); len(got) != 1 || got[0].accepted {
		t.Fatalf("after the wrong password the server saw %v, want exactly one rejected request", got)
	}
	screenshot(t, "out/window-exchange-banner.png")

	// The banner's button sits at the top right, under the menu bar.
	c.click(t, windowWidth-80, menuBarHeight+22)
	time.Sleep(time.Second)
	c.typeText(t, "still-not-it")
	screenshot(t, "out/window-password-dialog.png")
	c.key(t, "Return")

	// Wrong again: one request for the new password, then the prompt is back
	// with the server's answer, and nothing is retried.
	e.waitFor(t, "the check of the second password", 30*time.Second, func() bool { return len(e.snapshot()) >= 2 })
	time.Sleep(3 * time.Second)
	screenshot(t, "out/window-password-wrong-again.png")
	if got := e.snapshot(); len(got) != 2 || got[1].accepted {
		t.Fatalf("after a second wrong password the server saw %v, want exactly one more rejected request", got)
	}
	c.typeText(t, ewsPassword) // the prompt came back with the focus in the field
	c.key(t, "Return")

	e.waitFor(t, "an accepted availability request", 30*time.Second, func() bool { return e.count("GetUserAvailability", true) >= 1 })
	time.Sleep(2 * time.Second)
	after := screenshot(t, "out/window-exchange-filled.png")
	events := e.snapshot()
	rejected := 0
	for _, ev := range events {
		if !ev.accepted {
			rejected++
		}
	}
	if rejected != 2 {
		t.Errorf("%d rejected requests, want exactly 2 (one per wrong password): %v", rejected, events)
	}
	// One to check the typed password before it is stored, one for the cycle.
	if n := e.count("GetUserAvailability", true); n != 2 {
		t.Errorf("%d accepted availability requests after the new password, want 2 (the check, one cycle): %v", n, events)
	}
	if !events[2].accepted {
		t.Errorf("the first request after the right password was rejected: %v", events)
	}
	if distinctColours(after) < 8 {
		t.Error("the window is blank after the password was accepted")
	}
	assertNoPasswordInFiles(t, home, ewsPassword)
	t.Logf("requests: %v", events)
}

// Settings: the operator changes the refresh interval and adds a colleague,
// and saves; the responder's availability requests follow the new interval
// and ask for the new colleague, without a restart.
func TestWindowSettingsApplyLive(t *testing.T) {
	e := startWindowEWS(t)
	config := writeWindowEWSConfigFor(t, e, "30s", `emails = ["dpark@exampledomain.com"]`)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword, "LANG=C.UTF-8")
	c := startConsole(t, env, "Frontdesk", "--config", config)
	e.waitFor(t, "the first cycle", 30*time.Second, func() bool { return e.count("GetUserAvailability", true) >= 1 })

	c.key(t, "ctrl+comma")
	settings := waitForOwnWindow(t, c.pid, "Frontdesk settings", make(chan error), c.stderr)
	placeWindow(t, settings)
	time.Sleep(time.Second)
	screenshot(t, "out/window-settings.png")
	// The interval field: select it with a triple click, type the new value.
	// Keyboard focus goes to the window under test right before each typing:
	// GLFW can hand it back to the main window after the new one shows.
	xdo(t, "mousemove", "200", strconv.Itoa(settingsIntervalY), "click", "--repeat", "3", "1")
	xdo(t, "windowfocus", "--sync", settings)
	c.key(t, "ctrl+a")
	c.typeText(t, "1m")
	xdo(t, "mousemove", "300", strconv.Itoa(settingsAddressesY), "click", "1")
	xdo(t, "windowfocus", "--sync", settings)
	c.key(t, "ctrl+End", "Return")
	c.typeText(t, "jprice@exampledomain.com")
	time.Sleep(500 * time.Millisecond)
	screenshot(t, "out/window-settings-edited.png")
	savedAt := time.Now()
	xdo(t, "mousemove", "40", strconv.Itoa(settingsSaveY), "click", "1")

	// At 30 s two cycles would have run by savedAt+65s; at 1 m, one.
	e.waitFor(t, "a cycle at the new interval", 150*time.Second, func() bool {
		n := 0
		for _, ev := range e.snapshot() {
			if ev.op == "GetUserAvailability" && ev.at.After(savedAt) {
				n++
			}
		}
		return n >= 2
	})
	data, err := os.ReadFile(config)
	if err != nil || !strings.Contains(string(data), `refresh_interval = "1m"`) || !strings.Contains(string(data), "jprice@exampledomain.com") {
		t.Errorf("config.toml after Save: %v\n%s", err, data)
	}
	for _, ev := range e.snapshot() {
		asksJeff := strings.Contains(ev.body, "jprice@exampledomain.com")
		if ev.op == "GetUserAvailability" && ev.at.After(savedAt) && !asksJeff {
			t.Error("an availability request after the save does not ask for the colleague added in Settings")
		}
		if ev.op == "GetUserAvailability" && !ev.at.After(savedAt) && asksJeff {
			t.Error("the new colleague was asked for before the save")
		}
	}
	var times []time.Time
	for _, ev := range e.snapshot() {
		if ev.op == "GetUserAvailability" {
			times = append(times, ev.at)
		}
	}
	var gaps []string
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-1]).Round(time.Second).String())
	}
	t.Logf("availability request gaps: %v (saved at +%s)", gaps, savedAt.Sub(times[0]).Round(time.Second))
	// Every cycle after the save, the first included, keeps the new interval
	// (at the old 30 s one would have come 30 s after the last).
	for i := 1; i < len(times); i++ {
		if times[i].After(savedAt) && times[i].Sub(times[i-1]) < 55*time.Second {
			t.Errorf("after saving 1m, availability requests %d and %d are %s apart", i-1, i, times[i].Sub(times[i-1]))
		}
	}
}

// Where the settings window (moved to the origin) has the interval field and
// Save, for an Exchange configuration; measured on out/window-settings.png.
const (
	settingsIntervalY  = 138
	settingsAddressesY = 404
	settingsSaveY      = 657
)

// cycleDone reports whether the console's log has a complete refresh of n people.
func cycleDone(t *testing.T, logFile string, people int) bool {
	return cyclesDone(t, logFile, people) > 0
}

// cyclesDone counts the console's complete refreshes of n people in its log.
func cyclesDone(t *testing.T, logFile string, people int) int {
	t.Helper()
	data, err := os.ReadFile(logFile)
	if err != nil {
		return 0
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, `"msg":"refresh cycle done"`) && strings.Contains(line, fmt.Sprintf(`"people":%d`, people)) &&
			strings.Contains(line, `"complete":true`) {
			n++
		}
	}
	return n
}

func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// Microsoft 365: not signed in, the window offers Sign in; "Sign in with
// Microsoft" goes through the Entra-like identity server in the (fake) system
// browser; colleagues arrive from Prism without a restart; Sign out forgets it.
func TestWindowMicrosoft365SignInAndOut(t *testing.T) {
	w := newAuthWorld(t, true)
	w.useGraph(t, startPrism(t), "America/Los_Angeles", adele, megan)
	logFile := filepath.Join(w.stateDir, "frontdesk.log")
	c := startConsole(t, w.env("LANG=C.UTF-8"), "Frontdesk")
	time.Sleep(3 * time.Second)
	screenshot(t, "out/window-m365-signed-out.png")
	if cycleDone(t, logFile, 2) {
		t.Fatal("colleagues refreshed before anyone signed in")
	}

	// The account bar's Sign in, top right under the menu.
	c.click(t, windowWidth-50, menuBarHeight+22)
	time.Sleep(time.Second)
	screenshot(t, "out/window-signin.png")
	c.click(t, windowWidth/2, signInButtonY)
	waitUntil(t, "the browser sign-in", 60*time.Second, func() bool { return w.browserOpens() == 1 })
	waitUntil(t, "a refresh of both colleagues from Prism", 60*time.Second, func() bool { return cycleDone(t, logFile, 2) })
	time.Sleep(time.Second)
	screenshot(t, "out/window-signed-in.png")
	c.click(t, windowWidth/2, signInCloseY)
	time.Sleep(time.Second)
	filled := screenshot(t, "out/window-m365-filled.png")
	if distinctColours(filled) < 8 {
		t.Error("blank window after sign-in")
	}

	// Sign out from the account bar: the token cache and keyring items go.
	c.click(t, windowWidth-50, menuBarHeight+22)
	waitUntil(t, "sign-out", 40*time.Second, func() bool {
		_, err := os.Stat(filepath.Join(w.stateDir, "msal-cache.bin"))
		return os.IsNotExist(err) && !strings.Contains(keyringItems(t), "service = "+auth.KeyringService)
	})
	t.Cleanup(func() {
		if t.Failed() {
			data, _ := os.ReadFile(logFile)
			t.Logf("console log:\n%s", data)
		}
	})
	waitUntil(t, "the list to empty after sign-out", 40*time.Second, func() bool {
		data, _ := os.ReadFile(logFile)
		return strings.Count(string(data), `"msg":"refresh engine started"`) >= 2
	})
	time.Sleep(2 * time.Second)
	screenshot(t, "out/window-signed-out-again.png")
	if r := w.frontdesk("whoami"); r.code != 3 {
		t.Errorf("whoami after Sign out in the window: exit %d, want 3", r.code)
	}

	// Sign in again with a code: the window shows it with the address; the
	// operator types it on another device (the fake browser, given the code
	// the identity server handed out).
	before := cyclesDone(t, logFile, 2)
	c.click(t, windowWidth-50, menuBarHeight+22)
	time.Sleep(time.Second)
	c.click(t, windowWidth/2, signInCodeY)
	var codes []struct {
		UserCode        string `json:"user_code"`
		VerificationURI string `json:"verification_uri"`
	}
	waitUntil(t, "a device code", 30*time.Second, func() bool {
		w.adminJSON("GET", "/admin/device-codes", nil, &codes)
		return len(codes) > 0
	})
	time.Sleep(time.Second)
	screenshot(t, "out/window-device-code.png")
	dc := codes[len(codes)-1]
	browser := exec.Command(filepath.Join(w.browserDir, "xdg-open"), dc.VerificationURI)
	browser.Env = w.env("FAKEBROWSER_USER_CODE="+dc.UserCode, "FAKEBROWSER_LOG=")
	if out, err := browser.CombinedOutput(); err != nil {
		t.Fatalf("device page: %v\n%s", err, out)
	}
	waitUntil(t, "a refresh after the code sign-in", 60*time.Second, func() bool { return cyclesDone(t, logFile, 2) > before })
	time.Sleep(time.Second)
	screenshot(t, "out/window-device-code-signed-in.png")
	if r := w.frontdesk("whoami"); r.code != 0 {
		t.Errorf("whoami after the code sign-in in the window: exit %d", r.code)
	}
}

// Where the sign-in prompt (centred in the 960x640 window) has its buttons;
// measured on out/window-signin.png and out/window-signed-in.png.
const (
	signInButtonY = 315
	signInCodeY   = 355
	signInCloseY  = 355
)

// First run: no config and no policy open the welcome page. The operator picks
// Exchange, types the server, account and password, and Connect proves them
// with one availability request before anything is saved; then the console
// polls on the saved settings, the password is in the keyring, not on disk.
func TestWindowFirstRunExchange(t *testing.T) {
	e := startWindowEWS(t)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=", "LANG=C.UTF-8", "SSL_CERT_FILE="+e.caFile)
	configFile := filepath.Join(home, ".config", "Frontdesk", "config.toml")
	c := startConsole(t, env, "Welcome to Frontdesk")
	time.Sleep(time.Second)
	screenshot(t, "out/window-welcome.png")

	c.click(t, windowWidth/2, welcomeExchangeY)
	time.Sleep(time.Second)
	c.click(t, windowWidth/2, welcomeAddressY)
	c.typeText(t, e.url)
	c.key(t, "Tab")
	c.typeText(t, ewsUser)
	c.key(t, "Tab")
	c.typeText(t, "not-the-password")
	c.key(t, "Tab")
	c.typeText(t, "dpark@exampledomain.com")
	screenshot(t, "out/window-welcome-exchange.png")
	c.key(t, "shift+Tab", "Return") // back in the password field: Return connects

	// A wrong password: the page says so, nothing is saved.
	e.waitFor(t, "the rejected check", 30*time.Second, func() bool { return len(e.snapshot()) == 1 })
	time.Sleep(2 * time.Second)
	screenshot(t, "out/window-welcome-rejected.png")
	if _, err := os.Stat(configFile); !os.IsNotExist(err) {
		t.Fatalf("a rejected Connect saved the settings (%v)", err)
	}
	c.key(t, "ctrl+a")
	c.typeText(t, ewsPassword)
	c.key(t, "Return")

	e.waitFor(t, "the console's first cycle", 30*time.Second, func() bool { return e.count("GetUserAvailability", true) >= 2 })
	time.Sleep(2 * time.Second)
	screenshot(t, "out/window-first-run-console.png")
	data, err := os.ReadFile(configFile)
	if err != nil || !strings.Contains(string(data), `provider = "ews"`) || !strings.Contains(string(data), "dpark@exampledomain.com") {
		t.Fatalf("settings after Connect: %v\n%s", err, data)
	}
	events := e.snapshot()
	if events[0].op != "GetUserAvailability" || events[0].accepted || events[1].op != "GetUserAvailability" || !events[1].accepted {
		t.Errorf("Connect should check with one availability request each time: %v", events)
	}
	assertNoPasswordInFiles(t, home, ewsPassword)
}

// Where the welcome page (960x640, centred column) has the Exchange choice and,
// on the Exchange page, the server address field; measured on the screenshots.
const (
	welcomeExchangeY = 272
	welcomeAddressY  = 160
)

// An admin policy locks the refresh interval: Settings shows it read-only
// ("Set by your administrator"), typing there changes nothing, and Save keeps
// the user's own value under the locked key. The policy sits at its real
// path, /etc/frontdesk/policy.toml, in namespaces of the console alone
// (underPolicy), so no other process on the machine sees it.
func TestWindowSettingsPolicyLockedKey(t *testing.T) {
	e := startWindowEWS(t)
	config := writeWindowEWSConfigFor(t, e, "45s", `emails = ["dpark@exampledomain.com"]`)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword, "LANG=C.UTF-8")
	logFile := filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log")
	c := startConsoleVia(t, env, "Frontdesk", underPolicy(t, "refresh_interval = \"60s\"\n", frontdeskBin(t), "--config", config))
	e.waitFor(t, "the first cycle", 30*time.Second, func() bool { return e.count("GetUserAvailability", true) >= 1 })

	c.key(t, "ctrl+comma")
	settings := waitForOwnWindow(t, c.pid, "Frontdesk settings", make(chan error), c.stderr)
	placeWindow(t, settings)
	time.Sleep(time.Second)
	locked := screenshot(t, "out/window-settings-policy.png")
	before, _ := os.ReadFile(config)
	// A click and typing (a disabled entry still lets text be selected for
	// copying, so no select-all here: the highlight would differ, not the text).
	xdo(t, "mousemove", "200", strconv.Itoa(settingsIntervalY), "click", "1")
	xdo(t, "windowfocus", "--sync", settings)
	c.key(t, "End")
	c.typeText(t, "2m")
	time.Sleep(500 * time.Millisecond)
	typed := screenshot(t, "out/window-settings-policy-edited.png")
	field := image.Rect(8, settingsIntervalY-14, 560, settingsIntervalY+14)
	if n := differingPixels(locked.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(field), typed.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(field)); n != 0 {
		t.Errorf("typing into the locked interval changed %d pixels of the field", n)
	}
	xdo(t, "mousemove", "40", strconv.Itoa(settingsSaveY), "click", "1")
	// Save changes nothing the operator did not change: the user's file,
	// with the user's own value under the locked key, stays as written.
	waitUntil(t, "the save", 20*time.Second, func() bool {
		data, _ := os.ReadFile(logFile)
		return strings.Contains(string(data), "settings saved from the window")
	})
	data, _ := os.ReadFile(config)
	if string(data) != string(before) {
		t.Errorf("Save changed the user's file though the operator changed nothing:\n%s\nbefore:\n%s", data, before)
	}
	if !strings.Contains(string(data), `refresh_interval = "45s"`) {
		t.Errorf("the locked interval was changed in the user's file:\n%s", data)
	}
	if strings.Contains(string(data), "2m") {
		t.Errorf("typing into the locked field reached the file:\n%s", data)
	}
}
