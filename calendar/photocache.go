package calendar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar/atomicfile"
)

// PhotoCacheOptions configure a PhotoCache.
type PhotoCacheOptions struct {
	// Dir is the folder the photos are kept in (the OS cache folder's
	// Frontdesk/photos); "" keeps nothing on disk.
	Dir    string
	Logger *slog.Logger
	// Now and Sleep are the clock; tests move it by hand. Sleep returns
	// early with ctx's error.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Limiter holds photo requests to PhotoRequestsPerMinute; nil: a new one.
	Limiter *PhotoLimiter
}

// Photo cache tunables.
const (
	// photoQueueLength bounds the colleagues waiting for a photo: the rows on
	// screen and the selected colleague. Those scrolled past long ago drop out.
	photoQueueLength = 64
	// photosInMemory bounds the decoded photos kept: a screen of rows with
	// some to spare; a 48x48 photo is 9 KB decoded.
	photosInMemory = 96
	// photoFetchTimeout bounds one photo request, the SDK's retries included.
	photoFetchTimeout = 30 * time.Second
	// photoRetryAfterFailure is how long a colleague's photo is not asked for
	// again after a failure that is neither "missing" nor the server's wait.
	photoRetryAfterFailure = 15 * time.Minute
	// photoPauseAfterRefusal is how long no photo is asked for after the
	// server throttled or refused the sign-in, when it named no wait.
	photoPauseAfterRefusal = 5 * time.Minute
	// PhotoKeptFor is how long a photo nobody looked at stays on disk: a
	// colleague who left, a server no longer used.
	PhotoKeptFor = 90 * 24 * time.Hour
)

// PhotoCache fetches colleagues' photos lazily, only for the people asked
// about (Want), keeps them on disk with their ETag, and asks the server again
// at most once per PhotoRevalidateAfter with If-None-Match; a photo the server
// says is missing (404) or not readable (403) is remembered on disk just as
// long. At most PhotoRequestsPerMinute requests leave in any minute. Lookup
// never touches the disk or the network: it is for the Fyne goroutine.
type PhotoCache struct {
	opts    PhotoCacheOptions
	limiter *PhotoLimiter
	log     *slog.Logger
	wake    chan struct{}

	mu      sync.Mutex
	changed func(key string)
	fetcher PhotoFetcher
	scope   string                // the fetcher's server: part of every file name
	meta    map[string]*photoMeta // by person key, read from disk once
	decoded map[string]*decodedPhoto
	used    uint64 // the decoded photos' clock, for dropping the least recently shown
	queue   []Person
	failed  map[string]time.Time // person key -> not asked again before
	paused  time.Time            // no photo request before
}

// photoMeta is what the cache knows about one colleague's photo; it is the
// JSON beside the image on disk.
type photoMeta struct {
	ETag string `json:"etag,omitempty"`
	// Checked is when the server last answered about this photo.
	Checked time.Time `json:"checked"`
	// Missing is 404 or 403 when the server said there is no photo to read.
	Missing int  `json:"missing,omitempty"`
	Image   bool `json:"image,omitempty"`
	// unreadable: the image on disk did not decode this run.
	unreadable bool
}

type decodedPhoto struct {
	img  image.Image
	used uint64
}

