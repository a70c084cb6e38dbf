package app

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/testcert"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
	"github.com/frontdesk-app/frontdesk/ui"
)

// testCA is a throwaway certificate authority for loopback TLS peers, with
// its certificate in a file as an admin's ews.ca_file.
type testCA struct {
	*testcert.CA
	pemFile string
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	ca := testcert.NewCA(t, name)
	return &testCA{CA: ca, pemFile: ca.PEMFile(t)}
}

// doctorPeer is a loopback Exchange: TLS with the certificate given, a Date
// header skewed by skew, Basic authentication with one right password, and
// the documented EWS answers. It counts requests that carry a credential.
type doctorPeer struct {
	url                 string
	all, withCredential atomic.Int64
	rejected            atomic.Int64
}

const doctorPassword = "Doctor2026!right"

func newDoctorPeer(t *testing.T, cert tls.Certificate, skew time.Duration) *doctorPeer {
	t.Helper()
	docs := ewstest.DocumentedFreeBusyResponses()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: func(r *ewstest.Request) ewstest.Answer {
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{"op@contoso.com": docs[0]})}
	}}
	p := &doctorPeer{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.all.Add(1)
		if skew != 0 {
			w.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
		}
		user, pw, ok := r.BasicAuth()
		if ok {
			p.withCredential.Add(1)
		}
		if !ok || user != "op@contoso.com" || pw != doctorPassword {
			if ok {
				p.rejected.Add(1)
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="127.0.0.1"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	// The doctor's TCP check connects and closes without a handshake.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	p.url = srv.URL + "/EWS/Exchange.asmx"
	return p
}

func writeDoctorConfig(t *testing.T, p Paths, url, caFile string) {
	t.Helper()
	ca := ""
	if caFile != "" {
		ca = fmt.Sprintf("ca_file = %q\n", caFile)
	}
	write(t, p.ConfigFile, fmt.Sprintf(`provider = "ews"
[ews]
url = %q
username = "op@contoso.com"
%s
[people]
emails = ["op@contoso.com", "dpark@contoso.com"]
`, url, ca))
}

// runDoctor runs the checks in-process with the in-memory keyring and
// returns the report by check name.
func runDoctor(t *testing.T, p Paths, getenv map[string]string) (*DoctorReport, map[string]CheckResult) {
	t.Helper()
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Paths: p, Now: time.Now, Getenv: func(k string) string { return getenv[k] }}
	start := time.Now()
	report := env.RunDoctor(context.Background())
	t.Logf("doctor took %s:\n%s", time.Since(start).Round(time.Millisecond), report.Text())
	byName := map[string]CheckResult{}
	for _, c := range report.Checks {
		byName[c.Name] = c
	}
	return report, byName
}

// Each network check against a loopback peer: the certificate problems an
// admin meets, a refused port, and a server clock 10 minutes off.
func TestDoctorNetworkChecks(t *testing.T) {
	useAuthTestKeyring(t)
	ca := newTestCA(t, "Contoso Issuing CA")
	other := newTestCA(t, "Some Other CA")
	now := time.Now()
	valid := ca.Leaf(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "127.0.0.1")
	expiredAt := now.Add(-72 * time.Hour).Truncate(time.Minute)
	expired := ca.Leaf(t, now.Add(-90*24*time.Hour), expiredAt, "127.0.0.1")
	wrongHost := ca.Leaf(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "mail.contoso.com", "autodiscover.contoso.com")

	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := "https://" + refused.Listener.Addr().String() + "/EWS/Exchange.asmx"
	refused.Close()

	tests := []struct {
		name       string
		cert       *tls.Certificate
		skew       time.Duration
		url        string
		caFile     string
		check      string
		want       CheckStatus
		detail     []string
		action     []string
		wantExit   int
		exchangeOK bool
	}{
		{name: "healthy", cert: &valid, caFile: ca.pemFile, check: "ews tls", want: CheckOK,
			detail: []string{"127.0.0.1", "Contoso Issuing CA", "trusted with ews.ca_file"}, wantExit: ExitOK, exchangeOK: true},
		{name: "expired certificate says since when", cert: &expired, caFile: ca.pemFile, check: "ews tls", want: CheckFail,
			detail: []string{"expired on " + expiredAt.UTC().Format("2006-01-02 15:04 UTC"), "(3 days ago)"}, action: []string{"renew"}, wantExit: ExitPartial},
		{name: "wrong host names the certificate's names", cert: &wrongHost, caFile: ca.pemFile, check: "ews tls", want: CheckFail,
			detail: []string{"names mail.contoso.com, autodiscover.contoso.com, not 127.0.0.1"}, action: []string{"ews.url"}, wantExit: ExitPartial},
		{name: "untrusted without ca_file names ca_file", cert: &valid, check: "ews tls", want: CheckFail,
			detail: []string{`issued by "Contoso Issuing CA"`, "does not trust"}, action: []string{`Set ews.ca_file to the PEM file of the CA "Contoso Issuing CA"`}, wantExit: ExitPartial},
		{name: "untrusted with the wrong ca_file names that file", cert: &valid, caFile: other.pemFile, check: "ews tls", want: CheckFail,
			detail: []string{"neither this machine nor ews.ca_file " + other.pemFile}, action: []string{"into " + other.pemFile}, wantExit: ExitPartial},
		{name: "refused port", url: refusedURL, check: "ews connect", want: CheckFail,
			detail: []string{"refused the connection"}, action: []string{"ews.url"}, wantExit: ExitPartial},
		{name: "server clock 10 minutes ahead fails", cert: &valid, caFile: ca.pemFile, skew: 10 * time.Minute, check: "clock", want: CheckFail,
			detail: []string{"10m0s behind"}, action: []string{"5 minutes"}, wantExit: ExitPartial, exchangeOK: true},
		{name: "server clock 3 minutes behind warns", cert: &valid, caFile: ca.pemFile, skew: -3 * time.Minute, check: "clock", want: CheckWarn,
			detail: []string{"3m0s ahead of"}, wantExit: ExitOK, exchangeOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			url := tt.url
			var peer *doctorPeer
			if tt.cert != nil {
				peer = newDoctorPeer(t, *tt.cert, tt.skew)
				url = peer.url
			}
			writeDoctorConfig(t, p, url, tt.caFile)
			report, checks := runDoctor(t, p, map[string]string{EWSPasswordEnv: doctorPassword})
			got, ok := checks[tt.check]
			if !ok {
				t.Fatalf("no %q check", tt.check)
			}
			if got.Status != tt.want {
				t.Errorf("%s: %s, want %s (%s)", tt.check, got.Status, tt.want, got.Detail)
			}
			for _, w := range tt.detail {
				if !strings.Contains(got.Detail, w) {
					t.Errorf("%s detail %q lacks %q", tt.check, got.Detail, w)
				}
			}
			for _, w := range tt.action {
				if !strings.Contains(got.Action, w) {
					t.Errorf("%s action %q lacks %q", tt.check, got.Action, w)
				}
			}
			if report.Exit != tt.wantExit {
				t.Errorf("exit %d, want %d", report.Exit, tt.wantExit)
			}
			if ex := checks["exchange request"]; (ex.Status == CheckOK) != tt.exchangeOK {
				t.Errorf("exchange request: %s %s; want OK: %v", ex.Status, ex.Detail, tt.exchangeOK)
			}
			if peer != nil && !tt.exchangeOK && peer.withCredential.Load() != 0 {
				t.Errorf("the password went to a server whose certificate failed: %d requests", peer.withCredential.Load())
			}
			if peer != nil && tt.check == "ews tls" && tt.want == CheckFail && peer.all.Load() != 0 {
				t.Errorf("%d requests went over a connection whose certificate failed: TLS must be verified before anything is sent", peer.all.Load())
			}
		})
	}
}

