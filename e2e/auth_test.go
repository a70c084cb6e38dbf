package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	gokeyring "github.com/zalando/go-keyring"

	"github.com/frontdesk-app/frontdesk/auth"
)

const (
	authTenant   = "contoso.onmicrosoft.com"
	authTenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	authClientID = "0d9f1a52-7c3e-4b8e-9a1f-5e2c7d4b6a10"
	// A token TTL just over MSAL's five-minute refresh margin: a token is used
	// from the cache right after sign-in and is due for refresh ten seconds later.
	authTokenTTL    = 310
	authRefreshWait = 11 * time.Second
)

// authWorld is one OpenID Provider, one fake browser and one operator profile.
type authWorld struct {
	t          *testing.T
	bin        string
	idp        *Peer
	admin      *http.Client
	certFile   string
	home       string
	stateDir   string
	configFile string
	browserDir string
	browserLog string
}

func newAuthWorld(t *testing.T, presence bool) *authWorld {
	t.Helper()
	requireE2E(t)
	requireSecretService(t)
	w := &authWorld{t: t, bin: frontdeskBin(t), home: t.TempDir(), browserDir: t.TempDir()}
	tlsDir := t.TempDir()
	w.certFile = filepath.Join(tlsDir, "cert.pem")
	keyFile := filepath.Join(tlsDir, "key.pem")
	pool := writeLoopbackCertificate(t, w.certFile, keyFile)
	w.admin = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	// The fake browser, first on PATH as xdg-open (the name MSAL's browser launcher tries first).
	build := exec.Command("go", "build", "-o", filepath.Join(w.browserDir, "xdg-open"), "./fakebrowser")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build fakebrowser: %v\n%s", err, out)
	}
	w.browserLog = filepath.Join(t.TempDir(), "browser.log")

	w.idp = startNodePeer(t, "oidc.js",
		"OIDC_TLS_CERT="+w.certFile, "OIDC_TLS_KEY="+keyFile,
		"OIDC_TENANT="+authTenant, "OIDC_TENANT_ID="+authTenantID, "OIDC_CLIENT_ID="+authClientID,
		fmt.Sprintf("OIDC_ACCESS_TOKEN_TTL=%d", authTokenTTL))

	w.stateDir = filepath.Join(w.home, ".local", "state", "frontdesk")
	w.configFile = filepath.Join(w.home, ".config", "Frontdesk", "config.toml")
	config := fmt.Sprintf(`provider = "microsoft365"
[microsoft365]
tenant = %q
client_id = %q
authority_url = "%s/%s"
presence = %v
`, authTenant, authClientID, w.idp.URL, authTenant, presence)
	if err := os.MkdirAll(filepath.Dir(w.configFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.configFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	clearFrontdeskSecrets(t)
	t.Cleanup(func() { clearFrontdeskSecrets(t) })
	return w
}

// useGraph rewrites the world's config to read the given colleagues' calendars
// from graphURL, with presence, signed in through the world's identity
// server; timeZone "" leaves the operator's zone to the machine.
func (w *authWorld) useGraph(t *testing.T, graphURL, timeZone string, emails ...string) {
	t.Helper()
	var zone string
	if timeZone != "" {
		zone = fmt.Sprintf("time_zone = %q\n", timeZone)
	}
	quoted := make([]string, len(emails))
	for i, e := range emails {
		quoted[i] = strconv.Quote(e)
	}
	config := fmt.Sprintf(`provider = "microsoft365"
%s[microsoft365]
tenant = %q
client_id = %q
authority_url = "%s/%s"
graph_url = %q
presence = true
[people]
emails = [%s]
`, zone, authTenant, authClientID, w.idp.URL, authTenant, graphURL, strings.Join(quoted, ", "))
	if err := os.WriteFile(w.configFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// requireSecretService fails when no Secret Service is on the session bus: the
// test command provides an unlocked gnome-keyring inside dbus-run-session.
func requireSecretService(t *testing.T) {
	t.Helper()
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatalf("no session bus (run inside dbus-run-session): %v", err)
	}
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&owned); err != nil || !owned {
		t.Fatalf("org.freedesktop.secrets is not on the session bus (start gnome-keyring-daemon --unlock): %v", err)
	}
}

func clearFrontdeskSecrets(t *testing.T) {
	if err := gokeyring.DeleteAll(auth.KeyringService); err != nil && !errors.Is(err, gokeyring.ErrNotFound) {
		t.Logf("clearing keyring: %v", err)
	}
}

// writeLoopbackCertificate makes a throwaway self-signed certificate for
// 127.0.0.1 and returns a pool trusting it.
func writeLoopbackCertificate(t *testing.T, certFile, keyFile string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "frontdesk e2e identity server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

// env is the environment of every process of this operator: their own home,
// the fake browser first on PATH, the test certificate as the only CA.
func (w *authWorld) env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "HOME", k == "PATH", k == "SSL_CERT_FILE", k == "SSL_CERT_DIR", strings.HasPrefix(k, "XDG_CONFIG"), strings.HasPrefix(k, "XDG_STATE"), strings.HasPrefix(k, "XDG_DATA"), strings.HasPrefix(k, "FRONTDESK_"), strings.HasPrefix(k, "FAKEBROWSER_"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+w.home,
		"XDG_CONFIG_HOME="+filepath.Join(w.home, ".config"),
		"XDG_STATE_HOME="+filepath.Join(w.home, ".local", "state"),
		"XDG_DATA_HOME="+filepath.Join(w.home, ".local", "share"),
		"FRONTDESK_CONFIG="+w.configFile,
		"FRONTDESK_LOG_LEVEL=DEBUG",
		"PATH="+w.browserDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SSL_CERT_FILE="+w.certFile,
		"FAKEBROWSER_LOG="+w.browserLog,
		"FAKEBROWSER_USER=alice@contoso.com",
	)
	return append(env, extra...)
}

type authRun struct {
	code           int
	stdout, stderr string
}

func (w *authWorld) frontdesk(args ...string) authRun {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Env = w.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := authRun{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		w.t.Fatalf("frontdesk %v: %v", args, err)
	}
	w.t.Logf("frontdesk %s -> exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	recordAnswer(w.t, args, r.stdout, r.code)
	return r
}

// browserOpens counts how often frontdesk opened the (fake) system browser.
func (w *authWorld) browserOpens() int {
	data, err := os.ReadFile(w.browserLog)
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

type tokenRequest struct {
	GrantType string `json:"grant_type"`
	Scope     string `json:"scope"`
	Status    int    `json:"status"`
	Injected  string `json:"injected"`
}

func (w *authWorld) adminJSON(method, path string, body any, out any) {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, w.idp.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.admin.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		w.t.Fatalf("%s %s: %s", method, path, resp.Status)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *authWorld) tokenRequests() []tokenRequest {
	var r []tokenRequest
	w.adminJSON("GET", "/admin/requests", nil, &r)
	return r
}

// issuedSecrets are every token value the identity server handed out.
func (w *authWorld) issuedSecrets() []string {
	var issued []map[string]string
	w.adminJSON("GET", "/admin/tokens", nil, &issued)
	var out []string
	for _, t := range issued {
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if t[k] != "" {
				out = append(out, t[k])
			}
		}
	}
	return out
}

// keyringItems lists Frontdesk's items in the real Secret Service, read with
// secret-tool as an administrator would.
func keyringItems(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("secret-tool", "search", "--all", "service", auth.KeyringService).CombinedOutput()
	if err != nil && len(out) > 0 && !strings.Contains(string(out), "No matching") {
		t.Logf("secret-tool: %v: %s", err, out)
	}
	return string(out)
}

// assertNoSecretsOnDisk greps every file of the operator's profile (log,
// config, state, Fyne preferences) for the real secret values.
func (w *authWorld) assertNoSecretsOnDisk(secrets []string) {
	w.t.Helper()
	logFile := filepath.Join(w.stateDir, "frontdesk.log")
	if data, err := os.ReadFile(logFile); err != nil || len(data) == 0 {
		w.t.Errorf("log file %s missing or empty (%v): the grep would prove nothing", logFile, err)
	} else {
		w.t.Logf("%s:\n%s", logFile, data)
	}
	files := 0
	err := filepath.WalkDir(w.home, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() { // a running console's socket holds nothing
			return err
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if len(s) >= 8 && bytes.Contains(data, []byte(s)) {
				w.t.Errorf("%s contains a secret (%d chars, starts %q)", path, len(s), s[:4])
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Logf("grepped %d files under the operator's profile for %d secrets", files, len(secrets))
}

func TestAuthInteractiveSilentRefreshRevokeDeviceCodeSignout(t *testing.T) {
	w := newAuthWorld(t, false)

	t.Run("interactive sign-in stores the cache under a keyring key", func(t *testing.T) {
		r := w.frontdesk("signin")
		if r.code != 0 || !strings.Contains(r.stdout, "Signed in as alice@contoso.com") {
			t.Fatalf("signin exit %d", r.code)
		}
		if n := w.browserOpens(); n != 1 {
			t.Fatalf("browser opened %d times, want 1", n)
		}
		reqs := w.tokenRequests()
		if len(reqs) != 1 || reqs[0].GrantType != "authorization_code" || reqs[0].Status != 200 {
			t.Fatalf("token requests: %+v", reqs)
		}
		items := keyringItems(t)
		if !strings.Contains(items, "msal-cache-key") {
			t.Fatalf("no cache key in the keyring; secret-tool says:\n%s", items)
		}
		if _, err := os.Stat(filepath.Join(w.stateDir, "msal-cache.bin")); err != nil {
			t.Fatalf("encrypted cache file: %v", err)
		}
	})

	t.Run("a second process signs in silently", func(t *testing.T) {
		before := len(w.tokenRequests())
		r := w.frontdesk("whoami")
		if r.code != 0 || !strings.Contains(r.stdout, "alice@contoso.com") || !strings.Contains(r.stdout, "."+authTenantID) {
			t.Fatalf("whoami exit %d", r.code)
		}
		if n := w.browserOpens(); n != 1 {
			t.Errorf("whoami opened the browser (%d opens)", n)
		}
		if got := len(w.tokenRequests()) - before; got != 0 {
			t.Errorf("whoami made %d token requests; the cached token should do", got)
		}
	})

	t.Run("an expired access token is refreshed silently", func(t *testing.T) {
		time.Sleep(authRefreshWait)
		before := len(w.tokenRequests())
		r := w.frontdesk("whoami")
		if r.code != 0 {
			t.Fatalf("whoami exit %d", r.code)
		}
		reqs := w.tokenRequests()[before:]
		if len(reqs) != 1 || reqs[0].GrantType != "refresh_token" || reqs[0].Status != 200 {
			t.Fatalf("token requests: %+v, want one successful refresh", reqs)
		}
		if n := w.browserOpens(); n != 1 {
			t.Errorf("refresh opened the browser")
		}
	})

	t.Run("a revoked refresh token asks to sign in again, once", func(t *testing.T) {
		var revoked struct{ Revoked int }
		w.adminJSON("POST", "/admin/revoke-refresh-tokens", nil, &revoked)
		if revoked.Revoked == 0 {
			t.Fatal("the identity server revoked nothing")
		}
		time.Sleep(authRefreshWait)
		for i := range 2 {
			before := len(w.tokenRequests())
			r := w.frontdesk("whoami")
			if r.code != 3 || !strings.Contains(r.stderr, auth.HintSignInAgain) || !strings.Contains(r.stderr, "[auth, invalid_grant]") {
				t.Fatalf("whoami %d: exit %d, want 3 and %q", i, r.code, auth.HintSignInAgain)
			}
			reqs := w.tokenRequests()[before:]
			if len(reqs) != 1 || reqs[0].GrantType != "refresh_token" || reqs[0].Status != 400 {
				t.Fatalf("whoami %d: token requests %+v, want exactly one refused refresh (no retry loop)", i, reqs)
			}
		}
		if n := w.browserOpens(); n != 1 {
			t.Errorf("a silent command opened the browser")
		}
	})

	t.Run("device code sign-in", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, w.bin, "signin", "--device-code")
		cmd.Env = w.env()
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var openURL, code string
		var out strings.Builder
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			out.WriteString(line + "\n")
			if v, ok := strings.CutPrefix(line, "Open: "); ok {
				openURL = v
			}
			if v, ok := strings.CutPrefix(line, "Code: "); ok {
				code = v
				break
			}
		}
		if openURL == "" || code == "" || !strings.Contains(out.String(), "To sign in, use a web browser") {
			_ = cmd.Process.Kill()
			t.Fatalf("no device code prompt; stdout:\n%s\nstderr:\n%s", out.String(), stderr.String())
		}
		// The operator, on another device, opens the page and enters the code.
		browser := exec.CommandContext(ctx, filepath.Join(w.browserDir, "xdg-open"), openURL)
		browser.Env = w.env("FAKEBROWSER_USER_CODE="+code, "FAKEBROWSER_LOG=")
		if b, err := browser.CombinedOutput(); err != nil {
			_ = cmd.Process.Kill()
			t.Fatalf("device page: %v\n%s", err, b)
		}
		rest, _ := io.ReadAll(stdout)
		out.Write(rest)
		err = cmd.Wait()
		t.Logf("signin --device-code: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), stderr.String())
		if err != nil || !strings.Contains(out.String(), "Signed in as alice@contoso.com") {
			t.Fatalf("device code sign-in failed")
		}
		if r := w.frontdesk("whoami"); r.code != 0 {
			t.Fatalf("whoami after device code: exit %d", r.code)
		}
		if n := w.browserOpens(); n != 1 {
			t.Errorf("device code opened this machine's browser")
		}
	})

	t.Run("no token or password in the log, config or preferences", func(t *testing.T) {
		password := "Ews-Pa55word-" + fmt.Sprint(time.Now().UnixNano())
		if err := auth.NewCredentialStore(auth.SystemKeyring{}).SetEWSPassword(context.Background(), `CONTOSO\alice`, auth.Secret(password)); err != nil {
			t.Fatalf("storing the EWS password in the real keyring: %v", err)
		}
		got, err := auth.NewCredentialStore(auth.SystemKeyring{}).EWSPassword(context.Background(), `contoso\ALICE`)
		if err != nil || got.Reveal() != password {
			t.Fatalf("EWS password round trip: %v", err)
		}
		secrets := append(w.issuedSecrets(), password)
		if len(secrets) < 7 {
			t.Fatalf("only %d secrets captured from the identity server", len(secrets))
		}
		w.assertNoSecretsOnDisk(secrets)
	})

	t.Run("sign-out leaves no secret in the keyring", func(t *testing.T) {
		r := w.frontdesk("signout")
		if r.code != 0 {
			t.Fatalf("signout exit %d", r.code)
		}
		if items := keyringItems(t); strings.TrimSpace(items) != "" {
			t.Fatalf("keyring still holds Frontdesk items:\n%s", items)
		}
		for _, f := range []string{"msal-cache.bin", "account.json"} {
			if _, err := os.Stat(filepath.Join(w.stateDir, f)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s still exists (%v)", f, err)
			}
		}
		if r := w.frontdesk("whoami"); r.code != 3 || !strings.Contains(r.stderr, auth.HintNotSignedIn) {
			t.Errorf("whoami after sign-out: exit %d", r.code)
		}
	})
}

func TestAuthIdentityServerErrorsMapToKinds(t *testing.T) {
	w := newAuthWorld(t, false)
	consentURL := "https://login.microsoftonline.com/" + authTenant + "/adminconsent?client_id=" + authClientID
	tests := []struct {
		code, error, description string
		wantDetail, wantHint     string
	}{
		{"AADSTS50053", "invalid_grant", "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.", "[locked, AADSTS50053]", auth.HintLocked},
		{"AADSTS65001", "invalid_grant", "The user or administrator has not consented to use the application.", "[permission, AADSTS65001]", consentURL},
		{"AADSTS90094", "invalid_grant", "Admin consent is required for the permissions requested by this application.", "[permission, AADSTS90094]", consentURL},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			// A refused consent is asked once more without the optional
			// meeting rooms (Place.Read.All needs an administrator's
			// approval), then no more: two refusals, exit 3.
			refusals := 1
			if tt.code != "AADSTS50053" {
				refusals = 2
			}
			w.adminJSON("POST", "/admin/fail", map[string]any{"status": 400, "error": tt.error, "code": tt.code, "description": tt.description, "times": refusals}, nil)
			before := len(w.tokenRequests())
			r := w.frontdesk("signin")
			if r.code != 3 {
				t.Errorf("exit %d, want 3", r.code)
			}
			if !strings.Contains(r.stderr, tt.wantDetail) || !strings.Contains(r.stderr, tt.wantHint) {
				t.Errorf("stderr does not carry %s and %q", tt.wantDetail, tt.wantHint)
			}
			reqs := w.tokenRequests()[before:]
			if len(reqs) != refusals || reqs[0].Injected != tt.code || reqs[len(reqs)-1].Injected != tt.code {
				t.Errorf("token requests %+v: want %d refused request(s), not retried further", reqs, refusals)
			}
			if refusals == 2 && (!strings.Contains(reqs[0].Scope, "Place.Read.All") || strings.Contains(reqs[1].Scope, "Place.Read.All")) {
				t.Errorf("token requests %+v: want the rooms in the first consent and not in the second", reqs)
			}
		})
	}
}

func TestAuthPresenceWithoutConsentDoesNotBlockSignIn(t *testing.T) {
	w := newAuthWorld(t, true)
	w.adminJSON("POST", "/admin/fail", map[string]any{"status": 400, "error": "invalid_grant", "code": "AADSTS65001", "description": "The user or administrator has not consented to use the application with ID '" + authClientID + "'.", "scope": "Presence.Read.All"}, nil)
	r := w.frontdesk("signin")
	if r.code != 0 || !strings.Contains(r.stdout, "Signed in as alice@contoso.com") {
		t.Fatalf("sign-in blocked by the optional presence scope: exit %d", r.code)
	}
	if !strings.Contains(r.stdout, "Presence unavailable") || !strings.Contains(r.stdout, "adminconsent?client_id="+authClientID) {
		t.Errorf("stdout does not report presence unavailable with the consent link")
	}
	if r := w.frontdesk("whoami"); r.code != 0 {
		t.Errorf("whoami after sign-in without presence: exit %d", r.code)
	}
}

const loginCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")

// lockLoginKeyring locks the real gnome-keyring's login collection, as the
// screen locker does, and unlocks it again (with the password the test command
// created it with) when the test ends.
func lockLoginKeyring(t *testing.T) {
	t.Helper()
	out, err := exec.Command("dbus-send", "--session", "--dest=org.freedesktop.secrets", "--type=method_call", "--print-reply",
		"/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock", "array:objpath:"+string(loginCollection)).CombinedOutput()
	if err != nil {
		t.Fatalf("locking the keyring: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if err := unlockLoginKeyring(); err != nil {
			t.Errorf("unlocking the keyring again: %v", err)
		}
	})
}

