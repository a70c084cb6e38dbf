package e2e

import (
	"archive/zip"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// The doctor's account, so its keyring item meets no other test's.
const (
	doctorUser          = "doctor@exampledomain.com"
	doctorRightPassword = "Doctor2027!right"
	doctorWrongPassword = "Doctor2027!wrong"
)

// doctorExchange is the EWS responder behind Basic authentication that logs
// every request: its path and whether it carried a credential.
type doctorExchange struct {
	url, caFile string
	mu          sync.Mutex
	log         []doctorRequest
}

type doctorRequest struct {
	path       string
	credential bool
	status     int
}

func newDoctorExchange(t *testing.T) *doctorExchange {
	t.Helper()
	docs := ewstest.DocumentedFreeBusyResponses()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: func(r *ewstest.Request) ewstest.Answer {
		if r.Operation == "GetUserAvailability" {
			return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{doctorUser: docs[0]})}
		}
		return ewstest.Answer{Status: http.StatusBadRequest}
	}}
	x := &doctorExchange{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pw, ok := r.BasicAuth()
		req := doctorRequest{path: r.URL.Path, credential: ok, status: http.StatusOK}
		defer func() {
			x.mu.Lock()
			x.log = append(x.log, req)
			x.mu.Unlock()
		}()
		if !ok || user != doctorUser || pw != doctorRightPassword {
			req.status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Basic realm="127.0.0.1"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	// The doctor's TCP check connects and closes without a handshake.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	x.caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(x.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	x.url = srv.URL + "/EWS/Exchange.asmx"
	return x
}

// sinceWith counts, from request from on, those that carried a credential
// and those that reached the EWS endpoint at all.
func (x *doctorExchange) since(from int) (total, withCredential, toEWS int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, r := range x.log[from:] {
		total++
		if r.credential {
			withCredential++
		}
		if r.path == "/EWS/Exchange.asmx" {
			toEWS++
		}
	}
	return
}

func (x *doctorExchange) count() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.log)
}

func (x *doctorExchange) writeConfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := fmt.Sprintf(`provider = "ews"
time_zone = "America/Los_Angeles"
[ews]
url = %q
auth = "basic"
username = %q
ca_file = %q
[people]
emails = [%q, "dpark@exampledomain.com"]
`, x.url, doctorUser, x.caFile, doctorUser)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func forgetDoctorPassword(t *testing.T) {
	t.Cleanup(func() { clearFrontdeskSecrets(t) })
}

// doctorLine finds a check's line in the text report.
func doctorLine(out, check string) string {
	m := regexp.MustCompile(`(?m)^(OK|WARN|FAIL|SKIP) +` + regexp.QuoteMeta(check) + ` +(.*)$`).FindString(out)
	return strings.Join(strings.Fields(m), " ")
}

func runDoctorTimed(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	start := time.Now()
	stdout, stderr, code = runFrontdesk(t, env, append([]string{"doctor"}, args...)...)
	took := time.Since(start)
	t.Logf("frontdesk doctor %s -> exit %d in %s\n%s%s", strings.Join(args, " "), code, took.Round(time.Millisecond), stdout, stderr)
	return stdout, stderr, code
}