// The lockout guard's record: a wrong password costs one request the first
// time, and the doctor afterwards sends nothing at all.
func TestDoctorNeverResendsARejectedPassword(t *testing.T) {
	useAuthTestKeyring(t)
	ca := newTestCA(t, "Contoso Issuing CA")
	peer := newDoctorPeer(t, ca.Leaf(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour*24*90), "127.0.0.1"), 0)
	p := testPaths(t)
	writeDoctorConfig(t, p, peer.url, ca.pemFile)
	wrong := map[string]string{EWSPasswordEnv: "Doctor2026!wrong"}

	report, checks := runDoctor(t, p, wrong)
	if c := checks["exchange request"]; c.Status != CheckFail || !strings.Contains(c.Detail, "rejected") || report.Exit != ExitPartial {
		t.Errorf("first run: exchange request %s %q, exit %d", c.Status, c.Detail, report.Exit)
	}
	if n := peer.rejected.Load(); n != 1 {
		t.Fatalf("first run: %d rejected requests, want 1", n)
	}
	before := peer.withCredential.Load()
	for run := 2; run <= 3; run++ {
		_, checks = runDoctor(t, p, wrong)
		if c := checks["exchange password"]; c.Status != CheckFail || !strings.HasPrefix(c.Detail, "nothing sent: The server rejected this password at") {
			t.Errorf("run %d: exchange password %s %q", run, c.Status, c.Detail)
		}
		if c := checks["exchange request"]; c.Status != CheckSkip {
			t.Errorf("run %d: exchange request %s", run, c.Status)
		}
	}
	if sent := peer.withCredential.Load() - before; sent != 0 {
		t.Errorf("%d requests with the rejected password after it was recorded, want 0", sent)
	}
}

