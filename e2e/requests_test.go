package e2e

import (
	"bufio"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// fakeGraph is a loopback Graph for what Prism cannot express: a thousand
// generated users, paging links that loop or leave, and a count of every
// request by route.
type fakeGraph struct {
	*httptest.Server
	mu     sync.Mutex
	counts map[string]int
	auths  map[string]int // requests that carried a bearer token, by route
}

func newFakeGraph(t *testing.T, handle func(fg *fakeGraph, w http.ResponseWriter, r *http.Request)) *fakeGraph {
	t.Helper()
	fg := &fakeGraph{counts: map[string]int{}, auths: map[string]int{}}
	fg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		fg.mu.Lock()
		fg.counts[route]++
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			fg.auths[route]++
		}
		fg.mu.Unlock()
		handle(fg, w, r)
	}))
	t.Cleanup(fg.Close)
	return fg
}

func (fg *fakeGraph) count(route string) int {
	fg.mu.Lock()
	defer fg.mu.Unlock()
	return fg.counts[route]
}

func (fg *fakeGraph) total() int {
	fg.mu.Lock()
	defer fg.mu.Unlock()
	n := 0
	for _, c := range fg.counts {
		n += c
	}
	return n
}

func writeGraphJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// graphConfig writes a Microsoft 365 configuration for the whole tenant
// directory at graphURL and returns the environment to run frontdesk with.
func graphConfig(t *testing.T, graphURL string, presence bool) (env []string, home string) {
	t.Helper()
	env, home = isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret")
	cfg := filepath.Join(home, "frontdesk.toml")
	config := fmt.Sprintf(`provider = "microsoft365"
refresh_interval = "60s"
time_zone = "Europe/Paris"
[microsoft365]
client_id = "11111111-2222-3333-4444-555555555555"
graph_url = "%s/v1.0"
presence = %t
[people]
all = true
`, graphURL, presence)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return append(env, "FRONTDESK_CONFIG="+cfg), home
}

func onePersonPage(next string) map[string]any {
	page := map[string]any{"value": []map[string]any{{"id": "1", "displayName": "Adele Vance", "mail": "adelev@contoso.com", "accountEnabled": true}}}
	if next != "" {
		page["@odata.nextLink"] = next
	}
	return page
}

// A server whose @odata.nextLink points back at the page it is on used to
// get 660 requests in 30 s; now every listing stops at the first repeat, and
// the operator is not sent to Settings for the server's fault.
func TestDirectoryNextLinkLoopStops(t *testing.T) {
	frontdeskBin(t)
	fg := newFakeGraph(t, func(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
		writeGraphJSON(w, onePersonPage(fg.URL+"/v1.0/users?$skiptoken=same-page-again"))
	})
	env, _ := graphConfig(t, fg.URL, false)
	start := time.Now()
	_, stderr, code := runFrontdesk(t, env, "status", "--json")
	took := time.Since(start)
	total := fg.count("GET /v1.0/users")
	t.Logf("%d requests to /users in %s, exit %d: %s", total, took.Round(time.Millisecond), code, strings.TrimSpace(stderr))
	if total != 2 {
		t.Fatalf("%d requests for a nextLink that points at itself, want 2 (the first page and one repeat)", total)
	}
	if code == 0 || strings.Contains(stderr, "Settings problem") || strings.Contains(stderr, "Cannot reach") || !strings.Contains(stderr, "did not end properly") {
		t.Fatalf("exit %d, stderr %q: want a failure that names the server's listing, not the settings or the network", code, stderr)
	}
}

// A nextLink to another origin (here: the same host, another port) is not
// followed and never gets the token.
func TestDirectoryForeignNextLinkGetsNoToken(t *testing.T) {
	frontdeskBin(t)
	foreign := newFakeGraph(t, func(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
		writeGraphJSON(w, onePersonPage(""))
	})
	fg := newFakeGraph(t, func(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
		writeGraphJSON(w, onePersonPage(foreign.URL+"/v1.0/users?$skiptoken=2"))
	})
	env, _ := graphConfig(t, fg.URL, false)
	_, stderr, code := runFrontdesk(t, env, "status", "--json")
	t.Logf("exit %d: %s", code, strings.TrimSpace(stderr))
	if foreign.total() != 0 {
		t.Fatalf("the foreign origin got %d requests", foreign.total())
	}
	if fg.count("GET /v1.0/users") != 1 || code == 0 || strings.Contains(stderr, "Settings problem") {
		t.Fatalf("%d directory requests, exit %d, stderr %q", fg.count("GET /v1.0/users"), code, stderr)
	}
}

// thousandRooms are the meeting rooms of the thousand-person tenant.
const thousandRooms = 45

