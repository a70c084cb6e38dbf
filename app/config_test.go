package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testPaths(t *testing.T) Paths {
	t.Helper()
	dir := t.TempDir()
	return Paths{
		ConfigFile: filepath.Join(dir, "config", "config.toml"),
		PolicyFile: filepath.Join(dir, "policy", "policy.toml"),
		LogDir:     filepath.Join(dir, "logs"),
		StateDir:   filepath.Join(dir, "state"),
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

const validM365 = `
provider = "microsoft365"
[microsoft365]
tenant = "contoso.onmicrosoft.com"
client_id = "11111111-2222-3333-4444-555555555555"
`

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name    string
		config  string
		wantKey string // empty: valid
	}{
		{"missing file is defaults except client id", "", "microsoft365.client_id"},
		{"valid microsoft365", validM365, ""},
		{"demo needs nothing", `provider = "demo"`, ""},
		{"unknown provider", `provider = "gmail"`, "provider"},
		{"interval too short", "provider = \"demo\"\nrefresh_interval = \"10s\"", "refresh_interval"},
		{"interval not a duration", "provider = \"demo\"\nrefresh_interval = \"often\"", "refresh_interval"},
		{"interval a day and more", "provider = \"demo\"\nrefresh_interval = \"25h\"", "refresh_interval"},
		{"time zone unknown", "provider = \"demo\"\ntime_zone = \"Europe/Atlantis\"", "time_zone"},
		{"client id not a guid", "provider = \"microsoft365\"\n[microsoft365]\nclient_id = \"frontdesk\"", "microsoft365.client_id"},
		{"cloud unknown", validM365 + "cloud = \"moon\"", "microsoft365.cloud"},
		{"authority over http", validM365 + "authority_url = \"http://login.example.test/x\"", "microsoft365.authority_url"},
		{"graph over http to loopback allowed", validM365 + "graph_url = \"http://127.0.0.1:4010/v1.0\"", ""},
		{"graph over http elsewhere refused", validM365 + "graph_url = \"http://graph.example.test/v1.0\"", "microsoft365.graph_url"},
		{"ews without url", "provider = \"ews\"\n[ews]\nusername = \"op\"", "ews.url"},
		{"ews basic over http refused", "provider = \"ews\"\n[ews]\nurl = \"http://mail.example.test/EWS/Exchange.asmx\"\nusername = \"op\"", "ews.url"},
		{"ews ntlm over http refused", "provider = \"ews\"\n[ews]\nurl = \"http://mail.example.test/EWS/Exchange.asmx\"\nauth = \"ntlm\"\nusername = \"op\"", "ews.url"},
		{"graph over http to all of 127/8 allowed", validM365 + "graph_url = \"http://127.0.0.2:4010/v1.0\"", ""},
		{"ews url with userinfo refused", "provider = \"ews\"\n[ews]\nurl = \"https://op:pw@mail.example.test/EWS/Exchange.asmx\"\nusername = \"op\"", "ews.url"},
		{"graph url with userinfo refused", validM365 + "graph_url = \"https://op:pw@graph.example.test/v1.0\"", "microsoft365.graph_url"},
		{"ews version unknown", "provider = \"ews\"\n[ews]\nurl = \"https://mail.example.test/EWS/Exchange.asmx\"\nusername = \"op\"\nversion = \"Exchange2003\"", "ews.version"},
		{"ews without username", "provider = \"ews\"\n[ews]\nurl = \"https://mail.example.test/EWS/Exchange.asmx\"", "ews.username"},
		{"ews ca file missing", "provider = \"ews\"\n[ews]\nurl = \"https://mail.example.test/EWS/Exchange.asmx\"\nusername = \"op\"\nca_file = \"/nonexistent/ca.pem\"", "ews.ca_file"},
		{"people email invalid", "provider = \"demo\"\n[people]\nemails = [\"ada@example.com\", \"not an address\"]", "people.emails"},
		{"toml syntax error names the key", "provider = \"demo\"\nrefresh_interval = 60s", "refresh_interval"},
		{"call template tel", "provider = \"demo\"\n[actions]\ncall_uri = \"callto:{number}\"\ndial_prefix = \"9\"", ""},
		{"call template teams", "provider = \"demo\"\n[actions]\ncall_uri = \"https://teams.microsoft.com/l/call/0/0?users={email}\"", ""},
		{"call template unknown placeholder", "provider = \"demo\"\n[actions]\ncall_uri = \"tel:{phone}\"", "actions.call_uri"},
		{"call template empty", "provider = \"demo\"\n[actions]\ncall_uri = \"\"", "actions.call_uri"},
		{"call template without scheme", "provider = \"demo\"\n[actions]\ncall_uri = \"{number}\"", "actions.call_uri"},
		{"chat template msteams", "provider = \"demo\"\n[actions]\nchat_uri = \"msteams:/l/chat/0/0?users={email}&message={text}\"", ""},
		{"chat template unknown placeholder", "provider = \"demo\"\n[actions]\nchat_uri = \"https://teams.microsoft.com/l/chat/0/0?users={upn}\"", "actions.chat_uri"},
		{"chat template without the address", "provider = \"demo\"\n[actions]\nchat_uri = \"https://teams.microsoft.com/l/chat/0/0?message={text}\"", "actions.chat_uri"},
		{"chat template empty", "provider = \"demo\"\n[actions]\nchat_uri = \"\"", "actions.chat_uri"},
		{"chat template without scheme", "provider = \"demo\"\n[actions]\nchat_uri = \"{email}\"", "actions.chat_uri"},
		{"message templates", "provider = \"demo\"\n[actions]\nmessage_templates = [\"{name}, {caller} is at reception ({time})\", \"Call {number}\"]", ""},
		{"message template unknown placeholder", "provider = \"demo\"\n[actions]\nmessage_templates = [\"ok\", \"Line {line}\"]", "actions.message_templates"},
		{"message template empty", "provider = \"demo\"\n[actions]\nmessage_templates = [\" \"]", "actions.message_templates"},
		{"dial prefix not digits", "provider = \"demo\"\n[actions]\ndial_prefix = \"9,\"", "actions.dial_prefix"},
		{"message retention in days", "provider = \"demo\"\n[actions]\nmessage_retention = \"7d\"", ""},
		{"message retention in hours", "provider = \"demo\"\n[actions]\nmessage_retention = \"720h\"", ""},
		{"message retention under a day", "provider = \"demo\"\n[actions]\nmessage_retention = \"12h\"", "actions.message_retention"},
		{"message retention zero", "provider = \"demo\"\n[actions]\nmessage_retention = \"0d\"", "actions.message_retention"},
		{"message retention over a year", "provider = \"demo\"\n[actions]\nmessage_retention = \"400d\"", "actions.message_retention"},
		{"message retention negative", "provider = \"demo\"\n[actions]\nmessage_retention = \"-30d\"", "actions.message_retention"},
		{"message retention not a duration", "provider = \"demo\"\n[actions]\nmessage_retention = \"a month\"", "actions.message_retention"},
		{"syntax error inside a table", "provider = \"demo\"\n[ews]\nurl = https://x", "ews.url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			if tt.config != "" {
				write(t, p.ConfigFile, tt.config)
			}
			_, err := LoadConfig(p, nil)
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a ConfigError for %s", err, tt.wantKey)
			}
			if ce.Key != tt.wantKey {
				t.Errorf("error names key %q, want %q (%v)", ce.Key, tt.wantKey, err)
			}
			if !strings.Contains(err.Error(), tt.wantKey) {
				t.Errorf("message %q does not name %q", err, tt.wantKey)
			}
		})
	}
}