// The Exchange checks on the real binary and the real keyring: healthy, a
// wrong password (one rejected request), and then the rejection on record
// (nothing sent to the EWS endpoint, no credential at all).
func TestDoctorExchange(t *testing.T) {
	frontdeskBin(t)
	requireSecretService(t)
	forgetDoctorPassword(t)
	x := newDoctorExchange(t)
	config := x.writeConfig(t)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=")

	// Healthy.
	if _, stderr, code := runWithStdin(t, env, doctorRightPassword+"\n", "ews-password", "--config", config); code != 0 {
		t.Fatalf("ews-password: exit %d: %s", code, stderr)
	}
	before := x.count()
	out, _, code := runDoctorTimed(t, env, "--config", config)
	if code != 0 {
		t.Errorf("healthy: exit %d, want 0", code)
	}
	for check, want := range map[string]string{
		"ews tls":            `OK ews tls certificate for example.com, *.example.com, 127.0.0.1, ::1 from "Acme Co" trusted with ews.ca_file`,
		"clock":              "OK clock in step with",
		"keyring unlocked":   "OK keyring unlocked the keyring",
		"keyring round trip": "OK keyring round trip stored, read back and deleted",
		"exchange password":  "OK exchange password a password for " + doctorUser + " from the keyring, not rejected before",
		"exchange request":   "OK exchange request Exchange accepted " + doctorUser + " and answered GetUserAvailability for " + doctorUser,
	} {
		if got := doctorLine(out, check); !strings.HasPrefix(got, want) {
			t.Errorf("healthy: %s: %q, want %q...", check, got, want)
		}
	}
	if _, cred, toEWS := x.since(before); cred != 1 || toEWS != 1 {
		t.Errorf("healthy: %d requests with the password, %d to EWS; want exactly 1 GetUserAvailability", cred, toEWS)
	}

	// 401: one request with the wrong password, recorded.
	if _, stderr, code := runWithStdin(t, env, doctorWrongPassword+"\n", "ews-password", "--config", config); code != 0 {
		t.Fatalf("ews-password: exit %d: %s", code, stderr)
	}
	before = x.count()
	out, _, code = runDoctorTimed(t, env, "--config", config)
	if code != 1 || !strings.Contains(doctorLine(out, "exchange request"), "FAIL exchange request GetUserAvailability for "+doctorUser+": The server rejected this password at") {
		t.Errorf("401: exit %d, exchange request %q", code, doctorLine(out, "exchange request"))
	}
	if _, cred, _ := x.since(before); cred != 1 {
		t.Errorf("401: %d requests with the wrong password, want 1 (never retried)", cred)
	}

	// The rejection on record: nothing sent, twice.
	for run := 1; run <= 2; run++ {
		before = x.count()
		out, _, code = runDoctorTimed(t, env, "--config", config, "--json")
		var report struct {
			Checks []struct{ Name, Status, Detail, Action string }
			Exit   int
		}
		if err := json.Unmarshal([]byte(out), &report); err != nil {
			t.Fatalf("--json: %v\n%s", err, out)
		}
		found := false
		for _, c := range report.Checks {
			if c.Name == "exchange password" {
				found = true
				if c.Status != "FAIL" || !strings.HasPrefix(c.Detail, "nothing sent: The server rejected this password at") || !strings.Contains(c.Action, "frontdesk ews-password") {
					t.Errorf("recorded rejection, run %d: %+v", run, c)
				}
			}
		}
		if !found || code != 1 || report.Exit != 1 {
			t.Errorf("recorded rejection, run %d: exit %d (report %d), exchange password check found: %v", run, code, report.Exit, found)
		}
		if total, cred, toEWS := x.since(before); cred != 0 || toEWS != 0 {
			t.Errorf("recorded rejection, run %d: %d requests with a credential, %d to EWS (of %d); want 0", run, cred, toEWS, total)
		} else {
			t.Logf("recorded rejection, run %d: 0 requests with a credential, 0 to the EWS endpoint (%d unauthenticated HEAD / for TLS and the clock)", run, total)
		}
	}

	// A bundle after the whole run holds no secret.
	out, _, _ = runDoctorTimed(t, env, "--config", config, "--bundle")
	assertBundleHasNoSecret(t, out, filepath.Join(home, ".local", "state", "frontdesk"), []string{
		doctorRightPassword, doctorWrongPassword,
		base64.StdEncoding.EncodeToString([]byte(doctorUser + ":" + doctorRightPassword)),
		base64.StdEncoding.EncodeToString([]byte(doctorUser + ":" + doctorWrongPassword)),
	}, []string{`"path":"/EWS/Exchange.asmx"`, `"status":401`, "refresh plan"})
}

