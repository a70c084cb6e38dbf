package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A 307 from Graph to another host or port: the directory query (with the
// colleagues' addresses in its filter) and getSchedule (with them in its
// body) never reach the other server, and the operator reads that the server
// sent Frontdesk elsewhere, not that the sign-in was rejected.
func TestRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusUnauthorized) // what the other host said in the report
	}))
	t.Cleanup(other.Close)
	f := newFakeGraph(t)
	redirect := func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}
	f.handle(routeUsers, redirect)
	f.handle(routeSchedule, redirect)
	s := newTestSource(t, f, Options{People: People{Emails: []string{"adelev@contoso.com", "alexw@contoso.com"}}})
	window := calendar.Window{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}

	calls := []struct {
		name string
		call func() error
	}{
		{"directory", func() error { _, err := s.Directory(context.Background()); return err }},
		{"getSchedule", func() error {
			_, err := s.Availability(context.Background(), []calendar.Person{person("adelev@contoso.com")}, window)
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var ce *calendar.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *calendar.Error", err)
			}
			if ce.Kind != calendar.KindConfig || ce.Code != "HTTP307" {
				t.Errorf("kind %v code %q, want config HTTP307 (%v)", ce.Kind, ce.Code, err)
			}
			hint := ce.HintText()
			if !strings.Contains(hint, strings.TrimPrefix(other.URL, "http://")) || !strings.Contains(hint, "did not follow") {
				t.Errorf("hint %q does not name the other address and what Frontdesk did", hint)
			}
			if strings.Contains(hint, "rejected the sign-in") {
				t.Errorf("hint %q blames the sign-in", hint)
			}
		})
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d requests reached the other server, want 0", n)
	}
	if f.count(routeUsers) == 0 || f.count(routeSchedule) == 0 {
		t.Error("Graph was never asked: nothing was tested")
	}
}

// Within Graph's own origin a redirect may be followed; to any other scheme,
// host or port it may not.
func TestSameOriginRedirect(t *testing.T) {
	should := sameOriginRedirect("https://graph.microsoft.com:443")
	req, _ := http.NewRequest(http.MethodGet, "https://graph.microsoft.com/v1.0/users", nil)
	for location, want := range map[string]bool{
		"/v1.0/users?page=2":                       true,
		"https://GRAPH.microsoft.com:443/v1.0/me":  true,
		"https://graph.microsoft.com:8443/v1.0/me": false,
		"http://graph.microsoft.com/v1.0/me":       false,
		"https://graph.microsoft.com.evil/v1.0/me": false,
		"//127.0.0.1:4011/v1.0/users":              false,
	} {
		t.Run(location, func(t *testing.T) {
			resp := &http.Response{StatusCode: http.StatusTemporaryRedirect, Header: http.Header{"Location": {location}}, Request: req}
			if got := should(req, resp); got != want {
				t.Errorf("ShouldRedirect(%s) = %v, want %v", location, got, want)
			}
		})
	}
}
