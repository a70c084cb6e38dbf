package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// runWritePolicy runs `frontdesk write-policy args...` in-process, as the
// MSI's custom action runs the installed exe.
func runWritePolicy(t *testing.T, p Paths, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Paths: p}
	code = env.run(context.Background(), append([]string{"write-policy"}, args...))
	return code, out.String(), errOut.String()
}

func TestWritePolicyProvisionsLockedKeys(t *testing.T) {
	p := testPaths(t)
	code, _, stderr := runWritePolicy(t, p,
		"--provider", "microsoft365",
		"--tenant", "contoso.onmicrosoft.com",
		"--client-id", "11111111-2222-3333-4444-555555555555",
		"--cloud", "usgov",
		"--refresh-interval", "2m",
		// Empty values are the MSI's unset properties: they must not lock anything.
		"--ews-url", "", "--ews-version", "",
	)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	info, err := os.Stat(p.PolicyFile)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o644 {
		t.Errorf("policy mode %04o, want 0644: every operator reads it, only its writer changes it", perm)
	}
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatalf("the written policy does not load: %v", err)
	}
	wantLocked := []string{"provider", "refresh_interval", "microsoft365.tenant", "microsoft365.client_id", "microsoft365.cloud"}
	for _, k := range wantLocked {
		if !l.IsLocked(k) {
			t.Errorf("%s not locked", k)
		}
	}
	for _, k := range []string{"ews.url", "ews.version"} {
		if l.IsLocked(k) {
			t.Errorf("%s locked by an empty property", k)
		}
	}
	c := l.Config
	if c.Microsoft365.Tenant != "contoso.onmicrosoft.com" || c.Microsoft365.Cloud != "usgov" || c.RefreshInterval.Minutes() != 2 {
		t.Errorf("loaded %+v", c)
	}
}

