package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seededMessages is the demo desk's message log as the test plants it, by
// day file, around keyboardDay (Monday 23 November, 11:00 in Paris) with a
// retention of 14 days: the cutoff is 9 November, 11:00.
var seededMessages = map[string][]string{
	"2026-11-23.jsonl": {
		`{"at":"2026-11-23T09:12:00+01:00","for":"Ada Lovelace","for_email":"ada.lovelace@demo.example","caller":"Zebulon Quartermaine","company":"Quokka Holdings","number":"+39 06 9876 5432","text":"About invoice 42: she needs the signed copy before Friday.\nHe is in the office until six.","call_back":true,"urgent":true,"sent_via":"teams"}`,
		`{"at":"2026-11-23T10:40:00+01:00","for":"Ben Carter","caller":"Peter Müller","company":"Initech","text":"The parcel is at reception.","sent_via":"email"}`,
	},
	"2026-11-20.jsonl": {
		`{"at":"2026-11-20T16:05:00+01:00","for":"Ada Lovelace","caller":"Sam Lee","company":"Globex","number":"+44 20 7946 0958","text":"Call back about the contract renewal.","call_back":true,"sent_via":"email"}`,
	},
	// The day the retention ends in: the morning goes, the afternoon stays.
	"2026-11-09.jsonl": {
		`{"at":"2026-11-09T08:00:00+01:00","for":"Ben Carter","caller":"Edgar Earlybird","sent_via":"teams"}`,
		`{"at":"2026-11-09T15:00:00+01:00","for":"Ben Carter","caller":"Lucy Latecomer","sent_via":"teams"}`,
	},
	// Wholly past the retention.
	"2026-11-05.jsonl": {
		`{"at":"2026-11-05T10:00:00+01:00","for":"Ada Lovelace","caller":"Ophelia Oldcastle","company":"Ancient Archives","text":"Nobody should see this again.","sent_via":"email"}`,
	},
}

// logConsole is the demo console on keyboardDay, with the means to stop
// it before the test ends (a second start needs the profile lock).
type logConsole struct {
	*keyConsole
	stop func()
}

func startLogConsole(t *testing.T, env []string, config string) *logConsole {
	t.Helper()
	cmd := exec.Command(frontdeskBin(t), "--demo", "--at", keyboardDay)
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			stopGroup(cmd, exited, 5*time.Second)
		}
	}
	t.Cleanup(stop)
	c := &keyConsole{t: t, config: config, cmd: cmd}
	c.win = waitForWindow(t, "Frontdesk (DEMO DATA)", exited, stderr)
	c.x, c.y, c.w, c.h = windowGeometry(t, c.win)
	time.Sleep(2 * time.Second) // the first snapshot arrives and the list renders
	xdo(t, "windowfocus", "--sync", c.win)
	xdo(t, "mousemove", strconv.Itoa(c.x+c.w*3/4), strconv.Itoa(c.y+c.h*3/4), "click", "1")
	return &logConsole{keyConsole: c, stop: stop}
}

// logEntry is one line of the JSON log.
type logEntry struct {
	Msg      string `json:"msg"`
	Found    *int   `json:"found"`
	Words    int    `json:"words"`
	Since    string `json:"since"`
	Messages int    `json:"messages"`
	Files    int    `json:"files"`
	raw      string
}

func (e logEntry) String() string { return e.raw }

// logEntries are the lines of the log with message msg.
func logEntries(t *testing.T, logFile, msg string) []logEntry {
	t.Helper()
	f, err := os.Open(logFile)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []logEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e logEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Msg == msg {
			e.raw = sc.Text()
			out = append(out, e)
		}
	}
	return out
}

// waitSearched waits for the view's search number n (counted in the log,
// from 1) and returns it: the log says how many messages it found, for how
// many words, since when; never what.
func waitSearched(t *testing.T, logFile string, n int) logEntry {
	t.Helper()
	defer func() {
		if t.Failed() {
			screenshot(t, filepath.Join("out", "messages-log-failed.png"))
		}
	}()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if got := logEntries(t, logFile, "message log: searched"); len(got) >= n {
			// The keys typed may still be coming: wait until the count settles.
			time.Sleep(700 * time.Millisecond)
			got = logEntries(t, logFile, "message log: searched")
			return got[len(got)-1]
		}
	}
	t.Fatalf("the view searched the log fewer than %d times", n)
	return logEntry{}
}

