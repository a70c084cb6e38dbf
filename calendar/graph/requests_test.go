package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

func (f *fakeGraph) total() int64 {
	var n int64
	for _, c := range f.counts {
		n += c.Load()
	}
	return n
}

// TestEveryRequestIsCounted: directory pages, presence, getSchedule and the
// SDK's own retries all count in the Source's meter, which is what the server saw.
func TestEveryRequestIsCounted(t *testing.T) {
	f := newFakeGraph(t)
	f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") == "" {
			writeJSON(w, 200, fmt.Sprintf(`{"@odata.nextLink":"%s/users?$skiptoken=2","value":[{"id":"1","displayName":"A","mail":"a@contoso.com"}]}`, f.graphURL()))
			return
		}
		writeJSON(w, 200, `{"value":[{"id":"2","displayName":"B","mail":"b@contoso.com"}]}`)
	})
	f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"value":[]}`) })
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
		if f.count(routeSchedule) == 1 {
			// Waited out by the SDK's retry handler: a second request.
			w.Header().Set("Retry-After", "0")
			writeODataError(w, 429, "ApplicationThrottled", "slow down")
			return
		}
		writeJSON(w, 200, `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"0"},{"scheduleId":"b@contoso.com","availabilityView":"2"}]}`)
	})
	meter := calendar.NewRequestMeter(nil)
	s := newTestSource(t, f, Options{People: People{All: true}, Presence: true, Requests: meter})
	if s.RequestMeter() != meter {
		t.Fatal("the Source does not report the meter it was given")
	}
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	if _, err := s.Availability(context.Background(), people, w); err != nil {
		t.Fatal(err)
	}
	if f.count(routeUsers) != 2 || f.count(routePresence) != 1 || f.count(routeSchedule) != 2 {
		t.Fatalf("server saw users %d, presence %d, getSchedule %d", f.count(routeUsers), f.count(routePresence), f.count(routeSchedule))
	}
	if got := meter.Sent(); got != f.total() {
		t.Fatalf("the meter counted %d requests, the server saw %d", got, f.total())
	}
}

func TestPresenceConcurrencyCap(t *testing.T) {
	f := newFakeGraph(t)
	var inFlight, most atomic.Int64
	f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		writeJSON(w, 200, `{"value":[]}`)
	})
	f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"value":[]}`) })
	s := newTestSource(t, f, Options{Presence: true})
	var everyone []calendar.Person
	for i := range 5000 {
		everyone = append(everyone, calendar.Person{ID: fmt.Sprint("id-", i), Email: fmt.Sprintf("p%d@contoso.com", i)})
	}
	s.setDirectory(everyone)
	w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	if _, err := s.Availability(context.Background(), everyone[:1], w); err != nil {
		t.Fatal(err)
	}
	if f.count(routePresence) != 8 || most.Load() > presenceConcurrency {
		t.Fatalf("%d presence requests, %d at once (cap %d)", f.count(routePresence), most.Load(), presenceConcurrency)
	}
}

