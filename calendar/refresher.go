package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

const (
	// DefaultInterval is how often everyone is refreshed unless configured otherwise.
	DefaultInterval = 60 * time.Second
	// MinInterval is the shortest interval allowed without the admin policy's consent.
	MinInterval = 30 * time.Second
	// MinFastInterval is the floor even the admin policy cannot go under.
	MinFastInterval = 5 * time.Second
	// DefaultDirectoryInterval is how often the directory is reloaded: who works
	// here changes rarely, and a tenant-wide listing is many requests.
	DefaultDirectoryInterval = 6 * time.Hour
	// DefaultRequestTimeout bounds one call to the Source.
	DefaultRequestTimeout = 60 * time.Second
	// FetchWindowDays is how far ahead each refresh reads: far enough that "next
	// free" on a Friday afternoon can find Monday morning.
	FetchWindowDays = 4

	// onDemandSpacing keeps a held-down F5 or a fast scroll through the list
	// from turning into a request storm: on-demand requests coalesce.
	onDemandSpacing = 2 * time.Second
	// intervalJitter spreads consoles started together (a whole reception desk
	// after a power cut) so their polls do not stay aligned.
	intervalJitter = 0.1
)

// Backoff parameters. Offline retries are capped at the interval so the data
// comes back within one interval of the network.
const (
	throttleBackoffBase = 5 * time.Second
	throttleBackoffCap  = 5 * time.Minute
	offlineBackoffBase  = 2 * time.Second
	// directoryRetry is when a failed directory reload is tried again while the
	// last good directory stays in use.
	directoryRetry = 10 * time.Minute
)

var (
	ErrIntervalTooShort = errors.New("calendar: refresh intervals under 30s need the admin policy to allow fast polling")
	// ErrPaused: the engine stopped after a sign-in, permission or configuration
	// failure and sends nothing until Resume.
	ErrPaused = errors.New("calendar: refreshing is paused until the operator signs in again or the configuration is fixed")
	// ErrBackingOff: the server asked us to wait (or is unreachable) and the
	// wait is not over; the person is refreshed first when it is.
	ErrBackingOff     = errors.New("calendar: waiting before the next request, as the server asked")
	ErrUnknownPerson  = errors.New("calendar: person not in the directory")
	ErrAlreadyRunning = errors.New("calendar: refresher already running")

	errNotFetchedYet   = errors.New("not refreshed yet")
	errRequestTimedOut = errors.New("request timed out")
	// errOwnCeiling is the engine holding itself back, not the server: a
	// throttle with the operator's words, so nobody reads it as a fault.
	errOwnCeiling = &Error{Kind: KindThrottled, Op: "calendar.refresh",
		Err:  fmt.Errorf("holding requests back: %d sent in the last 10 minutes", HardRequestCeiling),
		Hint: "Frontdesk is holding requests back to stay under the mailbox limit; it carries on by itself within 10 minutes."}
)

// RefresherOptions configure a Refresher. Only Source is required.
type RefresherOptions struct {
	Source Source
	// Interval between refreshes of everyone; zero means DefaultInterval.
	Interval time.Duration
	// AllowFastPolling is the admin policy's permission to go under MinInterval.
	AllowFastPolling bool
	// Location is the operator's time zone: "today" starts at its midnight. Nil means time.Local.
	Location *time.Location
	// Favourites are person keys (Person.Key) refreshed first, in this order.
	Favourites []string
	// DirectoryInterval is how often the directory is reloaded; zero means DefaultDirectoryInterval.
	DirectoryInterval time.Duration
	// RequestTimeout bounds one Source call; zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// SoonWithin is how near the end of a free period the snapshots warn
	// about ("Free for 10 min · then 1:1"); zero means SoonWithin.
	SoonWithin time.Duration
	// RoomsInterval is how often a RoomLister's rooms are listed again; zero
	// means DefaultRoomsInterval. Their calendars follow Interval like everyone's.
	RoomsInterval time.Duration
	// RoomsOff lists no meeting rooms, whatever the source can do (the
	// config's rooms = false): no listing request is sent and the snapshots
	// say the rooms are off rather than missing.
	RoomsOff bool
	// Clock is nil for the wall clock.
	Clock Clock
	// Logger is nil for slog.Default().
	Logger *slog.Logger
}

// Refresher keeps a Snapshot of everyone current without getting the operator's
// account throttled or locked: it polls on an interval in batches within the
// Source's limits, pauses the whole source for as long as the server asks, and
// stops for good after a sign-in failure until the operator acts (Resume).
//
// Its parts, each in its own file, share one lock: the gate (gate.go) says
// whether a request may leave; the schedule (schedule.go) says who is asked
// about when; the roster (roster.go) holds the directory and the answers; the
// fetch (fetch.go) runs cycles and on-demand batches; the publisher
// (publish.go) hands snapshots out; controls.go is what the operator's
// actions call.
type Refresher struct {
	src            Source
	limits         Limits
	clock          Clock
	log            *slog.Logger
	loc            *time.Location
	directoryEvery time.Duration
	roomsEvery     time.Duration
	roomsOff       bool
	requestTimeout time.Duration
	soonWithin     time.Duration
	wake           chan struct{}

	mu          sync.Mutex
	running     bool
	cycleFailed bool // the cycle in flight was cut short
	oneShot     bool // RefreshOnce: no answer before this one to compare with
	gate        gate
	sched       schedule
	roster      roster
	rooms       roomList
	pub         publisher

	// directorySaved is when the colleagues listed were saved, while they are
	// the source's saved copy and not a live listing (directorycache.go).
	directorySaved time.Time
}

