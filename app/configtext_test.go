package app

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/frontdesk-app/frontdesk/ui"
)

// adminConfig is a config.toml as an IT admin writes it by hand: comments
// above and beside keys, keys in their own order, a key from a newer
// version, a typo the doctor warns about, a table this version does not
// know, a list one address a line, an inline table and an array of tables.
const adminConfig = `# Frontdesk for the front desk, set up by IT (ticket 4711).
# Ask IT before changing the provider.
provider = "ews"   # on-premises Exchange
refresh_interval = "60s" # not faster: the server throttles
photo_size = 96 # a key of a newer version
rooms = false

[ews]
# The CAS behind the load balancer.
url = "https://mail.contoso.com/EWS/Exchange.asmx"
username = "reception@contoso.com"
usrname = "typo@contoso.com" # a typo doctor warns about

[ews.proxy]
host = "proxy.contoso.com"

[people]
emails = [
  "ada@contoso.com", # Ada, CEO
  "bob@contoso.com",
]
favourites = ["ada@contoso.com"]

[telemetry]
endpoint = { host = "collector.contoso.com", port = 4317 }
tags = ["desk-1", 'desk "2"', """multi
line"""]

[[shortcuts]]
key = "F9"
emails = ["bob@contoso.com"]
`

// savedOver writes file as config.toml, reads it as Save's writer does (the
// defaults under the file), changes it with edit and saves it: the text on
// disk after.
func savedOver(t *testing.T, file string, edit func(*Config)) string {
	t.Helper()
	p := testPaths(t)
	write(t, p.ConfigFile, file)
	user := DefaultConfig()
	var warnings []string
	if err := decodeFile(p.ConfigFile, &user, nil, &warnings); err != nil {
		t.Fatalf("the test's file does not load: %v", err)
	}
	if edit != nil {
		edit(&user)
	}
	user.Policy = PolicyOnlyConfig{}
	if err := SaveUserConfig(p.ConfigFile, user); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Save changes only what changed: the value of a changed key where it
// stands (its comment kept), a new key after the last key of its table, a
// missing table at the end; every comment, blank line, unknown key and
// unknown table stays byte for byte. Before, the writer re-encoded the file
// from the decoded keys and all of that was lost at the first Save or star.
func TestSaveKeepsTheFileAsTheAdminWroteIt(t *testing.T) {
	tests := []struct {
		name string
		file string
		edit func(*Config)
		want string
	}{
		{
			name: "nothing changed: not a byte",
			file: adminConfig,
			want: adminConfig,
		},
		{
			name: "a changed value is rewritten where it stands, its comment kept",
			file: adminConfig,
			edit: func(c *Config) { c.RefreshInterval = Duration{2 * time.Minute} },
			want: strings.Replace(adminConfig, `refresh_interval = "60s" #`, `refresh_interval = "2m" #`, 1),
		},
		{
			name: "a new key goes after the last key of its table, not into a sub-table",
			file: adminConfig,
			edit: func(c *Config) { c.EWS.Auth = "ntlm"; c.TimeZone = "Europe/Rome" },
			want: strings.NewReplacer(
				"rooms = false\n", "rooms = false\ntime_zone = \"Europe/Rome\"\n",
				"# a typo doctor warns about\n", "# a typo doctor warns about\nauth = \"ntlm\"\n",
			).Replace(adminConfig),
		},
		{
			name: "a table the file lacks is added at the end",
			file: adminConfig,
			edit: func(c *Config) { c.Actions.DialPrefix = "9"; c.Actions.FreeSoonMinutes = 5 },
			want: adminConfig + "\n[actions]\ndial_prefix = \"9\"\nfree_soon_minutes = 5\n",
		},
		{
			name: "a list written one item a line stays so",
			file: adminConfig,
			edit: func(c *Config) { c.People.Emails = []string{"ada@contoso.com", "bob@contoso.com", "cy@contoso.com"} },
			want: strings.Replace(adminConfig, "  \"bob@contoso.com\",\n]", "  \"bob@contoso.com\",\n  \"cy@contoso.com\",\n]", 1),
		},
		{
			name: "items kept keep their comments, items removed take theirs along",
			file: "[people]\nfavourites = [ # pinned at the desk\n    # the board\n    \"ada@contoso.com\", # CEO\n    'bob@contoso.com'  # CFO\n    # end of the board\n  ]\n",
			edit: func(c *Config) { c.People.Favourites = []string{"bob@contoso.com", "cy@contoso.com"} },
			want: "[people]\nfavourites = [ # pinned at the desk\n    'bob@contoso.com',  # CFO\n    \"cy@contoso.com\",\n    # end of the board\n  ]\n",
		},
		{
			name: "a list of several items a line is written one item a line",
			file: "[people]\nemails = [\n  \"ada@contoso.com\", \"bob@contoso.com\", # the board\n]\n",
			edit: func(c *Config) { c.People.Emails = []string{"bob@contoso.com"} },
			want: "[people]\nemails = [\n  \"bob@contoso.com\",\n]\n",
		},
		{
			name: "a list on one line stays on one line",
			file: adminConfig,
			edit: func(c *Config) { c.People.Favourites = []string{"bob@contoso.com", "ada@contoso.com"} },
			want: strings.Replace(adminConfig, `favourites = ["ada@contoso.com"]`, `favourites = ["bob@contoso.com", "ada@contoso.com"]`, 1),
		},
		{
			name: "a key set back to its default keeps its line and comment",
			file: "provider = \"demo\"\nnotes_file = \"/srv/frontdesk/notes.json\" # the team's notes\nphotos = false\n",
			edit: func(c *Config) { c.NotesFile = ""; c.Photos = true },
			want: "provider = \"demo\"\nnotes_file = \"\" # the team's notes\nphotos = true\n",
		},
		{
			name: "an inline table is edited inside its braces",
			file: "provider = \"ews\"\news = { url = \"https://mail.contoso.com/EWS/Exchange.asmx\", username = \"a@contoso.com\" } # IT\n",
			edit: func(c *Config) { c.EWS.Username = "b@contoso.com"; c.EWS.Auth = "ntlm" },
			want: "provider = \"ews\"\news = { url = \"https://mail.contoso.com/EWS/Exchange.asmx\", username = \"b@contoso.com\", auth = \"ntlm\" } # IT\n",
		},
		{
			name: "an empty inline table takes the key",
			file: "provider = \"demo\"\nactions = {}\n",
			edit: func(c *Config) { c.Actions.DialPrefix = "0" },
			want: "provider = \"demo\"\nactions = { dial_prefix = \"0\" }\n",
		},
		{
			name: "dotted keys at the top level take a new key written the same way",
			file: "provider = \"ews\"\n  ews.url = \"https://mail.contoso.com/EWS/Exchange.asmx\"\n  ews.username = \"a@contoso.com\"\n\n[people]\nall = false\n",
			edit: func(c *Config) { c.EWS.Auth = "ntlm" },
			want: "provider = \"ews\"\n  ews.url = \"https://mail.contoso.com/EWS/Exchange.asmx\"\n  ews.username = \"a@contoso.com\"\n  ews.auth = \"ntlm\"\n\n[people]\nall = false\n",
		},
		{
			name: "CRLF line endings stay CRLF, new lines included",
			file: "# IT\r\nprovider = \"demo\" # for now\r\n\r\n[people]\r\nemails = [\r\n  \"ada@contoso.com\",\r\n]\r\n",
			edit: func(c *Config) {
				c.Provider = ProviderEWS
				c.People.Emails = append(c.People.Emails, "bob@contoso.com")
				c.People.Group = "desk@contoso.com"
				c.EWS.Auth = "ntlm"
			},
			want: "# IT\r\nprovider = \"ews\" # for now\r\n\r\n[people]\r\nemails = [\r\n  \"ada@contoso.com\",\r\n  \"bob@contoso.com\",\r\n]\r\ngroup = \"desk@contoso.com\"\r\n\r\n[ews]\r\nauth = \"ntlm\"\r\n",
		},
		{
			name: "a file without a final line ending",
			file: "provider = \"demo\"\n[people]\nall = true",
			edit: func(c *Config) { c.People.Favourites = []string{"ada@contoso.com"}; c.Rooms = false },
			want: "provider = \"demo\"\nrooms = false\n[people]\nall = true\nfavourites = [\"ada@contoso.com\"]",
		},
		{
			name: "a top-level key the file lacks goes above the first table and its comment",
			file: "# Frontdesk settings\n\n# Exchange, from IT\n[ews]\nurl = \"https://mail.contoso.com/EWS/Exchange.asmx\"\n",
			edit: func(c *Config) { c.Provider = ProviderEWS },
			want: "# Frontdesk settings\n\nprovider = \"ews\"\n\n# Exchange, from IT\n[ews]\nurl = \"https://mail.contoso.com/EWS/Exchange.asmx\"\n",
		},
		{
			name: "a table without keys takes them below the comments under its line",
			file: "provider = \"demo\"\n[actions]\n# dial_prefix = \"9\" # when we have a PBX\n\n# The board.\n[people]\nall = true\n",
			edit: func(c *Config) { c.Actions.DialPrefix = "0" },
			want: "provider = \"demo\"\n[actions]\n# dial_prefix = \"9\" # when we have a PBX\ndial_prefix = \"0\"\n\n# The board.\n[people]\nall = true\n",
		},
		{
			name: "a file saved by Notepad: a byte order mark and CRLF",
			file: "\xef\xbb\xbf# IT\r\n[ews]\r\nurl = \"https://mail.contoso.com/EWS/Exchange.asmx\"\r\n",
			edit: func(c *Config) { c.Provider = ProviderEWS; c.EWS.Username = "reception@contoso.com" },
			want: "\xef\xbb\xbf# IT\r\nprovider = \"ews\"\r\n\r\n[ews]\r\nurl = \"https://mail.contoso.com/EWS/Exchange.asmx\"\r\nusername = \"reception@contoso.com\"\r\n",
		},
		{
			name: "a file of comments only",
			file: "# Frontdesk: see the README for the keys.\n",
			edit: func(c *Config) { c.Provider = ProviderDemo; c.People.All = true },
			want: "# Frontdesk: see the README for the keys.\nprovider = \"demo\"\n\n[people]\nall = true\n",
		},
		{
			name: "the policy's table in the user's file is left alone",
			file: "provider = \"demo\"\n[policy]\nallow_fast_refresh = true # no effect here\n",
			edit: func(c *Config) { c.Photos = false },
			want: "provider = \"demo\"\nphotos = false\n[policy]\nallow_fast_refresh = true # no effect here\n",
		},
		{
			name: "a key written in another case is the key",
			file: "Provider = \"demo\"\n[People]\nAll = true\n",
			edit: func(c *Config) { c.Provider = ProviderEWS; c.People.Group = "desk@contoso.com" },
			want: "Provider = \"ews\"\n[People]\nAll = true\ngroup = \"desk@contoso.com\"\n",
		},
		{
			name: "strings that need escapes, a date with a space, multi-line and literal strings",
			file: "when = 1979-05-27 07:32:00 # a date\nnote = '''\n[ews]\nurl = \"x\"'''\nprovider = \"demo\"\n[ews]\nusername = \"\"\"a\"\"\"\"\"\n",
			edit: func(c *Config) { c.EWS.Username = "o'neil \"desk\"\t\\"; c.TimeZone = "Europe/Paris" },
			want: "when = 1979-05-27 07:32:00 # a date\nnote = '''\n[ews]\nurl = \"x\"'''\nprovider = \"demo\"\ntime_zone = \"Europe/Paris\"\n[ews]\nusername = \"o'neil \\\"desk\\\"\\t\\\\\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := savedOver(t, tt.file, tt.edit)
			if got != tt.want {
				t.Errorf("saved:\n%s\nwant:\n%s\n(%q)", got, tt.want, got)
			}
			if _, err := toml.Decode(got, new(map[string]any)); err != nil {
				t.Errorf("the saved file does not parse: %v", err)
			}
		})
	}
}