// A locked keyring: the doctor says so, and nothing that needs the keyring,
// the Exchange request included, is attempted.
func TestDoctorLockedKeyring(t *testing.T) {
	kr := useAuthTestKeyring(t)
	kr.locked = true
	ca := newTestCA(t, "Contoso Issuing CA")
	peer := newDoctorPeer(t, ca.Leaf(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour*24*90), "127.0.0.1"), 0)
	p := testPaths(t)
	writeDoctorConfig(t, p, peer.url, ca.pemFile)
	report, checks := runDoctor(t, p, map[string]string{EWSPasswordEnv: doctorPassword})
	if c := checks["keyring round trip"]; c.Status != CheckFail || !strings.Contains(c.Detail, "locked or unavailable") || !strings.Contains(c.Action, "Unlock the keyring") {
		t.Errorf("keyring round trip: %s %q %q", c.Status, c.Detail, c.Action)
	}
	if c := checks["exchange"]; c.Status != CheckSkip || !strings.Contains(c.Detail, "sends nothing") {
		t.Errorf("exchange: %s %q", c.Status, c.Detail)
	}
	if n := peer.withCredential.Load(); n != 0 {
		t.Errorf("%d requests with a credential while the keyring is locked", n)
	}
	if report.Exit != ExitPartial {
		t.Errorf("exit %d, want 1", report.Exit)
	}
}

// The command: exit 2 for a configuration it cannot read, JSON for scripts.
func TestDoctorCommandExitCodesAndJSON(t *testing.T) {
	useAuthTestKeyring(t)
	tests := []struct {
		name     string
		config   string
		wantExit int
		want     string
	}{
		{"unreadable config", "provider = \"ews\"\nrefresh_interval = 60s\n", ExitConfig, "refresh_interval"},
		{"demo needs nothing", "provider = \"demo\"\n[people]\nemails = [\"a@contoso.com\"]\n", ExitOK, "demo company"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, tt.config)
			var stdout, stderr bytes.Buffer
			env := &Env{Stdout: &stdout, Stderr: &stderr, Paths: p, Now: time.Now, Getenv: func(string) string { return "" }}
			if code := env.run(context.Background(), []string{"doctor", "--json"}); code != tt.wantExit {
				t.Errorf("exit %d, want %d\n%s", code, tt.wantExit, stdout.String())
			}
			var report DoctorReport
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout.String())
			}
			if report.Exit != tt.wantExit || !strings.Contains(stdout.String(), tt.want) {
				t.Errorf("report exit %d, want %d and %q:\n%s", report.Exit, tt.wantExit, tt.want, stdout.String())
			}
		})
	}
}

func TestTokenScopes(t *testing.T) {
	jwt := func(claims string) string {
		return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".sig"
	}
	tests := []struct {
		name  string
		token string
		want  CheckStatus
		text  string
	}{
		{"all granted", jwt(`{"scp":"User.Read Calendars.ReadBasic User.ReadBasic.All Presence.Read.All"}`), CheckOK, "grants User.Read Calendars.ReadBasic"},
		{"one missing", jwt(`{"scp":"User.Read"}`), CheckFail, "missing Calendars.ReadBasic User.ReadBasic.All"},
		{"opaque token", "not-a-jwt", CheckOK, "not a JWT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scopes, ok := tokenScopes(tt.token)
			got := CheckResult{Status: CheckOK, Detail: "not a JWT"}
			if ok {
				got = scopesVerdict("the token", scopes)
			}
			if got.Status != tt.want || !strings.Contains(got.Detail, tt.text) {
				t.Errorf("%s %q", got.Status, got.Detail)
			}
		})
	}
}

