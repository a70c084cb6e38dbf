package app

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// Planted values: each case below hides one of them somewhere a careless
// logger would print it. The test reads the real log file back.
const (
	plantedPassword = "Winter2026!canary-pw-7f3a"
	plantedToken    = "eyJ0eXAiOiJKV1QifQ.Y2FuYXJ5LXRva2Vu.c2ln"
	plantedRefresh  = "0.AAAA-canary-refresh-51c2"
	plantedOpaque   = "opaque-canary-token-9d41" // a token with no recognisable shape
)

func TestLogNeverContainsPlantedSecrets(t *testing.T) {
	dir := t.TempDir()
	lg, err := OpenLog(dir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	log := lg.Logger
	type creds struct {
		User        string
		Password    string
		AccessToken string `json:"access_token"`
		Nested      map[string]any
	}
	headers := http.Header{}
	headers.Set("Authorization", "Bearer "+plantedToken)
	headers.Set("Proxy-Authorization", "Basic "+plantedPassword)
	headers.Set("X-Ms-Token", plantedOpaque)
	headers.Set("Accept", "text/xml")
	cases := []struct {
		name string
		log  func(l *slog.Logger)
		// kept is an ordinary value of the same line that must survive, so a
		// handler that drops everything cannot pass.
		kept string
	}{
		{"secret type", func(l *slog.Logger) { l.Info("x", "credential", calendar.Secret(plantedPassword), "user", "alice") }, "alice"},
		{"password key", func(l *slog.Logger) { l.Warn("x", "password", plantedPassword, "host", "mail.contoso.com") }, "mail.contoso.com"},
		{"authorization header key", func(l *slog.Logger) { l.Debug("x", "Authorization", "Bearer "+plantedToken, "op", "getSchedule") }, "getSchedule"},
		{"Proxy-Authorization", func(l *slog.Logger) { l.Info("x", "Proxy-Authorization", plantedPassword, "op", "proxy") }, "proxy"},
		{"accessToken camelCase", func(l *slog.Logger) { l.Info("x", "accessToken", plantedOpaque, "op", "camel") }, "camel"},
		{"x-ms-token", func(l *slog.Logger) { l.Info("x", "x-ms-token", plantedOpaque, "op", "xms") }, "xms"},
		{"refresh_token and client_secret", func(l *slog.Logger) {
			l.Info("x", "refresh_token", plantedRefresh, "client_secret", plantedPassword, "tokens_left", 42)
		}, `"tokens_left":42`},
		{"EWSPassword run together", func(l *slog.Logger) { l.Info("x", "ewspassword", plantedPassword, "op", "run") }, "run"},
		{"nested groups", func(l *slog.Logger) {
			l.Info("x", slog.Group("req", slog.String("method", "POST"),
				slog.Group("headers", slog.String("Authorization", "Basic "+plantedPassword))))
		}, "POST"},
		{"group named credentials", func(l *slog.Logger) {
			l.Info("x", slog.Group("credentials", slog.String("value", plantedPassword)), "op", "grouped")
		}, "grouped"},
		{"http.Header value", func(l *slog.Logger) { l.Debug("x", "headers", headers) }, "text/xml"},
		{"struct value", func(l *slog.Logger) {
			l.Info("x", "config", creds{User: "bob", Password: plantedPassword, AccessToken: plantedToken,
				Nested: map[string]any{"inner": map[string]any{"refreshToken": plantedRefresh}}})
		}, "bob"},
		{"pointer to struct in a slice", func(l *slog.Logger) {
			l.Info("x", "items", []any{&creds{User: "carol", Password: plantedPassword}, calendar.Secret(plantedOpaque)})
		}, "carol"},
		{"map of secrets in With", func(l *slog.Logger) {
			l.With("session", map[string]string{"id_token": plantedToken, "tenant": "contoso"}).Info("x")
		}, "contoso"},
		{"error quoting a URL with userinfo", func(l *slog.Logger) {
			l.Error("x", "err", fmt.Errorf("GET https://frontdesk:%s@mail.contoso.com/EWS failed: %w", plantedPassword, errors.New("refused")))
		}, "mail.contoso.com"},
		{"message quoting a URL with userinfo", func(l *slog.Logger) {
			l.Info("login to https://frontdesk:" + plantedPassword + "@mail.contoso.com/EWS")
		}, "mail.contoso.com/EWS"},
		{"secret query parameter", func(l *slog.Logger) {
			l.Info("x", "url", "https://graph.example/v1.0/me?access_token="+plantedOpaque+"&top=5")
		}, "top=5"},
		{"bearer and JWT in free text", func(l *slog.Logger) {
			l.Info("x", "detail", "sent Bearer "+plantedOpaque+" then "+plantedToken)
		}, "sent Bearer"},
		{"url.URL value", func(l *slog.Logger) {
			u, _ := url.Parse("https://frontdesk:" + plantedPassword + "@mail.contoso.com/EWS?token=" + plantedOpaque)
			l.Info("x", "endpoint", u)
		}, "mail.contoso.com"},
		{"Secret formatted with fmt", func(l *slog.Logger) {
			l.Info(fmt.Sprintf("formatted %v %q %x %#v", calendar.Secret(plantedPassword),
				calendar.Secret(plantedPassword), calendar.Secret(plantedPassword), calendar.Secret(plantedPassword)))
		}, "formatted"},
	}
	for _, c := range cases {
		c.log(log.With("case", c.name))
	}
	if err := lg.Close(); err != nil {
		t.Fatal(err)
	}
	lines := readLogLines(t, filepath.Join(dir, LogFileName))
	planted := []string{plantedPassword, plantedToken, plantedRefresh, plantedOpaque,
		"canary-pw", "Y2FuYXJ5LXRva2Vu", "canary-refresh", "canary-token"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			line, ok := lines[c.name]
			if !ok {
				t.Fatalf("no log line for this case; the log holds:\n%v", lines)
			}
			for _, p := range planted {
				if strings.Contains(line, p) {
					t.Errorf("the log line carries the planted %q:\n%s", p, line)
				}
			}
			if !strings.Contains(line, c.kept) {
				t.Errorf("the ordinary value %q was lost:\n%s", c.kept, line)
			}
			if !strings.Contains(line, calendar.Redacted) {
				t.Errorf("no %s marker where the secret was:\n%s", calendar.Redacted, line)
			}
		})
	}
}

