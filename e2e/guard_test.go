package e2e

import (
	"bufio"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/app/testfs"
)

// rejectedLogons counts the 401s the server answered to a request that
// carried a password: each is a failed logon on the Active Directory account.
func (x *lockoutExchange) rejectedLogons() int {
	n := 0
	for _, r := range x.requests() {
		if r.status == http.StatusUnauthorized && r.credentials {
			n++
		}
	}
	return n
}

// runWatch runs `frontdesk watch --json` and hands over its lines.
func runWatch(t *testing.T, env []string, config string) <-chan watchLine {
	t.Helper()
	cmd := exec.Command(frontdeskBin(t), "watch", "--json", "--config", config)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = &testLogWriter{t: t, prefix: "watch: "}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan watchLine, 100)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var l watchLine
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				lines <- l
			}
		}
	}()
	stopByPIDOnCleanup(t, cmd, syscall.SIGINT)
	return lines
}

type runResult struct {
	stdout, stderr string
	code           int
}

// runTogether starts every run at once and returns their results in order.
func runTogether(t *testing.T, env []string, runs ...[]string) []runResult {
	t.Helper()
	results := make([]runResult, len(runs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, args := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out, errOut, code := runFrontdesk(t, env, args...)
			results[i] = runResult{out, errOut, code}
		}()
	}
	close(start)
	wg.Wait()
	return results
}

// Five `status` runs and a `watch` started together with a stale password:
// one failed logon in all. The first process to send holds the account's lock
// in the state folder until the 401 is recorded; the others wait for that
// verdict, read it, and send nothing.
func TestConcurrentStartsSendAStalePasswordOnce(t *testing.T) {
	frontdeskBin(t)
	requireSecretService(t)
	x := newLockoutExchange(t)
	config := x.writeConfig(t)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+lockoutWrongPassword)

	lines := runWatch(t, env, config)
	status := []string{"status", "--config", config}
	results := runTogether(t, env, status, status, status, status, status)
	waitForState(t, lines, "auth_paused", 60*time.Second)
	for i, r := range results {
		if r.code != 3 || !strings.Contains(r.stderr, "rejected this password") {
			t.Errorf("status %d: exit %d, stderr %q; want 3 and the rejection", i, r.code, r.stderr)
		}
	}
	rejected, sent := x.rejectedLogons(), len(x.requests())
	// Every request carries the password here: no doctor runs.
	t.Logf("5 status + 1 watch with a stale password: %d requests, %d rejected logons", sent, rejected)
	if rejected != 1 || sent != 1 {
		t.Errorf("%d requests, %d rejected logons; want exactly 1 of each", sent, rejected)
	}
}

// A state folder that cannot take the record of a rejection: no process
// sends a password whose rejection it could not remember, and each says why.
// The tester's figures were 5 rejected logons (full, 3 status + watch +
// doctor) and 3 (read-only, 3 status).
func TestUnwritableStateFolderSendsNoPassword(t *testing.T) {
	tests := []struct {
		name   string
		full   bool
		reason string
	}{
		{"full disk", true, "(disk full)"},
		{"read-only profile", false, "(the folder cannot be written)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frontdeskBin(t)
			requireSecretService(t)
			x := newLockoutExchange(t)
			config := x.writeConfig(t)
			env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+lockoutWrongPassword)
			stateDir := filepath.Join(home, ".local", "state", "frontdesk")
			testfs.UnwritableFolder(t, stateDir, tt.full)
			sentence := "Frontdesk cannot save its state in " + stateDir + " " + tt.reason

			status := []string{"status", "--config", config}
			runs := [][]string{status, status, status}
			if tt.full {
				runs = append(runs, []string{"doctor", "--config", config})
				lines := runWatch(t, env, config)
				defer func() { waitForState(t, lines, "auth_paused", 60*time.Second) }()
			}
			results := runTogether(t, env, runs...)
			for i, r := range results[:3] {
				if r.code != 3 || !strings.Contains(r.stderr, sentence) {
					t.Errorf("status %d: exit %d, stderr %q; want 3 and %q", i, r.code, r.stderr, sentence)
				}
			}
			if tt.full {
				doctor := results[3]
				if !strings.Contains(doctor.stdout, "state folder") && !strings.Contains(doctor.stdout, stateDir+" is full") {
					t.Errorf("doctor does not name the full folder:\n%s", doctor.stdout)
				}
				t.Logf("doctor:\n%s", doctor.stdout)
			}
			t.Logf("%s: %d requests (doctor's clock check asks without a password), %d rejected logons; status said: %s",
				tt.name, len(x.requests()), x.rejectedLogons(), strings.TrimSpace(results[0].stderr))
			if n := x.rejectedLogons(); n != 0 {
				t.Errorf("%d rejected logons, want none: no password whose rejection cannot be remembered is sent", n)
			}
		})
	}
}