// A file that does not parse cannot be edited: Save writes it whole from
// the form, as before (TestABrokenConfigFileIsKeptByStarsAndFixedBySave). A
// file that parses but does not load (a value of the wrong type, a value
// the loader refuses) is edited like any other, so fixing it in Settings
// keeps the admin's comments.
func TestSaveFixesABrokenFile(t *testing.T) {
	tests := []struct {
		name, file string
		edit       func(*Config)
		keeps      string
	}{
		{"a syntax error: written whole", "provider = \"demo\"\nrefresh_interval = \n", nil, ""},
		{"a value of the wrong type", "# IT\nprovider = \"demo\"\n[actions]\nfree_soon_minutes = \"15m\" # minutes\n", nil, "# IT\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, tt.file)
			c := DefaultConfig()
			c.Provider = ProviderDemo
			if err := SaveUserConfig(p.ConfigFile, c); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(p.ConfigFile)
			if _, err := LoadConfig(p, nil); err != nil {
				t.Errorf("Save did not fix the file: %v\n%s", err, data)
			}
			if !strings.Contains(string(data), tt.keeps) {
				t.Errorf("the comment is gone:\n%s", data)
			}
		})
	}
	t.Run("a value the loader refuses, through Settings", func(t *testing.T) {
		ws, p := testWindowSettings(t)
		file := "# Set up by IT.\nprovider = \"ews\"\nsite = \"Milan\" # ours\n[ews]\nurl = \"https://mail.contoso.com/EWS/Exchange.asmx\"\nusername = \"reception@contoso.com\"\nauth = \"kerberos\" # not yet\n"
		write(t, p.ConfigFile, file)
		form := ws.Form().Values
		form.Provider = ProviderEWS
		form.EWSURL, form.EWSUser, form.EWSAuth = "https://mail.contoso.com/EWS/Exchange.asmx", "reception@contoso.com", "ntlm"
		if err := ws.Save(context.Background(), form); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p.ConfigFile)
		if _, err := LoadConfig(p, nil); err != nil {
			t.Errorf("Save did not fix the file: %v\n%s", err, data)
		}
		for _, kept := range []string{"# Set up by IT.\n", "site = \"Milan\" # ours\n", "auth = \"ntlm\" # not yet\n"} {
			if !strings.Contains(string(data), kept) {
				t.Errorf("lost %q:\n%s", kept, data)
			}
		}
	})
}

