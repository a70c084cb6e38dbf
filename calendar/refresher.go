package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
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
	errOwnCeiling      = fmt.Errorf("holding requests back: %d sent in the last 10 minutes", HardRequestCeiling)
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
	// Clock is nil for the wall clock.
	Clock Clock
	// Logger is nil for slog.Default().
	Logger *slog.Logger
}

// Refresher keeps a Snapshot of everyone current without getting the operator's
// account throttled or locked: it polls on an interval in batches within the
// Source's limits, pauses the whole source for as long as the server asks, and
// stops for good after a sign-in failure until the operator acts (Resume).
type Refresher struct {
	src            Source
	limits         Limits
	clock          Clock
	log            *slog.Logger
	loc            *time.Location
	configured     time.Duration
	directoryEvery time.Duration
	requestTimeout time.Duration
	random         func() float64
	wake           chan struct{}

	mu      sync.Mutex
	running bool

	people        []Person
	index         map[string]int
	fetched       []personData // aligned with people
	display       []int        // positions in people, in the order snapshots list them
	haveDirectory bool
	directoryDue  time.Time

	interval time.Duration // configured, or stretched by the budget
	notice   string

	selected   string
	favourites map[string]int
	pending    map[string]time.Time // on-demand keys and when they were asked for

	fullRequested  bool
	nextCycle      time.Time
	lastCycleStart time.Time
	lastOnDemand   time.Time

	pause       State // "" when polling; StateAuthPaused or StateConfigError
	pauseReason error
	pauseSince  time.Time

	throttled      bool
	throttledUntil time.Time
	throttledSince time.Time
	throttleReason error

	offline       bool
	retryAt       time.Time
	offlineSince  time.Time
	offlineReason error

	throttleBackoff Backoff
	offlineBackoff  Backoff
	requests        *RequestMeter
	countCalls      bool // the source does not count its own requests: one per call
	cycleFailed     bool

	refreshing  bool
	lastSuccess time.Time
	lastPublish time.Time
	latest      Snapshot
	haveLatest  bool
	subs        map[*subscription]struct{}
}

type personData struct {
	avail     Availability
	fetchedAt time.Time // on the engine's clock; zero: never
}

type subscription struct{ ch chan Snapshot }

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
		src:             opts.Source,
		limits:          limits,
		clock:           clock,
		log:             log,
		loc:             loc,
		configured:      interval,
		interval:        interval,
		directoryEvery:  orDefault(opts.DirectoryInterval, DefaultDirectoryInterval),
		requestTimeout:  orDefault(opts.RequestTimeout, DefaultRequestTimeout),
		random:          rand.Float64,
		wake:            make(chan struct{}, 1),
		index:           map[string]int{},
		pending:         map[string]time.Time{},
		subs:            map[*subscription]struct{}{},
		throttleBackoff: Backoff{Base: throttleBackoffBase, Cap: throttleBackoffCap},
		offlineBackoff:  Backoff{Base: offlineBackoffBase, Cap: interval},
	}
	r.requests, r.countCalls = requestMeterOf(opts.Source, clock.Now)
	r.setFavouritesLocked(opts.Favourites)
	return r, nil
}

func orDefault(d, fallback time.Duration) time.Duration {
	if d <= 0 {
		return fallback
	}
	return d
}

