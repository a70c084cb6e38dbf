package ews

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// CredentialGuard keeps a password the server rejected from being sent again,
// by this process or a later one (auth.RejectionGuard keeps the record). The
// client asks it before every request and tells it every answer.
type CredentialGuard interface {
	// Admit returns an error, and nothing is sent, when the password must not
	// go out. alone says the request goes out alone, the server not having
	// accepted the password lately: the guard then holds the account, across
	// processes, until release is called, after the answer is reported.
	Admit(ctx context.Context, alone bool) (release func(), err error)
	// Rejected records the server's 401 (cause) and returns the error to
	// report in its place.
	Rejected(ctx context.Context, cause error) error
	// Accepted is told that the server took the password.
	Accepted(ctx context.Context)
}

// trustWindow is how long an accepted password lets requests go out side by
// side. A cycle's requests follow each other within seconds; the first one
// after a quiet spell (normally the next cycle, 30 s or more later) goes
// alone again, so a password changed on the server costs one failed logon,
// not one per request in flight.
const trustWindow = 15 * time.Second

// sendGate lets one request at a time out until the server has accepted the
// password: the rest wait for that answer, and after a 401 the guard stops
// them before they are sent.
type sendGate struct {
	solo chan struct{}

	mu           sync.Mutex
	trustedUntil time.Time
	// refused is the server's 401: this client's password is fixed, so no
	// request of it is sent again.
	refused error
}

func newSendGate() *sendGate { return &sendGate{solo: make(chan struct{}, 1)} }

func (g *sendGate) trusted() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return time.Now().Before(g.trustedUntil)
}

// enter waits for the right to send and returns the function that gives it
// back; alone says the request goes out by itself, the password not trusted.
func (g *sendGate) enter(ctx context.Context) (release func(), alone bool, err error) {
	if g.trusted() {
		return func() {}, false, nil
	}
	select {
	case g.solo <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	if g.trusted() {
		// The request ahead was accepted while this one waited.
		<-g.solo
		return func() {}, false, nil
	}
	return func() { <-g.solo }, true, nil
}

func (g *sendGate) accepted() {
	g.mu.Lock()
	g.trustedUntil = time.Now().Add(trustWindow)
	g.mu.Unlock()
}

func (g *sendGate) rejected(err error) {
	g.mu.Lock()
	g.trustedUntil, g.refused = time.Time{}, err
	g.mu.Unlock()
}

func (g *sendGate) refusal() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refused
}

// send is the guarded exchange: admitted by the gate and the guard, the
// answer reported back to both. do performs the request and classifies it;
// resp is nil when no answer came.
func (c *Client) send(ctx context.Context, op string, do func() (*http.Response, error)) error {
	release, alone, err := c.gate.enter(ctx)
	if err != nil {
		return classifyTransportError(ctx, op, err)
	}
	defer release()
	if err := c.gate.refusal(); err != nil {
		return err
	}
	if c.guard != nil {
		unlock, err := c.guard.Admit(ctx, alone)
		if err != nil {
			if ctx.Err() != nil {
				return classifyTransportError(ctx, op, err)
			}
			return err
		}
		// Deferred after release: runs first, once the answer is recorded.
		defer unlock()
	}
	resp, err := do()
	remembered := resp != nil && resp.Header.Get(calendar.ThrottledEarlierHeader) != ""
	if c.throttle != nil && !remembered && calendar.KindOf(err) == calendar.KindThrottled {
		if wait := calendar.RetryAfterOf(err); wait > 0 {
			c.throttle.Remember(time.Now().Add(wait))
		}
	}
	switch {
	case resp == nil:
		// No answer: nothing learned about the password.
	case resp.StatusCode == http.StatusUnauthorized && calendar.KindOf(err) == calendar.KindAuth:
		if c.guard != nil {
			err = c.guard.Rejected(ctx, err)
		}
		c.gate.rejected(err)
	case resp.StatusCode == http.StatusUnauthorized:
		// No logon was tried (unauthorizedWithoutLogon): a setting to
		// change, not a password to remember as rejected. This client
		// sends no more either way.
		c.gate.rejected(err)
	case passwordAccepted(resp.StatusCode):
		c.gate.accepted()
		if c.guard != nil {
			c.guard.Accepted(ctx)
		}
	}
	return err
}

// passwordAccepted reports whether an answer with this status proves the
// server took the password. Only a 2xx does: a proxy in front of Exchange
// answers 403, 502 or 503 without asking Exchange anything, and a 500 may be
// the front end failing before authentication. Anything else teaches nothing,
// so the next request still goes alone.
func passwordAccepted(status int) bool {
	return status >= 200 && status < 300
}