// thousandPeople serves a tenant of 1,000 colleagues over two pages of /users
// and 45 meeting rooms on one page of /places, getSchedule for whoever is
// asked and presence for every id.
func thousandPeople(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
	switch r.Method + " " + r.URL.Path {
	case "GET /v1.0/places/microsoft.graph.room":
		var rooms []map[string]any
		for i := range thousandRooms {
			rooms = append(rooms, map[string]any{"id": fmt.Sprintf("place-%02d", i), "displayName": fmt.Sprintf("Room %02d", i),
				"emailAddress": fmt.Sprintf("room%02d@contoso.com", i), "capacity": 4 + i%10, "building": "HQ", "floorNumber": i % 5})
		}
		writeGraphJSON(w, map[string]any{"value": rooms})
	case "GET /v1.0/users":
		from, to := 0, 999
		if r.URL.Query().Get("$skiptoken") == "page2" {
			from, to = 999, 1000
		}
		var users []map[string]any
		for i := from; i < to; i++ {
			users = append(users, map[string]any{"id": fmt.Sprintf("u%04d", i), "displayName": fmt.Sprintf("Colleague %04d", i),
				"mail": fmt.Sprintf("p%04d@contoso.com", i), "accountEnabled": true, "businessPhones": []string{}})
		}
		page := map[string]any{"value": users}
		if from == 0 {
			page["@odata.nextLink"] = fg.URL + "/v1.0/users?$top=999&$skiptoken=page2"
		}
		writeGraphJSON(w, page)
	case "POST /v1.0/me/calendar/getSchedule":
		var req struct{ Schedules []string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var out []map[string]any
		for _, s := range req.Schedules {
			out = append(out, map[string]any{"scheduleId": s, "availabilityView": strings.Repeat("0", 4*24*4), "scheduleItems": []any{}})
		}
		writeGraphJSON(w, map[string]any{"value": out})
	case "POST /v1.0/communications/getPresencesByUserId":
		var req struct{ IDs []string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		var out []map[string]any
		for _, id := range req.IDs {
			out = append(out, map[string]any{"id": id, "availability": "Available", "activity": "Available"})
		}
		writeGraphJSON(w, map[string]any{"value": out})
	default:
		http.NotFound(w, r)
	}
}

// A 1,000-person refresh: the requests the server saw equal the count the
// budget logged (directory pages, presence and getSchedule alike).
func TestThousandPersonRefreshRequestCount(t *testing.T) {
	bin := frontdeskBin(t)
	fg := newFakeGraph(t, thousandPeople)
	env, home := graphConfig(t, fg.URL, true)
	cmd := exec.Command(bin, "watch", "--json")
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
	stopByPIDOnCleanup(t, cmd, syscall.SIGINT)

	refreshed := make(chan struct {
		state  string
		people int
	}, 10)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 16<<20), 16<<20)
		for sc.Scan() {
			var s struct {
				State  string            `json:"state"`
				People []json.RawMessage `json:"people"`
			}
			if json.Unmarshal(sc.Bytes(), &s) == nil {
				refreshed <- struct {
					state  string
					people int
				}{s.State, len(s.People)}
			}
		}
	}()
	deadline := time.After(90 * time.Second)
	for done := false; !done; {
		select {
		case s := <-refreshed:
			done = s.state == "ok" && s.people == 1000
			t.Logf("watch: state %s, %d people", s.state, s.people)
		case <-deadline:
			t.Fatal("no complete refresh of 1,000 people within 90 s")
		}
	}
	seen := fg.total()
	logged := loggedRequestCount(t, home)
	t.Logf("server saw %d requests (users %d, rooms %d, getSchedule %d, presence %d); the budget logged %d",
		seen, fg.count("GET /v1.0/users"), fg.count("GET /v1.0/places/microsoft.graph.room"), fg.count("POST /v1.0/me/calendar/getSchedule"),
		fg.count("POST /v1.0/communications/getPresencesByUserId"), logged)
	// The rooms share the colleagues' batches: ceil(1045/20) = 53 getSchedule,
	// within ceil(1000/20) + ceil(45/20) = 53; no presence is asked for rooms.
	if want := 2 + 1 + 53 + 2; seen != want {
		t.Errorf("server saw %d requests, want %d (2 directory pages, 1 rooms listing, 53 getSchedule, 2 presence)", seen, want)
	}
	if got, most := fg.count("POST /v1.0/me/calendar/getSchedule"), 1000/20+(thousandRooms+19)/20; got > most {
		t.Errorf("%d getSchedule, want at most ceil(people/20)+ceil(rooms/20) = %d", got, most)
	}
	if logged != seen {
		t.Fatalf("the budget logged %d requests, the server saw %d", logged, seen)
	}
}