// Run polls until ctx is done and returns ctx's error. Call it once, in its own goroutine.
func (r *Refresher) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.running {
		r.mu.Unlock()
		return ErrAlreadyRunning
	}
	r.running = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.running, r.refreshing = false, false
		r.mu.Unlock()
	}()
	r.log.Info("refresh engine started", "source", r.src.Name(), "interval", r.configured,
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

// RefreshOnce is one cycle of Run for a one-shot caller such as `frontdesk
// status`: the directory, then everyone in batches behind the same gates, in
// the same window and order as Run, and the snapshot Run would publish. err is
// the reason when the engine stopped (sign-in, throttling, network) or ctx
// ended; the snapshot carries the engine's state either way. Not while Run runs.
func (r *Refresher) RefreshOnce(ctx context.Context) (Snapshot, error) {
	r.mu.Lock()
	if r.running {
		r.mu.Unlock()
		return Snapshot{}, ErrAlreadyRunning
	}
	r.running = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.running, r.refreshing = false, false
		r.mu.Unlock()
	}()
	r.loadDirectory(ctx)
	r.mu.Lock()
	_, blocked := r.blockedUntilLocked(r.clock.Now())
	cycle := r.haveDirectory && r.pause == "" && !blocked
	r.mu.Unlock()
	if cycle {
		r.runCycle(ctx)
	}
	snap, _ := r.Latest()
	switch {
	case ctx.Err() != nil:
		return snap, ctx.Err()
	case snap.Engine.Stale:
		return snap, snap.Engine.Reason
	}
	return snap, nil
}

type step int

const (
	stepWait step = iota
	stepDirectory
	stepCycle
	stepOnDemand
	stepRepublish
)

// plan decides what the loop does next; every gate is checked here, and again
// just before each request leaves (admitLocked).
func (r *Refresher) plan() (step, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	if r.pause != "" {
		return r.idleLocked(now, time.Time{})
	}
	if until, blocked := r.blockedUntilLocked(now); blocked {
		return r.idleLocked(now, until)
	}
	if !r.haveDirectory || !now.Before(r.directoryDue) {
		return stepDirectory, time.Time{}
	}
	fullAt := r.lastCycleStart.Add(r.interval / 2)
	if !now.Before(r.nextCycle) || (r.fullRequested && !now.Before(fullAt)) {
		return stepCycle, time.Time{}
	}
	onDemandAt := r.lastOnDemand.Add(onDemandSpacing)
	if len(r.pending) > 0 && !now.Before(onDemandAt) {
		return stepOnDemand, time.Time{}
	}
	next := earliest(r.nextCycle, r.directoryDue)
	if r.fullRequested {
		next = earliest(next, fullAt)
	}
	if len(r.pending) > 0 {
		next = earliest(next, onDemandAt)
	}
	return stepWait, next
}

// idleLocked waits out a pause or back-off, re-evaluating the last data once an
// interval so "busy until 10:00" still turns to free at 10:00 with no request.
func (r *Refresher) idleLocked(now, until time.Time) (step, time.Time) {
	if !r.haveLatest {
		return stepWait, until
	}
	republishAt := r.lastPublish.Add(r.interval)
	if !now.Before(republishAt) {
		return stepRepublish, time.Time{}
	}
	if until.IsZero() {
		return stepWait, republishAt
	}
	return stepWait, earliest(until, republishAt)
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
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

// blockedUntilLocked reports whether no request may leave now, and until when.
func (r *Refresher) blockedUntilLocked(now time.Time) (time.Time, bool) {
	until := now
	if r.throttled && r.throttledUntil.After(until) {
		until = r.throttledUntil
	}
	if r.offline && r.retryAt.After(until) {
		until = r.retryAt
	}
	if free := r.requests.freeAt(now); free.After(until) {
		until = free
	}
	return until, until.After(now)
}

// admitLocked is the last check before a request leaves: nothing is sent during
// a pause or a back-off, even by a worker that was already scheduled.
func (r *Refresher) admitLocked(ctx context.Context) bool {
	if ctx.Err() != nil || r.pause != "" {
		return false
	}
	now := r.clock.Now()
	if _, blocked := r.blockedUntilLocked(now); blocked {
		return false
	}
	if r.countCalls {
		r.requests.record(now)
	}
	if !r.requests.freeAt(now).After(now) {
		return true
	}
	// This request filled the window: hold the next ones back and say why.
	if !r.throttled {
		r.throttled, r.throttledSince = true, now
		r.log.Warn("holding requests back to stay under the mailbox limit", "until", r.requests.freeAt(now))
	}
	r.throttledUntil = r.requests.freeAt(now)
	r.throttleReason = errOwnCeiling
	r.nextCycle = r.throttledUntil
	return true
}

// call runs one Source call with the request timeout on the engine's clock.
func (r *Refresher) call(ctx context.Context, op string, f func(context.Context) error) error {
	reqCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := r.clock.AfterFunc(r.requestTimeout, func() { cancel(errRequestTimedOut) })
	defer timer.Stop()
	err := f(reqCtx)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(reqCtx), errRequestTimedOut) {
		return &Error{Kind: KindTransient, Op: op, Err: errRequestTimedOut}
	}
	return err
}