func TestDirectoryPaging(t *testing.T) {
	userPage := func(next string) string {
		link := ""
		if next != "" {
			link = fmt.Sprintf(`"@odata.nextLink":%q,`, next)
		}
		return `{` + link + `"value":[{"id":"1","displayName":"A","mail":"a@contoso.com"}]}`
	}
	t.Run("a nextLink that points at itself stops after one repeat", func(t *testing.T) {
		f := newFakeGraph(t)
		f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, userPage(f.graphURL()+"/users?$skiptoken=same"))
		})
		s := newTestSource(t, f, Options{People: People{All: true}})
		_, err := s.Directory(context.Background())
		checkStoppedListing(t, err)
		if got := f.count(routeUsers); got != 2 {
			t.Fatalf("%d requests for a self-referencing nextLink, want 2 (the first page and one repeat)", got)
		}
	})
	t.Run("a cycle through two pages stops when it comes round", func(t *testing.T) {
		f := newFakeGraph(t)
		f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
			next := "a"
			if r.URL.Query().Get("$skiptoken") == "a" {
				next = "b"
			}
			writeJSON(w, 200, userPage(f.graphURL()+"/users?$skiptoken="+next))
		})
		s := newTestSource(t, f, Options{People: People{Group: "11111111-2222-3333-4444-555555555555"}})
		f.handle("GET /groups/{id}/transitiveMembers", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, userPage(f.graphURL()+"/groups/x/transitiveMembers?$skiptoken=loop"))
		})
		_, err := s.Directory(context.Background())
		checkStoppedListing(t, err)
		if got := f.count("GET /groups/{id}/transitiveMembers"); got != 2 {
			t.Fatalf("%d group pages for a looping nextLink, want 2", got)
		}
		s = newTestSource(t, f, Options{People: People{All: true}})
		_, err = s.Directory(context.Background())
		checkStoppedListing(t, err)
		if got := f.count(routeUsers); got != 3 {
			t.Fatalf("%d requests for a two-page cycle, want 3", got)
		}
	})
	t.Run("a foreign nextLink is not followed and gets no token", func(t *testing.T) {
		var foreignHits atomic.Int64
		foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			foreignHits.Add(1)
			writeJSON(w, 200, userPage(""))
		}))
		defer foreign.Close()
		f := newFakeGraph(t)
		// Same host, another port: a different origin, though kiota's host check would pass it.
		f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, userPage(foreign.URL+"/v1.0/users?$skiptoken=2"))
		})
		s := newTestSource(t, f, Options{People: People{All: true}})
		_, err := s.Directory(context.Background())
		checkStoppedListing(t, err)
		if foreignHits.Load() != 0 || f.count(routeUsers) != 1 {
			t.Fatalf("foreign server saw %d requests, Graph %d", foreignHits.Load(), f.count(routeUsers))
		}
	})
	t.Run("the timeout is per page, not for the whole listing", func(t *testing.T) {
		old := directoryPageTimeout
		directoryPageTimeout = 300 * time.Millisecond
		defer func() { directoryPageTimeout = old }()
		f := newFakeGraph(t)
		slowPage := -1 // which page hangs past the page timeout; -1: none
		f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
			page := len(r.URL.Query().Get("$skiptoken"))
			delay := 120 * time.Millisecond
			if page == slowPage {
				delay = time.Second
			}
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
			next := ""
			if page < 4 {
				next = f.graphURL() + "/users?$skiptoken=" + strings.Repeat("x", page+1)
			}
			writeJSON(w, 200, userPage(next))
		})
		s := newTestSource(t, f, Options{People: People{All: true}, MaxRetries: 1})
		start := time.Now()
		people, err := s.Directory(context.Background())
		if err != nil || len(people) != 5 {
			t.Fatalf("5 pages of 120 ms under a 300 ms page timeout: %d people, %v", len(people), err)
		}
		t.Logf("5 pages in %s", time.Since(start).Round(time.Millisecond))
		slowPage = 2
		_, err = newTestSource(t, f, Options{People: People{All: true}, MaxRetries: 1}).Directory(context.Background())
		if calendar.KindOf(err) != calendar.KindTransient {
			t.Fatalf("a page past its timeout: %v, want a transient error", err)
		}
	})
}

// checkStoppedListing: the listing stopped with an unreadable-answer error
// the operator can act on, never a settings problem.
func checkStoppedListing(t *testing.T, err error) {
	t.Helper()
	var ua *calendar.UnreadableAnswer
	var ce *calendar.Error
	if !errors.As(err, &ua) || !errors.As(err, &ce) {
		t.Fatalf("err = %v, want an unreadable answer", err)
	}
	if ce.Kind == calendar.KindConfig || ce.Hint == "" || strings.Contains(ce.Hint, "Settings") {
		t.Fatalf("err = %+v: a server's paging is not a settings problem", ce)
	}
}

