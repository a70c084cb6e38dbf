package app

import (
	"context"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// liveEngine is the refresh engine behind the window. It rebuilds the engine
// when the settings, the password or the sign-in change, without a restart,
// and forwards every generation's snapshots to the one channel the window
// reads for its whole life.
type liveEngine struct {
	env *Env
	ctx context.Context
	out chan calendar.Snapshot

	mu     sync.Mutex
	cfg    Config
	have   bool // cfg holds settings to run on (false on the welcome page)
	engine *calendar.Refresher
	stop   context.CancelFunc
	gen    int
	latest calendar.Snapshot
	// lastCycle is when the current provider last refreshed everyone: a new
	// interval counts from there, so a settings change sends nothing early.
	lastCycle time.Time
	people    int
	// photos follows the source: each new one is asked for photos (nil: photos off).
	photos *calendar.PhotoCache
	// watched are the colleagues the operator asked to be told about when
	// free: every engine built is told, so they stay first after a rebuild.
	watched []string
	rooms   int // meeting rooms of the last snapshot, polled with the people
}

func newLiveEngine(ctx context.Context, env *Env) *liveEngine {
	return &liveEngine{env: env, ctx: ctx, out: make(chan calendar.Snapshot, 1)}
}

// Snapshots is the channel the window reads.
func (l *liveEngine) Snapshots() <-chan calendar.Snapshot { return l.out }

// Config is the configuration the engine runs on.
func (l *liveEngine) Config() (Config, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cfg, l.have
}

// Start runs cfg now, dropping whatever ran before.
func (l *liveEngine) Start(cfg Config) { l.start(cfg, time.Time{}, false) }

// Apply runs cfg. With the same provider the old data stays on screen and the
// first request waits for the next cycle at the new interval (no request
// storm); a new provider starts at once on an empty list.
func (l *liveEngine) Apply(cfg Config) {
	l.mu.Lock()
	at, keep := firstCycleAfterChange(l.have, l.cfg, cfg, l.lastCycle)
	l.mu.Unlock()
	l.start(cfg, at, keep)
}

// firstCycleAfterChange is when an engine rebuilt on next may send its first
// request (zero: at once) and whether the old data stays on screen meanwhile.
// Same provider: the next cycle at the new interval, counted from the last
// one. Another provider, or nothing polled yet: at once, on a fresh screen.
func firstCycleAfterChange(running bool, current, next Config, lastCycle time.Time) (time.Time, bool) {
	if !running || next.Provider != current.Provider || lastCycle.IsZero() {
		return time.Time{}, false
	}
	return lastCycle.Add(next.RefreshInterval.Duration), true
}

// Restart rebuilds the engine on the same settings now: a new password is
// only read when the source is built. The new engine checks it with one
// request before it polls.
func (l *liveEngine) Restart() {
	if cfg, ok := l.Config(); ok {
		l.start(cfg, time.Time{}, true)
	}
}

// Resume is the operator's retry after a pause: one request with the current
// credentials. An engine that could not be built is built again.
func (l *liveEngine) Resume() {
	l.mu.Lock()
	engine, cfg, have := l.engine, l.cfg, l.have
	l.mu.Unlock()
	switch {
	case engine != nil:
		engine.Resume()
	case have:
		l.start(cfg, time.Time{}, true)
	}
}

// RefreshPerson is the window's on-demand refresh of one colleague: F5
// forces it; a selection asks only for data older than
// calendar.SelectionFreshness.
func (l *liveEngine) RefreshPerson(key string, force bool) {
	l.mu.Lock()
	engine := l.engine
	l.mu.Unlock()
	if engine == nil {
		return
	}
	engine.SetSelected(key)
	// Paused or backing off: the banner already says why nothing is sent.
	if force {
		_ = engine.RefreshNow(key)
	} else {
		_ = engine.RefreshIfStale(key)
	}
}

// SetFavourites reorders the engine's priorities without a rebuild.
func (l *liveEngine) SetFavourites(emails []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg.People.Favourites = emails
	if l.engine != nil {
		keys := make([]string, len(emails))
		for i, e := range emails {
			keys[i] = strings.ToLower(e)
		}
		l.engine.SetFavourites(keys)
	}
}

// SetWatched tells the engine, and every engine built after it, whom the
// operator watches ("tell me when free"): they are asked about first.
func (l *liveEngine) SetWatched(keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.watched = append([]string(nil), keys...)
	if l.engine != nil {
		l.engine.SetWatched(l.watched)
	}
}

// KnownEmails are the addresses of the colleagues on screen: someone to ask
// about when a password is checked and the settings name nobody (a group).
func (l *liveEngine) KnownEmails() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, p := range l.latest.People {
		if p.Person.Email != "" {
			out = append(out, p.Person.Email)
		}
	}
	return out
}

// People is how many colleagues the last snapshot showed.
func (l *liveEngine) People() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.people
}

// Rooms is how many meeting rooms the last snapshot showed.
func (l *liveEngine) Rooms() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rooms
}

