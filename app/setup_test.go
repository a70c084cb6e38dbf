package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

func testWindowSettings(t *testing.T) (*windowSettings, Paths) {
	t.Helper()
	p := testPaths(t)
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: func(string) string { return "" }, Now: time.Now, Paths: p, Logger: discardLogger()}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &windowSettings{env: env, live: newLiveEngine(ctx, env)}, p
}

const validEWS = `
provider = "ews"
refresh_interval = "60s"
[ews]
url = "https://mail.contoso.com/EWS/Exchange.asmx"
username = "reception@contoso.com"
[people]
emails = ["ada@contoso.com"]
`

// The form's inline problems are the config loader's own key and sentence.
func TestSettingsCheckSpeaksLikeTheConfigLoader(t *testing.T) {
	tests := []struct {
		name string
		edit func(*ui.Settings)
		key  string
	}{
		{"interval under the minimum", func(s *ui.Settings) { s.RefreshInterval = "10s" }, "refresh_interval"},
		{"interval not a duration", func(s *ui.Settings) { s.RefreshInterval = "soon" }, "refresh_interval"},
		{"basic over http", func(s *ui.Settings) { s.EWSURL = "http://mail.contoso.com/EWS/Exchange.asmx" }, "ews.url"},
		{"no user", func(s *ui.Settings) { s.EWSUser = "" }, "ews.username"},
		{"bad colleague address", func(s *ui.Settings) { s.Emails = "ada@contoso.com\nnot an address" }, "people.emails"},
		{"bad time zone", func(s *ui.Settings) { s.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"whole directory on Exchange", func(s *ui.Settings) { s.People = ui.PeopleAll }, "people.all"},
		{"fine", func(*ui.Settings) {}, ""},
	}
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ws.Form().Values
			tt.edit(&s)
			got := ws.Check(s)
			if tt.key == "" {
				if got != nil {
					t.Fatalf("valid settings refused: %v", got)
				}
				return
			}
			if got == nil || got.Key != tt.key {
				t.Fatalf("Check = %+v, want a problem with %s", got, tt.key)
			}
			// The same configuration written to the file gives the loader's sentence.
			cfg, _ := applySettings(DefaultConfig(), s, nil)
			if tt.name == "interval not a duration" {
				var d Duration
				want := d.UnmarshalText([]byte("soon")).Error()
				if got.Problem != want {
					t.Errorf("problem %q, want %q", got.Problem, want)
				}
				return
			}
			var ce *ConfigError
			if err := cfg.Validate(); !errors.As(err, &ce) || ce.ProblemText() != got.Problem {
				t.Errorf("problem %q, loader says %v", got.Problem, err)
			}
		})
	}
}

func TestSaveSettingsWritesTheFileAndAppliesLive(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, "provider = \"demo\"\nrefresh_interval = \"60s\"\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.live.Start(l.Config)
	s := ws.Form().Values
	s.RefreshInterval = "2m"
	s.Favourites = "ada@contoso.com"
	if err := ws.Save(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatalf("the saved file does not load: %v", err)
	}
	if saved.Config.RefreshInterval.Duration != 2*time.Minute || strings.Join(saved.Config.People.Favourites, ",") != "ada@contoso.com" {
		t.Errorf("saved %+v", saved.Config)
	}
	running, _ := ws.live.Config()
	if running.RefreshInterval.Duration != 2*time.Minute {
		t.Errorf("the engine runs on %s, want the saved 2m without a restart", running.RefreshInterval.Duration)
	}
	// An invalid form names the field and writes nothing.
	before, _ := os.ReadFile(p.ConfigFile)
	s.RefreshInterval = "1s"
	err = ws.Save(context.Background(), s)
	var fp *ui.FieldProblem
	if !errors.As(err, &fp) || fp.Key != "refresh_interval" {
		t.Fatalf("Save(1s) = %v", err)
	}
	if after, _ := os.ReadFile(p.ConfigFile); string(after) != string(before) {
		t.Error("a refused form changed the file")
	}
}

