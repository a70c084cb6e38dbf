package app

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/BurntSushi/toml"

	"github.com/frontdesk-app/frontdesk/app/messagelog"
	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews"
)

// Duration reads "60s" or "2m" from TOML.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(string(b))
	if err != nil {
		return errors.New(calendar.FillTemplate(notADuration, quoted(string(b))))
	}
	d.Duration = v
	return nil
}

// parseDuration reads Go's durations and whole days, "30d": a retention
// is counted in days, and "720h" is no way to write a month.
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*366 {
			return 0, errors.New("not a number of days")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// notADuration is the problem with a refresh interval that does not parse.
const notADuration = `{{.Value}} is not a duration such as "60s" or "2m"`

func (d Duration) MarshalText() ([]byte, error) {
	return []byte(calendar.FormatInterval(d.Duration)), nil
}

// Config is config.toml as the README documents it. The same keys in the admin
// policy file override the user's and lock them.
type Config struct {
	Provider        string   `toml:"provider"`
	RefreshInterval Duration `toml:"refresh_interval"`
	TimeZone        string   `toml:"time_zone"`
	// LogLevel is debug, info, warn or error; FRONTDESK_LOG_LEVEL overrides it.
	LogLevel string `toml:"log_level,omitempty"`
	// Photos shows colleagues' photos (or their initials); false sends no
	// photo request at all and shows neither.
	Photos bool `toml:"photos"`
	// Rooms lists the organisation's meeting rooms. false lists none, sends
	// no rooms request and, on Microsoft 365, asks no Place.Read.All at
	// sign-in: for a tenant that will not approve it, whose every
	// interactive sign-in would otherwise be refused once and repeated.
	Rooms bool `toml:"rooms"`
	// NotesFile is the desk's notes file; set in the policy to a shared
	// folder (\\server\share\frontdesk-notes.json) every desk reads the
	// same notes. Empty: desk-notes.json in the state folder.
	NotesFile    string           `toml:"notes_file,omitempty"`
	Microsoft365 M365Config       `toml:"microsoft365"`
	EWS          EWSConfig        `toml:"ews"`
	People       PeopleConfig     `toml:"people"`
	Actions      ActionsConfig    `toml:"actions"`
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

// ActionsConfig is how the console reaches a colleague.
type ActionsConfig struct {
	// CallURI is the template a number is called through, with {number}
	// and {email}: "tel:{number}", "sip:{email}", a Teams link.
	CallURI string `toml:"call_uri"`
	// DialPrefix is dialled before every number (an outside line).
	DialPrefix string `toml:"dial_prefix,omitempty"`
	// ChatURI is the template a Teams chat opens through, with {email} and
	// {text} (the message, typed in but not sent).
	ChatURI string `toml:"chat_uri"`
	// MessageTemplates replace the console's own (translated) list of
	// messages the operator picks for a chat or an email; {name}, {caller},
	// {number} and {time} are filled in. Empty: the console's own.
	MessageTemplates []string `toml:"message_templates,omitempty"`
	// MessageRetention is how long the messages taken are kept in the
	// local message log ("30d", "720h"); older ones are deleted.
	MessageRetention Duration `toml:"message_retention"`
	// FreeSoonMinutes is how near the end of a free period a colleague
	// reads "Free for 10 min · then 1:1" in amber rather than plain free.
	FreeSoonMinutes int `toml:"free_soon_minutes"`
}

// Bounds of actions.message_retention: a message taken in the morning is
// still there at the end of the day, and the log of personal data is never
// kept longer than a year.
const (
	minMessageRetention = 24 * time.Hour
	maxMessageRetention = 366 * 24 * time.Hour
)

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
		Photos:          true,
		Rooms:           true,
		Microsoft365:    M365Config{Tenant: "organizations", Cloud: "global", Presence: true},
		EWS:             EWSConfig{Version: ews.DefaultVersion, Auth: "basic"},
		Actions:         ActionsConfig{CallURI: calendar.DefaultCallURI, ChatURI: calendar.DefaultChatURI, MessageRetention: Duration{messagelog.DefaultRetention}, FreeSoonMinutes: int(calendar.SoonWithin / time.Minute)},
	}
}

