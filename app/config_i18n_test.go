package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ui"
)

// A settings problem's own text, read by logs, status --json and the headless
// commands, is the English it was before problems became templates, byte for
// byte (the texts below are what the previous code printed).
func TestConfigErrorTextIsUnchanged(t *testing.T) {
	want := map[string]string{
		"provider":                     `provider: "lotus" is not one of microsoft365, ews, demo`,
		"interval under the floor":     "refresh_interval: 1s is under the 5s floor",
		"interval under the minimum":   "refresh_interval: 10s is under the 30s minimum that protects the account from throttling (an admin policy can allow it)",
		"interval over a day":          "refresh_interval: 25h is longer than a day",
		"time zone":                    `time_zone: "Mars/Olympus" is not an IANA time zone such as "Europe/Paris"`,
		"log level":                    `log_level: "loud" is not one of debug, info, warn, error`,
		"notes file not a full path":   `notes_file: "notes.json" is not a full path such as "\\server\share\frontdesk-notes.json" or "/srv/frontdesk/notes.json"`,
		"no client id":                 "microsoft365.client_id: is empty: set the Application (client) ID of your Entra app registration",
		"client id not a GUID":         `microsoft365.client_id: "frontdesk" is not a GUID`,
		"client id a token":            `microsoft365.client_id: "[REDACTED]" is not a GUID`,
		"no tenant":                    `microsoft365.tenant: is empty: use your tenant's GUID, domain or "organizations"`,
		"tenant a path":                `microsoft365.tenant: "contoso.com/x" must be a GUID, a domain or "organizations"`,
		"cloud":                        `microsoft365.cloud: "mars" is not one of global, usgov, usgov-dod, china`,
		"authority not an address":     `microsoft365.authority_url: "login" is not an address`,
		"authority with a password":    `microsoft365.authority_url: "https://[REDACTED]@login.example.com/contoso" holds a user name or password. Take them out of the address`,
		"authority over http":          `microsoft365.authority_url: "http://login.example.com/contoso" must use https`,
		"graph over http elsewhere":    `microsoft365.graph_url: "http://graph.example.com" must use https`,
		"no EWS address":               "ews.url: is empty: set your Exchange server's EWS address, such as https://mail.contoso.com/EWS/Exchange.asmx",
		"EWS not http":                 `ews.url: "ftp://mail.contoso.com/EWS" is not an http(s) address`,
		"EWS with a password":          `ews.url: "https://[REDACTED]@mail.contoso.com/EWS/Exchange.asmx" holds a user name or password. Take them out of the address, set ews.username, and store the password with "frontdesk ews-password"`,
		"EWS auth":                     `ews.auth: "kerberos" is not one of basic, ntlm`,
		"basic over http":              "ews.url: basic authentication over plain http would expose the password. Use https",
		"EWS version":                  `ews.version: "Exchange1999" is not one of Exchange2007_SP1, Exchange2010, Exchange2010_SP1, Exchange2010_SP2, Exchange2013, Exchange2013_SP1`,
		"no EWS user":                  "ews.username: is empty: set the account Frontdesk signs in to Exchange with",
		"CA file missing":              "ews.ca_file: open {{dir}}/missing.crt: no such file or directory",
		"CA file not PEM":              "ews.ca_file: {{dir}}/not-pem.crt holds no PEM certificate",
		"colleague address":            `people.emails: entry 2 ("not an address") is not an email address`,
		"favourite address":            `people.favourites: entry 1 ("bob") is not an email address`,
		"whole directory on Exchange":  "people.all: the whole directory is only available with microsoft365; use people.group with a distribution list",
		"file TOML broken":             "{{dir}}/config.toml: refresh_interval: line 2: expected a top-level item to end with a newline, comment, or EOF, but got 's' instead",
		"file interval not a duration": `{{dir}}/config.toml: refresh_interval: line 2: "soon" is not a duration such as "60s" or "2m"`,
		"form interval not a duration": `refresh_interval: "soon" is not a duration such as "60s" or "2m"`,
		"form minutes not a number":    "actions.free_soon_minutes: 10m is not a number of minutes from 1 to 60 (the default is 15)",
		"form notes folder missing":    "notes_file: the folder {{dir}}/gone does not exist: create it, or choose another",
		"file unreadable":              "{{dir}}: is a folder, not a settings file: point Frontdesk to the file, or remove the folder",
	}
	dir := t.TempDir()
	cases := configErrorCases(t, dir)
	if len(cases) != len(want) {
		t.Fatalf("%d cases, %d texts", len(cases), len(want))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			if got := strings.ReplaceAll(err.Error(), dir, "{{dir}}"); got != want[c.name] {
				t.Errorf("Error()\n got %q\nwant %q", got, want[c.name])
			}
		})
	}
}

