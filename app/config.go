package app

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews"
)

// Duration reads "60s" or "2m" from TOML.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"60s\" or \"2m\"", b)
	}
	d.Duration = v
	return nil
}

func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Config is config.toml as the README documents it. The same keys in the admin
// policy file override the user's and lock them.
type Config struct {
	Provider        string   `toml:"provider"`
	RefreshInterval Duration `toml:"refresh_interval"`
	TimeZone        string   `toml:"time_zone"`
	// LogLevel is debug, info, warn or error; FRONTDESK_LOG_LEVEL overrides it.
	LogLevel     string           `toml:"log_level,omitempty"`
	Microsoft365 M365Config       `toml:"microsoft365"`
	EWS          EWSConfig        `toml:"ews"`
	People       PeopleConfig     `toml:"people"`
	Policy       PolicyOnlyConfig `toml:"policy"`
}

type M365Config struct {
	Tenant       string `toml:"tenant"`
	ClientID     string `toml:"client_id"`
	Cloud        string `toml:"cloud"`
	AuthorityURL string `toml:"authority_url"`
	GraphURL     string `toml:"graph_url"`
	Presence     bool   `toml:"presence"`
}

type EWSConfig struct {
	URL      string `toml:"url"`
	Version  string `toml:"version"`
	Auth     string `toml:"auth"`
	Username string `toml:"username"`
	CAFile   string `toml:"ca_file"`
}

type PeopleConfig struct {
	Emails     []string `toml:"emails"`
	Group      string   `toml:"group"`
	All        bool     `toml:"all"`
	Favourites []string `toml:"favourites"`
}

// PolicyOnlyConfig holds switches only an admin policy file may turn on.
type PolicyOnlyConfig struct {
	// AllowFastRefresh permits refresh intervals under 30 s (a lab, a small tenant).
	AllowFastRefresh bool `toml:"allow_fast_refresh"`
}

// Providers and their contract names.
const (
	ProviderM365 = "microsoft365"
	ProviderEWS  = "ews"
	ProviderDemo = "demo"
)

var (
	clouds      = []string{"global", "usgov", "usgov-dod", "china"}
	ewsVersions = ews.Versions // the client's list: what it sends is what the configuration accepts
	ewsAuths    = []string{"basic", "ntlm"}
	guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// DefaultConfig is what a fresh install runs with.
func DefaultConfig() Config {
	return Config{
		Provider:        ProviderM365,
		RefreshInterval: Duration{60 * time.Second},
		Microsoft365:    M365Config{Tenant: "organizations", Cloud: "global", Presence: true},
		EWS:             EWSConfig{Version: ews.DefaultVersion, Auth: "basic"},
	}
}

// ConfigError names the file, the key and the problem, so an admin can fix it
// without reading the log.
type ConfigError struct {
	File    string
	Key     string
	Problem string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Problem)
	// A value quoted back (a URL with user:password@, a token pasted into the
	// wrong key) must not carry a secret to the terminal or the log.
	return scrubText(b.String())
}

// Loaded is the effective configuration and where it came from.
type Loaded struct {
	Config Config
	// User is the per-user file alone: what Save writes back.
	User Config
	// Locked lists the keys the admin policy set ("refresh_interval", "ews.url").
	Locked map[string]bool
	// Warnings are problems worth logging that do not stop Frontdesk (unknown keys).
	Warnings []string
}

// IsLocked reports whether the admin policy fixes key.
func (l *Loaded) IsLocked(key string) bool { return l.Locked[key] }

// LoadConfig reads the user file (missing is fine: defaults) and overlays the
// policy file, then validates the result. override, if not nil, adjusts the
// effective configuration before validation (--demo).
func LoadConfig(p Paths, override func(*Config)) (*Loaded, error) {
	l := &Loaded{Locked: map[string]bool{}}
	user := DefaultConfig()
	if err := decodeFile(p.ConfigFile, &user, nil, &l.Warnings); err != nil {
		return nil, err
	}
	l.User = user
	effective := user
	// Slices must not alias the user's: the policy may replace them.
	effective.People.Emails = slices.Clone(user.People.Emails)
	effective.People.Favourites = slices.Clone(user.People.Favourites)
	policy, distrust, err := readPolicyFile(p.PolicyFile)
	if err != nil {
		return nil, err
	}
	if distrust != nil {
		l.Warnings = append(l.Warnings, fmt.Sprintf("%s: ignored, because %v: an admin policy must be owned by %s and writable by no one else", p.PolicyFile, distrust, policyOwnerName))
	}
	if err := decodeData(p.PolicyFile, policy, &effective, l.Locked, &l.Warnings); err != nil {
		return nil, err
	}
	if !l.Locked["policy.allow_fast_refresh"] {
		effective.Policy = PolicyOnlyConfig{}
	}
	if override != nil {
		override(&effective)
	}
	effective.People.Emails = uniqueAddresses(effective.People.Emails)
	if err := effective.Validate(); err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) && ce.File == "" {
			ce.File = p.ConfigFile
			if l.Locked[ce.Key] {
				ce.File = p.PolicyFile
			}
		}
		return nil, err
	}
	l.Config = effective
	return l, nil
}

