package calendar

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func testJPEG(t testing.TB, side int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testPNG(t testing.TB, side int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	img.Set(1, 1, color.NRGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngClaiming is a PNG header (with a valid CRC) announcing width x height
// pixels and then nothing: a small file that asks for gigabytes.
func pngClaiming(width, height uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 6
	chunk := append([]byte("IHDR"), ihdr...)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, chunk...)
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
	return out
}

func TestDecodePhotoGuards(t *testing.T) {
	var gifData bytes.Buffer
	_ = gif.Encode(&gifData, image.NewPaletted(image.Rect(0, 0, 4, 4), []color.Color{color.Black}), nil)
	jpg := testJPEG(t, 48)
	tests := []struct {
		name string
		data []byte
		ok   bool
		side int
	}{
		{"a 48x48 JPEG", jpg, true, 48},
		{"a 48x48 PNG", testPNG(t, 48), true, 48},
		{"a 648x648 JPEG is scaled down", testJPEG(t, 648), true, 0},
		{"nothing", nil, false, 0},
		{"a GIF", gifData.Bytes(), false, 0},
		{"an HTML page", []byte("<html><body>Proxy login</body></html>"), false, 0},
		{"a cut-off JPEG", jpg[:len(jpg)/2], false, 0},
		{"a JPEG start and garbage", append([]byte{0xFF, 0xD8, 0xFF}, bytes.Repeat([]byte{0x42}, 100)...), false, 0},
		{"a PNG header claiming 100000x100000 pixels", pngClaiming(100000, 100000), false, 0},
		{"a PNG header claiming 0x0 pixels", pngClaiming(0, 0), false, 0},
		{"over the size cap", append(jpg, make([]byte, MaxPhotoBytes)...), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := DecodePhoto(tt.data)
			if tt.ok != (err == nil) {
				t.Fatalf("DecodePhoto: %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok {
				if !errors.Is(err, ErrNotAPhoto) || img != nil {
					t.Fatalf("error %v (image %v), want ErrNotAPhoto and no image", err, img != nil)
				}
				return
			}
			b := img.Bounds()
			if tt.side == 0 && b.Dx() <= PhotoSide && b.Dx() >= PhotoSide/2 && b.Dx() == b.Dy() {
				return // scaled down to about PhotoSide
			}
			if b.Dx() != tt.side || b.Dy() != tt.side {
				t.Fatalf("decoded %v, want %dx%d", b, tt.side, tt.side)
			}
		})
	}
}

// Garbage never panics and never yields an image over PhotoSide.
func FuzzDecodePhoto(f *testing.F) {
	f.Add(testJPEG(f, 48))
	f.Add(testPNG(f, 16))
	f.Add(pngClaiming(1<<30, 1<<30))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'})
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := DecodePhoto(data)
		if err != nil {
			if img != nil {
				t.Fatal("an error with an image")
			}
			return
		}
		if b := img.Bounds(); b.Dx() > PhotoSide || b.Dy() > PhotoSide || b.Dx() < 1 || b.Dy() < 1 {
			t.Fatalf("decoded %v", b)
		}
	})
}

func TestPhotoLimiterThirtyAMinute(t *testing.T) {
	l := NewPhotoLimiter()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range 30 {
		if wait := l.Reserve(t0.Add(time.Duration(i) * time.Second)); wait != 0 {
			t.Fatalf("request %d held back %v", i+1, wait)
		}
	}
	if wait := l.Reserve(t0.Add(30 * time.Second)); wait != 30*time.Second {
		t.Fatalf("the 31st within a minute waits %v, want 30s (until the first is a minute old)", wait)
	}
	if wait := l.Reserve(t0.Add(time.Minute)); wait != 0 {
		t.Fatalf("a minute after the first: held back %v", wait)
	}
}

// photoCall is one request a fakePhotos saw.
type photoCall struct {
	key  string
	etag string
	at   time.Time
}