// readLogLines maps each JSON line's "case" attribute to the line.
func readLogLines(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var rec struct {
			Case string `json:"case"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not a JSON line: %v\n%s", err, sc.Text())
		}
		lines[rec.Case] = sc.Text()
	}
	return lines
}

func TestScrubText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:pa55@mail.contoso.com/EWS", "https://[REDACTED]@mail.contoso.com/EWS"},
		{`"http://u:p@127.0.0.1:8080/x" is not allowed`, `"http://[REDACTED]@127.0.0.1:8080/x" is not allowed`},
		{"https://mail.contoso.com/EWS/Exchange.asmx", "https://mail.contoso.com/EWS/Exchange.asmx"},
		{"operator@example.com is busy", "operator@example.com is busy"},
		{"Authorization: Bearer abc.def-ghi.jkl-mno", "Authorization: [REDACTED] [REDACTED]"},
		{"sent Bearer abc.def-ghi.jkl-mno", "sent Bearer [REDACTED]"},
		{"the bearer of bad news", "the bearer of bad news"},
		{"/me?access_token=xyz&top=5", "/me?access_token=[REDACTED]&top=5"},
		{"password=hunter2 user=alice", "password=[REDACTED] user=alice"},
		{"token eyJhbGciOi.eyJzdWIi.sig here", "token [REDACTED] here"},
		{"Basic authentication over plain http", "Basic authentication over plain http"},
		{"Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: [REDACTED] [REDACTED]"},
		{"Proxy-Authorization: NTLM TlRMTVNTUAABAAAA", "Proxy-Authorization: [REDACTED] [REDACTED]"},
		{`[ews]` + "\n" + `password = "hunter2 with spaces"`, `[ews]` + "\n" + `password = "[REDACTED]"`},
		{`{"user":"alice","refresh_token":"0.AAA-xyz"}`, `{"user":"alice","refresh_token":"[REDACTED]"}`},
		{"Settings problem: ews.url: is empty", "Settings problem: ews.url: is empty"},
		{"busy until 14:30, token_count=3", "busy until 14:30, token_count=[REDACTED]"},
		// A pair right after another pair's separator is still a pair.
		{`server said: password="hunter2" rejected`, `server said: password="[REDACTED]" rejected`},
		{"error: token=abc123; retry", "error: token=[REDACTED]; retry"},
		{"reason: access_token: 'xyz'", "reason: access_token: '[REDACTED]'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := scrubText(tt.in); got != tt.want {
				t.Errorf("scrubText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Durations are written as the config file writes them ("1m0s", not
// 60000000000 nanoseconds) and a time never set is left out, not written as
// 0001-01-01T00:00:00Z: at the top of a line and inside a logged value.
func TestLogWritesDurationsAsWordsAndLeavesOutZeroTimes(t *testing.T) {
	dir := t.TempDir()
	lg, err := OpenLog(dir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		Wait  time.Duration
		Until time.Time
		Since time.Time
	}
	since := time.Date(2026, 12, 3, 10, 20, 0, 0, time.UTC)
	lg.Logger.Info("refresh engine (re)built", "interval", time.Minute, "first_cycle", time.Time{}, "state", state{Wait: 90 * time.Second, Since: since})
	if err := lg.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, LogFileName))
	if err != nil {
		t.Fatal(err)
	}
	line := string(raw)
	for _, want := range []string{`"interval":"1m0s"`, `"Wait":"1m30s"`, `"Since":"2026-12-03T10:20:00Z"`} {
		if !strings.Contains(line, want) {
			t.Errorf("the log line lacks %s: %s", want, line)
		}
	}
	for _, unwanted := range []string{"60000000000", "0001-01-01", "first_cycle", "Until"} {
		if strings.Contains(line, unwanted) {
			t.Errorf("the log line holds %s: %s", unwanted, line)
		}
	}
}