// ConfigError names the file, the key and the problem, so an admin can fix it
// without reading the log.
type ConfigError struct {
	File string
	Key  string
	// Problem is what is wrong, in English: a literal whose variable parts are
	// {{.Name}} placeholders filled from ProblemArgs, so the window can
	// translate the whole sentence (OperatorProblem) while Error(), read by
	// logs, status --json and the headless commands, stays English.
	Problem string
	// ProblemArgs holds the values of Problem's placeholders, by name.
	ProblemArgs map[string]any
	// Err is the cause when there is no Problem of our own: another
	// package's text (a file that cannot be read, the TOML parser's
	// complaint), which the window shows as it is.
	Err error
}

// Error is the file, the key and the problem in English, for logs, status
// --json and the headless commands. A value quoted back (a URL with
// user:password@, a token pasted into the wrong key) must not carry a secret
// to the terminal or the log.
func (e *ConfigError) Error() string { return scrubText(e.location() + e.ProblemText()) }

// ProblemText is the problem in English with its placeholders filled.
func (e *ConfigError) ProblemText() string {
	if e.Problem == "" && e.Err != nil {
		return fileSafe(e.Err.Error())
	}
	return calendar.FillTemplate(e.Problem, safeArgs(e.ProblemArgs, fileSafe))
}

// safeArgs is args with every string passed through safe. A value quoted
// from a file (the parser's complaint quotes the broken line) may hold ESC
// sequences that would retitle the operator's terminal.
func safeArgs(args map[string]any, safe func(string) string) map[string]any {
	out := make(map[string]any, len(args))
	for name, v := range args {
		if s, ok := v.(string); ok {
			v = safe(s)
		}
		out[name] = v
	}
	return out
}

// OperatorProblem is the problem in the operator's language once the console
// has registered its translations; English otherwise, as ProblemText.
func (e *ConfigError) OperatorProblem() string {
	if e.Problem == "" && e.Err != nil {
		return scrubText(fileSafe(e.Err.Error()))
	}
	// A value quoted back (a URL with user:password@, a token pasted into the
	// wrong key) must not carry a secret to the window. The values are scrubbed,
	// not the sentence: "the password: use https" is no secret.
	args := safeArgs(e.ProblemArgs, func(s string) string { return scrubText(fileSafe(s)) })
	// The English literal is its own key in the translation files.
	return lang.L(e.Problem, args)
}

// operatorText is Error() with the problem in the operator's language.
func (e *ConfigError) operatorText() string {
	return e.location() + e.OperatorProblem()
}

// location is "file: key: ", as much of it as is known.
func (e *ConfigError) location() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(fileSafe(e.File) + ": ")
	}
	if e.Key != "" {
		b.WriteString(fileSafe(e.Key) + ": ")
	}
	return b.String()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// Loaded is the effective configuration and where it came from.
