package ews

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// basicServer answers every request with status, counting them and the most
// seen at once; hold, when set, keeps each request open until it returns.
type basicServer struct {
	status            atomic.Int64
	requests          atomic.Int64
	inFlight, maxSeen atomic.Int64
	hold              func()
}

func (s *basicServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for seen := s.maxSeen.Load(); n > seen && !s.maxSeen.CompareAndSwap(seen, n); seen = s.maxSeen.Load() {
	}
	if s.hold != nil {
		s.hold()
	}
	if code := int(s.status.Load()); code != http.StatusOK {
		w.WriteHeader(code)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:ResolveNamesResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages><m:ResolveNamesResponseMessage ResponseClass="Error"><m:ResponseCode>ErrorNameResolutionNoResults</m:ResponseCode></m:ResolveNamesResponseMessage></m:ResponseMessages></m:ResolveNamesResponse></s:Body></s:Envelope>`))
}

func newGuardedClient(t *testing.T, srv *basicServer, guard CredentialGuard) *Client {
	t.Helper()
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	hc, err := NewHTTPClient(HTTPOptions{Auth: AuthBasic, CAFile: caFile, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(ClientOptions{URL: ts.URL + "/EWS/Exchange.asmx", Auth: AuthBasic, Username: `CONTOSO\frontdesk`,
		Password: testPassword, HTTPClient: hc, Guard: guard})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recordingGuard is the cross-process record reduced to its calls.
type recordingGuard struct {
	mu                         sync.Mutex
	refuse                     error
	checks, rejected, accepted int
	// alone counts the admissions of a lone request; held is whether one of
	// them still holds the account, heldAtVerdict whether it did when each
	// answer was reported.
	alone         int
	held          bool
	heldAtVerdict []bool
}

var errOnRecord = calendar.NewPasswordRejected("test", &calendar.PasswordRejectedError{User: "frontdesk"})

func (g *recordingGuard) Admit(_ context.Context, alone bool) (func(), error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.checks++
	if g.refuse != nil {
		return func() {}, g.refuse
	}
	if !alone {
		return func() {}, nil
	}
	g.alone++
	g.held = true
	return func() {
		g.mu.Lock()
		g.held = false
		g.mu.Unlock()
	}, nil
}

func (g *recordingGuard) Rejected(_ context.Context, cause error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rejected++
	g.heldAtVerdict = append(g.heldAtVerdict, g.held)
	return errors.Join(errOnRecord, cause)
}

func (g *recordingGuard) Accepted(context.Context) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.accepted++
	g.heldAtVerdict = append(g.heldAtVerdict, g.held)
}

// resolveConcurrently makes n calls at once and returns their errors.
func resolveConcurrently(c *Client, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.ResolveNames(context.Background(), "smtp:someone@contoso.com")
		}()
	}
	wg.Wait()
	return errs
}

// Until the server has accepted the password, one request goes at a time;
// after a 401 the others are not sent: one failed logon, not one per request
// in flight.
func TestUnprovenPasswordGoesOneRequestAtATime(t *testing.T) {
	tests := []struct {
		name  string
		guard *recordingGuard
	}{
		{"with the cross-process record", &recordingGuard{}},
		{"without one", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &basicServer{}
			srv.status.Store(http.StatusUnauthorized)
			var guard CredentialGuard
			if tt.guard != nil {
				guard = tt.guard
			}
			c := newGuardedClient(t, srv, guard)
			for i, err := range resolveConcurrently(c, 6) {
				if calendar.KindOf(err) != calendar.KindAuth {
					t.Errorf("call %d: %v, want KindAuth", i, err)
				}
				if tt.guard != nil && !errors.Is(err, errOnRecord) {
					t.Errorf("call %d: %v does not carry the guard's record", i, err)
				}
			}
			if n := srv.requests.Load(); n != 1 {
				t.Errorf("the server saw %d requests, want 1", n)
			}
			if tt.guard != nil && tt.guard.rejected != 1 {
				t.Errorf("guard told of %d rejections, want 1", tt.guard.rejected)
			}
		})
	}
}

// A password the guard refuses is not sent at all.
func TestGuardRefusalSendsNothing(t *testing.T) {
	srv := &basicServer{}
	srv.status.Store(http.StatusOK)
	guard := &recordingGuard{refuse: errOnRecord}
	c := newGuardedClient(t, srv, guard)
	_, err := c.ResolveNames(context.Background(), "smtp:someone@contoso.com")
	if !errors.Is(err, errOnRecord) || srv.requests.Load() != 0 {
		t.Fatalf("err %v after %d requests, want the guard's refusal after none", err, srv.requests.Load())
	}
}

// Once accepted, requests go side by side again, and the guard hears of it.
func TestAcceptedPasswordSendsSideBySide(t *testing.T) {
	srv := &basicServer{}
	srv.status.Store(http.StatusOK)
	guard := &recordingGuard{}
	c := newGuardedClient(t, srv, guard)
	if _, err := c.ResolveNames(context.Background(), "smtp:someone@contoso.com"); err != nil {
		t.Fatal(err)
	}
	// Each request waits until a second one is in flight (or 10 s pass), so
	// two calls made together overlap only if the client lets them.
	both := make(chan struct{})
	var once sync.Once
	srv.hold = func() {
		if srv.inFlight.Load() >= 2 {
			once.Do(func() { close(both) })
		}
		select {
		case <-both:
		case <-time.After(10 * time.Second):
		}
	}
	for _, err := range resolveConcurrently(c, 2) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if srv.maxSeen.Load() != 2 {
		t.Errorf("at most %d requests at once after the password was accepted, want 2", srv.maxSeen.Load())
	}
	if guard.accepted != 3 || guard.rejected != 0 {
		t.Errorf("guard heard %d accepted, %d rejected", guard.accepted, guard.rejected)
	}
}

// Only a 2xx answer proves the password: a proxy's 403 or 502, or a front
// end's 500, comes without Exchange having looked at it, so the guard is not
// told the password was accepted (which would clear the record of an earlier
// rejected one) and the next request still goes alone.
func TestOnlyA2xxAnswerOpensTheGuard(t *testing.T) {
	tests := []struct {
		status int
		opens  bool
	}{
		{http.StatusOK, true},
		{http.StatusForbidden, false},
		{http.StatusBadGateway, false},
		{http.StatusInternalServerError, false},
		{http.StatusServiceUnavailable, false},
		{http.StatusFound, false},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := &basicServer{}
			srv.status.Store(int64(tt.status))
			guard := &recordingGuard{}
			c := newGuardedClient(t, srv, guard)
			_, _ = c.ResolveNames(context.Background(), "smtp:someone@contoso.com")
			if srv.requests.Load() != 1 {
				t.Fatalf("the server saw %d requests, want 1", srv.requests.Load())
			}
			opened := 0
			if tt.opens {
				opened = 1
			}
			if guard.accepted != opened || guard.rejected != 0 {
				t.Errorf("after a %d the guard heard %d accepted, %d rejected; want %d accepted, 0 rejected",
					tt.status, guard.accepted, guard.rejected, opened)
			}
			if c.gate.trusted() != tt.opens {
				t.Errorf("after a %d the gate trusts the password: %v, want %v", tt.status, c.gate.trusted(), tt.opens)
			}
		})
	}
}

// The lone request holds the account (the cross-process lock) until its
// answer is reported, so another process waiting on the lock reads the
// verdict; requests sent side by side after an acceptance do not take it.
func TestLoneRequestHoldsTheAccountUntilTheVerdict(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{"rejected", http.StatusUnauthorized},
		{"accepted", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &basicServer{}
			srv.status.Store(int64(tt.status))
			guard := &recordingGuard{}
			c := newGuardedClient(t, srv, guard)
			_, _ = c.ResolveNames(context.Background(), "smtp:someone@contoso.com")
			_, _ = c.ResolveNames(context.Background(), "smtp:someone@contoso.com")
			guard.mu.Lock()
			defer guard.mu.Unlock()
			if len(guard.heldAtVerdict) == 0 || !guard.heldAtVerdict[0] {
				t.Errorf("held at each verdict: %v; the first answer must be recorded under the account's lock", guard.heldAtVerdict)
			}
			if guard.held {
				t.Error("the account is still held after the exchange")
			}
			if guard.alone != 1 {
				t.Errorf("%d lone admissions, want 1 (after a 401 nothing more is sent; after a 200 the next goes side by side)", guard.alone)
			}
		})
	}
}
