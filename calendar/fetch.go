package calendar

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// admitLocked asks the gate whether a request may leave now; when this one
// fills the engine's own ceiling, the next cycle waits for room.
func (r *Refresher) admitLocked(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	ok, heldUntil := r.gate.admit(r.clock.Now())
	if !heldUntil.IsZero() {
		r.sched.nextCycle = heldUntil
	}
	return ok
}

// failLocked puts the engine in the state err calls for. It reports false when
// err only says the engine is stopping.
func (r *Refresher) failLocked(ctx context.Context, err error, now time.Time) bool {
	if ctx.Err() != nil {
		return false
	}
	if retryAt := r.gate.fail(err, now); !retryAt.IsZero() {
		r.sched.nextCycle = retryAt
	}
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
	saved, savedAt := r.savedDirectory()
	r.mu.Lock()
	if !r.admitLocked(ctx) {
		r.mu.Unlock()
		return
	}
	r.pub.refreshing = true
	if !r.pub.haveLatest {
		// Say at once that the engine is at work, with the saved colleagues
		// (directorycache.go) where there are any.
		r.showSavedDirectoryLocked(saved, savedAt)
		r.publishLocked(r.clock.Now(), false)
	}
	r.mu.Unlock()
	// No deadline for the listing as a whole: a tenant of 30,000 is 31 pages,
	// and every Source bounds each of its requests (Graph: a timeout per page).
	people, err := r.src.Directory(ctx)
	if err == nil {
		r.mu.Lock()
		rl, due := r.roomsDueLocked(r.clock.Now())
		r.mu.Unlock()
		if due {
			r.listRooms(ctx, rl)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	r.pub.refreshing = false
	if err != nil {
		if r.roster.loaded && !sourceLevel(err) {
			// Keep the last good directory and go on polling it; the listing may
			// be what is broken (a group's permissions), not the calendars.
			r.roster.due = now.Add(min(directoryRetry, r.directoryEvery))
			r.log.Warn("directory reload failed; keeping the last one", "people", len(r.roster.people), "retry_at", r.roster.due, "err", err)
			return
		}
		// The directory stays due: after the wait it is asked for first.
		if r.failLocked(ctx, err, now) {
			r.publishLocked(now, true)
		}
		return
	}
	before, reloaded := len(r.roster.people), r.roster.loaded
	r.roster.replace(withRooms(people, r.rooms.rooms), r.sched.favourites)
	// The colleagues just added show at the start of the next cycle, as
	// "loading", not only when its answers are in (37 s on a slow Exchange).
	r.pub.directoryChanged = true
	if reloaded && len(r.roster.people) != before {
		r.log.Info("directory reloaded", "people", len(r.roster.people), "before", before)
	}
	r.sched.forgetMissing(&r.roster)
	r.sched.replan(&r.roster, r.log)
	r.gate.offlineBackoff.Cap = r.sched.interval
	r.roster.due = now.Add(r.directoryEvery)
	r.directoryListedLocked(now)
}

// runCycle refreshes everyone once, in priority order.
func (r *Refresher) runCycle(ctx context.Context) {
	r.mu.Lock()
	start := r.clock.Now()
	sentBefore := r.gate.requests.Sent()
	// The selected and watched colleagues may have changed since the last
	// cycle: with an AutoReplySource they change what a cycle costs.
	r.sched.replan(&r.roster, r.log)
	r.sched.startCycle(start)
	r.cycleFailed = false
	jobs := r.cycleJobsLocked(r.sched.batches(&r.roster))
	window := FetchWindow(start, r.loc)
	r.pub.refreshing = true
	// A one-shot run (status) has nobody to tell that the refresh started:
	// everyone evaluated as "loading" would be a second list of them all
	// alive beside the answers (48 MB at 100,000 colleagues).
	told := !r.oneShot || len(r.pub.subs) > 0
	if told {
		r.publishLocked(start, false)
	}
	r.mu.Unlock()

	r.fetchBatches(ctx, jobs, window, true)

	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	r.pub.refreshing = false
	if ctx.Err() != nil {
		if !told {
			r.publishLocked(now, true)
		}
		return
	}
	if !r.cycleFailed && !r.gate.paused() {
		r.gate.recovered()
		r.pub.lastSuccess = now
	}
	r.publishLocked(now, true)
	// One line per refresh an admin can read alone: what it cost, how long it
	// took, what it found (unreadable_calendars: whose last answer failed; the
	// lines saying who and why are logged when that changes) and the state it
	// left the engine in.
	latest := r.pub.latest
	rooms := r.roster.rooms()
	r.log.Info("refresh cycle done", "people", len(r.roster.people)-rooms, "rooms", rooms, "complete", !r.cycleFailed,
		"requests", r.gate.requests.Sent()-sentBefore, "ms", now.Sub(start).Milliseconds(),
		"statuses", statusCounts(latest.People), "unreadable_calendars", r.roster.unreadableCount(),
		"state", string(latest.Engine.State),
		"requests_sent", r.gate.requests.Sent(), "requests_last_10min", r.gate.requests.InWindow())
}

// statusCounts is "busy=3 free=5 unknown=1": how many people are in each status.
func statusCounts(people []*PersonState) string {
	counts := map[Status]int{}
	for _, p := range people {
		counts[p.Status]++
	}
	var parts []string
	for st := range Status(len(statusNames)) {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", st, n))
		}
	}
	return strings.Join(parts, " ")
}

// fetchJob is one request of a refresh: a batch's calendars, or (replies)
// their automatic replies from an AutoReplySource.
type fetchJob struct {
	b       batch
	replies bool
}

// cycleJobsLocked is the cycle's requests in the order they leave: each
// calendar batch followed by a batch of automatic replies while there are
// any, so the selected colleague's calendar and reply go first and the
// replies travel beside the calendars rather than after them.
func (r *Refresher) cycleJobsLocked(batches []batch) []fetchJob {
	var replies []batch
	if _, size, ok := r.autoReplies(); ok {
		order := make([]int, 0, len(r.roster.people))
		for _, b := range batches {
			order = append(order, b.index...)
		}
		replies = r.sched.replyBatches(&r.roster, order, r.sched.repliesFromEveryone(), size, r.sched.lastCycleStart)
	}
	jobs := make([]fetchJob, 0, len(batches)+len(replies))
	for i := 0; i < len(batches) || i < len(replies); i++ {
		if i < len(batches) {
			jobs = append(jobs, fetchJob{b: batches[i]})
		}
		if i < len(replies) {
			jobs = append(jobs, fetchJob{b: replies[i], replies: true})
		}
	}
	return jobs
}

// fetchBatches sends the jobs at most MaxConcurrent at a time and stops
// sending at the first failure. With firstAlone (every cycle) the first job
// goes alone and the rest follow only once it has succeeded: a password
// changed on the server since the last cycle, or a server that still
// throttles, costs one request, never one per concurrent request.
//
// sent is how many jobs left.
func (r *Refresher) fetchBatches(ctx context.Context, jobs []fetchJob, window Window, firstAlone bool) (sent int) {
	sem := make(chan struct{}, r.limits.MaxConcurrent)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i, j := range jobs {
		if i == 1 && firstAlone {
			// The admission check below sees the first answer's failure.
			wg.Wait()
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return sent
		}
		r.mu.Lock()
		ok := !r.cycleFailed && r.admitLocked(ctx)
		if !ok {
			// Whatever stopped this request also means the cycle is incomplete.
			r.cycleFailed = true
		}
		j.b = j.b.withPeople(&r.roster)
		r.mu.Unlock()
		if !ok {
			<-sem
			return sent
		}
		sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The outcome is recorded before the slot is released, so the next
			// request cannot leave before a back-off from this one is known.
			defer func() { <-sem }()
			if rs, ok := r.src.(AutoReplySource); ok && j.replies {
				r.fetchReplies(ctx, rs, j.b)
				return
			}
			r.fetchBatch(ctx, j.b, window)
		}()
	}
	return sent
}

