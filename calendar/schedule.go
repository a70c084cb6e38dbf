package calendar

import (
	"log/slog"
	"slices"
	"strings"
	"time"
)

// schedule decides who is asked about when: the interval (stretched to stay
// within the request budget), the priority of the selected person, favourites
// and on-demand requests, and how people are cut into batches. Not safe for
// concurrent use: the Refresher's lock guards it.
type schedule struct {
	configured time.Duration // the interval asked for
	interval   time.Duration // configured, or stretched by the budget
	notice     string
	batchSize  int
	// cost is every request one refresh of n people sends (RequestsPerRefresh).
	cost func(people int) int
	// replies is the source when it is an AutoReplySource, else nil.
	replies AutoReplySource
	random  func() float64
	// cycles counts the cycles started; the first and every AutoReplyEvery-th
	// after it read everyone's automatic replies.
	cycles int

	selected   string
	watched    map[string]int       // normKey -> position: "tell me when free"
	favourites map[string]int       // normKey -> position
	pending    map[string]time.Time // on-demand keys and when they were asked for

	fullRequested  bool
	nextCycle      time.Time
	lastCycleStart time.Time
	lastOnDemand   time.Time
}

// batch is one Availability call: people and their directory positions.
type batch struct {
	people []Person
	index  []int
	asked  time.Time // when the cycle or on-demand request it belongs to began
}

// FetchWindow is the span every refresh at t asks about: from midnight today
// in loc, FetchWindowDays calendar days, so a day the clocks change has its 23
// or 25 hours and the window still ends at local midnight.
func FetchWindow(t time.Time, loc *time.Location) Window {
	start := DayOf(t, loc).Start
	return Window{Start: start, End: start.AddDate(0, 0, FetchWindowDays)}
}

func (s *schedule) setFavourites(keys []string) { s.favourites = positions(keys) }

func (s *schedule) setWatched(keys []string) { s.watched = positions(keys) }

// positions maps each key (normKey) to its place among keys, first one wins.
func positions(keys []string) map[string]int {
	out := make(map[string]int, len(keys))
	for _, k := range keys {
		k = normKey(k)
		if _, dup := out[k]; !dup && k != "" {
			out[k] = len(out)
		}
	}
	return out
}

// startCycle notes a cycle starting at now and plans the next, with jitter.
func (s *schedule) startCycle(now time.Time) {
	s.cycles++
	s.lastCycleStart = now
	s.fullRequested = false
	s.nextCycle = now.Add(s.interval + time.Duration(s.random()*intervalJitter*float64(s.interval)))
}

// due says whether a full cycle or an on-demand batch is due at now, and
// otherwise when the next thing is (capped by the directory's reload).
func (s *schedule) due(now, directoryDue time.Time) (cycle, onDemand bool, next time.Time) {
	fullAt := s.lastCycleStart.Add(s.interval / 2)
	if !now.Before(s.nextCycle) || (s.fullRequested && !now.Before(fullAt)) {
		return true, false, time.Time{}
	}
	onDemandAt := s.lastOnDemand.Add(onDemandSpacing)
	if len(s.pending) > 0 && !now.Before(onDemandAt) {
		return false, true, time.Time{}
	}
	next = earliest(s.nextCycle, directoryDue)
	if s.fullRequested {
		next = earliest(next, fullAt)
	}
	if len(s.pending) > 0 {
		next = earliest(next, onDemandAt)
	}
	return false, false, next
}

// repliesFromEveryone says whether the cycle in flight reads everyone's
// automatic replies (an AutoReplySource's first, then every AutoReplyEvery-th).
func (s *schedule) repliesFromEveryone() bool {
	return (s.cycles-1)%AutoReplyEvery == 0
}

// replan sizes the interval for the roster's directory, the selected and the
// watched colleagues; log says why it changed.
func (s *schedule) replan(ro *roster, log *slog.Logger) {
	n := len(ro.people)
	cost := s.costOf(ro)
	b := PlanBudgetFor(cost, s.configured)
	notice := b.NoticeFor(n, cost, s.configured)
	if b.Interval != s.interval || notice != s.notice {
		if b.Stretched {
			log.Warn("refresh interval stretched to stay within the request budget",
				"interval", b.Interval, "configured", s.configured, "people", n,
				"requests_per_refresh", cost.Each, "requests_every_fifth_refresh", cost.Heaviest(), "requests_per_10min", b.Requests)
		} else if s.notice != "" {
			log.Info("refresh interval back to the configured one", "interval", b.Interval)
		}
	}
	if b.Interval != s.interval {
		s.nextCycle = s.lastCycleStart.Add(b.Interval)
	}
	s.interval, s.notice = b.Interval, notice
}