// The bundle holds what support needs and no secret: the password given in
// the environment, one in a URL of the config, and the Basic header's base64.
func TestDoctorBundleHoldsNoSecret(t *testing.T) {
	useAuthTestKeyring(t)
	ca := newTestCA(t, "Contoso Issuing CA")
	peer := newDoctorPeer(t, ca.Leaf(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour*24*90), "127.0.0.1"), 0)
	p := testPaths(t)
	writeDoctorConfig(t, p, peer.url, ca.pemFile)
	write(t, p.ConfigFile, fileText(p.ConfigFile)+"\n# old: https://op:UrlSecret99@mail.contoso.com/EWS\n")
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Paths: p, Now: time.Now, Getenv: func(k string) string {
		return map[string]string{EWSPasswordEnv: doctorPassword, "FRONTDESK_LOG_LEVEL": "debug"}[k]
	}}
	code := env.run(context.Background(), []string{"doctor", "--bundle"})
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	_, path, ok := strings.Cut(stdout.String(), "Diagnostics bundle: ")
	path = strings.TrimSpace(path)
	if !ok || filepath.Dir(path) != p.LogDir || !strings.HasPrefix(filepath.Base(path), "frontdesk-diagnostics-") {
		t.Fatalf("bundle path %q", path)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var all strings.Builder
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(data)
	}
	for _, want := range []string{"doctor.txt", "doctor.json", "diagnostics.txt", "config.toml", "policy.toml", "effective-config.toml", "engine-history.txt", "version.txt", "logs/frontdesk.log"} {
		if !names[want] {
			t.Errorf("bundle lacks %s (has %v)", want, names)
		}
	}
	text := all.String()
	if !strings.Contains(text, "exchange request") || !strings.Contains(text, `"method":"POST"`) {
		t.Errorf("the bundle lacks the doctor's report or the request log")
	}
	basic := base64.StdEncoding.EncodeToString([]byte("op@contoso.com:" + doctorPassword))
	for _, secret := range []string{doctorPassword, "UrlSecret99", basic} {
		if strings.Contains(text, secret) {
			t.Errorf("the bundle holds the secret %q", secret)
		}
	}
}

// A server that accepts the connection and never answers: the TLS check
// ends at its own timeout, and once the run's budget is spent every check
// still to come is skipped, saying so, instead of running late.
func TestDoctorTimeoutsBoundTheRun(t *testing.T) {
	useAuthTestKeyring(t)
	hold := make(chan struct{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { <-hold; c.Close() }()
		}
	}()
	t.Cleanup(func() { close(hold); l.Close() })
	url := "https://" + l.Addr().String() + "/EWS/Exchange.asmx"

	tests := []struct {
		name    string
		total   time.Duration
		tls     string
		skipped []string
	}{
		{"the check's own timeout", 14 * time.Second, "did not answer within 4s", nil},
		{"the run's budget", 300 * time.Millisecond, "did not answer within", []string{"keyring round trip", "refresh plan", "log folder"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := doctorTotal
			doctorTotal = tt.total
			t.Cleanup(func() { doctorTotal = old })
			p := testPaths(t)
			writeDoctorConfig(t, p, url, "")
			report, checks := runDoctor(t, p, nil)
			if c := checks["ews tls"]; c.Status != CheckFail || !strings.Contains(c.Detail, tt.tls) {
				t.Errorf("ews tls: %s %q", c.Status, c.Detail)
			}
			for _, name := range tt.skipped {
				if c := checks[name]; c.Status != CheckSkip || !strings.Contains(c.Detail, "budget was spent") {
					t.Errorf("%s after the budget: %s %q", name, c.Status, c.Detail)
				}
			}
			if report.Exit != ExitPartial {
				t.Errorf("exit %d, want 1", report.Exit)
			}
		})
	}
}

