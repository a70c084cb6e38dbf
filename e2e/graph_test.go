package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/calendar/graph"
)

// The people of Microsoft's getSchedule example, which the slice serves.
const (
	adele = "adelev@contoso.onmicrosoft.com"
	megan = "meganb@contoso.onmicrosoft.com"
)

// startPrism serves e2e/graph-openapi.yaml on a free loopback port. --errors
// makes Prism answer 422 to any request the slice does not allow, and the
// test's transport fails on it. Prism is stopped by its process group id.
func startPrism(t *testing.T) string {
	t.Helper()
	requireE2E(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	wd, _ := os.Getwd()
	cmd := exec.Command("node", filepath.Join(wd, "node_modules", "@stoplight", "prism-cli", "dist", "index.js"),
		"mock", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "--errors", filepath.Join(wd, "graph-openapi.yaml"))
	cmd.Dir = wd
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start prism: %v", err)
	}
	stopByPIDOnCleanup(t, cmd, syscall.SIGTERM)
	ready := make(chan struct{})
	var once sync.Once
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "Prism is listening") {
				once.Do(func() { close(ready) })
			}
			t.Logf("prism: %s", line)
		}
	}()
	select {
	case <-ready:
	case <-time.After(90 * time.Second):
		t.Fatal("prism did not start within 90s")
	}
	return fmt.Sprintf("http://127.0.0.1:%d/v1.0", port)
}

// prismWatch is the network under the SDK: it fails the test on Prism's 422
// (a request the slice rejects, even one whose failure the source tolerates,
// such as presence) and can ask Prism for a throttling answer.
type prismWatch struct {
	t        *testing.T
	mu       sync.Mutex
	preferTo string // "code=429" makes Prism answer with the slice's 429
	seen     []string
}