// Settings' Save and a star go through the same writer: after both, the
// admin's file differs only in the two values they changed. Against the
// writer before this change this fails: the file came back re-encoded,
// every comment and the unknown keys gone.
func TestSettingsSaveAndStarsKeepTheAdminsFile(t *testing.T) {
	ws, p := testWindowSettings(t)
	file := "# Reception desk 2, set up by IT.\nprovider = \"ews\"\nrefresh_interval = \"60s\" # agreed with the Exchange team\ndesk_name = \"Reception 2\" # a newer version's key\n\n[ews]\nurl = \"https://mail.contoso.com/EWS/Exchange.asmx\"\nusername = \"reception@contoso.com\"\n\n[people]\n# The board, then the desk.\nemails = [\"ada@contoso.com\"]\n\n[wallboard]\nscreen = 2\n"
	write(t, p.ConfigFile, file)
	form := ws.Form().Values
	form.RefreshInterval = "2m"
	if err := ws.Save(context.Background(), form); err != nil {
		t.Fatal(err)
	}
	if err := ws.env.saveFavourites(context.Background(), []string{"ada@contoso.com"}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p.ConfigFile)
	want := strings.NewReplacer(
		`refresh_interval = "60s"`, `refresh_interval = "2m"`,
		`emails = ["ada@contoso.com"]`+"\n", `emails = ["ada@contoso.com"]`+"\n"+`favourites = ["ada@contoso.com"]`+"\n",
	).Replace(file)
	if string(data) != want {
		t.Errorf("config.toml after Save and a star:\n%s\nwant:\n%s", data, want)
	}
}

