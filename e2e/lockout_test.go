package e2e

import (
	"bytes"
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
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/frontdesk-app/frontdesk/auth"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// Its own account, so its keyring item cannot meet another test's.
const (
	lockoutUser          = `CONTOSO\lockout`
	lockoutRightPassword = "Spring2027!right"
	lockoutWrongPassword = "Spring2027!wrong"
)

// lockoutExchange is the EWS responder behind Basic authentication, as IIS
// runs it: one password is right, every request is logged with its answer.
type lockoutExchange struct {
	url, caFile string
	mu          sync.Mutex
	log         []lockoutRequest
	inFlight    int
}

type lockoutRequest struct {
	status     int
	concurrent int // requests in flight when this one arrived, itself included
	// credentials: the request carried a user and password (doctor's clock
	// check, for one, asks without any: its 401 is no failed logon).
	credentials bool
}

func newLockoutExchange(t *testing.T) *lockoutExchange {
	t.Helper()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: ewstest.SalesTeam}
	x := &lockoutExchange{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x.mu.Lock()
		x.inFlight++
		req := lockoutRequest{status: http.StatusOK, concurrent: x.inFlight}
		x.mu.Unlock()
		defer func() {
			x.mu.Lock()
			x.inFlight--
			x.log = append(x.log, req)
			x.mu.Unlock()
		}()
		user, pw, ok := r.BasicAuth()
		req.credentials = ok
		if !ok || user != lockoutUser || pw != lockoutRightPassword {
			req.status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Basic realm="127.0.0.1"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	srv.StartTLS()
	t.Cleanup(func() {
		srv.Close()
		for _, v := range rs.Violations() {
			t.Errorf("responder: %s", v)
		}
	})
	x.caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(x.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	x.url = srv.URL + "/EWS/Exchange.asmx"
	return x
}

func (x *lockoutExchange) requests() []lockoutRequest {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]lockoutRequest(nil), x.log...)
}

func (x *lockoutExchange) writeConfig(t *testing.T) string {
	t.Helper()
	return ewsConfigFile(t, x.url, x.caFile, lockoutUser, "60s", `group = "sales@exampledomain.com"`)
}

func runWithStdin(t *testing.T, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(frontdeskBin(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run frontdesk %v: %v", args, err)
	}
	return out.String(), errb.String(), 0
}

func forgetLockoutPassword(t *testing.T) {
	t.Cleanup(func() {
		if err := gokeyring.Delete(auth.KeyringService, "ews:"+strings.ToLower(lockoutUser)); err != nil && err != gokeyring.ErrNotFound {
			t.Logf("removing the test's keyring item: %v", err)
		}
	})
}

var rejectedSentence = regexp.MustCompile(`The server rejected this password at (\d\d:\d\d)\. Enter the new one: frontdesk ews-password`)

// The lockout guard across processes, on the real binary, the real keyring
// and a console under Xvfb: a wrong password costs exactly one request, ever;
// `status` again and a console start send nothing and say when it was
// rejected; `frontdesk ews-password` with the right one lets exactly one
// request out first, then the data comes.
func TestRejectedPasswordIsSentOnceAcrossProcesses(t *testing.T) {
	bin := frontdeskBin(t)
	requireSecretService(t)
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("DISPLAY is not set: scripts/test.sh starts Xvfb")
	}
	forgetLockoutPassword(t)
	x := newLockoutExchange(t)
	config := x.writeConfig(t)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=")
	stateDir := filepath.Join(home, ".local", "state", "frontdesk")

	// The operator enters the wrong password.
	if _, stderr, code := runWithStdin(t, env, lockoutWrongPassword+"\n", "ews-password", "--config", config); code != 0 {
		t.Fatalf("ews-password: exit %d: %s", code, stderr)
	}
	if n := len(x.requests()); n != 0 {
		t.Fatalf("ews-password sent %d requests; it only stores", n)
	}

	// First status: the one rejected request.
	_, stderr, code := runFrontdesk(t, env, "status", "--config", config)
	first := rejectedSentence.FindStringSubmatch(stderr)
	if code != 3 || first == nil {
		t.Fatalf("first status: exit %d, stderr %q; want 3 and the rejection sentence", code, stderr)
	}
	if reqs := x.requests(); len(reqs) != 1 || reqs[0].status != http.StatusUnauthorized {
		t.Fatalf("after the first status the server saw %+v, want one rejected request", reqs)
	}
	rejectedAt := first[1]
	t.Logf("first status: %s", strings.TrimSpace(stderr))

	// Second status: nothing sent, same sentence, same time.
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", config)
	again := rejectedSentence.FindStringSubmatch(stderr)
	if code != 3 || again == nil || again[1] != rejectedAt {
		t.Errorf("second status: exit %d, stderr %q; want 3 and the rejection at %s", code, stderr, rejectedAt)
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.State != "auth_paused" {
		t.Errorf("second status --json: state %q (%v)\n%s", s.State, err, out)
	}

	// A console start: the window opens paused on the same fact.
	logLine := startConsoleUntilPaused(t, bin, env, config, filepath.Join(stateDir, "frontdesk.log"))
	if !strings.Contains(logLine, "password_rejected") || !strings.Contains(logLine, "T"+rejectedAt+":") {
		t.Errorf("the console paused on %q, want the rejection at %s", logLine, rejectedAt)
	}
	t.Logf("console: %s", logLine)
	if n := len(x.requests()); n != 1 {
		t.Fatalf("after status, status and a console start the server saw %d requests, want exactly 1", n)
	}

	// What is on disk holds no password, the record a keyed fingerprint.
	assertNoPasswordInFiles(t, home, lockoutWrongPassword)
	record, err := os.ReadFile(filepath.Join(stateDir, auth.RejectionsFile))
	if err != nil || !strings.Contains(string(record), `"fingerprint"`) {
		t.Errorf("rejection record: %v\n%s", err, record)
	}

	// The right password: one request alone, then the data.
	if _, stderr, code := runWithStdin(t, env, lockoutRightPassword+"\n", "ews-password", "--config", config); code != 0 {
		t.Fatalf("ews-password: exit %d: %s", code, stderr)
	}
	out, stderr, code = runFrontdesk(t, env, "status", "--json", "--config", config, "--at", "2006-10-16T07:30:00-07:00")
	if code != 1 { // Tanja Plate's mailbox is not found: "some people unknown"
		t.Fatalf("status with the right password: exit %d; stderr %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || len(s.People) != 3 || s.People[0].Name != "Dan Park" || s.People[0].Status != "busy" {
		t.Errorf("status with the right password: %v\n%s", err, out)
	}
	reqs := x.requests()
	fresh := reqs[1:]
	if len(fresh) == 0 || fresh[0].status != http.StatusOK || fresh[0].concurrent != 1 {
		t.Errorf("the first request with the new password: %+v, want one accepted request alone", fresh)
	}
	rejected := 0
	for _, r := range reqs {
		if r.status == http.StatusUnauthorized {
			rejected++
		}
	}
	if rejected != 1 {
		t.Errorf("%d rejected requests in all, want 1", rejected)
	}
	t.Logf("the server saw %d requests: 1 rejected, then %d accepted (the first alone)", len(reqs), len(fresh))
	if strings.Contains(out+stderr, lockoutRightPassword) {
		t.Error("the password reached stdout or stderr")
	}
	assertNoPasswordInFiles(t, home, lockoutRightPassword)
}

// PasswordRejectedScreenshot is the console as it opens on a rejected password.
const PasswordRejectedScreenshot = "out/console-password-rejected.png"

// startConsoleUntilPaused starts the real console and returns the log line in
// which its engine stopped; the console is then closed.
func startConsoleUntilPaused(t *testing.T, bin string, env []string, config, logFile string) string {
	t.Helper()
	cmd := exec.Command(bin, "--config", config)
	cmd.Env = env
	exited, stderr := startInGroup(t, cmd)
	defer stopGroup(cmd, exited, 10*time.Second)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the console exited: %v\n%s", err, stderr.String())
		case <-time.After(300 * time.Millisecond):
		}
		data, _ := os.ReadFile(logFile)
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "refreshing stopped until the operator acts") {
				// A picture of the paused window for the test output.
				waitForWindow(t, "Frontdesk", exited, stderr)
				time.Sleep(2 * time.Second) // the paused snapshot renders
				screenshot(t, PasswordRejectedScreenshot)
				abs, _ := filepath.Abs(PasswordRejectedScreenshot)
				t.Logf("screenshot: %s", abs)
				return line
			}
		}
	}
	t.Fatalf("the console did not pause within 60s\nlog: %s\nstderr: %s", logFile, stderr.String())
	return ""
}

// A locked keyring: ews-password says so and exits 3, and stores nothing.
func TestEWSPasswordWithALockedKeyringExits3(t *testing.T) {
	frontdeskBin(t)
	requireSecretService(t)
	forgetLockoutPassword(t)
	x := newLockoutExchange(t)
	config := x.writeConfig(t)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=")
	lockLoginKeyring(t)
	_, stderr, code := runWithStdin(t, env, lockoutRightPassword+"\n", "ews-password", "--config", config)
	if code != 3 || !strings.Contains(stderr, "keyring is locked or unavailable") {
		t.Errorf("exit %d, stderr %q; want 3 and the keyring sentence", code, stderr)
	}
	if strings.Contains(stderr, lockoutRightPassword) {
		t.Error("the password reached stderr")
	}
}