type Loaded struct {
	Config Config
	// User is the per-user file alone: what Save writes back.
	User Config
	// Locked lists the keys the admin policy set ("refresh_interval", "ews.url").
	Locked map[string]bool
	// Warnings are problems worth logging that do not stop Frontdesk (unknown keys).
	Warnings []string
	// PolicyDistrust says why the policy file is not obeyed (its owner, its
	// permissions, or those of a folder above it); nil when it is trusted.
	PolicyDistrust error
	// PolicyKept is true when, the policy being untrusted or gone, the locks
	// come from the copy of the last trusted one kept in the state folder.
	PolicyKept bool
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
	effective.Actions.MessageTemplates = slices.Clone(user.Actions.MessageTemplates)
	policy, distrust, kept, err := policyInForce(p)
	if err != nil {
		return nil, err
	}
	policyFile := p.PolicyFile
	if distrust != nil {
		l.PolicyDistrust, l.PolicyKept = distrust, kept
		if kept {
			policyFile = lastTrustedPolicyPath(p)
		}
		l.Warnings = append(l.Warnings, policyDistrustWarning(p, distrust, kept))
	}
	if err := decodeData(policyFile, policy, &effective, l.Locked, &l.Warnings); err != nil {
		return nil, err
	}
	if distrust == nil && len(policy) > 0 {
		keepTrustedPolicy(p, policy)
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

// policyDistrustWarning says which policy file was ignored and why, and
// whether the locks of its last trusted copy still apply.
func policyDistrustWarning(p Paths, distrust error, kept bool) string {
	if kept {
		return fmt.Sprintf("%s: ignored, because %v: an admin policy must be owned by %s and writable by no one else; the locks of its last trusted copy (%s) still apply", p.PolicyFile, distrust, policyOwnerName, lastTrustedPolicyPath(p))
	}
	return fmt.Sprintf("%s: ignored, because %v: an admin policy must be owned by %s and writable by no one else", p.PolicyFile, distrust, policyOwnerName)
}

// trustPolicyFolder decides whether the folders holding the policy file may
// be trusted (policyFolderTrusted): whoever may write one of them may delete
// the policy. Tests of everything else that the policy does replace it.
var trustPolicyFolder = policyFolderTrusted

// lastTrustedPolicyPath is where the last policy that was read trusted is
// kept, so that an untrusted folder cannot lift its locks by deleting it.
func lastTrustedPolicyPath(p Paths) string {
	return filepath.Join(p.StateDir, "policy.last-trusted.toml")
}

// policyInForce is the policy to apply and, when the policy file cannot be
// trusted, why. Trusted (the file and every folder above it root-owned and
// writable by no one else): the file, or nothing when it is gone, since only
// an administrator could have removed it; the kept copy is then dropped.
// Untrusted, or gone from a folder others may write: the copy of the last
// trusted policy (kept is true) when there is one, so nothing unlocks
// silently; otherwise nothing, as before a policy was ever seen.
func policyInForce(p Paths) (data []byte, distrust error, kept bool, err error) {
	if p.PolicyFile == "" {
		return nil, nil, false, nil
	}
	data, distrust, err = readPolicyFile(p.PolicyFile)
	if err != nil {
		return nil, nil, false, err
	}
	_, statErr := os.Lstat(p.PolicyFile)
	present := statErr == nil
	if distrust == nil {
		distrust = trustPolicyFolder(p.PolicyFile)
	}
	if distrust == nil {
		if !present && p.StateDir != "" {
			_ = os.Remove(lastTrustedPolicyPath(p))
		}
		return data, nil, false, nil
	}
	copied, copyErr := readSettingsFile(lastTrustedPolicyPath(p))
	if p.StateDir == "" || copyErr != nil || len(copied) == 0 {
		if !present {
			return nil, nil, false, nil // nothing to enforce, nothing was ever seen
		}
		return nil, distrust, false, nil
	}
	if !present {
		distrust = fmt.Errorf("it is missing, and %w", distrust)
	}
	return copied, distrust, true, nil
}

// keepTrustedPolicy saves the policy just read trusted in the state folder,
// when it differs from the copy there.
func keepTrustedPolicy(p Paths, policy []byte) {
	if p.StateDir == "" {
		return
	}
	path := lastTrustedPolicyPath(p)
	if old, err := readSettingsFile(path); err == nil && bytes.Equal(old, policy) {
		return
	}
	if err := os.MkdirAll(p.StateDir, 0o700); err == nil {
		_ = auth.WriteFileAtomic(path, policy)
	}
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
	f, err := openSettingsFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, &ConfigError{File: path, Err: err}
	}
	defer f.Close()
	if distrust := trustPolicyFile(f); distrust != nil {
		return nil, distrust, nil
	}
	data, err = readSettings(path, f)
	if err != nil {
		return nil, nil, err
	}
	return data, nil, nil
}

func decodeFile(path string, into *Config, keys map[string]bool, warnings *[]string) error {
	if path == "" {
		return nil
	}
	data, err := readSettingsFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return decodeData(path, data, into, keys, warnings)
}

// decodeData overlays the TOML in data (read from path) onto into; keys, if
// not nil, collects the keys it set. Empty data changes nothing.
func decodeData(path string, data []byte, into *Config, keys map[string]bool, warnings *[]string) error {
	if len(data) == 0 {
		return nil
	}
	if err := checkSettingsShape(path, data); err != nil {
		return err
	}
	md, err := toml.Decode(string(data), into)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			key := pe.LastKey
			if key == "" {
				key = keyOnLine(string(data), pe.Position.Line)
			}
			return &ConfigError{File: path, Key: key, Problem: "line {{.Line}}: {{.Message}}",
				ProblemArgs: map[string]any{"Line": pe.Position.Line, "Message": pe.Message}}
		}
		if m := typeMismatch.FindStringSubmatch(err.Error()); m != nil {
			// A value of the wrong type (free_soon_minutes = "15m") names its
			// key too, as a syntax error does.
			line, _ := strconv.Atoi(m[1])
			return &ConfigError{File: path, Key: m[2], Problem: "line {{.Line}}: {{.Message}}",
				ProblemArgs: map[string]any{"Line": line, "Message": m[3]}}
		}
		return &ConfigError{File: path, Err: err}
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

// typeMismatch is how the TOML decoder words a value of the wrong type:
// `toml: line 3 (last key "actions.free_soon_minutes"): incompatible types: …`.
var typeMismatch = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]+)"\): (.*)$`)

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
	// bad is the problem with key: an English literal, its variable parts
	// {{.Name}} placeholders filled from args (quoted values come quoted).
	bad := func(key, problem string, args map[string]any) error {
		return &ConfigError{Key: key, Problem: problem, ProblemArgs: args}
	}
	if !slices.Contains([]string{ProviderM365, ProviderEWS, ProviderDemo}, c.Provider) {
		return bad("provider", "{{.Value}} is not one of microsoft365, ews, demo", quoted(c.Provider))
	}
	interval := map[string]any{"Interval": calendar.FormatInterval(c.RefreshInterval.Duration)}
	if c.RefreshInterval.Duration < calendar.MinFastInterval {
		interval["Floor"] = calendar.FormatInterval(calendar.MinFastInterval)
		return bad("refresh_interval", "{{.Interval}} is under the {{.Floor}} floor", interval)
	}
	if c.RefreshInterval.Duration < calendar.MinInterval && !c.Policy.AllowFastRefresh {
		return bad("refresh_interval", "{{.Interval}} is under the 30s minimum that protects the account from throttling (an admin policy can allow it)", interval)
	}
	if c.RefreshInterval.Duration > 24*time.Hour {
		return bad("refresh_interval", "{{.Interval}} is longer than a day", interval)
	}
	if c.TimeZone != "" {
		if _, err := time.LoadLocation(c.TimeZone); err != nil {
			return bad("time_zone", `{{.Value}} is not an IANA time zone such as "Europe/Paris"`, quoted(c.TimeZone))
		}
	}
	if c.LogLevel != "" {
		var lvl slog.Level
		if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
			return bad("log_level", "{{.Value}} is not one of debug, info, warn, error", quoted(c.LogLevel))
		}
	}
	if c.NotesFile != "" && !filepath.IsAbs(c.NotesFile) {
		return bad("notes_file", `{{.Value}} is not a full path such as "\\server\share\frontdesk-notes.json" or "/srv/frontdesk/notes.json"`, quoted(c.NotesFile))
	}
	switch c.Provider {
	case ProviderM365:
		m := c.Microsoft365
		if m.ClientID == "" {
			return bad("microsoft365.client_id", "is empty: set the Application (client) ID of your Entra app registration", nil)
		}
		if !guidPattern.MatchString(m.ClientID) {
			return bad("microsoft365.client_id", "{{.Value}} is not a GUID", quoted(m.ClientID))
		}
		if m.Tenant == "" {
			return bad("microsoft365.tenant", `is empty: use your tenant's GUID, domain or "organizations"`, nil)
		}
		if strings.ContainsAny(m.Tenant, "/ ?#") {
			return bad("microsoft365.tenant", `{{.Value}} must be a GUID, a domain or "organizations"`, quoted(m.Tenant))
		}
		if !slices.Contains(clouds, m.Cloud) {
			args := quoted(m.Cloud)
			args["Choices"] = strings.Join(clouds, ", ")
			return bad("microsoft365.cloud", "{{.Value}} is not one of {{.Choices}}", args)
		}
		if m.AuthorityURL != "" {
			if ce := httpsURL(m.AuthorityURL, false); ce != nil {
				ce.Key = "microsoft365.authority_url"
				return ce
			}
		}
		if m.GraphURL != "" {
			// Plain http only to this machine, for a local test server.
			if ce := httpsURL(m.GraphURL, true); ce != nil {
				ce.Key = "microsoft365.graph_url"
				return ce
			}
		}
	case ProviderEWS:
		e := c.EWS
		if e.URL == "" {
			return bad("ews.url", "is empty: set your Exchange server's EWS address, such as https://mail.contoso.com/EWS/Exchange.asmx", nil)
		}
		u, err := url.Parse(e.URL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return bad("ews.url", "{{.Value}} is not an http(s) address", quoted(scrubText(e.URL)))
		}
		if u.User != nil {
			return bad("ews.url", `{{.Value}} holds a user name or password. Take them out of the address, set ews.username, and store the password with "frontdesk ews-password"`, quoted(scrubText(e.URL)))
		}
		if !slices.Contains(ewsAuths, e.Auth) {
			return bad("ews.auth", "{{.Value}} is not one of basic, ntlm", quoted(e.Auth))
		}
		if u.Scheme == "http" {
			// NTLM sends no password, but its answer can be cracked offline
			// and relayed: plain http is as unsafe for it as for Basic.
			return bad("ews.url", "{{.Auth}} authentication over plain http would expose the password. Use https", map[string]any{"Auth": e.Auth})
		}
		if !slices.Contains(ewsVersions, e.Version) {
			args := quoted(e.Version)
			args["Choices"] = strings.Join(ewsVersions, ", ")
			return bad("ews.version", "{{.Value}} is not one of {{.Choices}}", args)
		}
		if e.Username == "" {
			return bad("ews.username", "is empty: set the account Frontdesk signs in to Exchange with", nil)
		}
		if e.CAFile != "" {
			if ce := checkCABundle(e.CAFile); ce != nil {
				ce.Key = "ews.ca_file"
				return ce
			}
		}
	}
	for i, e := range c.People.Emails {
		if _, err := mail.ParseAddress(e); err != nil {
			return bad("people.emails", "entry {{.Entry}} ({{.Value}}) is not an email address", entry(i, e))
		}
	}
	for i, e := range c.People.Favourites {
		if _, err := mail.ParseAddress(e); err != nil {
			return bad("people.favourites", "entry {{.Entry}} ({{.Value}}) is not an email address", entry(i, e))
		}
	}
	if c.Actions.CallURI == "" {
		return bad("actions.call_uri", `is empty: use "tel:{number}", or a template with {number} or {email}`, nil)
	}
	if p := calendar.UnknownCallPlaceholder(c.Actions.CallURI); p != "" {
		args := quoted(c.Actions.CallURI)
		args["Placeholder"] = p
		return bad("actions.call_uri", "{{.Value}} uses {{.Placeholder}}: only {number} and {email} are known", args)
	}
	if u, err := url.Parse(strings.NewReplacer("{number}", "1", "{email}", "a").Replace(c.Actions.CallURI)); err != nil || u.Scheme == "" {
		return bad("actions.call_uri", `{{.Value}} is not an address such as "tel:{number}"`, quoted(c.Actions.CallURI))
	}
	if err := c.Actions.validateMessages(bad); err != nil {
		return err
	}
	if !calendar.ValidDialPrefix(c.Actions.DialPrefix) {
		return bad("actions.dial_prefix", "{{.Value}} may hold only digits, * and #", quoted(c.Actions.DialPrefix))
	}
	if r := c.Actions.MessageRetention.Duration; r < minMessageRetention || r > maxMessageRetention {
		return bad("actions.message_retention", `{{.Value}} is not between one day ("1d") and a year ("366d")`, quoted(calendar.FormatInterval(r)))
	}
	if m := c.Actions.FreeSoonMinutes; m < int(calendar.MinSoonWithin/time.Minute) || m > int(calendar.MaxSoonWithin/time.Minute) {
		return freeSoonProblem(strconv.Itoa(m))
	}
	if c.People.All && c.Provider == ProviderEWS {
		return bad("people.all", "the whole directory is only available with microsoft365; use people.group with a distribution list", nil)
	}
	return nil
}

