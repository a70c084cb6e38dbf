package calendar

import (
	"context"
	"time"
)

// AutoReplyEvery is how many refreshes apart an AutoReplySource reads
// everyone's automatic replies. They change a few times a year per colleague
// and cost requests of their own (on Exchange, a 1,000-colleague refresh was 10
// GetUserAvailability and 20 GetMailTips), so only the colleagues the operator
// is looking at (the selected one, those watched with "tell me when free" and
// those asked for on demand) are read at every refresh; the first refresh
// reads everyone, and so does every AutoReplyEvery-th after it.
const AutoReplyEvery = 5

// AutoReplySource is implemented by a Source whose automatic replies cost
// requests of their own (EWS GetMailTips). The engine then asks FreeBusy for
// the calendars and AutoReplies on the cadence above, beside the calendars'
// requests (within Limits.MaxConcurrent), and keeps each reading, with its
// AsOf, until the next one.
type AutoReplySource interface {
	Source
	// FreeBusy is Availability without automatic replies (OutOfOffice.AsOf zero).
	FreeBusy(ctx context.Context, people []Person, window Window) ([]Availability, error)
	// AutoReplyBatchSize is the most people one AutoReplies call carries; 0
	// while the server will not answer (then nothing is asked or counted).
	AutoReplyBatchSize() int
	// AutoReplies reads the automatic replies of people, one per person in
	// order: a reading has AsOf set, a person the server said nothing about
	// has it zero. An error means the call failed as a whole in a way the
	// engine must act on (rejected, locked, throttled); the source keeps other
	// failures to itself, as free/busy is what matters.
	AutoReplies(ctx context.Context, people []Person) ([]OutOfOffice, error)
}

// AutoReplyCost is the Cost of refreshes on an AutoReplySource: availability
// requests a refresh, plus the shown colleagues' automatic replies every
// refresh and everyone else's (colleagues, rooms excluded) every
// AutoReplyEvery-th, batchSize people a request.
func AutoReplyCost(availability, colleagues, shown, batchSize int) Cost {
	if batchSize <= 0 {
		return Refreshes(availability)
	}
	shown = min(shown, colleagues)
	every := RequestsPerCycle(shown, batchSize)
	return Cost{Each: availability + every, Periodic: RequestsPerCycle(colleagues, batchSize) - every}
}

// autoReplies is the engine's AutoReplySource, when its source is one that
// answers them now (batch size above zero).
func (r *Refresher) autoReplies() (AutoReplySource, int, bool) {
	rs, ok := r.src.(AutoReplySource)
	if !ok {
		return nil, 0, false
	}
	size := rs.AutoReplyBatchSize()
	return rs, size, size > 0
}

// Plan is the polling plan in force: what refreshes cost and the budget it
// gives (the interval, and requests in the heaviest 10 minutes).
func (r *Refresher) Plan() (Cost, Budget) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.sched.costOf(&r.roster)
	return c, PlanBudgetFor(c, r.sched.configured)
}

// costOf is what a refresh of ro costs now: with an AutoReplySource, the
// selected and watched colleagues' replies every refresh and everyone's
// every AutoReplyEvery-th.
func (s *schedule) costOf(ro *roster) Cost {
	n := len(ro.people)
	if s.replies != nil {
		if size := s.replies.AutoReplyBatchSize(); size > 0 {
			return AutoReplyCost(RequestsPerCycle(n, s.batchSize), n-ro.rooms(), len(s.shownIn(ro)), size)
		}
	}
	if s.cost != nil {
		return Refreshes(s.cost(n))
	}
	return Refreshes(RequestsPerCycle(n, s.batchSize))
}

// shownIn is the roster positions of the colleagues whose automatic replies
// are read at every refresh: the selected one and the watched ones.
func (s *schedule) shownIn(ro *roster) []int {
	var out []int
	add := func(k string) {
		if i, ok := ro.index[k]; ok && !ro.people[i].IsRoom() {
			for _, j := range out {
				if j == i {
					return
				}
			}
			out = append(out, i)
		}
	}
	if s.selected != "" {
		add(s.selected)
	}
	for k := range s.watched {
		add(k)
	}
	return out
}