// fakePhotos answers as a server would: a photo with an ETag, 304 when
// asked with the current one, or a missing status.
type fakePhotos struct {
	clock   *fakePhotoClock
	mu      sync.Mutex
	calls   []photoCall
	missing map[string]int
	fail    error
	data    []byte
	etag    string
}

func (f *fakePhotos) FetchPhoto(ctx context.Context, p Person, etag string) (Photo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, photoCall{key: p.Key(), etag: etag, at: f.clock.Now()})
	if ctx.Err() != nil {
		return Photo{}, ctx.Err()
	}
	if f.fail != nil {
		return Photo{}, f.fail
	}
	if st := f.missing[p.Key()]; st != 0 {
		return Photo{}, &PhotoMissing{Status: st}
	}
	if etag != "" && etag == f.etag {
		return Photo{NotModified: true}, nil
	}
	return Photo{Data: f.data, ETag: f.etag}, nil
}

func (f *fakePhotos) callsFor(key string) []photoCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []photoCall
	for _, c := range f.calls {
		if c.key == key {
			out = append(out, c)
		}
	}
	return out
}

type fakePhotoClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakePhotoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakePhotoClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newTestPhotoCache is a start of the console on dir at the clock's time.
func newTestPhotoCache(dir string, clock *fakePhotoClock, f PhotoFetcher) *PhotoCache {
	c := NewPhotoCache(PhotoCacheOptions{Dir: dir, Now: clock.Now, Sleep: func(_ context.Context, d time.Duration) error {
		clock.Advance(d)
		return nil
	}})
	c.SetFetcher(f, "graph https://graph.example")
	return c
}

func TestPhotoCacheRevalidatesOnceADay(t *testing.T) {
	dir := t.TempDir()
	clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	server := &fakePhotos{clock: clock, data: testJPEG(t, 48), etag: `W/"v1"`}
	ada := Person{Name: "Ada Lovelace", Email: "ada@contoso.com"}
	ctx := context.Background()
	want := func(c *PhotoCache) {
		t.Helper()
		c.Want(ada, false)
		if err := c.drain(ctx); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Lookup(ada.Key()); !ok {
			t.Fatal("no photo in memory")
		}
	}
	steps := []struct {
		name      string
		after     time.Duration
		newStart  bool
		wantCalls int
		wantETag  string
	}{
		{"first start fetches", 0, false, 1, ""},
		{"the same day asks nothing", time.Hour, false, 1, ""},
		{"a second start the same day asks nothing", time.Hour, true, 1, ""},
		{"a day later revalidates with the ETag", 23 * time.Hour, false, 2, `W/"v1"`},
		{"304 keeps the photo for another day", 23 * time.Hour, true, 2, ""},
		{"and then asks again", 2 * time.Hour, true, 3, `W/"v1"`},
	}
	c := newTestPhotoCache(dir, clock, server)
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			clock.Advance(s.after)
			if s.newStart {
				c = newTestPhotoCache(dir, clock, server)
			}
			want(c)
			calls := server.callsFor(ada.Key())
			if len(calls) != s.wantCalls {
				t.Fatalf("%d requests, want %d: %+v", len(calls), s.wantCalls, calls)
			}
			if last := calls[len(calls)-1]; s.wantETag != "" && last.etag != s.wantETag {
				t.Fatalf("revalidated with If-None-Match %q, want %q", last.etag, s.wantETag)
			}
		})
	}
}