// Whatever file parses, a save keeps it parseable and the values saved are
// the values read back; a file that also loads is edited, not written whole
// (its comments kept), and every key the writer does not know stays.
func FuzzSaveKeepsTheFileParseable(f *testing.F) {
	f.Add(adminConfig, uint8(2), "reception@contoso.com", "ada@contoso.com bob@contoso.com", false)
	f.Add(strings.ReplaceAll(adminConfig, "\n", "\r\n"), uint8(0), "o'neil\t\"x\"", "", true)
	f.Add("provider = \"demo\"\nactions = {}\news.url = \"x\"\n", uint8(5), "", "a@b", true)
	f.Add("[people]\nall = true", uint8(1), "desk", "", false)
	f.Add("# only a comment", uint8(1), "desk", "a@b c@d", true)
	f.Add("rooms = true\nRooms = false\n[people]\nall = true\n[People]\nALL = false\n", uint8(3), "u", "", true)
	f.Add("x = [[1, 2], {a = { b = 1 }}]\n[[people.x]]\n[ews.sub]\nq = 1979-05-27 07:32:00Z\n", uint8(9), "é", "ü@x", false)
	f.Fuzz(func(t *testing.T, file string, minutes uint8, username, favourites string, photos bool) {
		if !utf8.ValidString(username) || !utf8.ValidString(favourites) {
			return // the form's text is Unicode
		}
		if checkSettingsShape("", []byte(file)) != nil {
			return
		}
		var parsed map[string]any
		if _, err := toml.Decode(file, &parsed); err != nil || strings.TrimSpace(file) == "" || setTwice(parsed) {
			return
		}
		user := DefaultConfig()
		_, loadErr := toml.Decode(file, &user)
		if loadErr != nil {
			user = DefaultConfig() // what Settings starts from on a file that does not load
		}
		user.Policy = PolicyOnlyConfig{}
		user.RefreshInterval = Duration{time.Duration(minutes) * time.Minute}
		user.EWS.Username = username
		user.People.Favourites = strings.Fields(favourites)
		user.Photos = photos
		if photos { // keys a file often lacks: a top-level one and a whole table
			user.TimeZone = username
			user.Actions.DialPrefix = strings.Repeat("9", int(minutes%3))
			user.People.All = !user.People.All
		}

		path := testPaths(t).ConfigFile
		if err := os.MkdirAll(strings.TrimSuffix(path, "config.toml"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := SaveUserConfig(path, user); err != nil {
			t.Fatal(err)
		}
		saved, _ := os.ReadFile(path)
		got := DefaultConfig()
		if _, err := toml.Decode(string(saved), &got); err != nil {
			t.Fatalf("the saved file does not load: %v\n%s", err, saved)
		}
		got.Policy = PolicyOnlyConfig{}
		if !sameConfig(got, user) {
			t.Errorf("saved %+v\nread back %+v\nfrom:\n%s", user, got, saved)
		}
		if loadErr != nil {
			return
		}
		if _, err := editConfigText([]byte(file), user); err != nil {
			t.Errorf("a file that loads was written whole, its comments lost: %v\n%s", err, file)
		}
		var before, after map[string]any
		toml.Decode(file, &before)
		toml.Decode(string(saved), &after)
		withoutKnownKeys(before)
		withoutKnownKeys(after)
		if b, a := mustMarshal(t, before), mustMarshal(t, after); b != a {
			t.Errorf("keys the writer does not know changed:\n%s\nnow:\n%s", b, a)
		}
	})
}

// sameConfig compares two configurations, an empty list being no list.
func sameConfig(a, b Config) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for _, k := range userConfigKeys {
		if !sameSetting(va.FieldByIndex(k.index), vb.FieldByIndex(k.index)) {
			return false
		}
	}
	return true
}

func mustMarshal(t *testing.T, m map[string]any) string {
	t.Helper()
	text, err := toml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// Connect over a file an admin started (comments, a key of their own) edits
// it like Save: the Exchange settings go in, the comments stay, and the
// password goes to the keyring only, never into config.toml.
func TestConnectEditsTheAdminsFileAndWritesNoPassword(t *testing.T) {
	const password = "Winter2026!right"
	useAuthTestKeyring(t)
	x := startLockingExchange(t, password)
	env := ewsPasswordTestEnv(t)
	file := "# Desk 3: IT fills in the server below.\nprovider = \"ews\" # on-premises\nsite = \"Lyon\"\n\n[ews]\n# url = \"https://mail.contoso.com/EWS/Exchange.asmx\"\n"
	write(t, env.Paths.ConfigFile, file)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ws := &windowSettings{env: env, live: newLiveEngine(ctx, env)}
	s := ws.Form().Values // the welcome page opens on the defaults
	s.Provider, s.EWSURL, s.EWSAuth, s.EWSUser, s.EWSCAFile = ProviderEWS, x.url, "basic", "reception@contoso.com", x.caFile
	s.EWSVersion, s.People, s.Emails = "Exchange2013_SP1", ui.PeopleList, "reception@contoso.com"
	if err := ws.Connect(context.Background(), s, password, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(env.Paths.ConfigFile)
	if strings.Contains(string(data), password) || strings.Contains(string(data), "Winter2026") {
		t.Errorf("config.toml holds the password:\n%s", data)
	}
	want := "# Desk 3: IT fills in the server below.\nprovider = \"ews\" # on-premises\nsite = \"Lyon\"\n\n[ews]\n# url = \"https://mail.contoso.com/EWS/Exchange.asmx\"\n" +
		"url = " + tomlQuoted(x.url) + "\nusername = \"reception@contoso.com\"\nca_file = " + tomlQuoted(x.caFile) + "\n\n" +
		"[people]\nemails = [\"reception@contoso.com\"]\n"
	if string(data) != want {
		t.Errorf("config.toml after Connect:\n%s\nwant:\n%s", data, want)
	}
}

func tomlQuoted(s string) string {
	literal, err := tomlLiteral(reflect.ValueOf(s))
	if err != nil {
		panic(err)
	}
	return literal
}

// setTwice reports whether the file sets one of Config's keys twice, in two
// cases ("rooms" and "Rooms", or under [people] and [People]): the decoder
// then keeps either value, at random.
func setTwice(m map[string]any) bool {
	for _, k := range userConfigKeys {
		n := 0
		for _, t := range tablesOf(m, k) {
			for name := range t {
				if strings.EqualFold(name, k.name) {
					n++
				}
			}
		}
		if n > 1 {
			return true
		}
	}
	return false
}

// BenchmarkEditAdminConfig is a star on the admin's file: the edit and the
// library's check of it, without the disk.
func BenchmarkEditAdminConfig(b *testing.B) {
	user := DefaultConfig()
	if _, err := toml.Decode(adminConfig, &user); err != nil {
		b.Fatal(err)
	}
	user.People.Favourites = append(user.People.Favourites, "bob@contoso.com")
	for b.Loop() {
		if _, err := editConfigText([]byte(adminConfig), user); err != nil {
			b.Fatal(err)
		}
	}
}
