package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
)

// authTestKeyring is an in-memory keyring that can act locked.
type authTestKeyring struct {
	mu     sync.Mutex
	items  map[string]string
	locked bool
}

func (k *authTestKeyring) fail(op string) error {
	return &calendar.Error{Kind: calendar.KindAuth, Op: "keyring " + op, Code: "keyring_unavailable", Hint: auth.KeyringUnavailableHint}
}

func (k *authTestKeyring) Get(_ context.Context, service, key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locked {
		return "", k.fail("get")
	}
	v, ok := k.items[service+"/"+key]
	if !ok {
		return "", auth.ErrNotFound
	}
	return v, nil
}

func (k *authTestKeyring) Set(_ context.Context, service, key, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locked {
		return k.fail("set")
	}
	k.items[service+"/"+key] = secret
	return nil
}

func (k *authTestKeyring) Delete(_ context.Context, service, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, service+"/"+key)
	return nil
}

func (k *authTestKeyring) DeleteAll(_ context.Context, service string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	for key := range k.items {
		if strings.HasPrefix(key, service+"/") {
			delete(k.items, key)
		}
	}
	return nil
}

func useAuthTestKeyring(t *testing.T) *authTestKeyring {
	t.Helper()
	kr := &authTestKeyring{items: map[string]string{}}
	old := newKeyring
	newKeyring = func() auth.Keyring { return kr }
	t.Cleanup(func() { newKeyring = old })
	return kr
}

func authTestEnv(t *testing.T) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now, Paths: testPaths(t)}
	return env, &stdout, &stderr
}

// An authority nobody listens on: the commands under test must fail before
// any network call.
const unreachableM365 = validM365 + `authority_url = "https://127.0.0.1:9/contoso.onmicrosoft.com"
`

func TestAuthCommands(t *testing.T) {
	tests := []struct {
		name       string
		config     string
		locked     bool
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"whoami before sign-in", unreachableM365, false, []string{"whoami"}, ExitAuth, auth.HintNotSignedIn},
		{"signin with a locked keyring", unreachableM365, true, []string{"signin"}, ExitAuth, "The system keyring is locked or unavailable: unlock it and sign in again."},
		{"device code with a locked keyring", unreachableM365, true, []string{"signin", "--device-code"}, ExitAuth, "keyring_unavailable"},
		{"signin without a client id", "provider = \"demo\"\n", false, []string{"signin"}, ExitConfig, "microsoft365.client_id"},
		{"whoami with a broken config", "provider = \"nope\"\n", false, []string{"whoami"}, ExitConfig, "provider"},
		{"unknown flag", unreachableM365, false, []string{"signin", "--browser"}, ExitConfig, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := useAuthTestKeyring(t)
			kr.locked = tt.locked
			env, _, stderr := authTestEnv(t)
			write(t, env.Paths.ConfigFile, tt.config)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if code := env.run(ctx, tt.args); code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.wantStderr)
			}
		})
	}
}

func TestSignoutRemovesSecretsEvenWithABrokenConfig(t *testing.T) {
	kr := useAuthTestKeyring(t)
	env, stdout, stderr := authTestEnv(t)
	write(t, env.Paths.ConfigFile, "provider = \"nope\"\n")
	write(t, filepath.Join(env.Paths.StateDir, "msal-cache.bin"), "sealed")
	write(t, filepath.Join(env.Paths.StateDir, "account.json"), `{"home_account_id":"a.b"}`)
	kr.items[auth.KeyringService+"/msal-cache-key"] = "key"
	kr.items[auth.KeyringService+"/ews:contoso\\alice"] = "hunter2"
	kr.items["Other app/x"] = "not ours"

	if code := env.run(context.Background(), []string{"signout"}); code != ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	if len(kr.items) != 1 || kr.items["Other app/x"] == "" {
		t.Errorf("keyring after sign-out: %v", kr.items)
	}
	for _, f := range []string{"msal-cache.bin", "account.json"} {
		if _, err := os.Stat(filepath.Join(env.Paths.StateDir, f)); !os.IsNotExist(err) {
			t.Errorf("%s still there (%v)", f, err)
		}
	}
	if !strings.Contains(stdout.String(), "Signed out") {
		t.Errorf("stdout: %s", stdout)
	}
}

func TestStoredEWSPassword(t *testing.T) {
	kr := useAuthTestKeyring(t)
	env, _, _ := authTestEnv(t)
	ctx := context.Background()
	if _, err := env.storedEWSPassword(ctx, `CONTOSO\alice`); calendar.KindOf(err) != calendar.KindAuth {
		t.Fatalf("nothing stored: %v", err)
	}
	if err := auth.NewCredentialStore(kr).SetEWSPassword(ctx, `CONTOSO\alice`, "hunter2"); err != nil {
		t.Fatal(err)
	}
	pw, err := env.storedEWSPassword(ctx, `contoso\Alice`)
	if err != nil || pw.Reveal() != "hunter2" {
		t.Fatalf("stored password: %v", err)
	}
	kr.locked = true
	if _, err := env.storedEWSPassword(ctx, `CONTOSO\alice`); !auth.IsKeyringUnavailable(err) {
		t.Fatalf("locked keyring: %v", err)
	}
}
