package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// notificationServer is a fake org.freedesktop.Notifications on a session
// bus of the test's own: it records every Notify call, as a desktop would
// show it.
type notificationServer struct {
	mu    sync.Mutex
	calls []string // "summary | body"
}

func (s *notificationServer) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, summary+" | "+body)
	return uint32(len(s.calls)), nil
}

func (s *notificationServer) recorded() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// sessionBusWithNotifications starts a private dbus-daemon and the fake
// notification server on it; it returns the bus address for the console.
func sessionBusWithNotifications(t *testing.T) (address string, srv *notificationServer) {
	t.Helper()
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	stopByPIDOnCleanup(t, cmd, syscall.SIGTERM)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	address = strings.TrimSpace(line)
	conn, err := dbus.Connect(address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	srv = &notificationServer{}
	if err := conn.Export(srv, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("could not own org.freedesktop.Notifications: %v %v", reply, err)
	}
	return address, srv
}

// Ctrl+B on a demo colleague in a meeting, on the real binary: when the
// meeting ends (the demo's clock runs from --at) the next refresh raises
// exactly one desktop notification, recorded from the session bus, and the
// "is free" line appears above the search; a later refresh raises none.
func TestTellMeWhenFreeUnderXvfb(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	bus, notifications := sessionBusWithNotifications(t)
	env, config := keyboardEnv(t)
	if err := os.WriteFile(config, []byte("provider = \"demo\"\nrefresh_interval = \"30s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "DBUS_SESSION_BUS_ADDRESS="+bus)

	// A colleague whose meeting ends after 11:00 and who is free half a
	// minute later. Not one of Support: the demo sets them to Do not disturb
	// (Presenting) between meetings, which rightly holds a watch back.
	var name, email string
	var ends time.Time
	for _, p := range demoPeopleAt(t, env, keyboardDay) {
		if p.Status != "busy" || p.Until == nil || p.Department == "Support" {
			continue
		}
		later := p.Until.Add(30 * time.Second).Format(time.RFC3339)
		if slices.ContainsFunc(demoPeopleAt(t, env, later), func(q tellPerson) bool { return q.Email == p.Email && q.Status == "free" }) {
			name, email, ends = p.Name, p.Email, *p.Until
			break
		}
	}
	if name == "" {
		t.Fatal("no demo colleague turns free after a meeting")
	}

	cmd := exec.Command(frontdeskBin(t), "--demo", "--at", ends.Add(-25*time.Second).Format(time.RFC3339))
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	t.Cleanup(func() { stopGroup(cmd, exited, 5*time.Second) })
	c := &keyConsole{t: t, config: config, cmd: cmd}
	home := filepath.Dir(config)
	c.win = waitForWindow(t, "Frontdesk (DEMO DATA)", exited, stderr)
	c.x, c.y, c.w, c.h = windowGeometry(t, c.win)
	time.Sleep(2 * time.Second)
	xdo(t, "windowfocus", "--sync", c.win)
	xdo(t, "mousemove", strconv.Itoa(c.x+c.w*3/4), strconv.Itoa(c.y+c.h*3/4), "click", "1")
	c.typeText(email) // the search finds mail too; xdotool types no accents
	c.key("ctrl+b")
	time.Sleep(time.Second)
	before := c.shot("watch-set.png")
	if got := notifications.recorded(); len(got) != 0 {
		t.Fatalf("notified before the meeting ended: %v", got)
	}

	var got []string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if got = notifications.recorded(); len(got) > 0 {
			break
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], name+" is free | ") {
		t.Fatalf("notifications %q, want one for %s", got, name)
	}
	// The line above the search: the top of the window changes.
	c.waitChangeTo(before, "watch-banner.png", 0, 0.3, 500, "out")

	// One more refresh (30 s) with the colleague still free: nothing more.
	time.Sleep(40 * time.Second)
	if got := notifications.recorded(); len(got) != 1 {
		t.Errorf("%d notifications after another refresh, want 1: %q", len(got), got)
	}
	// No request for the watch: the demo counts a request per batch of 20,
	// so every refresh of its 60 colleagues and 7 meeting rooms costs 4, and
	// all that was sent is the directory and those refreshes.
	const demoBatches = (60 + 7 + 19) / 20
	cycles, perCycle, sent := refreshCounts(t, filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log"))
	if cycles < 3 || perCycle != demoBatches || sent != 1+demoBatches*cycles {
		t.Errorf("%d refreshes of %d requests, %d sent in all; want %d a refresh and 1+%d×refreshes in all", cycles, perCycle, sent, demoBatches, demoBatches)
	}
	t.Logf("%s: one notification; %d refreshes, %d requests in all", name, cycles, sent)
}

// refreshCounts reads the log of the last engine started: how many refreshes were done, the
// requests each one cost (-1 when they differ) and the requests sent in all
// at the last one.
func refreshCounts(t *testing.T, logFile string) (cycles, perCycle, sent int) {
	t.Helper()
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		var rec struct {
			Msg      string `json:"msg"`
			Requests int    `json:"requests"`
			Sent     int    `json:"requests_sent"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if rec.Msg == "refresh engine started" {
			// The status runs that chose the colleague logged here too.
			cycles, perCycle, sent = 0, 0, 0
		}
		if rec.Msg != "refresh cycle done" {
			continue
		}
		if cycles == 0 {
			perCycle = rec.Requests
		} else if rec.Requests != perCycle {
			perCycle = -1
		}
		cycles++
		sent = rec.Sent
	}
	return cycles, perCycle, sent
}

// tellPerson is what the test reads of a colleague in status --json.
type tellPerson struct {
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Department string     `json:"department"`
	Status     string     `json:"status"`
	Until      *time.Time `json:"until"`
}

// demoPeopleAt is the demo company at the instant at, from status --json.
func demoPeopleAt(t *testing.T, env []string, at string) []tellPerson {
	t.Helper()
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--at", at)
	if code != 0 && code != 1 {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	var s struct {
		People []tellPerson `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json: %v", err)
	}
	return s.People
}

// The same on Exchange, counted at the server: Jeff Price is in a meeting
// until the responder's answer changes; the watch raises one notification
// at the next refresh, every GetUserAvailability sent while he is watched
// asks for him first, and the server sees one GetUserAvailability per
// refresh and at most one GetMailTips: everyone's automatic replies at the
// first refresh, then (calendar.AutoReplyEvery) only the selected and
// watched colleagues' at every refresh, so every refresh while Jeff is
// watched asks his, and a refresh with nobody selected or watched asks none.
func TestTellMeWhenFreeOnExchange(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	bus, notifications := sessionBusWithNotifications(t)
	url, caFile, _, rs := ewsResponder(t)
	var meetingOver atomic.Bool
	var mu sync.Mutex
	var asked []availabilityAsked
	rs.Handle = func(r *ewstest.Request) ewstest.Answer {
		if r.Operation != "GetUserAvailability" {
			return ewstest.SalesTeam(r)
		}
		mu.Lock()
		asked = append(asked, availabilityAsked{at: time.Now(), mailboxes: r.Mailboxes, over: meetingOver.Load()})
		mu.Unlock()
		jeff := freeBusyNow(time.Now(), !meetingOver.Load())
		dan := ewstest.DocumentedFreeBusyResponses()[0]
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{"jprice@exampledomain.com": jeff, "dpark@exampledomain.com": dan})}
	}
	config := ewsConfigFile(t, url, caFile, ewsUser, "30s", `group = "sales@exampledomain.com"`)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword, "LANG=en_GB.UTF-8", "LANGUAGE=en_GB", "DBUS_SESSION_BUS_ADDRESS="+bus)

	cmd := exec.Command(frontdeskBin(t), "--config", config)
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	t.Cleanup(func() { stopGroup(cmd, exited, 5*time.Second) })
	c := &keyConsole{t: t, config: config, cmd: cmd}
	c.win = waitForWindow(t, "Frontdesk", exited, stderr)
	c.x, c.y, c.w, c.h = windowGeometry(t, c.win)
	time.Sleep(3 * time.Second)
	xdo(t, "windowfocus", "--sync", c.win)
	xdo(t, "mousemove", strconv.Itoa(c.x+c.w*3/4), strconv.Itoa(c.y+c.h*3/4), "click", "1")
	c.typeText("jprice")
	c.key("ctrl+b")
	watchedAt := time.Now()
	c.key("Escape")
	c.typeText("tplate") // the operator moves on to another colleague
	time.Sleep(time.Second)
	before := c.shot("watch-set-exchange.png")
	if got := notifications.recorded(); len(got) != 0 {
		t.Fatalf("notified while Jeff Price is in a meeting: %v", got)
	}
	meetingOver.Store(true)

	var got []string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if got = notifications.recorded(); len(got) > 0 {
			break
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "Jeff Price is free | ") {
		t.Fatalf("notifications %q, want one for Jeff Price", got)
	}
	c.waitChangeTo(before, "watch-banner-exchange.png", 0, 0.3, 500, "out")
	time.Sleep(40 * time.Second)
	if got := notifications.recorded(); len(got) != 1 {
		t.Errorf("%d notifications after another refresh, want 1: %q", len(got), got)
	}

	for _, v := range rs.Violations() {
		t.Errorf("responder: %s", v)
	}
	cycles, _, _ := refreshCounts(t, filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log"))
	var availability, mailTips int
	var tipsForJeff int
	var firstTips []string
	for _, r := range rs.Requests() {
		switch r.Operation {
		case "GetUserAvailability":
			availability++
		case "GetMailTips":
			if mailTips++; mailTips == 1 {
				firstTips = r.Recipients
			} else if slices.Contains(r.Recipients, "jprice@exampledomain.com") {
				tipsForJeff++
			}
		}
	}
	// Asked for first from the watch until the answer that fired it; by
	// name (Dan Park first) before and after.
	mu.Lock()
	fired := false
	watchedRefreshes := 0
	for i, a := range asked {
		watched := a.at.After(watchedAt) && !fired
		fired = fired || (watched && a.over)
		jeffFirst := slices.Index(a.mailboxes, "jprice@exampledomain.com") < slices.Index(a.mailboxes, "dpark@exampledomain.com")
		if jeffFirst != watched {
			t.Errorf("GetUserAvailability %d (watched: %v) asked for %v", i+1, watched, a.mailboxes)
		}
		if watched {
			watchedRefreshes++
		}
	}
	mu.Unlock()
	if cycles < 3 || availability != cycles || mailTips > cycles || len(firstTips) != 3 || tipsForJeff < watchedRefreshes {
		t.Errorf("%d refreshes, %d GetUserAvailability, %d GetMailTips (the first for %v, %d more for Jeff Price in %d refreshes while watched); "+
			"want one GetUserAvailability a refresh, at most one GetMailTips, the first for all three, then Jeff's while watched",
			cycles, availability, mailTips, firstTips, tipsForJeff, watchedRefreshes)
	}
	t.Logf("Jeff Price: one notification; %d refreshes, %d GetUserAvailability, %d GetMailTips (%d for Jeff in %d refreshes while watched)",
		cycles, availability, mailTips, tipsForJeff, watchedRefreshes)
}

// availabilityAsked is one GetUserAvailability as the responder saw it.
type availabilityAsked struct {
	at        time.Time
	mailboxes []string
	over      bool // answered with the meeting over
}

// freeBusyNow is one mailbox's FreeBusyResponse: a meeting from an hour
// before now to an hour after when busy, else the same hours marked Free
// (an answer with no item and no merged view reads "no data"); no working
// hours, so none end the free time.
func freeBusyNow(now time.Time, busy bool) string {
	start := now.Add(-time.Hour).Truncate(time.Minute).Format(time.RFC3339)
	end := now.Add(time.Hour).Truncate(time.Minute).Format(time.RFC3339)
	busyType := "Free"
	if busy {
		busyType = "Busy"
	}
	events := `<CalendarEvent><StartTime>` + start + `</StartTime><EndTime>` + end + `</EndTime><BusyType>` + busyType + `</BusyType>` +
		`<CalendarEventDetails><ID>E2E1</ID><Subject>Board meeting</Subject><Location /><IsMeeting>true</IsMeeting><IsRecurring>false</IsRecurring>` +
		`<IsException>false</IsException><IsReminderSet>false</IsReminderSet><IsPrivate>false</IsPrivate></CalendarEventDetails></CalendarEvent>`
	return `<FreeBusyResponse><ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>` +
		`<FreeBusyView><FreeBusyViewType xmlns="http://schemas.microsoft.com/exchange/services/2006/types">Detailed</FreeBusyViewType>` +
		`<CalendarEventArray xmlns="http://schemas.microsoft.com/exchange/services/2006/types">` + events + `</CalendarEventArray>` +
		`</FreeBusyView></FreeBusyResponse>` + "\n"
}