// In an Italian console every settings problem Frontdesk words itself reads
// in Italian; only another package's own text (the system's, for a file that
// cannot be read) stays as it came. The file and the key keep their names.
func TestConfigErrorsInItalian(t *testing.T) {
	inItalian(t)
	dir := t.TempDir()
	for _, c := range configErrorCases(t, dir) {
		t.Run(c.name, func(t *testing.T) {
			var ce *ConfigError
			if !errors.As(c.err(), &ce) {
				t.Fatal("not a *ConfigError")
			}
			english, italian := ce.ProblemText(), ce.OperatorProblem()
			if ce.Problem == "" {
				if italian != english {
					t.Errorf("a cause of its own reads %q, want it as it came: %q", italian, english)
				}
				return
			}
			if italian == english || strings.Contains(italian, "{{") {
				t.Errorf("still English or unfilled: %q", italian)
			}
			if want := "Problema nelle impostazioni: " + ce.location(); !strings.HasPrefix(OperatorMessage(ce), want) {
				t.Errorf("OperatorMessage = %q, want it to start %q", OperatorMessage(ce), want)
			}
		})
	}
}

// A value quoted back in the window hides a secret as the log does, but the
// sentence around it stays whole.
func TestConfigErrorInTheWindowHidesSecretsNotWords(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"a token in the client id", func(c *Config) {
			c.Microsoft365.ClientID = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
		}, `"[REDACTED]" is not a GUID`},
		{"a password in an address", func(c *Config) {
			c.Microsoft365.AuthorityURL = "https://ada:Secret123@login.example.com/contoso"
		}, `"https://[REDACTED]@login.example.com/contoso" holds a user name or password. Take them out of the address`},
		{"the word password", func(c *Config) {
			c.Provider, c.EWS.URL, c.EWS.Username = ProviderEWS, "http://mail.contoso.com/EWS/Exchange.asmx", "reception@contoso.com"
		}, "basic authentication over plain http would expose the password. Use https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Microsoft365.ClientID = "11111111-2222-3333-4444-555555555555"
			tt.edit(&c)
			var ce *ConfigError
			if !errors.As(c.Validate(), &ce) {
				t.Fatal("not a *ConfigError")
			}
			if got := ce.OperatorProblem(); got != tt.want {
				t.Errorf("OperatorProblem = %q, want %q", got, tt.want)
			}
		})
	}
}

// The Settings form's inline problem is the loader's sentence in the
// operator's language, under the field it names.
func TestSettingsCheckInItalian(t *testing.T) {
	inItalian(t)
	tests := []struct {
		name string
		edit func(*ui.Settings)
		key  string
		want string
	}{
		{"interval under the minimum", func(s *ui.Settings) { s.RefreshInterval = "10s" }, "refresh_interval",
			"10s è sotto il minimo di 30s che protegge l'account dai rallentamenti del server (una policy dell'amministratore può consentirlo)"},
		{"interval not a duration", func(s *ui.Settings) { s.RefreshInterval = "soon" }, "refresh_interval",
			`"soon" non è una durata come "60s" o "2m"`},
		{"bad time zone", func(s *ui.Settings) { s.TimeZone = "Mars/Olympus" }, "time_zone",
			`"Mars/Olympus" non è un fuso orario IANA come "Europe/Rome"`},
		{"no user", func(s *ui.Settings) { s.EWSUser = "" }, "ews.username",
			"è vuoto: inserisci l'account con cui Frontdesk accede a Exchange"},
	}
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ws.Form().Values
			tt.edit(&s)
			got := ws.Check(s)
			if got == nil || got.Key != tt.key || got.Problem != tt.want {
				t.Errorf("Check = %+v, want %s: %q", got, tt.key, tt.want)
			}
		})
	}
}

// Settings that cannot be written say so in the operator's language, naming
// the file, and what to do.
func TestSaveFailureInItalian(t *testing.T) {
	inItalian(t)
	ws, p := testWindowSettings(t)
	// The settings folder is a file: nothing can be written under it, even as root.
	write(t, filepath.Dir(p.ConfigFile), "not a folder")
	s := ws.Form().Values
	s.Provider = ProviderDemo
	err := ws.Save(context.Background(), s)
	if err == nil {
		t.Fatal("saved into a file")
	}
	want := "Frontdesk non è riuscito a salvare " + p.ConfigFile + ": "
	if got := err.Error(); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, ". Controlla di poter scrivere in quella cartella, poi riprova.") {
		t.Errorf("Save = %q, want the Italian sentence naming the file", got)
	}
}