// trustPolicyFile decides whether the policy file may be honoured
// (policyFileTrusted: owner and permissions); tests of everything else that
// the policy does replace it.
var trustPolicyFile = policyFileTrusted

// readPolicyFile reads the admin policy through the same open file whose owner
// and permissions it checks, so the file cannot be swapped in between. A
// policy that is missing reads as empty; one that cannot be trusted reads as
// empty with distrust saying why.
func readPolicyFile(path string) (data []byte, distrust, err error) {
	if path == "" {
		return nil, nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, &ConfigError{File: path, Problem: err.Error()}
	}
	defer f.Close()
	if distrust := trustPolicyFile(f); distrust != nil {
		return nil, distrust, nil
	}
	data, err = io.ReadAll(f)
	if err != nil {
		return nil, nil, &ConfigError{File: path, Problem: err.Error()}
	}
	return data, nil, nil
}

func decodeFile(path string, into *Config, keys map[string]bool, warnings *[]string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || path == "" {
		return nil
	}
	if err != nil {
		return &ConfigError{File: path, Problem: err.Error()}
	}
	return decodeData(path, data, into, keys, warnings)
}

// decodeData overlays the TOML in data (read from path) onto into; keys, if
// not nil, collects the keys it set. Empty data changes nothing.
func decodeData(path string, data []byte, into *Config, keys map[string]bool, warnings *[]string) error {
	if len(data) == 0 {
		return nil
	}
	md, err := toml.Decode(string(data), into)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			key := pe.LastKey
			if key == "" {
				key = keyOnLine(string(data), pe.Position.Line)
			}
			return &ConfigError{File: path, Key: key, Problem: fmt.Sprintf("line %d: %s", pe.Position.Line, pe.Message)}
		}
		return &ConfigError{File: path, Problem: err.Error()}
	}
	for _, k := range md.Keys() {
		if keys != nil {
			keys[k.String()] = true
		}
	}
	for _, k := range md.Undecoded() {
		*warnings = append(*warnings, fmt.Sprintf("%s: unknown key %q ignored", path, k.String()))
	}
	return nil
}