func TestTokenGoesOnlyToTheExactOrigin(t *testing.T) {
	tests := []struct {
		base, target string
		ok           bool
	}{
		{"https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/v1.0/users", true},
		{"https://graph.microsoft.com/v1.0", "https://GRAPH.microsoft.com:443/v1.0/users", true},
		{"https://graph.microsoft.com/v1.0", "https://graph.microsoft.com:8443/v1.0/users", false},
		{"https://graph.microsoft.com/v1.0", "http://graph.microsoft.com/v1.0/users", false},
		{"https://graph.microsoft.com/v1.0", "https://graph.microsoft.com.evil.example/v1.0/users", false},
		{"http://127.0.0.1:4010/v1.0", "http://127.0.0.1:4010/v1.0/users", true},
		{"http://127.0.0.1:4010/v1.0", "http://127.0.0.1:4011/v1.0/users", false},
		{"http://127.0.0.1:4010/v1.0", "http://localhost:4010/v1.0/users", false},
	}
	for _, tc := range tests {
		t.Run(tc.base+" -> "+tc.target, func(t *testing.T) {
			s, err := New(Options{Token: StaticToken("tok"), GraphURL: tc.base})
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(tc.target)
			p := &tokenProvider{src: StaticToken("tok"), origin: s.origin}
			tok, err := p.GetAuthorizationToken(context.Background(), u, nil)
			if (err == nil) != tc.ok || (tc.ok && tok != "tok") {
				t.Fatalf("token %q, err %v; want allowed %v", tok, err, tc.ok)
			}
			if err != nil && calendar.KindOf(err) == calendar.KindConfig {
				t.Errorf("refusal is a settings problem: %v", err)
			}
			// The transport refuses too, whatever put the header on.
			g := &originGuard{origin: s.origin, next: roundTripFunc(func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
			})}
			req, _ := http.NewRequest(http.MethodGet, tc.target, nil)
			req.Header.Set("Authorization", "Bearer tok")
			if _, err := g.RoundTrip(req); (err == nil) != tc.ok {
				t.Errorf("origin guard: err %v, want allowed %v", err, tc.ok)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestUnreadableAnswers: an answer Graph sent but nobody can read is an
// UnreadableAnswer with its HTTP status, not "cannot reach the server", and
// never a panic.
func TestUnreadableAnswers(t *testing.T) {
	w := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name       string
		status     int
		ctype      string
		body       string
		wantStatus int           // 0: not an unreadable answer
		wantKind   calendar.Kind // of the whole call's error; a 2xx fails no call
	}{
		{"HTML login page in a 200", 200, "text/html", "<html><body>Sign in to the proxy</body></html>", 200, 0},
		{"cut-off JSON", 200, "application/json", `{"value":[{"scheduleId":"a@contoso.com","availabilityView":"0"`, 200, 0},
		{"JSON that is not an object", 200, "application/json", `"value"`, 200, 0},
		{"JSON of another shape", 200, "application/json", `{"value":{"scheduleId":"a@contoso.com"}}`, 200, 0},
		{"200 with no body", 200, "application/json", "", 200, 0},
		{"500 with an HTML page", 500, "text/html", "<html>Internal Server Error</html>", 500, calendar.KindTransient},
		{"500 with Graph's own error", 500, "application/json", `{"error":{"code":"InternalServerError","message":"boom"}}`, 500, calendar.KindTransient},
		{"500 with no body", 500, "", "", 500, calendar.KindTransient},
		{"502 from a gateway is not reaching Graph", 502, "text/html", "<html>Bad gateway</html>", 0, calendar.KindTransient},
		{"401 stays a sign-in failure", 401, "text/html", "<html>no</html>", 0, calendar.KindAuth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeGraph(t)
			f.handle(routeSchedule, func(rw http.ResponseWriter, r *http.Request) {
				if tc.ctype != "" {
					rw.Header().Set("Content-Type", tc.ctype)
				}
				rw.WriteHeader(tc.status)
				fmt.Fprint(rw, tc.body)
			})
			s := newTestSource(t, f, Options{MaxRetries: 1})
			batch := []calendar.Person{person("a@contoso.com"), person("b@contoso.com")}
			av, err := s.Availability(context.Background(), batch, w)
			if tc.status >= 200 && tc.status <= 299 {
				// The batch is unknown, with the reason; the refresh goes on.
				if err != nil || len(av) != len(batch) {
					t.Fatalf("a 2xx nobody can read failed the whole call: %d answers, %v", len(av), err)
				}
				for _, a := range av[1:] {
					if a.Err != av[0].Err {
						t.Fatalf("%s: %v, unlike the rest of the batch (%v)", a.Person.Email, a.Err, av[0].Err)
					}
				}
				err = av[0].Err
			}
			var ua *calendar.UnreadableAnswer
			isUnreadable := errors.As(err, &ua)
			if isUnreadable != (tc.wantStatus != 0) || (isUnreadable && ua.Status != tc.wantStatus) {
				t.Fatalf("err = %v; want an unreadable answer with HTTP %d", err, tc.wantStatus)
			}
			if tc.status > 299 && calendar.KindOf(err) != tc.wantKind {
				t.Errorf("kind %v, want %v (%v)", calendar.KindOf(err), tc.wantKind, err)
			}
			var ce *calendar.Error
			if errors.As(err, &ce) && ce.Op != "graph.getSchedule" {
				t.Errorf("op %q", ce.Op)
			}
			if isUnreadable && !strings.Contains(ua.OperatorMessage(), fmt.Sprintf("(HTTP %d)", tc.wantStatus)) {
				t.Errorf("message %q", ua.OperatorMessage())
			}
		})
	}
}
