package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// The cost the budget, Settings and the doctor quote is what Graph sees: one
// refresh of N colleagues, after the directory is loaded, sends exactly
// RequestsPerRefresh(N) requests, presence included when it is on.
func TestRequestsPerRefreshIsWhatTheServerReceives(t *testing.T) {
	for _, presence := range []bool{true, false} {
		for _, n := range []int{7, 25, 120} {
			t.Run(fmt.Sprintf("presence %v, %d colleagues", presence, n), func(t *testing.T) {
				f := newFakeGraph(t)
				users := make([]string, n)
				for i := range n {
					users[i] = fmt.Sprintf(`{"id":"id-%d","displayName":"Person %d","mail":"p%d@contoso.com","businessPhones":[],"accountEnabled":true,"userType":"Member"}`, i, i, i)
				}
				f.handle(routeUsers, func(w http.ResponseWriter, r *http.Request) {
					writeJSON(w, 200, `{"value":[`+strings.Join(users, ",")+`]}`)
				})
				f.handle(routeSchedule, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"value":[]}`) })
				f.handle(routePresence, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"value":[]}`) })
				s := newTestSource(t, f, Options{People: People{All: true}, Presence: presence, CacheDir: t.TempDir()})
				everyone, err := s.Directory(context.Background())
				if err != nil || len(everyone) != n {
					t.Fatalf("directory: %d people, %v", len(everyone), err)
				}
				day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
				if _, err := calendar.FetchAll(context.Background(), s, everyone, calendar.Window{Start: day, End: day.AddDate(0, 0, 1)}); err != nil {
					t.Fatal(err)
				}
				schedules, presences := f.count(routeSchedule), f.count(routePresence)
				if presence && presences == 0 {
					t.Fatal("no presence request: the test does not cover presence")
				}
				if got, want := int(schedules+presences), calendar.RequestsPerRefresh(s, n); got != want {
					t.Errorf("estimate %d requests a refresh, the server received %d (%d getSchedule, %d presence)", want, got, schedules, presences)
				}
			})
		}
	}
}
