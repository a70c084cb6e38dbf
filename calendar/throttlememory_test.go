package calendar

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

type memThrottle struct {
	mu    sync.Mutex
	until time.Time
}

func (m *memThrottle) Until() time.Time { m.mu.Lock(); defer m.mu.Unlock(); return m.until }
func (m *memThrottle) Remember(u time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if u.After(m.until) {
		m.until = u
	}
}

// A wait a server asked for is remembered, and while it lasts nothing leaves:
// the request gets a made-up 503 with the remaining Retry-After, which every
// back end reads as the throttling it is.
func TestRememberThrottling(t *testing.T) {
	var mu sync.Mutex
	sent := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent++
		mu.Unlock()
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	memory := &memThrottle{}
	client := &http.Client{Transport: RememberThrottling(http.DefaultTransport, memory)}

	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if wait := time.Until(memory.Until()); wait < 110*time.Second || wait > 121*time.Second {
		t.Fatalf("remembered a wait of %s, want about 120 s", wait)
	}
	for range 3 {
		resp, err = client.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode != http.StatusServiceUnavailable || secs < 110 || secs > 121 || resp.Header.Get(ThrottledEarlierHeader) == "" {
			t.Errorf("inside the window: %d, Retry-After %q; want a made-up 503 with the rest of the wait", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	if sent != 1 {
		t.Errorf("the server saw %d requests, want 1", sent)
	}
}
