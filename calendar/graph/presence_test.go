package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// stepClock is the refresh engine's and the Source's clock, moved by hand
// between refreshes. Its timers never fire: nothing here waits on them.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

type idleTimer struct{}

func (idleTimer) C() <-chan time.Time { return nil }
func (idleTimer) Stop() bool          { return true }

func (c *stepClock) NewTimer(time.Duration) calendar.Timer          { return idleTimer{} }
func (c *stepClock) AfterFunc(time.Duration, func()) calendar.Timer { return idleTimer{} }

// presenceTokens hands out the calendars' token always and the presence
// token unless failing holds an error.
type presenceTokens struct {
	failing atomic.Pointer[error]
}

var presenceScope = []string{"https://graph.microsoft.com/Presence.Read.All"}

func (p *presenceTokens) Token(_ context.Context, scopes []string) (string, error) {
	if len(scopes) > 0 && scopes[0] == presenceScope[0] {
		if err := p.failing.Load(); err != nil {
			return "", *err
		}
	}
	return "test-token", nil
}

// TestPresenceFailureKinds drives the refresh engine over the real Source:
// a refresh in which presence fails one way or another, then the next
// interval, then the operator's sign-in. A blip (a 503, a 429, a 500, a
// token the network or the keyring did not deliver) is asked again at the
// next interval; an expired sign-in waits for the next sign-in; only a 403
// or missing consent turns presence off, and the snapshot says so with the
// admin-consent link. Throughout, the colleague who was away stays away.
func TestPresenceFailureKinds(t *testing.T) {
	const interval = time.Minute
	const consentURL = "https://login.microsoftonline.com/contoso.com/adminconsent?client_id=app"
	keyringTimeout := &calendar.Error{Kind: calendar.KindAuth, Op: "keyring get", Code: "keyring_unavailable",
		Err: fmt.Errorf("no answer within 20s: %w", context.DeadlineExceeded)}
	type failure struct {
		status     int    // the presence endpoint's answer; 0: it answers
		retryAfter string // its Retry-After header
		token      error  // the presence token's failure; nil: it is handed out
	}
	tests := []struct {
		name string
		fail failure
		// back: presence is asked again at the next interval, without a sign-in.
		back bool
		// limited: the snapshot says presence is off, with the link.
		limited bool
	}{
		{name: "503 without Retry-After", fail: failure{status: 503}, back: true},
		{name: "503 asking to wait", fail: failure{status: 503, retryAfter: "0"}, back: true},
		{name: "429", fail: failure{status: 429, retryAfter: "0"}, back: true},
		{name: "500", fail: failure{status: 500}, back: true},
		{name: "token: network down", fail: failure{token: &calendar.Error{Kind: calendar.KindTransient, Op: "token", Err: errors.New("dial tcp: connection refused")}}, back: true},
		{name: "token: keyring did not answer", fail: failure{token: keyringTimeout}, back: true},
		{name: "token: a plain error without a kind", fail: failure{token: errors.New("something odd")}, back: true},
		{name: "token: sign-in expired", fail: failure{token: &calendar.Error{Kind: calendar.KindAuth, Op: "token", Code: "invalid_grant"}}},
		{name: "token: conditional access is a sign-in matter", fail: failure{token: &calendar.Error{Kind: calendar.KindPermission, Op: "token", Code: "AADSTS53003"}}},
		{name: "token: consent missing (AADSTS65001)", fail: failure{token: &calendar.Error{Kind: calendar.KindPermission, Op: "token", Code: "AADSTS65001"}}, limited: true},
		{name: "token: admin approval needed (AADSTS90094)", fail: failure{token: &calendar.Error{Kind: calendar.KindPermission, Op: "token", Code: "AADSTS90094"}}, limited: true},
		{name: "403 from getPresencesByUserId", fail: failure{status: 403}, limited: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2026, 11, 23, 10, 42, 0, 0, time.UTC) // a Monday, in working hours
			clock := &stepClock{now: start}
			var failing atomic.Bool
			f := newFakeGraph(t)
			f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"value":[{"id":"id-dan","displayName":"Dan Park","mail":"dan@contoso.com","businessPhones":[]}]}`)
			})
			f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"value":[{"scheduleId":"dan@contoso.com","availabilityView":"`+strings.Repeat("0", 96)+`"}]}`)
			})
			f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) {
				if failing.Load() && tt.fail.status != 0 {
					if tt.fail.retryAfter != "" {
						w.Header().Set("Retry-After", tt.fail.retryAfter)
					}
					writeODataError(w, tt.fail.status, "Failure", "presence is failing")
					return
				}
				writeJSON(w, 200, `{"value":[{"id":"id-dan","availability":"Away","activity":"Away","outOfOfficeSettings":{"isOutOfOffice":true,"message":"Back on Monday"}}]}`)
			})
			tokens := &presenceTokens{}
			s := newTestSource(t, f, Options{
				Token: tokens, PresenceScopes: presenceScope, Presence: true, PresenceInterval: interval,
				AdminConsentURL: consentURL, People: People{Emails: []string{"dan@contoso.com"}},
				MaxRetries: 1, RetryBaseDelay: time.Second, MaxInlineWait: time.Second, Now: clock.Now,
			})
			r, err := calendar.NewRefresher(calendar.RefresherOptions{Source: s, Clock: clock, Interval: interval, Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			refresh := func(n int) calendar.Snapshot {
				t.Helper()
				clock.set(start.Add(time.Duration(n) * interval))
				snap, err := r.RefreshOnce(context.Background())
				if err != nil {
					t.Fatalf("refresh %d: %v", n, err)
				}
				if len(snap.People) != 1 {
					t.Fatalf("refresh %d: %d people", n, len(snap.People))
				}
				return snap
			}
			check := func(n int, snap calendar.Snapshot, wantFresh bool, wantLimited bool) {
				t.Helper()
				dan := snap.People[0]
				if dan.Status != calendar.StatusOOF || !dan.OutOfOffice.Active || dan.OutOfOffice.Message != "Back on Monday" {
					t.Fatalf("refresh %d: Dan reads %s, %+v; want out of office", n, dan.Status, dan.OutOfOffice)
				}
				if fresh := !dan.OutOfOffice.Kept && dan.Presence == "Away"; fresh != wantFresh {
					t.Fatalf("refresh %d: presence %q, out of office kept %v; want fresh %v", n, dan.Presence, dan.OutOfOffice.Kept, wantFresh)
				}
				lim := snap.Engine.Limitations
				if (len(lim) == 1) != wantLimited || len(lim) > 1 {
					t.Fatalf("refresh %d: limitations %+v, want presence off %v", n, lim, wantLimited)
				}
				if wantLimited && (lim[0].Kind != calendar.LimitPresenceNotApproved || lim[0].URL != consentURL) {
					t.Fatalf("refresh %d: limitation %+v", n, lim[0])
				}
			}

			check(0, refresh(0), true, false)

			failing.Store(true)
			if tt.fail.token != nil {
				tokens.failing.Store(&tt.fail.token)
			}
			check(1, refresh(1), false, tt.limited)

			failing.Store(false)
			tokens.failing.Store(nil)
			asked := f.count(routePresence)
			check(2, refresh(2), tt.back, tt.limited)
			if again := f.count(routePresence) > asked; again != tt.back {
				t.Fatalf("presence asked at the next interval: %v, want %v", again, tt.back)
			}
			if s.PresenceEnabled() != tt.back {
				t.Fatalf("presence enabled %v, want %v", s.PresenceEnabled(), tt.back)
			}

			// The operator signs in (the window resumes the same engine and Source).
			r.Resume()
			check(3, refresh(3), true, false)
		})
	}
}