// A locked gnome-keyring: the doctor says so without a prompt, and nothing
// that needs the keyring (the Exchange request) is sent.
func TestDoctorLockedKeyring(t *testing.T) {
	frontdeskBin(t)
	requireSecretService(t)
	forgetDoctorPassword(t)
	x := newDoctorExchange(t)
	config := x.writeConfig(t)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=")
	if _, stderr, code := runWithStdin(t, env, doctorRightPassword+"\n", "ews-password", "--config", config); code != 0 {
		t.Fatalf("ews-password: exit %d: %s", code, stderr)
	}
	lockLoginKeyring(t)
	before := x.count()
	start := time.Now()
	out, _, code := runDoctorTimed(t, env, "--config", config)
	t.Logf("doctor with a locked keyring answered in %s (no unlock prompt waited on)", time.Since(start).Round(time.Millisecond))
	if got := doctorLine(out, "keyring unlocked"); code != 1 || !strings.HasPrefix(got, "FAIL keyring unlocked the keyring login is locked") {
		t.Errorf("exit %d, keyring unlocked %q", code, got)
	}
	if got := doctorLine(out, "exchange"); !strings.HasPrefix(got, "SKIP exchange the keyring is locked or unreachable") {
		t.Errorf("exchange: %q", got)
	}
	if _, cred, toEWS := x.since(before); cred != 0 || toEWS != 0 {
		t.Errorf("%d requests with a credential, %d to EWS with the keyring locked; want 0", cred, toEWS)
	}
}

// Microsoft 365 through the Entra-like identity server and Prism: signed out
// (FAIL, what to do), then signed in (who, silent token, scopes, presence),
// then a bundle that holds none of the tokens the identity server issued.
func TestDoctorMicrosoft365(t *testing.T) {
	w := newAuthWorld(t, true)
	w.useGraph(t, startPrism(t), "", adele, megan)

	r := w.frontdesk("doctor")
	if got := doctorLine(r.stdout, "microsoft365 account"); r.code != 1 || !strings.HasPrefix(got, "FAIL microsoft365 account nobody is signed in") ||
		!strings.Contains(r.stdout, "-> Sign in: run frontdesk signin") {
		t.Errorf("signed out: exit %d, account %q", r.code, got)
	}
	if r := w.frontdesk("signin"); r.code != 0 {
		t.Fatalf("signin: exit %d: %s", r.code, r.stderr)
	}
	opens := w.browserOpens()
	if r := w.frontdesk("status", "--json"); r.code != 0 {
		t.Fatalf("status: exit %d: %s", r.code, r.stderr)
	}
	requests := len(w.tokenRequests())

	r = w.frontdesk("doctor")
	if r.code != 0 {
		t.Errorf("signed in: exit %d, want 0", r.code)
	}
	for check, want := range map[string]string{
		"authority tls":         "WARN authority tls certificate for localhost, 127.0.0.1",
		"graph tls":             "SKIP graph tls plain http to this machine",
		"clock":                 "OK clock",
		"microsoft365 account":  "OK microsoft365 account signed in as alice@contoso.com",
		"microsoft365 token":    "OK microsoft365 token a token for Graph comes without asking the operator",
		"microsoft365 scopes":   "OK microsoft365 scopes the sign-in grants",
		"microsoft365 presence": "OK microsoft365 presence Presence.Read.All consented",
	} {
		if got := doctorLine(r.stdout, check); !strings.HasPrefix(got, want) {
			t.Errorf("signed in: %s: %q, want %q...", check, got, want)
		}
	}
	for _, scope := range []string{"User.Read", "Calendars.ReadBasic", "User.ReadBasic.All"} {
		if !strings.Contains(doctorLine(r.stdout, "microsoft365 scopes"), scope) {
			t.Errorf("scopes line lacks %s", scope)
		}
	}
	if w.browserOpens() != opens {
		t.Error("the doctor opened the browser: it must never prompt")
	}
	t.Logf("the doctor asked the identity server %d times (silent tokens only)", len(w.tokenRequests())-requests)

	r = w.frontdesk("doctor", "--bundle")
	secrets := w.issuedSecrets()
	if len(secrets) == 0 {
		t.Fatal("the identity server reports no issued tokens: the grep would prove nothing")
	}
	assertBundleHasNoSecret(t, r.stdout, w.stateDir, secrets, []string{"signed in as alice@contoso.com", `"path":"/v1.0/`})

	// The identity server revokes the refresh token: one refused request, no
	// retry, no browser, and the sentence says to sign in again.
	var revoked struct{ Revoked int }
	w.adminJSON("POST", "/admin/revoke-refresh-tokens", nil, &revoked)
	if revoked.Revoked == 0 {
		t.Fatal("the identity server revoked nothing")
	}
	time.Sleep(authRefreshWait) // the access token is due for refresh
	before := len(w.tokenRequests())
	r = w.frontdesk("doctor")
	if got := doctorLine(r.stdout, "microsoft365 token"); r.code != 1 || !strings.HasPrefix(got, "FAIL microsoft365 token no token without the operator") || !strings.Contains(got, "[auth, invalid_grant]") {
		t.Errorf("revoked: exit %d, token %q", r.code, got)
	}
	if reqs := w.tokenRequests()[before:]; len(reqs) != 1 || reqs[0].GrantType != "refresh_token" || reqs[0].Status != 400 {
		t.Errorf("revoked: token requests %+v, want the one refused refresh, not retried", reqs)
	}
	if w.browserOpens() != opens {
		t.Error("the doctor opened the browser after a revoked token")
	}
}