// start stops the running engine and starts one on cfg at `at` (zero: now).
// keepScreen holds back the new engine's empty first snapshots so the operator
// keeps reading the old data until new data arrives. Building the source reads
// the keyring, so it happens outside the lock: the window's calls into the
// engine (RefreshPerson runs on the Fyne goroutine) never wait for I/O.
func (l *liveEngine) start(cfg Config, at time.Time, keepScreen bool) {
	l.mu.Lock()
	if l.stop != nil {
		l.stop()
		l.stop, l.engine = nil, nil
	}
	if !l.have || cfg.Provider != l.cfg.Provider {
		l.lastCycle, l.people, l.rooms = time.Time{}, 0, 0
		keepScreen = false
	}
	l.cfg, l.have = cfg, true
	l.gen++
	gen := l.gen
	ctx, cancel := context.WithCancel(l.ctx)
	l.stop = cancel
	l.mu.Unlock()

	src, err := l.env.buildSource(ctx, cfg)
	var engine *calendar.Refresher
	if err == nil {
		engine, err = l.env.newEngine(cfg, src, nil)
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if gen != l.gen {
		return // superseded while building; its context is already cancelled
	}
	if err != nil {
		l.env.Logger.Error("cannot start refreshing", "err", err)
		failed := l.env.failedSnapshot(cfg, err)
		if keepScreen {
			failed.People = l.latest.People
		}
		l.publishLocked(gen, failed)
		return
	}
	l.engine = engine
	usePhotosOf(l.photos, cfg, src)
	engine.SetWatched(l.watched)
	l.env.Logger.Info("refresh engine (re)built", "provider", cfg.Provider, "interval", cfg.RefreshInterval.Duration, "first_cycle", at)
	snaps, unsubscribe := engine.Subscribe()
	go l.forward(ctx, gen, engine, snaps, unsubscribe, at, keepScreen)
}

// forward runs engine from `at` and passes its snapshots on until ctx ends.
func (l *liveEngine) forward(ctx context.Context, gen int, engine *calendar.Refresher, snaps <-chan calendar.Snapshot, unsubscribe func(), at time.Time, hold bool) {
	defer unsubscribe()
	if wait := time.Until(at); wait > 0 {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	go func() { _ = engine.Run(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return
		case s, ok := <-snaps:
			if !ok {
				return
			}
			if hold && len(s.People) == 0 && s.Engine.Reason == nil {
				continue
			}
			l.mu.Lock()
			if hold && len(s.People) == 0 {
				// Stopped before it had anyone (a password rejected, the
				// network gone): the last good data stays on screen under
				// the new engine's state, which says it is paused.
				s.People = l.latest.People
			} else {
				hold = false
			}
			l.publishLocked(gen, s)
			l.mu.Unlock()
			refreshPeak.seen(s)
		}
	}
}

// refreshPeak: what a refresh allocated and let go (the answers it read,
// the states it made anew, at the start also the directory and the search
// index) goes back to the system after the refresh, as well as at start.
// Go's scavenger returns it only over minutes, and the collector lets the
// heap grow to twice the live data before it runs, so a console open all
// day at 50,000 colleagues sat at 330-470 MiB between its refreshes for
// some 110 MB of live data. At most every releaseEvery, so a short refresh
// interval on a large company does not spend a collection each minute.
var refreshPeak = &peakRelease{release: returnRefreshPeak}

// releaseEvery is the least time between two releases after the first.
const releaseEvery = 5 * time.Minute

type peakRelease struct {
	mu       sync.Mutex
	released bool
	last     time.Time // the LastSuccess of the refresh last released after
	release  func()
}

// seen is told every snapshot the window gets; the first with people and
// no refresh under way, then one whose refresh succeeded releaseEvery or
// more after the last released, releases the peak, off the caller's
// goroutine, and reports that it did.
func (p *peakRelease) seen(s calendar.Snapshot) (released bool) {
	if len(s.People) == 0 || s.Engine.Refreshing {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.released && (s.Engine.LastSuccess.IsZero() || s.Engine.LastSuccess.Sub(p.last) < releaseEvery) {
		return false
	}
	p.released, p.last = true, s.Engine.LastSuccess
	go p.release()
	return true
}

func returnRefreshPeak() {
	// The window applies the snapshot and builds its index in the meantime.
	time.Sleep(3 * time.Second)
	debug.FreeOSMemory()
}

// publishLocked hands s to the window unless a newer engine took over; the
// window only needs the latest snapshot, so an unread one is replaced.
func (l *liveEngine) publishLocked(gen int, s calendar.Snapshot) {
	if gen != l.gen {
		return
	}
	l.latest = s
	if len(s.People) > 0 {
		rooms := len(s.MeetingRooms())
		l.people, l.rooms = len(s.People)-rooms, rooms
	}
	if !s.Engine.LastSuccess.IsZero() {
		l.lastCycle = s.Engine.LastSuccess
	}
	for {
		select {
		case l.out <- s:
			return
		default:
		}
		select {
		case <-l.out:
		default:
		}
	}
}
