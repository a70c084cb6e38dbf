package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// recordingOpen puts a recording xdg-open first on PATH, as Fyne's OpenURL
// runs it on Linux; the file it returns gets one line per link opened.
func recordingOpen(t *testing.T, env []string) ([]string, string) {
	t.Helper()
	bin := t.TempDir()
	record := filepath.Join(bin, "opened")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + record + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), record
}

// waitOpened is the one link the console handed to xdg-open.
func waitOpened(t *testing.T, record string) *url.URL {
	t.Helper()
	var opened string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(record); err == nil && strings.HasSuffix(string(b), "\n") {
			opened = string(b)
			break
		}
	}
	if strings.Count(opened, "\n") != 1 {
		t.Fatalf("xdg-open got %q, want exactly one link", opened)
	}
	u, err := url.Parse(strings.TrimSuffix(opened, "\n"))
	if err != nil {
		t.Fatalf("xdg-open got %q: %v", opened, err)
	}
	return u
}

// messageConsole is the console on the demo company with the first demo
// colleague shown and links recorded.
func messageConsole(t *testing.T) (c *keyConsole, record, name, email string) {
	t.Helper()
	frontdeskBin(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	env, config := keyboardEnv(t)
	env, record = recordingOpen(t, env)
	status := demoStatus(t, env)
	if len(status.People) == 0 || status.People[0].Email == "" {
		t.Fatal("the demo has nobody with an address")
	}
	name, email = status.People[0].Name, status.People[0].Email
	c = startKeyConsole(t, env, config)
	c.typeText(name)
	c.key("Return")
	time.Sleep(time.Second)
	return c, record, name, email
}

// Ctrl+T on a demo colleague, Down Down (the visitor), Enter, the visitor's
// name, Enter: Teams opens a chat with the colleague, the chosen message
// typed in.
func TestCtrlTOpensATeamsChatUnderXvfb(t *testing.T) {
	c, record, name, email := messageConsole(t)
	c.shot("console-actions.png")
	c.key("ctrl+t")
	time.Sleep(time.Second)
	c.key("Down", "Down", "Return")
	c.typeText("Mario Rossi")
	time.Sleep(500 * time.Millisecond)
	c.shot("message-picker.png")
	c.key("Return")

	u := waitOpened(t, record)
	if u.Scheme != "https" || u.Host != "teams.microsoft.com" || u.Path != "/l/chat/0/0" {
		t.Errorf("opened %s, want a Teams chat link", u)
	}
	q := u.Query()
	if q.Get("users") != email {
		t.Errorf("chat with %q, want %q", q.Get("users"), email)
	}
	first := strings.Fields(name)[0]
	if want := first + ", your visitor Mario Rossi has arrived at reception."; q.Get("message") != want {
		t.Errorf("message %q, want %q", q.Get("message"), want)
	}
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("a space went as +: %s", u.RawQuery)
	}
}

// Ctrl+M, the form filled from the keyboard, Tab to "Send by email", Enter:
// a mailto: whose subject and body carry the caller and the message.
func TestTakeAMessageSendsAnEmailUnderXvfb(t *testing.T) {
	c, record, _, email := messageConsole(t)
	c.key("ctrl+m")
	time.Sleep(time.Second)
	for _, field := range []string{"Mario Rossi", "Acme & Co", "+39 02 1234"} {
		c.typeText(field)
		c.key("Return")
	}
	c.typeText("About order #42, before Friday")
	c.key("Tab", "space", "Tab", "space") // please call back, urgent
	time.Sleep(500 * time.Millisecond)
	c.shot("message-form.png")
	c.key("Tab", "Tab", "Return") // past "Send by Teams chat" to "Send by email"

	u := waitOpened(t, record)
	if u.Scheme != "mailto" || u.Opaque != email {
		t.Fatalf("opened %s, want mailto:%s", u, email)
	}
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("a space or plus went unescaped: %s", u.RawQuery)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Message from Mario Rossi (Acme & Co) (urgent)"; q.Get("subject") != want {
		t.Errorf("subject %q, want %q", q.Get("subject"), want)
	}
	body := q.Get("body")
	for _, want := range []string{"Caller: Mario Rossi", "Company: Acme & Co", "Number: +39 02 1234", "Please call back.",
		"About order #42, before Friday", "Taken at 11:"} {
		if !strings.Contains(body, want) {
			t.Errorf("body %q lacks %q", body, want)
		}
	}
}

// A message template or chat template with a placeholder Frontdesk does not
// know is refused at start, the key named.
func TestABadMessageTemplateIsRefusedNamingTheKey(t *testing.T) {
	tests := []struct {
		name, config, key, placeholder string
	}{
		{"message template", "provider = \"demo\"\n[actions]\nmessage_templates = [\"A caller is waiting on line {line}\"]\n", "actions.message_templates", "{line}"},
		{"chat template", "provider = \"demo\"\n[actions]\nchat_uri = \"https://teams.microsoft.com/l/chat/0/0?users={upn}\"\n", "actions.chat_uri", "{upn}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, home := isolatedEnv(t)
			cfg := filepath.Join(home, "config.toml")
			if err := os.WriteFile(cfg, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runFrontdesk(t, append(env, "FRONTDESK_CONFIG="+cfg), "status", "--json")
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr)
			}
			if !strings.Contains(stderr, tt.key) || !strings.Contains(stderr, tt.placeholder) {
				t.Errorf("the refusal does not name %s and %s: %s", tt.key, tt.placeholder, stderr)
			}
		})
	}
}