func TestFirstCycleAfterASettingsChange(t *testing.T) {
	last := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	ews60 := Config{Provider: ProviderEWS, RefreshInterval: Duration{time.Minute}}
	ews120 := Config{Provider: ProviderEWS, RefreshInterval: Duration{2 * time.Minute}}
	demo := Config{Provider: ProviderDemo, RefreshInterval: Duration{time.Minute}}
	tests := []struct {
		name     string
		running  bool
		current  Config
		next     Config
		last     time.Time
		wantAt   time.Time
		wantKeep bool
	}{
		{"longer interval waits from the last cycle", true, ews60, ews120, last, last.Add(2 * time.Minute), true},
		{"shorter interval too", true, ews120, ews60, last, last.Add(time.Minute), true},
		{"provider change starts at once on a fresh list", true, ews60, demo, last, time.Time{}, false},
		{"nothing polled yet", true, ews60, ews120, time.Time{}, time.Time{}, false},
		{"first start", false, Config{}, ews60, time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, keep := firstCycleAfterChange(tt.running, tt.current, tt.next, tt.last)
			if !at.Equal(tt.wantAt) || keep != tt.wantKeep {
				t.Errorf("got %v keep=%v, want %v keep=%v", at, keep, tt.wantAt, tt.wantKeep)
			}
		})
	}
}

func TestRemedyForEachPause(t *testing.T) {
	tests := []struct {
		name     string
		provider string
		err      error
		want     ui.Remedy
	}{
		{"exchange password rejected", ProviderEWS, &calendar.Error{Kind: calendar.KindAuth, Code: "HTTP401"}, ui.RemedyPassword},
		{"exchange password on record as rejected", ProviderEWS, calendar.NewPasswordRejected("ews.GetUserAvailability", &calendar.PasswordRejectedError{At: time.Now(), User: "u"}), ui.RemedyPassword},
		{"keyring locked", ProviderEWS, &calendar.Error{Kind: calendar.KindAuth, Op: "keyring get", Code: "keyring_unavailable"}, ui.RemedyUnlockKeyring},
		{"microsoft sign-in revoked", ProviderM365, &calendar.Error{Kind: calendar.KindAuth, Code: "AADSTS50173"}, ui.RemedySignIn},
		{"nobody signed in yet", ProviderM365, &calendar.Error{Kind: calendar.KindAuth, Code: auth.CodeNotSignedIn, Hint: auth.HintNotSignedIn}, ui.RemedyFirstSignIn},
		{"microsoft consent missing", ProviderM365, &calendar.Error{Kind: calendar.KindPermission, Code: "AADSTS65001"}, ui.RemedySignIn},
		{"exchange permission", ProviderEWS, &calendar.Error{Kind: calendar.KindPermission, Code: "HTTP403"}, ui.RemedyRetry},
		{"settings", ProviderEWS, &ConfigError{Key: "ews.url", Problem: "x"}, ui.RemedySettings},
		{"offline", ProviderEWS, &calendar.Error{Kind: calendar.KindTransient}, ui.RemedyWait},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := remedyFor(tt.provider, tt.err); got != tt.want {
				t.Errorf("remedyFor = %v, want %v", got, tt.want)
			}
		})
	}
}

// The welcome page opens unless the operator has settings or the admin policy
// alone is a working configuration. A policy that sets nothing (the .deb
// ships one, every line commented out) or only part of it (an MSI given
// TENANT alone) used to count as configured: the console then opened on demo
// data under "client_id is empty" instead of the welcome page.
func TestFirstRunUnlessSettingsOrACompletePolicy(t *testing.T) {
	tests := []struct {
		name, config, policy string // "-": no file
		want                 bool
	}{
		{"nothing", "-", "-", true},
		{"the .deb's commented-out policy", "-", "# provider = \"microsoft365\"\n# [microsoft365]\n# client_id = \"\"\n", true},
		{"a policy with the tenant alone", "-", "[microsoft365]\ntenant = \"contoso.onmicrosoft.com\"\n", true},
		{"a policy with only an interval", "-", "refresh_interval = \"2m\"\n", true},
		{"a complete Microsoft 365 policy", "-", validM365, false},
		{"a complete Exchange policy", "-", validEWS, false},
		{"a policy that is itself wrong", "-", "refresh_interval = \"5s\"\n", false},
		{"a policy that does not parse", "-", "refresh_interval = 60s\n", false},
		{"a config file", "provider = \"demo\"\n", "-", false},
		{"a config file under a partial policy", "provider = \"demo\"\n", "refresh_interval = \"2m\"\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			if tt.config != "-" {
				write(t, p.ConfigFile, tt.config)
			}
			if tt.policy != "-" {
				write(t, p.PolicyFile, tt.policy)
			}
			if got := IsFirstRun(p); got != tt.want {
				t.Errorf("IsFirstRun = %v, want %v", got, tt.want)
			}
		})
	}
}