// NewPhotoCache returns a cache that fetches nothing until SetFetcher.
func NewPhotoCache(opts PhotoCacheOptions) *PhotoCache {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	if opts.Limiter == nil {
		opts.Limiter = NewPhotoLimiter()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &PhotoCache{opts: opts, limiter: opts.Limiter, log: opts.Logger, wake: make(chan struct{}, 1),
		meta: map[string]*photoMeta{}, decoded: map[string]*decodedPhoto{}, failed: map[string]time.Time{}}
}

// SetFetcher sets where photos come from; scope names its server (a new
// server's photos are other files). nil asks nothing of any server: photos
// turned off, or the demo company. Photos already on disk are still shown.
func (c *PhotoCache) SetFetcher(f PhotoFetcher, scope string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if scope != c.scope {
		clear(c.meta)
		clear(c.decoded)
		clear(c.failed)
		c.scope = scope
	}
	c.fetcher = f
	c.paused = time.Time{}
	c.signal()
}

// SetChanged registers what is called, on the cache's own goroutine, when a
// colleague's photo arrived in memory or went: the UI redraws them.
func (c *PhotoCache) SetChanged(f func(key string)) {
	c.mu.Lock()
	c.changed = f
	c.mu.Unlock()
}

// Lookup is the photo of the colleague with key, when it is decoded in memory.
func (c *PhotoCache) Lookup(key string) (image.Image, bool) {
	key = strings.ToLower(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.decoded[key]
	if !ok {
		return nil, false
	}
	c.used++
	d.used = c.used
	return d.img, true
}

// Want asks for p's photo: from disk at once, from the server when due.
// first puts p ahead of everyone else (the selected colleague).
func (c *PhotoCache) Want(p Person, first bool) {
	key := strings.ToLower(p.Key())
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.decoded[key]; ok {
		if m := c.meta[key]; m != nil && !c.due(m) {
			return
		}
	}
	for i, q := range c.queue {
		if strings.EqualFold(q.Key(), key) {
			if !first {
				return
			}
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			break
		}
	}
	if first {
		c.queue = append([]Person{p}, c.queue...)
	} else {
		c.queue = append(c.queue, p)
	}
	if len(c.queue) > photoQueueLength {
		// The oldest wish after the first is a row long scrolled past.
		if first {
			c.queue = c.queue[:photoQueueLength]
		} else {
			c.queue = append(c.queue[:1], c.queue[2:]...)
		}
	}
	c.signal()
}

// Unwant takes back a wish: the row that asked now shows someone else.
func (c *PhotoCache) Unwant(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, q := range c.queue {
		if strings.EqualFold(q.Key(), key) {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			return
		}
	}
}

func (c *PhotoCache) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Run fetches what is wanted until ctx ends. It first clears out the photos
// nobody looked at for PhotoKeptFor.
func (c *PhotoCache) Run(ctx context.Context) {
	c.prune()
	for {
		if err := c.drain(ctx); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
	}
}

// drain works through the queue: photos on disk first, then requests as
// the limiter lets them leave. It returns when the queue is empty, or ctx's
// error.
func (c *PhotoCache) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		p, ok := c.front()
		if !ok {
			return nil
		}
		key := strings.ToLower(p.Key())
		fetcher, scope, fetch := c.fromDisk(key)
		if !fetch {
			c.done(key)
			continue
		}
		if wait := c.limiter.Reserve(c.opts.Now()); wait > 0 {
			// The wish stays queued: after the wait, whoever is first then goes.
			if err := c.opts.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		c.done(key)
		c.fetch(ctx, fetcher, scope, p)
	}
	return ctx.Err()
}

func (c *PhotoCache) front() (Person, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		return Person{}, false
	}
	return c.queue[0], true
}

func (c *PhotoCache) done(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) > 0 && strings.EqualFold(c.queue[0].Key(), key) {
		c.queue = c.queue[1:]
	}
}

// due reports whether the server is to be asked about a photo.
func (c *PhotoCache) due(m *photoMeta) bool {
	return m == nil || m.unreadable || !c.opts.Now().Before(m.Checked.Add(PhotoRevalidateAfter))
}

// fromDisk reads key's photo from disk into memory when it is not there yet,
// and says whether to ask the server about it now (with which fetcher).
func (c *PhotoCache) fromDisk(key string) (fetcher PhotoFetcher, scope string, fetch bool) {
	c.mu.Lock()
	m, known := c.meta[key]
	scope = c.scope
	_, inMemory := c.decoded[key]
	c.mu.Unlock()
	if !known {
		m = c.readMeta(scope, key)
	}
	unreadable := false
	if m != nil && m.Image && !inMemory && !m.unreadable {
		img, err := c.readImage(scope, key)
		if err != nil {
			c.log.Warn("photo on disk does not read: asking the server again", "err", err)
			unreadable = true
		} else {
			c.keep(key, img)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if scope != c.scope {
		return nil, "", false // the server changed meanwhile
	}
	if unreadable {
		// A record is changed only under the lock: Want reads it there.
		copied := *m
		copied.unreadable = true
		m = &copied
	}
	c.meta[key] = m
	now := c.opts.Now()
	if c.fetcher == nil || !c.due(m) || now.Before(c.failed[key]) || now.Before(c.paused) {
		return nil, "", false
	}
	return c.fetcher, scope, true
}

// fetch asks the server about p's photo and keeps the answer.
func (c *PhotoCache) fetch(ctx context.Context, fetcher PhotoFetcher, scope string, p Person) {
	key := strings.ToLower(p.Key())
	c.mu.Lock()
	m := c.meta[key]
	c.mu.Unlock()
	etag := ""
	if m != nil && m.Image && !m.unreadable {
		etag = m.ETag
	}
	fctx, cancel := context.WithTimeout(ctx, photoFetchTimeout)
	answer, err := fetcher.FetchPhoto(fctx, p, etag)
	cancel()
	now := c.opts.Now()
	var missing *PhotoMissing
	switch {
	case errors.As(err, &missing):
		c.store(scope, key, &photoMeta{Checked: now, Missing: missing.Status}, nil)
		c.drop(key)
	case err != nil && ctx.Err() != nil:
		return
	case err != nil:
		c.mu.Lock()
		switch KindOf(err) {
		case KindThrottled, KindAuth, KindLocked, KindConfig:
			// The server's wait, a sign-in to redo, a settings problem: the
			// engine says so; photos wait without adding requests.
			c.paused = now.Add(max(RetryAfterOf(err), photoPauseAfterRefusal))
		default:
			c.failed[key] = now.Add(photoRetryAfterFailure)
		}
		c.mu.Unlock()
		c.log.Info("photo not fetched", "err", err)
	case answer.NotModified && etag != "":
		c.store(scope, key, &photoMeta{ETag: etag, Checked: now, Image: true}, nil)
	default:
		img, derr := DecodePhoto(answer.Data)
		if derr != nil {
			c.log.Info("photo not shown: initials instead", "err", derr)
			c.store(scope, key, &photoMeta{Checked: now, Missing: 415}, nil)
			c.drop(key)
			return
		}
		c.store(scope, key, &photoMeta{ETag: answer.ETag, Checked: now, Image: true}, answer.Data)
		c.keep(key, img)
	}
}

// keep puts a decoded photo in memory, dropping the least recently shown
// beyond photosInMemory, and tells the UI.
func (c *PhotoCache) keep(key string, img image.Image) {
	c.mu.Lock()
	c.used++
	c.decoded[key] = &decodedPhoto{img: img, used: c.used}
	for len(c.decoded) > photosInMemory {
		oldest, at := "", ^uint64(0)
		for k, d := range c.decoded {
			if d.used < at {
				oldest, at = k, d.used
			}
		}
		delete(c.decoded, oldest)
	}
	changed := c.changed
	c.mu.Unlock()
	if changed != nil {
		changed(key)
	}
}

// drop forgets a photo the server no longer has.
func (c *PhotoCache) drop(key string) {
	c.mu.Lock()
	_, had := c.decoded[key]
	delete(c.decoded, key)
	changed := c.changed
	c.mu.Unlock()
	if had && changed != nil {
		changed(key)
	}
}

// fileBase is the name, without extension, of key's files: a hash, so no
// address becomes a file name.
func (c *PhotoCache) fileBase(scope, key string) string {
	if c.opts.Dir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(scope + "\x00" + key))
	return filepath.Join(c.opts.Dir, hex.EncodeToString(sum[:16]))
}

func (c *PhotoCache) readMeta(scope, key string) *photoMeta {
	base := c.fileBase(scope, key)
	if base == "" {
		return nil
	}
	data, err := os.ReadFile(base + ".json")
	if err != nil {
		return nil
	}
	var m photoMeta
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	return &m
}

func (c *PhotoCache) readImage(scope, key string) (image.Image, error) {
	base := c.fileBase(scope, key)
	if base == "" {
		return nil, os.ErrNotExist
	}
	f, err := os.Open(base + ".img")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPhotoBytes+1))
	if err != nil {
		return nil, err
	}
	return DecodePhoto(data)
}

