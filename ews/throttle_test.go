package ews

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
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

// ErrorServerBusy's BackOffMilliseconds sits in the SOAP body, where the HTTP
// layer does not look: the client remembers it for every process, and the
// next call inside the wait sends nothing.
func TestServerBusyBackOffIsRemembered(t *testing.T) {
	memory := &memThrottle{}
	c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("getuseravailability-serverbusy.xml") })
	c.throttle = memory
	c.http.Transport = calendar.RememberThrottling(c.http.Transport, memory)

	_, err := c.GetUserAvailability(context.Background(), people("a@example.com", "b@example.com", "c@example.com"), documentedDay(t), pacific(t))
	if calendar.KindOf(err) != calendar.KindThrottled {
		t.Fatalf("first call: %v, want throttled", err)
	}
	if wait := time.Until(memory.Until()); wait < 25*time.Second || wait > 31*time.Second {
		t.Fatalf("remembered a wait of %s, want the server's 30 s", wait)
	}
	_, err = c.GetUserAvailability(context.Background(), people("a@example.com", "b@example.com", "c@example.com"), documentedDay(t), pacific(t))
	if calendar.KindOf(err) != calendar.KindThrottled || calendar.RetryAfterOf(err) < 25*time.Second {
		t.Errorf("second call: %v (retry after %s), want throttled for the rest of the wait", err, calendar.RetryAfterOf(err))
	}
	if n := len(rs.Requests()); n != 1 {
		t.Errorf("the server saw %d requests, want 1", n)
	}
}