// The window's Copy diagnostics and `doctor --bundle` share the code: the
// window's text names a bundle that carries the same text and the engine's
// state.
func TestCopyDiagnosticsWritesTheBundle(t *testing.T) {
	p := testPaths(t)
	write(t, filepath.Join(p.LogDir, LogFileName), `{"level":"INFO","msg":"refresh cycle done","people":3,"state":"ok"}`+"\n")
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Paths: p, Now: time.Now, Getenv: func(string) string { return "" }}
	cfg := DefaultConfig()
	cfg.Provider = ProviderDemo
	snap := calendar.Snapshot{Engine: calendar.EngineState{State: calendar.StateThrottled, Interval: time.Minute}}
	text, _, err := env.diagnostics(context.Background(), cfg, snap, true)
	if err != nil {
		t.Fatal(err)
	}
	_, bundle, ok := strings.Cut(text, "Diagnostics bundle (config, engine history, all logs): ")
	if !ok {
		t.Fatalf("the copied text names no bundle:\n%s", text)
	}
	zr, err := zip.OpenReader(strings.TrimSpace(bundle))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(data)
	}
	if want := env.diagnosticsText(cfg, snap, true); files["diagnostics.txt"] != want || !strings.HasPrefix(text, want) {
		t.Errorf("the bundle's diagnostics.txt differs from the copied text")
	}
	if h := files["engine-history.txt"]; !strings.Contains(h, "now: throttled") || !strings.Contains(h, `"msg":"refresh cycle done"`) {
		t.Errorf("engine history:\n%s", h)
	}
	if !strings.Contains(files["doctor.txt"], "frontdesk doctor --bundle") {
		t.Errorf("doctor.txt from the window: %q", files["doctor.txt"])
	}
}

func TestProxyNoteHidesProxyPassword(t *testing.T) {
	env := map[string]string{"HTTPS_PROXY": "http://svc:ProxySecret1@proxy.contoso.com:3128", "NO_PROXY": ".contoso.com"}
	note := proxyEnvNote(func(k string) string { return env[k] })
	if strings.Contains(note, "ProxySecret1") || !strings.Contains(note, "proxy.contoso.com:3128") || !strings.Contains(note, "NO_PROXY=.contoso.com") {
		t.Errorf("note %q", note)
	}
	if got := proxyEnvNote(func(string) string { return "" }); got != " (no proxy variable set)" {
		t.Errorf("no proxy: %q", got)
	}
}

func TestLastErrorLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), LogFileName)
	var lines []string
	for i := range 6 {
		lines = append(lines, fmt.Sprintf(`{"level":"INFO","msg":"ok %d"}`, i))
	}
	lines = append(lines, `{"level":"WARN","msg":"http request","status":401}`, `{"level":"ERROR","msg":"refreshing stopped"}`,
		`{"level":"INFO","msg":"later"}`, `{"level":"WARN","msg":"server is throttling"}`, `{"level":"WARN","msg":"newest"}`,
		`{"level":"WARN","msg":"calendar unreadable","mail":"a@contoso.com","reason":"not_shared"}`,
		`{"level":"WARN","msg":"calendar unreadable","mail":"b@contoso.com","reason":"no_mailbox"}`,
		`{"level":"WARN","msg":"http request","doctor_probe":true,"status":404}`)
	write(t, path, strings.Join(lines, "\n")+"\n")
	fi, _ := os.Stat(path)
	// A colleague's unreadable calendar is counted, and does not push the
	// account's problems out of the last three.
	got, calendars := lastErrorLines(path, 3, fi.Size())
	want := []string{`{"level":"ERROR","msg":"refreshing stopped"}`, `{"level":"WARN","msg":"server is throttling"}`, `{"level":"WARN","msg":"newest"}`}
	if strings.Join(got, "|") != strings.Join(want, "|") || calendars != 2 {
		t.Errorf("got %q and %d calendar lines, want %q and 2", got, calendars, want)
	}
	// What this run logged itself (past the size at its start) is left out.
	before := int64(len(strings.Join(lines[:8], "\n")) + 1)
	got, _ = lastErrorLines(path, 3, before)
	want = []string{`{"level":"WARN","msg":"http request","status":401}`, `{"level":"ERROR","msg":"refreshing stopped"}`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("up to the run's start: got %q, want %q", got, want)
	}
}

