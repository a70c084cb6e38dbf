package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGraph answers getSchedule with nothing busy and /places with one
// room, and counts the requests to each path.
type fakeGraph struct {
	mu    sync.Mutex
	paths map[string]int
}

func (g *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.paths[r.URL.Path]++
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, "/places/microsoft.graph.room"):
		fmt.Fprint(w, `{"value":[{"id":"r1","displayName":"Room Cedar","emailAddress":"cedar@contoso.com","capacity":8}]}`)
	case strings.HasSuffix(r.URL.Path, "/users"):
		fmt.Fprint(w, `{"value":[{"id":"u1","displayName":"Adele Vance","mail":"adelev@contoso.com"}]}`)
	case strings.HasSuffix(r.URL.Path, "/getSchedule"):
		fmt.Fprint(w, `{"value":[]}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"code":"Request_ResourceNotFound","message":"not here"}}`)
	}
}

func (g *fakeGraph) count(suffix string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for p, c := range g.paths {
		if strings.HasSuffix(p, suffix) {
			n += c
		}
	}
	return n
}

// rooms = false sends no /places request: status against a fake Graph
// lists the room with the default, and asks nothing about rooms without.
func TestRoomsOffSendsNoPlacesRequest(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rooms      string
		wantPlaces int
	}{
		{"default", "", 1},
		{"rooms = true", "rooms = true\n", 1},
		{"rooms = false", "rooms = false\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &fakeGraph{paths: map[string]int{}}
			srv := httptest.NewServer(g)
			t.Cleanup(srv.Close)
			env, stdout, stderr := authTestEnv(t)
			env.Getenv = func(k string) string {
				if k == GraphTokenEnv {
					return "test-token"
				}
				return ""
			}
			write(t, env.Paths.ConfigFile, tc.rooms+validM365+fmt.Sprintf("graph_url = %q\npresence = false\n[people]\nemails = [\"adelev@contoso.com\"]\n", srv.URL+"/v1.0"))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			env.run(ctx, []string{"status", "--json"})
			if g.count("/getSchedule") == 0 {
				t.Fatalf("no getSchedule reached the fake: the count proves nothing; stderr: %s", stderr)
			}
			if got := g.count("/places/microsoft.graph.room"); got != tc.wantPlaces {
				t.Errorf("%d /places requests, want %d (paths %v)", got, tc.wantPlaces, g.paths)
			}
			if listed := strings.Contains(stdout.String(), "Room Cedar"); listed != (tc.wantPlaces > 0) {
				t.Errorf("Room Cedar listed %v, want %v:\n%s", listed, tc.wantPlaces > 0, stdout)
			}
		})
	}
}

// The policy's rooms = false wins over the operator's and is locked; the
// doctor's refresh plan says the rooms are off.
func TestRoomsKeyLockedByPolicyAndInTheDoctor(t *testing.T) {
	p := testPaths(t)
	write(t, p.ConfigFile, "rooms = true\n"+validM365)
	write(t, p.PolicyFile, "rooms = false\n")
	l, err := LoadConfig(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Config.Rooms || !l.User.Rooms || !l.IsLocked("rooms") {
		t.Fatalf("effective %v, user's %v, locked %v: want the policy's false, locked", l.Config.Rooms, l.User.Rooms, l.IsLocked("rooms"))
	}
	if !DefaultConfig().Rooms {
		t.Error("rooms is off by default")
	}
	for _, rooms := range []bool{true, false} {
		cfg := l.Config
		cfg.Rooms = rooms
		cfg.People.Emails = []string{"a@contoso.com"}
		d := &doctor{env: &Env{Getenv: func(string) string { return "" }}, deadline: time.Now().Add(time.Hour), report: &DoctorReport{}, loaded: &Loaded{Config: cfg}}
		d.checkRefreshPlan(context.Background())
		off := strings.Contains(d.report.Checks[0].Detail, "meeting rooms off (rooms = false)")
		if off == rooms {
			t.Errorf("rooms %v: refresh plan %q", rooms, d.report.Checks[0].Detail)
		}
	}
}
