package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// photoRequest is one photo request the Graph peer saw.
type photoRequest struct {
	user        string
	ifNoneMatch string
	at          time.Time
}

// photoPeer is a Graph of 200 colleagues whose even-numbered ones have a
// photo (odd ones: 404), counting every photo request.
type photoPeer struct {
	*fakeGraph
	mu     sync.Mutex
	photos []photoRequest
	jpeg   []byte
}

const photoPeople = 200

func newPhotoPeer(t *testing.T) *photoPeer {
	img := image.NewRGBA(image.Rect(0, 0, 48, 48))
	for y := range 48 {
		for x := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(40 + x*3), G: 110, B: uint8(200 - y*2), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	p := &photoPeer{jpeg: buf.Bytes()}
	p.fakeGraph = newFakeGraph(t, p.serve)
	return p
}

func (p *photoPeer) serve(fg *fakeGraph, w http.ResponseWriter, r *http.Request) {
	if user, ok := strings.CutPrefix(r.URL.Path, "/v1.0/users/"); ok && strings.HasSuffix(user, "/photos/48x48/$value") && r.Method == http.MethodGet {
		user = strings.TrimSuffix(user, "/photos/48x48/$value")
		p.mu.Lock()
		p.photos = append(p.photos, photoRequest{user: user, ifNoneMatch: r.Header.Get("If-None-Match"), at: time.Now()})
		p.mu.Unlock()
		var n int
		fmt.Sscanf(user, "u%04d", &n)
		if n%2 == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "ImageNotFound", "message": "The photo wasn't found."}})
			return
		}
		etag := `W/"` + user + `-v1"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("ETag", etag)
		_, _ = w.Write(p.jpeg)
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /v1.0/users":
		var users []map[string]any
		for i := range photoPeople {
			users = append(users, map[string]any{"id": fmt.Sprintf("u%04d", i), "displayName": fmt.Sprintf("Colleague %04d", i),
				"mail": fmt.Sprintf("p%04d@contoso.com", i), "accountEnabled": true, "businessPhones": []string{}})
		}
		writeGraphJSON(w, map[string]any{"value": users})
	default:
		thousandPeople(fg, w, r)
	}
}

func (p *photoPeer) requests() []photoRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]photoRequest(nil), p.photos...)
}

// settled waits until no photo request came for quiet, and returns them all.
func (p *photoPeer) settled(quiet time.Duration) []photoRequest {
	last := -1
	for {
		n := len(p.requests())
		if n == last {
			return p.requests()
		}
		last = n
		time.Sleep(quiet)
	}
}

// mostInAMinute is the most requests within any 60 seconds.
func mostInAMinute(reqs []photoRequest) int {
	most := 0
	for i := range reqs {
		n := 0
		for _, r := range reqs[i:] {
			if r.at.Sub(reqs[i].at) < time.Minute {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// Photos on a first start with 200 colleagues: only the rows on screen and
// the selected colleague are asked for; however far the operator scrolls, at
// most 30 requests a minute reach the peer; a second start the same day asks
// nothing; once the copies are a day old, a start sends only revalidations
// (If-None-Match), one per photo, and the peer's 304 keeps them.
func TestPhotosFetchedLazilyAndRevalidatedDaily(t *testing.T) {
	frontdeskBin(t)
	peer := newPhotoPeer(t)
	env, home := graphConfig(t, peer.URL, false)
	cacheHome := filepath.Join(home, ".cache")
	env = append(env, "XDG_CACHE_HOME="+cacheHome, "LANG=C.UTF-8")
	logFile := filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log")

	c := startConsole(t, env, "Frontdesk")
	waitUntil(t, "a refresh of 200 colleagues", 90*time.Second, func() bool { return cycleDone(t, logFile, photoPeople) })
	first := peer.settled(3 * time.Second)
	_, _, _, height := windowGeometry(t, c.win)
	// A row is at least 40 pixels high: no more rows than that fit.
	rowsOnScreen := height/40 + 1
	asked := map[string]bool{}
	for _, r := range first {
		asked[r.user] = true
		var n int
		fmt.Sscanf(r.user, "u%04d", &n)
		if n >= 2*rowsOnScreen {
			t.Errorf("photo of %s asked for: not on screen (at most %d rows fit)", r.user, rowsOnScreen)
		}
	}
	t.Logf("first start: %d photo requests for %d colleagues, window %d px high (at most %d rows)", len(first), photoPeople, height, rowsOnScreen)
	if len(first) == 0 || len(asked) > rowsOnScreen || len(first) != len(asked) {
		t.Fatalf("first start sent %d photo requests for %d colleagues: want between 1 and the %d rows on screen, once each", len(first), len(asked), rowsOnScreen)
	}
	screenshot(t, "out/photos-first-start.png")

	// The operator selects a colleague far down: their photo comes first.
	c.click(t, 200, menuBarHeight+60)
	c.typeText(t, "Colleague 0150")
	waitUntil(t, "the selected colleague's photo", 30*time.Second, func() bool {
		for _, r := range peer.requests() {
			if r.user == "u0150" {
				return true
			}
		}
		return false
	})
	c.key(t, "Escape")
	// Then scrolls through all 200 rows within seconds.
	c.click(t, 300, 300)
	for range 12 {
		c.key(t, "Page_Down")
		time.Sleep(150 * time.Millisecond)
	}
	time.Sleep(20 * time.Second)
	all := peer.requests()
	if most := mostInAMinute(all); most > 30 {
		t.Fatalf("%d photo requests within a minute, the limit is 30", most)
	}
	t.Logf("after selecting and scrolling through %d rows: %d photo requests, at most %d in a minute", photoPeople, len(all), mostInAMinute(all))
	stopConsole(t, c)

	// Second start the same day: the cache answers, the peer hears nothing.
	before := len(peer.requests())
	c = startConsole(t, env, "Frontdesk")
	cycles := cyclesDone(t, logFile, photoPeople)
	waitUntil(t, "a refresh on the second start", 90*time.Second, func() bool { return cyclesDone(t, logFile, photoPeople) > cycles })
	second := peer.settled(3 * time.Second)[before:]
	screenshot(t, "out/photos-second-start.png")
	if len(second) != 0 {
		t.Fatalf("second start the same day sent %d photo requests, want none: %+v", len(second), second)
	}
	stopConsole(t, c)

	// A day later (the records' check dates moved back 25 hours): only
	// revalidations, at most one per photo.
	aged := ageCache(t, filepath.Join(cacheHome, "frontdesk", "photos"), 25*time.Hour)
	before = len(peer.requests())
	c = startConsole(t, env, "Frontdesk")
	cycles = cyclesDone(t, logFile, photoPeople)
	waitUntil(t, "a refresh a day later", 90*time.Second, func() bool { return cyclesDone(t, logFile, photoPeople) > cycles })
	third := peer.settled(3 * time.Second)[before:]
	stopConsole(t, c)
	perUser := map[string]int{}
	conditional := 0
	for _, r := range third {
		perUser[r.user]++
		if r.ifNoneMatch != "" {
			conditional++
		}
	}
	var users []string
	for u, n := range perUser {
		users = append(users, u)
		if n > 1 {
			t.Errorf("%s asked %d times in one start", u, n)
		}
	}
	sort.Strings(users)
	t.Logf("a day later: %d requests (%d with If-None-Match) for %v; %d records aged", len(third), conditional, users, aged)
	if len(third) == 0 {
		t.Fatal("nothing revalidated a day later")
	}
	for _, r := range third {
		var n int
		fmt.Sscanf(r.user, "u%04d", &n)
		if n%2 == 0 && r.ifNoneMatch == "" {
			t.Errorf("the photo of %s, on disk, was fetched again instead of revalidated", r.user)
		}
	}
}

// ageCache moves every photo record's check date back by d, as a day passing would.
func ageCache(t *testing.T, dir string, d time.Duration) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checked, err := time.Parse(time.RFC3339Nano, rec["checked"].(string))
		if err != nil {
			t.Fatal(err)
		}
		rec["checked"] = checked.Add(-d).Format(time.RFC3339Nano)
		data, _ = json.Marshal(rec)
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no photo records in %s", dir)
	}
	return len(files)
}

// photos = false in the policy (or the config): the console refreshes 200
// colleagues and sends not one photo request.
func TestPhotosOffSendsNoPhotoRequest(t *testing.T) {
	frontdeskBin(t)
	peer := newPhotoPeer(t)
	env, home := graphConfig(t, peer.URL, false)
	cfg := filepath.Join(home, "frontdesk.toml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append([]byte("photos = false\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"), "LANG=C.UTF-8")
	logFile := filepath.Join(home, ".local", "state", "frontdesk", "frontdesk.log")
	c := startConsole(t, env, "Frontdesk")
	waitUntil(t, "a refresh of 200 colleagues", 90*time.Second, func() bool { return cycleDone(t, logFile, photoPeople) })
	c.click(t, 200, menuBarHeight+60)
	c.typeText(t, "Colleague 0150")
	time.Sleep(5 * time.Second)
	screenshot(t, "out/photos-off.png")
	stopConsole(t, c)
	if n := len(peer.requests()); n != 0 {
		t.Fatalf("%d photo requests with photos = false", n)
	}
}
