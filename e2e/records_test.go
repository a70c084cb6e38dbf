package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// recordPerson is one colleague of a status --json or watch --json line, with
// the fields that say whether their answer is this refresh's.
type recordPerson struct {
	Name      string  `json:"name"`
	Email     string  `json:"email"`
	Status    string  `json:"status"`
	Subject   string  `json:"subject"`
	Error     string  `json:"error"`
	Stale     bool    `json:"stale"`
	FetchedAt *string `json:"fetched_at"`
}

type recordSnapshot struct {
	State       string `json:"state"`
	Limitations []struct {
		Kind  string `json:"kind"`
		Count int    `json:"count"`
	} `json:"limitations"`
	People []recordPerson `json:"people"`
}

func (s recordSnapshot) person(email string) (recordPerson, bool) {
	for _, p := range s.People {
		if strings.EqualFold(p.Email, email) {
			return p, true
		}
	}
	return recordPerson{}, false
}

const (
	adeleUser = `{"id":"1","displayName":"Adele Vance","mail":"adelev@contoso.com","businessPhones":[],"accountEnabled":true}`
	alexUser  = `{"id":"2","displayName":"Alex Wilber","mail":"alexw@contoso.com","businessPhones":[],"accountEnabled":true}`
)

// fakeGraphAPI is the few Graph routes the status and watch commands use,
// on plain HTTP on 127.0.0.1 (graph_url accepts http on loopback).
// getSchedule's answer is schedules(n, emails) for the nth request (from 1).
func fakeGraphAPI(t *testing.T, users string, schedules func(n int64, emails []string) string) (url string, scheduleCalls *atomic.Int64) {
	t.Helper()
	scheduleCalls = new(atomic.Int64)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1.0/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, users)
	})
	mux.HandleFunc("POST /v1.0/me/calendar/getSchedule", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Schedules []string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, schedules(scheduleCalls.Add(1), req.Schedules))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, scheduleCalls
}

// busySchedule is a schedule busy in "Planning" from an hour ago for three hours.
func busySchedule(email string) string {
	start := time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04:05")
	end := time.Now().UTC().Add(2 * time.Hour).Format("2006-01-02T15:04:05")
	return fmt.Sprintf(`{"scheduleId":%q,"availabilityView":"","scheduleItems":[{"status":"busy","subject":"Planning","start":{"dateTime":%q,"timeZone":"UTC"},"end":{"dateTime":%q,"timeZone":"UTC"}}]}`, email, start, end)
}

func graphRecordsConfig(t *testing.T, url, people, interval string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := fmt.Sprintf(`provider = "microsoft365"
refresh_interval = %q
[microsoft365]
client_id = "11111111-2222-3333-4444-555555555555"
graph_url = "%s/v1.0"
presence = false
[people]
%s
`, interval, url, people)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// One user of /users with a field of the wrong JSON type is left out, and
// said to be; the other colleagues are listed with their calendars. It used
// to give 0 people (exit 4).
func TestStatusListsTheOthersWhenOneUserRecordDoesNotRead(t *testing.T) {
	for _, tt := range []struct{ name, bad string }{
		{"display name is a number", `{"id":"9","displayName":42,"mail":"bad@contoso.com","businessPhones":[]}`},
		{"mail is an object", `{"id":"9","displayName":"Bad Record","mail":{},"businessPhones":[]}`},
	} {
		bad := tt.bad
		t.Run(tt.name, func(t *testing.T) {
			url, _ := fakeGraphAPI(t, `{"value":[`+adeleUser+`,`+bad+`,`+alexUser+`]}`, func(_ int64, emails []string) string {
				var out []string
				for _, e := range emails {
					out = append(out, busySchedule(e))
				}
				return `{"value":[` + strings.Join(out, ",") + `]}`
			})
			env, _ := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret")
			out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", graphRecordsConfig(t, url, "all = true", "60s"))
			var s recordSnapshot
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatalf("exit %d: %v\n%s\nstderr: %s", code, err, out, stderr)
			}
			if code != 0 || len(s.People) != 2 {
				t.Fatalf("exit %d, %d people, want 0 and the two that read\n%s\nstderr: %s", code, len(s.People), out, stderr)
			}
			for _, email := range []string{"adelev@contoso.com", "alexw@contoso.com"} {
				if p, ok := s.person(email); !ok || p.Status != "busy" || p.Subject != "Planning" || p.Stale {
					t.Errorf("%s: %+v", email, p)
				}
			}
			if len(s.Limitations) != 1 || s.Limitations[0].Kind != "directory_incomplete" || s.Limitations[0].Count != 1 {
				t.Errorf("limitations %+v: nothing says a directory record was left out", s.Limitations)
			}
		})
	}
}