func (p *prismWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	p.mu.Lock()
	prefer := p.preferTo
	p.mu.Unlock()
	if prefer != "" {
		req = req.Clone(req.Context())
		req.Header.Set("Prefer", prefer)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	p.mu.Lock()
	p.seen = append(p.seen, fmt.Sprintf("%s %s -> %d", req.Method, req.URL.Path, resp.StatusCode))
	p.mu.Unlock()
	if resp.StatusCode == http.StatusUnprocessableEntity {
		body, _ := io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		p.t.Errorf("Prism rejected %s %s: %s", req.Method, req.URL, body)
	}
	return resp, nil
}

func (p *prismWatch) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func TestGraphSourceAgainstPrism(t *testing.T) {
	graphURL := startPrism(t)
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	newSource := func(t *testing.T, people graph.People, watch *prismWatch) *graph.Source {
		s, err := graph.New(graph.Options{
			Token:     graph.StaticToken("e2e-token"),
			GraphURL:  graphURL,
			People:    people,
			Presence:  true,
			Location:  pacific,
			CacheDir:  t.TempDir(),
			Transport: watch,
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	day := calendar.Window{Start: time.Date(2019, 3, 15, 0, 0, 0, 0, pacific), End: time.Date(2019, 3, 16, 0, 0, 0, 0, pacific)}
	ctx := context.Background()

	t.Run("documented getSchedule example", func(t *testing.T) {
		watch := &prismWatch{t: t}
		s := newSource(t, graph.People{Emails: []string{adele, megan}}, watch)
		people, err := s.Directory(ctx)
		if err != nil || len(people) != 2 {
			t.Fatalf("directory = %+v, %v", people, err)
		}
		av, err := calendar.FetchAll(ctx, s, people, day)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2019, 3, 15, 12, 30, 0, 0, pacific)
		two := time.Date(2019, 3, 15, 14, 0, 0, 0, pacific)
		for i, name := range []string{adele, megan} {
			ps := calendar.Evaluate(av[i], at, calendar.DayOf(at, pacific))
			if ps.Err != nil || ps.Status != calendar.StatusBusy || !ps.Until.Equal(two) || !ps.NextFree.Equal(two) {
				t.Errorf("%s at 12:30: %v until %v next free %v err %v", name, ps.Status, ps.Until, ps.NextFree, ps.Err)
			}
		}
		if c := av[0].Slots[0]; c.Subject != "Let's go for lunch" || c.Location != "Harry's Bar" {
			t.Errorf("adele's lunch = %+v", c)
		}
		// Megan's working hours come as a customTimeZone: 08:00 Pacific, DST included.
		if wh := av[1].WorkingHours; time.Date(2019, 3, 15, 8, 0, 0, 0, wh.Location).UTC().Hour() != 15 {
			t.Errorf("megan's working hours zone = %v", wh.Location)
		}
		t.Logf("requests: %v", watch.requests())
	})

	t.Run("directory by group id, group mail and whole tenant, with presence", func(t *testing.T) {
		for _, sel := range []graph.People{
			{Group: "eac82bd3-931c-4d47-9e68-735595a8eb8a"},
			{Group: "ceoconnection@Contoso.com"},
			{All: true},
		} {
			watch := &prismWatch{t: t}
			s := newSource(t, sel, watch)
			people, err := s.Directory(ctx)
			if err != nil {
				t.Fatalf("%+v: %v", sel, err)
			}
			var names []string
			for _, p := range people {
				names = append(names, p.Name)
			}
			// The group example's second member is a group, which is skipped; the
			// users example's room carries no accountEnabled, so it stays.
			want := "Adele Vance"
			if sel.All {
				want = "Conf Room Adams,Adele Vance"
			}
			if strings.Join(names, ",") != want {
				t.Errorf("%+v: directory = %v", sel, names)
			}
			if _, err := calendar.FetchAll(ctx, s, people, day); err != nil {
				t.Fatalf("%+v: %v", sel, err)
			}
			reqs := strings.Join(watch.requests(), "\n")
			if !strings.Contains(reqs, "POST /v1.0/communications/getPresencesByUserId -> 200") || !strings.Contains(reqs, "POST /v1.0/me/calendar/getSchedule -> 200") {
				t.Errorf("%+v: requests:\n%s", sel, reqs)
			}
			if !s.PresenceEnabled() {
				t.Errorf("presence turned off against Prism")
			}
		}
	})

	t.Run("a photo, revalidated, and none", func(t *testing.T) {
		watch := &prismWatch{t: t}
		s := newSource(t, graph.People{Emails: []string{adele}}, watch)
		adeleV := calendar.Person{ID: "fc9a2c2b-1ddc-486d-a211-5fe8ca77fa1f", Name: "Adele Vance", Email: adele}
		photo, err := s.FetchPhoto(ctx, adeleV, "")
		if err != nil || len(photo.Data) == 0 || photo.ETag == "" {
			t.Fatalf("photo %d bytes, tag %q, %v", len(photo.Data), photo.ETag, err)
		}
		if _, err := s.FetchPhoto(ctx, adeleV, photo.ETag); err != nil {
			t.Fatalf("revalidation: %v", err)
		}
		watch.mu.Lock()
		watch.preferTo = "code=404"
		watch.mu.Unlock()
		_, err = s.FetchPhoto(ctx, adeleV, "")
		var missing *calendar.PhotoMissing
		if !errors.As(err, &missing) || missing.Status != http.StatusNotFound {
			t.Fatalf("Prism's 404: %v, want PhotoMissing; requests %v", err, watch.requests())
		}
		t.Logf("requests: %v", watch.requests())
	})

	t.Run("429 with Retry-After is a Throttled error carrying the wait", func(t *testing.T) {
		watch := &prismWatch{t: t, preferTo: "code=429"}
		s := newSource(t, graph.People{Emails: []string{adele}}, watch)
		_, err := s.Availability(ctx, []calendar.Person{{Name: "Adele", Email: adele}}, day)
		var ce *calendar.Error
		if !errors.As(err, &ce) || ce.Kind != calendar.KindThrottled || ce.RetryAfter != 30*time.Second {
			t.Fatalf("err = %#v", err)
		}
		// A 30 s wait is the engine's to honour: the retry handler must not sit on it.
		if n := len(watch.requests()); n != 1 {
			t.Errorf("%d requests, want 1: %v", n, watch.requests())
		}
	})
}

// prismConfig is what differs between the Microsoft 365 configurations the
// tests against Prism run on.
type prismConfig struct {
	top      string // top-level keys ("rooms = false\n"), if any
	presence bool
	people   string // the [people] table's body
}

// writePrismConfig writes, into home, a Microsoft 365 configuration reading
// Graph at graphURL (Prism) for an operator in the documented examples'
// time zone, and returns its path.
func writePrismConfig(t *testing.T, home, graphURL string, c prismConfig) string {
	t.Helper()
	path := filepath.Join(home, "frontdesk.toml")
	config := fmt.Sprintf(`provider = "microsoft365"
time_zone = "America/Los_Angeles"
%s[microsoft365]
tenant = "contoso.onmicrosoft.com"
client_id = "6731de76-14a6-49ae-97bc-6eba6914391e"
graph_url = %q
presence = %t
[people]
%s
`, c.top, graphURL, c.presence, c.people)
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The real binary, configured for Microsoft 365 with graph_url at Prism and a
// headless token, prints the documented example's people.
func TestGraphStatusJSONAgainstPrism(t *testing.T) {
	frontdeskBin(t)
	graphURL := startPrism(t)
	env, home := isolatedEnv(t)
	env = append(env, "FRONTDESK_CONFIG="+writePrismConfig(t, home, graphURL, prismConfig{presence: true, people: fmt.Sprintf("emails = [%q, %q]", adele, megan)}))

	t.Run("signed out", func(t *testing.T) {
		_, stderr, code := runFrontdesk(t, env, "status", "--json", "--at", "2019-03-15T12:30:00-07:00")
		if code != 3 || !strings.Contains(stderr, "sign") {
			t.Errorf("exit %d, want 3 (sign-in needed); stderr: %s", code, stderr)
		}
	})

	t.Run("documented example", func(t *testing.T) {
		out, stderr, code := runFrontdesk(t, append(env, "FRONTDESK_GRAPH_TOKEN=e2e-token"), "status", "--json", "--at", "2019-03-15T12:30:00-07:00")
		if code != 0 {
			t.Fatalf("exit %d; stderr: %s\nstdout: %s", code, stderr, out)
		}
		if strings.Contains(out+stderr, "e2e-token") {
			t.Error("the token was printed")
		}
		var s statusJSON
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if s.Source != "microsoft365" || s.State != "ok" || len(s.People) != 2 {
			t.Fatalf("status = %s", out)
		}
		const two = "2019-03-15T14:00:00-07:00"
		for i, email := range []string{adele, megan} {
			p := s.People[i]
			if p.Email != email || p.Status != "busy" || p.Until == nil || *p.Until != two || p.NextFree == nil || *p.NextFree != two || p.Error != "" {
				t.Errorf("person %d = %+v", i, p)
			}
		}
		if s.People[0].Subject != "Let's go for lunch" {
			t.Errorf("adele's subject = %q", s.People[0].Subject)
		}
		logs, _ := filepath.Glob(filepath.Join(home, ".local", "state", "frontdesk", "*.log"))
		for _, l := range logs {
			if data, _ := os.ReadFile(l); strings.Contains(string(data), "e2e-token") {
				t.Errorf("%s holds the token", l)
			}
		}
	})
}

// The colleague's own Teams note and work location, from the presence answer
// Frontdesk already asks for: in status --json and in the table, the note's
// markup reduced and its U+202E escaped in the table; the room's note, expired
// at 11:00, is not shown at 12:30 but is at 10:30. The getSchedule example
// names other addresses than the /users example, so both colleagues' calendars
// are unknown here (exit 1, "partial"): presence comes all the same.
func TestGraphStatusMessageAgainstPrism(t *testing.T) {
	frontdeskBin(t)
	graphURL := startPrism(t)
	env, home := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-token")
	env = append(env, "FRONTDESK_CONFIG="+writePrismConfig(t, home, graphURL, prismConfig{presence: true, people: "all = true"}))
	const note = "Back at 15:00, call my mobile & not the desk phone \u202egnp.exe"

	type person struct {
		Name          string `json:"name"`
		StatusMessage *struct {
			Text    string  `json:"text"`
			Expires *string `json:"expires"`
		} `json:"status_message"`
		WorkLocation *string `json:"work_location"`
	}
	statusAt := func(t *testing.T, at string) map[string]person {
		t.Helper()
		out, stderr, code := runFrontdesk(t, env, "status", "--json", "--at", at)
		if code != 1 {
			t.Fatalf("exit %d, want 1 (calendars unknown); stderr: %s\nstdout: %s", code, stderr, out)
		}
		var s struct {
			State  string   `json:"state"`
			People []person `json:"people"`
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		byName := map[string]person{}
		for _, p := range s.People {
			byName[p.Name] = p
		}
		if s.State != "partial" || len(byName) != 2 {
			t.Fatalf("status = %s", out)
		}
		return byName
	}

	t.Run("json at 12:30", func(t *testing.T) {
		people := statusAt(t, "2019-03-15T12:30:00-07:00")
		adele, room := people["Adele Vance"], people["Conf Room Adams"]
		if m := adele.StatusMessage; m == nil || m.Text != note || m.Expires == nil || *m.Expires != "2019-03-15T15:00:00-07:00" {
			t.Errorf("Adele's status_message = %+v, want %q until 15:00", m, note)
		}
		if adele.WorkLocation == nil || *adele.WorkLocation != "remote" {
			t.Errorf("Adele's work_location = %v", adele.WorkLocation)
		}
		if room.StatusMessage != nil {
			t.Errorf("the room's note, expired at 11:00, is in the JSON: %+v", *room.StatusMessage)
		}
		if room.WorkLocation == nil || *room.WorkLocation != "office" {
			t.Errorf("the room's work_location = %v", room.WorkLocation)
		}
	})

	t.Run("json at 10:30, before the room's note expired", func(t *testing.T) {
		room := statusAt(t, "2019-03-15T10:30:00-07:00")["Conf Room Adams"]
		if m := room.StatusMessage; m == nil || m.Text != "Closed for cleaning until 11:00" {
			t.Errorf("the room's status_message = %+v", m)
		}
	})

	t.Run("table", func(t *testing.T) {
		out, stderr, code := runFrontdesk(t, env, "status", "--at", "2019-03-15T12:30:00-07:00")
		if code != 1 {
			t.Fatalf("exit %d; stderr: %s\nstdout: %s", code, stderr, out)
		}
		t.Logf("table:\n%s", out)
		if strings.ContainsRune(out, '\u202e') || strings.Contains(out, "<b>") {
			t.Errorf("the table carries the raw note:\n%q", out)
		}
		want := `Note: Back at 15:00, call my mobile & not the desk phone \u202egnp.exe (until 15:00) · Working remotely`
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
		if strings.Contains(out, "Closed for cleaning") || !strings.Contains(out, "In the office") {
			t.Errorf("the room's line is wrong:\n%s", out)
		}
	})
}
