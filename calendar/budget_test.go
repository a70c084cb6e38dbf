package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPlanBudget(t *testing.T) {
	tests := []struct {
		name          string
		people, batch int
		interval      time.Duration
		wantRequests  int
		wantInterval  time.Duration
		wantStretched bool
	}{
		{"Graph, 1,000 people at 60s", 1000, 20, time.Minute, 500, time.Minute, false},
		{"EWS, 1,000 people at 30s", 1000, 100, 30 * time.Second, 200, 30 * time.Second, false},
		{"exactly half the limit is fine", 500, 1, time.Minute, 5000, time.Minute, false},
		{"one person per request, 1,000 people", 1000, 1, time.Minute, 5000, 2 * time.Minute, true},
		{"tenant of 30,000 at 30s", 30000, 20, 30 * time.Second, 4500, 200 * time.Second, true},
		{"partial cycles count whole", 700, 1, 70 * time.Second, 4900, 86 * time.Second, true},
		{"no people", 0, 20, time.Minute, 0, time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			perRefresh := RequestsPerCycle(tt.people, tt.batch)
			b := PlanBudget(perRefresh, tt.interval)
			if b.Requests != tt.wantRequests || b.Interval != tt.wantInterval || b.Stretched != tt.wantStretched {
				t.Fatalf("PlanBudget = %+v; want %d requests at %s, stretched %v", b, tt.wantRequests, tt.wantInterval, tt.wantStretched)
			}
			if b.Requests > PlannedRequestShare {
				t.Fatalf("%d requests per 10 minutes is over the planned share", b.Requests)
			}
			notice := b.Notice(tt.people, perRefresh, tt.interval)
			if (notice != "") != tt.wantStretched {
				t.Fatalf("notice %q for stretched=%v", notice, tt.wantStretched)
			}
			if tt.wantStretched && !strings.Contains(notice, "every "+FormatInterval(b.Interval)+" instead") {
				t.Fatalf("notice %q does not name the new interval", notice)
			}
		})
	}
}

func TestRequestLogCeiling(t *testing.T) {
	var l requestLog
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	now := start
	for i := range HardRequestCeiling {
		if free := l.freeAt(now); free.After(now) {
			t.Fatalf("held back after %d requests", i)
		}
		l.record(now)
		now = now.Add(time.Millisecond)
	}
	if free := l.freeAt(now); !free.Equal(start.Add(MailboxRequestWindow)) {
		t.Fatalf("free at %s, want when the oldest leaves the window", free)
	}
	now = start.Add(MailboxRequestWindow)
	l.record(now)
	if free := l.freeAt(now); !free.Equal(start.Add(time.Millisecond).Add(MailboxRequestWindow)) {
		t.Fatalf("free at %s after the window slid by one", free)
	}
}

// meteredSource sends one HTTP request per person through its meter's
// transport, as a backend with presence, mail tips or retries sends more
// requests than the engine makes calls.
type meteredSource struct {
	meter  *RequestMeter
	client *http.Client
	url    string
}

func (s *meteredSource) Name() string                { return "metered" }
func (s *meteredSource) Limits() Limits              { return Limits{BatchSize: 3, MaxConcurrent: 2} }
func (s *meteredSource) RequestMeter() *RequestMeter { return s.meter }
func (s *meteredSource) get(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (s *meteredSource) Directory(ctx context.Context) ([]Person, error) {
	var people []Person
	for i := range 7 {
		people = append(people, Person{Name: fmt.Sprint("P", i), Email: fmt.Sprintf("p%d@example.com", i)})
	}
	return people, s.get(ctx)
}

func (s *meteredSource) Availability(ctx context.Context, people []Person, w Window) ([]Availability, error) {
	out := make([]Availability, len(people))
	for i, p := range people {
		if err := s.get(ctx); err != nil {
			return nil, err
		}
		out[i] = Availability{Person: p, Window: w}
	}
	return out, nil
}

func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen.Add(1) }))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestRequestMeterCountsAtTheTransport(t *testing.T) {
	srv, seen := countingServer(t)
	meter := NewRequestMeter(nil)
	client := &http.Client{Transport: meter.Transport(srv.Client().Transport)}
	for range 5 {
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if meter.Sent() != 5 || meter.InWindow() != 5 || seen.Load() != 5 {
		t.Fatalf("meter sent %d (%d in the window), server saw %d", meter.Sent(), meter.InWindow(), seen.Load())
	}
}

func TestRequestMeterHoldsTheCeiling(t *testing.T) {
	srv, seen := countingServer(t)
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	now := start
	meter := NewRequestMeter(func() time.Time { return now })
	for range HardRequestCeiling {
		meter.record(now)
		now = now.Add(10 * time.Millisecond)
	}
	client := &http.Client{Transport: meter.Transport(srv.Client().Transport)}
	_, err := client.Get(srv.URL)
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindThrottled || !errors.Is(err, ErrRequestCeiling) {
		t.Fatalf("request over the ceiling: %v", err)
	}
	if want := start.Add(MailboxRequestWindow).Sub(now); ce.RetryAfter != want {
		t.Errorf("retry after %s, want %s (when the oldest request leaves the window)", ce.RetryAfter, want)
	}
	if seen.Load() != 0 || meter.Sent() != HardRequestCeiling {
		t.Fatalf("server saw %d requests, meter %d: the request over the ceiling was sent", seen.Load(), meter.Sent())
	}
	now = start.Add(MailboxRequestWindow + time.Millisecond)
	if resp, err := client.Get(srv.URL); err != nil {
		t.Fatalf("after the window slid: %v", err)
	} else {
		resp.Body.Close()
	}
}

// TestRefresherCountsAMeteredSourceOnce: the engine's budget is the meter the
// source counts with at its transport, and the engine adds nothing of its own.
func TestRefresherCountsAMeteredSourceOnce(t *testing.T) {
	srv, seen := countingServer(t)
	meter := NewRequestMeter(nil)
	src := &meteredSource{meter: meter, url: srv.URL, client: &http.Client{Transport: meter.Transport(srv.Client().Transport)}}
	var logged bytes.Buffer
	var logMu sync.Mutex
	r, err := NewRefresher(RefresherOptions{Source: src, Location: time.UTC,
		Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logged, mu: &logMu}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	snaps, stop := r.Subscribe()
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	deadline := time.After(10 * time.Second)
	for waiting := true; waiting; {
		select {
		case s := <-snaps:
			waiting = s.Engine.Refreshing || s.Engine.LastSuccess.IsZero()
		case <-deadline:
			t.Fatal("no refresh within 10s")
		}
	}
	cancel()
	<-done
	// The directory and one request per person.
	if seen.Load() != 8 || meter.Sent() != seen.Load() {
		t.Fatalf("server saw %d requests, the budget counted %d", seen.Load(), meter.Sent())
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logged.String(), "requests_sent=8 requests_last_10min=8") {
		t.Errorf("the cycle's log line does not carry the count:\n%s", logged.String())
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
