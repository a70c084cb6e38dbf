package e2e

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

const (
	ewsUser     = `CONTOSO\frontdesk`
	ewsPassword = "Winter2026!e2e"
)

// ewsResponder serves Microsoft's documented EWS answers over TLS on
// 127.0.0.1, checks every request (ewstest), and answers 401 to any
// credentials but ewsUser/ewsPassword, as IIS does for Basic. It returns the
// endpoint, the PEM file of its self-signed certificate and a request counter.
func ewsResponder(t *testing.T) (url, caFile string, requests *atomic.Int64, rs *ewstest.Responder) {
	t.Helper()
	rs = &ewstest.Responder{Version: "Exchange2013_SP1", Handle: ewstest.SalesTeam}
	requests = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if user, pw, ok := r.BasicAuth(); !ok || user != ewsUser || pw != ewsPassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="127.0.0.1"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rs.ServeHTTP(w, r)
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("responder not on loopback: %s", srv.URL)
	}
	caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/EWS/Exchange.asmx", caFile, requests, rs
}

func writeEWSConfig(t *testing.T, url, caFile string) string {
	t.Helper()
	return ewsConfigFile(t, url, caFile, ewsUser, "60s", `group = "sales@exampledomain.com"`)
}

// ewsConfigFile writes a Basic-auth EWS config for user against url (trusted
// through caFile), refreshing every interval, with people as the [people]
// table's body.
func ewsConfigFile(t *testing.T, url, caFile, user, interval, people string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := fmt.Sprintf(`provider = "ews"
refresh_interval = %q
time_zone = "America/Los_Angeles"

[ews]
url = %q
version = "Exchange2013_SP1"
auth = "basic"
username = %q
ca_file = %q

[people]
%s
`, interval, url, user, caFile, people)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// status --json on EWS prints the documented people with their statuses at
// 07:30 Pacific on the documented day.
func TestEWSStatusJSON(t *testing.T) {
	url, caFile, requests, rs := ewsResponder(t)
	config := writeEWSConfig(t, url, caFile)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", config, "--at", "2006-10-16T07:30:00-07:00")
	if code != 1 { // Tanja Plate's mailbox is not found: "some people unknown"
		t.Fatalf("exit %d, want 1 (partial); stderr: %s\nstdout: %s", code, stderr, out)
	}
	for _, v := range rs.Violations() {
		t.Errorf("responder: %s", v)
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if s.Source != "ews" || s.State != "partial" || len(s.People) != 3 {
		t.Fatalf("source %q state %q people %d\n%s", s.Source, s.State, len(s.People), out)
	}
	until := func(i int) string {
		if s.People[i].Until == nil {
			return "null"
		}
		return *s.People[i].Until
	}
	dan, jeff, tanja := s.People[0], s.People[1], s.People[2]
	if dan.Name != "Dan Park" || dan.Email != "dpark@exampledomain.com" || dan.Status != "busy" ||
		dan.Subject != "Pick up my groceries" || until(0) != "2006-10-16T08:00:00-07:00" {
		t.Errorf("Dan Park: %+v until %s", dan, until(0))
	}
	if !dan.OutOfOffice.Active || !strings.HasPrefix(dan.OutOfOffice.Message, "I am at the customer summit until Friday.") {
		t.Errorf("Dan Park's automatic reply: %+v", dan.OutOfOffice)
	}
	// Jeff Price is free until his tentative meeting at 09:00.
	if jeff.Name != "Jeff Price" || jeff.Status != "free" || until(1) != "2006-10-16T09:00:00-07:00" || jeff.OutOfOffice.Active {
		t.Errorf("Jeff Price: %+v until %s", jeff, until(1))
	}
	if tanja.Name != "Tanja Plate" || tanja.Status != "unknown" || !strings.Contains(tanja.Error, "ErrorMailRecipientNotFound") {
		t.Errorf("Tanja Plate: %+v", tanja)
	}
	ops := map[string]int{}
	for _, r := range rs.Requests() {
		ops[r.Operation]++
	}
	// The meeting rooms: one GetRoomLists, one GetRooms per list (two), and
	// their calendars in the same GetUserAvailability (TestRoomsEWSStatusJSON).
	if ops["ExpandDL"] != 1 || ops["GetUserAvailability"] != 1 || ops["GetMailTips"] != 1 ||
		ops["GetRoomLists"] != 1 || ops["GetRooms"] != 2 || requests.Load() != 6 {
		t.Errorf("requests %v (%d in all)", ops, requests.Load())
	}
	assertNoPasswordInFiles(t, home, ewsPassword)
	if strings.Contains(out+stderr, ewsPassword) {
		t.Error("the password reached stdout or stderr")
	}
}

// A rejected password stops everything after one request: with Basic, every
// attempt is a failed logon that counts towards the Active Directory lockout.
func TestEWSWrongPasswordExits3AfterOneRequest(t *testing.T) {
	url, caFile, requests, _ := ewsResponder(t)
	config := writeEWSConfig(t, url, caFile)
	env, home := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=not-the-password")
	start := time.Now()
	out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", config, "--at", "2006-10-16T07:30:00-07:00")
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr: %s\nstdout: %s", code, stderr, out)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests reached the server, want exactly 1", n)
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.State != "auth_paused" {
		t.Errorf("state %q (%v)\n%s", s.State, err, out)
	}
	t.Logf("exit 3 after %d request(s) in %v; stderr: %s", requests.Load(), time.Since(start).Round(time.Millisecond), strings.TrimSpace(stderr))
	assertNoPasswordInFiles(t, home, "not-the-password")
}

// No password at all: exit 3 before anything is sent.
func TestEWSWithoutPasswordSendsNothing(t *testing.T) {
	url, caFile, requests, _ := ewsResponder(t)
	// The keyring is the session's, shared by every test: another test may have
	// stored a password for ewsUser there. An account nobody stored one for
	// makes "no password anywhere" true whatever ran before.
	unstored := fmt.Sprintf("nobody-stored-this-%d@exampledomain.com", time.Now().UnixNano())
	config := ewsConfigFile(t, url, caFile, unstored, "60s", `group = "sales@exampledomain.com"`)
	env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD=")
	_, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", config)
	if code != 3 || requests.Load() != 0 {
		t.Fatalf("exit %d after %d requests, want 3 after none; stderr: %s", code, requests.Load(), stderr)
	}
}

func assertNoPasswordInFiles(t *testing.T, dir, password string) {
	t.Helper()
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if data, rerr := os.ReadFile(p); rerr == nil && strings.Contains(string(data), password) {
				t.Errorf("%s contains the password", p)
			}
		}
		return nil
	})
}