func TestPolicyOverridesAndLocks(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, validM365+"\n[people]\nemails = [\"ada@example.com\"]\n")
	write(t, p.PolicyFile, "refresh_interval = \"120s\"\n[microsoft365]\npresence = false\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Config.RefreshInterval.Duration != 120*time.Second || l.Config.Microsoft365.Presence {
		t.Errorf("policy not applied: %+v", l.Config)
	}
	if !l.IsLocked("refresh_interval") || !l.IsLocked("microsoft365.presence") || l.IsLocked("people.emails") {
		t.Errorf("locked keys = %v", l.Locked)
	}
	if l.User.RefreshInterval.Duration != 60*time.Second {
		t.Errorf("the user's own value must stay as written: %v", l.User.RefreshInterval)
	}
	if l.Config.Microsoft365.ClientID == "" || len(l.Config.People.Emails) != 1 {
		t.Errorf("keys the policy does not set must keep the user's values: %+v", l.Config)
	}
}

// Only an admin can allow polling faster than 30 s; a user writing the switch
// into their own file gets nothing.
func TestFastRefreshOnlyByPolicy(t *testing.T) {
	fast := "provider = \"demo\"\nrefresh_interval = \"10s\"\n[policy]\nallow_fast_refresh = true\n"
	p := testPaths(t)
	write(t, p.ConfigFile, fast)
	if _, err := LoadConfig(p, nil); err == nil {
		t.Fatal("a user file allowed fast refresh by itself")
	}
	write(t, p.ConfigFile, "provider = \"demo\"\nrefresh_interval = \"10s\"\n")
	write(t, p.PolicyFile, "[policy]\nallow_fast_refresh = true\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatalf("policy allowed fast refresh, still refused: %v", err)
	}
	if l.Config.RefreshInterval.Duration != 10*time.Second {
		t.Errorf("interval %v", l.Config.RefreshInterval)
	}
}