// EWS: one display name that is not UTF-8, in the distribution list or in
// the ResolveNames answer for a configured address, used to give 0 people
// (exit 4); now everyone is listed, that name with U+FFFD.
func TestEWSStatusListsEveryoneWhenOneNameIsNotUTF8(t *testing.T) {
	tests := []struct {
		name    string
		people  string
		garbled string // the address whose name is not UTF-8
		status  string // theirs at 07:30 on the documented day
		handle  ewstest.Handler
	}{
		{"distribution list", `group = "sales@exampledomain.com"`, "jprice@exampledomain.com", "free", func(r *ewstest.Request) ewstest.Answer {
			if r.Operation == "ExpandDL" {
				return ewstest.Answer{Body: strings.Replace(ewstest.Fixture("expanddl.xml"), "Jeff Price", "Jeff Pr\xefce", 1)}
			}
			return ewstest.SalesTeam(r)
		}},
		{"configured addresses", `emails = ["dpark@exampledomain.com", "User2@example.com", "tplate@exampledomain.com"]`, "User2@example.com", "unknown", func(r *ewstest.Request) ewstest.Answer {
			if r.Operation != "ResolveNames" {
				return ewstest.SalesTeam(r)
			}
			switch strings.ToLower(r.Entry) {
			case "smtp:user2@example.com":
				return ewstest.Answer{Body: strings.ReplaceAll(ewstest.Fixture("resolvenames.xml"), ">User2<", ">User\xff2<")}
			case "smtp:dpark@exampledomain.com":
				return ewstest.Answer{Body: ewstest.Fixture("resolvenames-multiple.xml")}
			}
			return ewstest.Answer{Body: ewstest.Fixture("resolvenames-noresults.xml")}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, caFile, _, rs := ewsResponder(t)
			rs.Handle = tt.handle
			config := ewsConfigFile(t, url, caFile, ewsUser, "60s", tt.people)
			env, _ := isolatedEnv(t, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
			out, stderr, code := runFrontdesk(t, env, "status", "--json", "--config", config, "--at", "2006-10-16T07:30:00-07:00")
			var s recordSnapshot
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatalf("exit %d: %v\n%s\nstderr: %s", code, err, out, stderr)
			}
			if code != 1 || len(s.People) != 3 { // Tanja Plate has no mailbox: partial
				t.Fatalf("exit %d, %d people; want 1 and all three\n%s\nstderr: %s", code, len(s.People), out, stderr)
			}
			p, ok := s.person(tt.garbled)
			if !ok || p.Status != tt.status || !strings.Contains(p.Name, "\uFFFD") {
				t.Errorf("%s: %+v", tt.garbled, p)
			}
			if dan, _ := s.person("dpark@exampledomain.com"); dan.Status != "busy" || dan.Name != "Dan Park" {
				t.Errorf("Dan Park: %+v", dan)
			}
		})
	}
}

// watchSnapshots runs `frontdesk watch --json` with config and returns its
// lines, decoded, as they come.
func watchSnapshots(t *testing.T, config string, extraEnv ...string) <-chan recordSnapshot {
	t.Helper()
	env, _ := isolatedEnv(t, extraEnv...)
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
	lines := make(chan recordSnapshot, 100)
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait) // runs after the process is stopped: cleanups run last first
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var s recordSnapshot
			if json.Unmarshal(sc.Bytes(), &s) == nil {
				select {
				case lines <- s:
				default: // nobody reads any more
				}
			}
		}
	}()
	stopByPIDOnCleanup(t, cmd, syscall.SIGINT)
	return lines
}

// waitForSnapshot returns the first line ok accepts, or fails after within.
func waitForSnapshot(t *testing.T, lines <-chan recordSnapshot, within time.Duration, what string, ok func(recordSnapshot) bool) recordSnapshot {
	t.Helper()
	deadline := time.After(within)
	var last recordSnapshot
	for {
		select {
		case s := <-lines:
			if ok(s) {
				return s
			}
			last = s
		case <-deadline:
			t.Fatalf("watch never showed %s within %s; last line: %+v", what, within, last)
		}
	}
}

