package graph

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeGraph is a loopback Graph: each route is a handler the test sets, and
// every request is counted and its (gunzipped) body kept.
type fakeGraph struct {
	srv      *httptest.Server
	latency  time.Duration
	mu       sync.Mutex
	routes   map[string]http.HandlerFunc // "POST /me/calendar/getSchedule"
	counts   map[string]*atomic.Int64
	lastBody map[string][]byte
	lastAuth atomic.Value
}

func newFakeGraph(t testing.TB) *fakeGraph {
	t.Helper()
	f := &fakeGraph{routes: map[string]http.HandlerFunc{}, counts: map[string]*atomic.Int64{}, lastBody: map[string][]byte{}}
	for _, r := range []string{"POST /me/calendar/getSchedule", "POST /communications/getPresencesByUserId", "GET /users", "GET /groups", "GET /groups/{id}/transitiveMembers", "GET /users/{id}/photos/48x48/$value", routeRooms, "POST /$batch"} {
		f.counts[r] = new(atomic.Int64)
	}
	mux := http.NewServeMux()
	for route := range f.counts {
		method, path, _ := strings.Cut(route, " ")
		mux.HandleFunc(method+" /v1.0"+path, func(w http.ResponseWriter, r *http.Request) {
			if f.latency > 0 {
				time.Sleep(f.latency)
			}
			f.counts[route].Add(1)
			f.lastAuth.Store(r.Header.Get("Authorization"))
			body := r.Body
			if r.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(r.Body)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				body = zr
			}
			data, _ := io.ReadAll(body)
			r.Body = io.NopCloser(strings.NewReader(string(data)))
			f.mu.Lock()
			f.lastBody[route] = data
			h := f.routes[route]
			f.mu.Unlock()
			if h == nil {
				writeODataError(w, http.StatusNotImplemented, "NotImplemented", "no handler for "+route)
				return
			}
			h(w, r)
		})
	}
	f.srv = httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGraph) handle(route string, h http.HandlerFunc) {
	f.mu.Lock()
	f.routes[route] = h
	f.mu.Unlock()
}

func (f *fakeGraph) count(route string) int64 { return f.counts[route].Load() }

func (f *fakeGraph) body(route string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastBody[route]
}

func (f *fakeGraph) graphURL() string { return f.srv.URL + "/v1.0" }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	switch b := v.(type) {
	case string:
		io.WriteString(w, b)
	default:
		_ = json.NewEncoder(w).Encode(v)
	}
}

func writeODataError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": message}})
}

// newTestSource points a Source at the fake with a static token.
func newTestSource(t testing.TB, f *fakeGraph, opts Options) *Source {
	t.Helper()
	opts.GraphURL = f.graphURL()
	if opts.Token == nil {
		opts.Token = StaticToken("test-token")
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// scheduleRequest is the getSchedule body as Graph's metadata names it.
type scheduleRequest struct {
	Schedules []string
	StartTime struct{ DateTime, TimeZone string }
	EndTime   struct{ DateTime, TimeZone string }
	Interval  int `json:"AvailabilityViewInterval"`
}

func decodeScheduleRequest(t testing.TB, r *http.Request) scheduleRequest {
	var req scheduleRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		t.Errorf("getSchedule body: %v", err)
	}
	return req
}