// The policy line: which keys it locks, and a policy file anyone may write
// is reported as ignored with what to do (the loader's own ownership rule).
func TestDoctorPolicyCheck(t *testing.T) {
	useAuthTestKeyring(t)
	// TestMain trusts every policy file; this test is about the real rule.
	old := trustPolicyFile
	trustPolicyFile = policyFileTrusted
	t.Cleanup(func() { trustPolicyFile = old })
	tests := []struct {
		name   string
		mode   os.FileMode
		want   CheckStatus
		detail string
	}{
		{"root-owned, others read only", 0o644, CheckOK, "trusted, locks provider, refresh_interval"},
		{"writable by everyone", 0o666, CheckWarn, "is ignored: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPaths(t)
			write(t, p.ConfigFile, "provider = \"demo\"\n")
			write(t, p.PolicyFile, "provider = \"demo\"\nrefresh_interval = \"2m\"\n")
			if err := os.Chmod(p.PolicyFile, tt.mode); err != nil {
				t.Fatal(err)
			}
			want, detail := tt.want, tt.detail
			if os.Getuid() != 0 && want == CheckOK {
				// Only root can own the file as a real policy must be owned.
				want, detail = CheckWarn, "not root"
			}
			_, checks := runDoctor(t, p, nil)
			c := checks["policy"]
			if c.Status != want || !strings.Contains(c.Detail, detail) {
				t.Errorf("policy: %s %q, want %s with %q", c.Status, c.Detail, want, detail)
			}
			if want == CheckWarn && !strings.Contains(c.Action, "writable by no one else") {
				t.Errorf("action %q", c.Action)
			}
			if c, ok := checks["config"]; !ok || c.Status != CheckOK {
				t.Errorf("config: %s %q (the ignored policy is the policy line's to report)", c.Status, c.Detail)
			}
		})
	}
}

// connectProxy is an HTTPS proxy on loopback: CONNECT, then bytes both ways.
func connectProxy(t *testing.T) (addr string, tunnels *atomic.Int64) {
	t.Helper()
	tunnels = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		upstream, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		tunnels.Add(1)
		w.WriteHeader(http.StatusOK)
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			upstream.Close()
			return
		}
		go func() { _, _ = io.Copy(upstream, rw); upstream.Close() }()
		_, _ = io.Copy(conn, upstream)
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), tunnels
}

// With a proxy in effect, the doctor names it, resolves and connects to the
// proxy (the machine may not resolve the server itself), and checks the
// server's certificate through the tunnel; a proxy that is down is named.
func TestDoctorThroughAProxy(t *testing.T) {
	useAuthTestKeyring(t)
	ca := newTestCA(t, "Contoso Issuing CA")
	peer := newDoctorPeer(t, ca.Leaf(t, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour), "127.0.0.1"), 0)
	up, tunnels := connectProxy(t)
	down := httptest.NewServer(http.NotFoundHandler())
	downAddr := down.Listener.Addr().String()
	down.Close()

	tests := []struct {
		name    string
		proxy   string
		connect CheckResult
		tls     CheckStatus
	}{
		{"proxy up", up, CheckResult{Status: CheckOK, Detail: "TCP connection to " + up}, CheckOK},
		{"proxy down", downAddr, CheckResult{Status: CheckFail, Detail: downAddr + " refused the connection"}, CheckSkip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := doctorProxy
			doctorProxy = func(*http.Request) (*neturl.URL, error) { return neturl.Parse("http://" + tt.proxy) }
			t.Cleanup(func() { doctorProxy = old })
			before := tunnels.Load()
			p := testPaths(t)
			writeDoctorConfig(t, p, peer.url, ca.pemFile)
			_, checks := runDoctor(t, p, map[string]string{"HTTPS_PROXY": "http://" + tt.proxy})
			if c := checks["ews proxy"]; c.Status != CheckOK || !strings.Contains(c.Detail, "through the proxy http://"+tt.proxy) || !strings.Contains(c.Detail, "HTTPS_PROXY=http://"+tt.proxy) {
				t.Errorf("ews proxy: %s %q", c.Status, c.Detail)
			}
			if c := checks["ews connect"]; c.Status != tt.connect.Status || !strings.Contains(c.Detail, tt.connect.Detail) {
				t.Errorf("ews connect: %s %q, want %s %q", c.Status, c.Detail, tt.connect.Status, tt.connect.Detail)
			}
			if c := checks["ews connect"]; c.Status == CheckFail && !strings.Contains(c.Action, "HTTPS_PROXY") {
				t.Errorf("a proxy that is down: action %q does not name HTTPS_PROXY", c.Action)
			}
			if c := checks["ews tls"]; c.Status != tt.tls {
				t.Errorf("ews tls: %s %q, want %s", c.Status, c.Detail, tt.tls)
			}
			if tt.tls == CheckOK && tunnels.Load() == before {
				t.Error("the TLS check did not go through the proxy")
			}
		})
	}
}