// fetchBatch makes one Availability call and records its outcome.
func (r *Refresher) fetchBatch(ctx context.Context, b batch, window Window) bool {
	op := r.src.Name() + ".Availability"
	var avail []Availability
	err := r.call(ctx, op, func(ctx context.Context) error {
		var err error
		if rs, ok := r.src.(AutoReplySource); ok {
			// The automatic replies are their own requests (fetchReplies).
			avail, err = rs.FreeBusy(ctx, b.people, window)
		} else {
			avail, err = r.src.Availability(ctx, b.people, window)
		}
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
	settle := r.settlesLocked()
	items := batchItems(avail, &r.roster.arena)
	for j, a := range avail {
		before := r.roster.lastErr(b.index[j])
		if r.roster.recordItems(b.index[j], b.people[j], a, items[j], now) {
			r.roster.freshReply(b.index[j], b.asked)
			r.sched.answered(b.people[j].Key(), now)
			r.logCalendarChangeLocked(b.people[j], before, a.Err)
			if settle {
				at := now.In(r.loc)
				r.roster.settle(b.index[j], at, TimelineSpan(at, r.loc), r.oofMaxAgeLocked(), r.soonWithin)
			}
		}
	}
	return true
}

// settlesLocked reports whether answers are evaluated as they arrive
// (roster.settle): in a one-shot refresh, where the snapshot is made at the
// instant the answers came (status's clock stands still) and nothing
// recorded later changes them: not from a source whose automatic replies
// come in requests of their own.
func (r *Refresher) settlesLocked() bool {
	if !r.oneShot {
		return false
	}
	_, _, replies := r.autoReplies()
	return !replies
}

// runOnDemand refreshes the people asked for since the last cycle, in one
// batch, with their automatic replies beside it on an AutoReplySource: the
// operator is looking at them.
func (r *Refresher) runOnDemand(ctx context.Context) {
	r.mu.Lock()
	now := r.clock.Now()
	b := r.sched.onDemandBatch(&r.roster, now)
	if len(b.index) == 0 {
		r.mu.Unlock()
		return
	}
	jobs := []fetchJob{{b: b}}
	if _, size, ok := r.autoReplies(); ok {
		if c := colleaguesOf(b, size); len(c.index) > 0 {
			jobs = append(jobs, fetchJob{b: c, replies: true})
		}
	}
	// An earlier cycle cut short does not hold back what the operator asks for:
	// the gate says whether anything may leave.
	r.cycleFailed = false
	window := FetchWindow(now, r.loc)
	r.mu.Unlock()

	sent := r.fetchBatches(ctx, jobs, window, false)

	r.mu.Lock()
	defer r.mu.Unlock()
	if sent > 0 && ctx.Err() == nil {
		r.publishLocked(r.clock.Now(), true)
	}
}