func searchCount(t *testing.T, logFile string) int {
	return len(logEntries(t, logFile, "message log: searched"))
}

// openMessages presses Ctrl+L and returns the view's first search. A
// console just started on a loaded machine can miss the very first key
// (no window manager hands it the focus): then the key is pressed again,
// which an open view answers by keeping its search.
func (c *logConsole) openMessages(logFile string) logEntry {
	c.t.Helper()
	n := searchCount(c.t, logFile)
	for try := 1; try <= 3; try++ {
		c.key("ctrl+l")
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if searchCount(c.t, logFile) > n {
				return waitSearched(c.t, logFile, n+1)
			}
		}
		c.t.Logf("Ctrl+L try %d: the view did not search the log", try)
	}
	screenshot(c.t, filepath.Join("out", "messages-log-failed.png"))
	c.t.Fatal("Ctrl+L did not open the messages taken")
	return logEntry{}
}

// The message log on the real binary: a message taken with Ctrl+M and the
// ones seeded in the state folder are listed and found by the view's search
// (Ctrl+L), those past
// message_retention are deleted at start, what is kept survives a restart,
// and neither the log file nor the diagnostics bundle carries a caller's
// name, a number or a text.
func TestMessageLogUnderXvfb(t *testing.T) {
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	env, config := keyboardEnv(t)
	if err := os.WriteFile(config, []byte("provider = \"demo\"\n[actions]\nmessage_retention = \"14d\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "FRONTDESK_LOG_LEVEL=debug")
	env, record := recordingOpen(t, env)
	status := demoStatus(t, env)
	if len(status.People) == 0 {
		t.Fatal("the demo has nobody")
	}
	home := filepath.Dir(config)
	stateDir := filepath.Join(home, ".local", "state", "frontdesk")
	logFile := filepath.Join(stateDir, "frontdesk.log")
	// The demo company's messages are kept apart from the desk's real ones.
	demoLog := filepath.Join(stateDir, "demo-messages")
	if err := os.MkdirAll(demoLog, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, lines := range seededMessages {
		if err := os.WriteFile(filepath.Join(demoLog, name), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	c := startLogConsole(t, env, config)
	for deadline := time.Now().Add(10 * time.Second); len(logEntries(t, logFile, "message log: messages past the retention deleted")) == 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("nothing past the retention was deleted at start")
		}
	}
	if p := logEntries(t, logFile, "message log: messages past the retention deleted")[0]; p.Messages != 2 || p.Files != 1 {
		t.Errorf("at start %d messages and %d files deleted, want 2 (Ophelia's day, Edgar's morning) and 1", p.Messages, p.Files)
	}
	if _, err := os.Stat(filepath.Join(demoLog, "2026-11-05.jsonl")); !os.IsNotExist(err) {
		t.Errorf("the day past the retention is still there: %v", err)
	}
	boundary, _ := os.ReadFile(filepath.Join(demoLog, "2026-11-09.jsonl"))
	if strings.Contains(string(boundary), "Edgar") || !strings.Contains(string(boundary), "Lucy") {
		t.Errorf("the day the retention ends in holds:\n%s", boundary)
	}
	if info, err := os.Stat(filepath.Join(demoLog, "2026-11-09.jsonl")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the rewritten day: %v, %v; want 0600", info.Mode(), err)
	}

	// One message taken here, as the operator does (Ctrl+M, sent by email),
	// beside the two seeded for today.
	c.typeText(status.People[0].Name)
	c.key("Return")
	time.Sleep(time.Second)
	c.key("ctrl+m")
	time.Sleep(time.Second)
	for _, field := range []string{"Wilhelmina Whitfield", "Yarrow Yachts", "+44 1632 960 123"} {
		c.typeText(field)
		c.key("Return")
	}
	c.typeText("About the mooring fees")
	c.key("Tab", "Tab", "Tab", "Tab", "Return") // past both ticks and "Send by Teams chat" to "Send by email"
	if u := waitOpened(t, record); u.Scheme != "mailto" {
		t.Fatalf("the message went out as %s, want mailto:", u)
	}
	for deadline := time.Now().Add(10 * time.Second); len(logEntries(t, logFile, "message log: message kept")) == 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the message taken was not kept")
		}
	}
	today := filepath.Join(demoLog, "2026-11-23.jsonl")
	if info, err := os.Stat(today); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("today's messages: %v, %v; want 0600", info.Mode(), err)
	}
	if _, err := os.Stat(filepath.Join(stateDir, "messages")); !os.IsNotExist(err) {
		t.Errorf("a message taken on the demo reached the real log: %v", err)
	}

	if s := c.openMessages(logFile); s.Found == nil || *s.Found != 3 || s.Words != 0 || !strings.HasPrefix(s.Since, "2026-11-23T00:00:00") {
		t.Errorf("Ctrl+L: %v, want today's 3 messages (2 seeded, 1 taken)", s)
	}
	n := searchCount(t, logFile)
	c.key("Tab", "Tab", "Return") // Last 7 days
	if s := waitSearched(t, logFile, n+1); s.Found == nil || *s.Found != 4 || !strings.HasPrefix(s.Since, "2026-11-17T00:00:00") {
		t.Errorf("last 7 days: %v, want 4 messages", s)
	}
	c.key("Down")
	time.Sleep(700 * time.Millisecond)
	c.shot("messages-log.png")

	n = searchCount(t, logFile)
	c.typeText("zebulon QUARTERMAINE")
	if s := waitSearched(t, logFile, n+1); s.Found == nil || *s.Found != 1 || s.Words != 2 {
		t.Errorf("searching two words of one caller: %v, want 1 message", s)
	}
	n = searchCount(t, logFile)
	c.typeText(" nobody")
	if s := waitSearched(t, logFile, n+1); s.Found == nil || *s.Found != 0 || s.Words != 3 {
		t.Errorf("a word no message holds: %v, want none", s)
	}
	c.key("Escape")
	c.stop()

	// The next start finds what was kept, and only that.
	c = startLogConsole(t, env, config)
	c.openMessages(logFile)
	n = searchCount(t, logFile)
	c.key("Tab", "Tab", "Tab", "Return") // All kept
	if s := waitSearched(t, logFile, n+1); s.Found == nil || *s.Found != 5 || s.Since != "all kept" {
		t.Errorf("all kept after a restart: %v, want 5 (today's 3, Sam's, Lucy's)", s)
		t.Logf("searches: %v", logEntries(t, logFile, "message log: searched"))
	}
	n = searchCount(t, logFile)
	c.typeText("quokka 5432")
	if s := waitSearched(t, logFile, n+1); s.Found == nil || *s.Found != 1 {
		t.Errorf("company and number after a restart: %v, want Zebulon's message", s)
	}
	n = searchCount(t, logFile)
	c.key("ctrl+a")
	c.typeText("WILHELMINA mooring")
	if s := waitSearched(t, logFile, n+1); s.Found == nil || *s.Found != 1 || s.Words != 2 {
		t.Errorf("the message taken before the restart: %v, want it found", s)
	}
	c.stop()

	personal := []string{"Wilhelmina", "Whitfield", "Yarrow", "1632 960", "mooring fees", "Zebulon", "Quartermaine", "Quokka", "9876 5432", "invoice 42", "Ophelia", "Oldcastle", "Lucy Latecomer", "Peter Müller", "contract renewal"}
	logText, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range personal {
		if strings.Contains(string(logText), p) {
			t.Errorf("the log file holds %q", p)
		}
	}
	out, stderr, code := runFrontdesk(t, env, "doctor", "--bundle")
	if code != 0 && code != 1 {
		t.Fatalf("doctor --bundle exit %d: %s", code, stderr)
	}
	assertBundleHasNoSecret(t, out, stateDir, personal, []string{"message log: searched", "message_retention"})
}