// watch after a good refresh: one colleague's schedule that does not read
// leaves the other's answer as it is and keeps theirs, stale, with the
// reason; then an answer cut off keeps everyone's last data, stale, as an
// unreachable server does. It used to turn everyone unknown with stale: false.
func TestWatchKeepsLastGoodDataWhenAnswersDoNotRead(t *testing.T) {
	url, calls := fakeGraphAPI(t, `{"value":[`+adeleUser+`,`+alexUser+`]}`, func(n int64, emails []string) string {
		var out []string
		for _, e := range emails {
			switch {
			case n == 2 && strings.EqualFold(e, "alexw@contoso.com"):
				out = append(out, `{"scheduleId":"`+e+`","scheduleItems":"busy"}`)
			default:
				out = append(out, busySchedule(e))
			}
		}
		answer := `{"value":[` + strings.Join(out, ",") + `]}`
		if n >= 3 {
			return answer[:len(answer)/2] // cut off
		}
		return answer
	})
	config := graphRecordsConfig(t, url, `emails = ["adelev@contoso.com", "alexw@contoso.com"]`, "30s")
	lines := watchSnapshots(t, config, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret")

	fresh := func(p recordPerson) bool {
		return p.Status == "busy" && p.Subject == "Planning" && !p.Stale && p.Error == "" && p.FetchedAt != nil
	}
	good := waitForSnapshot(t, lines, 30*time.Second, "a good refresh", func(s recordSnapshot) bool {
		a, _ := s.person("adelev@contoso.com")
		b, _ := s.person("alexw@contoso.com")
		return fresh(a) && fresh(b)
	})
	alexBefore, _ := good.person("alexw@contoso.com")
	adeleBefore, _ := good.person("adelev@contoso.com")

	one := waitForSnapshot(t, lines, 60*time.Second, "the second refresh", func(s recordSnapshot) bool {
		return calls.Load() >= 2 && s.State != "" && s.State != "ok"
	})
	alex, _ := one.person("alexw@contoso.com")
	adele, _ := one.person("adelev@contoso.com")
	if alex.Status != "busy" || alex.Subject != "Planning" || !alex.Stale || alex.Error == "" ||
		alex.FetchedAt == nil || *alex.FetchedAt != *alexBefore.FetchedAt {
		t.Errorf("one schedule unreadable: Alex %+v; want the last good answer (fetched %s), stale, with the reason", alex, *alexBefore.FetchedAt)
	}
	if !fresh(adele) || *adele.FetchedAt == *adeleBefore.FetchedAt {
		t.Errorf("one schedule unreadable: Adele %+v; want this refresh's answer", adele)
	}
	if one.State != "partial" {
		t.Errorf("state %q, want partial", one.State)
	}

	cut := waitForSnapshot(t, lines, 60*time.Second, "the third refresh", func(s recordSnapshot) bool {
		a, _ := s.person("adelev@contoso.com")
		return calls.Load() >= 3 && a.Stale
	})
	for _, p := range cut.People {
		if p.Status != "busy" || p.Subject != "Planning" || !p.Stale || p.Error == "" || p.FetchedAt == nil {
			t.Errorf("answer cut off: %s %+v; want the last good data, stale, with the reason", p.Email, p)
		}
	}
}

// EWS watch after a good refresh: a GetUserAvailability answer cut off keeps
// everyone's last data, stale, with the reason. It used to turn every
// colleague unknown with stale: false.
func TestEWSWatchKeepsLastGoodDataWhenTheAnswerIsCutOff(t *testing.T) {
	url, caFile, _, rs := ewsResponder(t)
	var availability atomic.Int64
	rs.Handle = func(r *ewstest.Request) ewstest.Answer {
		a := ewstest.SalesTeam(r)
		if r.Operation == "GetUserAvailability" && availability.Add(1) >= 2 {
			a.Body = a.Body[:len(a.Body)*2/3]
		}
		return a
	}
	config := ewsConfigFile(t, url, caFile, ewsUser, "30s", `group = "sales@exampledomain.com"`)
	lines := watchSnapshots(t, config, "FRONTDESK_EWS_PASSWORD="+ewsPassword)
	readable := []string{"dpark@exampledomain.com", "jprice@exampledomain.com"}
	good := waitForSnapshot(t, lines, 30*time.Second, "a good refresh", func(s recordSnapshot) bool {
		for _, email := range readable {
			if p, ok := s.person(email); !ok || p.FetchedAt == nil || p.Stale || p.Error != "" {
				return false
			}
		}
		return true
	})
	cut := waitForSnapshot(t, lines, 60*time.Second, "the refresh after the cut-off answer", func(s recordSnapshot) bool {
		p, _ := s.person("dpark@exampledomain.com")
		return availability.Load() >= 2 && (p.Stale || p.Error != "")
	})
	for _, email := range readable {
		before, _ := good.person(email)
		p, _ := cut.person(email)
		if !p.Stale || p.Error == "" || p.Status != before.Status || p.FetchedAt == nil || *p.FetchedAt != *before.FetchedAt {
			t.Errorf("%s after a cut-off answer: %+v; want the last good %s (fetched %s), stale, with the reason", email, p, before.Status, *before.FetchedAt)
		}
	}
}
