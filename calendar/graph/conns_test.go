package graph

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A refresh keeps its connections: every request it has in flight finds an
// idle connection on the next round instead of dialling (in production, a
// TLS handshake) again. net/http keeps only 2 idle per host by default.
func TestRefreshReusesConnections(t *testing.T) {
	f := newFakeGraph(t)
	f.latency = 20 * time.Millisecond
	f.handle(routeSchedule, benchScheduleHandler)
	f.handle(routePresence, benchPresenceHandler)

	var dials atomic.Int64
	srv := httptest.NewUnstartedServer(f.srv.Config.Handler)
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var refreshes atomic.Int64
	now := func() time.Time { return day.Add(time.Duration(refreshes.Load()) * calendar.DefaultInterval) }
	s, err := New(Options{GraphURL: srv.URL + "/v1.0", Token: StaticToken("test-token"), Location: time.UTC,
		Presence: true, MaxInlineWait: time.Second, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	people := make([]calendar.Person, 12*DefaultBatchSize)
	for i := range people {
		people[i] = calendar.Person{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Email: fmt.Sprintf("c%d@contoso.com", i)}
	}
	s.setDirectory(people)
	window := calendar.Window{Start: day, End: day.Add(24 * time.Hour)}
	for range 3 {
		refreshes.Add(1)
		if _, err := calendar.FetchAll(context.Background(), s, people, window); err != nil {
			t.Fatal(err)
		}
	}
	// 3 refreshes of 3 getSchedule rounds each, 4 requests in flight plus presence.
	if limit := int64(DefaultMaxConcurrent + presenceConcurrency); dials.Load() > limit {
		t.Errorf("%d connections dialled over 3 refreshes, want at most %d (one per request in flight)", dials.Load(), limit)
	}
}