// freeSoonProblem is the problem with actions.free_soon_minutes: out of
// range in a file, or not a number in Settings.
func freeSoonProblem(minutes string) error {
	return &ConfigError{Key: "actions.free_soon_minutes", Problem: "{{.Minutes}} is not a number of minutes from {{.Min}} to {{.Max}} (the default is {{.Default}})",
		ProblemArgs: map[string]any{"Minutes": minutes, "Min": int(calendar.MinSoonWithin / time.Minute), "Max": int(calendar.MaxSoonWithin / time.Minute), "Default": int(calendar.SoonWithin / time.Minute)}}
}

// notesFolderProblem refuses a notes file whose folder does not exist (a
// share not mounted, a typo): the notes would be lost at the first save.
// It reads the disk, so Settings asks it on Save, off the window's
// goroutine, not at each key typed.
func notesFolderProblem(path string) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	return &ConfigError{Key: "notes_file", Problem: "the folder {{.Folder}} does not exist: create it, or choose another",
		ProblemArgs: map[string]any{"Folder": dir}}
}

// validateMessages checks the chat template and the message templates; bad
// is Validate's, so the problems are found by the translation test.
func (a *ActionsConfig) validateMessages(bad func(key, problem string, args map[string]any) error) error {
	if a.ChatURI == "" {
		return bad("actions.chat_uri", `is empty: use "https://teams.microsoft.com/l/chat/0/0?users={email}&message={text}"`, nil)
	}
	if p := calendar.UnknownChatPlaceholder(a.ChatURI); p != "" {
		args := quoted(a.ChatURI)
		args["Placeholder"] = p
		return bad("actions.chat_uri", "{{.Value}} uses {{.Placeholder}}: only {email} and {text} are known", args)
	}
	if !strings.Contains(a.ChatURI, "{email}") {
		return bad("actions.chat_uri", "{{.Value}} has no {email}: the chat would not reach the colleague", quoted(a.ChatURI))
	}
	if u, err := url.Parse(strings.NewReplacer("{email}", "a", "{text}", "t").Replace(a.ChatURI)); err != nil || u.Scheme == "" {
		return bad("actions.chat_uri", `{{.Value}} is not an address such as "https://teams.microsoft.com/l/chat/0/0?users={email}&message={text}"`, quoted(a.ChatURI))
	}
	for i, m := range a.MessageTemplates {
		if strings.TrimSpace(m) == "" {
			return bad("actions.message_templates", "entry {{.Entry}} is empty", entry(i, m))
		}
		if p := calendar.UnknownMessagePlaceholder(m); p != "" {
			args := entry(i, m)
			args["Placeholder"] = p
			return bad("actions.message_templates", "entry {{.Entry}} ({{.Value}}) uses {{.Placeholder}}: only {name}, {caller}, {number} and {time} are known", args)
		}
	}
	return nil
}