// store keeps m, and data when not nil, in memory and on disk. The image is
// written before its record, each through a temporary file, so a record
// never names an image that is not all there.
func (c *PhotoCache) store(scope, key string, m *photoMeta, data []byte) {
	c.mu.Lock()
	if scope == c.scope {
		c.meta[key] = m
	}
	c.mu.Unlock()
	base := c.fileBase(scope, key)
	if base == "" {
		return
	}
	if err := os.MkdirAll(c.opts.Dir, 0o700); err != nil {
		c.log.Warn("photo cache folder not made", "err", err)
		return
	}
	if data != nil {
		if err := writeFileAtomic(base+".img", data); err != nil {
			c.log.Warn("photo not kept on disk", "err", err)
			return
		}
	} else if !m.Image {
		_ = os.Remove(base + ".img")
	}
	record, _ := json.Marshal(m)
	if err := writeFileAtomic(base+".json", record); err != nil {
		c.log.Warn("photo record not kept on disk", "err", err)
	}
}

// isTempFile reports whether name is a temporary file a write left behind
// (atomicfile's ".NAME.*.tmp"; ".photo-*" from before it).
func isTempFile(name string) bool {
	return strings.HasPrefix(name, ".photo-") || (strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp"))
}

// prune removes the files of photos not checked for PhotoKeptFor (a record's
// file is rewritten at each check), and temporary files left by a crash.
func (c *PhotoCache) prune() {
	if c.opts.Dir == "" {
		return
	}
	entries, err := os.ReadDir(c.opts.Dir)
	if err != nil {
		return
	}
	cutoff := c.opts.Now().Add(-PhotoKeptFor)
	removed := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		name := e.Name()
		base := strings.TrimSuffix(name, filepath.Ext(name))
		switch {
		case isTempFile(name) && info.ModTime().Before(c.opts.Now().Add(-time.Hour)):
		case filepath.Ext(name) == ".json" && info.ModTime().Before(cutoff):
			_ = os.Remove(filepath.Join(c.opts.Dir, base+".img"))
		default:
			continue
		}
		if os.Remove(filepath.Join(c.opts.Dir, name)) == nil {
			removed++
		}
	}
	if removed > 0 {
		c.log.Info("old photos cleared from the cache", "files", removed)
	}
}

// writeFileAtomic keeps a photo or its record whole through a crash: a torn
// image under a good record would be shown until the next revalidation.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, data, atomicfile.Options{})
}