// unlockLoginKeyring uses gnome-keyring's own non-interactive unlock (what its
// PAM module does); the standard Unlock method would need a prompt on a display.
func unlockLoginKeyring() error {
	conn, err := dbus.SessionBus()
	if err != nil {
		return err
	}
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var output dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&output, &session); err != nil {
		return err
	}
	password := os.Getenv("FRONTDESK_KEYRING_PASSWORD")
	if password == "" {
		password = "pw"
	}
	type secret struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}
	// `echo pw | gnome-keyring-daemon --unlock` keeps the newline in the password.
	var err2 error
	for _, pw := range []string{password + "\n", password} {
		err2 = svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0, loginCollection, secret{session, []byte{}, []byte(pw), "text/plain"}).Err
		if err2 == nil {
			return nil
		}
	}
	return err2
}

func TestAuthLockedKeyringIsAClearError(t *testing.T) {
	w := newAuthWorld(t, false)
	if r := w.frontdesk("signin"); r.code != 0 {
		t.Fatalf("signin with the keyring unlocked: exit %d", r.code)
	}
	lockLoginKeyring(t)

	r := w.frontdesk("whoami")
	if r.code != 3 || !strings.Contains(r.stderr, auth.KeyringUnavailableHint) {
		t.Errorf("whoami with a locked keyring: exit %d, want 3 and %q", r.code, auth.KeyringUnavailableHint)
	}
	before := len(w.tokenRequests())
	start := time.Now()
	r = w.frontdesk("signin")
	if r.code != 3 || !strings.Contains(r.stderr, auth.KeyringUnavailableHint) {
		t.Fatalf("signin with a locked keyring: exit %d, want 3 and %q", r.code, auth.KeyringUnavailableHint)
	}
	t.Logf("signin refused after %v", time.Since(start))
	if n := w.browserOpens(); n != 1 {
		t.Errorf("the browser opened although the sign-in could not be stored (%d opens)", n)
	}
	if got := len(w.tokenRequests()) - before; got != 0 {
		t.Errorf("%d token requests with a locked keyring", got)
	}
	entries, _ := os.ReadDir(w.stateDir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "tmp") {
			t.Errorf("stray file %s: no plaintext fallback", e.Name())
		}
	}
}