// TestPresenceTokenErrorKinds: the kind a failed presence token is given,
// which decides what presence does next.
func TestPresenceTokenErrorKinds(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want presenceMode
	}{
		{"network", &calendar.Error{Kind: calendar.KindTransient, Err: errors.New("connection reset")}, presenceAsking},
		{"identity server throttling", &calendar.Error{Kind: calendar.KindThrottled, Code: "AADSTS50196"}, presenceAsking},
		{"keyring locked or slow", &calendar.Error{Kind: calendar.KindAuth, Code: "keyring_unavailable"}, presenceAsking},
		{"a timeout under a sign-in kind", &calendar.Error{Kind: calendar.KindAuth, Err: context.DeadlineExceeded}, presenceAsking},
		{"no kind at all", errors.New("odd"), presenceAsking},
		{"expired sign-in", &calendar.Error{Kind: calendar.KindAuth, Code: "invalid_grant"}, presenceAwaitingSignIn},
		{"locked account", &calendar.Error{Kind: calendar.KindLocked, Code: "AADSTS50053"}, presenceAwaitingSignIn},
		{"conditional access", &calendar.Error{Kind: calendar.KindPermission, Code: "AADSTS53003"}, presenceAwaitingSignIn},
		{"consent missing", &calendar.Error{Kind: calendar.KindPermission, Code: "AADSTS65001"}, presenceNotApproved},
		{"admin approval needed", &calendar.Error{Kind: calendar.KindPermission, Code: "AADSTS90094"}, presenceNotApproved},
		{"consent_required", &calendar.Error{Kind: calendar.KindPermission, Code: "consent_required"}, presenceNotApproved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := presenceVerdict(presenceTokenError(tt.err)); got != tt.want {
				t.Errorf("verdict %d, want %d", got, tt.want)
			}
		})
	}
}