func TestBrokenPolicyIsReportedAgainstThePolicyFile(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, `provider = "demo"`)
	write(t, p.PolicyFile, "refresh_interval = \"1s\"\n")
	_, err := LoadConfig(p, nil)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.File != p.PolicyFile || ce.Key != "refresh_interval" {
		t.Fatalf("got %v", err)
	}
}

// A broken edit never loses the last good configuration.
func TestLastGoodConfigSurvivesABrokenEdit(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, "provider = \"demo\"\nrefresh_interval = \"90s\"\n")
	if _, err := LoadConfigKeepingLastGood(p, nil); err != nil {
		t.Fatal(err)
	}
	write(t, p.ConfigFile, "provider = \"demo\"\nrefresh_interval = \"90s\n") // unterminated string
	l, err := LoadConfigKeepingLastGood(p, nil)
	if err == nil {
		t.Fatal("broken file loaded without error")
	}
	if l == nil || l.Config.RefreshInterval.Duration != 90*time.Second {
		t.Fatalf("last good config lost: %+v", l)
	}
	data, _ := os.ReadFile(p.ConfigFile)
	if !strings.Contains(string(data), "90s\n") {
		t.Error("the broken file itself must be left for the admin to fix, not overwritten")
	}
}

func TestSaveUserConfigIsAtomicAndRoundTrips(t *testing.T) {
	p := testPaths(t)
	c := DefaultConfig()
	c.Provider = ProviderDemo
	c.RefreshInterval = Duration{2 * time.Minute}
	c.People.Favourites = []string{"ada@example.com"}
	if err := SaveUserConfig(p.ConfigFile, c); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p.ConfigFile))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	info, _ := os.Stat(p.ConfigFile)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v, want 0600", info.Mode().Perm())
	}
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Config.RefreshInterval.Duration != 2*time.Minute || l.Config.People.Favourites[0] != "ada@example.com" {
		t.Errorf("round trip lost values: %+v", l.Config)
	}
}

func TestDefaultPaths(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": "/state", "FRONTDESK_CONFIG": "/etc/x.toml"}
	p := DefaultPaths(func(k string) string { return env[k] })
	if p.LogDir != "/state/frontdesk" || p.ConfigFile != "/etc/x.toml" || p.PolicyFile != "/etc/frontdesk/policy.toml" {
		t.Errorf("paths = %+v", p)
	}
}

// A URL with user:password@ is refused, and the refusal quotes it without the
// password: on stderr, in the log, and in the console's notice.
func TestConfigErrorsNeverEchoAPassword(t *testing.T) {
	const password = "Hunter2-canary-in-url"
	tests := map[string]string{
		"ews url with userinfo":        "provider = \"ews\"\n[ews]\nurl = \"https://frontdesk:" + password + "@mail.example.test/EWS/Exchange.asmx\"\nusername = \"op\"",
		"ews url over http":            "provider = \"ews\"\n[ews]\nurl = \"http://frontdesk:" + password + "@mail.example.test/EWS\"\nauth = \"ntlm\"\nusername = \"op\"",
		"ews url that does not parse":  "provider = \"ews\"\n[ews]\nurl = \"https://frontdesk:" + password + "@mail.example.test:port/EWS\"\nusername = \"op\"",
		"graph url with userinfo":      validM365 + "graph_url = \"http://frontdesk:" + password + "@graph.example.test/v1.0\"",
		"authority url with userinfo":  validM365 + "authority_url = \"https://frontdesk:" + password + "@login.example.test/x\"",
		"password in a broken line":    "provider = \"ews\"\n[ews]\nurl = https://frontdesk:" + password + "@mail.example.test/EWS",
		"password where an email goes": "provider = \"demo\"\n[people]\nemails = [\"https://x:" + password + "@y\"]",
	}
	for name, config := range tests {
		t.Run(name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, config)
			_, err := LoadConfig(p, nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), password) || strings.Contains(OperatorMessage(err), password) {
				t.Errorf("the error quotes the password: %v", err)
			}
			if !strings.Contains(err.Error(), "[REDACTED]") && !strings.Contains(err.Error(), "line ") {
				t.Errorf("the error does not say what it hid: %v", err)
			}
			// Only the secret is hidden: the scrubber must not eat the words
			// that say what to do (it once turned "password: remove it"
			// into "password: [REDACTED] it").
			if n := strings.Count(err.Error(), "[REDACTED]"); n > 1 {
				t.Errorf("%d redactions for one planted password, the instruction is garbled: %v", n, err)
			}
			if scrubbed := scrubText(err.Error()); scrubbed != err.Error() {
				t.Errorf("the log would garble the sentence:\n got %s\nwant %s", scrubbed, err)
			}
		})
	}
}