// nxdomainServer is a DNS server on loopback that knows no name.
func nxdomainServer(t *testing.T) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			answer := append([]byte(nil), buf[:n]...)
			answer[2] |= 0x80                     // a response
			answer[3] = answer[3]&0x70 | 0x80 | 3 // recursion available, NXDOMAIN
			_, _ = pc.WriteTo(answer, from)
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

// A name the DNS does not know: the doctor says which and what to check,
// and skips the checks that need the address.
func TestDoctorUnknownHostName(t *testing.T) {
	useAuthTestKeyring(t)
	old := doctorResolver
	doctorResolver = nxdomainServer(t)
	t.Cleanup(func() { doctorResolver = old })
	p := testPaths(t)
	writeDoctorConfig(t, p, "https://mail.contoso.invalid/EWS/Exchange.asmx", "")
	report, checks := runDoctor(t, p, nil)
	if c := checks["ews dns"]; c.Status != CheckFail || !strings.Contains(c.Detail, "mail.contoso.invalid does not resolve") || !strings.Contains(c.Action, "ews.url") {
		t.Errorf("ews dns: %s %q %q", c.Status, c.Detail, c.Action)
	}
	for _, name := range []string{"ews connect", "ews tls"} {
		if c := checks[name]; c.Status != CheckSkip {
			t.Errorf("%s: %s, want SKIP", name, c.Status)
		}
	}
	if report.Exit != ExitPartial {
		t.Errorf("exit %d", report.Exit)
	}
}

// The window's Copy diagnostics says how long the window's thread was held at
// most and by what; `doctor`, which has no window, says nothing of it.
func TestDiagnosticsSayTheLongestUICallback(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 42, 7, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		uiThread func() ui.UIThreadReport
		want     string // "" when no Window line is wanted
	}{
		{"doctor has no window", nil, ""},
		{"a window before its first snapshot", func() ui.UIThreadReport { return ui.UIThreadReport{} }, "Window: no snapshot applied yet\n"},
		{"a window that froze", func() ui.UIThreadReport {
			return ui.UIThreadReport{Callbacks: 120, Slow: 3, Longest: ui.UICallback{What: "apply snapshot", People: 50000, Took: 180 * time.Millisecond, At: at}}
		}, "Window: longest callback on the UI thread 180 ms (apply snapshot, 50000 colleagues, at 10:42:07); 3 of 120 over 50 ms\n"},
		{"a window that waited for a core", func() ui.UIThreadReport {
			return ui.UIThreadReport{Callbacks: 9, Slow: 1, Longest: ui.UICallback{What: "apply snapshot", People: 50000, Took: 150 * time.Millisecond, At: at, CPU: 20 * time.Millisecond, CPUKnown: true}}
		}, "Window: longest callback on the UI thread 150 ms (apply snapshot, 50000 colleagues, at 10:42:07, 20 ms of it on the CPU); 1 of 9 over 50 ms\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := &Env{Paths: testPaths(t), Now: time.Now, Getenv: func(string) string { return "" }, uiThread: tc.uiThread}
			text := env.diagnosticsText(DefaultConfig(), calendar.Snapshot{}, false)
			if tc.want == "" {
				if strings.Contains(text, "Window:") {
					t.Errorf("doctor's text speaks of a window:\n%s", text)
				}
				return
			}
			if !strings.Contains(text, tc.want) {
				t.Errorf("diagnostics lack %q:\n%s", tc.want, text)
			}
		})
	}
}