func TestPhotoCacheRemembersMissing(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			dir := t.TempDir()
			clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
			bob := Person{Name: "Bob", Email: "bob@contoso.com"}
			server := &fakePhotos{clock: clock, missing: map[string]int{bob.Key(): status}}
			ctx := context.Background()
			c := newTestPhotoCache(dir, clock, server)
			for range 5 { // five refreshes redraw the row
				c.Want(bob, false)
				_ = c.drain(ctx)
				clock.Advance(time.Minute)
			}
			clock.Advance(12 * time.Hour)
			c = newTestPhotoCache(dir, clock, server) // remembered on disk
			c.Want(bob, true)
			_ = c.drain(ctx)
			if n := len(server.callsFor(bob.Key())); n != 1 {
				t.Fatalf("%d requests within a day, want 1", n)
			}
			if _, ok := c.Lookup(bob.Key()); ok {
				t.Fatal("a photo for a colleague without one")
			}
			clock.Advance(12 * time.Hour)
			c.Want(bob, false)
			_ = c.drain(ctx)
			if n := len(server.callsFor(bob.Key())); n != 2 {
				t.Fatalf("%d requests after a day, want 2", n)
			}
		})
	}
}

// However many rows scroll past, at most 30 photo requests leave in any
// minute, and only the last rows asked about wait (the queue is bounded).
func TestPhotoCacheThirtyRequestsAMinute(t *testing.T) {
	clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	server := &fakePhotos{clock: clock, data: testJPEG(t, 48), etag: "e"}
	c := newTestPhotoCache(t.TempDir(), clock, server)
	for i := range 200 {
		c.Want(Person{Email: "p" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "@contoso.com" + string(rune('0'+i/26))}, false)
	}
	if err := c.drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := server.calls
	if len(calls) != photoQueueLength {
		t.Fatalf("%d requests, want the %d the queue holds", len(calls), photoQueueLength)
	}
	for i := range calls {
		n := 0
		for _, c := range calls[i:] {
			if c.at.Before(calls[i].at.Add(time.Minute)) {
				n++
			}
		}
		if n > PhotoRequestsPerMinute {
			t.Fatalf("%d requests in the minute from %v", n, calls[i].at)
		}
	}
}

// photos = false: no fetcher, no request, whatever is wanted.
func TestPhotoCacheWithoutFetcherAsksNothing(t *testing.T) {
	clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	server := &fakePhotos{clock: clock, data: testJPEG(t, 48)}
	c := newTestPhotoCache(t.TempDir(), clock, server)
	c.SetFetcher(nil, "graph https://graph.example")
	c.Want(Person{Email: "ada@contoso.com"}, true)
	_ = c.drain(context.Background())
	if len(server.calls) != 0 {
		t.Fatalf("%d requests with photos off", len(server.calls))
	}
}

// A throttled answer pauses every photo: no request per row while it lasts.
func TestPhotoCachePausesWhenThrottled(t *testing.T) {
	clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	server := &fakePhotos{clock: clock, fail: &Error{Kind: KindThrottled, RetryAfter: 10 * time.Minute}}
	c := newTestPhotoCache(t.TempDir(), clock, server)
	for _, e := range []string{"a@x.com", "b@x.com", "c@x.com"} {
		c.Want(Person{Email: e}, false)
	}
	_ = c.drain(context.Background())
	if len(server.calls) != 1 {
		t.Fatalf("%d requests after a 429, want 1", len(server.calls))
	}
	clock.Advance(11 * time.Minute)
	server.fail = nil
	c.Want(Person{Email: "b@x.com"}, false)
	_ = c.drain(context.Background())
	if len(server.calls) != 2 {
		t.Fatalf("%d requests once the wait is over, want 2", len(server.calls))
	}
}

// A photo on disk that no longer decodes is asked for again, not shown.
func TestPhotoCacheGarbageAnswerGivesInitials(t *testing.T) {
	clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	server := &fakePhotos{clock: clock, data: []byte("<html>proxy</html>"), etag: "e"}
	c := newTestPhotoCache(t.TempDir(), clock, server)
	p := Person{Email: "ada@contoso.com"}
	c.Want(p, false)
	_ = c.drain(context.Background())
	if _, ok := c.Lookup(p.Key()); ok {
		t.Fatal("garbage shown as a photo")
	}
	c.Want(p, false)
	_ = c.drain(context.Background())
	if len(server.calls) != 1 {
		t.Fatalf("%d requests, want 1: garbage is remembered like a missing photo", len(server.calls))
	}
}

