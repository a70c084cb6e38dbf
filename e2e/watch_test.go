package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// countingServer answers every request with the same failure and records when
// each one arrived.
type countingServer struct {
	mu       sync.Mutex
	arrivals []time.Time
	*httptest.Server
}

func newCountingServer(t *testing.T, answer func(w http.ResponseWriter)) *countingServer {
	t.Helper()
	cs := &countingServer{}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.arrivals = append(cs.arrivals, time.Now())
		cs.mu.Unlock()
		answer(w)
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *countingServer) requests() []time.Time {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return append([]time.Time(nil), cs.arrivals...)
}

type watchLine struct {
	State   string  `json:"state"`
	RetryAt *string `json:"retry_at"`
}

// startWatch runs `frontdesk watch --json` on Microsoft 365 against server and
// returns its lines as they come.
func startWatch(t *testing.T, server string) <-chan watchLine {
	t.Helper()
	env, home := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret")
	cfg := filepath.Join(home, "config.toml")
	config := fmt.Sprintf(`provider = "microsoft365"
refresh_interval = "30s"
[microsoft365]
client_id = "11111111-2222-3333-4444-555555555555"
graph_url = "%s/v1.0"
presence = false
[people]
emails = ["adelev@contoso.com", "alexw@contoso.com"]
`, server)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return runWatch(t, env, cfg)
}

func waitForState(t *testing.T, lines <-chan watchLine, state string, within time.Duration) watchLine {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case l := <-lines:
			if l.State == state {
				return l
			}
		case <-deadline:
			t.Fatalf("watch never reported %q within %s", state, within)
		}
	}
}

// A rejected token stops polling at once: one request, then nothing for more
// than a whole refresh interval.
func TestWatchStopsAfterOneRejectedSignIn(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure."}}`)
	})
	lines := startWatch(t, srv.URL)
	waitForState(t, lines, "auth_paused", 30*time.Second)
	time.Sleep(35 * time.Second) // longer than refresh_interval (30 s)
	if n := len(srv.requests()); n != 1 {
		t.Fatalf("%d requests after a 401, want exactly 1", n)
	}
}

// Throttled with Retry-After: not one request inside any back-off window.
func TestWatchHonoursRetryAfter(t *testing.T) {
	const retryAfter = 3 * time.Second
	srv := newCountingServer(t, func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "3")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"code":"ApplicationThrottled","message":"Too many requests."}}`)
	})
	lines := startWatch(t, srv.URL)
	l := waitForState(t, lines, "throttled", 60*time.Second)
	if l.RetryAt == nil {
		t.Error("throttled state without retry_at")
	}
	time.Sleep(15 * time.Second)
	got := srv.requests()
	if len(got) < 2 {
		t.Fatalf("only %d requests in 15 s of throttling: the engine never tried again", len(got))
	}
	for i := 1; i < len(got); i++ {
		// 50 ms of slack for the two processes' scheduling, never more.
		if gap := got[i].Sub(got[i-1]); gap < retryAfter-50*time.Millisecond {
			t.Errorf("request %d came %s after the previous 429 said Retry-After: 3", i+1, gap.Round(time.Millisecond))
		}
	}
	t.Logf("%d requests in the throttled period, all at least %s apart", len(got), retryAfter)
}