// quoted is the placeholder for a value quoted back as %q would.
func quoted(value string) map[string]any { return map[string]any{"Value": strconv.Quote(value)} }

// entry is the placeholders for the i-th value of a list, counted from 1.
func entry(i int, value string) map[string]any {
	args := quoted(value)
	args["Entry"] = i + 1
	return args
}

// httpsURL accepts an https address, or plain http to this machine when
// allowLoopbackHTTP. The address is quoted back with any user:password@
// removed, and one that holds userinfo is refused: a secret has no place in
// a setting. The caller names the key.
func httpsURL(raw string, allowLoopbackHTTP bool) *ConfigError {
	address := quoted(scrubText(raw))
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return &ConfigError{Problem: "{{.Value}} is not an address", ProblemArgs: address}
	}
	if u.User != nil {
		return &ConfigError{Problem: "{{.Value}} holds a user name or password. Take them out of the address", ProblemArgs: address}
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && allowLoopbackHTTP && calendar.IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return &ConfigError{Problem: "{{.Value}} must use https", ProblemArgs: address}
}

// checkCABundle reads the CA file as the EWS client will; the caller names the key.
func checkCABundle(path string) *ConfigError {
	pem, err := os.ReadFile(path)
	if err != nil {
		return &ConfigError{Err: err}
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return &ConfigError{Problem: "{{.Path}} holds no PEM certificate", ProblemArgs: map[string]any{"Path": path}}
	}
	return nil
}

// SaveUserConfig writes c to the per-user file atomically: a crash mid-write
// leaves the previous file whole. A file that parses is edited in place
// (editConfigText): only the keys whose value changed are written, and the
// admin's comments, order and unknown keys stay. A missing or empty file,
// or one that does not parse (Settings fixing it), is written whole from c.
func SaveUserConfig(path string, c Config) error {
	data, err := readSettingsFile(path)
	if err == nil && len(bytes.TrimSpace(data)) > 0 {
		if edited, err := editConfigText(data, c); err == nil {
			return auth.WriteFileAtomic(path, edited)
		}
	}
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
		if data, mErr := readSettingsFile(p.ConfigFile); mErr == nil {
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
