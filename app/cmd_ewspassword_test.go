package app

import (
	"bytes"
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

const (
	lockoutUser          = `CONTOSO\frontdesk`
	lockoutRightPassword = "Autumn2026!right"
	lockoutWrongPassword = "Autumn2026!wrong-one"
)

// lockoutServer is an EWS responder behind Basic authentication that knows
// one password, as IIS does, and counts every request that reaches it.
type lockoutServer struct {
	url, caFile        string
	requests, rejected atomic.Int64
	inFlight, maxSeen  atomic.Int64
}

func newLockoutServer(t *testing.T) *lockoutServer {
	t.Helper()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: ewstest.SalesTeam}
	ls := &lockoutServer{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.requests.Add(1)
		n := ls.inFlight.Add(1)
		defer ls.inFlight.Add(-1)
		for seen := ls.maxSeen.Load(); n > seen && !ls.maxSeen.CompareAndSwap(seen, n); seen = ls.maxSeen.Load() {
		}
		if user, pw, ok := r.BasicAuth(); !ok || user != lockoutUser || pw != lockoutRightPassword {
			ls.rejected.Add(1)
			w.Header().Set("WWW-Authenticate", `Basic realm="127.0.0.1"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ls.caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(ls.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	ls.url = srv.URL + "/EWS/Exchange.asmx"
	return ls
}

// processEnv is one run of the binary: its own Env (no memory shared with
// an earlier run) over the same folders and keyring.
func processEnv(paths Paths, now time.Time, getenv map[string]string) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &Env{Stdout: &stdout, Stderr: &stderr, Paths: paths,
		Now:    func() time.Time { return now },
		Getenv: func(k string) string { return getenv[k] }}, &stdout, &stderr
}

// A rejected password is sent once, ever: the run that got the 401 and every
// later run say when it was rejected and how to enter the new one, and only
// `ews-password` lets a password out again.
func TestRejectedPasswordIsNotSentByALaterRun(t *testing.T) {
	kr := useAuthTestKeyring(t)
	ctx := context.Background()
	if err := auth.NewCredentialStore(kr).SetEWSPassword(ctx, lockoutUser, lockoutWrongPassword); err != nil {
		t.Fatal(err)
	}
	server := newLockoutServer(t)
	paths := testPaths(t)
	cfg := ewsConfig(server.url, server.caFile)
	writeConfig(t, paths.ConfigFile, cfg)
	la, _ := time.LoadLocation(cfg.TimeZone)
	y, m, d := time.Now().In(la).Date()
	now := time.Date(y, m, d, 10, 2, 30, 0, la)
	const sentence = "The server rejected this password at 10:02. Enter the new one: frontdesk ews-password"

	for run := 1; run <= 3; run++ {
		env, stdout, stderr := processEnv(paths, now.Add(time.Duration(run-1)*time.Hour), nil)
		if code := env.run(ctx, []string{"status"}); code != ExitAuth {
			t.Fatalf("run %d: exit %d, want %d; stderr: %s", run, code, ExitAuth, stderr)
		}
		if !strings.Contains(stderr.String(), sentence) {
			t.Errorf("run %d: stderr %q, want %q", run, stderr, sentence)
		}
		if strings.Contains(stdout.String()+stderr.String(), lockoutWrongPassword) {
			t.Errorf("run %d printed the password", run)
		}
		if n := server.requests.Load(); n != 1 {
			t.Fatalf("after run %d the server saw %d requests, want 1 in all", run, n)
		}
	}
	assertNotInFiles(t, lockoutWrongPassword, paths.StateDir, paths.LogDir)
	if _, err := os.Stat(filepath.Join(paths.StateDir, auth.RejectionsFile)); err != nil {
		t.Fatalf("no rejection on record: %v", err)
	}

	// The right password through the command: one try, and the data.
	env, stdout, stderr := processEnv(paths, now, nil)
	env.Stdin = strings.NewReader(lockoutRightPassword + "\n")
	if code := env.run(ctx, []string{"ews-password"}); code != ExitOK {
		t.Fatalf("ews-password: exit %d; stderr: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "Password stored") {
		t.Errorf("ews-password said %q", stdout)
	}
	env, stdout, stderr = processEnv(paths, now, nil)
	if code := env.run(ctx, []string{"status", "--json"}); code != ExitPartial {
		t.Fatalf("status after ews-password: exit %d; stderr: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "Dan Park") {
		t.Errorf("no data after the new password:\n%s", stdout)
	}
	if server.rejected.Load() != 1 {
		t.Errorf("%d rejected requests, want 1", server.rejected.Load())
	}
	if _, err := os.Stat(filepath.Join(paths.StateDir, auth.RejectionsFile)); err == nil {
		if data, _ := os.ReadFile(filepath.Join(paths.StateDir, auth.RejectionsFile)); bytes.Contains(data, []byte(`"server"`)) {
			t.Errorf("the rejection is still on record:\n%s", data)
		}
	}
}

// The same password again through ews-password is the operator's explicit
// retry: it is sent once, and when it is rejected again, never after.
func TestEWSPasswordRetriesTheSamePasswordOnce(t *testing.T) {
	useAuthTestKeyring(t)
	ctx := context.Background()
	server := newLockoutServer(t)
	paths := testPaths(t)
	writeConfig(t, paths.ConfigFile, ewsConfig(server.url, server.caFile))
	now := time.Now()
	for i, want := range []int64{1, 2} {
		env, _, stderr := processEnv(paths, now, nil)
		env.Stdin = strings.NewReader(lockoutWrongPassword)
		if code := env.run(ctx, []string{"ews-password"}); code != ExitOK {
			t.Fatalf("ews-password %d: exit %d; stderr: %s", i, code, stderr)
		}
		for run := 0; run < 2; run++ {
			env, _, _ = processEnv(paths, now, nil)
			if code := env.run(ctx, []string{"status"}); code != ExitAuth {
				t.Fatalf("status: exit %d", code)
			}
		}
		if n := server.requests.Load(); n != want {
			t.Fatalf("after retry %d the server saw %d requests, want %d", i+1, n, want)
		}
	}
}

// A rejection on record and a keyring that cannot be read: the password from
// the environment cannot be compared with it, so nothing is sent.
func TestLockedKeyringWithARejectionOnRecordSendsNothing(t *testing.T) {
	kr := useAuthTestKeyring(t)
	ctx := context.Background()
	server := newLockoutServer(t)
	paths := testPaths(t)
	writeConfig(t, paths.ConfigFile, ewsConfig(server.url, server.caFile))
	withPassword := func(pw string) map[string]string { return map[string]string{EWSPasswordEnv: pw} }

	env, _, _ := processEnv(paths, time.Now(), withPassword(lockoutWrongPassword))
	if code := env.run(ctx, []string{"status"}); code != ExitAuth || server.requests.Load() != 1 {
		t.Fatalf("first run: exit %d after %d requests", code, server.requests.Load())
	}
	kr.locked = true
	env, _, stderr := processEnv(paths, time.Now(), withPassword(lockoutRightPassword))
	if code := env.run(ctx, []string{"status"}); code != ExitAuth {
		t.Fatalf("exit %d, want %d", code, ExitAuth)
	}
	if n := server.requests.Load(); n != 1 {
		t.Errorf("%d requests, want still 1", n)
	}
	if !strings.Contains(stderr.String(), "the keyring cannot be read to check this one, so nothing was sent") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestEWSPasswordCommand(t *testing.T) {
	tests := []struct {
		name       string
		config     func(Config) Config
		stdin      string
		args       []string
		locked     bool
		wantCode   int
		wantStored string
		wantStderr string
	}{
		{name: "stores the line, spaces kept", stdin: "  pass word \r\n", wantCode: ExitOK, wantStored: "  pass word "},
		{name: "last line without a newline", stdin: "hunter2", wantCode: ExitOK, wantStored: "hunter2"},
		{name: "keyring locked", stdin: "hunter2\n", locked: true, wantCode: ExitAuth, wantStderr: keyringLockedPasswordHint},
		{name: "empty stdin", stdin: "", wantCode: ExitConfig, wantStderr: "The password is empty"},
		{name: "password as an argument", stdin: "", args: []string{"hunter2"}, wantCode: ExitConfig, wantStderr: "not from the command line"},
		{name: "no Exchange settings", config: func(c Config) Config { c.Provider = ProviderDemo; c.EWS = EWSConfig{}; return c },
			stdin: "hunter2\n", wantCode: ExitConfig, wantStderr: "Exchange is not configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := useAuthTestKeyring(t)
			kr.locked = tt.locked
			paths := testPaths(t)
			cfg := ewsConfig("https://mail.contoso.com/EWS/Exchange.asmx", "")
			if tt.config != nil {
				cfg = tt.config(cfg)
			}
			writeConfig(t, paths.ConfigFile, cfg)
			rejections := auth.NewRejections(paths.StateDir, kr)
			// A rejection of this very password on record: ews-password clears it all the same.
			g := auth.NewRejectionGuard(auth.GuardOptions{Rejections: rejections, Server: cfg.EWS.URL, User: cfg.EWS.Username, Password: auth.Secret(tt.wantStored)})
			if !tt.locked && tt.wantCode == ExitOK {
				_ = g.Rejected(context.Background(), nil)
			}
			env, _, stderr := processEnv(paths, time.Now(), nil)
			env.Stdin = strings.NewReader(tt.stdin)
			if code := env.run(context.Background(), append([]string{"ews-password"}, tt.args...)); code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not say %q", stderr, tt.wantStderr)
			}
			if tt.wantCode != ExitOK {
				return
			}
			kr.locked = false
			if got, err := auth.NewCredentialStore(kr).EWSPassword(context.Background(), cfg.EWS.Username); err != nil || got.Reveal() != tt.wantStored {
				t.Errorf("stored %q (%v), want %q", got.Reveal(), err, tt.wantStored)
			}
			g = auth.NewRejectionGuard(auth.GuardOptions{Rejections: rejections, Server: cfg.EWS.URL, User: cfg.EWS.Username, Password: auth.Secret(tt.wantStored)})
			if err := g.Check(context.Background()); err != nil {
				t.Errorf("the rejection is still on record: %v", err)
			}
		})
	}
}

// StoreEWSPassword is what the window's password dialog calls.
func TestStoreEWSPasswordErrors(t *testing.T) {
	kr := useAuthTestKeyring(t)
	env, _, _ := processEnv(testPaths(t), time.Now(), nil)
	ctx := context.Background()
	cfg := ewsConfig("https://mail.contoso.com/EWS/Exchange.asmx", "")
	if err := env.StoreEWSPassword(ctx, Config{}, "pw"); exitCodeFor(err) != ExitConfig {
		t.Errorf("no EWS settings: %v", err)
	}
	kr.locked = true
	err := env.StoreEWSPassword(ctx, cfg, "pw")
	if !auth.IsKeyringUnavailable(err) || exitCodeFor(err) != ExitAuth || OperatorMessage(err) != keyringLockedPasswordHint {
		t.Errorf("locked keyring: %v (%q)", err, OperatorMessage(err))
	}
	kr.locked = false
	if err := env.StoreEWSPassword(ctx, cfg, "pw"); err != nil {
		t.Errorf("stored: %v", err)
	}
}

func assertNotInFiles(t *testing.T, secret string, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(secret)) {
					t.Errorf("%s contains the password", p)
				}
			}
			return nil
		})
	}
}

func TestRejectedPasswordMessage(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 10, 2, 0, 0, la)
	const button = `the "Enter the password" button`
	tests := []struct {
		name  string
		rej   calendar.PasswordRejectedError
		where string
		now   time.Time
		want  string
	}{
		{"terminal, today", calendar.PasswordRejectedError{At: at}, EWSPasswordCommand, at.Add(3 * time.Hour),
			"The server rejected this password at 10:02. Enter the new one: frontdesk ews-password"},
		{"window, today", calendar.PasswordRejectedError{At: at}, button, at.Add(time.Minute),
			`The server rejected this password at 10:02. Enter the new one: the "Enter the password" button`},
		{"an earlier day", calendar.PasswordRejectedError{At: at}, EWSPasswordCommand, at.AddDate(0, 0, 1),
			"The server rejected this password on 2026-11-30 at 10:02. Enter the new one: frontdesk ews-password"},
		{"keyring unreadable", calendar.PasswordRejectedError{At: at, Unchecked: true}, EWSPasswordCommand, at,
			"The server rejected a password for this account at 10:02 and the keyring cannot be read to check this one, so nothing was sent. Unlock the keyring, then enter the password: frontdesk ews-password"},
		{"keyring unreadable, an earlier day", calendar.PasswordRejectedError{At: at, Unchecked: true}, EWSPasswordCommand, at.AddDate(0, 0, 2),
			"The server rejected a password for this account on 2026-11-30 at 10:02 and the keyring cannot be read to check this one, so nothing was sent. Unlock the keyring, then enter the password: frontdesk ews-password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RejectedPasswordMessage(&tt.rej, tt.where, tt.now); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