// keyOnLine finds the key an admin wrote on a broken line ("refresh_interval = 60s"),
// qualified by the table it sits in, so the message can name it.
func keyOnLine(data string, line int) string {
	lines := strings.Split(data, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	table := ""
	for _, l := range lines[:line-1] {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			table = strings.Trim(l, "[] ")
		}
	}
	key, _, ok := strings.Cut(lines[line-1], "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.ContainsAny(key, " \t[") {
		return ""
	}
	if table != "" {
		return table + "." + key
	}
	return key
}

// Validate checks every key an admin can get wrong and names the first one that is.
func (c *Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &ConfigError{Key: key, Problem: fmt.Sprintf(format, args...)}
	}
	if !slices.Contains([]string{ProviderM365, ProviderEWS, ProviderDemo}, c.Provider) {
		return bad("provider", "%q is not one of microsoft365, ews, demo", c.Provider)
	}
	if c.RefreshInterval.Duration < calendar.MinFastInterval {
		return bad("refresh_interval", "%s is under the %s floor", c.RefreshInterval.Duration, calendar.MinFastInterval)
	}
	if c.RefreshInterval.Duration < calendar.MinInterval && !c.Policy.AllowFastRefresh {
		return bad("refresh_interval", "%s is under the 30s minimum that protects the account from throttling (an admin policy can allow it)", c.RefreshInterval.Duration)
	}
	if c.RefreshInterval.Duration > 24*time.Hour {
		return bad("refresh_interval", "%s is longer than a day", c.RefreshInterval.Duration)
	}
	if c.TimeZone != "" {
		if _, err := time.LoadLocation(c.TimeZone); err != nil {
			return bad("time_zone", "%q is not an IANA time zone such as \"Europe/Paris\"", c.TimeZone)
		}
	}
	if c.LogLevel != "" {
		var lvl slog.Level
		if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
			return bad("log_level", "%q is not one of debug, info, warn, error", c.LogLevel)
		}
	}
	switch c.Provider {
	case ProviderM365:
		m := c.Microsoft365
		if m.ClientID == "" {
			return bad("microsoft365.client_id", "is empty: set the Application (client) ID of your Entra app registration")
		}
		if !guidPattern.MatchString(m.ClientID) {
			return bad("microsoft365.client_id", "%q is not a GUID", m.ClientID)
		}
		if m.Tenant == "" {
			return bad("microsoft365.tenant", "is empty: use your tenant's GUID, domain or \"organizations\"")
		}
		if strings.ContainsAny(m.Tenant, "/ ?#") {
			return bad("microsoft365.tenant", "%q must be a GUID, a domain or \"organizations\"", m.Tenant)
		}
		if !slices.Contains(clouds, m.Cloud) {
			return bad("microsoft365.cloud", "%q is not one of %s", m.Cloud, strings.Join(clouds, ", "))
		}
		if m.AuthorityURL != "" {
			if err := httpsURL(m.AuthorityURL, false); err != nil {
				return bad("microsoft365.authority_url", "%v", err)
			}
		}
		if m.GraphURL != "" {
			// Plain http only to this machine, for a local test server.
			if err := httpsURL(m.GraphURL, true); err != nil {
				return bad("microsoft365.graph_url", "%v", err)
			}
		}
	case ProviderEWS:
		e := c.EWS
		if e.URL == "" {
			return bad("ews.url", "is empty: set your Exchange server's EWS address, such as https://mail.contoso.com/EWS/Exchange.asmx")
		}
		u, err := url.Parse(e.URL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return bad("ews.url", "%q is not an http(s) address", scrubText(e.URL))
		}
		if u.User != nil {
			return bad("ews.url", "%q holds a user name or password. Take them out of the address, set ews.username, and store the password with \"frontdesk ews-password\"", scrubText(e.URL))
		}
		if !slices.Contains(ewsAuths, e.Auth) {
			return bad("ews.auth", "%q is not one of basic, ntlm", e.Auth)
		}
		if u.Scheme == "http" {
			// NTLM sends no password, but its answer can be cracked offline
			// and relayed: plain http is as unsafe for it as for Basic.
			return bad("ews.url", "%s authentication over plain http would expose the password: use https", e.Auth)
		}
		if !slices.Contains(ewsVersions, e.Version) {
			return bad("ews.version", "%q is not one of %s", e.Version, strings.Join(ewsVersions, ", "))
		}
		if e.Username == "" {
			return bad("ews.username", "is empty: set the account Frontdesk signs in to Exchange with")
		}
		if e.CAFile != "" {
			if err := checkCABundle(e.CAFile); err != nil {
				return bad("ews.ca_file", "%v", err)
			}
		}
	}
	for i, e := range c.People.Emails {
		if _, err := mail.ParseAddress(e); err != nil {
			return bad("people.emails", "entry %d (%q) is not an email address", i+1, e)
		}
	}
	for i, e := range c.People.Favourites {
		if _, err := mail.ParseAddress(e); err != nil {
			return bad("people.favourites", "entry %d (%q) is not an email address", i+1, e)
		}
	}
	if c.People.All && c.Provider == ProviderEWS {
		return bad("people.all", "the whole directory is only available with microsoft365; use people.group with a distribution list")
	}
	return nil
}

// httpsURL accepts an https address, or plain http to this machine when
// allowLoopbackHTTP. The address is quoted back with any user:password@
// removed, and one that holds userinfo is refused: a secret has no place in
// a setting.
func httpsURL(raw string, allowLoopbackHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an address", scrubText(raw))
	}
	if u.User != nil {
		return fmt.Errorf("%q holds a user name or password. Take them out of the address", scrubText(raw))
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && allowLoopbackHTTP && calendar.IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%q must use https", scrubText(raw))
}

func checkCABundle(path string) error {
	pem, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return fmt.Errorf("%s holds no PEM certificate", path)
	}
	return nil
}

// SaveUserConfig writes the per-user file atomically: a crash mid-write leaves
// the previous file whole.
func SaveUserConfig(path string, c Config) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	return auth.WriteFileAtomic(path, buf.Bytes())
}

// lastGoodPath is where the last configuration that loaded cleanly is kept, so a
// broken edit never leaves the console with nothing.
func lastGoodPath(p Paths) string { return filepath.Join(p.StateDir, "config.last-good.toml") }

// LoadConfigKeepingLastGood loads the configuration; when that fails it returns
// the last good one (if any) together with the error, for the console to run on
// while it tells the operator what to fix.
func LoadConfigKeepingLastGood(p Paths, override func(*Config)) (*Loaded, error) {
	l, err := LoadConfig(p, override)
	if err == nil {
		if data, mErr := os.ReadFile(p.ConfigFile); mErr == nil {
			_ = auth.WriteFileAtomic(lastGoodPath(p), data)
		}
		return l, nil
	}
	fallback := p
	fallback.ConfigFile = lastGoodPath(p)
	if _, statErr := os.Stat(fallback.ConfigFile); statErr != nil {
		return nil, err
	}
	good, goodErr := LoadConfig(fallback, override)
	if goodErr != nil {
		return nil, err
	}
	return good, err
}