// Photos are counted in the request budget: even at their limit they fit in
// the headroom polling leaves under the hard ceiling.
func TestPhotoRequestsFitTheBudgetHeadroom(t *testing.T) {
	if PlannedRequestShare+PhotoRequestsPerWindow > HardRequestCeiling {
		t.Fatalf("polling plans %d and photos may add %d per 10 minutes: over the ceiling of %d",
			PlannedRequestShare, PhotoRequestsPerWindow, HardRequestCeiling)
	}
}

// The demo company's pictures decode like a server's, for some colleagues only.
func TestDemoPhotos(t *testing.T) {
	demo := NewDemo(time.UTC)
	people, _ := demo.Directory(context.Background())
	with := 0
	for _, p := range people {
		ph, err := demo.FetchPhoto(context.Background(), p, "")
		var missing *PhotoMissing
		if errors.As(err, &missing) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodePhoto(ph.Data); err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		with++
	}
	if with == 0 || with == len(people) {
		t.Fatalf("%d of %d demo colleagues have a picture: want some, not all", with, len(people))
	}
}

// The UI asks from its goroutine while the cache fetches on its own.
func TestPhotoCacheConcurrentUse(t *testing.T) {
	clock := &fakePhotoClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	server := &fakePhotos{clock: clock, data: testJPEG(t, 48), etag: "e"}
	c := newTestPhotoCache(t.TempDir(), clock, server)
	arrived := make(chan string, 100)
	c.SetChanged(func(key string) { arrived <- key })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Run(ctx)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				p := Person{Email: string(rune('a'+g)) + string(rune('a'+i)) + "@x.com"}
				c.Want(p, i == 0)
				c.Lookup(p.Key())
				if i == 4 {
					c.Unwant(p.Key())
				}
			}
		}()
	}
	wg.Wait()
	for range 16 { // 20 wanted, 4 taken back (unless already fetched)
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("photos did not arrive")
		}
	}
}

// Photos nobody looked at for PhotoKeptFor leave the disk; recent ones stay.
func TestPhotoCachePrunesOldPhotos(t *testing.T) {
	dir := t.TempDir()
	clock := &fakePhotoClock{now: time.Now()}
	server := &fakePhotos{clock: clock, data: testJPEG(t, 48), etag: "e"}
	c := newTestPhotoCache(dir, clock, server)
	old, recent := Person{Email: "left@x.com"}, Person{Email: "stays@x.com"}
	for _, p := range []Person{old, recent} {
		c.Want(p, false)
		_ = c.drain(context.Background())
	}
	base := func(p Person) string { return c.fileBase("graph https://graph.example", p.Key()) }
	long := time.Now().Add(-PhotoKeptFor - time.Hour)
	for _, ext := range []string{".json", ".img"} {
		if err := os.Chtimes(base(old)+ext, long, long); err != nil {
			t.Fatal(err)
		}
	}
	// Temporary files a crash left, in the old naming and atomicfile's; a
	// fresh one may be a write in progress and stays.
	leftovers := map[string]bool{".photo-123": false, "." + filepath.Base(base(old)) + ".img.456.tmp": false, "." + filepath.Base(base(recent)) + ".json.789.tmp": true}
	for name, fresh := range leftovers {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("torn"), 0o600); err != nil {
			t.Fatal(err)
		}
		if !fresh {
			if err := os.Chtimes(path, long, long); err != nil {
				t.Fatal(err)
			}
		}
	}
	c.prune()
	for name, fresh := range leftovers {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != fresh {
			t.Errorf("temporary %s: kept %v, want %v", name, err == nil, fresh)
		}
	}
	for p, want := range map[Person]bool{old: false, recent: true} {
		for _, ext := range []string{".json", ".img"} {
			_, err := os.Stat(base(p) + ext)
			if (err == nil) != want {
				t.Errorf("%s%s: kept %v, want %v", p.Email, ext, err == nil, want)
			}
		}
	}
}