// The same for `status`, which runs one cycle of the same engine.
func TestThousandPersonStatusRequestCount(t *testing.T) {
	frontdeskBin(t)
	fg := newFakeGraph(t, thousandPeople)
	env, home := graphConfig(t, fg.URL, true)
	stdout, stderr, code := runFrontdesk(t, env, "status", "--json")
	var s statusJSON
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || code != 0 || len(s.People) != 1000 {
		t.Fatalf("exit %d, %d people, %v; stderr %s", code, len(s.People), err, stderr)
	}
	seen, logged := fg.total(), loggedRequestCount(t, home)
	t.Logf("server saw %d requests; the budget logged %d", seen, logged)
	if seen != 2+1+53+2 || logged != seen {
		t.Fatalf("server saw %d requests (want 58: 2 directory pages, 1 rooms listing, 53 getSchedule, 2 presence), the budget logged %d", seen, logged)
	}
}

// loggedRequestCount reads requests_sent from the last "refresh cycle done"
// line of the log.
func loggedRequestCount(t *testing.T, home string) int {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join(home, ".local", "state", "frontdesk", "*.log"))
	count := -1
	for _, l := range logs {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			var rec struct {
				Msg  string `json:"msg"`
				Sent *int   `json:"requests_sent"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "refresh cycle done" && rec.Sent != nil {
				count = *rec.Sent
			}
		}
	}
	if count < 0 {
		t.Fatalf("no \"refresh cycle done\" line with requests_sent in %v", logs)
	}
	return count
}

// unreadableEWS serves the documented distribution list over TLS and answers
// GetUserAvailability with availability; it returns the endpoint and CA file.
func unreadableEWS(t *testing.T, availability ewstest.Answer) (url, caFile string) {
	t.Helper()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: func(r *ewstest.Request) ewstest.Answer {
		if r.Operation == "GetUserAvailability" {
			return availability
		}
		return ewstest.SalesTeam(r)
	}}
	srv := httptest.NewTLSServer(rs)
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "exchange-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/EWS/Exchange.asmx", caFile
}

// An answer the server sent but nobody can read says so, with its HTTP status,
// the same way for Graph and EWS: a server error fails the refresh ("could not
// read (HTTP 500)", never "Cannot reach the server"); an unreadable 200 leaves
// that batch's people unknown with the reason.
func TestUnreadableAnswerSaysSo(t *testing.T) {
	frontdeskBin(t)
	const html = "<html><body>Please sign in to the proxy</body></html>"
	type outcome struct {
		stdout, stderr string
		code           int
	}
	runGraph := func(t *testing.T, status int) outcome {
		fg := newFakeGraph(t, func(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1.0/users" {
				writeGraphJSON(w, onePersonPage(""))
				return
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			fmt.Fprint(w, html)
		})
		env, _ := graphConfig(t, fg.URL, false)
		stdout, stderr, code := runFrontdesk(t, env, "status", "--json")
		return outcome{stdout, stderr, code}
	}
	runEWS := func(t *testing.T, status int) outcome {
		url, caFile := unreadableEWS(t, ewstest.Answer{Status: status, Body: html, Header: http.Header{"Content-Type": {"text/html"}}})
		env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
		stdout, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", writeEWSConfig(t, url, caFile))
		return outcome{stdout, stderr, code}
	}
	for name, run := range map[string]func(*testing.T, int) outcome{"graph": runGraph, "ews": runEWS} {
		t.Run(name+" 500", func(t *testing.T) {
			o := run(t, http.StatusInternalServerError)
			t.Logf("exit %d: %s", o.code, strings.TrimSpace(o.stderr))
			if o.code != 4 || !strings.Contains(o.stderr, "The server sent an answer Frontdesk could not read (HTTP 500).") || strings.Contains(o.stderr, "Cannot reach") {
				t.Fatalf("exit %d, stderr %q", o.code, o.stderr)
			}
		})
		t.Run(name+" HTML in a 200", func(t *testing.T) {
			o := run(t, http.StatusOK)
			var s statusJSON
			if err := json.Unmarshal([]byte(o.stdout), &s); err != nil {
				t.Fatalf("exit %d, %v\n%s\n%s", o.code, err, o.stdout, o.stderr)
			}
			if o.code != 1 || len(s.People) == 0 {
				t.Fatalf("exit %d (want 1: people unknown), %d people; stderr %q", o.code, len(s.People), o.stderr)
			}
			for _, p := range s.People {
				if p.Status != "unknown" || !strings.Contains(p.Error, "could not read (HTTP 200)") {
					t.Errorf("%s: %s, error %q", p.Email, p.Status, p.Error)
				}
			}
			t.Logf("%d people unknown: %s", len(s.People), s.People[0].Error)
		})
	}
}
