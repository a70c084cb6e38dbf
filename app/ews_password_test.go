package app

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
	"github.com/frontdesk-app/frontdesk/ui"
)

// lockingExchange is an EWS server in front of an Active Directory account:
// every request with another password than the current one is a failed logon,
// answered 401; the others get Microsoft's documented answers.
type lockingExchange struct {
	url, caFile string

	mu       sync.Mutex
	password string
	logons   []bool // one per request: accepted?
}

func startLockingExchange(t *testing.T, password string) *lockingExchange {
	t.Helper()
	x := &lockingExchange{password: password}
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: ewstest.SalesTeam}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pw, _ := r.BasicAuth()
		x.mu.Lock()
		accepted := pw == x.password
		x.logons = append(x.logons, accepted)
		x.mu.Unlock()
		if !accepted {
			w.Header().Set("WWW-Authenticate", `Basic realm="mail.contoso.com"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	x.url = srv.URL + "/EWS/Exchange.asmx"
	x.caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(x.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return x
}

// changePassword is the account's password changed on the server.
func (x *lockingExchange) changePassword(password string) {
	x.mu.Lock()
	x.password = password
	x.mu.Unlock()
}

// requests is how many requests reached the server, and how many it rejected.
func (x *lockingExchange) requests() (all, rejected int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, ok := range x.logons {
		if !ok {
			rejected++
		}
	}
	return len(x.logons), rejected
}

func ewsPasswordTestEnv(t *testing.T) *Env {
	t.Helper()
	return &Env{Stdout: &discardWriter{}, Stderr: &discardWriter{}, Now: time.Now, Paths: testPaths(t), Logger: discardLogger(),
		Getenv: func(string) string { return "" }}
}

type discardWriter struct{}

func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// The welcome page's Connect clicked three times with the same rejected
// password is one failed logon on the account, not three: the first answer is
// recorded and the password is not sent again. Nothing is stored or saved.
func TestWelcomeConnectSendsARejectedPasswordOnce(t *testing.T) {
	kr := useAuthTestKeyring(t)
	x := startLockingExchange(t, "Winter2026!right")
	env := ewsPasswordTestEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ws := &windowSettings{env: env, live: newLiveEngine(ctx, env)}
	s := ui.Settings{Provider: ProviderEWS, EWSURL: x.url, EWSVersion: "Exchange2013_SP1", EWSAuth: "basic",
		EWSUser: "reception@contoso.com", EWSCAFile: x.caFile, RefreshInterval: "60s",
		People: ui.PeopleList, Emails: "reception@contoso.com"}

	for click := 1; click <= 3; click++ {
		err := ws.Connect(context.Background(), s, "Winter2026!wrong", nil)
		if calendar.KindOf(err) != calendar.KindAuth {
			t.Fatalf("click %d: %v, want the password rejection", click, err)
		}
	}
	if all, rejected := x.requests(); all != 1 || rejected != 1 {
		t.Errorf("three Connects with the same wrong password: the server saw %d requests (%d rejected), want 1", all, rejected)
	}
	if _, err := os.Stat(env.Paths.ConfigFile); !os.IsNotExist(err) {
		t.Errorf("a rejected Connect saved the settings (%v)", err)
	}
	if pw, err := auth.NewCredentialStore(kr).EWSPassword(context.Background(), "reception@contoso.com"); err == nil {
		t.Errorf("a rejected Connect stored a password (%d characters)", len(pw.Reveal()))
	}

	// Another password gets its one try, and works.
	if err := ws.Connect(context.Background(), s, "Winter2026!right", nil); err != nil {
		t.Fatalf("Connect with the right password: %v", err)
	}
	if all, rejected := x.requests(); all < 2 || rejected != 1 {
		t.Errorf("after the right password the server saw %d requests (%d rejected), want more, with still 1 rejected", all, rejected)
	}
}

// nextSnapshot waits for the live engine's next snapshot that satisfies want.
func nextSnapshot(t *testing.T, live *liveEngine, what string, want func(calendar.Snapshot) bool, each func(calendar.Snapshot)) calendar.Snapshot {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case s := <-live.Snapshots():
			if each != nil {
				each(s)
			}
			if want(s) {
				return s
			}
		case <-deadline:
			t.Fatalf("no snapshot with %s", what)
		}
	}
}

// The password changes on the server while the console runs: the engine
// pauses with the colleagues still on screen. A wrong password typed in the
// "Enter the password" prompt costs one request, is not stored, and the list
// stays as it was; the right one is stored and polling resumes.
func TestRejectedRetryFromThePromptKeepsTheListAndThePassword(t *testing.T) {
	kr := useAuthTestKeyring(t)
	store := auth.NewCredentialStore(kr)
	x := startLockingExchange(t, "Winter2026!old")
	cfg := ewsConfig(x.url, x.caFile)
	if err := store.SetEWSPassword(context.Background(), cfg.EWS.Username, "Winter2026!old"); err != nil {
		t.Fatal(err)
	}
	env := ewsPasswordTestEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	live := newLiveEngine(ctx, env)
	live.Start(cfg)
	// The sales team's three, and the responder's two meeting rooms.
	first := nextSnapshot(t, live, "the sales team", func(s calendar.Snapshot) bool { return len(s.Colleagues()) == 3 }, nil)
	if first.Engine.Reason != nil {
		t.Fatalf("first cycle: %v", first.Engine.Reason)
	}

	x.changePassword("Winter2026!new")
	live.RefreshPerson(first.People[0].Person.Key(), true) // the operator asks again (F5): fresh data is not re-fetched by a click
	paused := nextSnapshot(t, live, "the pause", func(s calendar.Snapshot) bool { return s.Engine.State == calendar.StateAuthPaused }, nil)
	people := len(paused.People)
	if len(paused.Colleagues()) != 3 {
		t.Fatalf("paused with %d colleagues on screen, want the 3 of the last good data", len(paused.Colleagues()))
	}
	_, rejectedBefore := x.requests()

	actions := env.windowActions(live, &windowSettings{env: env, live: live}, func() string { return ProviderEWS })
	err := actions.StorePassword(ctx, "Winter2026!typo")
	if calendar.KindOf(err) != calendar.KindAuth {
		t.Errorf("a wrong password from the prompt: %v, want the server's rejection", err)
	}
	if pw, err := store.EWSPassword(ctx, cfg.EWS.Username); err != nil || pw.Reveal() != "Winter2026!old" {
		t.Errorf("after a rejected retry the keyring holds another password (%v); want the old one kept", err)
	}
	if _, rejected := x.requests(); rejected != rejectedBefore+1 {
		t.Errorf("the wrong password cost %d failed logons, want 1", rejected-rejectedBefore)
	}
	// The operator's Retry: whatever the engine publishes next keeps the list.
	live.Resume()
	nextSnapshot(t, live, "the pause after the retry", func(s calendar.Snapshot) bool { return s.Engine.Reason != nil }, func(s calendar.Snapshot) {
		if len(s.People) != people {
			t.Fatalf("after a rejected retry the window shows %d colleagues (state %s), want the %d on screen before", len(s.People), s.Engine.State, people)
		}
	})

	if err := actions.StorePassword(ctx, "Winter2026!new"); err != nil {
		t.Fatalf("the right password from the prompt: %v", err)
	}
	if pw, err := store.EWSPassword(ctx, cfg.EWS.Username); err != nil || pw.Reveal() != "Winter2026!new" {
		t.Errorf("the accepted password was not stored (%v)", err)
	}
	nextSnapshot(t, live, "the sales team again", func(s calendar.Snapshot) bool {
		return len(s.Colleagues()) == 3 && s.Engine.Reason == nil && s.Engine.State != calendar.StateAuthPaused
	}, nil)
}