// forgetMissing drops on-demand requests for people no longer in the directory.
func (s *schedule) forgetMissing(ro *roster) {
	for k := range s.pending {
		if _, ok := ro.index[k]; !ok {
			delete(s.pending, k)
		}
	}
}

// answered clears an on-demand request the answer at now satisfies.
func (s *schedule) answered(key string, now time.Time) {
	if len(s.pending) == 0 {
		return
	}
	k := normKey(key)
	if asked, ok := s.pending[k]; ok && !asked.After(now) {
		delete(s.pending, k)
	}
}

// priority orders the directory for a refresh: the selected person, the
// watched ones ("tell me when free"), favourites, people asked for on
// demand, then whoever has waited longest, so a cycle cut short by a
// back-off is completed first next time.
func (s *schedule) priority(ro *roster) []int {
	type ranked struct {
		idx     int
		rank    int // 0 selected, 1 watched, 2 favourite, 3 on demand, 4 everyone else
		pos     int // among the watched or the favourites
		fetched time.Time
	}
	all := make([]ranked, len(ro.people))
	for i, p := range ro.people {
		k := normKey(p.Key())
		all[i] = ranked{idx: i, rank: 4, fetched: ro.fetched[i].fetchedAt}
		if pos, ok := s.watched[k]; ok {
			all[i].rank, all[i].pos = 1, pos
		} else if pos, ok := s.favourites[k]; ok {
			all[i].rank, all[i].pos = 2, pos
		} else if _, ok := s.pending[k]; ok {
			all[i].rank = 3
		}
		if k == s.selected {
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

// batches cuts everyone, in priority order, into batches of the source's
// size. Their people are filled in as each batch leaves (withPeople): a
// copy of the whole directory held for the length of a cycle was 13 MB at
// 100,000 colleagues.
func (s *schedule) batches(ro *roster) []batch {
	order := s.priority(ro)
	size := s.batchSize
	out := make([]batch, 0, RequestsPerCycle(len(order), size))
	for start := 0; start < len(order); start += size {
		end := min(start+size, len(order))
		out = append(out, batch{index: order[start:end:end], asked: s.lastCycleStart})
	}
	return out
}

// withPeople is b with the people of its positions in ro.
func (b batch) withPeople(ro *roster) batch {
	if b.people != nil {
		return b
	}
	b.people = make([]Person, len(b.index))
	for i, idx := range b.index {
		b.people[i] = *ro.people[idx]
	}
	return b
}

// onDemandBatch is the people asked for on demand, the selected one first,
// then in the order they were asked for, at most one batch. Room left in it
// goes to the watched colleagues: they ride along in a request that leaves
// anyway, so a watch fires sooner and costs no request of its own.
func (s *schedule) onDemandBatch(ro *roster, now time.Time) batch {
	s.lastOnDemand = now
	keys := make([]string, 0, len(s.pending))
	for k := range s.pending {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if a == s.selected || b == s.selected {
			return boolRank(a == s.selected) - boolRank(b == s.selected)
		}
		if c := s.pending[a].Compare(s.pending[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	b := batch{asked: now}
	for _, k := range keys {
		i, ok := ro.index[k]
		if !ok {
			delete(s.pending, k)
			continue
		}
		if len(b.index) < s.batchSize {
			b.people = append(b.people, *ro.people[i])
			b.index = append(b.index, i)
		}
	}
	if len(b.index) == 0 {
		return b
	}
	watched := make([]string, 0, len(s.watched))
	for k := range s.watched {
		watched = append(watched, k)
	}
	slices.SortFunc(watched, func(a, b string) int { return s.watched[a] - s.watched[b] })
	for _, k := range watched {
		i, ok := ro.index[k]
		if !ok || len(b.index) >= s.batchSize || slices.Contains(b.index, i) {
			continue
		}
		b.people = append(b.people, *ro.people[i])
		b.index = append(b.index, i)
	}
	return b
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