// A sign-in that left presence off says why in one sentence of the
// operator's language.
func TestPresenceOffNoteInItalian(t *testing.T) {
	inItalian(t)
	err := &calendar.Error{Kind: calendar.KindPermission, Op: "graph.presence", Code: "AADSTS65001",
		Hint: "The account is signed in but not allowed to read this. An administrator may need to grant consent."}
	want := "Presenza disattivata: L'account ha eseguito l'accesso ma non può leggere questi dati. Forse un amministratore deve dare il consenso."
	if got := presenceOffNote(err); got != want {
		t.Errorf("presenceOffNote = %q, want %q", got, want)
	}
}

// Without the console's translations (the headless commands, or a language
// Frontdesk does not speak) the window's sentences are the English they were.
func TestWindowSentencesWithoutTranslationsAreEnglish(t *testing.T) {
	if !inItalianWithoutTranslations(t) {
		return
	}
	ws, p := testWindowSettings(t)
	write(t, p.ConfigFile, validEWS)
	s := ws.Form().Values
	s.TimeZone = "Mars/Olympus"
	if got, want := ws.Check(s), `"Mars/Olympus" is not an IANA time zone such as "Europe/Paris"`; got == nil || got.Problem != want {
		t.Errorf("Check = %+v, want %q", got, want)
	}
	s = ws.Form().Values
	s.RefreshInterval = "10s"
	_, _, err := ws.effective(s, false)
	if got, want := OperatorMessage(err), "Settings problem: refresh_interval: 10s is under the 30s minimum that protects the account from throttling (an admin policy can allow it)"; got != want {
		t.Errorf("OperatorMessage = %q, want %q", got, want)
	}
	if got, want := notSavedMessage("/home/ada/.config/frontdesk/config.toml", errors.New("disk full")),
		"Frontdesk could not save /home/ada/.config/frontdesk/config.toml: disk full. Check that you may write to that folder, then try again."; got != want {
		t.Errorf("notSavedMessage = %q, want %q", got, want)
	}
	if got, want := presenceOffNote(&calendar.Error{Kind: calendar.KindPermission, Hint: "The account is signed in but not allowed to read this. An administrator may need to grant consent."}),
		"Presence is off: The account is signed in but not allowed to read this. An administrator may need to grant consent."; got != want {
		t.Errorf("presenceOffNote = %q, want %q", got, want)
	}
}