// The welcome page starts from what a partial policy sets, and Connect keeps
// the policy's keys the form has no field for (a sovereign or test authority).
func TestWelcomeFormStartsFromAPartialPolicy(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.PolicyFile, `[microsoft365]
tenant = "contoso.onmicrosoft.com"
authority_url = "https://login.contoso.test/contoso.onmicrosoft.com"
graph_url = "https://graph.contoso.test/v1.0"
`)
	form := ws.Form()
	if form.Values.Tenant != "contoso.onmicrosoft.com" || !form.Locked["microsoft365.tenant"] {
		t.Fatalf("form tenant %q locked %v, want the policy's, locked", form.Values.Tenant, form.Locked["microsoft365.tenant"])
	}
	s := form.Values
	s.ClientID = "11111111-2222-3333-4444-555555555555"
	cfg, _, err := ws.effective(s, true)
	if err != nil {
		t.Fatalf("effective: %v", err)
	}
	if cfg.Microsoft365.AuthorityURL != "https://login.contoso.test/contoso.onmicrosoft.com" || cfg.Microsoft365.GraphURL != "https://graph.contoso.test/v1.0" {
		t.Errorf("Connect would sign in at %q and read %q, want the policy's", cfg.Microsoft365.AuthorityURL, cfg.Microsoft365.GraphURL)
	}
}

func TestDiagnosticsLeaveSecretsOut(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.LogDir+"/"+LogFileName, strings.Repeat("{\"msg\":\"line\"}\n", 400)+"{\"msg\":\"last\"}\n")
	cfg := DefaultConfig()
	cfg.Provider = ProviderEWS
	cfg.EWS.URL = "https://reception:Hunter2Secret@mail.contoso.com/EWS/Exchange.asmx"
	text, path, err := ws.env.diagnostics(context.Background(), cfg, calendar.Snapshot{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "Hunter2Secret") {
		t.Error("the password in the URL reached the diagnostics")
	}
	if got := strings.Count(text, "\"msg\":"); got != diagnosticLogLines {
		t.Errorf("%d log lines, want %d", got, diagnosticLogLines)
	}
	if !strings.Contains(text, "\"last\"") {
		t.Error("the newest log line is missing")
	}
	if onDisk, _ := os.ReadFile(path); string(onDisk) != text {
		t.Error("the file in the log folder differs from the clipboard text")
	}
}