func TestWritePolicyEveryProperty(t *testing.T) {
	// Each MSI property reaches its key: the mapping the installer documents.
	values := map[string]string{
		"provider":               "ews",
		"refresh_interval":       "90s",
		"microsoft365.tenant":    "fabrikam.com",
		"microsoft365.client_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"microsoft365.cloud":     "china",
		"ews.url":                `https://mail.fabrikam.com/EWS/Exchange.asmx?x="quoted"\back`,
		"ews.version":            "Exchange2010_SP2",
	}
	var args []string
	for _, k := range ProvisionedKeys {
		v, ok := values[k.Key]
		if !ok {
			t.Fatalf("test has no value for %s", k.Key)
		}
		args = append(args, "--"+k.Flag+"="+v)
	}
	p := testPaths(t)
	if code, _, stderr := runWritePolicy(t, p, args...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc map[string]any
	if _, err := toml.DecodeFile(p.PolicyFile, &doc); err != nil {
		t.Fatal(err)
	}
	for key, want := range values {
		got := doc[key]
		if table, name, ok := strings.Cut(key, "."); ok {
			got = doc[table].(map[string]any)[name]
		}
		if got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

func TestWritePolicyKeepsWhatItIsNotGiven(t *testing.T) {
	p := testPaths(t)
	write(t, p.PolicyFile, `# IT's own comment
provider = "microsoft365"
refresh_interval = "5m"
[microsoft365]
tenant = "old.example.com"
client_id = "11111111-2222-3333-4444-555555555555"
[people]
group = "reception@contoso.com"
[policy]
allow_fast_refresh = true
`)
	if code, _, stderr := runWritePolicy(t, p, "--tenant", "new.example.com"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := l.Config
	if c.Microsoft365.Tenant != "new.example.com" {
		t.Errorf("tenant %q not replaced", c.Microsoft365.Tenant)
	}
	if c.RefreshInterval.Minutes() != 5 || c.People.Group != "reception@contoso.com" || !c.Policy.AllowFastRefresh ||
		c.Microsoft365.ClientID != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("keys the installer was not given changed: %+v", c)
	}
}

func TestWritePolicyWithoutValuesWritesNothing(t *testing.T) {
	// A repair or an upgrade run without properties passes every flag empty.
	p := testPaths(t)
	var args []string
	for _, k := range ProvisionedKeys {
		args = append(args, "--"+k.Flag+"=")
	}
	if code, _, stderr := runWritePolicy(t, p, args...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(p.PolicyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a policy file appeared with nothing to lock (stat: %v)", err)
	}
	write(t, p.PolicyFile, "refresh_interval = \"3m\"\n")
	if code, _, stderr := runWritePolicy(t, p, args...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(p.PolicyFile); string(data) != "refresh_interval = \"3m\"\n" {
		t.Errorf("existing policy rewritten: %q", data)
	}
}

func TestWritePolicyRefusesBadValues(t *testing.T) {
	tests := []struct {
		args         []string
		wantProperty string
	}{
		{[]string{"--client-id", "frontdesk"}, "CLIENT_ID"},
		{[]string{"--tenant", "contoso.com/evil"}, "TENANT"},
		{[]string{"--cloud", "moon"}, "CLOUD"},
		{[]string{"--provider", "gmail"}, "PROVIDER"},
		{[]string{"--refresh-interval", "10s"}, "REFRESH_INTERVAL"},
		{[]string{"--refresh-interval", "often"}, "REFRESH_INTERVAL"},
		{[]string{"--ews-url", "http://mail.contoso.com/EWS/Exchange.asmx"}, "EWS_URL"},
		{[]string{"--ews-url", "https://user:secret@mail.contoso.com/EWS/Exchange.asmx"}, "EWS_URL"},
		{[]string{"--ews-version", "Exchange2003"}, "EWS_VERSION"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			p := testPaths(t)
			const before = "provider = \"demo\"\n"
			write(t, p.PolicyFile, before)
			code, _, stderr := runWritePolicy(t, p, tt.args...)
			if code != ExitConfig {
				t.Fatalf("exit %d, want %d; stderr: %s", code, ExitConfig, stderr)
			}
			if !strings.Contains(stderr, tt.wantProperty) || !strings.Contains(stderr, p.PolicyFile) {
				t.Errorf("message does not name the property %s and the file: %s", tt.wantProperty, stderr)
			}
			if strings.Contains(strings.ReplaceAll(stderr, p.PolicyFile, ""), "secret") {
				t.Errorf("message repeats a password: %s", stderr)
			}
			if data, _ := os.ReadFile(p.PolicyFile); string(data) != before {
				t.Errorf("policy changed by a refused value: %q", data)
			}
		})
	}
}

func TestWritePolicyReplacesAnUntrustedFile(t *testing.T) {
	// A policy Frontdesk would ignore (a user's own file) is not merged into
	// the one the installer writes as an administrator.
	saved := trustPolicyFile
	t.Cleanup(func() { trustPolicyFile = saved })
	trustPolicyFile = func(*os.File) error { return errors.New("owned by a user") }

	p := testPaths(t)
	write(t, p.PolicyFile, "[policy]\nallow_fast_refresh = true\n")
	if code, _, stderr := runWritePolicy(t, p, "--tenant", "contoso.com"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc map[string]any
	if _, err := toml.DecodeFile(p.PolicyFile, &doc); err != nil {
		t.Fatal(err)
	}
	if _, planted := doc["policy"]; planted || doc["microsoft365"].(map[string]any)["tenant"] != "contoso.com" {
		t.Errorf("policy written: %v", doc)
	}
}

func TestWritePolicyLeavesAnUnreadableFileAlone(t *testing.T) {
	p := testPaths(t)
	const broken = "provider = microsoft365\n"
	write(t, p.PolicyFile, broken)
	code, _, stderr := runWritePolicy(t, p, "--tenant", "contoso.com")
	if code != ExitConfig || !strings.Contains(stderr, p.PolicyFile) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(p.PolicyFile); string(data) != broken {
		t.Errorf("unreadable policy overwritten: %q", data)
	}
}

func TestWritePolicyRemove(t *testing.T) {
	t.Run("file and empty folder go", func(t *testing.T) {
		p := testPaths(t)
		write(t, p.PolicyFile, "provider = \"demo\"\n")
		if code, _, stderr := runWritePolicy(t, p, "--remove"); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, err := os.Stat(filepath.Dir(p.PolicyFile)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("policy folder left behind (stat: %v)", err)
		}
	})
	t.Run("folder with other files stays", func(t *testing.T) {
		p := testPaths(t)
		write(t, p.PolicyFile, "provider = \"demo\"\n")
		other := filepath.Join(filepath.Dir(p.PolicyFile), "ca.pem")
		write(t, other, "x")
		if code, _, stderr := runWritePolicy(t, p, "--remove"); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, err := os.Stat(p.PolicyFile); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("policy not removed")
		}
		if _, err := os.Stat(other); err != nil {
			t.Errorf("another file in the folder was removed: %v", err)
		}
	})
	t.Run("nothing to remove is fine", func(t *testing.T) {
		p := testPaths(t)
		if code, _, stderr := runWritePolicy(t, p, "--remove"); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
}

func TestProvisionedKeysAreConfigKeys(t *testing.T) {
	// A key the configuration does not know would be written, then ignored
	// with a warning on every start: the lock would silently not hold.
	var flags, properties []string
	for _, k := range ProvisionedKeys {
		if slices.Contains(flags, k.Flag) || slices.Contains(properties, k.Property) {
			t.Errorf("%s / --%s listed twice", k.Property, k.Flag)
		}
		flags, properties = append(flags, k.Flag), append(properties, k.Property)
		src := k.Key + " = \"60s\"\n"
		if table, name, nested := strings.Cut(k.Key, "."); nested {
			src = "[" + table + "]\n" + name + " = \"60s\"\n"
		}
		var c Config
		md, err := toml.Decode(src, &c)
		if err != nil {
			t.Errorf("%s: %v", k.Key, err)
			continue
		}
		if len(md.Undecoded()) != 0 {
			t.Errorf("%s is not a configuration key", k.Key)
		}
	}
}