// rooms = false: a tenant that will not approve Place.Read.All signs in at
// the first attempt (one browser page, no refusal and repeat), no token
// request names the scope, and the doctor says the rooms are off.
func TestAuthRoomsOffAsksNoPlaceScope(t *testing.T) {
	w := newAuthWorld(t, true)
	config, err := os.ReadFile(w.configFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.configFile, append([]byte("rooms = false\n"), config...), 0o600); err != nil {
		t.Fatal(err)
	}
	w.adminJSON("POST", "/admin/fail", map[string]any{"status": 400, "error": "invalid_grant", "code": "AADSTS90094",
		"description": "Admin consent is required for the permissions requested by this application.", "scope": "Place.Read.All"}, nil)
	r := w.frontdesk("signin")
	if r.code != 0 || strings.Contains(r.stdout, "Meeting rooms unavailable") {
		t.Fatalf("signin: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := w.browserOpens(); n != 1 {
		t.Errorf("the browser opened %d times, want 1", n)
	}
	reqs := w.tokenRequests()
	for _, req := range reqs {
		if strings.Contains(req.Scope, "Place.Read.All") || req.Injected != "" {
			t.Errorf("token request %+v with the rooms off", req)
		}
	}
	d := w.frontdesk("doctor")
	if got := doctorLine(d.stdout, "microsoft365 rooms"); !strings.HasPrefix(got, "SKIP microsoft365 rooms meeting rooms are turned off") {
		t.Errorf("doctor: rooms %q", got)
	}
	for _, req := range w.tokenRequests()[len(reqs):] {
		if strings.Contains(req.Scope, "Place.Read.All") {
			t.Errorf("the doctor asked %q with the rooms off", req.Scope)
		}
	}
}