func TestPolicyFixesTheCallTemplate(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, "provider = \"demo\"\n[actions]\ncall_uri = \"callto:{number}\"\n")
	write(t, p.PolicyFile, "[actions]\ncall_uri = \"sip:{email}\"\ndial_prefix = \"0\"\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Config.Actions.CallURI != "sip:{email}" || l.Config.Actions.DialPrefix != "0" {
		t.Errorf("policy not applied: %+v", l.Config.Actions)
	}
	if !l.IsLocked("actions.call_uri") || !l.IsLocked("actions.dial_prefix") {
		t.Errorf("locked keys = %v", l.Locked)
	}
	if l.User.Actions.CallURI != "callto:{number}" {
		t.Errorf("the user's own value must stay as written: %q", l.User.Actions.CallURI)
	}
}

func TestMessageRetention(t *testing.T) {
	for _, tc := range []struct {
		name, config, policy string
		want                 time.Duration
		locked               bool
	}{
		{"default", "provider = \"demo\"\n", "", 30 * 24 * time.Hour, false},
		{"the operator's", "provider = \"demo\"\n[actions]\nmessage_retention = \"7d\"\n", "", 7 * 24 * time.Hour, false},
		{"the policy's wins and locks", "provider = \"demo\"\n[actions]\nmessage_retention = \"90d\"\n", "[actions]\nmessage_retention = \"14d\"\n", 14 * 24 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, tc.config)
			if tc.policy != "" {
				write(t, p.PolicyFile, tc.policy)
			}
			l, err := LoadConfig(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Config.Actions.MessageRetention.Duration; got != tc.want {
				t.Errorf("retention %v, want %v", got, tc.want)
			}
			if l.IsLocked("actions.message_retention") != tc.locked {
				t.Errorf("locked = %v, want %v", !tc.locked, tc.locked)
			}
		})
	}
	if err := validatePolicy("[actions]\nmessage_retention = \"2h\"\n"); err == nil || !strings.Contains(err.Error(), "actions.message_retention") {
		t.Errorf("write-policy must refuse a retention under a day naming the key: %v", err)
	}
}

func TestPolicyWithAnUnknownCallPlaceholderIsRefused(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, "provider = \"demo\"\n")
	write(t, p.PolicyFile, "[actions]\ncall_uri = \"tel:{mobile}\"\n")
	_, err := LoadConfig(p, nil)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Key != "actions.call_uri" || !strings.Contains(err.Error(), "{mobile}") {
		t.Errorf("got %v, want actions.call_uri naming {mobile}", err)
	}
	if err := validatePolicy("[actions]\ncall_uri = \"tel:{mobile}\"\n"); err == nil {
		t.Error("write-policy must refuse the same template")
	}
}

func TestPolicyReplacesTheMessageTemplates(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, "provider = \"demo\"\n[actions]\nmessage_templates = [\"mine\"]\n")
	write(t, p.PolicyFile, "[actions]\nchat_uri = \"msteams:/l/chat/0/0?users={email}&message={text}\"\nmessage_templates = [\"Your visitor {caller} is here\", \"Call {number}\"]\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Config.Actions.MessageTemplates; len(got) != 2 || got[0] != "Your visitor {caller} is here" {
		t.Errorf("policy templates not applied: %q", got)
	}
	if l.Config.Actions.ChatURI != "msteams:/l/chat/0/0?users={email}&message={text}" {
		t.Errorf("policy chat template not applied: %q", l.Config.Actions.ChatURI)
	}
	if !l.IsLocked("actions.message_templates") || !l.IsLocked("actions.chat_uri") {
		t.Errorf("locked keys = %v", l.Locked)
	}
	if got := l.User.Actions.MessageTemplates; len(got) != 1 || got[0] != "mine" {
		t.Errorf("the user's own list must stay as written: %q", got)
	}
}

func TestMessageTemplateWithAnUnknownPlaceholderIsRefusedNamingTheKey(t *testing.T) {
	policy := "[actions]\nmessage_templates = [\"A caller waits on line {line}\"]\n"
	p := testPaths(t)
	write(t, p.ConfigFile, "provider = \"demo\"\n")
	write(t, p.PolicyFile, policy)
	_, err := LoadConfig(p, nil)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Key != "actions.message_templates" || !strings.Contains(err.Error(), "{line}") || ce.File != p.PolicyFile {
		t.Errorf("got %v, want the policy's actions.message_templates naming {line}", err)
	}
	if err := validatePolicy(policy); err == nil {
		t.Error("write-policy must refuse the same template")
	}
	if err := validatePolicy("[actions]\nchat_uri = \"https://teams.microsoft.com/l/chat/0/0?users={upn}\"\n"); err == nil {
		t.Error("write-policy must refuse an unknown chat placeholder")
	}
}