// NewRefresher checks the options and returns an engine ready to Run.
func NewRefresher(opts RefresherOptions) (*Refresher, error) {
	if opts.Source == nil {
		return nil, errors.New("calendar: refresher needs a source")
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	interval := opts.Interval
	if interval == 0 {
		interval = DefaultInterval
	}
	switch {
	case interval < MinFastInterval:
		return nil, fmt.Errorf("calendar: refresh interval %s is under the floor of %s", interval, MinFastInterval)
	case interval < MinInterval && !opts.AllowFastPolling:
		return nil, fmt.Errorf("%w (configured %s)", ErrIntervalTooShort, interval)
	case interval < DefaultInterval:
		log.Warn("refresh interval under 60s: every poll counts against the operator's mailbox limits",
			"interval", interval, "fast_polling_allowed", opts.AllowFastPolling)
	}
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	clock := opts.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	limits := opts.Source.Limits()
	limits.BatchSize = max(limits.BatchSize, 1)
	limits.MaxConcurrent = max(limits.MaxConcurrent, 1)
	r := &Refresher{
		src:            opts.Source,
		limits:         limits,
		clock:          clock,
		log:            log,
		loc:            loc,
		directoryEvery: orDefault(opts.DirectoryInterval, DefaultDirectoryInterval),
		roomsEvery:     orDefault(opts.RoomsInterval, DefaultRoomsInterval),
		roomsOff:       opts.RoomsOff,
		requestTimeout: orDefault(opts.RequestTimeout, DefaultRequestTimeout),
		soonWithin:     opts.SoonWithin,
		wake:           make(chan struct{}, 1),
		gate: gate{
			log:             log,
			source:          opts.Source.Name(),
			throttleBackoff: Backoff{Base: throttleBackoffBase, Cap: throttleBackoffCap},
			offlineBackoff:  Backoff{Base: offlineBackoffBase, Cap: interval},
		},
		sched: schedule{
			configured: interval,
			interval:   interval,
			batchSize:  limits.BatchSize,
			cost:       func(people int) int { return RequestsPerRefresh(opts.Source, people) },
			random:     rand.Float64,
			pending:    map[string]time.Time{},
		},
		roster: roster{index: map[string]int{}},
		pub:    publisher{subs: map[*subscription]struct{}{}},
	}
	r.sched.replies, _ = opts.Source.(AutoReplySource)
	r.gate.requests, r.gate.countCalls = requestMeterOf(opts.Source, clock.Now)
	r.sched.setFavourites(opts.Favourites)
	return r, nil
}

func orDefault(d, fallback time.Duration) time.Duration {
	if d <= 0 {
		return fallback
	}
	return d
}

// start claims the engine for Run or RefreshOnce; false if it is taken.
func (r *Refresher) start() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running {
		return false
	}
	r.running = true
	return true
}

func (r *Refresher) stop() {
	r.mu.Lock()
	r.running, r.pub.refreshing = false, false
	r.mu.Unlock()
}

// Run polls until ctx is done and returns ctx's error. Call it once, in its own goroutine.
func (r *Refresher) Run(ctx context.Context) error {
	if !r.start() {
		return ErrAlreadyRunning
	}
	defer r.stop()
	r.log.Info("refresh engine started", "source", r.src.Name(), "interval", r.sched.configured,
		"batch_size", r.limits.BatchSize, "max_concurrent", r.limits.MaxConcurrent)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		step, wakeAt := r.plan()
		switch step {
		case stepDirectory:
			r.loadDirectory(ctx)
		case stepCycle:
			r.runCycle(ctx)
		case stepOnDemand:
			r.runOnDemand(ctx)
		case stepRepublish:
			r.mu.Lock()
			r.publishLocked(r.clock.Now(), true)
			r.mu.Unlock()
		case stepWait:
			r.wait(ctx, wakeAt)
		}
	}
}

type step int

const (
	stepWait step = iota
	stepDirectory
	stepCycle
	stepOnDemand
	stepRepublish
)

// plan decides what the loop does next; the gate is checked here, and again
// just before each request leaves (admitLocked).
func (r *Refresher) plan() (step, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	if r.gate.paused() {
		return r.idleLocked(now, time.Time{})
	}
	if until, blocked := r.gate.blockedUntil(now); blocked {
		return r.idleLocked(now, until)
	}
	if !r.roster.loaded || !now.Before(r.roster.due) {
		return stepDirectory, time.Time{}
	}
	switch cycle, onDemand, next := r.sched.due(now, r.roster.due); {
	case cycle:
		return stepCycle, time.Time{}
	case onDemand:
		return stepOnDemand, time.Time{}
	default:
		return stepWait, next
	}
}

// idleLocked waits out a pause or back-off, re-evaluating the last data once an
// interval so "busy until 10:00" still turns to free at 10:00 with no request.
func (r *Refresher) idleLocked(now, until time.Time) (step, time.Time) {
	if !r.pub.haveLatest {
		return stepWait, until
	}
	republishAt := r.pub.lastPublish.Add(r.sched.interval)
	if !now.Before(republishAt) {
		return stepRepublish, time.Time{}
	}
	if until.IsZero() {
		return stepWait, republishAt
	}
	return stepWait, earliest(until, republishAt)
}

// wait sleeps until at (forever if zero), a wake-up, or ctx.
func (r *Refresher) wait(ctx context.Context, at time.Time) {
	var timeout <-chan time.Time
	if !at.IsZero() {
		d := at.Sub(r.clock.Now())
		if d <= 0 {
			return
		}
		t := r.clock.NewTimer(d)
		defer t.Stop()
		timeout = t.C()
	}
	select {
	case <-ctx.Done():
	case <-r.wake:
	case <-timeout:
	}
}

func (r *Refresher) notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}