// Presence without consent is a warning with the way to grant it, not a failure.
func TestDoctorMicrosoft365PresenceNotConsented(t *testing.T) {
	w := newAuthWorld(t, true)
	// Graph on loopback: the doctor resolves and connects to what the config names.
	graph := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(graph.Close)
	w.useGraph(t, graph.URL+"/v1.0", "", adele)
	w.adminJSON("POST", "/admin/fail", map[string]any{"status": 400, "error": "invalid_grant", "code": "AADSTS65001",
		"description": "The user or administrator has not consented to use the application with ID '" + authClientID + "'.", "scope": "Presence.Read.All"}, nil)
	if r := w.frontdesk("signin"); r.code != 0 {
		t.Fatalf("signin: exit %d", r.code)
	}
	r := w.frontdesk("doctor")
	if got := doctorLine(r.stdout, "microsoft365 presence"); r.code != 0 || !strings.HasPrefix(got, "WARN microsoft365 presence presence is not consented") ||
		!strings.Contains(r.stdout, "-> Ask an administrator to grant Presence.Read.All") {
		t.Errorf("exit %d, presence %q", r.code, got)
	}
	if got := doctorLine(r.stdout, "microsoft365 token"); !strings.HasPrefix(got, "OK microsoft365 token") {
		t.Errorf("token: %q", got)
	}
}

// assertBundleHasNoSecret opens the bundle whose path the doctor printed,
// checks it is in the log folder and holds what support needs (want), and
// greps every file in it for the secrets.
func assertBundleHasNoSecret(t *testing.T, out, logDir string, secrets, want []string) {
	t.Helper()
	m := regexp.MustCompile(`Diagnostics bundle: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no bundle path printed:\n%s", out)
	}
	path := m[1]
	if filepath.Dir(path) != logDir || !regexp.MustCompile(`^frontdesk-diagnostics-\d{8}-\d{6}\.zip$`).MatchString(filepath.Base(path)) {
		t.Errorf("bundle %s: want frontdesk-diagnostics-<time>.zip in %s", path, logDir)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var all strings.Builder
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(data)
	}
	text := all.String()
	t.Logf("bundle %s: %d files %v, %d bytes of text", path, len(names), names, len(text))
	for _, name := range []string{"doctor.txt", "doctor.json", "config.toml", "policy.toml", "engine-history.txt", "version.txt", "logs/frontdesk.log"} {
		if !strings.Contains(strings.Join(names, " "), name) {
			t.Errorf("bundle lacks %s", name)
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("bundle lacks %q", w)
		}
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("the bundle holds a secret (%d chars starting %.4s...)", len(s), s)
		}
	}
}