// configErrorCases are wrong settings of every kind the loader names, as a
// file or the Settings form gives them; {{dir}} in a text is the test's
// temporary folder.
func configErrorCases(t *testing.T, dir string) []configErrorCase {
	t.Helper()
	notPEM := filepath.Join(dir, "not-pem.crt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	m365 := func(edit func(*Config)) func() error {
		return func() error {
			c := DefaultConfig()
			c.Microsoft365.ClientID = "11111111-2222-3333-4444-555555555555"
			edit(&c)
			return c.Validate()
		}
	}
	exchange := func(edit func(*Config)) func() error {
		return func() error {
			c := DefaultConfig()
			c.Provider = ProviderEWS
			c.EWS.URL = "https://mail.contoso.com/EWS/Exchange.asmx"
			c.EWS.Username = "reception@contoso.com"
			edit(&c)
			return c.Validate()
		}
	}
	file := func(content string) func() error {
		return func() error {
			p := Paths{ConfigFile: filepath.Join(dir, "config.toml")}
			if err := os.WriteFile(p.ConfigFile, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(p, nil)
			return err
		}
	}
	return []configErrorCase{
		{"provider", m365(func(c *Config) { c.Provider = "lotus" })},
		{"interval under the floor", m365(func(c *Config) { c.RefreshInterval.Duration = time.Second })},
		{"interval under the minimum", m365(func(c *Config) { c.RefreshInterval.Duration = 10 * time.Second })},
		{"interval over a day", m365(func(c *Config) { c.RefreshInterval.Duration = 25 * time.Hour })},
		{"time zone", m365(func(c *Config) { c.TimeZone = "Mars/Olympus" })},
		{"log level", m365(func(c *Config) { c.LogLevel = "loud" })},
		{"notes file not a full path", m365(func(c *Config) { c.NotesFile = "notes.json" })},
		{"no client id", m365(func(c *Config) { c.Microsoft365.ClientID = "" })},
		{"client id not a GUID", m365(func(c *Config) { c.Microsoft365.ClientID = "frontdesk" })},
		{"client id a token", m365(func(c *Config) { c.Microsoft365.ClientID = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl" })},
		{"no tenant", m365(func(c *Config) { c.Microsoft365.Tenant = "" })},
		{"tenant a path", m365(func(c *Config) { c.Microsoft365.Tenant = "contoso.com/x" })},
		{"cloud", m365(func(c *Config) { c.Microsoft365.Cloud = "mars" })},
		{"authority not an address", m365(func(c *Config) { c.Microsoft365.AuthorityURL = "login" })},
		{"authority with a password", m365(func(c *Config) { c.Microsoft365.AuthorityURL = "https://ada:Secret123@login.example.com/contoso" })},
		{"authority over http", m365(func(c *Config) { c.Microsoft365.AuthorityURL = "http://login.example.com/contoso" })},
		{"graph over http elsewhere", m365(func(c *Config) { c.Microsoft365.GraphURL = "http://graph.example.com" })},
		{"no EWS address", exchange(func(c *Config) { c.EWS.URL = "" })},
		{"EWS not http", exchange(func(c *Config) { c.EWS.URL = "ftp://mail.contoso.com/EWS" })},
		{"EWS with a password", exchange(func(c *Config) { c.EWS.URL = "https://ada:Secret123@mail.contoso.com/EWS/Exchange.asmx" })},
		{"EWS auth", exchange(func(c *Config) { c.EWS.Auth = "kerberos" })},
		{"basic over http", exchange(func(c *Config) { c.EWS.URL = "http://mail.contoso.com/EWS/Exchange.asmx" })},
		{"EWS version", exchange(func(c *Config) { c.EWS.Version = "Exchange1999" })},
		{"no EWS user", exchange(func(c *Config) { c.EWS.Username = "" })},
		{"CA file missing", exchange(func(c *Config) { c.EWS.CAFile = filepath.Join(dir, "missing.crt") })},
		{"CA file not PEM", exchange(func(c *Config) { c.EWS.CAFile = notPEM })},
		{"colleague address", exchange(func(c *Config) { c.People.Emails = []string{"ada@contoso.com", "not an address"} })},
		{"favourite address", exchange(func(c *Config) { c.People.Favourites = []string{"bob"} })},
		{"whole directory on Exchange", exchange(func(c *Config) { c.People.All = true })},
		{"file TOML broken", file("provider = \"demo\"\nrefresh_interval = 60s\n")},
		{"file interval not a duration", file("provider = \"demo\"\nrefresh_interval = \"soon\"\n")},
		{"form interval not a duration", func() error {
			_, err := applySettings(DefaultConfig(), ui.Settings{RefreshInterval: "soon"}, nil)
			return err
		}},
		{"form minutes not a number", func() error {
			_, err := applySettings(DefaultConfig(), ui.Settings{RefreshInterval: "60s", FreeSoonMinutes: "10m"}, nil)
			return err
		}},
		{"form notes folder missing", func() error { return notesFolderProblem(filepath.Join(dir, "gone", "notes.json")) }},
		{"file unreadable", func() error {
			_, err := LoadConfig(Paths{ConfigFile: dir}, nil) // a folder
			return err
		}},
	}
}

type configErrorCase struct {
	name string
	err  func() error
}

// Stars the admin policy fixes are not saved, and the console says why in the
// operator's language: "Favourites could not be saved (reason)".
func TestFavouritesNotSavedInItalian(t *testing.T) {
	inItalian(t)
	p := Paths{ConfigFile: filepath.Join(t.TempDir(), "config.toml"), PolicyFile: filepath.Join(t.TempDir(), "policy.toml")}
	write(t, p.ConfigFile, "provider = \"demo\"\n")
	write(t, p.PolicyFile, "[people]\nfavourites = [\"boss@example.com\"]\n")
	env := &Env{Paths: p}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"locked by the policy", env.saveFavourites(context.Background(), []string{"ada@example.com"}), "li imposta l'amministratore"},
		{"a broken settings file", &ConfigError{File: p.ConfigFile, Key: "time_zone", Problem: `{{.Value}} is not an IANA time zone such as "Europe/Paris"`, ProblemArgs: quoted("Mars")},
			"Problema nelle impostazioni: " + p.ConfigFile + `: time_zone: "Mars" non è un fuso orario IANA come "Europe/Rome"`},
		{"saved", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := favouritesNotSaved(tt.err)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("favouritesNotSaved = %v, want %q wrapping %v", err, tt.want, tt.err)
			}
		})
	}
}
