package app

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/frontdesk-app/frontdesk/auth"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// ProvisionedKey is one setting an installer can lock for every user of a
// machine: the Windows MSI's public property, the write-policy flag it is
// passed as, and the key in the policy file.
type ProvisionedKey struct {
	Property string // MSI public property, as IT types it on msiexec's command line
	Flag     string // frontdesk write-policy --flag
	Key      string // dotted key in policy.toml
}

// ProvisionedKeys is the whole property-to-policy mapping; packaging/windows
// builds the MSI's custom action from the same list (package-check compares).
var ProvisionedKeys = []ProvisionedKey{
	{"PROVIDER", "provider", "provider"},
	{"REFRESH_INTERVAL", "refresh-interval", "refresh_interval"},
	{"TENANT", "tenant", "microsoft365.tenant"},
	{"CLIENT_ID", "client-id", "microsoft365.client_id"},
	{"CLOUD", "cloud", "microsoft365.cloud"},
	{"EWS_URL", "ews-url", "ews.url"},
	{"EWS_VERSION", "ews-version", "ews.version"},
}

// cmdWritePolicy is the installer's way to provision a machine: the MSI runs
// it as SYSTEM (a deferred custom action) with its public properties, so
// `msiexec /i frontdesk.msi /qn TENANT=... CLIENT_ID=...` leaves a policy file
// every user's Frontdesk obeys. It only sets the keys it is given a value for:
// a repair or an upgrade without properties keeps what IT provisioned before.
// Values are checked with the configuration's own rules before anything is
// written, so a typo fails the installation instead of every console later.
func (env *Env) cmdWritePolicy(args []string) int {
	fset := env.newFlagSet("write-policy")
	file := fset.String("file", env.Paths.PolicyFile, "policy file to write")
	remove := fset.Bool("remove", false, "delete the policy file (the uninstaller's step) instead of writing it")
	values := make(map[string]*string, len(ProvisionedKeys))
	for _, k := range ProvisionedKeys {
		values[k.Key] = fset.String(k.Flag, "", fmt.Sprintf("%s (MSI property %s); empty: leave as it is", k.Key, k.Property))
	}
	if err := fset.Parse(args); err != nil {
		return ExitConfig
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "frontdesk write-policy: unexpected argument %q\n", fset.Arg(0))
		return ExitConfig
	}
	if *remove {
		if err := RemovePolicy(*file); err != nil {
			fmt.Fprintf(env.Stderr, "frontdesk write-policy: %v\n", err)
			return ExitConfig
		}
		fmt.Fprintf(env.Stdout, "Removed %s\n", *file)
		return ExitOK
	}
	set := map[string]string{}
	for key, v := range values {
		if s := strings.TrimSpace(*v); s != "" {
			set[key] = s
		}
	}
	if err := WritePolicy(*file, set); err != nil {
		fmt.Fprintf(env.Stderr, "frontdesk write-policy: %v\n", err)
		return ExitConfig
	}
	if len(set) == 0 {
		fmt.Fprintf(env.Stdout, "No setting given: %s left as it was\n", *file)
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "Wrote %s\n", *file)
	return ExitOK
}

const policyHeader = `# Frontdesk admin policy: every key set here overrides each user's setting
# and locks it in the settings window. Written by "frontdesk write-policy"
# (the Windows installer runs it with the TENANT, CLIENT_ID, ... properties);
# the installer only changes the keys it is given, and removes this file on
# uninstall. Same keys as config.toml (see the README).
`

// WritePolicy sets the given dotted keys (see ProvisionedKeys) in the policy
// file, keeping every other key already there. Nothing is written when set
// is empty, or when a value or the resulting file would not load.
func WritePolicy(path string, set map[string]string) error {
	if len(set) == 0 {
		return nil
	}
	// An existing file is merged only when Frontdesk would honour it: keys a
	// user planted in a file they own must not become policy because an
	// administrator's installer rewrote it. Such a file is replaced.
	data, _, err := readPolicyFile(path)
	if err != nil {
		return err
	}
	if err := checkSettingsShape(path, data); err != nil {
		return err
	}
	doc := map[string]any{}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return &ConfigError{File: path, Problem: "cannot be read, so it was left as it is: {{.Reason}}", ProblemArgs: map[string]any{"Reason": err.Error()}, Err: err}
	}
	for key, value := range set {
		if err := setDotted(doc, key, value); err != nil {
			return &ConfigError{File: path, Key: key, Err: err}
		}
	}
	var buf bytes.Buffer
	buf.WriteString(policyHeader)
	if err := toml.NewEncoder(&buf).Encode(doc); err != nil {
		return &ConfigError{File: path, Err: err}
	}
	if err := validatePolicy(buf.String()); err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) {
			ce.File = path
			if p := propertyOf(ce.Key); p != "" {
				ce.Key = p + " (" + ce.Key + ")"
			}
		}
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := securePolicyFolder(filepath.Dir(path)); err != nil {
		return err
	}
	return writeReadableFile(path, buf.Bytes())
}

// RemovePolicy deletes the policy file, and its folder when nothing else is
// in it. A file that is already gone is not an error: uninstalling twice, or
// after IT removed it by hand, must succeed.
func RemovePolicy(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// Fails harmlessly while the folder holds anything else.
	_ = os.Remove(filepath.Dir(path))
	return nil
}

func setDotted(doc map[string]any, key, value string) error {
	table, name, nested := strings.Cut(key, ".")
	if !nested {
		doc[key] = value
		return nil
	}
	sub, ok := doc[table].(map[string]any)
	if !ok {
		if _, taken := doc[table]; taken {
			return fmt.Errorf("%s is not a table in the existing file", table)
		}
		sub = map[string]any{}
		doc[table] = sub
	}
	sub[name] = value
	return nil
}

func propertyOf(key string) string {
	for _, k := range ProvisionedKeys {
		if k.Key == key {
			return k.Property
		}
	}
	return ""
}

// validatePolicy applies Config.Validate to the policy over a base in which
// everything else is valid, once per provider, so every key the policy sets
// is checked by the same rules the console loads it with, whichever provider
// the users end up on.
func validatePolicy(policy string) error {
	base := DefaultConfig()
	base.Microsoft365.ClientID = "00000000-0000-0000-0000-000000000000"
	base.EWS.URL = "https://mail.example.com/EWS/Exchange.asmx"
	base.EWS.Username = "placeholder"
	if _, err := toml.Decode(policy, &base); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return &ConfigError{Key: pe.LastKey, Err: errors.New(pe.Message)}
		}
		return &ConfigError{Err: err}
	}
	if err := base.Validate(); err != nil {
		return err
	}
	for _, provider := range []string{ProviderM365, ProviderEWS} {
		c := base
		c.Provider = provider
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// writeReadableFile replaces path atomically with a file every user can read
// (the policy is not secret; Frontdesk runs as each operator) and only its
// writer can change.
func writeReadableFile(path string, data []byte) error {
	return auth.WriteFileAtomicMode(path, data, 0o644, 0o755)
}