// Spellings of one server are one account: after one rejection, the same
// URL written four other ways sends nothing (the tester got one more failed
// logon from each).
func TestSpellingsOfOneServerShareTheRejection(t *testing.T) {
	frontdeskBin(t)
	requireSecretService(t)
	x := newLockoutExchange(t)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+lockoutWrongPassword)
	base := strings.TrimSuffix(x.url, "/EWS/Exchange.asmx")
	spellings := []string{
		x.url,
		x.url + "?",
		base + "//EWS/Exchange.asmx",
		strings.Replace(x.url, "127.0.0.1", "localhost", 1),
		x.url + "/.",
	}
	for _, url := range spellings {
		config := ewsConfigFile(t, url, x.caFile, lockoutUser, "60s", `group = "sales@exampledomain.com"`)
		_, stderr, code := runFrontdesk(t, env, "status", "--config", config)
		if code != 3 || !strings.Contains(stderr, "rejected this password") {
			t.Errorf("%s: exit %d, stderr %q; want 3 and the rejection", url, code, stderr)
		}
	}
	t.Logf("5 spellings of one URL: %d requests, %d rejected logons", len(x.requests()), x.rejectedLogons())
	if n := x.rejectedLogons(); n != 1 {
		t.Errorf("%d rejected logons, want 1", n)
	}
}

// A server's Retry-After outlives the process that received it: a second
// `status` inside the window sends nothing and says when to run it again
// (the tester's second status sent 8 requests inside a 120 s window, and
// promised a retry a one-shot command never makes).
func TestRetryAfterIsRememberedAcrossRuns(t *testing.T) {
	throttled := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":{"code":"ApplicationThrottled","message":"Too many requests."}}`))
		}
	}
	tests := []struct {
		name   string
		config func(t *testing.T, home, url, caFile string) string
		status int
	}{
		{"exchange", func(t *testing.T, home, url, caFile string) string {
			return ewsConfigFile(t, url+"/EWS/Exchange.asmx", caFile, lockoutUser, "60s", `emails = ["dpark@contoso.com"]`)
		}, http.StatusServiceUnavailable},
		{"microsoft 365", func(t *testing.T, home, url, caFile string) string {
			cfg := filepath.Join(home, "config.toml")
			body := `provider = "microsoft365"
[microsoft365]
client_id = "11111111-2222-3333-4444-555555555555"
graph_url = "` + url + `/v1.0"
presence = false
[people]
emails = ["adelev@contoso.com", "alexw@contoso.com"]
`
			if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			return cfg
		}, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frontdeskBin(t)
			var mu sync.Mutex
			requests := 0
			handler := throttled(tt.status)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requests++
				mu.Unlock()
				handler(w, r)
			}))
			srv.StartTLS()
			t.Cleanup(srv.Close)
			caFile := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
				t.Fatal(err)
			}
			env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+lockoutRightPassword,
				"FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret", "SSL_CERT_FILE="+caFile)
			config := tt.config(t, home, srv.URL, caFile)
			count := func() int { mu.Lock(); defer mu.Unlock(); return requests }

			_, stderr, code := runFrontdesk(t, env, "status", "--config", config)
			first := count()
			if code != 4 || first == 0 {
				t.Fatalf("first status: exit %d after %d requests, stderr %q; want 4 after the server's 429/503", code, first, stderr)
			}
			t.Logf("first status: %d requests: %s", first, strings.TrimSpace(stderr))
			_, stderr, code = runFrontdesk(t, env, "status", "--config", config)
			t.Logf("second status: %d requests: %s", count()-first, strings.TrimSpace(stderr))
			if n := count() - first; n != 0 {
				t.Errorf("the second status sent %d requests inside the server's 120 s window, want 0", n)
			}
			if code != 4 || !retryAgainSentence.MatchString(stderr) {
				t.Errorf("second status: exit %d, stderr %q; want 4 and when to run it again", code, stderr)
			}
			if strings.Contains(stderr, "try again by itself") || strings.Contains(stderr, "will try again") {
				t.Errorf("a one-shot status promises a retry: %q", stderr)
			}
		})
	}
}

var retryAgainSentence = regexp.MustCompile(`The server asked Frontdesk to wait until \d\d:\d\d:\d\d, so nothing more was sent\. Run this again after that\.`)
