package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// ewsEnv is an Env whose EWS password comes from the environment.
func ewsEnv(t *testing.T, paths Paths) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths,
		Getenv: func(k string) string {
			if k == EWSPasswordEnv {
				return "Summer2026!not-in-any-log"
			}
			return ""
		}}
	return env, &stdout, &stderr
}

// An address configured twice (another case, stray spaces) is one colleague:
// resolved once, asked about once, shown once.
func TestDuplicateAddressesAskedOnce(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: func(r *ewstest.Request) ewstest.Answer {
		switch r.Operation {
		case "ResolveNames":
			return ewstest.Answer{Body: ewstest.Fixture("resolvenames-noresults.xml")}
		case "GetMailTips":
			return ewstest.Answer{Body: ewstest.Fixture("getmailtips.xml")}
		}
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{
			"dpark@exampledomain.com": docs[0], "jprice@exampledomain.com": docs[1]})}
	}}
	url, caFile := writeResponderCA(t, rs)
	paths := testPaths(t)
	cfg := ewsConfig(url, caFile)
	cfg.People.Group = ""
	cfg.People.Emails = []string{"dpark@exampledomain.com", "jprice@exampledomain.com", " DPark@ExampleDomain.com ", "JPRICE@exampledomain.com"}
	writeConfig(t, paths.ConfigFile, cfg)

	env, stdout, stderr := ewsEnv(t, paths)
	if code := env.run(context.Background(), []string{"status", "--json", "--at", "2006-10-16T07:30:00-07:00"}); code != ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	resolved, mailboxes := map[string]int{}, map[string]int{}
	for _, r := range rs.Requests() {
		switch r.Operation {
		case "ResolveNames":
			resolved[strings.ToLower(r.Entry)]++
		case "GetUserAvailability":
			for _, m := range r.Mailboxes {
				mailboxes[strings.ToLower(m)]++
			}
		}
	}
	t.Logf("ResolveNames %v, GetUserAvailability mailboxes %v", resolved, mailboxes)
	if len(resolved) != 2 || resolved["smtp:dpark@exampledomain.com"] != 1 || resolved["smtp:jprice@exampledomain.com"] != 1 {
		t.Errorf("ResolveNames asked %v, want each address once", resolved)
	}
	if len(mailboxes) != 2 || mailboxes["dpark@exampledomain.com"] != 1 || mailboxes["jprice@exampledomain.com"] != 1 {
		t.Errorf("availability asked for %v, want each mailbox once", mailboxes)
	}
	if n := strings.Count(stdout.String(), `"email"`); n != 2 {
		t.Errorf("%d people printed, want 2:\n%s", n, stdout)
	}
}

// windowSource notes the window of every availability request.
type windowSource struct {
	calendar.Source
	mu      sync.Mutex
	windows []calendar.Window
}

func (s *windowSource) Availability(ctx context.Context, people []calendar.Person, w calendar.Window) ([]calendar.Availability, error) {
	s.mu.Lock()
	s.windows = append(s.windows, w)
	s.mu.Unlock()
	return s.Source.Availability(ctx, people, w)
}

// `status`, `watch` and the console read the same data the same way: one
// engine cycle, one window, one order (favourites, then name).
func TestStatusAndEngineGiveTheSameAnswer(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
	}{
		{"ordinary Monday", time.Date(2026, 11, 23, 10, 0, 0, 0, berlin)},
		{"the 25-hour day", time.Date(2026, 10, 25, 10, 0, 0, 0, berlin)},
		{"Friday afternoon", time.Date(2026, 11, 27, 16, 30, 0, 0, berlin)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Provider, cfg.TimeZone = ProviderDemo, "Europe/Berlin"
			dir, err := calendar.NewDemo(berlin).Directory(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// Two favourites against the alphabet, one in another case.
			cfg.People.Favourites = []string{dir[len(dir)-1].Email, strings.ToUpper(dir[1].Email)}
			env := &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" }, Now: time.Now,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}

			statusSrc := &windowSource{Source: calendar.NewDemo(berlin)}
			fromStatus, err := env.refreshSource(context.Background(), cfg, statusSrc, tt.at)
			if err != nil {
				t.Fatal(err)
			}

			engineSrc := &windowSource{Source: calendar.NewDemo(berlin)}
			engine, err := env.newEngine(cfg, engineSrc, instantClock{at: tt.at})
			if err != nil {
				t.Fatal(err)
			}
			snaps, unsubscribe := engine.Subscribe()
			defer unsubscribe()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- engine.Run(ctx) }()
			var fromEngine calendar.Snapshot
			for fromEngine = range snaps {
				if !fromEngine.Engine.Refreshing && len(fromEngine.People) > 0 {
					break
				}
			}
			cancel()
			<-done

			people := func(s calendar.Snapshot) string {
				b, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				var out struct{ People json.RawMessage }
				if err := json.Unmarshal(b, &out); err != nil {
					t.Fatal(err)
				}
				return string(out.People)
			}
			if a, b := people(fromStatus), people(fromEngine); a != b {
				t.Fatalf("status and the engine disagree:\nstatus %.600s\nengine %.600s", a, b)
			}
			if len(fromStatus.People) != len(dir) ||
				!strings.EqualFold(fromStatus.People[0].Person.Email, cfg.People.Favourites[0]) ||
				!strings.EqualFold(fromStatus.People[1].Person.Email, cfg.People.Favourites[1]) {
				t.Fatalf("%d people, first %s and %s; want the favourites first", len(fromStatus.People), fromStatus.People[0].Person.Email, fromStatus.People[1].Person.Email)
			}
			for i := 3; i < len(fromStatus.People); i++ {
				if a, b := strings.ToLower(fromStatus.People[i-1].Person.Name), strings.ToLower(fromStatus.People[i].Person.Name); a > b {
					t.Fatalf("after the favourites %q before %q: not by name", a, b)
				}
			}
			want := calendar.FetchWindow(tt.at, berlin)
			for _, w := range append(statusSrc.windows, engineSrc.windows...) {
				if !w.Start.Equal(want.Start) || !w.End.Equal(want.End) {
					t.Fatalf("window %v..%v, want %v..%v", w.Start, w.End, want.Start, want.End)
				}
			}
			if end := want.End.In(berlin); end.Hour() != 0 || end.Weekday() != (tt.at.Weekday()+calendar.FetchWindowDays)%7 {
				t.Fatalf("window ends %v: not local midnight %d days on", end, calendar.FetchWindowDays)
			}
		})
	}
}
