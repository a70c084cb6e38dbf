package graph

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// presenceConcurrency caps getPresencesByUserId calls in flight: a tenant of
// 30,000 is 47 calls, which must not all leave at once.
const presenceConcurrency = 2

// presenceSlack lets a refresh that comes a little early (the engine starts
// cycles a jittered interval apart) still fetch: a tenth of the interval.
const presenceSlack = 10

type presenceInfo struct {
	text string
	oof  calendar.OutOfOffice
}

// presenceCache lets a whole refresh share one set of getPresencesByUserId
// calls (650 ids each) although the engine asks for availability 20 people at a
// time, and lets the refreshes in between (the operator's on-demand ones) reuse
// it: presence is fetched for everyone once per interval.
type presenceCache struct {
	mu        sync.Mutex
	fetchedAt time.Time
	asked     map[string]bool
	byID      map[string]presenceInfo
}

// presenceFor returns presence for the people in one batch, by user id. It
// never fails the batch: presence is a nicety next to the calendar.
func (s *Source) presenceFor(ctx context.Context, people []calendar.Person) map[string]presenceInfo {
	if !s.presenceOn.Load() {
		return nil
	}
	var ids []string
	for _, p := range people {
		if p.ID != "" {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	c := &s.presence
	// Holding the lock through the fetch makes concurrent batches wait for the
	// one fetch instead of each starting its own.
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.opts.Now()
	maxAge := s.opts.PresenceInterval - s.opts.PresenceInterval/presenceSlack
	if c.byID == nil || now.Sub(c.fetchedAt) >= maxAge || now.Before(c.fetchedAt) {
		want := s.presenceIDs(ids)
		c.byID = s.fetchPresence(ctx, want)
		c.fetchedAt = now
		c.asked = make(map[string]bool, len(want))
		for _, id := range want {
			c.asked[id] = true
		}
	} else if missing := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return c.asked[id] }); len(missing) > 0 {
		// Someone the last fetch did not cover (the directory grew): ask for
		// them alone, not for everyone again.
		slices.Sort(missing)
		missing = slices.Compact(missing)
		for id, pr := range s.fetchPresence(ctx, missing) {
			c.byID[id] = pr
		}
		for _, id := range missing {
			c.asked[id] = true
		}
	}
	out := make(map[string]presenceInfo, len(ids))
	for _, id := range ids {
		if pr, ok := c.byID[id]; ok {
			out[id] = pr
		}
	}
	return out
}

// presenceIDs is everyone in the loaded directory plus this batch: the rest of
// the refresh will ask for them next.
func (s *Source) presenceIDs(batch []string) []string {
	s.dirMu.Lock()
	want := make([]string, 0, len(s.directory)+len(batch))
	for _, p := range s.directory {
		if p.ID != "" {
			want = append(want, p.ID)
		}
	}
	s.dirMu.Unlock()
	want = append(want, batch...)
	slices.Sort(want)
	return slices.Compact(want)
}

func (s *Source) fetchPresence(ctx context.Context, ids []string) map[string]presenceInfo {
	const op = "graph.getPresencesByUserId"
	chunks := slices.Collect(slices.Chunk(ids, PresenceBatchSize))
	results := make([][]presence, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, presenceConcurrency)
	for i, chunk := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := s.endpoint("/communications/getPresencesByUserId", nil)
			if err != nil {
				errs[i] = &calendar.Error{Kind: calendar.KindConfig, Op: op, Err: err}
				return
			}
			answer := presenceResponse{Value: make([]presence, 0, len(chunk))}
			if err := s.call(ctx, op, http.MethodPost, u, nil, presenceRequestBody{IDs: chunk}, &answer); err != nil {
				errs[i] = err
				return
			}
			results[i] = answer.Value
		}()
	}
	wg.Wait()
	out := make(map[string]presenceInfo, len(ids))
	for i, err := range errs {
		if err == nil {
			for j := range results[i] {
				if p := &results[i][j]; p.ID != "" {
					out[p.ID] = presenceOf(p)
				}
			}
			continue
		}
		if calendar.KindOf(err) == calendar.KindPermission && s.presenceOn.CompareAndSwap(true, false) {
			s.log.Info("graph: presence turned off: the tenant has not consented to Presence.Read.All", "err", err)
			return out
		}
		if ctx.Err() == nil {
			s.log.Warn("graph: presence unavailable this refresh", "err", err)
		}
	}
	return out
}

func presenceOf(p *presence) presenceInfo {
	pr := presenceInfo{text: p.Availability}
	if p.Activity != "" && p.Activity != p.Availability {
		pr.text = p.Availability + " (" + p.Activity + ")"
	}
	if o := p.OutOfOfficeSettings; o != nil {
		pr.oof.Active = o.IsOutOfOffice
		pr.oof.Message = o.Message
	}
	return pr
}
