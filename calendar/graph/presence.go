package graph

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/communications"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// presenceMaxAge keeps one presence fetch from serving a later refresh: it is
// under the shortest refresh interval the configuration allows without a policy.
const presenceMaxAge = 25 * time.Second

type presenceInfo struct {
	text string
	oof  calendar.OutOfOffice
}

// presenceCache lets a whole refresh share one set of getPresencesByUserId
// calls (650 ids each) although the engine asks for availability 20 people at a
// time. Each fetched answer is served once per person: the first batch asking
// for someone already served starts the next refresh's fetch.
type presenceCache struct {
	mu        sync.Mutex
	fetchedAt time.Time
	asked     map[string]bool
	served    map[string]bool
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
	stale := c.byID == nil || s.opts.Now().Sub(c.fetchedAt) > presenceMaxAge
	for _, id := range ids {
		if stale || !c.asked[id] || c.served[id] {
			stale = true
			break
		}
	}
	if stale {
		want := s.presenceIDs(ids)
		c.byID = s.fetchPresence(ctx, want)
		c.fetchedAt = s.opts.Now()
		c.asked = make(map[string]bool, len(want))
		for _, id := range want {
			c.asked[id] = true
		}
		c.served = make(map[string]bool, len(want))
	}
	out := make(map[string]presenceInfo, len(ids))
	for _, id := range ids {
		c.served[id] = true
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
	chunks := slices.Collect(slices.Chunk(ids, PresenceBatchSize))
	results := make([][]models.Presenceable, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, chunk := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := communications.NewGetPresencesByUserIdPostRequestBody()
			body.SetIds(chunk)
			resp, err := s.client.Communications().GetPresencesByUserId().PostAsGetPresencesByUserIdPostResponse(ctx, body, nil)
			if err != nil {
				errs[i] = classify("graph.getPresencesByUserId", err)
				return
			}
			results[i] = resp.GetValue()
		}()
	}
	wg.Wait()
	out := make(map[string]presenceInfo, len(ids))
	for i, err := range errs {
		if err == nil {
			for _, p := range results[i] {
				if id := deref(p.GetId()); id != "" {
					out[id] = presenceOf(p)
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

func presenceOf(p models.Presenceable) presenceInfo {
	availability, activity := deref(p.GetAvailability()), deref(p.GetActivity())
	pr := presenceInfo{text: availability}
	if activity != "" && activity != availability {
		pr.text = availability + " (" + activity + ")"
	}
	if o := p.GetOutOfOfficeSettings(); o != nil {
		pr.oof.Active = o.GetIsOutOfOffice() != nil && *o.GetIsOutOfOffice()
		pr.oof.Message = deref(o.GetMessage())
	}
	return pr
}