// The window names its own places: the banner's button, not a terminal command
// or a Settings field that does not hold the password.
func TestWindowMessagesNameThePlacesInTheWindow(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no password yet", &calendar.Error{Kind: calendar.KindAuth, Op: "ews.signin", Hint: noEWSPasswordHint},
			`No Exchange password is stored yet: click "Enter the password" above the list.`},
		{"rejected before", calendar.NewPasswordRejected("ews", &calendar.PasswordRejectedError{At: time.Date(2026, 11, 23, 10, 2, 0, 0, time.UTC), User: "u"}),
			`The server rejected this password at 10:02. Enter the new one: the "Enter the password" button`},
		{"keyring locked", &calendar.Error{Kind: calendar.KindAuth, Op: "keyring get", Code: "keyring_unavailable"},
			`The system keyring is locked or unavailable, so Frontdesk cannot read the Exchange password: unlock it, then click "Unlock the keyring and retry".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := windowMessage(ProviderEWS, tt.err, now); got != tt.want {
				t.Errorf("windowMessage = %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Settings opened while trying the demo (nothing saved, or --demo over a
// saved provider) opens on the demo company with nothing to fix, so the
// theme or the text size can be changed and the form closed or saved.
func TestSettingsWhileTryingTheDemoOpenOnTheDemo(t *testing.T) {
	tests := []struct {
		name, saved string
	}{
		{"nothing saved", ""},
		{"a saved Exchange, started with --demo", validEWS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, p := testWindowSettings(t)
			if tt.saved != "" {
				write(t, p.ConfigFile, tt.saved)
			}
			c := DefaultConfig()
			c.Provider = ProviderDemo
			ws.live.Start(c)
			s := ws.Form().Values
			if s.Provider != ProviderDemo {
				t.Errorf("Settings opens on %q, want the demo in use", s.Provider)
			}
			if problem := ws.Check(s); problem != nil {
				t.Errorf("Settings opens with a problem: %v", problem)
			}
		})
	}
}

// Photos, rooms, the "free, but not for long" minutes and the notes file are
// in Settings: the form opens on the saved values, Save writes them and runs
// on them, a policy's values stay locked, and a notes file whose folder does
// not exist or minutes out of range are refused under their field.
func TestSettingsConsoleKeys(t *testing.T) {
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, "provider = \"demo\"\nphotos = false\n[actions]\nfree_soon_minutes = 20\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.live.Start(l.Config)
	s := ws.Form().Values
	if s.Photos || !s.Rooms || s.FreeSoonMinutes != "20" || s.NotesFile != "" {
		t.Fatalf("the form opens on photos %v, rooms %v, minutes %q, notes %q", s.Photos, s.Rooms, s.FreeSoonMinutes, s.NotesFile)
	}
	notes := filepath.Join(t.TempDir(), "desk.json")
	s.Photos, s.Rooms, s.FreeSoonMinutes, s.NotesFile = true, false, "5", notes
	if err := ws.Save(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := saved.Config; !c.Photos || c.Rooms || c.Actions.FreeSoonMinutes != 5 || c.NotesFile != notes {
		t.Errorf("saved photos %v, rooms %v, minutes %d, notes %q", c.Photos, c.Rooms, c.Actions.FreeSoonMinutes, c.NotesFile)
	}
	if running, _ := ws.live.Config(); running.Rooms || running.Actions.FreeSoonMinutes != 5 {
		t.Errorf("the engine runs with rooms %v, minutes %d", running.Rooms, running.Actions.FreeSoonMinutes)
	}
	s = ws.Form().Values
	for _, tc := range []struct {
		name, key string
		edit      func(*ui.Settings)
	}{
		{"minutes over 60", "actions.free_soon_minutes", func(s *ui.Settings) { s.FreeSoonMinutes = "61" }},
		{"minutes under 1", "actions.free_soon_minutes", func(s *ui.Settings) { s.FreeSoonMinutes = "0" }},
		{"minutes not a number", "actions.free_soon_minutes", func(s *ui.Settings) { s.FreeSoonMinutes = "10m" }},
		{"notes folder missing", "notes_file", func(s *ui.Settings) { s.NotesFile = filepath.Join(t.TempDir(), "gone", "desk.json") }},
		{"notes not a full path", "notes_file", func(s *ui.Settings) { s.NotesFile = "desk.json" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(p.ConfigFile)
			form := s
			tc.edit(&form)
			var fp *ui.FieldProblem
			if err := ws.Save(context.Background(), form); !errors.As(err, &fp) || fp.Key != tc.key {
				t.Fatalf("Save = %v, want a problem under %s", err, tc.key)
			}
			if after, _ := os.ReadFile(p.ConfigFile); string(after) != string(before) {
				t.Error("a refused form changed the file")
			}
		})
	}
	// The policy's values win and stay locked, whatever the form says.
	write(t, p.PolicyFile, "photos = false\nrooms = false\nnotes_file = \"/srv/frontdesk/notes.json\"\n[actions]\nfree_soon_minutes = 30\n")
	form := ws.Form()
	for _, key := range []string{"photos", "rooms", "notes_file", "actions.free_soon_minutes"} {
		if !form.Locked[key] {
			t.Errorf("%s not locked by the policy", key)
		}
	}
	if v := form.Values; v.Photos || v.Rooms || v.FreeSoonMinutes != "30" || v.NotesFile != "/srv/frontdesk/notes.json" {
		t.Errorf("the form shows %+v, not the policy's values", v)
	}
	edited := form.Values
	edited.Photos, edited.Rooms, edited.FreeSoonMinutes, edited.NotesFile = true, true, "9", ""
	if err := ws.Save(context.Background(), edited); err != nil {
		t.Fatal(err)
	}
	if running, _ := ws.live.Config(); running.Photos || running.Rooms || running.Actions.FreeSoonMinutes != 30 || running.NotesFile != "/srv/frontdesk/notes.json" {
		t.Errorf("locked keys changed: %+v", running)
	}
}