func (r *Refresher) loadDirectory(ctx context.Context) {
	r.mu.Lock()
	if !r.admitLocked(ctx) {
		r.mu.Unlock()
		return
	}
	r.refreshing = true
	if !r.haveLatest {
		// Say at once that the engine is at work, before anyone is known.
		r.publishLocked(r.clock.Now(), false)
	}
	r.mu.Unlock()
	// No deadline for the listing as a whole: a tenant of 30,000 is 31 pages,
	// and every Source bounds each of its requests (Graph: a timeout per page).
	people, err := r.src.Directory(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	r.refreshing = false
	if err != nil {
		if r.haveDirectory && !sourceLevel(err) {
			// Keep the last good directory and go on polling it; the listing may
			// be what is broken (a group's permissions), not the calendars.
			r.directoryDue = now.Add(min(directoryRetry, r.directoryEvery))
			r.log.Warn("directory reload failed; keeping the last one", "people", len(r.people), "retry_at", r.directoryDue, "err", err)
			return
		}
		// directoryDue stays due: after the wait the directory is asked for first.
		if r.failLocked(ctx, err, now) {
			r.publishLocked(now, true)
		}
		return
	}
	r.setDirectoryLocked(people)
	r.directoryDue = now.Add(r.directoryEvery)
}

// sourceLevel reports whether err stops every request to the source, whatever
// was being asked: a sign-in failure or the server asking us to wait.
func sourceLevel(err error) bool {
	switch KindOf(err) {
	case KindAuth, KindLocked, KindThrottled:
		return true
	}
	return false
}

func (r *Refresher) setDirectoryLocked(people []Person) {
	index := make(map[string]int, len(people))
	kept := make([]Person, 0, len(people))
	for _, p := range people {
		k := normKey(p.Key())
		if _, dup := index[k]; dup || k == "" {
			continue
		}
		index[k] = len(kept)
		kept = append(kept, p)
	}
	fetched := make([]personData, len(kept))
	for k, i := range index {
		if old, ok := r.index[k]; ok {
			fetched[i] = r.fetched[old]
		}
	}
	for k := range r.pending {
		if _, ok := index[k]; !ok {
			delete(r.pending, k)
		}
	}
	if r.haveDirectory && len(kept) != len(r.people) {
		r.log.Info("directory reloaded", "people", len(kept), "before", len(r.people))
	}
	r.people, r.index, r.fetched, r.haveDirectory = kept, index, fetched, true
	r.display = displayOrder(kept, r.favourites)
	r.planBudgetLocked()
}

func (r *Refresher) planBudgetLocked() {
	b := PlanBudget(len(r.people), r.limits.BatchSize, r.configured)
	notice := b.Notice(len(r.people), r.limits.BatchSize, r.configured)
	if b.Interval != r.interval || notice != r.notice {
		if b.Stretched {
			r.log.Warn("refresh interval stretched to stay within the request budget",
				"interval", b.Interval, "configured", r.configured, "people", len(r.people),
				"batch_size", r.limits.BatchSize, "requests_per_10min", b.Requests)
		} else if r.notice != "" {
			r.log.Info("refresh interval back to the configured one", "interval", b.Interval)
		}
	}
	if b.Interval != r.interval {
		r.nextCycle = r.lastCycleStart.Add(b.Interval)
	}
	r.interval, r.notice = b.Interval, notice
	r.offlineBackoff.Cap = b.Interval
}

// batch is one Availability call: people and their directory positions.
type batch struct {
	people []Person
	index  []int
}

func (r *Refresher) windowAt(now time.Time) Window { return FetchWindow(now, r.loc) }

// FetchWindow is the span every refresh at t asks about: from midnight today
// in loc, FetchWindowDays calendar days, so a day the clocks change has its 23
// or 25 hours and the window still ends at local midnight.
func FetchWindow(t time.Time, loc *time.Location) Window {
	start := DayOf(t, loc).Start
	return Window{Start: start, End: start.AddDate(0, 0, FetchWindowDays)}
}

// displayOrder is the one order every snapshot lists people in, whoever shows
// it (console, watch, status): favourites in their own order, then everyone
// else by name, then by address.
func displayOrder(people []Person, favourites map[string]int) []int {
	type entry struct {
		idx  int
		fav  int // position among favourites; len(favourites) for everyone else
		name string
		key  string
	}
	all := make([]entry, len(people))
	for i, p := range people {
		k := normKey(p.Key())
		fav, ok := favourites[k]
		if !ok {
			fav = len(favourites)
		}
		all[i] = entry{idx: i, fav: fav, name: strings.ToLower(strings.TrimSpace(p.Name)), key: k}
	}
	slices.SortFunc(all, func(a, b entry) int {
		if a.fav != b.fav {
			return a.fav - b.fav
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	order := make([]int, len(all))
	for i, e := range all {
		order[i] = e.idx
	}
	return order
}

// priorityLocked orders the directory for a refresh: the selected person,
// favourites, people asked for on demand, then whoever has waited longest, so
// a cycle cut short by a back-off is completed first next time.
func (r *Refresher) priorityLocked() []int {
	type ranked struct {
		idx     int
		rank    int // 0 selected, 1 favourite, 2 on demand, 3 everyone else
		pos     int // among favourites
		fetched time.Time
	}
	all := make([]ranked, len(r.people))
	for i, p := range r.people {
		k := normKey(p.Key())
		all[i] = ranked{idx: i, rank: 3, fetched: r.fetched[i].fetchedAt}
		if pos, ok := r.favourites[k]; ok {
			all[i].rank, all[i].pos = 1, pos
		} else if _, ok := r.pending[k]; ok {
			all[i].rank = 2
		}
		if k == r.selected {
			all[i].rank = 0
		}
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return a.fetched.Compare(b.fetched)
	})
	order := make([]int, len(all))
	for i, a := range all {
		order[i] = a.idx
	}
	return order
}

func (r *Refresher) batchesLocked(order []int) []batch {
	people := make([]Person, len(order))
	for i, idx := range order {
		people[i] = r.people[idx]
	}
	size := r.limits.BatchSize
	out := make([]batch, 0, RequestsPerCycle(len(order), size))
	for start := 0; start < len(order); start += size {
		end := min(start+size, len(order))
		out = append(out, batch{people: people[start:end:end], index: order[start:end:end]})
	}
	return out
}

func (r *Refresher) runCycle(ctx context.Context) {
	r.mu.Lock()
	start := r.clock.Now()
	r.lastCycleStart = start
	r.fullRequested = false
	r.nextCycle = start.Add(r.interval + time.Duration(r.random()*intervalJitter*float64(r.interval)))
	r.cycleFailed = false
	batches := r.batchesLocked(r.priorityLocked())
	window := r.windowAt(start)
	r.refreshing = true
	r.publishLocked(start, false)
	r.mu.Unlock()

	r.fetchBatches(ctx, batches, window)

	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	r.refreshing = false
	if ctx.Err() != nil {
		return
	}
	if !r.cycleFailed && r.pause == "" {
		if r.throttled || r.offline {
			r.log.Info("refreshing again", "source", r.src.Name(), "was_throttled", r.throttled, "was_offline", r.offline)
		}
		r.throttled, r.throttleReason = false, nil
		r.offline, r.offlineReason = false, nil
		r.throttleBackoff.Reset()
		r.offlineBackoff.Reset()
		r.lastSuccess = now
	}
	r.log.Info("refresh cycle done", "people", len(r.people), "complete", !r.cycleFailed,
		"requests_sent", r.requests.Sent(), "requests_last_10min", r.requests.InWindow())
	r.publishLocked(now, true)
}

// fetchBatches sends the batches at most MaxConcurrent at a time and stops
// sending at the first failure. The first batch of every cycle goes alone and
// the rest follow only once it has succeeded: a password changed on the server
// since the last cycle, or a server that still throttles, costs one request,
// never one per concurrent request.
func (r *Refresher) fetchBatches(ctx context.Context, batches []batch, window Window) {
	sem := make(chan struct{}, r.limits.MaxConcurrent)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i, b := range batches {
		if i == 1 {
			// The admission check below sees the first answer's failure.
			wg.Wait()
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		r.mu.Lock()
		ok := !r.cycleFailed && r.admitLocked(ctx)
		if !ok {
			// Whatever stopped this request also means the cycle is incomplete.
			r.cycleFailed = true
		}
		r.mu.Unlock()
		if !ok {
			<-sem
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The outcome is recorded before the slot is released, so the next
			// request cannot leave before a back-off from this one is known.
			defer func() { <-sem }()
			r.fetchBatch(ctx, b, window)
		}()
	}
}

// fetchBatch makes one Availability call and records its outcome.
func (r *Refresher) fetchBatch(ctx context.Context, b batch, window Window) bool {
	op := r.src.Name() + ".Availability"
	var avail []Availability
	err := r.call(ctx, op, func(ctx context.Context) error {
		var err error
		avail, err = r.src.Availability(ctx, b.people, window)
		return err
	})
	if err == nil && len(avail) != len(b.people) {
		err = &Error{Kind: KindTransient, Op: op, Err: errors.New("server answered for a different number of people")}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	if err != nil {
		r.cycleFailed = true
		r.failLocked(ctx, err, now)
		return false
	}
	for j, a := range avail {
		i := b.index[j]
		if i >= len(r.fetched) || r.people[i].Key() != b.people[j].Key() {
			continue // the directory changed under us; the next cycle asks again
		}
		a.FetchedAt = now
		r.fetched[i] = personData{avail: a, fetchedAt: now}
		if len(r.pending) > 0 {
			k := normKey(b.people[j].Key())
			if asked, ok := r.pending[k]; ok && !asked.After(now) {
				delete(r.pending, k)
			}
		}
	}
	return true
}

func (r *Refresher) runOnDemand(ctx context.Context) {
	r.mu.Lock()
	now := r.clock.Now()
	r.lastOnDemand = now
	keys := make([]string, 0, len(r.pending))
	for k := range r.pending {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if a == r.selected || b == r.selected {
			return boolRank(a == r.selected) - boolRank(b == r.selected)
		}
		if c := r.pending[a].Compare(r.pending[b]); c != 0 {
			return c
		}
		return compareStrings(a, b)
	})
	var b batch
	for _, k := range keys {
		i, ok := r.index[k]
		if !ok {
			delete(r.pending, k)
			continue
		}
		if len(b.index) < r.limits.BatchSize {
			b.people = append(b.people, r.people[i])
			b.index = append(b.index, i)
		}
	}
	if len(b.index) == 0 || !r.admitLocked(ctx) {
		r.mu.Unlock()
		return
	}
	window := r.windowAt(now)
	r.mu.Unlock()

	r.fetchBatch(ctx, b, window)

	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Err() == nil {
		r.publishLocked(r.clock.Now(), true)
	}
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// failLocked puts the engine in the state err calls for. It reports false when
// err only says the engine is stopping.
func (r *Refresher) failLocked(ctx context.Context, err error, now time.Time) bool {
	if ctx.Err() != nil {
		return false
	}
	switch kind := KindOf(err); kind {
	case KindAuth, KindLocked, KindPermission, KindConfig:
		state := StateAuthPaused
		if kind == KindConfig {
			state = StateConfigError
		}
		if r.pause == "" {
			r.pause, r.pauseReason, r.pauseSince = state, err, now
			r.log.Error("refreshing stopped until the operator acts; nothing will be retried automatically",
				"source", r.src.Name(), "kind", kind.String(), "err", err)
		}
	case KindThrottled:
		wait, asked := RetryAfterOf(err), true
		if wait <= 0 {
			asked = false
			if r.throttled && r.throttledUntil.After(now) {
				// Concurrent requests of the same wave: one back-off step, not one each.
				wait = r.throttledUntil.Sub(now)
			} else {
				wait = r.throttleBackoff.Next()
			}
		}
		until := now.Add(wait)
		if !r.throttled {
			r.throttled, r.throttledSince = true, now
		}
		if until.After(r.throttledUntil) {
			r.throttledUntil = until
			r.log.Warn("server is throttling: pausing every request to this source",
				"source", r.src.Name(), "until", until, "wait", wait, "server_said", asked, "err", err)
		}
		r.throttleReason = err
		r.nextCycle = r.throttledUntil
	default:
		if !r.offline {
			r.offline, r.offlineSince = true, now
			r.log.Warn("cannot reach the server: keeping the last data and retrying",
				"source", r.src.Name(), "err", err)
		}
		if !r.retryAt.After(now) {
			r.retryAt = now.Add(r.offlineBackoff.Next())
		}
		r.offlineReason = err
		r.nextCycle = r.retryAt
	}
	return true
}

// publishLocked makes a new immutable snapshot and hands it to every subscriber.
// Without reevaluate only the engine state changes and People are shared with
// the previous snapshot (nobody modifies either).
func (r *Refresher) publishLocked(now time.Time, reevaluate bool) {
	var s Snapshot
	if reevaluate || !r.haveLatest {
		at := now.In(r.loc)
		day := TimelineSpan(at, r.loc) // today and the next working day, for the day view
		people := make([]PersonState, len(r.display))
		for n, i := range r.display {
			a := r.fetched[i].avail
			if r.fetched[i].fetchedAt.IsZero() {
				a = Availability{Err: errNotFetchedYet}
			}
			a.Person = r.people[i]
			people[n] = Evaluate(a, at, day)
		}
		s = Snapshot{Source: r.src.Name(), At: at, People: people}
	} else {
		s = r.latest
	}
	s.GeneratedAt = now
	s.Engine = r.engineStateLocked(s.People)
	r.latest, r.haveLatest, r.lastPublish = s, true, now
	for sub := range r.subs {
		sub.deliver(s)
	}
}

func (r *Refresher) engineStateLocked(people []PersonState) EngineState {
	es := EngineState{
		Refreshing:  r.refreshing,
		LastSuccess: r.lastSuccess,
		Interval:    r.interval,
		Notice:      r.notice,
	}
	switch {
	case r.pause != "":
		es.State, es.Reason, es.Since = r.pause, r.pauseReason, r.pauseSince
	case r.throttled:
		es.State, es.Reason, es.Since, es.Until = StateThrottled, r.throttleReason, r.throttledSince, r.throttledUntil
	case r.offline:
		es.State, es.Reason, es.Since, es.Until = StateOffline, r.offlineReason, r.offlineSince, r.retryAt
	default:
		es.State = OverallState(people)
	}
	es.Stale = es.State != StateOK && es.State != StatePartial
	return es
}

// deliver replaces whatever the subscriber has not read yet: a slow UI gets the
// latest snapshot, never a queue of old ones, and never blocks the engine.
func (s *subscription) deliver(snap Snapshot) {
	select {
	case s.ch <- snap:
		return
	default:
	}
	select {
	case <-s.ch:
	default:
	}
	s.ch <- snap // cannot block: only the publisher sends, under the engine's lock
}

// Subscribe returns a channel that always holds the latest snapshot (the current
// one at once, if any) and a func to stop. The channel is closed by the func,
// not by Run returning.
func (r *Refresher) Subscribe() (<-chan Snapshot, func()) {
	sub := &subscription{ch: make(chan Snapshot, 1)}
	r.mu.Lock()
	r.subs[sub] = struct{}{}
	if r.haveLatest {
		sub.ch <- r.latest
	}
	r.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			r.mu.Lock()
			delete(r.subs, sub)
			close(sub.ch)
			r.mu.Unlock()
		})
	}
}

// Latest returns the last published snapshot; ok is false before the first.
func (r *Refresher) Latest() (snap Snapshot, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.latest, r.haveLatest
}

// RefreshNow asks for one person (by Person.Key) as soon as the limits allow;
// an empty key asks for everyone. It never sends anything itself: ErrPaused and
// ErrBackingOff say why nothing will leave now. Requests coalesce, so calling
// it on every selection change or key repeat is safe.
func (r *Refresher) RefreshNow(personKey string) error {
	personKey = normKey(personKey)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pause != "" {
		return ErrPaused
	}
	if _, blocked := r.blockedUntilLocked(r.clock.Now()); blocked {
		return ErrBackingOff
	}
	if personKey == "" {
		r.fullRequested = true
	} else {
		if _, ok := r.index[personKey]; r.haveDirectory && !ok {
			return ErrUnknownPerson
		}
		if _, ok := r.pending[personKey]; !ok {
			r.pending[personKey] = r.clock.Now()
		}
	}
	r.notify()
	return nil
}

// normKey makes person keys from the config, the UI and the directory compare
// equal whatever the case: mail addresses and directory ids are case-insensitive.
func normKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }

// SetSelected marks the person the operator is looking at; they are refreshed
// first in every cycle. An empty key clears it.
func (r *Refresher) SetSelected(personKey string) {
	r.mu.Lock()
	r.selected = normKey(personKey)
	r.mu.Unlock()
}

// SetFavourites replaces the favourites (person keys, in order).
func (r *Refresher) SetFavourites(keys []string) {
	r.mu.Lock()
	r.setFavouritesLocked(keys)
	r.mu.Unlock()
}

func (r *Refresher) setFavouritesLocked(keys []string) {
	r.favourites = make(map[string]int, len(keys))
	for _, k := range keys {
		k = normKey(k)
		if _, dup := r.favourites[k]; !dup && k != "" {
			r.favourites[k] = len(r.favourites)
		}
	}
	r.display = displayOrder(r.people, r.favourites)
}

// ReloadDirectory asks for the directory again at the next opportunity.
func (r *Refresher) ReloadDirectory() {
	r.mu.Lock()
	r.directoryDue = r.clock.Now()
	r.mu.Unlock()
	r.notify()
}

// Resume is the operator's answer to a pause: a new password, a new sign-in or a
// fixed configuration. Exactly one request follows (alone, to check the new
// credentials); polling continues only if it succeeds. A back-off the server
// asked for still runs to its end first.
func (r *Refresher) Resume() {
	r.mu.Lock()
	now := r.clock.Now()
	if r.pause != "" {
		r.log.Info("operator acted: one request to check before polling again", "was", string(r.pause))
		r.pause, r.pauseReason, r.pauseSince = "", nil, time.Time{}
		r.nextCycle = now
		r.publishLocked(now, true)
	}
	r.mu.Unlock()
	r.notify()
}

// CredentialsChanged is Resume under the name the sign-in code thinks in: a
// password changed while running is handled as after a pause.
func (r *Refresher) CredentialsChanged() { r.Resume() }
