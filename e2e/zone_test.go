package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// runInZoneNamespace runs frontdesk in a private user and mount namespace
// (no root needed; works as root too), with /etc as an overlay the setup
// shell lines may change and $SCRATCH/empty an empty folder to hide things
// with. Nothing outside the namespace sees the changes. Without unshare the
// test fails: a zone test that quietly skips proves nothing.
func runInZoneNamespace(t *testing.T, env []string, setup string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin := frontdeskBin(t)
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Fatalf("unshare (util-linux) is needed for the time zone tests: %v", err)
	}
	scratch := t.TempDir()
	script := `set -e
mount -t tmpfs tmpfs "$SCRATCH"
mkdir "$SCRATCH/up" "$SCRATCH/work" "$SCRATCH/empty"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$SCRATCH/up,workdir=$SCRATCH/work" /etc
` + setup + `
exec "$@"`
	cmd := exec.Command(unshare, append([]string{"--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", bin}, args...)...)
	cmd.Env = append(withoutTZ(env), "SCRATCH="+scratch)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("unshare frontdesk %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// withoutTZ drops TZ (isolatedEnv sets one), so the zone comes from the files.
func withoutTZ(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TZ=") {
			out = append(out, kv)
		}
	}
	return out
}

// On a computer whose /etc/localtime links to Europe/Rome, with no TZ and no
// time_zone, Graph is asked in Rome's zone (it was asked in UTC), and an
// all-day item in Rome is all-day in `status --json`.
func TestZoneFromLocaltimeLinkReachesGraph(t *testing.T) {
	frontdeskBin(t)
	var mu sync.Mutex
	var prefer []string
	fg := newFakeGraph(t, func(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.Path {
		case "GET /v1.0/users":
			writeGraphJSON(w, onePersonPage(""))
		case "POST /v1.0/me/calendar/getSchedule":
			mu.Lock()
			prefer = append(prefer, r.Header.Get("Prefer"))
			mu.Unlock()
			// Answered in UTC: Rome's midnight is 23:00 the day before.
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"value":[{"scheduleId":"adelev@contoso.com","availabilityView":"",
				"scheduleItems":[{"status":"oof","subject":"Holiday","start":{"dateTime":"2026-12-06T23:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T23:00:00.0000000","timeZone":"UTC"}}]}]}`)
		default:
			http.NotFound(w, r)
		}
	})
	env, home := isolatedEnv(t, "FRONTDESK_GRAPH_TOKEN=e2e-static-token-not-a-secret")
	cfg := filepath.Join(home, "frontdesk.toml")
	config := fmt.Sprintf("provider = \"microsoft365\"\n[microsoft365]\nclient_id = \"11111111-2222-3333-4444-555555555555\"\ngraph_url = \"%s/v1.0\"\npresence = false\n[people]\nall = true\n", fg.URL)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	setup := "ln -sf /usr/share/zoneinfo/Europe/Rome /etc/localtime\nrm -f /etc/timezone"
	stdout, stderr, code := runInZoneNamespace(t, append(env, "FRONTDESK_CONFIG="+cfg), setup, "status", "--json", "--at", "2026-12-07T10:00:00+01:00")
	if code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(prefer) == 0 {
		t.Fatal("no getSchedule request")
	}
	for _, p := range prefer {
		if p != `outlook.timezone="Europe/Rome"` && p != `outlook.timezone="W. Europe Standard Time"` {
			t.Errorf("Prefer = %q, want Rome's zone", p)
		}
	}
	var s struct {
		At     string `json:"at"`
		People []struct {
			Status string `json:"status"`
			Slots  []struct {
				AllDay bool `json:"all_day"`
			} `json:"slots"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || len(s.People) != 1 {
		t.Fatalf("%v: %s", err, stdout)
	}
	if !strings.HasSuffix(s.At, "+01:00") {
		t.Errorf("at = %q, want Rome's offset", s.At)
	}
	if p := s.People[0]; p.Status != "oof" || len(p.Slots) != 1 || !p.Slots[0].AllDay {
		t.Errorf("person = %+v, want one all-day out-of-office item", p)
	}
}

// With no zone database on the computer (a Windows PC without Go, a slim
// container), time_zone still loads from the one inside the binary: it was
// refused with exit 2.
func TestZoneWithoutSystemDatabase(t *testing.T) {
	env, home := isolatedEnv(t)
	cfg := filepath.Join(home, "frontdesk.toml")
	if err := os.WriteFile(cfg, []byte("provider = \"demo\"\ntime_zone = \"America/New_York\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	setup := `mount --bind "$SCRATCH/empty" /usr/share/zoneinfo
test ! -e /usr/share/zoneinfo/America/New_York`
	stdout, stderr, code := runInZoneNamespace(t, append(env, "FRONTDESK_CONFIG="+cfg), setup, "status", "--demo", "--json", "--at", "2026-11-23T15:00:00Z")
	if code != 1 { // the demo's one unshared calendar: "some people unknown", as in TestStatusDemoJSON
		t.Fatalf("exit %d, want 1 as with a zone database; stderr %s", code, stderr)
	}
	var s struct {
		At string `json:"at"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if s.At != "2026-11-23T10:00:00-05:00" {
		t.Errorf("at = %q, want New York's 10:00", s.At)
	}
}