// replyBatches is whom this cycle asks for automatic replies, in the cycle's
// priority order (order), cut into batches of size: everyone at the cycle
// that reads everyone, else the selected and watched colleagues and anyone
// never fetched (new in the directory). Rooms set no automatic replies.
func (s *schedule) replyBatches(ro *roster, order []int, everyone bool, size int, asked time.Time) []batch {
	shown := map[int]bool{}
	if !everyone {
		for _, i := range s.shownIn(ro) {
			shown[i] = true
		}
	}
	var out []batch
	var b batch
	for _, i := range order {
		p := ro.people[i]
		if p.IsRoom() || p.Email == "" {
			continue
		}
		if !everyone && !shown[i] && !ro.fetched[i].fetchedAt.IsZero() {
			continue
		}
		b.people = append(b.people, *p)
		b.index = append(b.index, i)
		if len(b.index) == size {
			b.asked = asked
			out = append(out, b)
			b = batch{}
		}
	}
	if len(b.index) > 0 {
		b.asked = asked
		out = append(out, b)
	}
	return out
}

// colleaguesOf is b without its rooms: whose automatic replies an on-demand
// request asks for, beside their calendars.
func colleaguesOf(b batch, size int) batch {
	var out batch
	for j, p := range b.people {
		if !p.IsRoom() && p.Email != "" && len(out.index) < size {
			out.people = append(out.people, p)
			out.index = append(out.index, b.index[j])
		}
	}
	out.asked = b.asked
	return out
}

// fetchReplies makes one AutoReplies call and keeps its readings.
func (r *Refresher) fetchReplies(ctx context.Context, rs AutoReplySource, b batch) bool {
	op := r.src.Name() + ".AutoReplies"
	var readings []OutOfOffice
	err := r.call(ctx, op, func(ctx context.Context) error {
		var err error
		readings, err = rs.AutoReplies(ctx, b.people)
		return err
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.cycleFailed = true
		r.failLocked(ctx, err, r.clock.Now())
		return false
	}
	for j, o := range readings {
		if j < len(b.index) && !o.AsOf.IsZero() {
			r.roster.recordReply(b.index[j], b.people[j], o)
		}
	}
	return true
}

// recordReply keeps one automatic-reply reading, unless the directory changed
// under the request. The calendar's answer of the same refresh carries none
// and keeps this one (freshReply says it is not a stand-in).
func (ro *roster) recordReply(i int, asked Person, o OutOfOffice) {
	if i >= len(ro.fetched) || ro.people[i].Key() != asked.Key() {
		return
	}
	o.Kept, o.Unknown = false, false
	ro.fetched[i].avail.OutOfOffice = o
	ro.fetched[i].dirty = true
}

// freshReply undoes Kept on a reading taken since asked: the calendar answer
// that just carried it over came from the same refresh as the reading.
func (ro *roster) freshReply(i int, asked time.Time) {
	if i >= len(ro.fetched) {
		return
	}
	if o := &ro.fetched[i].avail.OutOfOffice; o.Kept && !asked.IsZero() && !o.AsOf.Before(asked) {
		o.Kept = false
		ro.fetched[i].dirty = true
	}
}

// oofMaxAgeLocked is how old an automatic-reply reading may be before it no
// longer says whether the replies are on: staleAfterIntervals refreshes that
// read it, so one missed reading is ordinary and two are not. An
// AutoReplySource reads most colleagues every AutoReplyEvery-th refresh only,
// so theirs lasts AutoReplyEvery times as long.
func (r *Refresher) oofMaxAgeLocked() time.Duration {
	age := staleAfterIntervals * r.sched.interval
	if _, _, ok := r.autoReplies(); ok {
		age *= AutoReplyEvery
	}
	return age
}
