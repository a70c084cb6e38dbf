package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// isolatedEnv gives a frontdesk subprocess its own home, config and state
// folders, so tests never read or write the developer's real ones.
func isolatedEnv(t *testing.T, extra ...string) (env []string, home string) {
	t.Helper()
	home = t.TempDir()
	env = append(os.Environ(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"TZ=Europe/Paris",
	)
	return append(env, extra...), home
}

func runFrontdesk(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(frontdeskBin(t), args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run frontdesk %v: %v", args, err)
	}
	recordAnswer(t, args, out.String(), code)
	return out.String(), errb.String(), code
}

type statusJSON struct {
	Source      string `json:"source"`
	At          string `json:"at"`
	GeneratedAt string `json:"generated_at"`
	State       string `json:"state"`
	People      []struct {
		Name        string  `json:"name"`
		Email       string  `json:"email"`
		Status      string  `json:"status"`
		Until       *string `json:"until"`
		NextFree    *string `json:"next_free"`
		Subject     string  `json:"subject"`
		Private     bool    `json:"private"`
		OutOfOffice struct {
			Active  bool   `json:"active"`
			Message string `json:"message"`
		} `json:"out_of_office"`
		StatusMessage *struct {
			Text    string  `json:"text"`
			Expires *string `json:"expires"`
		} `json:"status_message"`
		WorkLocation *string `json:"work_location"`
		Error        string  `json:"error"`
		Slots        []struct {
			Start  time.Time `json:"start"`
			End    time.Time `json:"end"`
			Status string    `json:"status"`
		} `json:"slots"`
	} `json:"people"`
}

// The contract scripts rely on: the demo at a fixed instant, as JSON.
func TestStatusDemoJSON(t *testing.T) {
	env, home := isolatedEnv(t)
	out, stderr, code := runFrontdesk(t, env, "status", "--demo", "--json", "--at", "2026-11-23T10:00:00+01:00")
	if code != 1 { // the demo has one colleague whose calendar is not shared: "some people unknown"
		t.Fatalf("exit %d, want 1 (partial); stderr: %s", code, stderr)
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if s.Source != "demo" || s.State != "partial" {
		t.Errorf("source %q state %q", s.Source, s.State)
	}
	at, err := time.Parse(time.RFC3339, s.At)
	if err != nil || !at.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("at = %q (%v)", s.At, err)
	}
	if len(s.People) < 50 {
		t.Fatalf("%d people, want at least 50", len(s.People))
	}
	statuses := map[string]int{}
	for _, p := range s.People {
		statuses[p.Status]++
		statusAt := func(x time.Time) string {
			st := "free"
			rank := map[string]int{"free": 0, "elsewhere": 1, "tentative": 2, "busy": 3, "oof": 4}
			for _, sl := range p.Slots {
				if !x.Before(sl.Start) && x.Before(sl.End) && rank[sl.Status] > rank[st] {
					st = sl.Status
				}
			}
			return st
		}
		if p.Status == "unknown" {
			if p.Error == "" {
				t.Errorf("%s unknown without a reason", p.Name)
			}
			continue
		}
		if p.Until != nil {
			u, _ := time.Parse(time.RFC3339, *p.Until)
			if u.Before(at) || u.Sub(at) < 24*time.Hour && statusAt(u.Add(-time.Second)) != statusAt(at) {
				t.Errorf("%s: until %s does not end the status seen at %s", p.Name, *p.Until, s.At)
			}
		}
		if p.NextFree != nil {
			nf, _ := time.Parse(time.RFC3339, *p.NextFree)
			if !nf.After(at) && p.Status != "free" {
				t.Errorf("%s: next free %s is not after now", p.Name, *p.NextFree)
			}
			if got := statusAt(nf); got != "free" && p.Status != "free" {
				t.Errorf("%s: next free %s is %s in the slots", p.Name, *p.NextFree, got)
			}
		}
		if p.Status == "free" && p.NextFree != nil {
			t.Errorf("%s is free now but has next_free", p.Name)
		}
	}
	if len(statuses) < 4 {
		t.Errorf("statuses %v: want at least 4 distinct", statuses)
	}
	// The demo's Teams notes: one about to expire, none expired, and work
	// locations.
	notes, locations := map[string]string{}, map[string]int{}
	for _, p := range s.People {
		if p.StatusMessage != nil {
			expires := ""
			if p.StatusMessage.Expires != nil {
				expires = *p.StatusMessage.Expires
			}
			notes[p.StatusMessage.Text] = expires
		}
		if p.WorkLocation != nil {
			locations[*p.WorkLocation]++
		}
	}
	soon := 0
	for note, expires := range notes {
		if strings.HasPrefix(note, "Running late") {
			t.Errorf("an expired note is shown: %q", note)
		}
		// Its time is said in the operator's zone, the one expires is written in.
		if e, err := time.Parse(time.RFC3339, expires); err == nil && e.After(at) && e.Sub(at) <= 90*time.Minute && strings.Contains(note, e.Format("15:04")) {
			soon++
		}
	}
	if soon != 1 || len(notes) < 3 {
		t.Errorf("the demo's notes at 10:00: %v; want 3 and one about to expire", notes)
	}
	if locations["office"] == 0 || locations["remote"] == 0 || locations["timeOff"] == 0 {
		t.Errorf("the demo's work locations: %v", locations)
	}
	logFile := filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log")
	if _, err := os.Stat(logFile); err != nil {
		t.Errorf("no log file after a run: %v", err)
	}
}

func TestStatusBrokenConfigExits2NamingTheKey(t *testing.T) {
	tests := []struct {
		name, config, key string
	}{
		{"not a duration", "provider = \"demo\"\nrefresh_interval = \"soon\"\n", "refresh_interval"},
		{"toml syntax", "provider = \"demo\"\nrefresh_interval = 60s\n", "refresh_interval"},
		{"too fast", "provider = \"demo\"\nrefresh_interval = \"5s\"\n", "refresh_interval"},
		{"basic over http", "provider = \"ews\"\n[ews]\nurl = \"http://mail.example.test/EWS/Exchange.asmx\"\nusername = \"op\"\n", "ews.url"},
		{"bad zone", "provider = \"demo\"\ntime_zone = \"Mars/Olympus\"\n", "time_zone"},
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
			if !strings.Contains(stderr, tt.key) || !strings.Contains(stderr, cfg) {
				t.Errorf("message does not name the file and %q: %s", tt.key, stderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	env, _ := isolatedEnv(t)
	out, _, code := runFrontdesk(t, env, "version")
	if code != 0 || !strings.HasPrefix(out, "frontdesk ") || strings.TrimSpace(out) == "frontdesk" {
		t.Errorf("version printed %q (exit %d)", out, code)
	}
}
